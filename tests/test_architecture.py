"""The import direction between imi_lib's groups, read from the source with `ast`.

    core        imports no other group (libraries only)
    data        core
    training    core
    evaluation  core, training (model loading, prompts)
    kfp         everything above (components, the pipeline, the local run, submit)
    imi_lib.cli everything (it dispatches the commands)

Nothing but kfp and the CLI imports kfp, so a stage never depends on the
orchestrator that runs it. Every import counts, including the lazy ones inside
functions and `importlib.import_module("imi_lib....")` with a literal name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "imi_lib"
GROUPS = ("core", "data", "training", "evaluation", "kfp")
ALLOWED: dict[str, set[str]] = {
    "core": {"core"},
    "data": {"core", "data"},
    "training": {"core", "training"},
    "evaluation": {"core", "training", "evaluation"},
    "kfp": {"core", "data", "training", "evaluation", "kfp"},
    "cli": set(GROUPS),
    "package": set(),  # imi_lib/__init__.py: the version, nothing that pulls a group in
}


def group_of(path: Path, package: Path) -> str:
    parts = path.relative_to(package).parts
    if parts[0] in GROUPS:
        return parts[0]
    if parts == ("cli.py",):
        return "cli"
    if parts == ("__init__.py",):
        return "package"
    return "unknown"


def imported_modules(path: Path, root: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) for every import in `path`, relative ones resolved against `root`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                found.append((node.lineno, _resolve_relative(path, root, node.level, node.module)))
            elif node.module:
                found.append((node.lineno, node.module))
                # `from imi_lib import data` imports the group itself
                if node.module == "imi_lib":
                    found += [(node.lineno, f"imi_lib.{alias.name}") for alias in node.names]
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str) and _is_import_call(node.func)):
            found.append((node.lineno, node.args[0].value))
    return found


def _is_import_call(func: ast.expr) -> bool:
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in ("import_module", "__import__")


def _resolve_relative(path: Path, root: Path, level: int, module: str | None) -> str:
    here = list(path.relative_to(root).parent.parts)  # the package the file is in (its own, for __init__.py)
    base = here[: len(here) - (level - 1)]
    return ".".join(base + ([module] if module else []))


def violations(package: Path) -> list[str]:
    out = []
    for path in sorted(package.rglob("*.py")):
        group = group_of(path, package)
        for line, module in imported_modules(path, package.parent):
            parts = module.split(".")
            if parts[0] != "imi_lib" or len(parts) < 2:
                continue
            target = parts[1] if parts[1] in GROUPS else ("cli" if parts[1] == "cli" else None)
            if target is None:
                continue
            if group == "unknown" or target not in ALLOWED[group]:
                out.append(f"{path.relative_to(package.parent)}:{line}: {group} imports {module}")
    return out


def test_imi_lib_has_exactly_the_groups_the_cli_and_the_sample_data():
    tops = sorted(p.name for p in PACKAGE.iterdir() if p.suffix == ".py" or (p / "__init__.py").is_file())
    assert tops == sorted(["__init__.py", "cli.py", "sample_data", *GROUPS])
    # sample_data is package data (the hub mirror and PDFs `imi run` uses), not code
    assert [p.name for p in (PACKAGE / "sample_data").rglob("*.py")] == ["__init__.py"]


def test_every_group_says_what_lives_there_and_what_it_may_import():
    for group in GROUPS:
        doc = ast.get_docstring(ast.parse((PACKAGE / group / "__init__.py").read_text(encoding="utf-8")))
        first = (doc or "").splitlines()[0] if doc else ""
        assert first.startswith(f"{group}: ") and "import" in first.lower(), \
            f"imi_lib/{group}/__init__.py: the docstring's first line says what the group is and what it may import"


def test_imports_between_groups_follow_the_architecture():
    assert violations(PACKAGE) == []


def test_the_top_level_entry_points_only_reach_into_kfp():
    for top in ("components", "pipelines"):
        for path in sorted((ROOT / top).rglob("*.py")):
            for line, module in imported_modules(path, ROOT):
                parts = module.split(".")
                if parts[0] == "imi_lib":
                    assert parts[:2] == ["imi_lib", "kfp"], f"{path.relative_to(ROOT)}:{line} imports {module}"


def test_every_command_is_a_stage_module_the_cli_dispatches_the_same_way():
    """typed config dataclass, add_arguments(parser), main(args), run(config): read from the source, so
    checking costs no import of torch or kfp."""
    from imi_lib import cli

    for name, (module, _help) in cli.COMMANDS.items():
        path = ROOT / (module.replace(".", "/") + ".py")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {n.name: [a.arg for a in n.args.args] for n in tree.body if isinstance(n, ast.FunctionDef)}
        configs = [n.name for n in tree.body if isinstance(n, ast.ClassDef) and n.name.endswith("Config")
                   and any(getattr(d, "id", getattr(getattr(d, "func", None), "id", None)) == "dataclass"
                           for d in n.decorator_list)]
        assert configs, f"imi {name}: {module} declares no @dataclass ...Config"
        assert functions.get("add_arguments") == ["parser"], f"imi {name}: add_arguments(parser)"
        assert functions.get("main") == ["args"], f"imi {name}: main(args)"
        assert len(functions.get("run", [])) == 1, f"imi {name}: run(config)"
    assert "inspect" not in (PACKAGE / "cli.py").read_text()  # no signature sniffing: one way to dispatch


def test_the_checker_catches_a_wrong_way_import(tmp_path):
    """The rule above passes only if the checker can fail: plant each kind of wrong import."""
    package = tmp_path / "imi_lib"
    for group in GROUPS:
        (package / group).mkdir(parents=True)
        (package / group / "__init__.py").write_text('"""A group; may import core."""\n')
    (package / "__init__.py").write_text("")
    (package / "data" / "prepare.py").write_text("def f():\n    from imi_lib.training import train\n")
    (package / "core" / "storage.py").write_text("from ..data import prepare\n")
    (package / "training" / "train.py").write_text(
        "import importlib\nimportlib.import_module('imi_lib.kfp.pipeline')\nfrom imi_lib.core import config\n")
    (package / "evaluation" / "evaluate.py").write_text("from imi_lib import data\nfrom imi_lib.training import train\n")
    found = violations(package)
    assert found == [
        "imi_lib/core/storage.py:1: core imports imi_lib.data",
        "imi_lib/data/prepare.py:2: data imports imi_lib.training",
        "imi_lib/evaluation/evaluate.py:1: evaluation imports imi_lib.data",
        "imi_lib/training/train.py:2: training imports imi_lib.kfp.pipeline",
    ]


def test_every_data_file_of_the_package_is_in_its_wheel():
    # the images install the package from its wheel (images/Dockerfile: `pip install /tmp/src`), where only files
    # that pyproject's package-data names exist: a gazetteer left out makes every patient record of `imi prepare` fail
    import tomllib

    patterns = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["package-data"]["imi_lib"]
    packaged = {p for pattern in patterns for p in PACKAGE.glob(pattern) if p.is_file()}
    data = {p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
            and "__pycache__" not in p.parts}
    assert (PACKAGE / "data" / "names" / "first_names.txt.gz") in data
    assert data <= packaged, sorted(str(p.relative_to(PACKAGE)) for p in data - packaged)
