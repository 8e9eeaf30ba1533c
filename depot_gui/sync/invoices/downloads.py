"""What the audit downloads from Autotask: the invoices, their billing items, the other holders of
their numbers, and the synced invoices voided since."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from depot_gui.core.models import AutotaskInvoice, BillingItem, ReferenceData


@dataclass
class Download:
    invoice: AutotaskInvoice
    raw: dict
    items: list[BillingItem]
    raw_items: list[dict]


def download_invoices(autotask, wanted: list[str], period: tuple = (None, None)) -> list[dict]:
    """The invoices named (by number, or by id for one without a number), or without names those of
    the period not voided and not stamped as processed (``webServiceDate``) by us or another app."""
    if not wanted:
        since, until = period
        filters = [{"op": "eq", "field": "isVoided", "value": False}, {"op": "notExist", "field": "webServiceDate"}]
        if since is not None:
            filters.append({"op": "gte", "field": "invoiceDateTime", "value": f"{since.isoformat()}T00:00:00"})
        if until is not None:
            end = until + timedelta(days=1)
            filters.append({"op": "lt", "field": "invoiceDateTime", "value": f"{end.isoformat()}T00:00:00"})
        return autotask.query("Invoices", filters)
    rows = autotask.query_in("Invoices", "invoiceNumber", wanted)
    by_number = {str(r.get("invoiceNumber") or ""): r for r in rows}
    ids = [int(n) for n in wanted if n not in by_number and n.isdigit()]
    if ids:
        rows += [r for r in autotask.query_in("Invoices", "id", ids)
                 if not (r.get("invoiceNumber") or "").strip() or str(r["id"]) in wanted]
    seen: dict[int, dict] = {}
    for r in rows:
        seen[int(r["id"])] = r
    return list(seen.values())


def items_for(autotask, invoice_ids: list[int]) -> dict[int, list[tuple[BillingItem, dict]]]:
    """Billing items of these invoices, grouped, each with its raw record."""
    raw = autotask.query_in("BillingItems", "invoiceID", invoice_ids) if invoice_ids else []
    grouped: dict[int, list[tuple[BillingItem, dict]]] = {i: [] for i in invoice_ids}
    for r in raw:
        item = BillingItem.from_api(r)
        if item.invoice_id in grouped:
            grouped[item.invoice_id].append((item, r))
    return grouped


def with_items(downloads: list[Download], items: dict[int, list[tuple[BillingItem, dict]]]) -> None:
    """Give each download its billing items (from :func:`items_for`)."""
    for d in downloads:
        pairs = items.get(d.invoice.id, [])
        d.items, d.raw_items = [i for i, _ in pairs], [r for _, r in pairs]


def holder_rows(autotask, downloads: list[Download], wanted: list[str]) -> list[dict]:
    """Every Autotask invoice under these invoices' numbers. A run by invoice number already
    downloaded every holder; otherwise one batched query finds the others (an earlier invoice
    under the same number may be stamped already)."""
    numbers = sorted({str(d.raw.get("invoiceNumber") or "").strip() for d in downloads} - {""})
    if not numbers or (wanted and set(numbers) <= set(wanted)):
        return [d.raw for d in downloads]
    return autotask.query_in("Invoices", "invoiceNumber", numbers)


def shared_numbers(downloads: list[Download], rows: list[dict], ref: ReferenceData) -> dict[str, list]:
    """Numbers that more than one live Autotask invoice (``rows``) carries: number -> [(id, company)]."""
    numbers = {str(d.raw.get("invoiceNumber") or "").strip() for d in downloads} - {""}
    if not numbers:
        return {}
    by_number: dict[str, dict[int, str]] = {}
    for r in rows:
        if r.get("isVoided"):
            continue
        company = ref.companies.get(int(r.get("companyID") or -1))
        by_number.setdefault(str(r.get("invoiceNumber") or "").strip(), {})[int(r["id"])] = (
            company.name if company else ""
        )
    return {n: sorted(ids.items()) for n, ids in by_number.items() if n in numbers and len(ids) > 1}


def flag_voided_after_sync(store, autotask, synced: set[int]) -> None:
    """An invoice voided in Autotask after we synced it: say what to do in Xero."""
    if not synced:
        return
    known = {r.autotask_id: r for r in store.invoices()}
    for raw in autotask.query_in("Invoices", "id", sorted(synced)):
        row = known.get(int(raw["id"]))
        if raw.get("isVoided") and row is not None and not row.voided:
            store.mark_voided(
                row.autotask_id,
                f"{row.invoice_number} was voided in Autotask after it was synced to Xero. In Xero, void "
                "the invoice (or delete it if it is still a draft), or credit it if it was paid.",
            )


__all__ = ["Download", "download_invoices", "flag_voided_after_sync", "holder_rows", "items_for",
           "shared_numbers", "with_items"]
