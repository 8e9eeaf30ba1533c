"""Xero line-item arithmetic: normalising line items and computing LineAmount, TaxAmount and totals."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from depot_gui.sandbox.http.messages import out_of_range
from depot_gui.sandbox.xero.numbers import cents, four_dp, parse_number
from depot_gui.sandbox.xero.tracking import line_tracking

ZERO = Decimal("0.00")
Q4 = Decimal("0.0001")


@dataclass
class Org:
    """What the builder needs from a tenant's books."""

    tenant: dict
    now: object
    unitdp: int = 2
    trusted: bool = False
    options: dict = field(default_factory=dict)

    def account(self, code: str) -> dict | None:
        """Account by code (case-insensitive)."""
        return next((a for a in self.tenant["Accounts"] if str(a.get("Code", "")).lower() == code.lower()), None)

    def tax_rate(self, tax_type: str) -> dict | None:
        """Tax rate by TaxType."""
        return next((t for t in self.tenant["TaxRates"] if t["TaxType"].upper() == tax_type.upper()), None)


def num(value: object, what: str, errors: list[str]) -> Decimal | None:
    """A request number as Decimal (None when absent); records a validation error when not a number."""
    if value is None:
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        number = parse_number(value)
    except ValueError:
        errors.append(f"The {what} value '{value}' is not a valid number.")
        return None
    if out_of_range(number) is not None:
        errors.append(f"The {what} value '{str(value)[:40]}' is outside the range Xero accepts.")
        return None
    return number


def build_lines(lines_in: object, amount_types: str, doc_type: str, org: Org, errors: list[str],
                previous: list[dict] | None = None) -> list[dict]:
    """Normalise line items and compute LineAmount / TaxAmount exactly as Xero does."""
    if lines_in is None:
        return []
    if not isinstance(lines_in, list):
        errors.append("LineItems must be an array.")
        return []
    prev_ids = {str(p["LineItemID"]).lower() for p in previous or []}
    dp_q = Decimal(1).scaleb(-org.unitdp)
    out = []
    for raw in lines_in:
        if not isinstance(raw, dict):
            errors.append("Each line item must be an object.")
            continue
        q = num(raw.get("Quantity"), "quantity", errors)
        u = num(raw.get("UnitAmount"), "unit amount", errors)
        given = num(raw.get("LineAmount"), "line amount", errors)
        dr = num(raw.get("DiscountRate"), "discount rate", errors)
        da = num(raw.get("DiscountAmount"), "discount amount", errors)
        desc = raw.get("Description")
        if q is None and u is None:
            if given is not None:
                q, u = Decimal(1), given
        elif q is None:
            q = (four_dp(given / u) if given is not None and u else Decimal(1))
        elif u is None:
            u = (given / q if given is not None and q else ZERO)
        line: dict = {"LineItemID": None, "Description": desc}
        if q is not None:
            q = four_dp(q)
            u = u.quantize(dp_q, rounding="ROUND_HALF_UP")  # type: ignore[union-attr]
            if q < 0:
                errors.append(f"The quantity value '{q}' is invalid. Quantity must not be less than zero.")
            gross = q * u
            if dr is not None and dr != 0:
                expected = cents(gross * (Decimal(100) - dr) / Decimal(100))
            elif da is not None and da != 0:
                expected = cents(gross - da)
            else:
                expected = cents(gross)
            if (dr or da) and doc_type != "ACCREC":
                errors.append("Discounts are only supported on sales invoices.")
            if da is not None and da == 0 and gross < 0:
                errors.append("The discount rate '0.00' is invalid. Discount must not be greater than the line total.")
            if given is not None and cents(given) != expected and not org.trusted:
                errors.append(f"The line total {cents(given)} does not match the expected line total {expected}")
            line.update({"Quantity": q, "UnitAmount": u, "LineAmount": expected})
            if dr is not None:
                line["DiscountRate"] = dr
            if da is not None:
                line["DiscountAmount"] = cents(da)
        else:
            if not desc:
                errors.append("Description needs to be specified for a line item.")
            line["LineAmount"] = ZERO
        code = raw.get("AccountCode")
        account = None
        if code not in (None, ""):
            account = org.account(str(code))
            if account is None:
                errors.append(f"Account code '{code}' is not a valid code for this document.")
            elif account.get("Status", "ACTIVE") != "ACTIVE":
                errors.append(f"Account code '{code}' has been archived, or deleted. Each line item must "
                              "reference a valid account.")
            if account is not None:
                line["AccountCode"] = account["Code"]
                line["AccountID"] = account["AccountID"]
        if raw.get("ItemCode"):
            line["ItemCode"] = raw["ItemCode"]
        tax_type = raw.get("TaxType") or (account or {}).get("TaxType")
        rate = ZERO
        if amount_types != "NoTax" and tax_type:
            tr = org.tax_rate(str(tax_type))
            if tr is None or tr.get("Status", "ACTIVE") != "ACTIVE":
                errors.append(f"The TaxType code '{tax_type}' does not exist or cannot be used for this type "
                              "of transaction.")
            else:
                rate = parse_number(tr.get("EffectiveRate", tr.get("DisplayTaxRate", 0)))
                tax_type = tr["TaxType"]
        line["TaxType"] = tax_type if amount_types != "NoTax" else (tax_type or "NONE")
        la = line["LineAmount"]
        if amount_types == "Exclusive":
            line["TaxAmount"] = cents(la * rate / Decimal(100))
        elif amount_types == "Inclusive":
            line["TaxAmount"] = cents(la * rate / (Decimal(100) + rate))
        else:
            line["TaxAmount"] = ZERO
        line["Tracking"] = line_tracking(raw.get("Tracking"), org.tenant.get("TrackingCategories", []), errors,
                                         org.trusted)
        rid = raw.get("LineItemID")
        line["LineItemID"] = str(rid) if rid and str(rid).lower() in prev_ids else str(uuid.uuid4())
        out.append(line)
    return out


def totals(doc: dict) -> None:
    """SubTotal, TotalTax, Total, AmountDue from the lines (client-supplied totals are ignored)."""
    lines = doc["LineItems"]
    tax = sum((ln["TaxAmount"] for ln in lines), ZERO)
    amounts = sum((ln["LineAmount"] for ln in lines), ZERO)
    if doc["LineAmountTypes"] == "Inclusive":
        sub, total = amounts - tax, amounts
    else:
        sub, total = amounts, amounts + tax
    doc["SubTotal"], doc["TotalTax"], doc["Total"] = cents(sub), cents(tax), cents(total)
    discount = sum((cents(ln["Quantity"] * ln["UnitAmount"]) - ln["LineAmount"] for ln in lines
                    if "Quantity" in ln and ("DiscountRate" in ln or "DiscountAmount" in ln)), ZERO)
    doc["TotalDiscount"] = cents(discount)
    paid = doc.get("AmountPaid", ZERO)
    credited = doc.get("AmountCredited", ZERO)
    doc["AmountPaid"], doc["AmountCredited"] = paid, credited
    doc["AmountDue"] = cents(doc["Total"] - paid - credited)
    if doc.get("_kind") == "CreditNotes":
        doc["RemainingCredit"] = doc["AmountDue"]


def same_lines(a: list[dict], b: list[dict]) -> bool:
    """Whether two line lists carry the same content."""
    keys = ("Description", "Quantity", "UnitAmount", "LineAmount", "AccountCode", "TaxType", "ItemCode",
            "DiscountRate", "DiscountAmount")
    norm = lambda ls: [tuple(canon(ln.get(k)) for k in keys) for ln in ls]  # noqa: E731
    return norm(a) == norm(b)


def canon(v: object) -> object:
    """Comparable form (Decimals normalised)."""
    return v.normalize() if isinstance(v, Decimal) else v

