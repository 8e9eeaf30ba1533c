"""Reports total per currency, never across currencies."""

import pytest

from depot_gui.sync.reports.month_end import month_end_report
from depot_gui.sync.session.session import Session

from .scenario import multi_currency, write


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The month-end report of the audited multi-currency scenario: of every invoice, of the AUD ones, of none."""
    folder = tmp_path_factory.mktemp("reports")
    scenario = write(multi_currency(), folder / "multi.json")
    with Session.open(folder / "d", scenario) as s:
        s.auditor().audit()
        rows = s.store.invoices()
        return {"all": month_end_report(s.store, rows, None, None, "now"),
                "aud": month_end_report(s.store, [x for x in rows if x.currency == "AUD"], None, None, "now"),
                "none": month_end_report(s.store, [], None, None, "now")}


def test_month_end_totals_are_per_currency(reports):
    r = reports["all"]
    counts = {c.label: (c.invoices, c.totals) for c in r.counts}
    assert counts["Ready"] == (4, (("AUD", "4713.50"), ("NZD", "455.95")))
    assert counts["Error"] == (1, (("USD", "450.00"),))
    assert (r.total_invoices, r.totals) == (7, (("AUD", "11998.80"), ("NZD", "455.95"), ("USD", "450.00")))
    assert [(i.number, i.currency) for i in r.attention if i.status == "error"] == [("INV-7002", "USD")]
    from depot_gui.ui.reports.pdf import report_html

    html = report_html(r)
    assert "<b>AUD&nbsp;11,998.80<br>NZD&nbsp;455.95<br>USD&nbsp;450.00</b>" in html
    assert "Autotask USD&nbsp;450.00" in html


def test_every_amount_of_the_month_end_pdf_carries_its_currency(reports):
    """The maximum rounding difference and the 0.00 of a status without invoices name their currency (issue 22)."""
    from dataclasses import replace

    from depot_gui.ui.reports.pdf import report_html

    r, aud, empty = reports["all"], reports["aud"], reports["none"]
    html = report_html(r)
    assert ("maximum rounding difference AUD&nbsp;3.00 or NZD&nbsp;3.00 or USD&nbsp;3.00 (in each invoice's "
            "currency)</p>") in html
    assert "<td>Conflict</td><td class=n>0</td><td class=n>AUD&nbsp;0.00<br>NZD&nbsp;0.00<br>USD&nbsp;0.00</td>" in html
    html = report_html(aud)
    assert "maximum rounding difference AUD&nbsp;3.00</p>" in html
    assert "<td>Conflict</td><td class=n>0</td><td class=n>AUD&nbsp;0.00</td>" in html
    assert empty.currencies == ("AUD", "NZD", "USD")  # a period without invoices: those known here
    assert "<td>Error</td><td class=n>0</td><td class=n>AUD&nbsp;0.00<br>NZD&nbsp;0.00<br>USD&nbsp;0.00</td>" in (
        report_html(empty))
    assert "difference 3.00</p>" in report_html(replace(aud, currencies=()))  # nothing known: bare
