"""The import direction is part of the design: ui -> sync -> core/clients/store; core is pure."""

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "depot_gui"

ALLOWED = {
    "core": {"core"},
    "autotask": {"core", "autotask"},
    "xero": {"core", "xero"},
    "store": {"core", "store"},
    # The sandbox stands in for Autotask and Xero: it computes Xero's maths on its own
    # (sandbox/xero_numbers.py), so a bug in the app's core.money cannot agree with itself.
    "sandbox": {"sandbox"},
    "sync": {"core", "autotask", "xero", "store", "sandbox", "sync"},
}
NO_IO_IN_CORE = {"socket", "sqlite3", "httpx", "httpx2", "requests", "urllib.request", "subprocess", "keyring", "platformdirs"}


def imports(path: Path, text: str | None = None) -> set[str]:
    """Modules ``path`` imports (``text`` stands in for its content when given), relative ones resolved."""
    tree = ast.parse(path.read_text() if text is None else text, filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = path.relative_to(PKG.parent).with_suffix("").parts
                base = ".".join(parts[: -node.level])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            if module == "depot_gui":  # ``from depot_gui import core`` / ``from .. import core``: the subpackage
                found.update(f"depot_gui.{a.name}" for a in node.names
                             if (PKG / a.name).is_dir() or (PKG / f"{a.name}.py").exists())
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


# Deliberate exception: `depot-sync report --pdf` prints through Qt (the only PDF writer without a
# new dependency), so cli/report.py may load exactly this UI module, and only inside a function (lazily),
# so every other command stays free of Qt.
CLI_UI_IMPORTS = {"depot_gui.ui.reports.pdf"}


def test_nothing_imports_ui():
    for f in PKG.rglob("*.py"):
        if "ui" in f.relative_to(PKG).parts or f.name == "app.py":
            continue
        allowed = CLI_UI_IMPORTS if f == PKG / "cli" / "report.py" else set()
        for mod in imports(f):
            assert not mod.startswith("depot_gui.ui") or mod in allowed, f"{f} imports the UI ({mod})"


def test_cli_loads_the_pdf_renderer_lazily():
    tree = ast.parse((PKG / "cli" / "report.py").read_text())
    top = {a.name for n in tree.body if isinstance(n, ast.Import) for a in n.names}
    top |= {n.module for n in tree.body if isinstance(n, ast.ImportFrom) and n.module}
    assert not {m for m in top if m.startswith(("depot_gui.ui", "PySide6"))}


def test_sandbox_imports_nothing_of_the_app():
    """The sandbox is a second, independent implementation of Xero and Autotask: it imports nothing
    of depot_gui outside depot_gui/sandbox (core.money included), whichever import form is used."""
    for f in (PKG / "sandbox").rglob("*.py"):
        outside = sorted(m for m in imports(f) if m.startswith("depot_gui.") and not m.startswith("depot_gui.sandbox"))
        assert not outside, f"{f} imports {outside}"
    probe = PKG / "sandbox" / "probe.py"
    for form in ("from depot_gui.core.money import round2", "from depot_gui import core", "from .. import core",
                 "from ..core.money import round2", "import depot_gui.core.money"):
        assert any(m.startswith("depot_gui.core") for m in imports(probe, form)), form
