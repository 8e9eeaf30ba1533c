"""The one write path in batches: what each PUT carries, asserted on the bodies the app sent.

Why 7 of the write-path issue: the batch path's behaviours were alive under mutation because no
test looked at a PUT's body or synced more than 4 invoices.
"""

from __future__ import annotations

import json
from collections import Counter

import httpx2
import pytest

from depot_gui.sandbox.scale import write_scale_scenario

from .wire import open_desk


def numbers(n: int) -> list[str]:
    return [f"ME-{k:05d}" for k in range(1, n + 1)]


def copies(session) -> Counter:
    return Counter(d["InvoiceNumber"] for d in session.sandbox.state()["xero"]["Invoices"] if d["Status"] != "DELETED")


@pytest.fixture(scope="module")
def scale(tmp_path_factory, demo_scenario):
    folder = tmp_path_factory.mktemp("scale")

    def make(n: int, **kw):
        kw.setdefault("credit_every", 0)
        kw.setdefault("contacts_every", 1)  # every company has its contact: no contact PUT
        return write_scale_scenario(demo_scenario, folder / f"s{n}-{len(kw)}.json", n, 4, **kw)
    return make


def test_120_invoices_go_in_three_puts_of_50_50_and_20(tmp_path, scale):
    s, wire = open_desk(tmp_path / "d", scale(120))
    with s:
        outcomes = s.syncer().sync(numbers(120))
        found = copies(s)
    assert [len(p.body["Invoices"]) for p in wire.puts()] == [50, 50, 20]
    assert wire.puts()[2].numbers == numbers(120)[100:]
    assert Counter(o.action for o in outcomes) == {"created": 120}
    assert set(found.values()) == {1} and len(found) == 120


def test_a_partial_commit_of_3_of_10_is_followed_by_a_put_of_the_7_missing(tmp_path, scale):
    """Xero commits the first 3 of a PUT of 10, then the answer is lost: the next PUT carries the other 7."""
    s, wire = open_desk(tmp_path / "d", scale(10))
    with s:
        s.sandbox.add_fault({"api": "xero", "method": "PUT", "path": "/Invoices$", "nth": 1,
                             "kind": "partial_commit", "elements": 3})
        outcomes = s.syncer().sync(numbers(10))
        found = copies(s)
        logged = [r.get("elements") for r in s.sandbox.state()["requests"]
                  if r["method"] == "PUT" and r["path"].endswith("/Invoices")]
    puts = wire.puts()
    assert [p.numbers for p in puts] == [numbers(10), numbers(10)[3:]]
    assert logged == [10, 7]
    assert puts[0].headers["idempotency-key"] != puts[1].headers["idempotency-key"]
    assert [o.action for o in outcomes] == ["created"] * 10
    assert found == Counter({n: 1 for n in numbers(10)})


def foreign(number: str) -> dict:
    return {"Type": "ACCREC", "InvoiceNumber": number, "Contact": {"Name": "Walk-in"}, "Reference": "PO 77",
            "LineItems": [{"Description": "x", "Quantity": 1, "UnitAmount": 5, "AccountCode": "200"}]}


def test_a_foreign_document_under_a_number_is_never_in_a_put_body(tmp_path, scale):
    """ME-00002 is another app's before the audit; ME-00003 becomes another app's between the audit and the write."""
    s, wire = open_desk(tmp_path / "d", scale(4))
    with s:
        xero = s.connections().xero
        xero.bulk.create_invoices([foreign("ME-00002")], "another-app-1")
        syncer = s.syncer()
        real = syncer._sync_many

        def another_app_meanwhile(ready, outcomes):
            xero.bulk.create_invoices([foreign("ME-00003")], "another-app-2")
            return real(ready, outcomes)

        syncer._sync_many = another_app_meanwhile
        outcomes = {o.result.invoice_number: o for o in syncer.sync(numbers(4))}
    assert [p.numbers for p in wire.puts()] == [["ME-00001", "ME-00004"]]
    assert [(outcomes[n].action, outcomes[n].result.status) for n in ("ME-00002", "ME-00003")] == [
        ("refused", "conflict"), ("refused", "conflict")]


def test_must_be_unique_in_a_batch_ours_is_found_and_a_foreign_one_is_a_conflict(tmp_path, scale):
    """Right before the PUT lands, another desk creates ME-00002 (our mark) and another app ME-00003."""
    s, wire = open_desk(tmp_path / "d", scale(4))

    def others_first(request: httpx2.Request) -> None:
        body = json.loads(request.content)["Invoices"]
        ours = next(d for d in body if d["InvoiceNumber"] == "ME-00002")
        theirs = dict(next(d for d in body if d["InvoiceNumber"] == "ME-00003"), Reference="PO 9")
        answer = wire.side_request(request, {"Invoices": [ours, theirs]}, "other-writers-1")
        assert answer.status_code == 200

    wire.before_put = others_first
    with s:
        outcomes = {o.result.invoice_number: o for o in s.syncer().sync(numbers(4))}
        found = copies(s)
    assert [outcomes[n].action for n in numbers(4)] == ["created", "found", "refused", "created"]
    assert outcomes["ME-00002"].message.startswith("Found in Xero as draft invoice ME-00002")
    assert "created by another desk" in outcomes["ME-00002"].message
    assert outcomes["ME-00002"].result.status == "synced"
    assert outcomes["ME-00003"].result.status == "conflict"
    assert outcomes["ME-00003"].message.startswith("Not synced: Xero already has draft invoice ME-00003")
    assert [p.numbers for p in wire.puts()] == [numbers(4)]  # one PUT: nothing re-sent
    assert found == Counter({n: 1 for n in numbers(4)})


def test_a_failed_look_up_is_not_not_found_nothing_is_resent(tmp_path, scale):
    """The batch's answer is lost and every look-up after it answers 503: the invoice stays unknown."""
    s, wire = open_desk(tmp_path / "d", scale(3))

    def lose_the_answer_and_every_look_up(request: httpx2.Request) -> None:
        s.sandbox.add_fault({"api": "xero", "method": "PUT", "path": "/Invoices$", "nth": 1,
                             "kind": "timeout_after_commit"})
        s.sandbox.add_fault({"api": "xero", "method": "GET", "path": "/(Invoices|CreditNotes)$", "nth": 1,
                             "times": 10000, "kind": "status", "status": 503})

    wire.before_put = lose_the_answer_and_every_look_up
    with s:
        outcomes = s.syncer().sync(numbers(3))
        found = copies(s)
        rows = [s.store.invoice_by_number(n).status for n in numbers(3)]
    assert len(wire.puts()) == 1
    assert [o.action for o in outcomes] == ["failed"] * 3
    assert outcomes[0].message.startswith(
        "Xero could not confirm whether it holds ME-00001 (Xero did not answer the write, and looking it up failed: ")
    assert outcomes[0].message.endswith(
        "Nothing more was sent. Press Re-sync: it looks ME-00001 up in Xero again first and sends it only if Xero "
        "does not have it.")
    assert "did not find" not in outcomes[0].message
    assert rows == ["error"] * 3
    assert found == Counter({n: 1 for n in numbers(3)})
