"""AuditResult <-> plain JSON-able dicts (money as strings, never floats)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from depot_gui.core.audit import AuditResult, LineComparison
from depot_gui.core.diagnosis import Cause
from depot_gui.core.mapping import ContactRef, XeroDraft, XeroLine
from depot_gui.core.money import fmt2


def _s(v: Decimal | None) -> str | None:
    return None if v is None else str(v)


def _d(v: Any) -> Decimal | None:
    return None if v is None else Decimal(str(v))


def line_to_dict(ln: XeroLine) -> dict[str, Any]:
    return {
        "description": ln.description, "quantity": _s(ln.quantity), "unit_amount": _s(ln.unit_amount),
        "account_code": ln.account_code, "tax_type": ln.tax_type, "tax_rate": _s(ln.tax_rate),
        "source_item_id": ln.source_item_id, "note": ln.note, "is_rounding": ln.is_rounding,
        "amount": fmt2(ln.amount), "tax": fmt2(ln.tax),
    }


def draft_to_dict(d: XeroDraft) -> dict[str, Any]:
    return {
        "invoice_number": d.invoice_number, "reference": d.reference,
        "contact": {"name": d.contact.name, "account_number": d.contact.account_number, "contact_id": d.contact.contact_id},
        "date": d.date.isoformat() if d.date else None, "due_date": d.due_date.isoformat() if d.due_date else None,
        "lines": [line_to_dict(ln) for ln in d.lines], "warnings": list(d.warnings),
        "currency_code": d.currency_code, "currency_rate": _s(d.currency_rate),
    }


def draft_from_dict(d: dict[str, Any]) -> XeroDraft:
    return XeroDraft(
        invoice_number=d["invoice_number"], reference=d.get("reference", ""),
        contact=ContactRef(**d["contact"]),
        date=date.fromisoformat(d["date"]) if d.get("date") else None,
        due_date=date.fromisoformat(d["due_date"]) if d.get("due_date") else None,
        lines=tuple(
            XeroLine(
                description=x["description"], quantity=Decimal(x["quantity"]), unit_amount=Decimal(x["unit_amount"]),
                account_code=x["account_code"], tax_type=x["tax_type"], tax_rate=Decimal(x["tax_rate"]),
                source_item_id=x.get("source_item_id"), note=x.get("note", ""), is_rounding=x.get("is_rounding", False),
            )
            for x in d["lines"]
        ),
        warnings=tuple(d.get("warnings", ())),
        currency_code=d.get("currency_code") or "", currency_rate=_d(d.get("currency_rate")),
    )


def result_to_dict(r: AuditResult) -> dict[str, Any]:
    """Everything the detail pane and history need, JSON-able."""
    return {
        "autotask_id": r.autotask_id, "invoice_number": r.invoice_number, "company": r.company,
        "status": r.status, "autotask_total": str(r.autotask_total), "xero_total": str(r.xero_total),
        "difference": str(r.difference), "rounding_line": str(r.rounding_line), "tolerance": str(r.tolerance),
        "causes": [
            {"code": c.code, "amount": str(c.amount), "evidence": list(c.evidence), "fix": list(c.fix)} for c in r.causes
        ],
        "explanation": r.explanation,
        "draft": draft_to_dict(r.draft) if r.draft else None,
        "lines": [
            {k: (_s(v) if isinstance(v, Decimal) else v) for k, v in vars(ln).items()} for ln in r.lines
        ],
        "warnings": list(r.warnings), "notes": list(r.notes), "xero_invoice_id": r.xero_invoice_id,
        "extra": r.extra, "unchecked": list(r.unchecked),
        "currency": r.currency, "organisation": r.organisation,
    }


def result_from_dict(d: dict[str, Any]) -> AuditResult:
    lines = []
    for x in d.get("lines", []):
        lines.append(
            LineComparison(
                x.get("item_id"), x.get("label", ""),
                *(_d(x.get(k)) for k in ("at_quantity", "at_rate", "at_amount", "at_tax",
                                         "xero_quantity", "xero_unit", "xero_amount", "xero_tax")),
                note=x.get("note", ""),
            )
        )
    return AuditResult(
        autotask_id=d["autotask_id"], invoice_number=d["invoice_number"], company=d.get("company", ""),
        status=d["status"], autotask_total=Decimal(d["autotask_total"]), xero_total=Decimal(d["xero_total"]),
        difference=Decimal(d["difference"]), rounding_line=Decimal(d["rounding_line"]),
        tolerance=Decimal(d.get("tolerance", "3.00")),
        causes=tuple(
            Cause(c["code"], Decimal(c["amount"]), tuple(c["evidence"]), tuple(c["fix"])) for c in d.get("causes", [])
        ),
        explanation=d.get("explanation", ""),
        draft=draft_from_dict(d["draft"]) if d.get("draft") else None,
        lines=tuple(lines), warnings=tuple(d.get("warnings", ())), notes=tuple(d.get("notes", ())),
        xero_invoice_id=d.get("xero_invoice_id"), extra=d.get("extra") or {},
        unchecked=tuple(d.get("unchecked", ())),
        currency=d.get("currency") or "", organisation=d.get("organisation") or "",
    )
