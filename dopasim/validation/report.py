"""The validation's outputs: ``validation.json``, ``report.md`` and a figure per finding and mode.

``report.md`` opens with one table (finding x mode: effect [95% CI], holds),
then a section per finding: the paper, the claim, what is measured, the
figure (every subject a point). :func:`summary_table` is the table the docs
include, generated from a committed ``validation.json``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from dopasim.validation.runner import FILENAME


def _write(path: Path, text: str) -> None:
    """Replace ``path`` whole: a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.partial")
    tmp.write_text(text)
    os.replace(tmp, path)


def _fmt(x, digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}".replace("-", "−")


def _p(p) -> str:
    return "n/a" if p is None else f"{p:.2g}"


def _mean(values: list) -> float | None:
    v = [x for x in values if x is not None]
    return float(np.mean(v)) if v else None


def summary_table(record: dict) -> str:
    """Markdown: one row per finding, a column per mode: effect [95% CI], and whether it holds."""
    modes = list(dict.fromkeys(r["mode"] for r in record["findings"]))
    rows = {}
    for r in record["findings"]:
        rows.setdefault(r["finding"], {"claim": r["measured"], "expect": f"{r['expect']} {_fmt(r['threshold'])}"})
        n = "/".join(str(v) for v in r["n"].values())
        rows[r["finding"]][r["mode"]] = (f"{_fmt(r['effect'])} [{_fmt(r['ci_low'])}, {_fmt(r['ci_high'])}], "
                                         f"n={n}: **{'holds' if r['holds'] else 'does not hold'}**")
    lines = ["| finding | measure | expected | " + " | ".join(modes) + " |",
             "| --- | --- | --- | " + " | ".join("---" for _ in modes) + " |"]
    for name, row in rows.items():
        cells = [row.get(m, "not claimed") for m in modes]
        lines.append(f"| `{name}` | `{row['claim']}` | {row['expect']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def figure(result: dict, path: Path) -> None:
    """Every subject a point, per group; the mean with its 95% CI; the threshold dashed."""
    from dopasim.analysis.plots.common import plt

    groups = list(result["values"])
    fig, ax = plt.subplots(figsize=(1.6 + 1.2 * len(groups), 3.2))
    rng = np.random.default_rng(0)  # jitter only
    for x, group in enumerate(groups):
        v = [y for y in result["values"][group] if y is not None]
        ax.plot(x + rng.uniform(-0.15, 0.15, len(v)), v, "o", color=f"C{x}", ms=5, mec="k", mew=0.4)
        if v:
            ax.plot([x - 0.3, x + 0.3], [np.mean(v)] * 2, color="k", lw=1.5)
    counted = result.get("each_above") is not None  # the effect is a fraction of subjects, not on this axis
    if result["effect"] is not None and len(groups) == 1 and not counted:
        ax.errorbar(0.4, result["effect"], yerr=[[result["effect"] - result["ci_low"]],
                                                 [result["ci_high"] - result["effect"]]], fmt="s", color="k",
                    capsize=4, label="mean, 95% CI")
    threshold = result["threshold"]
    if counted:
        ax.axhline(result["each_above"], ls="--", color="0.5", lw=1, label=f"a subject counts above "
                   f"{result['each_above']:g}")
    elif len(groups) == 1:
        ax.axhline(threshold, ls="--", color="0.5", lw=1, label=f"expected {result['expect']} {threshold:g}")
    ax.set_xticks(range(len(groups)), groups, fontsize=8)
    ax.set_xlim(-0.6, len(groups) - 0.4 + (0.4 if len(groups) == 1 else 0))
    verdict = "holds" if result["holds"] else "does not hold"
    ax.set_title(f"{result['finding']} ({result['mode']})\n{_fmt(result['effect'])} [{_fmt(result['ci_low'])}, "
                 f"{_fmt(result['ci_high'])}]: {verdict}", fontsize=8)
    ax.set_ylabel(result["measured"].split(":")[0].removeprefix("fraction with ").split(" > ")[0], fontsize=8)
    if len(groups) == 1:
        ax.legend(fontsize=7, frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write_report(record: dict, out: Path) -> None:
    """``validation.json``, ``figures/FINDING-MODE.png`` and ``report.md`` in ``out``."""
    out = Path(out)
    (out / "figures").mkdir(parents=True, exist_ok=True)
    sections = []
    for r in record["findings"]:
        stem = f"{r['finding']}-{r['mode']}"
        figure(r, out / "figures" / f"{stem}.png")
        means = "" if len(r["values"]) < 2 else " (means: " + ", ".join(
            f"{g} {_fmt(_mean(v), 3)}" for g, v in r["values"].items()) + ")"
        sections.append(f"## `{r['finding']}` ({r['mode']})\n\n{r['claim']} ({r['paper']}).\n\n"
                        f"Task `{r['task']}`; measured `{r['measured']}`, expected {r['expect']} "
                        f"{r['threshold']:.3g}: effect {_fmt(r['effect'], 3)}, 95% CI [{_fmt(r['ci_low'], 3)}, "
                        f"{_fmt(r['ci_high'], 3)}], p = {_p(r['p'])}, n = "
                        f"{', '.join(f'{g} {n}' for g, n in r['n'].items())}{means}: "
                        f"**{'holds' if r['holds'] else 'does not hold'}**.\n\n![{stem}](figures/{stem}.png)\n")
    held = sum(r["holds"] for r in record["findings"])
    header = (f"# Validation: {held} of {len(record['findings'])} finding x mode hold\n\n"
              f"`{record['command']}`, validation seed {record['seed']}, {record['subjects_per_group']} subjects "
              f"per group (more where a finding asks for more: its n says); {record['date']}; {record['machine']}, "
              f"{record['workers']} workers; "
              f"{record['wall_s']:.0f} s for {record['subjects_run']} subjects"
              + (f", over {len(record['invocations'])} invocations" if len(record["invocations"]) > 1 else "")
              + ".\n\n"
              "Each finding holds when the 95% confidence interval of its effect lies wholly on the expected "
              "side of the threshold (one group: a t interval of the mean, or for a fraction of subjects the exact "
              "binomial interval; two groups: Welch's interval of the difference).\n\n")
    _write(out / FILENAME, json.dumps(record, indent=1) + "\n")
    _write(out / "report.md", header + summary_table(record) + "\n" + "\n".join(sections))


#: the lines around the generated findings table in a document (the README)
BEGIN = "<!-- findings: generated from docs/validation/*/validation.json by python -m dopasim.validation.report -->"
END = "<!-- end of findings -->"


def findings_block(records: list[dict]) -> str:
    """The generated block: the command of each validation (mode) and how many findings held, then one table
    with a row per finding and a column per mode: effect [95% CI], n, and whether it holds."""
    lines = [f"`{record['command']}` ({record['machine']}): "
             f"{sum(r['holds'] for r in record['findings'])} of {len(record['findings'])} hold.  "
             for record in records]
    modes = [record["findings"][0]["mode"] for record in records]
    rows: dict[str, dict] = {}
    for record in records:
        for r in record["findings"]:
            row = rows.setdefault(r["finding"], {"measured": r["measured"],
                                                 "expect": f"{r['expect']} {_fmt(r['threshold'])}"})
            n = "/".join(str(v) for v in r["n"].values())
            row[r["mode"]] = (f"{_fmt(r['effect'])} [{_fmt(r['ci_low'])}, {_fmt(r['ci_high'])}], n={n}"
                              f"{'' if r['holds'] else ': **does not hold**'}")
    table = ["| finding | measure | expected | " + " | ".join(modes) + " |",
             "| --- | --- | --- | " + " | ".join("---" for _ in modes) + " |"]
    table += [f"| `{name}` | `{row['measured']}` | {row['expect']} | " + " | ".join(row.get(m, "not claimed")
                                                                              for m in modes) + " |"
              for name, row in rows.items()]
    return "\n".join(lines) + "\n\n" + "\n".join(table) + "\n"


def update_document(document: Path, records: list[dict]) -> str:
    """``document``'s text with the block between :data:`BEGIN` and :data:`END` generated from ``records``."""
    text = Path(document).read_text()
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{document} has no findings block ({BEGIN} ... {END})")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{findings_block(records)}{END}{tail}"


def main(argv: list[str]) -> None:
    """``python -m dopasim.validation.report DOCUMENT VALIDATION.json ...``: regenerate DOCUMENT's block."""
    if len(argv) < 2:
        raise SystemExit("usage: python -m dopasim.validation.report DOCUMENT VALIDATION.json [VALIDATION.json ...]")
    records = [json.loads(Path(p).read_text()) for p in argv[1:]]
    _write(Path(argv[0]), update_document(Path(argv[0]), records))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
