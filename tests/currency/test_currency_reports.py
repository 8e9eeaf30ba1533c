"""Reports total per currency, never across currencies."""

from depot_gui.sync.reports.month_end import month_end_report
from depot_gui.sync.session.session import Session

from .scenario import multi_currency, write


def test_month_end_totals_are_per_currency(tmp_path):
    scenario = write(multi_currency(), tmp_path / "multi.json")
    with Session.open(tmp_path / "d", scenario) as s:
        s.auditor().audit()
        rows = s.store.invoices()
        r = month_end_report(s.store, rows, None, None, "now")
    counts = {c.label: (c.invoices, c.totals) for c in r.counts}
    assert counts["Ready"] == (4, (("AUD", "4713.50"), ("NZD", "455.95")))
    assert counts["Error"] == (1, (("USD", "450.00"),))
    assert (r.total_invoices, r.totals) == (7, (("AUD", "11998.80"), ("NZD", "455.95"), ("USD", "450.00")))
    assert [(i.number, i.currency) for i in r.attention if i.status == "error"] == [("INV-7002", "USD")]
    from depot_gui.ui.reports.pdf import report_html

    html = report_html(r)
    assert "<b>AUD&nbsp;11,998.80<br>NZD&nbsp;455.95<br>USD&nbsp;450.00</b>" in html
    assert "Autotask USD&nbsp;450.00" in html
