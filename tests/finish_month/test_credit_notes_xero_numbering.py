"""Credit notes under Xero's own numbering (issue 24 left this untested): created once, under a lost
answer and after the desk's database is lost, found again by the Reference they were sent with."""

from __future__ import annotations

import pytest

from depot_gui.sandbox.scale import write_scale_scenario
from tests.finish_month.test_finish_sync import open_syncer

INVOICES = ["ME-00001", "ME-00002", "ME-00003", "ME-00004"]  # credit_every=2: ME-00002 and ME-00004 are credits


def live(session, key: str) -> list[tuple[str, str]]:
    """(number, Reference) of each live document of ``key`` ("Invoices" or "CreditNotes")."""
    number = "CreditNoteNumber" if key == "CreditNotes" else "InvoiceNumber"
    return sorted((d[number], d["Reference"]) for d in session.sandbox.state()["xero"].get(key, [])
                  if d.get("Status") != "DELETED" and str(d.get("Reference", "")).startswith("Autotask invoice"))


@pytest.fixture()
def scenario(tmp_path, demo_scenario):
    return write_scale_scenario(demo_scenario, tmp_path / "s.json", 4, 2, credit_every=2, contacts_every=1)


def test_credit_notes_take_xero_s_numbers_and_autotask_s_beside_the_mark(tmp_path, scenario):
    session, syncer = open_syncer(tmp_path / "d", scenario, numbering="xero")
    with session:
        outcomes = syncer.sync(INVOICES)
        assert [o.action for o in outcomes] == ["created"] * 4
        notes = live(session, "CreditNotes")
        assert [ref for _, ref in notes] == ["Autotask invoice 400001 ME-00002", "Autotask invoice 400003 ME-00004"]
        assert [number for number, _ in notes] == ["CN-0001", "CN-0002"]
        assert [o.action for o in syncer.sync(INVOICES)] == ["unchanged"] * 4
        assert len(live(session, "CreditNotes")) == 2


@pytest.mark.parametrize("fault", [{"kind": "timeout_after_commit"}, {"kind": "partial_commit", "elements": 1}])
def test_a_lost_answer_to_the_credit_notes_put_never_makes_a_second(tmp_path, scenario, fault):
    session, syncer = open_syncer(tmp_path / "d", scenario, numbering="xero")
    with session:
        session.sandbox.add_fault({"api": "xero", "method": "PUT", "path": "/CreditNotes$", "nth": 1, **fault})
        first = syncer.sync(INVOICES)
        if not all(o.ok for o in first):
            syncer.sync(INVOICES)
        assert [ref for _, ref in live(session, "CreditNotes")] == [
            "Autotask invoice 400001 ME-00002", "Autotask invoice 400003 ME-00004"]


def test_after_the_database_is_lost_a_re_sync_finds_them_by_reference(tmp_path, scenario):
    session, syncer = open_syncer(tmp_path / "d", scenario, numbering="xero")
    with session:
        syncer.sync(INVOICES)
        before = (live(session, "Invoices"), live(session, "CreditNotes"))
    for path in (tmp_path / "d").glob("depot.sqlite3*"):  # the desk's database: the sandbox's state stays
        path.unlink()
    session, syncer = open_syncer(tmp_path / "d", scenario, numbering="xero")
    with session:
        assert session.store.invoice(400001) is None
        again = syncer.sync(INVOICES)
        assert (live(session, "Invoices"), live(session, "CreditNotes")) == before
        assert len(before[1]) == 2 and len(before[0]) == 2
        assert all(o.action != "created" for o in again)
