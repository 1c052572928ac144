"""The documentation cannot drift from the code: every declared parameter is in the generated reference, every
task and circuit has its page with the fixed sections, the public API has numpydoc docstrings, and the README's
generated blocks are what the committed results say."""

import inspect
import re
from pathlib import Path

import pytest
from numpydoc.docscrape import ClassDoc, FunctionDoc

import dopasim
from dopasim import reference
from dopasim.circuits.diseases import DISEASES
from dopasim.circuits.graph import DOPAMINE_PARAMS, PROJECTION_PARAMS
from dopasim.circuits.presets import ARGUMENTS, PRESETS
from dopasim.circuits.regions import REGIONS
from dopasim.models.plasticity import RULES
from dopasim.tasks import TASKS, GymTask

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
TASK_SECTIONS = ["What it models", "Trial structure", "Circuit", "Parameters", "Measures", "Figures",
                 "What holds in each mode", "Known limits"]
CIRCUIT_SECTIONS = ["What it models", "Regions and projections", "Parameters", "Tasks", "What holds in each mode",
                    "Known limits"]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reference")
    reference.write_reference(folder, ROOT)
    return {p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*.md")}


def rows_of(text: str) -> set[str]:
    """The first cell of every table row: the names a page documents."""
    return {m.group(1) for m in re.finditer(r"^\| `([^`]+)` \|", text, re.M)}


def test_every_parameter_of_every_region_type_rule_and_projection_is_in_the_reference(pages):
    regions = pages["regions.md"]
    for name, region in REGIONS.items():
        section = regions.split(f"## `{name}`\n", 1)[1].split("\n## ", 1)[0]
        assert set(region.params) <= rows_of(section), name
    rules = pages["rules.md"]
    assert set(PROJECTION_PARAMS) | set(DOPAMINE_PARAMS) <= rows_of(rules)
    for name, rule in RULES.items():
        section = rules.split(f"## Rule `{name}`\n", 1)[1].split("\n## ", 1)[0]
        assert set(rule.params) <= rows_of(section), name


def test_every_parameter_of_every_task_is_in_the_reference_and_on_its_page(pages):
    for name, task in [*TASKS.items(), ("gym", GymTask)]:
        declared = {f"task.{p}" for p in task.params} | {f"reference.{p}" for p in task.reference_params} | {
            f"decision.{p}" for p in task.decision_params}
        assert declared <= rows_of(pages[f"snippets/task-{name}-params.md"]), name
        section = pages["tasks.md"].split(f"## `{task.name if name != 'gym' else 'gym:ENV_ID'}`\n", 1)[1]
        assert declared <= rows_of(section.split("\n## ", 1)[0]), name


def test_every_preset_argument_and_setting_and_every_disease_record_is_in_the_reference(pages):
    for name in PRESETS:
        section = pages["snippets/circuit-" + name + ".md"]
        arguments = {a for a, *_ in reference.preset_arguments(name)}
        assert arguments <= rows_of(section), name
        assert arguments <= set(ARGUMENTS), f"{name}: arguments without a meaning in presets.ARGUMENTS"
        assert {f"{where}.{key}" for where, key, _, _ in reference.preset_settings(name)} <= rows_of(section)
        graph = dopasim.make_circuit(name)
        assert set(graph.regions()) | set(graph.projection_names()) <= rows_of(section), name
        assert f"## `{name}`" in pages["presets.md"]
    for name, found in DISEASES.items():
        section = pages["diseases.md"].split(f"## `{name}`\n", 1)[1].split("\n## ", 1)[0]
        for record in found.lesions:
            for key, value in record.items():
                assert f"`{value}`" in section, (name, key)


def test_every_command_of_the_command_line_is_in_the_reference(pages):
    for command in ("run", "config", "study", "sweep", "validate", "list"):
        assert f"## `dopasim {command}`" in pages["cli.md"]
    assert "--lesion-levels" in pages["cli.md"] and "--scheduler" in pages["cli.md"]


def sections(page: Path) -> list[str]:
    return re.findall(r"^## (.+)$", page.read_text(), re.M)


@pytest.mark.parametrize("name", [*TASKS, "gym"])
def test_every_task_has_its_page_with_the_fixed_sections(name):
    page = DOCS / "tasks" / f"{name}.md"
    assert sections(page) == TASK_SECTIONS
    text = page.read_text()
    for part in ("params", "figures", "findings"):
        assert f"snippets/task-{name}-{part}.md" in text
    assert f"]({name}.md)" in (DOCS / "tasks" / "index.md").read_text()


@pytest.mark.parametrize("name", PRESETS)
def test_every_circuit_has_its_page_with_the_fixed_sections(name):
    page = DOCS / "circuits" / f"{name}.md"
    assert sections(page) == CIRCUIT_SECTIONS
    assert f"snippets/circuit-{name}.md" in page.read_text()
    assert f"]({name}.md)" in (DOCS / "circuits" / "index.md").read_text()


def documented_api() -> list:
    """Every function and class the API page documents (with the members of those it shows with :members:)."""
    import importlib

    text = (DOCS / "reference" / "api.md").read_text()
    found = []
    pattern = r"^\.\. auto(function|class|exception|module):: (\S+)\n((?:   :members:.*\n)?)"
    for kind, path, members in re.findall(pattern, text, re.M):
        module, _, name = path.rpartition(".")
        if kind == "module":
            mod = importlib.import_module(path)
            if members:
                found += [obj for n, obj in vars(mod).items() if not n.startswith("_")
                          and (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == path
                          or n in getattr(mod, "__all__", ()) and inspect.isfunction(obj)]
            continue
        obj = getattr(importlib.import_module(module), name)
        found.append(obj)
        if kind == "class" and members:
            shown = [m.strip() for m in members.partition(":members:")[2].split(",") if m.strip()]
            found += [f for n, f in vars(obj).items() if not n.startswith("_") and inspect.isfunction(f)
                      and f.__name__ == n and (not shown or n in shown)]
    return found


def test_the_api_page_shows_every_public_name():
    text = (DOCS / "reference" / "api.md").read_text()
    for name in dopasim.__all__:
        obj = getattr(dopasim, name)
        if inspect.isfunction(obj) or inspect.isclass(obj):
            assert re.search(rf"auto\w+:: dopasim\.(\w+\.)*{name}\b", text), name


def numpydoc_problems(obj) -> list[str]:
    """What a public function or class lacks of a numpydoc docstring: a summary, and every parameter described."""
    where = f"{obj.__module__}.{obj.__qualname__}"
    doc = inspect.getdoc(obj)
    if not doc:
        return [f"{where}: no docstring"]
    parsed = ClassDoc(obj, config={"show_class_members": False}) if inspect.isclass(obj) else FunctionDoc(obj)
    problems = [] if parsed["Summary"] else [f"{where}: no one-line summary"]
    if inspect.isclass(obj) and not dataclass_like(obj):
        return problems
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        names = [p for p in inspect.signature(target).parameters if p not in ("self", "cls")]
    except (TypeError, ValueError):
        return problems
    described = {n.strip() for p in parsed["Parameters"] + parsed["Other Parameters"] for n in p.name.split(",")}
    described |= {n.lstrip("*") for n in described}
    missing = [n for n in names if n not in described and n.lstrip("*") not in described]
    if inspect.isclass(obj) and dataclass_like(obj):
        attributes = {n.strip() for a in parsed["Attributes"] for n in a.name.split(",")}
        missing = [n for n in missing if n not in attributes]
    if missing:
        problems.append(f"{where}: parameters not described: {', '.join(missing)}")
    return problems


def dataclass_like(cls) -> bool:
    return "__dataclass_fields__" in vars(cls)


def test_every_public_function_and_class_has_a_numpydoc_docstring():
    problems = [p for obj in documented_api() for p in numpydoc_problems(obj)]
    assert not problems, "\n".join(problems)


def test_the_readme_speed_block_is_generated_from_the_committed_benchmarks():
    readme = ROOT / "README.md"
    assert reference.update_speed(readme) == readme.read_text(), "regenerate: python -m dopasim.reference README.md"


def test_the_readme_is_short():
    assert len((ROOT / "README.md").read_text().splitlines()) <= 200
