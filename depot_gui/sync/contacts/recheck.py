"""After a contact choice (link, create, forget): audit the company's waiting invoices again.

The window calls this right after :class:`~depot_gui.sync.contacts.desk.ContactDesk` recorded the
choice, so the invoices that waited for it turn ready (or wait again, after a forget) at once.
It never sends anything: syncing stays the user's own step.
"""

from __future__ import annotations

from dataclasses import dataclass

from depot_gui.core.audit import READY, AuditResult
from depot_gui.store.db import Store

from depot_gui.sync.contacts.desk import CompanyContact, waiting_rows
from depot_gui.sync.invoices.audit import Auditor


def waiting_ids(store: Store, company_id: int) -> list[int]:
    """The company's invoices known here, not synced and not voided (Autotask ids, by number)."""
    return [r.autotask_id for r in waiting_rows(store, company_id)]


@dataclass(frozen=True)
class Rechecked:
    """A company's contact after the choice, and its invoices audited again."""

    company: CompanyContact
    results: tuple[AuditResult, ...]

    def message(self) -> str:
        """One line for the status bar."""
        c = self.company
        head = {
            "link": f"{c.company_name} now goes to the Xero contact \u201c{c.contact_name}\u201d.",
            "create": f"Created the Xero contact \u201c{c.contact_name}\u201d for {c.company_name}.",
        }.get(c.state, f"{c.company_name}: {c.summary()}.")
        ready = [r.invoice_number for r in self.results if r.status == READY]
        other = [r.invoice_number for r in self.results if r.status != READY]
        tail = []
        if ready:
            tail.append(f"{', '.join(ready)} {'is' if len(ready) == 1 else 'are'} ready to sync (not sent yet).")
        if other:
            tail.append(f"Not ready: {', '.join(other)} (select one to see why).")
        return " ".join([head, *tail])


def recheck_company(auditor: Auditor, company: CompanyContact) -> Rechecked:
    """Audit again (never sync) the waiting invoices of ``company``, by Autotask id."""
    ids = waiting_ids(auditor.store, company.company_id)
    results = auditor.audit([str(i) for i in ids]) if ids else []
    return Rechecked(company, tuple(results))


__all__ = ["Rechecked", "recheck_company", "waiting_ids"]
