"""One version everywhere: pyproject.toml's, shown by both commands, the log's first line, About."""

from __future__ import annotations

import logging
import tomllib

import pytest

from depot_gui import __version__, cli
from depot_gui.store.logs import configure_file_log
from depot_gui.store.paths import paths_for

from .conftest import REPO

PYPROJECT_VERSION = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_package_version_is_pyprojects():
    assert __version__ == PYPROJECT_VERSION


def test_depot_sync_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"depot-sync {PYPROJECT_VERSION}\n"


def test_depot_gui_version(capsys):
    from depot_gui import app

    with pytest.raises(SystemExit) as exit_:
        app.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"depot-gui {PYPROJECT_VERSION}\n"


def test_log_first_line_names_the_version(tmp_path):
    handler = configure_file_log(paths_for(tmp_path / "d"))
    try:
        logging.getLogger("depot_gui").warning("later line")
        handler.flush()
        lines = (tmp_path / "d" / "logs" / "depot.log").read_text(encoding="utf-8").splitlines()
    finally:
        logging.getLogger("depot_gui").removeHandler(handler)
        handler.close()
    assert f" INFO depot_gui: Depot GUI {PYPROJECT_VERSION} started (Python package; Python " in lines[0]
    assert lines[1].endswith("WARNING depot_gui: later line")
