"""The shape of the package, read from its imports: one direction, no circles, no private names across modules.

Layers, lowest first; a module may import its own layer and the ones below, never above:
    leaves    errors, interrupts, pg.quote, pg.sqltext   (import nothing of schemakit but each other)
    schema    the model, the language, snapshots; schemakit/__init__ (the public language)
    diff      operations and the differ                    (no SQL rendering, no database)
    pg        rendering, introspection, canonical forms    (the only place SQL text is built)
    history   the migrations folder, tracking table, running files, lint
    conf      the settings and Django's connections
    api       plain functions per command over a Project
    django    commands, admin, studio, apps, checks, models, the backend, testdb
"""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "schemakit"
LEAVES = {"schemakit.errors", "schemakit.interrupts", "schemakit.pg.quote", "schemakit.pg.sqltext"}
LAYERS = ["schema", "diff", "pg", "history", "conf", "api"]


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.relative_to(PACKAGE).parts:
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(module, imported names, line) of every import in the file, function-level ones included."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else [])) if node.level else node.module
            for alias in node.names:  # `from pkg import module` imports a module
                sub = f"{target}.{alias.name}"
                out.append((sub, [], node.lineno) if sub in MODULES else (target, [alias.name], node.lineno))
        elif isinstance(node, ast.Import):
            out.extend((a.name, [], node.lineno) for a in node.names)
    return [(t, names, line) for t, names, line in out if t in MODULES and t != name]


def _layer(module: str) -> int:
    if module in LEAVES:
        return 0
    if module == "schemakit":
        return 1
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return 1 + LAYERS.index(parts[1])
    return 1 + len(LAYERS)  # the Django glue


def test_imports_point_down_the_layers():
    wrong = {f"{path.relative_to(ROOT)}:{line} ({name}) imports {target}"
             for name, path in MODULES.items() for target, _, line in _imports(name, path) if _layer(target) > _layer(name)}
    assert not wrong, "\n".join(sorted(wrong))


def test_no_private_name_crosses_a_module():
    crossing = [f"{path.relative_to(ROOT)}:{line} imports {n} from {target}"
                for name, path in MODULES.items() for target, names, line in _imports(name, path)
                for n in names if n.startswith("_") and n != "__version__"]
    assert not crossing, "\n".join(crossing)


def test_no_module_imports_in_a_circle():
    graph = {name: {t for t, _, _ in _imports(name, path)} for name, path in MODULES.items()}
    cycles, done = [], set()

    def visit(node: str, stack: list[str]) -> None:
        if node in stack:
            cycles.append(stack[stack.index(node):] + [node])
            return
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, stack + [node])
        done.add(node)

    for name in sorted(graph):
        visit(name, [])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)
