"""The import direction is part of the design: ui -> sync -> core/clients/store; core is pure."""

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "depot_gui"

ALLOWED = {
    "core": {"core"},
    "autotask": {"core", "autotask"},
    "xero": {"core", "xero"},
    "store": {"core", "store"},
    "sandbox": {"core", "sandbox"},
    "sync": {"core", "autotask", "xero", "store", "sandbox", "sync"},
}
NO_IO_IN_CORE = {"socket", "sqlite3", "httpx", "requests", "urllib.request", "subprocess", "keyring", "platformdirs"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                base = ".".join(path.relative_to(PKG.parent).with_suffix("").parts[: -node.level])
                found.add(f"{base}.{node.module}")
            else:
                found.add(node.module)
    return found


def test_layers_import_one_way():
    problems = []
    for layer, allowed in ALLOWED.items():
        for f in (PKG / layer).rglob("*.py"):
            for mod in imports(f):
                if mod.startswith("PySide6"):
                    problems.append(f"{f}: imports Qt ({mod})")
                if mod.startswith("depot_gui."):
                    target = mod.split(".")[1]
                    if target not in allowed and target not in ("__init__",) and not target.startswith("_"):
                        problems.append(f"{f}: {layer} must not import {mod}")
                if layer == "core" and mod.split(".")[0] in {m.split(".")[0] for m in NO_IO_IN_CORE}:
                    problems.append(f"{f}: core must stay free of I/O ({mod})")
    assert not problems, "\n".join(problems)


def test_nothing_imports_ui():
    for f in PKG.rglob("*.py"):
        if "ui" in f.relative_to(PKG).parts or f.name == "app.py":
            continue
        for mod in imports(f):
            assert not mod.startswith("depot_gui.ui"), f"{f} imports the UI ({mod})"
