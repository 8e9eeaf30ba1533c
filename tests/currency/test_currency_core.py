"""Currencies in the pure core: which currency an invoice is in, and what the draft carries."""

from decimal import Decimal as D

from depot_gui.core.audit import audit_invoice
from depot_gui.core.currency import AutotaskCurrency, InvoiceCurrency, currency_problem, invoice_currency, iso_code
from depot_gui.core.models import AutotaskInvoice, BillingItem
from depot_gui.core.settings import Settings

from ..core.helpers import evidence, reference
from .scenario import CURRENCIES, multi_currency

ROWS = {c["id"]: AutotaskCurrency.from_api(c) for c in CURRENCIES}


def test_the_iso_code_is_read_from_name_or_description():
    assert iso_code({"id": 2, "name": "NZD", "description": "New Zealand Dollar"}) == "NZD"
    assert iso_code({"id": 2, "name": "New Zealand Dollar", "description": "nzd"}) == "NZD"
    assert iso_code({"id": 2, "name": "Kiwi dollars", "description": "Kiwi"}) == ""


def test_a_company_s_currency():
    assert invoice_currency(None, ROWS, "AUD") == InvoiceCurrency("AUD")  # no currencyID: base
    assert invoice_currency(2, {}, "AUD") == InvoiceCurrency("AUD")  # no Currencies rows: base
    assert invoice_currency(1, ROWS, "AUD") == InvoiceCurrency("AUD")  # the internal currency: base
    internal_usd = {1: AutotaskCurrency(1, "USD", None, True)}  # the contract: internal means Xero's base currency
    assert invoice_currency(1, internal_usd, "AUD") == InvoiceCurrency("AUD")
    assert invoice_currency(2, ROWS, "AUD") == InvoiceCurrency("NZD", D("1.085"))
    unknown = invoice_currency(9, ROWS, "AUD")
    assert unknown.code == "" and "currency 9" in unknown.unknown


def test_a_currency_the_organisation_has_not_added_is_named_with_where_to_add_it():
    text = currency_problem(InvoiceCurrency("USD"), "AUD", ("NZD",), "Acme MSP Pty Ltd")
    assert text == (
        "Not synced: this invoice is in USD, and the Xero organisation Acme MSP Pty Ltd has not added USD (its "
        "base currency is AUD). In Xero, add USD under Settings › Currencies, then press Re-sync; Depot GUI "
        "never sends an invoice in another currency.")
    assert currency_problem(InvoiceCurrency("NZD"), "AUD", ("NZD",), "Acme") == ""
    assert currency_problem(InvoiceCurrency("AUD"), "AUD", (), "Acme") == ""


def _audit(number: str, settings: Settings = Settings(), added=("NZD",)):
    sc = multi_currency()
    ref = reference(sc)
    ref.currencies = dict(ROWS)
    ref.base_currency, ref.organisation, ref.xero_currencies = "AUD", "Acme MSP Pty Ltd", added
    e = sc["autotask"]["entities"]
    raw = next(i for i in e["Invoices"] if i["invoiceNumber"] == number)
    items = [BillingItem.from_api(b) for b in e["BillingItems"] if b["invoiceID"] == raw["id"]]
    return audit_invoice(AutotaskInvoice.from_api(raw), items, ref, settings, evidence())


def test_an_nzd_invoice_goes_in_nzd_at_xero_s_rate_of_the_day():
    r = _audit("INV-7001")
    assert (r.status, r.currency, r.organisation) == ("ready", "NZD", "Acme MSP Pty Ltd")
    assert (r.autotask_total, r.xero_total, r.difference) == (D("455.95"), D("455.95"), D("0"))
    body = r.draft.payload("DRAFT")
    assert body["CurrencyCode"] == "NZD" and "CurrencyRate" not in body


def test_with_autotask_s_rate_chosen_the_rate_goes_along():
    r = _audit("INV-7001", Settings(exchange_rate="AUTOTASK"))
    body = r.draft.payload("DRAFT")
    assert (body["CurrencyCode"], body["CurrencyRate"]) == ("NZD", D("1.085"))


def test_a_base_currency_invoice_is_sent_as_before():
    r = _audit("INV-5001", Settings(exchange_rate="AUTOTASK"))
    assert (r.status, r.currency) == ("ready", "AUD")
    body = r.draft.payload("DRAFT")
    assert "CurrencyCode" not in body and "CurrencyRate" not in body


def test_a_currency_not_added_in_xero_is_an_error_with_no_rounding_line():
    r = _audit("INV-7002", Settings(tolerance=D("3.00")))
    assert (r.status, r.currency, r.rounding_line) == ("error", "USD", D("0"))
    assert "this invoice is in USD" in r.explanation and "Settings › Currencies" in r.explanation
    assert not any(ln.is_rounding for ln in r.draft.lines)
    assert r.extra["currency_missing"] == "USD"
