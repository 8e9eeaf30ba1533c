"""Catalogue: setting values — refused with one line naming the value; nothing stored."""

from __future__ import annotations

import pytest

from .conftest import Before

CASES = {
    ("tolerance", "abc"): "'abc' is not a number; use a value like 3.00",
    ("tolerance", "-1"): "the maximum rounding difference (tolerance) must be an amount from 0.00 to 1,000,000.00, like 3.00",
    ("tolerance", "1.234"): "'1.234' has more than 2 decimals; money is compared to the cent",
    ("tolerance", "NaN"): "the maximum rounding difference (tolerance) must be an amount from 0.00 to 1,000,000.00, like 3.00",
    ("tolerance", "1e999999"): "the maximum rounding difference (tolerance) must be an amount from 0.00 to 1,000,000.00, like 3.00",
    ("tolerance", "3\x00"): "'3\\x00' is not a number; use a value like 3.00",
    ("tolerance", "٣.٠٠"): "'٣.٠٠' is not a number; use a value like 3.00",
    ("service_adjustments", "maybe"): "'maybe' is not on or off",
    ("xero_status", "paid"): "'paid' must be one of: draft, awaiting_approval (Xero: submitted), approved (Xero: authorised)",
    ("fresh_minutes", "99999999999999999999999"): "minutes must be between 0 and 1440",
    ("fresh_minutes", "٣"): "'٣' is not a whole number of minutes",
    ("contact_match", "telepathy"): "'telepathy' must be one of: name, account_number, name_or_account_number",
    ("audit_months", "0"): "0 months would audit no dates; give 1 to 120 months, or 'all' for every unsynced invoice",
    ("audit_months", "121"): "the audit period must be 1 to 120 months, or 'all'",
}


@pytest.mark.parametrize(("key", "value"), list(CASES), ids=[f"{k}={v!r}" for k, v in CASES])
def test_bad_setting_value(cli, synced_dir, key, value):
    before = Before(synced_dir)
    ran = cli("--data-dir", synced_dir, "settings", "set", key, value)
    assert ran.code == 2
    assert ran.line == f"depot-sync: {key}: {CASES[(key, value)]}"
    assert ran.out == ""
    before.assert_unchanged()
    shown = cli("--data-dir", synced_dir, "settings", "show")
    assert shown.code == 0 and "tolerance = 3.00" in shown.out.splitlines()


def test_tolerance_minus_zero_is_zero(cli, synced_dir):
    ran = cli("--data-dir", synced_dir, "settings", "set", "tolerance", "-0")
    assert ran.code == 0 and ran.err == ""
    assert "tolerance = 0.00" in ran.out.splitlines()
    assert "tolerance = 0.00" in cli("--data-dir", synced_dir, "settings", "show").out.splitlines()


def test_audit_months_all_is_said_in_words(cli, synced_dir):
    ran = cli("--data-dir", synced_dir, "settings", "set", "audit_months", "all")
    assert ran.code == 0 and "audit_months = all" in ran.out.splitlines()
