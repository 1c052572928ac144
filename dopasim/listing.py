"""``dopasim list``: tasks, presets and diseases; a task's parameters; every region type and rule.

Nothing here imports Brian2, so a listing answers at once.
"""

from __future__ import annotations


def _list_params(task_name: str) -> None:
    from dopasim.experiment import configure

    the_task, graph, _, _ = configure(task_name)
    scopes = [("task", the_task.params), ("reference", the_task.reference_params),
              ("decision", the_task.decision_params)]
    print(f"{task_name}: {the_task.summary}; circuit {graph.name} (its parameters: dopasim config show "
          f"{task_name})")
    for scope, params in scopes:
        _print_params(scope, params)


def _print_params(scope: str, params: dict, indent: str = "  ") -> None:
    for name, p in params.items():
        allowed = ", ".join(map(str, p.choices)) if p.choices else (
            p.range_text() if p.kind in (int, float) else p.kind.__name__)
        print(f"{indent}{scope}.{name:<28} {p.default!s:<10} [{allowed}]  {p.help}")


def _list_building_blocks(which: str) -> None:
    """Every region type (``regions``) or plasticity rule (``rules``) with its parameters."""
    if which == "regions":
        from dopasim.circuits.regions import REGIONS

        for name, region in REGIONS.items():
            role = "input" if region.is_input else f"{region.kind} population"
            print(f"{name} ({role}): {region.summary}")
            _print_params("circuit.REGION", region.params)
        return
    from dopasim.circuits.rules import BUILDERS  # noqa: F401 (the built-in rules' builders registered)
    from dopasim.models.plasticity import RULES

    for name, rule in RULES.items():
        print(f"{name} ({' and '.join(rule.modes)} mode{'s' if len(rule.modes) > 1 else ''}"
              f"{'; needs a dopamine projection into its target' if rule.dopamine_gated else ''}): {rule.summary}")
        _print_params("circuit.PROJECTION", rule.params)


def _list_findings() -> None:
    """Every finding ``dopasim validate`` tests: its claim, paper, protocol and expectation."""
    from dopasim.validation import FINDINGS

    for name, f in FINDINGS.items():
        groups = f.group if f.against is None else f"{f.group} vs {f.against}"
        print(f"{name}  [{', '.join(f.modes)}; task {f.task}, {groups}]\n    {f.claim} ({f.paper})\n"
              f"    {f.measured()} expected {f.expect} {f.threshold:g}")


def print_listing(task: str | None = None) -> None:
    """What ``dopasim list [TASK | regions | rules | findings]`` prints."""
    if task in ("regions", "rules"):
        return _list_building_blocks(task)
    if task == "findings":
        return _list_findings()
    if task is not None:
        return _list_params(task)
    from dopasim.circuits.diseases import DISEASES
    from dopasim.circuits.presets import PRESETS
    from dopasim.tasks import TASKS, GymTask

    print("tasks:")
    for name, task in TASKS.items():
        print(f"  {name:<24} {task.summary} [{task.default_trials} {task.unit}, circuit {task.default_circuit}]")
    print(f"  {'gym:ENV_ID':<24} {GymTask.summary} [{GymTask.default_trials} episodes, "
          f"circuit {GymTask.default_circuit}]")
    print("circuit presets:")
    for name, (_, summary) in PRESETS.items():
        print(f"  {name:<24} {summary}")
    print("diseases:")
    for name, found in DISEASES.items():
        note = f" [not yet: {found.unavailable}]" if found.unavailable else ""
        print(f"  {name:<24} {found.mechanism} ({found.paper}){note}")
