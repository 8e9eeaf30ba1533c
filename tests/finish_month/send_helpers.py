"""A demo data dir with approved invoices in Xero, and contacts given email addresses, for the send tests."""

from __future__ import annotations

from depot_gui.sync.invoices.audit import Auditor
from depot_gui.sync.invoices.syncer import Syncer
from depot_gui.sync.sending.sender import Sender
from depot_gui.sync.session.connections import sandbox_connections
from depot_gui.sync.session.session import Session


def open_session(data_dir, scenario) -> Session:
    session = Session.open(data_dir, scenario)
    session._conn = sandbox_connections(session.sandbox, session.store, sleep=lambda s: None)
    return session


def approved(session: Session, numbers: list[str], status: str = "approved") -> None:
    """Sync ``numbers`` into Xero with the given status on creation; send_from_xero email."""
    session.set_settings({"xero_status": status, "send_from_xero": "email", "service_adjustments": "on"})
    outcomes = Syncer(Auditor(session.store, session.connections()), reconcile_delays=(0.0,),
                      sleep=lambda s: None).sync(numbers)
    assert all(o.ok for o in outcomes), [o.message for o in outcomes]


def give_email(session: Session, name: str, address: str, persons: list[dict] | None = None) -> None:
    """Set a Xero contact's email address (and contact persons) through the Xero API."""
    x = session.connections().xero
    contact = next(c for c in x.get("Contacts", "Contacts") if c["Name"] == name)
    body = {"ContactID": contact["ContactID"], "EmailAddress": address}
    if persons is not None:
        body["ContactPersons"] = persons
    x.call("POST", "Contacts", body={"Contacts": [body]}, idempotency_key=f"test-email-{contact['ContactID']}")


def sender(session: Session) -> Sender:
    return Sender(session.store, session.connections, reread_delays=(0.0,), sleep=lambda s: None)


def emails(session: Session) -> list[tuple[str, list[str]]]:
    """(invoice number, addresses) of every invoice email the sandbox's Xero sent, oldest first."""
    return [(e["InvoiceNumber"], e["To"]) for e in session.sandbox.state()["xero"].get("SentEmails", [])]


def xero_requests(session: Session, since: int = 0) -> list[tuple[str, str]]:
    """(method, path) of the Xero requests the sandbox answered after the first ``since``."""
    return [(r["method"], r["path"]) for r in session.sandbox.state()["requests"][since:] if r["api"] == "xero"]
