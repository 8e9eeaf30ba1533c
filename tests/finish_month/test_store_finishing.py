"""The finishing table (schema 6): each step records its own columns and never clears another's."""

import sqlite3

import pytest

from depot_gui.store.db import Store, StoreDamaged
from depot_gui.store.schema import MIGRATIONS, statements


def test_an_old_database_gains_the_finishing_table(tmp_path):
    conn = sqlite3.connect(tmp_path / "db.sqlite3")
    for script in MIGRATIONS[:5]:
        for sql in statements(script):
            conn.execute(sql)
    conn.execute("PRAGMA user_version=5")
    conn.commit()
    conn.close()
    store = Store(tmp_path / "db.sqlite3")
    assert store.finishing.get(1) is None
    store.close()
    conn = sqlite3.connect(tmp_path / "db.sqlite3")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 6
    conn.close()


def test_each_step_keeps_the_others_record(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    f = store.finishing
    f.record_number(9, "X-1", "INV-9", "autotask")
    f.record_attachment(9, "X-1", "A-1", "Invoice_9.pdf")
    f.record_online_url(9, "X-1", "https://in.xero.com/abc")
    f.note_sent(9, None, "no email address")
    f.record_sent(9, "X-1", "mark_sent")
    row = f.get(9)
    assert (row.xero_invoice_id, row.xero_number, row.numbering) == ("X-1", "INV-9", "autotask")
    assert (row.attachment_id, row.attachment_name, row.attachment_message) == ("A-1", "Invoice_9.pdf", "")
    assert row.online_url == "https://in.xero.com/abc"
    assert (row.sent_how, row.sent_message) == ("mark_sent", "")
    assert row.attached and row.sent
    f.note_attachment(9, None, "Xero refused the file")
    assert f.get(9).attachment_id == "A-1"
    assert f.get(9).attachment_message == "Xero refused the file"
    assert list(f.all()) == [9]
    store.close()


def test_unknown_values_are_refused_and_damage_is_named(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    with pytest.raises(ValueError):
        store.finishing.record_sent(1, "X", "fax")
    with pytest.raises(ValueError):
        store.finishing.record_number(1, "X", "7", "roman")
    store.finishing.record_sent(1, "X", "email")
    with store.transaction() as c:
        c.execute("UPDATE finishing SET sent_how='pigeon'")
    with pytest.raises(StoreDamaged, match="finishing row of invoice 1"):
        store.finishing.get(1)
    store.close()


def test_a_record_for_another_document_starts_the_row_afresh(tmp_path):
    store = Store(tmp_path / "db.sqlite3")
    f = store.finishing
    f.record_attachment(9, "X-1", "A-1", "Invoice_9.pdf")
    f.record_sent(9, "X-1", "email")
    f.note_sent(9, None, "kept")  # no document named: the row stays
    assert f.get(9).sent_how == "email"
    f.record_number(9, "X-2", "INV-9", "autotask")  # ours was deleted in Xero and made again
    row = f.get(9)
    assert (row.xero_invoice_id, row.attachment_id, row.sent_how, row.sent_message, row.xero_number) == (
        "X-2", None, "", "", "INV-9")
    store.close()
