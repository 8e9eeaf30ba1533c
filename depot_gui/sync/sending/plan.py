"""What sending the named invoices from Xero would do: who each goes to, or why it is not sent.

``prepare`` reads, per Xero organisation, the named invoices' documents by InvoiceID (40 a call)
and, for email, their contacts by ContactID (40 a call): never one call per invoice. Only live,
approved (AUTHORISED) invoices carrying Depot GUI's mark for that Autotask invoice are sent; one
Xero already shows as sent is not sent again; a contact without an email address is said, and
that invoice is not emailed. Emails beyond what Xero's daily limit leaves today are not sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation

from depot_gui.core.audit import SYNCED
from depot_gui.core.ownership import is_ours
from depot_gui.core.sending import (
    DAILY_EMAIL_LIMIT, EMAIL, MARK_SENT, Question, SendItem, already_sent_text, emails_left, emails_left_text,
    no_address_text, over_limit_text, question, recipients, status_refusal,
)
from depot_gui.core.settings import Settings
from depot_gui.store.db import InvoiceRow, Store

from depot_gui.sync.orgs.routing import load_routes, placed
from depot_gui.sync.session.connections import Connections

OFF_MESSAGE = ("Sending from Xero is off: turn it on in Settings (Send approved invoices from Xero) or with "
               "`depot-sync settings set send_from_xero email` (or mark_sent).")


WINDOW_OFF_MESSAGE = ("Sending from Xero is off: turn it on in Settings (Send approved invoices from Xero: email, "
                      "or mark as sent).")


class SendingOff(Exception):
    """The send_from_xero setting is off: nothing is read or sent (``user_message``: the window's words)."""

    def __init__(self) -> None:
        super().__init__(OFF_MESSAGE)
        self.user_message = WINDOW_OFF_MESSAGE


def how_to_send(settings: Settings, mark_sent: bool = False) -> str:
    """EMAIL or MARK_SENT as the setting says (``mark_sent``: only mark, whatever it says); SendingOff when off."""
    if settings.send_from_xero == "OFF":
        raise SendingOff()
    return MARK_SENT if mark_sent or settings.send_from_xero == MARK_SENT else EMAIL


@dataclass(frozen=True)
class SendPlan:
    """The invoices named, in invoice-number order, and the one question to ask about them."""

    how: str
    items: list[SendItem]
    question: Question
    left: dict[str, int] = field(default_factory=dict)  # invoice emails left today per tenant (email only)
    names: dict[str, str] = field(default_factory=dict)  # tenant -> organisation name, when more than one

    def left_lines(self, left_of: Callable[[str], int]) -> list[str]:
        """One line per organisation written to: the invoice emails it has left today (``left_of(tenant)``)."""
        return left_lines(self.left, self.names, left_of)

    @property
    def sendable(self) -> list[SendItem]:
        return [i for i in self.items if not i.refused]


def left_lines(tenants, names: dict[str, str], left_of: Callable[[str], int]) -> list[str]:
    """The emails-left line of each tenant, named when ``names`` has it (identical lines said once)."""
    return list(dict.fromkeys(emails_left_text(left_of(t), DAILY_EMAIL_LIMIT, names.get(t, "")) for t in tenants))


def utc_day() -> str:
    return datetime.now(timezone.utc).date().isoformat()


def _total(text: str) -> Decimal:
    try:
        return Decimal(text)
    except (InvalidOperation, TypeError):
        return Decimal(0)


def local_refusal(number: str, row: InvoiceRow | None) -> str:
    """Why an invoice is not sent, from the local record alone ('' when Xero should be read)."""
    if row is None:
        return f"{number} is not known here: audit and sync it first; only approved invoices in Xero are sent."
    if row.voided:
        return f"{number} was voided in Autotask: it is not sent."
    if row.status != SYNCED or not row.xero_invoice_id:
        return f"{number} is not in Xero yet ({row.status}): sync it first; only approved invoices in Xero are sent."
    if _total(row.autotask_total) < 0:
        return f"{number} went to Xero as a credit note: only invoices are sent from Xero."
    return ""


class Planner:
    """Builds a SendPlan over one store; ``connect`` is called only when an invoice needs Xero."""

    def __init__(self, store: Store, connect: Callable[[], Connections]) -> None:
        self.store = store
        self._connect = connect

    def prepare(self, numbers: list[str], how: str) -> SendPlan:
        items: list[SendItem] = []
        groups: dict[str, list[tuple[InvoiceRow, SendItem]]] = {}
        conn: Connections | None = None
        where: dict[int, str] = {}
        companies = self.store.invoice_companies()
        routes = load_routes(self.store)
        for number in dict.fromkeys(n.strip() for n in numbers):
            row = self.store.invoice_by_number(number)
            item = SendItem(number, row.company if row else "", _total(row.autotask_total) if row else Decimal(0),
                            row.currency if row else "", autotask_id=row.autotask_id if row else None,
                            xero_invoice_id=(row.xero_invoice_id or "") if row else "")
            why = local_refusal(number, row)
            if why or row is None:
                items.append(replace(item, refused=why))
                continue
            if conn is None:
                conn = self._connect()
                where = placed(self.store, conn.organisations())  # in Xero: stays where it went
            tenant = where.get(row.autotask_id) or routes.tenant_for(companies.get(row.autotask_id), conn.tenant_id)
            groups.setdefault(tenant, []).append((row, replace(item, tenant_id=tenant)))
        left: dict[str, int] = {}
        names: dict[str, str] = {}
        for tenant, group in groups.items():
            assert conn is not None
            view = conn.for_tenant(tenant)
            read, tenant_left = self._read(view, tenant, group, how)
            items.extend(read)
            names[tenant] = view.tenant_name or tenant
            if how == EMAIL:
                left[tenant] = tenant_left
        items.sort(key=lambda i: (i.invoice_number, i.autotask_id or 0))
        names = names if len(groups) > 1 else {}
        lines = tuple(left_lines(left, names, left.__getitem__))
        return SendPlan(how, items, question(items, how, lines), left, names)

    def emails_left(self, tenant_id: str) -> int:
        """Invoice emails left today for the organisation, as far as this desk knows."""
        sent, reached = self.store.attempts.emails_on(tenant_id, utc_day())
        return emails_left(sent, reached, DAILY_EMAIL_LIMIT)

    def _read(self, conn: Connections, tenant: str, group: list[tuple[InvoiceRow, SendItem]],
              how: str) -> tuple[list[SendItem], int]:
        """The group's items after reading their Xero documents (and contacts for email)."""
        x = conn.xero
        docs = {str(d.get("InvoiceID", "")).lower(): d for d in x.invoices_by_ids([i.xero_invoice_id for _, i in group])}
        contacts: dict[str, dict] = {}
        if how == EMAIL:
            ids = {str((d.get("Contact") or {}).get("ContactID") or "") for d in docs.values()} - {""}
            contacts = {str(c.get("ContactID", "")).lower(): c for c in x.bulk.contacts_by_ids(sorted(ids))} if ids else {}
        left = self.emails_left(tenant) if how == EMAIL else 0
        out = []
        for row, item in group:
            doc = docs.get(item.xero_invoice_id.lower())
            why = document_refusal(item.invoice_number, row.autotask_id, doc)
            if why:
                out.append(replace(item, refused=why))
                continue
            assert doc is not None
            if doc.get("SentToContact") is True:
                out.append(replace(item, refused=already_sent_text(item.invoice_number), already_sent=True))
                continue
            contact = (doc.get("Contact") or {})
            found = contacts.get(str(contact.get("ContactID") or "").lower())
            name = str((found or contact).get("Name") or "")
            item = replace(item, contact_name=name)
            if how == EMAIL:
                to = recipients(found)
                if not to:
                    out.append(replace(item, refused=no_address_text(item.invoice_number, name)))
                    continue
                if left <= 0:
                    out.append(replace(item, to=to, refused=over_limit_text(item.invoice_number)))
                    continue
                left -= 1
                item = replace(item, to=to)
            out.append(item)
        return out, (self.emails_left(tenant) if how == EMAIL else 0)


def document_refusal(number: str, autotask_id: int, doc: dict | None) -> str:
    """Why the Xero document is not sent ('' when it is live, ours and approved)."""
    if doc is None:
        return (f"Xero has no invoice with the id recorded for {number} (it may be a credit note, or gone): it is "
                "not sent; audit it again.")
    if not is_ours(doc, autotask_id):
        return (f"The Xero document of {number} does not carry Depot GUI's mark for this Autotask invoice: it is "
                "not sent.")
    if doc.get("Type") not in (None, "ACCREC"):
        return f"{number} is not a sales invoice in Xero: it is not sent."
    return status_refusal(number, str(doc.get("Status") or "")) or ""


__all__ = ["OFF_MESSAGE", "WINDOW_OFF_MESSAGE", "Planner", "SendPlan", "SendingOff", "document_refusal", "how_to_send", "local_refusal",
           "utc_day"]
