"""Settings parse user text strictly and say what is wrong in one sentence."""

from decimal import Decimal as D

import pytest

from depot_gui.core.money import MoneyError, fmt_price, to_decimal
from depot_gui.core.settings import SettingError, Settings


@pytest.mark.parametrize("text,value", [("3", D("3.00")), ("2.5", D("2.50")), ("0", D("0.00")), (" 10.00 ", D("10.00"))])
def test_tolerance_accepts_amounts(text, value):
    assert Settings().with_value("tolerance", text).tolerance == value


@pytest.mark.parametrize("text", ["lots", "-1", "1e30", "NaN", "Infinity", "3.005", "1e-300"])
def test_tolerance_rejects_nonsense_with_a_sentence(text):
    with pytest.raises(SettingError) as exc:
        Settings().with_value("tolerance", text)
    assert str(exc.value) and "\n" not in str(exc.value)


def test_unknown_key_and_on_off():
    with pytest.raises(SettingError):
        Settings().with_value("colour", "blue")
    assert Settings().with_value("service_adjustments", "ON").service_adjustments is True
    with pytest.raises(SettingError):
        Settings().with_value("service_adjustments", "maybe")


def test_stored_garbage_falls_back_to_defaults():
    s = Settings.from_texts({"tolerance": "junk", "service_adjustments": "on", "unknown": "x"})
    assert s.tolerance == D("3.00") and s.service_adjustments is True


@pytest.mark.parametrize("bad", ["NaN", "Infinity", float("nan"), D("NaN")])
def test_money_is_always_finite(bad):
    with pytest.raises(MoneyError):
        to_decimal(bad)


def test_prices_read_like_prices():
    assert [fmt_price(D(x)) for x in ("45", "12.5", "33.3333", "12.34567", "0")] == [
        "45.00", "12.50", "33.3333", "12.3457", "0.00"]


def test_audit_period_setting_and_window():
    from datetime import date

    from depot_gui.core.settings import Settings, SettingError, audit_window

    assert Settings().audit_months == 2 and Settings().shown()["audit_months"] == "2"
    assert Settings().with_value("audit_months", "all").audit_months == 0
    assert Settings().with_value("audit_months", "all").shown()["audit_months"] == "all"
    assert Settings().with_value("audit_months", " 13 ").audit_months == 13
    for bad in ("x", "121", "-1", "1.5"):
        with pytest.raises(SettingError):
            Settings().with_value("audit_months", bad)
    assert audit_window(2, date(2026, 11, 30)) == date(2026, 10, 1)
    assert audit_window(2, date(2026, 1, 15)) == date(2025, 12, 1)
    assert audit_window(1, date(2026, 3, 1)) == date(2026, 3, 1)
    assert audit_window(13, date(2026, 11, 3)) == date(2025, 11, 1)
    assert audit_window(0, date(2026, 11, 3)) is None
