"""A bookkeeper deletes or edits our draft in Xero: the next sync says what Xero holds, never more.

Why 1 and 2 of the write-path issue: a re-sync after a deletion reported "Created" while Xero
replayed the old answer; a re-sync after a hand edit reported "Updated" while Xero kept the edit.
"""

from __future__ import annotations

import json

from depot_gui.cli import main as cli

from .wire import live, open_desk


def bookkeeper(session, invoice_id: str, change: dict, key: str) -> dict:
    """The bookkeeper's own change in Xero: ``POST /Invoices/{id}`` (as Xero's web app does)."""
    return session.connections().xero.update_invoice(invoice_id, {"InvoiceID": invoice_id, **change}, key)


def editable(lines: list[dict], **first) -> list[dict]:
    """Xero's lines as a bookkeeper sends them back, the first one changed."""
    keep = ("Description", "Quantity", "UnitAmount", "AccountCode", "TaxType")
    out = [{k: ln[k] for k in keep if k in ln} for ln in lines]
    out[0].update(first)
    return out


def test_a_resync_after_the_draft_was_deleted_makes_one_new_draft_and_says_so(tmp_path, demo_scenario):
    s, wire = open_desk(tmp_path / "d", demo_scenario)
    with s:
        [first] = s.syncer().sync(["INV-5001"])
        old_id = first.result.xero_invoice_id
        bookkeeper(s, old_id, {"Status": "DELETED"}, "bookkeeper-delete-1")
        [again] = s.syncer().sync(["INV-5001"])
        docs = live(s, "INV-5001")
        keys = [p.headers["idempotency-key"] for p in wire.puts()]
        row = s.store.invoice_by_number("INV-5001")
    assert again.action == "created"
    assert again.message == ("Created in Xero as draft invoice INV-5001 (total AUD 1,633.50). It replaces the earlier "
                             "draft, which was deleted in Xero.")
    assert len(docs) == 1 and docs[0]["InvoiceID"] != old_id and docs[0]["Status"] == "DRAFT"
    assert row.status == "synced" and row.xero_invoice_id == docs[0]["InvoiceID"]
    assert len(keys) == 2 and keys[0] != keys[1]  # a new intent: the old answer is never replayed


def test_a_draft_edited_in_xero_is_left_as_it_is_twice_and_the_edit_is_named(tmp_path, demo_scenario):
    s, wire = open_desk(tmp_path / "d", demo_scenario)
    with s:
        [first] = s.syncer().sync(["INV-5001"])
        xid = first.result.xero_invoice_id
        lines = s.connections().xero.get_invoice(xid)["LineItems"]
        bookkeeper(s, xid, {"LineItems": editable(lines, Quantity=20)}, "bookkeeper-edit-1")
        [once] = s.syncer().sync(["INV-5001"])
        bookkeeper(s, xid, {"LineItems": editable(lines, Quantity=21)}, "bookkeeper-edit-2")
        [twice] = s.syncer().sync(["INV-5001"])
        held = [ln["Quantity"] for ln in s.connections().xero.get_invoice(xid)["LineItems"]]
        posts = [p for p in wire.sent if p.method == "POST" and p.headers.get("idempotency-key", "").startswith("depot")]
    assert (once.action, twice.action) == ("refused", "refused")
    assert once.message.startswith("INV-5001 was edited in Xero since it was synced: line 1 quantity: Xero 20, "
                                   "Autotask 25. Depot GUI left the Xero draft as it is.")
    assert twice.message.startswith("INV-5001 was edited in Xero since it was synced: line 1 quantity: Xero 21, "
                                    "Autotask 25.")
    assert "Updated" not in once.message + twice.message
    assert held[0] == 21.0 and posts == []  # nothing of ours was written over the edit
    assert once.result.status == "synced"


def test_the_audit_names_each_difference_of_an_edited_draft(tmp_path, demo_scenario):
    s, _ = open_desk(tmp_path / "d", demo_scenario)
    with s:
        [first] = s.syncer().sync(["INV-5001"])
        xid = first.result.xero_invoice_id
        lines = s.connections().xero.get_invoice(xid)["LineItems"]
        bookkeeper(s, xid, {"LineItems": editable(lines, Quantity=20, UnitAmount=40)}, "edit-1")
        [audited] = s.auditor().audit(["INV-5001"])
    assert audited.extra["xero_differences"] == [
        {"line": 1, "field": "quantity", "xero": "20", "autotask": "25"},
        {"line": 1, "field": "unit price", "xero": "40", "autotask": "45"},
    ]
    assert audited.extra["edited_in_xero"] is True
    assert ("The draft was edited in Xero since it was synced, and differs from Autotask: line 1 quantity: Xero 20, "
            "Autotask 25; line 1 unit price: Xero 40, Autotask 45.") in audited.explanation


def test_sync_replace_edits_writes_autotask_lines_over_the_edit(tmp_path, demo_scenario, capsys):
    data = tmp_path / "d"
    base = ["--data-dir", str(data), "--sandbox", str(demo_scenario)]
    assert cli([*base, "sync", "INV-5001", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    s, _ = open_desk(data, demo_scenario)
    with s:
        xid = row["xero_invoice_id"]
        lines = s.connections().xero.get_invoice(xid)["LineItems"]
        bookkeeper(s, xid, {"LineItems": editable(lines, Quantity=20)}, "edit-1")
    assert cli([*base, "sync", "INV-5001", "--json"]) == 1
    [left] = json.loads(capsys.readouterr().out)
    assert left["status"] == "synced" and "was edited in Xero since it was synced" in left["explanation"]
    assert cli([*base, "sync", "INV-5001", "--replace-edits", "--json"]) == 0
    [replaced] = json.loads(capsys.readouterr().out)
    s, _ = open_desk(data, demo_scenario)
    with s:
        held = [ln["Quantity"] for ln in s.connections().xero.get_invoice(xid)["LineItems"]]
    assert replaced["explanation"].startswith("Updated the draft invoice INV-5001 in Xero (total AUD 1,633.50).")
    assert held == [25.0, 2.0]


def test_a_draft_changed_only_in_autotask_is_updated_without_asking(tmp_path, demo_scenario):
    s, _ = open_desk(tmp_path / "d", demo_scenario)
    with s:
        s.syncer().sync(["INV-5001"])
        item = next(b for b in s.sandbox.state()["autotask"]["entities"]["BillingItems"] if b["invoiceID"] == 5001)
        s.sandbox.mutate_autotask("BillingItems", item["id"], {"description": "Renamed in Autotask"})
        [o] = s.syncer().sync(["INV-5001"])
        [doc] = live(s, "INV-5001")
    assert o.action == "updated"
    assert doc["LineItems"][0]["Description"] == "Managed Workstations x 25 - Renamed in Autotask"


def test_replacing_edits_twice_writes_autotask_lines_both_times(tmp_path, demo_scenario):
    """Why 2: the second replace after a second edit must not get the first update's answer back."""
    s, wire = open_desk(tmp_path / "d", demo_scenario)
    with s:
        [first] = s.syncer().sync(["INV-5001"])
        xid = first.result.xero_invoice_id
        actions, held = [], []
        for n, quantity in enumerate((20, 20), 1):
            s.sandbox.advance_clock(60)
            lines = s.connections().xero.get_invoice(xid)["LineItems"]
            bookkeeper(s, xid, {"LineItems": editable(lines, Quantity=quantity)}, f"bookkeeper-edit-{n}")
            s.sandbox.advance_clock(60)
            [o] = s.syncer(replace_edits=True).sync(["INV-5001"])
            actions.append(o.action)
            held.append(s.connections().xero.get_invoice(xid)["LineItems"][0]["Quantity"])
        keys = [p.headers["idempotency-key"] for p in wire.sent if p.method == "POST"
                and p.headers.get("idempotency-key", "").startswith("depot-upd-")]
    assert actions == ["updated", "updated"]
    assert held == [25.0, 25.0]
    assert len(keys) == 2 and keys[0] != keys[1]


def test_another_desk_resyncing_after_the_deletion_makes_one_new_draft(tmp_path, demo_scenario):
    """Desk B never sent INV-5001: its first send is a new intent only because Xero shows our deleted draft."""
    a, _ = open_desk(tmp_path / "a", demo_scenario)
    with a:
        [first] = a.syncer().sync(["INV-5001"])
        bookkeeper(a, first.result.xero_invoice_id, {"Status": "DELETED"}, "bookkeeper-delete-1")
        b, wire = open_desk(tmp_path / "b", demo_scenario, sandbox=a.sandbox)
        with b:
            [again] = b.syncer().sync(["INV-5001"])
        docs = live(a, "INV-5001")
    assert again.action == "created" and again.message.endswith(
        "It replaces the earlier draft, which was deleted in Xero.")
    assert len(docs) == 1 and docs[0]["InvoiceID"] == again.result.xero_invoice_id != first.result.xero_invoice_id
    assert len(wire.puts()) == 1


def test_an_update_without_an_answer_is_not_claimed_and_the_next_sync_reads_it_again(tmp_path, demo_scenario):
    s, wire = open_desk(tmp_path / "d", demo_scenario)
    with s:
        s.syncer().sync(["INV-5001"])
        item = next(b for b in s.sandbox.state()["autotask"]["entities"]["BillingItems"] if b["invoiceID"] == 5001)
        s.sandbox.mutate_autotask("BillingItems", item["id"], {"description": "Renamed in Autotask"})
        s.sandbox.add_fault({"api": "xero", "method": "POST", "path": "/Invoices/", "nth": 1,
                             "kind": "timeout_after_commit"})
        [lost] = s.syncer().sync(["INV-5001"])
        [again] = s.syncer().sync(["INV-5001"])
        posts = [p for p in wire.sent if p.method == "POST"]
    assert (lost.action, lost.result.status) == ("failed", "synced")
    assert lost.message.startswith("Xero could not confirm whether it took the update of INV-5001 (")
    assert lost.message.endswith("Nothing more was sent. Press Re-sync: it reads the draft in Xero again first.")
    assert "Updated" not in lost.message
    assert again.action == "unchanged" and len(posts) == 1  # it had landed: nothing sent again
