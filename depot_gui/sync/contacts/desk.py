"""Contacts linked on purpose: which Xero contact each Autotask company's invoices go to.

Both UIs call :class:`ContactDesk`: list the companies of the invoices known locally with
their contact state (the same rule the audit uses, ``core.mapping.match_contact``), link a
company to an existing contact, create a new contact for it, or forget the choice. The
Xero side is the contact directory of the organisation the company's invoices go to (its own
cache: one "changed since" call once read), and the choice is kept for that organisation only;
the Autotask side is one query for the companies.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from depot_gui.core.audit import SYNCED
from depot_gui.core.idempotency import contact_key
from depot_gui.core.contacts import AUTO, CREATED, LINKED, Candidate, ContactLink, closest, exact_name, normalise
from depot_gui.core.mapping import XeroDraft, match_contact
from depot_gui.core.models import Company, ReferenceData, XeroContact
from depot_gui.store.db import InvoiceRow, Store

from depot_gui.sync.orgs.routing import load_routes
from depot_gui.sync.session.connections import Connections
from depot_gui.sync.xero_cache import XeroCache

log = logging.getLogger(__name__)

CHOOSE = "choose"    # no exact contact, close ones exist: the invoices wait for a choice
NEW = "new"          # no contact is close: the first sync creates one with the company's name
MATCH = "match"      # an active contact has the company's name (or account number) exactly
BROKEN = "broken"    # the chosen contact is archived or gone
STATES = (CHOOSE, NEW, BROKEN, MATCH, LINKED, CREATED, AUTO)
UNLINKED = (CHOOSE, NEW, BROKEN)


class ContactError(ValueError):
    """A contact request that cannot be done as asked; the text says what to do instead."""


@dataclass(frozen=True)
class CompanyContact:
    """One Autotask company and the Xero contact its invoices go to (or would)."""

    company_id: int
    company_name: str
    company_number: str
    state: str
    contact_id: str = ""
    contact_name: str = ""
    candidates: tuple[Candidate, ...] = ()
    invoices: tuple[str, ...] = ()  # its invoices known here and not yet synced
    message: str = ""
    organisation: str = ""  # the Xero organisation its invoices go to (whose contacts these are)

    @property
    def unlinked(self) -> bool:
        return self.state in UNLINKED

    def summary(self) -> str:
        """One phrase for the state column."""
        name = f"\u201c{self.contact_name}\u201d"
        return {
            CHOOSE: f"choose: {len(self.candidates)} close contact{'s' if len(self.candidates) != 1 else ''} in Xero",
            NEW: "new: the first sync creates it",
            BROKEN: f"chosen contact {name} can no longer be used",
            MATCH: f"matches {name}",
            LINKED: f"linked to {name}",
            CREATED: f"created {name}",
            AUTO: f"uses {name} (created by a sync)",
        }[self.state]

    def to_json(self) -> dict:
        return {
            "company_id": self.company_id, "company": self.company_name, "company_number": self.company_number,
            "state": self.state, "contact_id": self.contact_id or None, "contact": self.contact_name or None,
            "candidates": [c.to_json() for c in self.candidates], "invoices": list(self.invoices),
            "xero_organisation": self.organisation or None,
        }


def state_of(company: Company, ref: ReferenceData, store_settings, invoices: Iterable[str] = (),
             organisation: str = "") -> CompanyContact:
    """A company's contact state by the audit's own rule (``ref``: its organisation's contacts and choices)."""
    contact = match_contact(company.name, company.number, ref, store_settings, company.id)
    if contact.problem:
        state = BROKEN
    elif contact.exists:
        state = contact.decision if contact.decision in (LINKED, CREATED, AUTO) else MATCH
    else:
        state = CHOOSE if contact.needs_choice else NEW
    return CompanyContact(company.id, company.name, company.number, state,
                          contact.contact_id if contact.exists else "",
                          contact.name if (contact.exists or state == BROKEN) else "",
                          contact.candidates, tuple(sorted(invoices)), contact.problem, organisation)


class ContactDesk:
    """List, link and create the Xero contacts of the companies invoiced.

    One desk per user action: it reads the contact directory once (a "changed since" call),
    and again only after it created a contact."""

    def __init__(self, store: Store, conn: Connections) -> None:
        self.store = store
        self.conn = conn  # the default organisation's
        self._routes = load_routes(store)
        # per organisation (tenant id, lower case): its cache and its directory as read by this desk
        self._caches: dict[str, XeroCache] = {}
        self._read: dict[str, list[XeroContact]] = {}

    @property
    def tenant(self) -> str:
        """The default organisation (where a company not routed elsewhere goes)."""
        return self.conn.tenant_id

    def tenant_of(self, company_id: int | None) -> str:
        """The organisation a company's invoices go to (its route, else the default)."""
        return self._routes.tenant_for(company_id, self.conn.tenant_id) if company_id is not None else self.tenant

    def organisation(self, company_id: int | None = None) -> str:
        """The name of the organisation a company's invoices go to."""
        view = self._view(self.tenant_of(company_id))
        return view.tenant_name or view.tenant_id

    def _view(self, tenant: str) -> Connections:
        return self.conn.for_tenant(tenant)

    def _cache(self, tenant: str) -> XeroCache:
        key = tenant.lower()
        if key not in self._caches:
            view = self._view(tenant)
            self._caches[key] = XeroCache(self.store, view.xero, view.tenant_id, view.extra)
        return self._caches[key]

    # -- reading -----------------------------------------------------------------------------

    def companies(self, *, include_linked: bool = False) -> list[CompanyContact]:
        """The companies of the invoices known here, by name (only those without a settled
        contact unless ``include_linked``), each by the contacts of its own organisation."""
        rows = {r.autotask_id: r for r in self.store.invoices()}
        waiting: dict[int, list[str]] = {}
        for aid, cid in self.store.invoice_companies().items():
            row = rows.get(aid)
            names = waiting.setdefault(cid, [])
            if row is not None and row.status != SYNCED and not row.voided:
                names.append(row.invoice_number)
        companies = self._companies(set(waiting))
        settings = self.store.settings()
        refs: dict[str, ReferenceData] = {}
        out = []
        for c in companies.values():
            tenant = self.tenant_of(c.id).lower()
            if tenant not in refs:
                refs[tenant] = self._reference(tenant)
            out.append(state_of(c, refs[tenant], settings, waiting.get(c.id, ()), self.organisation(c.id)))
        out.sort(key=lambda c: (c.company_name.casefold(), c.company_id))
        return out if include_linked else [c for c in out if c.unlinked]

    def directory(self, company_id: int | None = None) -> list[XeroContact]:
        """The active contacts of the organisation the company's invoices go to (the default one
        without a company), by name (for choosing one that is not close)."""
        return sorted((c for c in self._everyone(self.tenant_of(company_id)) if c.status == "ACTIVE"),
                      key=lambda c: (c.name.casefold(), c.contact_id))

    def _everyone(self, tenant: str) -> list[XeroContact]:
        """Every contact of one organisation (archived included): read once by this desk (one
        "changed since" call)."""
        key = tenant.lower()
        if key not in self._read:
            self._read[key] = [XeroContact.from_api(c) for c in self._cache(tenant).directory()]
        return self._read[key]

    def _reference(self, tenant: str) -> ReferenceData:
        return ReferenceData(contacts=self._everyone(tenant), contacts_complete=True,
                             contact_links=self.store.contact_links.of(tenant))

    def _companies(self, ids: set[int]) -> dict[int, Company]:
        if not ids:
            return {}
        found = (Company.from_api(c) for c in self.conn.autotask.query_in("Companies", "id", sorted(ids)))
        return {c.id: c for c in found}

    def company(self, text: str) -> Company:
        """The company named (its id, or its name ignoring case, punctuation and legal suffix)."""
        text = (text or "").strip()
        if not text:
            raise ContactError("Name the company (its Autotask name or id).")
        known = self._companies(set(self.store.invoice_companies().values()))
        if text.isdigit() and int(text) in known:
            return known[int(text)]
        exact = [c for c in known.values() if exact_name(c.name, text)]
        loose = [c for c in known.values() if normalise(c.name) == normalise(text)]
        for group in (exact, loose):
            if len(group) == 1:
                return group[0]
            if len(group) > 1:
                ids = ", ".join(str(c.id) for c in sorted(group, key=lambda c: c.id))
                raise ContactError(f"More than one company is called \u201c{text}\u201d; name it by id ({ids}).")
        raise ContactError(f"No company of the invoices here is called \u201c{text}\u201d. "
                           "Run depot-sync contacts --all for their names (audit the invoices first).")

    def contact(self, text: str, company: Company | None = None) -> XeroContact:
        """The active Xero contact named (its ContactID, or its exact name) in the organisation the
        company's invoices go to (the default one without a company)."""
        text = (text or "").strip()
        if not text:
            raise ContactError("Name the Xero contact (its name or ContactID).")
        everyone = self._everyone(self.tenant_of(company.id if company else None))
        by_id = [c for c in everyone if c.contact_id.lower() == text.lower()]
        named = by_id or [c for c in everyone if exact_name(c.name, text)]
        live = [c for c in named if c.status == "ACTIVE"]
        if len(live) == 1:
            return live[0]
        if len(live) > 1:
            raise ContactError(f"More than one Xero contact is called \u201c{text}\u201d; name it by ContactID.")
        if named:
            raise ContactError(f"The Xero contact \u201c{named[0].name}\u201d is {named[0].status.lower()}; "
                               "invoices cannot go to it. Restore it in Xero or choose another.")
        near = closest(text, "", everyone, limit=3)
        hint = ("; the closest: " + ", ".join(f"\u201c{c.name}\u201d" for c in near)) if near else ""
        where = f" in {self.organisation(company.id if company else None)}" if self._routes.companies else ""
        raise ContactError(f"Xero has no contact called \u201c{text}\u201d{where}{hint}.")

    # -- deciding ----------------------------------------------------------------------------

    def link(self, company: Company, contact: XeroContact) -> CompanyContact:
        """Send this company's invoices to this existing contact (of the company's organisation), from now on."""
        tenant = self.tenant_of(company.id)
        if not any(c.contact_id == contact.contact_id for c in self._everyone(tenant)):
            raise ContactError(f"\u201c{contact.name}\u201d is not a contact of the Xero organisation "
                               f"{self.organisation(company.id)}, where {company.name}'s invoices go; choose one "
                               "of its contacts.")
        link = ContactLink(company.id, contact.contact_id, contact.name, LINKED, company.name)
        self.store.contact_links.save(tenant, link)
        log.info("Company %s linked to Xero contact %s", company.id, contact.contact_id)
        return self._state(company)

    def create(self, company: Company, name: str = "") -> CompanyContact:
        """Create a new Xero contact for this company (asked for: even when close ones exist)."""
        name = (name or company.name).strip()
        if not name:
            raise ContactError("The new contact needs a name.")
        tenant = self.tenant_of(company.id)
        for c in self.directory(company.id):
            if exact_name(c.name, name):
                raise ContactError(f"Xero already has a contact called \u201c{c.name}\u201d; link it instead.")
        body = {"Name": name}
        if company.number:
            body["AccountNumber"] = company.number
        view = self._view(tenant)
        key = contact_key(view.tenant_id, name, company.id)
        created = view.xero.create_contact(body, key)
        self._cache(tenant).remember_contacts([created])
        self._read.pop(tenant.lower(), None)  # read again: the new contact is in it
        link = ContactLink(company.id, str(created["ContactID"]), str(created.get("Name") or name), CREATED,
                           company.name)
        self.store.contact_links.save(tenant, link)
        log.info("Created Xero contact %s for company %s", link.contact_id, company.id)
        return self._state(company)

    def unlink(self, company: Company) -> bool:
        """Forget the choice for this company in its organisation (its next audit decides afresh)."""
        return self.store.contact_links.drop(self.tenant_of(company.id), company.id)

    def _state(self, company: Company) -> CompanyContact:
        waiting = [r.invoice_number for r in waiting_rows(self.store, company.id)]
        return state_of(company, self._reference(self.tenant_of(company.id)), self.store.settings(), waiting,
                        self.organisation(company.id))


def waiting_rows(store: Store, company_id: int) -> list[InvoiceRow]:
    """The company's invoices known here, not synced and not voided (InvoiceRows, by number)."""
    owner = store.invoice_companies()
    return [r for r in store.invoices()
            if r.status != SYNCED and not r.voided and owner.get(r.autotask_id) == company_id]


def remember_created(store: Store, tenant: str, drafts: Iterable[tuple[XeroDraft, str]]) -> None:
    """Keep the contacts a sync created for companies (decision ``auto``): the company's later
    invoices go to the same contact even if it is renamed in Xero."""
    for draft, company_name in drafts:
        c = draft.contact
        if c.exists and c.company_id is not None and not c.decision:
            store.contact_links.remember(tenant, ContactLink(c.company_id, c.contact_id, c.name, AUTO, company_name))
