"""Catalogue: pathological scenario files are one clear line naming the file and the JSON path."""

from __future__ import annotations

import pytest

from .conftest import DEMO, Before

DEMO_TEXT = DEMO.read_text()
TOTAL = '"invoiceTotal": 1633.5'


def _with_total(value: str) -> str:
    assert DEMO_TEXT.count(TOTAL) == 1
    return DEMO_TEXT.replace(TOTAL, f'"invoiceTotal": {value}')


CASES = {
    "deep-nesting": ('{"now": "2026-11-20T09:00:00Z", "x": ' + "[" * 100000 + "]" * 100000 + "}",
                     "$: nested deeper than 32 levels"),
    "nesting-33": ('{"now": "2026-11-20T09:00:00Z", "x": ' + "[" * 40 + "]" * 40 + "}",
                   "$.x[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]...: nested deeper than 32 levels"),
    "total-1e400": (_with_total("1e400"),
                    '$.autotask.entities.Invoices[0].invoiceTotal: the number "1E+400" is beyond any real amount '
                    "(at most 10,000,000,000,000)"),
    "total-33-digits": (_with_total("163350000000000000000000000000000"),
                        "$.autotask.entities.Invoices[0].invoiceTotal: the number 163350000000000000000000000000000 "
                        "is beyond any real amount (at most 10,000,000,000,000)"),
    "total-5000-digits": (_with_total("9" * 5000),
                          "$: not a usable number: a number with thousands of digits, beyond any real amount"),
    "total-NaN": (_with_total("NaN"), "$: not a usable number: NaN is not a JSON number"),
    "total-minus-Infinity": (_with_total("-Infinity"), "$: not a usable number: -Infinity is not a JSON number"),
    "total-tiny-fraction": (_with_total("0.0000000000000000000001"),
                            '$.autotask.entities.Invoices[0].invoiceTotal: the number "1E-22" has more than 12 decimals'),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("command", ["audit", "serve"])
def test_pathological_scenario(cli, tmp_path, case, command):
    text, problem = CASES[case]
    scenario = tmp_path / f"{case}.json"
    scenario.write_text(text)
    data = tmp_path / "data"
    before = Before(data)
    if command == "audit":
        ran = cli("--data-dir", data, "--sandbox", scenario, "audit")
    else:
        ran = cli("sandbox", "serve", "--scenario", scenario, "--port", "0")
    assert ran.code == 2
    assert ran.line == f"depot-sync: {scenario}: {problem}"
    assert ran.out == ""
    before.assert_unchanged()
    assert not (data / "depot.sqlite3").exists()
