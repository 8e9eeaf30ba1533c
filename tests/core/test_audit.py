"""Audit and diagnosis on the demo tenant and on hand-made edge cases (pure core)."""

from decimal import Decimal as D

import pytest

from depot_gui.core.audit import MISMATCH, READY, audit_invoice
from depot_gui.core.models import AutotaskInvoice, LobAccess
from depot_gui.core.settings import Settings

from .helpers import OPEN, RESTRICTED, demo, evidence, invoice, item, items, one_invoice, reference


@pytest.fixture(scope="module")
def sc():
    return demo()


def run(sc, number, lob=RESTRICTED, hidden=(13,), settings=Settings(), **ev):
    inv = invoice(sc, number)
    return audit_invoice(inv, items(sc, inv.id, hidden), reference(sc, lob), settings, evidence(lob, **ev))


def test_demo_clean_invoice_is_ready(sc):
    r = run(sc, "INV-5001")
    assert (r.status, r.xero_total, r.difference, r.rounding_line) == (READY, D("1633.50"), 0, 0)
    assert r.causes == () and "exactly" in r.explanation


def test_demo_hidden_line_of_business_is_lob_access(sc):
    r = run(sc, "INV-5002", redownloaded=True, first_item_count=2)
    assert r.status == MISMATCH and r.difference == D("4177.80")
    assert r.cause_codes == ["lob_access"]
    cause = r.causes[0]
    assert cause.amount == D("4177.80")
    assert any("Sydney / Hardware" in e for e in cause.evidence)
    assert any("Line of Business" in f for f in cause.fix)
    assert "4,177.80" in r.explanation


def test_demo_pending_item_missing_is_items_pending_when_second_download_differs(sc):
    inv = invoice(sc, "INV-5003")
    partial = [i for i in items(sc, inv.id) if i.id != 9008]
    r = audit_invoice(inv, partial, reference(sc, OPEN), Settings(), evidence(OPEN, redownloaded=True))
    assert r.status == MISMATCH and r.difference == D("726.00")
    assert r.cause_codes == ["items_pending"]
    assert any("3 minutes ago" in e for e in r.causes[0].evidence)


def test_fresh_invoice_with_restricted_user_names_both_lob_first(sc):
    inv = invoice(sc, "INV-5003")
    partial = [i for i in items(sc, inv.id) if i.id != 9008]
    r = audit_invoice(inv, partial, reference(sc, RESTRICTED), Settings(), evidence(RESTRICTED, redownloaded=True))
    assert r.cause_codes[0] == "lob_access"
    assert any("still be attaching" in e for e in r.causes[0].evidence)


def test_items_changed_on_redownload_is_items_pending_even_for_restricted_user(sc):
    inv = invoice(sc, "INV-5003")
    partial = [i for i in items(sc, inv.id) if i.id != 9008]
    r = audit_invoice(
        inv, partial, reference(sc, RESTRICTED), Settings(),
        evidence(RESTRICTED, redownloaded=True, items_changed=True, first_item_count=1),
    )
    assert r.cause_codes == ["items_pending"]


def test_demo_service_adjustment_then_ready_when_setting_on(sc):
    r = run(sc, "INV-5004")
    assert r.status == MISMATCH and r.difference == D("137.50")
    assert r.cause_codes == ["service_adjustment"] and r.causes[0].amount == D("137.50")
    assert any("1 x 87.50" in f for f in r.causes[0].fix)
    r2 = run(sc, "INV-5004", settings=Settings(service_adjustments=True))
    assert (r2.status, r2.difference, r2.xero_total) == (READY, 0, D("1333.75"))
    adj = next(ln for ln in r2.draft.lines if ln.source_item_id == 9010)
    assert (adj.quantity, adj.unit_amount) == (1, D("87.5"))


def test_demo_rounding_only_gets_rounding_line(sc):
    r = run(sc, "INV-5005")
    assert (r.status, r.xero_total, r.difference, r.rounding_line) == (READY, D("109.98"), D("0.02"), D("0.02"))
    rounding = [ln for ln in r.draft.lines if ln.is_rounding]
    assert len(rounding) == 1 and rounding[0].account_code == "860" and rounding[0].tax == 0
    assert r.draft.totals().total == D("110.00")


def test_restricted_user_whose_invoice_is_complete_anyway_is_ready(sc):
    r = run(sc, "INV-5001", lob=RESTRICTED)
    assert r.status == READY


@pytest.mark.parametrize("diff,status", [("3.00", READY), ("3.01", MISMATCH), ("-3.00", READY), ("-3.01", MISMATCH)])
def test_tolerance_edge(sc, diff, status):
    inv, its = one_invoice(sc, [item(quantity="10", rate="100")])
    inv = AutotaskInvoice.from_api({"id": 1, "invoiceNumber": "T-1", "companyID": 100,
                                    "invoiceTotal": D("1100.00") + D(diff), "totalTaxValue": D("100")})
    r = audit_invoice(inv, its, reference(sc), Settings(), evidence())
    assert r.status == status
    if status == READY:
        assert r.rounding_line == D(diff) and r.draft.totals().total == inv.total


def test_configurable_tolerance(sc):
    inv, its = one_invoice(sc, [item()], total="15.00")
    assert audit_invoice(inv, its, reference(sc), Settings(tolerance=D("5")), evidence()).status == READY
    assert audit_invoice(inv, its, reference(sc), Settings(tolerance=D("0")), evidence()).status == MISMATCH


def test_credit_line_sign_moves_to_unit_amount(sc):
    inv, its = one_invoice(sc, [item(1, quantity="10", rate="45"), item(2, quantity="-2", rate="45")])
    r = audit_invoice(inv, its, reference(sc), Settings(), evidence())
    credit = next(ln for ln in r.draft.lines if ln.source_item_id == 2)
    assert (credit.quantity, credit.unit_amount, credit.amount) == (2, D(-45), D("-90.00"))
    assert r.status == READY and r.xero_total == D("396.00")


def test_negative_total_invoice_becomes_credit_note(sc):
    inv, its = one_invoice(sc, [item(1, quantity="-2", rate="45")])
    r = audit_invoice(inv, its, reference(sc), Settings(), evidence())
    assert r.status == READY and r.xero_total == D("-99.00")
    body = r.draft.payload("DRAFT")
    assert body["Type"] == "ACCRECCREDIT" and body["CreditNoteNumber"] == "T-1"
    assert body["LineItems"][0]["Quantity"] == 2 and body["LineItems"][0]["UnitAmount"] == 45


def test_four_decimal_rates_difference_is_precision(sc):
    raw = [item(i, quantity="1", rate="33.3333", ext="33.33", tax="3.33") for i in range(1, 1001)]
    total = (D("33.3333") * 1000 * D("1.1")).quantize(D("0.01"))
    inv, its = one_invoice(sc, raw, total=str(total), tax=str(D("3333.33")))
    r = audit_invoice(inv, its, reference(sc), Settings(), evidence())
    # 1000 x 36.66 = 36660.00 in Xero; Autotask computed 36666.63 from 4-decimal prices.
    assert r.status == MISMATCH and r.cause_codes == ["precision"]


def test_large_unit_precision_line(sc):
    raw = [item(1, quantity="1000", rate="0.12345", ext="123.45", tax="12.35")]
    inv, its = one_invoice(sc, raw)
    r = audit_invoice(inv, its, reference(sc), Settings(tolerance=D("0")), evidence())
    assert r.xero_total == D("135.85")  # 1000 x 0.1235 (4 dp) = 123.50 + 12.35
    assert r.cause_codes == ["precision"]


def test_tax_mapping_when_subtotals_agree(sc):
    s = demo()
    s["autotask"]["entities"]["Taxes"][0]["taxRate"] = D("15")  # no Xero rate at 15 %
    raw = [item(1, quantity="10", rate="100", rate_pct="15")]
    inv, its = one_invoice(s, raw)
    r = audit_invoice(inv, its, reference(s), Settings(), evidence())
    assert r.status == MISMATCH and r.cause_codes == ["tax_mapping"] and r.difference == D("50.00")
    assert any("15%" in w for w in r.warnings)
    assert list(r.causes[0].fix[-2:]) == [  # where the mapping really is (there is no Settings › Connections › Mapping)
        "Open File › Account and tax mapping… and map each Autotask tax to the Xero tax rate with the same "
        "percentage (depot-sync: mapping tax RATE TAXTYPE).",
        "Then press Re-sync."]


def test_unexplained_line_is_unknown_with_numbers(sc):
    raw = [item(1, quantity="2", rate="100", ext="150.00", tax="15.00")]
    inv, its = one_invoice(sc, raw)
    r = audit_invoice(inv, its, reference(sc), Settings(), evidence())
    assert r.status == MISMATCH and r.cause_codes == ["unknown"]
    assert "150.00" in r.causes[0].evidence[0]


def test_missing_items_with_unrestricted_user_old_invoice_is_unknown_not_a_guess(sc):
    inv, its = one_invoice(sc, [item(1)], total="500.00")
    r = audit_invoice(inv, its, reference(sc, OPEN), Settings(), evidence(OPEN, redownloaded=True))
    assert r.cause_codes == ["unknown"]
    ev = " ".join(r.causes[0].evidence)
    assert "489.00 of items is missing" in ev and "sees every line of business" in ev
    assert "same items" in ev


def test_missing_items_on_a_fresh_invoice_are_items_pending(sc):
    inv, its = one_invoice(sc, [item(1)], total="500.00", createDateTime="2026-11-20T08:55:00")
    r = audit_invoice(inv, its, reference(sc, OPEN), Settings(), evidence(OPEN, redownloaded=True))
    assert r.cause_codes == ["items_pending"]
    assert any("5 minutes ago" in e for e in r.causes[0].evidence)


def test_unchecked_lob_access_is_said_not_assumed(sc):
    unchecked = LobAccess(checked=False, note="Autotask did not answer")
    inv, its = one_invoice(sc, [item(1)], total="500.00")
    r = audit_invoice(inv, its, reference(sc, unchecked), Settings(), evidence(unchecked))
    assert r.cause_codes == ["unknown"]
    assert r.unchecked == ("lob_access",)
    assert r.explanation.splitlines()[-1] == (
        "Not checked: whether the API user sees every line of business (Autotask did not answer)."
    )
    assert not any("sees every line of business" in e for c in r.causes for e in c.evidence)


def test_hidden_credit_line_reads_as_credits_missing(sc):
    inv, its = one_invoice(sc, [item(1, quantity="10", rate="15")], total="100.00")
    r = audit_invoice(inv, its, reference(sc, RESTRICTED), Settings(), evidence(RESTRICTED))
    assert r.cause_codes == ["lob_access"] and r.causes[0].amount == D("-65.00")
    assert "(credits) are missing" in r.causes[0].evidence[0]


def test_voided_invoice_is_not_offered(sc):
    inv, its = one_invoice(sc, [item()], isVoided=True)
    r = audit_invoice(inv, its, reference(sc), Settings(), evidence())
    assert r.status == "error" and "voided" in r.explanation


def test_empty_invoice_number_uses_id(sc):
    inv, its = one_invoice(sc, [item()], invoiceNumber=None, id=777)
    assert inv.number == "777"
    r = audit_invoice(inv, its, reference(sc), Settings(), evidence())
    assert r.draft.invoice_number == "777"


def test_contact_matched_by_name_or_created(sc):
    r = run(sc, "INV-5001")
    assert r.draft.contact.contact_id == "9a0b1c2d-0000-4000-8000-000000000100"
    r2 = run(sc, "INV-5005")
    assert not r2.draft.contact.exists and r2.draft.contact.name == "Bluegum Legal"
    assert r2.draft.payload("DRAFT")["Contact"] == {"Name": "Bluegum Legal"}


def test_account_code_from_billing_code_external_number(sc):
    inv = invoice(sc, "INV-5002")
    r = audit_invoice(inv, items(sc, inv.id), reference(sc), Settings(), evidence())
    codes = {ln.source_item_id: ln.account_code for ln in r.draft.lines}
    assert codes == {9003: "200", 9004: "260", 9005: "200"}
    assert all(ln.tax_type == "OUTPUT" for ln in r.draft.lines)


def test_tax_exempt_company_gets_zero_rate(sc):
    s = demo()
    s["autotask"]["entities"]["Companies"][0]["isTaxExempt"] = True
    inv, its = one_invoice(s, [item(1, quantity="1", rate="100", tax="0")])
    r = audit_invoice(inv, its, reference(s), Settings(), evidence())
    assert r.status == READY and r.draft.lines[0].tax_rate == 0


def test_payload_never_sends_totals_or_line_amounts(sc):
    body = run(sc, "INV-5001").draft.payload("DRAFT")
    assert "Total" not in body and "SubTotal" not in body
    assert all("LineAmount" not in ln and "DiscountRate" not in ln for ln in body["LineItems"])
    assert body["LineAmountTypes"] == "Exclusive" and body["Status"] == "DRAFT"


def test_no_items_within_tolerance_is_an_error_not_ready(sc):
    inv, _ = one_invoice(sc, [], total="2.50")
    r = audit_invoice(inv, [], reference(sc, RESTRICTED), Settings(), evidence(RESTRICTED))
    assert r.status == "error" and "no billing items" in r.explanation and "lines of business" in r.explanation


def test_unknown_company_is_an_error(sc):
    inv, its = one_invoice(sc, [item()], companyID=999)
    r = audit_invoice(inv, its, reference(sc), Settings(), evidence())
    assert r.status == "error" and "company" in r.explanation


def test_rounding_line_never_carries_tax(sc):
    s = demo()
    s["xero"]["TaxRates"] = [t for t in s["xero"]["TaxRates"] if t["EffectiveRate"] != 0]
    r = audit_invoice(invoice(s, "INV-5005"), items(s, 5005), reference(s), Settings(), evidence())
    assert r.status == READY and r.rounding_line == 0 and not any(ln.is_rounding for ln in r.draft.lines)
    assert any("0% tax rate" in w for w in r.warnings)


def test_many_lines_with_the_same_problem_read_as_a_few_examples_and_a_count(sc):
    s = demo()
    s["autotask"]["entities"]["Taxes"][0]["taxRate"] = D("15")
    raw = [item(i, quantity="1", rate="10", rate_pct="15") for i in range(1, 1251)]
    inv, its = one_invoice(s, raw)
    r = audit_invoice(inv, its, reference(s), Settings(), evidence())
    [cause] = r.causes
    assert cause.code == "tax_mapping" and len(cause.evidence) == 7
    assert cause.evidence[0] == "No active Xero tax rate is 15%, the Autotask tax rate of 1,250 lines."
    assert cause.evidence[-1] == "... and 1,245 more lines like these."
    assert len(r.warnings) == 1 and "and 1,247 more lines" in r.warnings[0]


def test_tax_rate_taken_from_the_line_when_autotask_taxes_are_unreadable(sc):
    s = demo()
    s["autotask"]["entities"]["Taxes"] = []  # e.g. the API user cannot read Taxes
    inv = invoice(s, "INV-5001")
    r = audit_invoice(inv, items(s, inv.id), reference(s), Settings(), evidence())
    assert r.status == READY and {ln.tax_type for ln in r.draft.lines} == {"OUTPUT"}
    assert any("taken from each line's own tax" in w for w in r.warnings)


def test_unknown_cause_says_compare_the_lines_once(sc):
    inv, its = one_invoice(sc, [item(1)], total="500.00")
    r = audit_invoice(inv, its, reference(sc, OPEN), Settings(), evidence(OPEN, redownloaded=True))
    assert tuple(r.causes[0].fix) == (
        "Open the invoice in Autotask and compare its lines with the ones below: items removed, voided or "
        "re-invoiced after the invoice was made explain a gap like this.",
        "If you cannot see why, use Help › Copy diagnostics and send it to support.",
    )
    raw = [item(1, quantity="2", rate="100", ext="150.00", tax="15.00")]
    inv, its = one_invoice(sc, raw)
    r = audit_invoice(inv, its, reference(sc), Settings(), evidence())
    assert tuple(r.causes[0].fix) == (
        "Compare the lines below with the invoice in Autotask.",
        "If you cannot see why, use Help › Copy diagnostics and send it to support.",
    )


def test_how_long_ago_reads_as_a_person_says_it():
    from depot_gui.core.diagnosis import how_long

    assert [how_long(m) for m in (0, 1, 5, 119, 120, 179, 2879, 2880, 27770, 1_500_000)] == [
        "0 minutes", "1 minute", "5 minutes", "119 minutes", "2 hours", "2 hours", "47 hours", "2 days", "19 days",
        "1,041 days"]
