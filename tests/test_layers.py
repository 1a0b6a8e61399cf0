"""The package's shape is enforced: each stage imports only the stages before it (the import-linter contract in
pyproject.toml), and no module imports itself back through others at run time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

from tests.commands import ROOT


def test_the_layers_contract_is_kept():
    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every strongly connected group of two or more modules (Tarjan), each as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph.find_modules_directly_imported_by(module):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycles_at_run_time():
    graph = grimp.build_graph("generator", exclude_type_checking_imports=True, cache_dir=None)
    assert cycles(graph) == []


def test_a_planted_upward_import_breaks_the_contract(tmp_path):
    """The contract can fail: a copy of the package where the contract layer imports the site layer is refused."""
    import shutil
    copy = tmp_path / "repo"
    shutil.copytree(ROOT / "generator", copy / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    vocab = copy / "generator" / "contract" / "vocab.py"
    vocab.write_text(vocab.read_text(encoding="utf-8") + "\nfrom generator.site import staging  # planted\n",
                     encoding="utf-8")
    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"], cwd=copy,
                            capture_output=True, text=True, env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 1, result.stdout
    assert "generator.contract is not allowed to import generator.site" in result.stdout


STAGES = ("contract", "read", "validate", "derive", "present", "site", "app", "sample")


def test_architecture_md_names_every_module_and_only_modules_that_exist():
    """The map stays true: each stage's table row names all of its modules, and every `stage/module` it names exists."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    rows = {line.split("|")[1].strip(" `/"): line for line in text.splitlines() if line.startswith("| `")}
    import re
    for stage in STAGES:
        folder = ROOT / "generator" / stage
        modules = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
        named = set(re.findall(r"`([a-z_]+)`", rows[stage]))
        assert modules <= named, f"{stage}/ modules missing from ARCHITECTURE.md: {sorted(modules - named)}"
    for stage, module in set(re.findall(r"\b(" + "|".join(STAGES) + r")/([a-z_]+)\b", text)):
        path = ROOT / "generator" / stage / module
        assert path.with_suffix(".py").exists() or path.is_dir(), f"ARCHITECTURE.md names {stage}/{module}"
