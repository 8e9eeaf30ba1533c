"""Link a conflicting Xero document to its Autotask invoice: a deliberate, previewed, recorded act.

A document under the invoice's number that Depot GUI did not create is a conflict: nothing is
written. When the bookkeeper says it *is* this invoice (typed in by hand before Depot GUI was
used, say), linking writes our mark at the start of its ``Reference`` in Xero. From then on
it is this invoice's Xero document for every desk, because the mark decides, not the store.

``preview()`` writes nothing. ``link()`` looks the document up again and refuses if it changed
since the preview (another number, a mark of its own, deleted), so what was reviewed is what
is linked. Every link is a row in the invoice's history (sync attempt, action ``link``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from depot_gui.core.audit import CONFLICT, SYNCED, AuditResult
from depot_gui.core.idempotency import link_key
from depot_gui.core.money import fmt_money
from depot_gui.core.ownership import describe, document_facts, ownership_mark, split_ours
from depot_gui.xero.errors import XeroError

from depot_gui.sync.invoices.audit import Auditor, NothingNamed
from depot_gui.sync.invoices.lookup import find_in_xero
from depot_gui.sync.orgs.routing import load_routes

REFERENCE_MAX = 255  # Xero's limit on an invoice's Reference


class LinkRefused(Exception):
    """Linking is not possible for this invoice; the message says why and what to do."""

    @property
    def user_message(self) -> str:
        return str(self)


@dataclass(frozen=True)
class LinkPreview:
    """What linking would do, for a person to review before anything is written."""

    result: AuditResult
    document: dict
    new_reference: str

    @property
    def text(self) -> str:
        r, d = self.result, self.document
        return "\n".join([
            f"Autotask invoice {r.invoice_number} (id {r.autotask_id})" + (f" for {r.company}" if r.company else "")
            + f", total {fmt_money(r.autotask_total, r.currency)}.",
            f"Xero {describe(d)}; its Reference is {d['reference']!r}." if d["reference"]
            else f"Xero {describe(d)}; it has no Reference.",
            f"Linking writes '{self.new_reference}' as its Reference in Xero and changes nothing else there.",
            "From then on Depot GUI treats that document as this invoice's: Re-sync compares it with Autotask and, "
            "while it is a draft, updates its lines and contact to match Autotask.",
        ])


class Linker:
    """Preview and link over one engine (its connections, store and cancel token)."""

    def __init__(self, auditor: Auditor) -> None:
        self.auditor = auditor
        self.store = auditor.store
        self.conn = auditor.conn

    def conn_for(self, autotask_id: int):
        """The connections of the organisation the invoice's company goes to (its route, else the default)."""
        company = self.store.invoice_companies().get(autotask_id)
        return self.conn.for_tenant(load_routes(self.store).tenant_for(company, self.conn.tenant_id))

    def preview(self, name: str) -> LinkPreview:
        if not name or not name.strip():
            raise NothingNamed("Name the invoice to link.")
        results = [r for r in self.auditor.audit([name.strip()]) if r.status != "error" or r.autotask_id]
        if len(results) != 1:
            raise LinkRefused(
                f"{name} names {len(results)} Autotask invoices; link one at a time by its Autotask id."
                if results else f"Autotask has no invoice {name}."
            )
        result = results[0]
        facts = (result.extra.get("conflict") or {}).get("document")
        if result.status != CONFLICT or not facts:
            if result.status == CONFLICT:
                raise LinkRefused(result.explanation.split("\n", 1)[0])
            raise LinkRefused(f"{result.invoice_number} has no Xero document to link: {result.verdict}")
        if facts["marked_for"]:
            raise LinkRefused(
                f"The Xero {describe(facts)} belongs to Autotask invoice {facts['marked_for']}; it cannot be "
                f"linked to {result.invoice_number} as well."
            )
        mark = ownership_mark(result.autotask_id)
        reference = f"{mark} · {facts['reference']}" if facts["reference"] else mark
        return LinkPreview(result, facts, reference[:REFERENCE_MAX])

    def link(self, preview: LinkPreview) -> AuditResult:
        """Write the mark on the previewed document (only if it is still as previewed); record it."""
        r, facts = preview.result, preview.document
        conn = self.conn_for(r.autotask_id)  # the organisation the invoice goes to: the document is there
        number = facts["number"] or r.invoice_number  # the conflicting document's own number (a prefixed one too)
        found = find_in_xero(conn.xero, list(dict.fromkeys([number, r.invoice_number])))
        docs = [d for n in dict.fromkeys([number, r.invoice_number]) for d in found.get(n, [])]
        ours, foreign = split_ours(docs, r.autotask_id)
        if ours is not None:
            raise LinkRefused(f"{r.invoice_number} is already linked to its Xero document; nothing to do.")
        now = next((document_facts(d) for d in foreign if document_facts(d)["id"] == facts["id"]), None)
        if now is None or now["marked_for"] or now["reference"] != facts["reference"]:
            raise LinkRefused(
                f"The Xero document {facts['number']} changed since the preview; look at it again before linking."
            )
        body = {"Reference": preview.new_reference}
        key = link_key(conn.tenant_id, r.autotask_id, facts["id"], preview.new_reference)
        attempt = self.store.attempts.begin(r.autotask_id, r.invoice_number, key, "link",
                                            {"document": facts["id"], **body}, conn.actor)
        try:
            if facts["kind"] == "credit note":
                updated = conn.xero.update_credit_note(facts["id"], {"CreditNoteID": facts["id"], **body}, key)
            else:
                updated = conn.xero.update_invoice(facts["id"], {"InvoiceID": facts["id"], **body}, key)
        except XeroError as exc:
            self.store.attempts.finish(attempt, "failed", f"Link refused by Xero: {exc.user_message}")
            raise LinkRefused(f"Xero did not take the link: {exc.user_message}") from None
        message = (
            f"Linked to Xero {describe(facts)} after review; its Reference now starts with "
            f"'{ownership_mark(r.autotask_id)}'."
        )
        self.store.attempts.finish(attempt, "linked", message, {"Reference": updated.get("Reference")}, facts["id"])
        self.store.mark_synced(r.autotask_id, facts["id"], str(updated.get("Status") or facts["status"]), message)
        return replace(r, status=SYNCED, xero_invoice_id=facts["id"], explanation=message)


__all__ = ["LinkPreview", "LinkRefused", "Linker"]
