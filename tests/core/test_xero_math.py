"""Xero's arithmetic: half away from zero, per-line tax, sums of rounded lines."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from depot_gui.core.money import fmt2, round2, to_decimal
from depot_gui.core.xero_math import invoice_totals, line_amount, line_tax


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


@given(st.lists(st.tuples(qty, money, rate), max_size=30))
def test_total_tax_is_sum_of_rounded_line_taxes(lines):
    t = invoice_totals(lines)
    expected_tax = sum((round2(round2(q * u) * r / 100) for q, u, r in lines), D(0))
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
