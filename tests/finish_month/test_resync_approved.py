"""Re-sync of an approved invoice whose content differs in Xero: said, never edited, never voided."""

from __future__ import annotations

from tests.finish_month.test_finish_sync import open_syncer
from tests.write_path.test_drafts_in_xero import editable


def test_an_approved_invoice_that_differs_is_left_and_re_sync_says_what_it_does(tmp_path, demo_scenario):
    session, syncer = open_syncer(tmp_path / "d", demo_scenario)
    with session:
        [first] = syncer.sync(["INV-5001"])
        xid = first.result.xero_invoice_id
        xero = session._conn.xero
        lines = xero.get_invoice(xid)["LineItems"]
        xero.update_invoice(xid, {"InvoiceID": xid, "LineItems": editable(lines, Quantity=20)}, "bookkeeper-edit-1")
        xero.update_invoice(xid, {"InvoiceID": xid, "Status": "AUTHORISED"}, "bookkeeper-approve-1")
        before = len(session.sandbox.state()["requests"])
        [o] = syncer.sync(["INV-5001"])
        writes = [r for r in session.sandbox.state()["requests"][before:]
                  if r["api"] == "xero" and r["method"] in ("POST", "PUT", "DELETE")]
        doc = xero.get_invoice(xid)
        url = session.store.finishing.get(5001).online_url
    assert (o.action, o.result.status) == ("refused", "synced")
    assert o.message == (
        "INV-5001 is approved in Xero with different content (Xero total AUD 1,386.00, Autotask AUD 1,633.50). Xero does "
        "not let an approved invoice's lines or total be edited, so re-sync leaves them as they are and never "
        "voids it; it still keeps its online link and attaches Autotask's PDF when that is on. If Xero is wrong, "
        "void it in Xero (or add a credit note for the difference); if Xero is right, leave it. "
        f"Online invoice: {url}")
    assert writes == []
    assert doc["Status"] == "AUTHORISED"
