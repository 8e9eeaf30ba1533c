"""Xero's arithmetic: half away from zero, per-line tax, sums of rounded lines.

Expected values are literals worked out by hand; the half-cent ties are where half away from
zero and half to even (banker's) differ, so a change of rounding mode fails here.
"""

from decimal import ROUND_FLOOR
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from depot_gui.core.audit import READY, audit_invoice
from depot_gui.core.mapping import map_invoice
from depot_gui.core.money import fmt2, round2, to_decimal
from depot_gui.core.settings import Settings
from depot_gui.core.xero_math import invoice_totals, line_amount, line_tax

from ..ties import ties_scenario
from .helpers import OPEN, evidence, invoice, items, reference


def test_xero_tax_guide_example_half_away_from_zero():
    # Two lines of 45.45 at 10 %: 4.545 each -> 4.55 each -> 9.10 (per-invoice would be 9.09).
    t = invoice_totals([(D(1), D("45.45"), D(10)), (D(1), D("45.45"), D(10))])
    assert (t.sub_total, t.total_tax, t.total) == (D("90.90"), D("9.10"), D("100.00"))


def test_xero_rounding_guide_example():
    t = invoice_totals([(D(1), D("25.06"), D(15)), (D(1), D("25.61"), D(15)), (D(1), D("25.63"), D(15))])
    assert (t.sub_total, t.total_tax, t.total) == (D("76.30"), D("11.44"), D("87.74"))


def test_negative_half_rounds_away_from_zero():
    assert round2(D("-4.545")) == D("-4.55")
    assert line_tax(D("-45.45"), D(10)) == D("-4.55")


@pytest.mark.parametrize("quantity, unit, amount", [
    ("3", "19.995", "59.99"),     # 59.985: half to even would give 59.98
    ("3", "-19.995", "-59.99"),   # -59.985: half to even would give -59.98
    ("1", "0.125", "0.13"),
    ("1", "-4.545", "-4.55"),
    ("100", "1.00005", "100.01"),  # the unit amount ties at 4 dp: 1.0001 (half to even: 1.0000 -> 100.00)
    ("0.00005", "10000", "1.00"),  # so does the quantity: 0.0001 x 10000
])
def test_line_amount_half_cent_ties_round_away_from_zero(quantity, unit, amount):
    assert line_amount(D(quantity), D(unit)) == D(amount)


@pytest.mark.parametrize("amount, rate, tax", [
    ("59.99", "15", "9.00"),      # 8.9985
    ("14.36", "12.5", "1.80"),    # 1.795
    ("14.28", "12.5", "1.79"),    # 1.785: half to even would give 1.78
    ("-14.28", "12.5", "-1.79"),  # -1.785: half to even would give -1.78
    ("-59.99", "15", "-9.00"),
    ("0.10", "5", "0.01"),        # 0.005
    ("-0.10", "5", "-0.01"),
])
def test_line_tax_half_cent_ties_round_away_from_zero(amount, rate, tax):
    assert line_tax(D(amount), D(rate)) == D(tax)


def test_invoice_totals_with_ties():
    lines = [(D(3), D("19.995"), D(15)), (D(1), D("14.28"), D("12.5")), (D(1), D("14.36"), D("12.5"))]
    t = invoice_totals(lines)
    assert (t.sub_total, t.total_tax, t.total) == (D("88.63"), D("12.59"), D("101.22"))
    t = invoice_totals([(D(3), D("-19.995"), D(15)), (D(1), D("-14.28"), D("12.5"))])
    assert (t.sub_total, t.total_tax, t.total) == (D("-74.27"), D("-10.79"), D("-85.06"))


@pytest.mark.parametrize("number, lines, totals", [
    ("INV-7001", [("59.99", "9.00"), ("14.28", "1.79"), ("14.36", "1.80")], ("88.63", "12.59", "101.22")),
    ("INV-7002", [("-59.99", "-9.00"), ("-14.28", "-1.79")], ("-74.27", "-10.79", "-85.06")),
])
def test_mapped_draft_and_audit_round_ties_like_xero(number, lines, totals):
    """The app's real path: Autotask items -> mapped Xero draft -> audit, on half-cent ties (tests/ties.py)."""
    sc = ties_scenario()
    inv = invoice(sc, number)
    draft = map_invoice(inv, items(sc, inv.id), reference(sc, OPEN), Settings())
    assert [(ln.amount, ln.tax) for ln in draft.lines] == [(D(a), D(t)) for a, t in lines]
    t = draft.totals()
    assert (t.sub_total, t.total_tax, t.total) == tuple(D(x) for x in totals)
    r = audit_invoice(inv, items(sc, inv.id), reference(sc, OPEN), Settings(), evidence(OPEN))
    assert (r.status, r.xero_total, r.difference, r.rounding_line) == (READY, D(totals[2]), 0, 0)


def test_unit_amount_kept_to_four_decimals():
    assert line_amount(D(3), D("33.33333")) == D("100.00")  # 33.3333 x 3 = 99.9999 -> 100.00
    assert line_amount(D(1), D("33.3333")) == D("33.33")


def test_wire_values_never_go_through_binary_floats():
    assert to_decimal(0.1) == D("0.1")
    assert to_decimal("1633.50") == D("1633.50")
    assert fmt2(D("-0.001")) == "0.00"
    assert fmt2(D("4177.8")) == "4177.80"


money = st.decimals(min_value=D("-99999"), max_value=D("99999"), places=4)
qty = st.decimals(min_value=D("0"), max_value=D("1000"), places=4)
rate = st.sampled_from([D(0), D(5), D(10), D(15), D("12.5"), D(20), D("8.875")])


def cents_by_hand(x: D) -> D:
    """Half away from zero by integer steps, independent of round2: sign x floor(|x| x 100 + 1/2) / 100."""
    n = (abs(x) * 100 + D("0.5")).to_integral_value(rounding=ROUND_FLOOR)
    return (n if x >= 0 else -n) / 100


@given(st.lists(st.tuples(qty, money, rate), max_size=30))
def test_total_tax_is_sum_of_rounded_line_taxes(lines):
    t = invoice_totals(lines)
    expected_tax = sum((cents_by_hand(cents_by_hand(q * u) * r / 100) for q, u, r in lines), D(0))
    assert t.total_tax == expected_tax
    assert t.total == t.sub_total + t.total_tax
    assert t.sub_total == t.sub_total.quantize(D("0.01"))


@given(money)
def test_round2_is_symmetric(x):
    assert round2(-x) == -round2(x)


@given(money, rate)
def test_line_tax_error_below_half_cent(amount, r):
    amount = round2(amount)
    assert abs(line_tax(amount, r) - amount * r / 100) <= D("0.005")
