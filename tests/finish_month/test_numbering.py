"""Numbering (issue 24 item 4): Autotask's number, with a prefix, or Xero's own sequence; ownership
stays on our mark, and switching schemes never renumbers what is already in Xero."""

from __future__ import annotations

import pytest

from depot_gui.core.numbering import lookup_numbers, number_to_send, reference_for, scheme_of

from depot_gui.sync.invoices.audit import Auditor
from depot_gui.sync.invoices.syncer import Syncer
from tests.finish_month.test_finish_sync import open_syncer
from tests.write_path.test_drafts_in_xero import editable


def xero_docs(session, autotask_id):
    return [i for i in session.sandbox.state()["xero"]["Invoices"]
            if str(i.get("Reference", "")).startswith(f"Autotask invoice {autotask_id}")]


def test_what_each_scheme_sends():
    assert number_to_send("AUTOTASK", "AT-", "INV-5001") == "INV-5001"
    assert number_to_send("AUTOTASK_PREFIX", "AT-", "INV-5001") == "AT-INV-5001"
    assert number_to_send("XERO", "AT-", "INV-5001") == ""
    assert reference_for("XERO", 5001, "INV-5001") == "Autotask invoice 5001 INV-5001"
    assert reference_for("AUTOTASK_PREFIX", 5001, "INV-5001") == "Autotask invoice 5001"
    assert lookup_numbers("INV-5001", "AT-INV-5001", "INV-0007") == ["AT-INV-5001", "INV-5001", "INV-0007"]
    assert lookup_numbers("INV-5001", "", None) == ["INV-5001"]
    assert scheme_of("AT-INV-5001", "INV-5001", "AT-INV-5001") == "autotask_prefix"
    assert scheme_of("INV-0001", "INV-5001", "") == "xero"


def test_a_prefix_goes_before_autotask_s_number(tmp_path, demo_scenario):
    session, syncer = open_syncer(tmp_path / "d", demo_scenario, number_prefix="AT-", numbering="autotask_prefix")
    with session:
        [o] = syncer.sync(["INV-5001"])
        assert o.message == "Created in Xero as draft invoice AT-INV-5001 (total AUD 1,633.50)."
        assert [(d["InvoiceNumber"], d["Reference"]) for d in xero_docs(session, 5001)] == [
            ("AT-INV-5001", "Autotask invoice 5001")]
        row = session.store.finishing.get(5001)
        assert (row.xero_number, row.numbering) == ("AT-INV-5001", "autotask_prefix")
        [again] = syncer.sync(["INV-5001"])
        assert again.action == "unchanged"
        assert session.store.invoice(5001).status == "synced"


def test_xero_s_own_sequence_keeps_autotask_s_number_beside_the_mark(tmp_path, demo_scenario):
    session, syncer = open_syncer(tmp_path / "d", demo_scenario, numbering="xero")
    with session:
        [o] = syncer.sync(["INV-5001"])
        [doc] = xero_docs(session, 5001)
        assert doc["Reference"] == "Autotask invoice 5001 INV-5001"
        assert doc["InvoiceNumber"] != "INV-5001"
        assert o.message == f"Created in Xero as draft invoice {doc['InvoiceNumber']} (total AUD 1,633.50)."
        assert session.store.finishing.get(5001).numbering == "xero"
        [again] = syncer.sync(["INV-5001"])
        assert again.action == "unchanged"
        assert len(xero_docs(session, 5001)) == 1


@pytest.mark.parametrize("fault", [
    {"kind": "timeout_after_commit"},
    {"kind": "partial_commit", "elements": 1},
    {"kind": "status", "status": 503},
])
def test_xero_s_own_sequence_is_created_once_under_faults(tmp_path, demo_scenario, fault):
    session, syncer = open_syncer(tmp_path / "d", demo_scenario, numbering="xero")
    with session:
        session.sandbox.add_fault({"api": "xero", "method": "PUT", "path": "/Invoices$", "nth": 1, **fault})
        [first] = syncer.sync(["INV-5001"])
        outcome = first if first.ok else syncer.sync(["INV-5001"])[0]
        assert outcome.ok
        assert len(xero_docs(session, 5001)) == 1
        assert any(r.get("fault") == fault["kind"] for r in session.sandbox.state()["requests"])


@pytest.mark.parametrize("then", [{"numbering": "autotask_prefix", "number_prefix": "AT-"}, {"numbering": "xero"}])
def test_switching_schemes_never_renumbers_what_is_in_xero(tmp_path, demo_scenario, then):
    session, syncer = open_syncer(tmp_path / "d", demo_scenario)
    with session:
        [o] = syncer.sync(["INV-5001"])
        assert o.action == "created"
        session.set_settings({k: v for k, v in then.items() if k == "number_prefix"})
        session.set_settings({k: v for k, v in then.items() if k == "numbering"})
        [again] = syncer.sync(["INV-5001"])
        assert again.action == "unchanged"
        assert [(d["InvoiceNumber"], d["Reference"]) for d in xero_docs(session, 5001)] == [
            ("INV-5001", "Autotask invoice 5001")]
        [audit] = session.auditor().audit(["INV-5001"])
        assert audit.status == "synced"


def test_an_update_after_a_switch_keeps_the_number_it_has(tmp_path, demo_scenario):
    session, syncer = open_syncer(tmp_path / "d", demo_scenario)
    with session:
        [first] = syncer.sync(["INV-5001"])
        xid = first.result.xero_invoice_id
        session.set_settings({"number_prefix": "AT-"})
        session.set_settings({"numbering": "autotask_prefix"})
        xero = session._conn.xero
        lines = xero.get_invoice(xid)["LineItems"]
        xero.update_invoice(xid, {"InvoiceID": xid, "LineItems": editable(lines, Quantity=20)}, "bookkeeper-edit-1")
        replacing = Syncer(Auditor(session.store, session._conn), replace_edits=True, reconcile_delays=(0.0,),
                           sleep=lambda s: None)
        [o] = replacing.sync(["INV-5001"])
        assert o.action == "updated"
        assert o.message.startswith("Updated the draft invoice INV-5001 in Xero (total AUD 1,633.50).")
        assert [d["InvoiceNumber"] for d in xero_docs(session, 5001)] == ["INV-5001"]


def test_a_hand_made_document_under_the_prefixed_number_is_a_conflict_and_can_be_linked(tmp_path, demo_scenario):
    from depot_gui.sync.invoices.link import Linker

    session, syncer = open_syncer(tmp_path / "d", demo_scenario, number_prefix="AT-", numbering="autotask_prefix")
    with session:
        first = syncer.sync(["INV-5001"])[0]
        xero = session._conn.xero
        xero.update_invoice(first.result.xero_invoice_id, {"InvoiceID": first.result.xero_invoice_id,
                                                           "Status": "DELETED"}, "bookkeeper-delete-1")
        contact = xero.get_invoice(first.result.xero_invoice_id)["Contact"]["ContactID"]
        hand = xero.create_invoice({"Type": "ACCREC", "Contact": {"ContactID": contact}, "InvoiceNumber": "AT-INV-5001",
                                    "Reference": "PO 7", "LineItems": [{"Description": "Seat", "Quantity": "1",
                                                                        "UnitAmount": "10.00", "AccountCode": "200"}]},
                                   "bookkeeper-made-1")
        [o] = syncer.sync(["INV-5001"])
        assert (o.action, o.result.status) == ("refused", "conflict")
        linker = Linker(session.auditor())
        linked = linker.link(linker.preview("INV-5001"))
        assert linked.xero_invoice_id == hand["InvoiceID"]
        assert xero.get_invoice(hand["InvoiceID"])["Reference"] == "Autotask invoice 5001 · PO 7"
