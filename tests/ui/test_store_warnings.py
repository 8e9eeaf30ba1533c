"""What opening the store could not do (today's backup) is in view in the window, not only in the log."""

from __future__ import annotations

import pytest

from depot_gui.sync.session.session import Session

from ..conftest import DEMO_PATH
from .conftest import close_window, open_window

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def test_a_backup_that_could_not_be_taken_is_in_the_banner(qtbot, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "backups").write_text("a file where the backups folder belongs")
    session = Session.open(data, DEMO_PATH)
    try:
        win = open_window(qtbot, session)
        try:
            assert win.banner.text() == (
                f"Today's backup of the local database was not taken ({data / 'backups'}: it is a file, not a "
                "folder); the database itself is fine, but repair can only go back to an older backup.")
        finally:
            close_window(qtbot, win)
    finally:
        session.close()
