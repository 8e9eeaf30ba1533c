"""Sync finishes the month on the sandbox: status on creation, Autotask's PDF attached once, the
online link kept, and no call at all for what is off or already done."""

from __future__ import annotations

import re
import threading

import pytest

from depot_gui.sync.invoices.audit import Auditor
from depot_gui.sync.invoices.syncer import Syncer
from depot_gui.sync.session.connections import sandbox_connections, scenario_connections, SANDBOX_ROOT
from depot_gui.sync.session.session import Session

FINISHING = re.compile(r"/InvoicePdf$|/Attachments|/OnlineInvoice$", re.IGNORECASE)
KINDS = [
    {"kind": "timeout_after_commit"},
    {"kind": "status", "status": 503},
    {"kind": "status", "status": 429, "retryAfter": 2},
    {"kind": "drop"},
]


def open_syncer(data_dir, scenario, **settings):
    session = Session.open(data_dir, scenario)
    for key, value in settings.items():
        session.set_setting(key, value)
    session._conn = sandbox_connections(session.sandbox, session.store, sleep=lambda s: None)
    syncer = Syncer(Auditor(session.store, session._conn), reconcile_delays=(0.0,), sleep=lambda s: None)
    return session, syncer


APPROVED = {"xero_status": "approved", "attach_autotask_pdf": "on"}


def finishing_requests(session, since=0):
    return [(r["api"], r["method"], r["path"].rsplit("/", 1)[-1] if "/Attachments/" in r["path"] else
             r["path"].rsplit("/", 1)[-1], r["status"])
            for r in session.sandbox.state()["requests"][since:] if FINISHING.search(r["path"])]


def attachment_puts(session):
    """Attachment PUTs Xero applied (answered or not)."""
    return [r for r in session.sandbox.state()["requests"]
            if r["method"] == "PUT" and "/Attachments/" in r["path"]
            and (r["status"] == 200 or r.get("fault") == "timeout_after_commit")]


def xero_invoice(session, number):
    [doc] = [i for i in session.sandbox.state()["xero"]["Invoices"] if i["InvoiceNumber"] == number]
    return doc


def test_an_approved_invoice_gets_its_pdf_and_online_link_once(tmp_path, demo_scenario):
    session, syncer = open_syncer(tmp_path / "d", demo_scenario, **APPROVED)
    with session:
        [o] = syncer.sync(["INV-5001"])
        doc = xero_invoice(session, "INV-5001")
        row = session.store.finishing.get(5001)
        assert o.action == "created"
        assert doc["Status"] == "AUTHORISED"
        assert o.message == (
            "Created in Xero as authorised invoice INV-5001 (total AUD 1,633.50). Autotask's PDF Invoice_INV-5001.pdf is "
            f"attached in Xero (shown with the online invoice). Online invoice: {row.online_url}")
        assert row.online_url.startswith("https://in.xero.com/")
        assert (row.attachment_name, row.xero_number, row.numbering) == ("Invoice_INV-5001.pdf", "INV-5001", "autotask")
        assert session.store.invoice(5001).explanation == o.message
        assert [(a, m, p, s) for a, m, p, s in finishing_requests(session)] == [
            ("autotask", "GET", "InvoicePdf", 200), ("xero", "GET", "Attachments", 200),
            ("xero", "PUT", "Invoice_INV-5001.pdf", 200), ("xero", "GET", "OnlineInvoice", 200)]
        before = len(session.sandbox.state()["requests"])
        [again] = syncer.sync(["INV-5001"])
        assert again.message == ("Already in Xero as authorised invoice INV-5001 with the same content; nothing to "
                                 "do.")
        assert finishing_requests(session, before) == []


def test_with_the_options_off_no_finishing_call_is_made(tmp_path, demo_scenario):
    session, syncer = open_syncer(tmp_path / "d", demo_scenario)
    with session:
        [o] = syncer.sync(["INV-5001"])
        assert o.message == "Created in Xero as draft invoice INV-5001 (total AUD 1,633.50)."
        assert finishing_requests(session) == []
        assert session.store.finishing.get(5001).online_url is None


def test_awaiting_approval_creates_a_submitted_invoice_with_its_link(tmp_path, demo_scenario):
    session, syncer = open_syncer(tmp_path / "d", demo_scenario, xero_status="awaiting_approval")
    with session:
        [o] = syncer.sync(["INV-5001"])
        assert xero_invoice(session, "INV-5001")["Status"] == "SUBMITTED"
        assert [r[2] for r in finishing_requests(session)] == ["OnlineInvoice"]
        assert o.message.endswith(f"Online invoice: {session.store.finishing.get(5001).online_url}")


@pytest.fixture(scope="module")
def finish_requests(tmp_path_factory, demo_scenario):
    session, syncer = open_syncer(tmp_path_factory.mktemp("probe"), demo_scenario, **APPROVED)
    with session:
        before = len(session.sandbox.state()["requests"])
        [o] = syncer.sync(["INV-5001"])
        assert o.ok
        return [(r["api"], r["method"], r["path"]) for r in session.sandbox.state()["requests"][before:]
                if FINISHING.search(r["path"])]


@pytest.mark.slow
def test_a_fault_at_every_finishing_request_never_attaches_twice(tmp_path, demo_scenario, finish_requests):
    assert len(finish_requests) == 4
    failures = []
    n = 0
    for api, method, path in finish_requests:
        for kind in KINDS:
            n += 1
            # the invoice's id differs per case: match the request by its last part
            fault = {"api": api, "method": method, "path": re.escape(path.rsplit("/", 1)[-1]) + "$", "nth": 1, **kind}
            session, syncer = open_syncer(tmp_path / f"c{n}", demo_scenario, **APPROVED)
            with session:
                session.sandbox.add_fault(fault)
                [first] = syncer.sync(["INV-5001"])
                row = session.store.finishing.get(5001)
                if not (row.attached and row.online_url):
                    syncer.sync(["INV-5001"])
                    row = session.store.finishing.get(5001)
                fired = any(r.get("fault") == kind["kind"] for r in session.sandbox.state()["requests"])
                puts = attachment_puts(session)
                if not (fired and first.ok and row.attached and row.online_url and len(puts) == 1):
                    failures.append(f"{fault}: fired={fired} puts={len(puts)} first={first.message[-160:]}")
    assert not failures, "\n".join(failures)


def test_a_crash_between_the_attachment_and_its_record_attaches_once(tmp_path, demo_scenario, monkeypatch):
    session, syncer = open_syncer(tmp_path / "d", demo_scenario, **APPROVED)
    with session:
        def power_cut(*a, **kw):
            raise SystemExit("power cut")

        monkeypatch.setattr(session.store.finishing, "record_attachment", power_cut)
        with pytest.raises(SystemExit):
            syncer.sync(["INV-5001"])
        monkeypatch.undo()
        assert session.store.finishing.get(5001).attached is False
    session, syncer = open_syncer(tmp_path / "d", demo_scenario)  # a new process
    with session:
        [o] = syncer.sync(["INV-5001"])
        assert "Autotask's PDF Invoice_INV-5001.pdf was already attached in Xero; it was not added again." in o.message
        assert session.store.finishing.get(5001).attached is True
        assert len(attachment_puts(session)) == 1


def test_a_double_click_attaches_once(tmp_path, demo_scenario):
    session, syncer = open_syncer(tmp_path / "d", demo_scenario, **APPROVED)
    with session:
        results = []
        threads = [threading.Thread(target=lambda: results.extend(syncer.sync(["INV-5001"]))) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert sorted(o.action for o in results) == ["created", "unchanged"]
        assert len(attachment_puts(session)) == 1
        assert len([r for r in finishing_requests(session) if r[2] == "OnlineInvoice"]) == 1


def test_without_the_attachments_permission_one_refusal_says_so(tmp_path, demo_scenario):
    session, syncer = open_syncer(tmp_path / "d", demo_scenario, **APPROVED)
    with session:
        sb = session.sandbox
        conn = scenario_connections(sb.scenario_path, SANDBOX_ROOT, sb.transport(), sleep=lambda s: None, sandbox=sb)
        syncer = Syncer(Auditor(session.store, conn), reconcile_delays=(0.0,), sleep=lambda s: None)
        outcomes = syncer.sync(["INV-5001", "INV-5003"])
        why = ("Autotask's PDF was not attached: Attaching files needs Xero's attachments permission "
               "(accounting.attachments): reconnect Xero in Settings › Connections and approve it. The next sync "
               "tries again.")
        assert [o.action for o in outcomes] == ["created", "created"]
        assert all(why in o.message for o in outcomes)
        assert session.store.finishing.get(5003).attachment_message == why
        # one refused listing; the second invoice costs no attachment call
        assert [r[2:] for r in finishing_requests(session) if r[2] == "Attachments"] == [("Attachments", 403)]


def test_turning_the_pdf_on_in_a_sandbox_session_signs_in_again_with_the_permission(tmp_path, demo_scenario):
    with Session.open(tmp_path / "d", demo_scenario) as session:
        session.connections()  # signed in without the attachments permission
        session.set_setting("xero_status", "approved")
        session.set_setting("attach_autotask_pdf", "on")
        [o] = session.syncer().sync(["INV-5001"])
        assert "Autotask's PDF Invoice_INV-5001.pdf is attached in Xero (shown with the online invoice)." in o.message
