"""What a bookkeeper met at month-end in the window (issue 22): each test pins the words or values that misled."""

from __future__ import annotations

from datetime import date

from depot_gui.ui.window.invoice_list import InvoiceList, default_date_range


def test_the_date_range_first_offered_holds_the_month_being_closed():
    # 7 December: November's invoices (dated 1 November) are inside; a month back from today began on 7 November
    assert default_date_range(date(2026, 12, 7)) == (date(2026, 11, 1), date(2026, 12, 7))
    assert default_date_range(date(2026, 12, 1)) == (date(2026, 11, 1), date(2026, 12, 1))
    assert default_date_range(date(2027, 1, 3)) == (date(2026, 12, 1), date(2027, 1, 3))
    assert default_date_range(date(2026, 3, 31)) == (date(2026, 2, 1), date(2026, 3, 31))


def test_the_lists_date_range_starts_on_the_first_of_last_month(qtbot):
    lst = InvoiceList()
    qtbot.addWidget(lst)
    since, until = default_date_range(date.today())
    assert (lst.date_from.date().toPython(), lst.date_to.date().toPython()) == (since, until)
    assert since.day == 1 and until == date.today()
