"""Every invoice of the table by slot, with its sort keys and search text made once per row (issue 22).

The table's order and what its filter lets show are lists of slots (small ints). Sorting and
filtering compare plain values (floats, strings, ints) kept in one list per column, never Decimal
and never the InvoiceRow objects themselves: at 100,000 rows, reading an attribute of each row in
a shuffled order (the order of the previous sort) cost more than the sort itself.

A column's values are made for every row once: ahead of need while the window is idle (``warm``,
a few thousand rows at a time, what the search box and the amounts need first), or all at once
when a sort or filter needs them first; ``put`` keeps them current.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from itertools import compress, repeat
from operator import attrgetter, contains, eq, or_
from typing import Any

from depot_gui.store.db import InvoiceRow

from depot_gui.ui.models.invoice_cells import Col, sort_keys
from depot_gui.ui.models.invoice_filter import InvoiceFilter

NUMBERS, ORGANISATION = "numbers", "organisation"  # the values the filter tests besides the sort keys
# Made while idle, in this order: what a first search or click on a header would otherwise wait for
# longest (the amounts are parsed from text). The other columns take a few ms at 100k rows.
WARM_FIRST = (Col.COMPANY, NUMBERS, Col.AUTOTASK_TOTAL, Col.XERO_TOTAL, Col.DIFFERENCE)
WARM_ROWS = 5000  # rows made per idle step (a few ms)
Column = int | str


def _maker(column: Column) -> Callable[[list[InvoiceRow]], list[Any]]:
    if column == NUMBERS:  # the invoice numbers casefolded (the companies' are Col.COMPANY's sort keys)
        return lambda rows: list(map(str.casefold, map(attrgetter("invoice_number"), rows)))
    if column == ORGANISATION:
        return lambda rows: list(map(attrgetter("organisation"), rows))
    return partial(sort_keys, column)


class InvoiceIndex:
    """The invoices by slot (arrival order); a slot never changes while the index lives."""

    def __init__(self, rows: Iterable[InvoiceRow] = ()) -> None:
        by_id = {r.autotask_id: r for r in rows}  # a repeated invoice: the last one counts
        self.rows: list[InvoiceRow] = list(by_id.values())
        self._slots: dict[int, int] = dict(zip(by_id, range(len(self.rows))))
        self._values: dict[Column, list[Any]] = {}  # column -> value per slot (the first slots while partly made)

    def __len__(self) -> int:
        return len(self.rows)

    def slot(self, autotask_id: int) -> int | None:
        return self._slots.get(autotask_id)

    def row_for(self, autotask_id: int) -> InvoiceRow | None:
        slot = self._slots.get(autotask_id)
        return None if slot is None else self.rows[slot]

    def put(self, row: InvoiceRow) -> int:
        """Add ``row`` or replace the row of the same invoice; returns its slot."""
        slot = self._slots.get(row.autotask_id)
        if slot is None:
            slot = self._slots[row.autotask_id] = len(self.rows)
            self.rows.append(row)
        else:
            self.rows[slot] = row
        for column, values in self._values.items():
            if slot < len(values):
                values[slot] = _maker(column)([row])[0]
            elif slot == len(values):  # a new row after a column made for every row
                values.append(_maker(column)([row])[0])
        return slot

    def keys(self, column: Column) -> list[Any]:
        """The value of every slot for ``column`` (its sort key, or NUMBERS / ORGANISATION), made once, in slot order."""
        values = self._values.setdefault(column, [])
        if len(values) < len(self.rows):
            values.extend(_maker(column)(self.rows[len(values):]))
        return values

    def warm(self, rows: int = WARM_ROWS) -> bool:
        """Make up to ``rows`` more values of the first column of WARM_FIRST not made yet; False when all are."""
        for column in WARM_FIRST:
            values = self._values.setdefault(column, [])
            done = len(values)
            if done < len(self.rows):
                values.extend(_maker(column)(self.rows[done:done + rows]))
                return True
        return False

    def ordered(self, slots: list[int], column: int, descending: bool) -> list[int]:
        """``slots`` in ``column``'s order; stable (equal keys keep their order, descending too)."""
        return sorted(slots, key=self.keys(column).__getitem__, reverse=descending)

    def accepts(self, shown: InvoiceFilter, slot: int) -> bool:
        return bool(self.select([slot], shown))

    def select(self, slots: list[int], shown: InvoiceFilter) -> list[int]:
        """The slots of ``slots`` whose invoices ``shown`` lets show, in their order (C-level passes)."""
        if shown.status:
            slots = self._where(slots, self.keys(Col.STATUS), eq, shown.status)
        if shown.organisation:
            slots = self._where(slots, self.keys(ORGANISATION), eq, shown.organisation)
        if shown.start or shown.end:
            days, start, end = self.keys(Col.DATE), shown.start, shown.end or "\uffff"
            slots = [s for s in slots if days[s] and start <= days[s] <= end]
        if shown.text:
            slots = self._searched(slots, shown.text)
        return slots

    def _searched(self, slots: list[int], text: str) -> list[int]:
        """The slots whose company or invoice number holds ``text`` (casefolded), in their order.

        A company's name is tested once however many invoices it has (its casefolded sort key is one
        string per distinct name); the numbers are tested in slot order, as ``_where`` does.
        """
        companies, numbers = self.keys(Col.COMPANY), self.keys(NUMBERS)
        found = {name for name in set(companies) if text in name}
        if len(slots) * 4 < len(numbers):
            return [s for s in slots if companies[s] in found or text in numbers[s]]
        passed = list(map(or_, map(found.__contains__, companies), map(contains, numbers, repeat(text))))
        return list(compress(slots, map(passed.__getitem__, slots)))

    def _where(self, slots: list[int], values: list[Any], test: Callable[[Any, Any], bool], wanted: Any) -> list[int]:
        """The slots of ``slots`` whose value passes ``test(value, wanted)``.

        For most of the rows, every value is tested in slot order (the order they lie in memory) and
        ``slots`` only picks its answers: testing them in a sorted order was 5x slower at 100k rows.
        """
        if len(slots) * 4 < len(values):
            return list(compress(slots, map(test, map(values.__getitem__, slots), repeat(wanted))))
        passed = list(map(test, values, repeat(wanted)))
        return list(compress(slots, map(passed.__getitem__, slots)))
