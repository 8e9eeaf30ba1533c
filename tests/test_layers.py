"""The layers as docs/ARCHITECTURE.md draws them, checked on every import in depot_gui.

Every ``import`` counts: module-level, inside functions, under ``if TYPE_CHECKING``.
``from depot_gui.x import y`` counts as an import of the module ``depot_gui.x.y`` when y is one.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "depot_gui"

# A row per package and per root module: what of ours it may import besides itself.
# "depot_gui" is the root package's __init__.py (the version). Imports point one way:
# ui/cli -> sync -> core/autotask/xero/store; app.py starts the window.
LAYERS = {
    "core": set(),
    "autotask": {"core"},
    "xero": {"core"},
    "store": {"core", "depot_gui"},
    # The sandbox stands in for Autotask and Xero: it computes Xero's maths on its own
    # (sandbox/xero/...), so a bug in the app's core.money cannot agree with itself.
    "sandbox": set(),
    "sync": {"core", "autotask", "xero", "store", "sandbox", "depot_gui"},  # sandbox: sync/session only (below)
    "cli": {"core", "autotask", "xero", "store", "sync", "depot_gui"},  # + ui.reports.pdf, lazily (below)
    "ui": {"core", "autotask", "xero", "store", "sync", "depot_gui"},
    "app.py": {"ui", "sync", "store", "core", "depot_gui"},
    "__init__.py": set(),
}

# Third-party packages each may import (anything else must be the standard library).
THIRD_PARTY = {
    "core": set(),
    "autotask": {"httpx2"},
    "xero": {"httpx2"},
    "store": {"keyring", "platformdirs"},
    "sandbox": {"httpx2"},
    "sync": {"httpx2"},
    "cli": set(),
    "ui": {"PySide6", "shiboken6"},
    "app.py": {"PySide6", "shiboken6"},
    "__init__.py": set(),
}

# Only the session (the composition root) picks the sandbox over the real services.
SANDBOX_USERS = ("sync/session/",)

# Deliberate exception: `depot-sync report --pdf` prints through Qt (the only PDF writer without a
# new dependency), so cli/report.py may load exactly this UI module, and only inside a function
# (lazily), so every other command stays free of Qt.
CLI_UI_IMPORTS = {("cli/report.py", "depot_gui.ui.reports.pdf")}

# core is pure: no I/O, no clock, no randomness (they are passed in).
CORE_FORBIDDEN_MODULES = {
    "os", "io", "pathlib", "shutil", "tempfile", "glob", "socket", "ssl", "select", "selectors", "sqlite3",
    "subprocess", "http", "urllib.request", "asyncio", "threading", "multiprocessing", "logging",
    "time", "random", "secrets", "uuid",
}
CORE_FORBIDDEN_BUILTINS = {"open", "print", "input"}
CORE_CLOCK_CALLS = {"now", "utcnow", "today"}  # datetime.now(), datetime.utcnow(), date.today(), datetime.today()

MAX_LINES = 400

# Exceptions to the rules above, each with who removes it; empty: main keeps every rule. The tests fail
# on anything new and on a line here that is no longer true (delete it then).
ALLOWED_CYCLES: set[tuple[str, str]] = set()  # (importer, imported): the import that closes a circle
ALLOWED_VIOLATIONS: set[str] = set()  # problem lines as test_layers_import_one_way prints them
ALLOWED_LONG: set[str] = set()  # modules over MAX_LINES, path under depot_gui/
ALLOWED_PRIVATE: set[str] = set()  # private names imported from another module, as the test prints them


@dataclass(frozen=True)
class Import:
    module: str  # dotted name as written (relative ones resolved)
    lazy: bool  # inside a function: runs when called, not when the module loads
    line: int


def rel(path: Path) -> str:
    return path.relative_to(PKG).as_posix()


def module_name(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def from_module(path: Path, node: ast.ImportFrom) -> str:
    """The module a ``from ... import`` reads from, a relative one resolved against ``path``."""
    if not node.level:
        return node.module or ""
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    base = ".".join(parts[: -node.level])
    return f"{base}.{node.module}" if node.module else base


@lru_cache(maxsize=None)
def parsed(text: str, filename: str = "<unknown>") -> ast.Module:
    """``text``'s syntax tree, parsed once per test process (every test here walks the whole package; the
    trees are only read)."""
    return ast.parse(text, filename=filename)


def imports(path: Path, text: str | None = None, modules: set[str] | None = None) -> list[Import]:
    """Every import in ``path`` (``text`` stands in for its content when given).

    ``from a.b import c`` gives ``a.b.c`` when that is one of ``modules`` (default: every module of depot_gui),
    else ``a.b`` (the name is an attribute of it).
    """
    modules = all_modules() if modules is None else modules
    tree = parsed(path.read_text() if text is None else text, str(path))
    found: list[Import] = []

    def visit(node: ast.AST, lazy: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = lazy or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend(Import(a.name, lazy, child.lineno) for a in child.names)
            elif isinstance(child, ast.ImportFrom):
                module = from_module(path, child)
                subs = [f"{module}.{a.name}" for a in child.names if f"{module}.{a.name}" in modules]
                if len(subs) < len(child.names):
                    found.append(Import(module, lazy, child.lineno))
                found.extend(Import(sub, lazy, child.lineno) for sub in subs)
            visit(child, inner)

    visit(tree, False)
    return found


def all_files(extra: dict[Path, str] | None = None) -> dict[Path, str]:
    """Every module of depot_gui with its text; ``extra`` adds or replaces files (the probes)."""
    files = {f: f.read_text() for f in sorted(PKG.rglob("*.py"))}
    files.update(extra or {})
    return files


def all_modules(files: dict[Path, str] | None = None) -> set[str]:
    return {module_name(f) for f in (files if files is not None else sorted(PKG.rglob("*.py")))}


def row_of(path: Path) -> str:
    """The LAYERS row a file belongs to: its top package, or the root module's file name."""
    return path.relative_to(PKG).parts[0]


def target_of(module: str) -> str | None:
    """The LAYERS name of one of our modules (``depot_gui`` for the root package), None when not ours."""
    parts = module.split(".")
    if parts[0] != "depot_gui":
        return None
    if len(parts) == 1:
        return "depot_gui"
    return parts[1] if (PKG / parts[1]).is_dir() else f"{parts[1]}.py"


def core_calls(text: str) -> list[str]:
    """The clock and I/O calls in a core module's text: open(), print(), datetime.now(), date.today()..."""
    found = []
    for node in ast.walk(parsed(text)):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Name) and f.id in CORE_FORBIDDEN_BUILTINS:
            found.append(f"{f.id}()")
        elif isinstance(f, ast.Attribute) and f.attr in CORE_CLOCK_CALLS:
            base = ast.unparse(f.value)
            if base.split(".")[-1] in ("datetime", "date"):
                found.append(f"{base}.{f.attr}()")
    return found


def layer_problems(files: dict[Path, str]) -> list[str]:
    modules = all_modules() | {module_name(f) for f in files}
    problems = []
    for f, text in files.items():
        row, where = row_of(f), rel(f)
        for imp in imports(f, text, modules):
            target = target_of(imp.module)
            top = imp.module.split(".")[0]
            if target is None:
                if top not in sys.stdlib_module_names and top not in THIRD_PARTY[row]:
                    problems.append(f"{where}: {row} must not import {imp.module} (third party)")
                if row == "core" and (top in CORE_FORBIDDEN_MODULES or imp.module in CORE_FORBIDDEN_MODULES):
                    problems.append(f"{where}: core must stay free of I/O, the clock and randomness ({imp.module})")
                continue
            if target == row or target in LAYERS[row]:
                if target == "sandbox" and row != "sandbox" and not where.startswith(SANDBOX_USERS):
                    problems.append(f"{where}: only {', '.join(SANDBOX_USERS)} may import the sandbox ({imp.module})")
                continue
            if (where, imp.module) in CLI_UI_IMPORTS:
                if not imp.lazy:
                    problems.append(f"{where}: imports {imp.module} when it loads (it must be inside the function)")
                continue
            problems.append(f"{where}: {row} must not import {imp.module}")
        if row == "core":
            problems.extend(f"{where}: core must not call {call} (the clock and I/O are passed in)"
                            for call in core_calls(text))
    return problems


def module_graph(files: dict[Path, str]) -> dict[str, set[str]]:
    """Module -> the modules of depot_gui it imports (every import, function-level ones included)."""
    modules = all_modules(files)
    graph = {}
    for f, text in files.items():
        name = module_name(f)
        graph[name] = {i.module for i in imports(f, text, modules) if i.module in modules and i.module != name}
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """The graph's circles: its strongly connected parts of two or more modules (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    parts: list[set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                part = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    part.add(member)
                    if member == node:
                        break
                if len(part) > 1:
                    parts.append(part)
    return parts


def a_cycle(graph: dict[str, set[str]], part: set[str]) -> list[str]:
    """One circle through the first module of ``part``, shortest first: [a, b, ..., a]."""
    start = min(part)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & part):
            if child == start:
                return paths[node] + [start]
            if child not in paths:
                paths[child] = paths[node] + [child]
                queue.append(child)
    raise AssertionError(f"no circle through {start}")


def cycles(graph: dict[str, set[str]], allowed: set[tuple[str, str]] = frozenset()) -> list[str]:
    """Each circle left once the ``allowed`` imports are taken out, as 'a -> b -> a'."""
    pruned = {m: {t for t in targets if (m, t) not in allowed} for m, targets in graph.items()}
    return sorted(" -> ".join(a_cycle(pruned, part)) for part in strongly_connected(pruned))


def private_imports(files: dict[Path, str]) -> list[str]:
    """``from depot_gui.x import _name``: another module's private name (dunders like __version__ are not);
    a private module (``_mapping.py``) is its package's own: only imported from outside the package counts."""
    modules = all_modules() | {module_name(f) for f in files}
    found = []
    for f, text in files.items():
        package = module_name(f).rpartition(".")[0] if f.name != "__init__.py" else module_name(f)
        for node in ast.walk(parsed(text)):
            if not isinstance(node, ast.ImportFrom):
                continue
            module = from_module(f, node)
            if not module.startswith("depot_gui"):
                continue
            for a in node.names:
                private = a.name.startswith("_") and not a.name.startswith("__")
                if private and not (f"{module}.{a.name}" in modules and module == package):
                    found.append(f"{rel(f)}: {a.name} from {module}")
    return sorted(set(found))


def long_modules(files: dict[Path, str]) -> list[str]:
    return sorted(f"{rel(f)}: {len(text.splitlines())} lines" for f, text in files.items()
                  if len(text.splitlines()) > MAX_LINES)


# ---------------------------------------------------------------------------------------------- tests
def test_every_package_and_root_module_has_a_row():
    tops = {p.name for p in PKG.iterdir() if (p.is_dir() and (p / "__init__.py").exists()) or p.suffix == ".py"}
    assert tops == set(LAYERS) == set(THIRD_PARTY)


def test_layers_import_one_way():
    problems = layer_problems(all_files())
    new = [p for p in problems if p not in ALLOWED_VIOLATIONS]
    assert not new, "\n".join(new)
    gone = sorted(ALLOWED_VIOLATIONS - set(problems))
    assert not gone, "fixed on main: delete from ALLOWED_VIOLATIONS:\n" + "\n".join(gone)


def test_no_import_circle():
    graph = module_graph(all_files())
    found = cycles(graph, ALLOWED_CYCLES)
    assert not found, "import circles (every import counts, function-level ones too):\n" + "\n".join(found)
    in_circles = {m for part in strongly_connected(graph) for m in part}
    gone = sorted(f"{a} -> {b}" for a, b in ALLOWED_CYCLES
                  if b not in graph.get(a, ()) or not {a, b} <= in_circles)
    assert not gone, "no longer a circle: delete from ALLOWED_CYCLES:\n" + "\n".join(gone)


def test_no_module_over_400_lines():
    found = long_modules(all_files())
    new = [f for f in found if f.split(":")[0] not in ALLOWED_LONG]
    assert not new, "\n".join(new)
    gone = sorted(ALLOWED_LONG - {f.split(":")[0] for f in found})
    assert not gone, "now short enough: delete from ALLOWED_LONG:\n" + "\n".join(gone)


def test_no_private_name_imported_from_another_module():
    found = private_imports(all_files())
    new = [f for f in found if f not in ALLOWED_PRIVATE]
    assert not new, "\n".join(new)
    gone = sorted(ALLOWED_PRIVATE - set(found))
    assert not gone, "fixed on main: delete from ALLOWED_PRIVATE:\n" + "\n".join(gone)


def test_cli_loads_the_pdf_writer_lazily():
    lazy = [i for i in imports(PKG / "cli" / "report.py") if i.module == "depot_gui.ui.reports.pdf"]
    assert lazy and all(i.lazy for i in lazy)
    probe = PKG / "cli" / "report.py"
    text = probe.read_text() + "\nfrom depot_gui.ui.reports.pdf import write_pdf\n"
    problem = "cli/report.py: imports depot_gui.ui.reports.pdf when it loads (it must be inside the function)"
    assert problem in layer_problems({probe: text})


def test_sandbox_imports_nothing_of_the_app():
    """The sandbox is a second, independent implementation of Xero and Autotask: it imports nothing
    of depot_gui outside depot_gui/sandbox (core.money included), whichever import form is used."""
    for f in (PKG / "sandbox").rglob("*.py"):
        outside = sorted(i.module for i in imports(f)
                         if i.module.startswith("depot_gui") and not i.module.startswith("depot_gui.sandbox"))
        assert not outside, f"{f} imports {outside}"
    probe = PKG / "sandbox" / "probe.py"
    for form in ("from depot_gui.core.money import round2", "from depot_gui import core", "from .. import core",
                 "from ..core.money import round2", "import depot_gui.core.money"):
        assert any(i.module.startswith("depot_gui.core") for i in imports(probe, form)), form
        assert "sandbox/probe.py: sandbox must not import" in "\n".join(layer_problems({probe: form})), form


DOC_PATH = re.compile(r"`(?:depot_gui/)?((?:core|autotask|xero|store|sync|sandbox|ui|cli)/[\w/.]*)`|`depot_gui/(\w+\.py)`")


def missing_doc_paths(text: str) -> list[str]:
    """The module and folder paths a document names (``sync/invoices/audit.py``, ``ui/window/``) that do not exist."""
    return sorted({m for pair in DOC_PATH.findall(text) for m in pair if m and not (PKG / m).exists()})


def test_the_docs_name_modules_that_exist():
    root = PKG.parent
    for doc in ("docs/ARCHITECTURE.md", "README.md"):
        assert missing_doc_paths((root / doc).read_text()) == [], doc


# ---------------------------------------------------------------------------------------------- probes
def test_probe_a_new_circle_is_found_and_named():
    a, b = PKG / "core" / "probe_a.py", PKG / "core" / "probe_b.py"
    files = all_files({a: "from depot_gui.core import probe_b\n",  # the submodule, not the package
                       b: "def late():\n    from . import probe_a\n"})  # inside a function: counts too
    assert cycles(module_graph(files), ALLOWED_CYCLES) == [
        "depot_gui.core.probe_a -> depot_gui.core.probe_b -> depot_gui.core.probe_a"]
    c = PKG / "ui" / "probe_c.py"  # three modules, one import only under TYPE_CHECKING
    files = all_files({a: "import depot_gui.core.probe_b\n", b: "from depot_gui.ui.probe_c import X\n",
                       c: "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..core.probe_a import Y\n"})
    assert cycles(module_graph(files), ALLOWED_CYCLES) == [
        "depot_gui.core.probe_a -> depot_gui.core.probe_b -> depot_gui.ui.probe_c -> depot_gui.core.probe_a"]


def test_probe_a_module_over_400_lines_is_found():
    probe = PKG / "sync" / "probe.py"
    assert long_modules({probe: "x = 1\n" * 400}) == []
    assert long_modules({probe: "x = 1\n" * 401}) == ["sync/probe.py: 401 lines"]


def test_probe_a_stale_path_in_the_docs_is_found():
    text = "`sync/invoices/audit.py`, `depot_gui/ui/window/`, `sync/batch.py` and `depot_gui/cli.py`"
    assert missing_doc_paths(text) == ["cli.py", "sync/batch.py"]
    assert missing_doc_paths("`depot_gui/sync/engine.py` (`core/money.py`)") == ["sync/engine.py"]


def test_probe_layer_rules():
    cases = [
        ("core/probe.py", "from datetime import datetime\nstamp = datetime.now()\n",
         "core/probe.py: core must not call datetime.now() (the clock and I/O are passed in)"),
        ("core/probe.py", "import random\n", "core/probe.py: core must stay free of I/O, the clock and randomness (random)"),
        ("core/probe.py", "def f():\n    from uuid import uuid4\n",
         "core/probe.py: core must stay free of I/O, the clock and randomness (uuid)"),
        ("sync/invoices/probe.py", "from depot_gui.sandbox import Sandbox\n",
         "sync/invoices/probe.py: only sync/session/ may import the sandbox (depot_gui.sandbox)"),
        ("sandbox/probe.py", "import keyring\n", "sandbox/probe.py: sandbox must not import keyring (third party)"),
        ("xero/probe.py", "import httpx\n", "xero/probe.py: xero must not import httpx (third party)"),  # httpx2 now
        ("sync/probe.py", "def f():\n    from depot_gui.ui.window import banner\n",
         "sync/probe.py: sync must not import depot_gui.ui.window.banner"),
        ("cli/probe.py", "import PySide6.QtCore\n", "cli/probe.py: cli must not import PySide6.QtCore (third party)"),
        ("store/probe.py", "from depot_gui.sync import session\n",
         "store/probe.py: store must not import depot_gui.sync.session"),
    ]
    for path, text, problem in cases:
        assert problem in layer_problems({PKG / path: text}), text
