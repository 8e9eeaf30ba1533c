"""Before invoices are created: their missing Xero contacts, made in one PUT per 50 names."""

from __future__ import annotations

from dataclasses import replace

from depot_gui.core.idempotency import contacts_key
from depot_gui.core.mapping import XeroDraft
from depot_gui.xero.bulk import BATCH_SIZE
from depot_gui.xero.errors import XeroError, XeroOutcomeUnknown, XeroProtocolError, XeroRateLimited, XeroServerError


def with_contacts(conn, cache, drafts: dict[int, XeroDraft]) -> tuple[dict[int, XeroDraft], dict[int, str]]:
    """Create the missing contacts and point the drafts at them.

    Returns the drafts and, by Autotask id, why a draft's contact could not be made (those
    invoices fail; the others go on)."""
    missing: dict[str, dict] = {}
    for d in drafts.values():
        if not d.contact.exists and d.contact.name:
            body = {"Name": d.contact.name}
            if d.contact.account_number:
                body["AccountNumber"] = d.contact.account_number
            missing.setdefault(d.contact.name.strip().lower(), body)
    if not missing:
        return drafts, {}
    xero = conn.xero
    ids: dict[str, str] = {}
    refused: dict[str, str] = {}
    bodies = list(missing.values())
    for start in range(0, len(bodies), BATCH_SIZE):
        chunk = bodies[start:start + BATCH_SIZE]
        try:
            answers = xero.bulk.create_contacts(chunk, contacts_key(conn.tenant_id, chunk))
        except (XeroOutcomeUnknown, XeroServerError, XeroProtocolError):
            answers = []  # looked up below: a contact is harmless to find rather than create
        except XeroRateLimited:
            raise
        except XeroError as exc:
            refused.update({str(b["Name"]).strip().lower(): exc.user_message for b in chunk})
            continue
        made = [a.answer for a in answers if a.ok]
        cache.remember_contacts(made)
        ids.update({str(c.get("Name", "")).strip().lower(): c["ContactID"] for c in made})
    left = [b["Name"] for b in bodies
            if b["Name"].strip().lower() not in ids and b["Name"].strip().lower() not in refused]
    if left:  # already there (another window, or a name Xero matched): find them
        for c in xero.bulk.contacts_matching(left, ()):
            if c.get("ContactStatus", "ACTIVE") == "ACTIVE":
                ids.setdefault(str(c.get("Name", "")).strip().lower(), c["ContactID"])
    out, errors = {}, {}
    for aid, d in drafts.items():
        name = d.contact.name.strip().lower()
        cid = ids.get(name) if not d.contact.exists else None
        out[aid] = replace(d, contact=replace(d.contact, contact_id=cid)) if cid else d
        if not d.contact.exists and name in refused:
            errors[aid] = refused[name]
    return out, errors


__all__ = ["with_contacts"]
