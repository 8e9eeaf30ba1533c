"""Nothing the status bar says is cut off or vanishes (issue 22): the progress strip's label and the
last message are shortened with "…" at 1366 × 768, carry their whole text as a tooltip, the message
stays until the next one, and a click on it opens the log."""

from __future__ import annotations

import os

import pytest

from .conftest import demo_session, temp_qsettings, window  # noqa: F401 - the window fixtures

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
LONG = ("Checked 6 invoices against Autotask: 4 ready, 2 mismatch. Downloaded: unsynced invoices dated from "
        "1 Oct 2026 (Settings › Audit & sync sets the period).")


def _grab(widget, name: str) -> None:
    """Where DEPOT_GRAB_DIR is set, the widget as a PNG to look at (never in the repository)."""
    if os.environ.get("DEPOT_GRAB_DIR"):
        widget.grab().save(os.path.join(os.environ["DEPOT_GRAB_DIR"], name))


def test_a_long_message_is_shortened_kept_whole_in_its_tooltip_and_stays(window, qtbot):
    win = window
    win.resize(1366, 768)
    win.status.showMessage(LONG, 100)  # a timeout no longer makes it vanish
    qtbot.wait(300)
    message = win.status.message
    assert win.status.currentMessage() == LONG
    assert message.isVisible() and message.is_elided()
    assert message.toolTip().startswith(message.text() + "\n\nConnection: ")
    assert message.text().endswith(" " + LONG)  # after the time it was said
    assert message.toolTip().endswith("Click to open the log (View › Log), which keeps every message.")
    _grab(win.status, "status-1366.png")
    assert any(line.endswith("depot_gui.ui.status: " + LONG) for line in win.log_handler.lines)
    assert not win.log_dock.isVisible()
    message.clicked.emit()
    assert win.log_dock.isVisible()


def test_the_progress_label_is_shortened_with_its_whole_text_in_the_tooltip(window, qtbot):
    win = window
    win.resize(1366, 768)
    strip = win.status.progress
    strip.begin("Syncing 3 ready invoices to Xero", cancel=lambda: None)
    strip.report("INV-5003 Harbour Logistics Pty Ltd: looking the number up in Xero before sending", 1, 3)
    qtbot.waitUntil(lambda: strip.label.text().endswith("before sending"))
    whole = ("Syncing 3 ready invoices to Xero: INV-5003 Harbour Logistics Pty Ltd: looking the number up in "
             "Xero before sending")
    assert strip.label.text() == whole and strip.label.toolTip() == whole
    assert strip.label.is_elided()
    assert strip.label.width() >= 320 and strip.geometry().right() <= win.status.width()
    _grab(win.status, "progress-1366.png")
    strip.end()
