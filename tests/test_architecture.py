"""The package's shape, checked from its source: one folder per job, imports one way, small modules.

Read with ``ast`` (nothing is imported), so a test fails on the line a newcomer would have to
untangle: an import from a lower folder to a higher one, an import circle, a private name reached
from outside its folder, or a module that has grown past the size we can read in one sitting.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from mandate_metrics.paths import PROJECT_DIR

PACKAGE = PROJECT_DIR / "src" / "mandate_metrics"
MAX_LINES = 600
LONG_ALLOWED = {"messages"}  # the English text of every message: a catalogue, not logic

# Lowest first. A module may import its own layer and the layers below it, never one above.
LAYERS: list[set[str]] = [
    {"paths", "messages", "palette", "text", "frames", "schemas", "config", "metadata", "i18n", "glyphs"},
    {"store"},
    {"loading", "auth", "sample"},
    {"figures"},
    {"upload"},
    {"narrative", "briefing", "charts"},
    {"exports"},
    {"command", "cli", "api"},
    {"ui"},
]
FOLDERS = {"store", "upload", "figures", "exports", "ui", "api"}


def _name(path: Path) -> str:
    """``store.local`` for ``src/mandate_metrics/store/local.py``; ``store`` for its ``__init__``."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """Every ``mandate_metrics`` import in ``path``: (module, names, line), lazy ones included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mandate_metrics"):
            module = node.module.removeprefix("mandate_metrics").lstrip(".")
            names = [alias.name for alias in node.names]
            if not module:  # from mandate_metrics import a, b: each name is a module
                found += [(name, [], node.lineno) for name in names]
            elif f"{module}.{names[0]}" in MODULES:  # from mandate_metrics.figures import metrics
                found += [(f"{module}.{name}", [], node.lineno) for name in names]
            else:
                found.append((module, names, node.lineno))
        elif isinstance(node, ast.Import):
            found += [
                (a.name.removeprefix("mandate_metrics."), [], node.lineno)
                for a in node.names
                if a.name.startswith("mandate_metrics.")
            ]
    return found


def _layer(module: str) -> int:
    top = module.split(".")[0]
    return next(i for i, layer in enumerate(LAYERS) if top in layer)


def test_every_module_has_a_layer() -> None:
    unplaced = {m.split(".")[0] for m in MODULES if m} - set().union(*LAYERS)
    assert not unplaced, f"place these in LAYERS (and in the README's layout): {sorted(unplaced)}"


def test_imports_run_one_way() -> None:
    upward = [
        f"{MODULES[m].relative_to(PROJECT_DIR)}:{line} imports {target} ({_layer(target)} > {_layer(m)})"
        for m in MODULES
        if m
        for target, _, line in _imports(MODULES[m])
        if _layer(target) > _layer(m)
    ]
    assert not upward, "imports from a lower layer to a higher one:\n" + "\n".join(upward)


def test_no_import_circle() -> None:
    graph = {m: {t for t, _, _ in _imports(p) if t in MODULES and t != m} for m, p in MODULES.items() if m}
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> list[str] | None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                return [*path, module, target]
            if target not in state and (circle := visit(target, [*path, module])):
                return circle
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (circle := visit(module, [])):
            pytest.fail("import circle: " + " -> ".join(circle))


def test_no_private_name_reached_from_outside_its_folder() -> None:
    """``_`` is gettext's translation function, public by convention."""
    reached = [
        f"{MODULES[m].relative_to(PROJECT_DIR)}:{line} takes {name} from {target}"
        for m in MODULES
        if m
        for target, names, line in _imports(MODULES[m])
        for name in names
        if name.startswith("_") and name != "_" and target.split(".")[0] != m.split(".")[0]
    ]
    assert not reached, "\n".join(reached)


def test_the_store_has_one_entry_point() -> None:
    """Outside ``store/``, everything comes from ``mandate_metrics.store`` itself."""
    deep = [
        f"{MODULES[m].relative_to(PROJECT_DIR)}:{line} imports {target}"
        for m in MODULES
        if m and not m.startswith("store")
        for target, _, line in _imports(MODULES[m])
        if target.startswith("store.")
    ]
    assert not deep, "\n".join(deep)


def test_old_module_names_are_gone() -> None:
    old = ["store", "stores", "s3_store", "store_copy", "upload_reading", "cells", "validation"]
    old += ["publishing", "record", "metrics", "funding", "disclosure", "currency"]
    left = [f"{name}.py" for name in old if (PACKAGE / f"{name}.py").exists()]
    assert not left, f"moved into store/, upload/ or figures/ and must not come back: {left}"


def test_each_folder_says_what_it_is_for() -> None:
    for folder in FOLDERS:
        docstring = ast.get_docstring(ast.parse((PACKAGE / folder / "__init__.py").read_text()))
        assert docstring and len(docstring.split()) >= 12, f"{folder}/__init__.py needs a docstring"


def test_modules_stay_readable() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for m, p in MODULES.items()
        if m not in LONG_ALLOWED and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines (split them by task): {long}"
