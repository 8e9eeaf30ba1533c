"""Recovery in batches, each desk's own history, and what counts as ours and as success.

Why 4-6 of the write-path issue: 196 pending intents were resolved one at a time (416 Xero
calls); desk B reported "created" for every invoice desk A had made.
"""

from __future__ import annotations

from collections import Counter

import pytest

from depot_gui.core.ownership import is_ours
from depot_gui.core.written import answer_problem
from depot_gui.sandbox.scale import write_scale_scenario

from .wire import open_desk


def numbers(n: int) -> list[str]:
    return [f"ME-{k:05d}" for k in range(1, n + 1)]


def test_200_pending_intents_reconcile_in_at_most_15_xero_calls(tmp_path, demo_scenario, monkeypatch):
    scenario = write_scale_scenario(demo_scenario, tmp_path / "s.json", 200, 40, credit_every=0)
    data = tmp_path / "d"
    s, wire = open_desk(data, scenario)
    with s:
        # The process dies right after each of Xero's answers, before anything of it is recorded:
        # 200 intents stay open, 200 documents are in Xero.
        for name in ("finish",):
            monkeypatch.setattr(s.store.attempts, name, lambda *a, **k: None)
        monkeypatch.setattr(s.store, "mark_synced", lambda *a, **k: None)
        monkeypatch.setattr(s.store, "set_status", lambda *a, **k: None)
        s.syncer().sync(numbers(200))
        monkeypatch.undo()
        assert Counter(a.state for a in s.store.attempts.all()) == {"intent": 200}
    s, wire = open_desk(data, scenario)
    with s:
        outcomes = s.syncer().sync(numbers(200))
        calls = [f"{x.method} {x.resource.split('/')[0]}" for x in wire.sent]
        states = Counter(a.state for a in s.store.attempts.all())
        held = Counter(d["InvoiceNumber"] for d in s.sandbox.state()["xero"]["Invoices"])
    assert Counter(o.action for o in outcomes) == {"created": 200}
    assert len(calls) <= 15, calls
    assert not [c for c in calls if not c.startswith("GET")]  # nothing sent again
    assert states == {"created": 200}  # this desk's history: its own creates, confirmed
    assert set(held.values()) == {1} and len(held) == 200


def test_each_desk_reports_only_what_it_created(tmp_path, demo_scenario):
    scenario = write_scale_scenario(demo_scenario, tmp_path / "s.json", 8, 2, credit_every=0, contacts_every=1)
    a, _ = open_desk(tmp_path / "a", scenario)
    with a:
        first = a.syncer().sync(numbers(4))
        b, _ = open_desk(tmp_path / "b", scenario, sandbox=a.sandbox)  # the same Xero organisation
        with b:
            second = b.syncer().sync(numbers(8))
            b_history = [(x.invoice_number, x.state) for x in b.store.attempts.all()]
        again = a.syncer().sync(numbers(4))
    assert [o.action for o in first] == ["created"] * 4
    assert [o.action for o in second] == ["found"] * 4 + ["created"] * 4
    assert second[0].message.startswith("Found in Xero as draft invoice ME-00001")
    assert second[0].message.endswith("created by another desk; nothing was sent from this one.")
    assert b_history == [(n, "found") for n in numbers(8)[:4]] + [(n, "created") for n in numbers(8)[4:]]
    assert [o.action for o in again] == ["unchanged"] * 4


@pytest.mark.parametrize("reference, ours", [
    ("Autotask invoice 5001", True),
    ("Autotask invoice 5001 · PO 12", True),
    ("  Autotask invoice 5001", True),
    ("PO 12 · Autotask invoice 5001", False),
    ("Re: Autotask invoice 5001", False),
    ("Autotask invoice 50011", False),
    ("Autotask invoice 500", False),
    ("", False),
])
def test_the_mark_counts_only_at_the_start_of_the_reference(reference, ours):
    assert is_ours({"Reference": reference}, 5001) is ours


SENT = {"InvoiceNumber": "INV-5001", "LineItems": [
    {"Description": "Seats", "Quantity": "2.0000", "UnitAmount": "45.0000", "AccountCode": "200", "TaxType": "OUTPUT"}]}
ANSWER = {"InvoiceID": "a1", "InvoiceNumber": "INV-5001", "Reference": "Autotask invoice 5001", "Status": "DRAFT",
          "LineItems": [{"Description": "Seats", "Quantity": 2.0, "UnitAmount": 45.0, "AccountCode": "200",
                         "TaxType": "OUTPUT", "LineAmount": 90.0}]}


@pytest.mark.parametrize("change, problem", [
    ({}, ""),
    ({"Status": "DELETED"}, "Xero shows the document as deleted"),
    ({"Status": "VOIDED"}, "Xero shows the document as voided"),
    ({"Reference": "PO 1 Autotask invoice 5001"}, "its Reference does not start with 'Autotask invoice 5001'"),
    ({"InvoiceNumber": "INV-5001-A"}, "Xero holds it under the number INV-5001-A, not INV-5001"),
    ({"LineItems": [dict(ANSWER["LineItems"][0], Quantity=3.0)]}, "its lines are not the lines that were sent"),
])
def test_an_answer_counts_only_when_it_shows_what_was_sent(change, problem):
    assert answer_problem({**ANSWER, **change}, SENT, 5001) == problem


def test_a_replayed_answer_naming_a_deleted_document_is_never_success():
    assert answer_problem(ANSWER, SENT, 5001, gone_ids=("a1",)) == (
        "Xero answered with a document that was deleted since (an earlier answer, replayed)")
