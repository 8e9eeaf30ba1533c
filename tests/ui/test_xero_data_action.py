"""File › Read Xero data afresh at next refresh: the window forgets the Xero data kept on this computer."""

from __future__ import annotations

import pytest

from depot_gui.sync.maintenance.forget_xero_cache import forget_xero_data

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def test_the_file_menu_action_forgets_the_cached_xero_data_and_says_so(window, qtbot):
    store = window.session.store
    store.xero_cache.forget()  # a known cache: what the window's first refresh kept is replaced
    store.xero_cache.put("tenant-a", "account", {"a1": {"Code": "200"}, "a2": {"Code": "260"}})
    file_menu = window.menuBar().actions()[0].menu()
    assert window.xero_data.act_forget in file_menu.actions()
    assert window.xero_data.act_forget.text() == "Read Xero data &afresh at next refresh"
    window.xero_data.act_forget.trigger()
    qtbot.waitUntil(lambda: window.status.currentMessage().startswith("Forgot"), timeout=10000)
    assert window.status.currentMessage() == (
        "Forgot the Xero data kept on this computer (2 records); the next refresh reads it afresh.")
    assert store.xero_cache.rows("tenant-a", "account") == {}
    assert forget_xero_data(store).line() == ("No Xero data was kept on this computer; the next audit reads accounts, "
                                              "tax rates, contacts and document numbers from Xero as usual.")


def test_the_action_waits_for_a_running_refresh(window, qtbot, monkeypatch):
    from depot_gui.ui.ops import workers

    store = window.session.store
    forget = store.xero_cache.forget
    running_when_forgetting = []  # how many background operations run while the cache is forgotten
    monkeypatch.setattr(store.xero_cache, "forget", lambda: running_when_forgetting.append(len(workers._RUNNING)) or forget())
    assert window.ops.refresh(quiet=True)
    window.xero_data.act_forget.trigger()
    assert not window.xero_data.act_forget.isEnabled()
    qtbot.waitUntil(lambda: not window.ops.busy and window.xero_data.act_forget.isEnabled(), timeout=30000)
    assert running_when_forgetting == [1]  # itself only: after the refresh and the payments check it queued
