"""Sending approved invoices from Xero (issue 24 item 3): who each goes to, what the question says.

Pure: the use case (``sync/sending``) reads Xero and the store and hands the facts in here; the
window and the CLI show the same words.

* ``recipients``: the addresses Xero emails an invoice to (the contact's email address, then its
  contact persons marked "include in emails").
* ``refusal``: why an invoice is not sent (not approved, already sent, no address...), or None.
* ``question``: the one confirmation for a batch: one line per invoice naming its recipients, the
  count and the total per currency, those that will not be sent and why, the emails left today.
* ``emails_left``: Xero's daily limit of invoice emails less those sent today (never below 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from depot_gui.core.money import fmt_money

EMAIL = "EMAIL"
MARK_SENT = "MARK_SENT"
# Xero's daily limit of invoice emails per organisation (the sandbox's default too). Xero does not
# say how many are left; Depot GUI counts what it sent today and stops when Xero says the limit is reached.
DAILY_EMAIL_LIMIT = 1000
LISTED = 12  # invoices named one per line in a question; the rest are counted


def recipients(contact: dict[str, Any] | None) -> tuple[str, ...]:
    """The addresses Xero emails an invoice to: the contact's, then persons marked IncludeInEmails."""
    if not contact:
        return ()
    out: list[str] = []
    main = str(contact.get("EmailAddress") or "").strip()
    if main:
        out.append(main)
    for person in contact.get("ContactPersons") or []:
        if not isinstance(person, dict):
            continue
        address = str(person.get("EmailAddress") or "").strip()
        if address and person.get("IncludeInEmails") and address.lower() not in (a.lower() for a in out):
            out.append(address)
    return tuple(out)


def status_refusal(number: str, status: str) -> str | None:
    """Why an invoice in this Xero status is not sent (None: AUTHORISED, approved and open)."""
    status = (status or "").upper()
    if status == "AUTHORISED":
        return None
    if status == "DRAFT":
        return f"{number} is a draft in Xero: approve it in Xero first; only approved invoices are sent."
    if status == "SUBMITTED":
        return f"{number} is awaiting approval in Xero: approve it in Xero first; only approved invoices are sent."
    if status == "PAID":
        return f"{number} is already paid in full in Xero: it is not sent."
    if status in ("VOIDED", "DELETED"):
        return f"{number} was {status.lower()} in Xero: it is not sent."
    return f"{number} has the status {status or 'unknown'} in Xero: only approved invoices are sent."


def no_address_text(number: str, contact_name: str) -> str:
    """The sentence for a contact without an email address (the invoice is not sent)."""
    who = f"The Xero contact {contact_name}" if contact_name else "The invoice's Xero contact"
    return (f"{who} has no email address, so {number} is not sent: add one to the contact in Xero, or mark the "
            "invoice as sent instead.")


def already_sent_text(number: str) -> str:
    """The sentence for an invoice Xero already shows as sent (it is never sent twice)."""
    return f"{number} is already marked as sent in Xero: it is not sent again."


def emails_left(sent_today: int, limit_reached: bool, limit: int = DAILY_EMAIL_LIMIT) -> int:
    """Invoice emails Xero still takes today for the organisation, as far as Depot GUI knows."""
    return 0 if limit_reached else max(0, limit - max(0, sent_today))


def emails_left_text(left: int, limit: int = DAILY_EMAIL_LIMIT, organisation: str = "") -> str:
    """One line: how many invoice emails are left today (Xero's count includes emails sent from Xero itself).

    ``organisation``: its name when invoices go to more than one organisation ("" = "this organisation").
    """
    org = organisation or "this organisation"
    if left <= 0:
        return (f"Xero's daily limit of {limit:,} invoice emails for {org} is reached: no more emails "
                "today (the limit resets at midnight UTC).")
    return (f"Invoice emails left today: {left:,} of Xero's {limit:,} a day for {org} (emails sent "
            "from Xero itself count too).")


@dataclass(frozen=True)
class SendItem:
    """One named invoice as the question shows it: sent to ``to`` or, with ``refused``, not sent."""

    invoice_number: str
    company: str
    total: Decimal
    currency: str
    to: tuple[str, ...] = ()
    refused: str = ""  # the sentence saying why it is not sent ("" = it is sent)
    already_sent: bool = False  # refused because Xero already shows it as sent
    autotask_id: int | None = None
    xero_invoice_id: str = ""
    contact_name: str = ""
    tenant_id: str = ""


@dataclass(frozen=True)
class Question:
    """The confirmation of one batch: ``title`` (a question with the count), ``details`` (the lines)."""

    title: str
    details: str
    button: str
    count: int
    totals: dict[str, Decimal] = field(default_factory=dict)


def _plural(n: int, word: str = "invoice") -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def totals_by_currency(items: list[SendItem]) -> dict[str, Decimal]:
    """The total of the invoices per currency, currencies in alphabetical order."""
    out: dict[str, Decimal] = {}
    for item in items:
        out[item.currency] = out.get(item.currency, Decimal(0)) + item.total
    return dict(sorted(out.items()))


def totals_text(totals: dict[str, Decimal]) -> str:
    """"Total USD 1,633.50" or "Totals: NZD 200.00, USD 1,633.50"."""
    parts = [fmt_money(v, c) for c, v in totals.items()]
    return ("Total " if len(parts) == 1 else "Totals: ") + ", ".join(parts)


def item_line(item: SendItem, how: str) -> str:
    """One invoice of the question: number, company, amount with its currency, and where it goes."""
    head = f"{item.invoice_number}  {item.company}  {fmt_money(item.total, item.currency)}".replace("    ", "  ")
    if how == EMAIL:
        return f"{head}  to {', '.join(item.to)}"
    return head


def over_limit_text(number: str) -> str:
    """The sentence for an invoice not emailed today because Xero's daily limit would be passed."""
    return (f"{number} is not sent today: Xero's daily limit of invoice emails for this organisation would be "
            "passed; send it tomorrow (the limit resets at midnight UTC), or mark it as sent instead.")


def question(items: list[SendItem], how: str, left_lines: tuple[str, ...] = ()) -> Question:
    """The one confirmation for the invoices named: those sent and where, their count and total per
    currency, those not sent and why; ``left_lines`` say how many invoice emails are left today."""
    sendable = [i for i in items if not i.refused]
    refused = [i for i in items if i.refused]
    totals = totals_by_currency(sendable)
    what = _plural(len(sendable))
    if how == EMAIL:
        title = f"Email {what} from Xero?" if sendable else "No invoice can be emailed"
        button = f"Email {what}"
    else:
        title = f"Mark {what} as sent in Xero?" if sendable else "No invoice can be marked as sent"
        button = f"Mark {what} as sent"
    lines = [item_line(i, how) for i in sendable[:LISTED]]
    if len(sendable) > LISTED:
        lines.append(f"… and {len(sendable) - LISTED} more")
    if sendable:
        lines.append(f"{totals_text(totals)} ({what})")
        lines.append("Xero emails each invoice to the addresses named and marks it sent." if how == EMAIL
                     else "No email is sent: Xero only records them as sent.")
    if refused:
        lines.extend(["", "Not sent:"] if lines else ["Not sent:"])
        lines.extend(i.refused for i in refused[:LISTED])
        if len(refused) > LISTED:
            lines.append(f"… and {len(refused) - LISTED} more")
    if how == EMAIL and left_lines:
        lines.append("")
        lines.extend(left_lines)
    return Question(title, "\n".join(lines), button, len(sendable), totals)


__all__ = ["DAILY_EMAIL_LIMIT", "EMAIL", "MARK_SENT", "Question", "SendItem", "already_sent_text", "emails_left", "emails_left_text",
           "item_line", "no_address_text", "over_limit_text", "question", "recipients", "status_refusal", "totals_by_currency",
           "totals_text"]
