"""The Xero contact directory indexed once, so that matching a company no longer scans it.

An audit matches every invoice's company against the organisation's whole directory (thousands
of contacts in a real tenant). :class:`ContactIndex` normalises each contact once and keeps
maps by exact name, account number and contact id; the close contacts of a company are worked
out once per company (memoised). Its answers are exactly those of :func:`core.contacts.closest`
and of the exact-match scans in :mod:`core.mapping`.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher

from depot_gui.core.contacts import (
    MAX_CANDIDATES, SAME_NAME, SAME_NUMBER, SIMILAR_NAME, Candidate, alike, digits, normalise, other_numbers,
)
from depot_gui.core.models import XeroContact


class _Entry:
    """One active contact with what matching needs, computed once."""

    __slots__ = ("order", "contact", "key", "words", "number")

    def __init__(self, order: int, contact: XeroContact) -> None:
        self.order = order
        self.contact = contact
        self.key = normalise(contact.name)
        self.words = frozenset(self.key.split())
        self.number = (contact.account_number or "").strip().casefold()


class ContactIndex:
    """Lookups over one contact directory (archived contacts included; matching uses the active)."""

    def __init__(self, contacts: Iterable[XeroContact]) -> None:
        self.source = contacts  # what it was built from (see :func:`index_of`)
        self.contacts = list(contacts)
        self._by_id: dict[str, XeroContact] = {}
        self._by_name: dict[str, list[XeroContact]] = {}
        self._by_account: dict[str, list[XeroContact]] = {}
        self._by_number: dict[str, list[_Entry]] = {}
        self._by_digits: dict[tuple[str, ...], list[_Entry]] = {}
        self._memo: dict[tuple[str, str, int], tuple[Candidate, ...]] = {}
        for c in self.contacts:
            self._by_id.setdefault(c.contact_id, c)
        for order, c in enumerate(c for c in self.contacts if c.status == "ACTIVE"):
            self._by_name.setdefault((c.name or "").strip().casefold(), []).append(c)
            if c.account_number:
                self._by_account.setdefault(c.account_number.strip(), []).append(c)
            entry = _Entry(order, c)
            if entry.number:
                self._by_number.setdefault(entry.number, []).append(entry)
            self._by_digits.setdefault(digits(entry.key), []).append(entry)

    def by_id(self, contact_id: str) -> XeroContact | None:
        """The first contact (any status) with this id."""
        return self._by_id.get(contact_id)

    def named(self, name: str) -> list[XeroContact]:
        """The active contacts Xero would call by this name (case, surrounding spaces aside), in order."""
        return list(self._by_name.get((name or "").strip().casefold(), ()))

    def numbered(self, number: str) -> list[XeroContact]:
        """The active contacts whose account number (spaces around it aside) is ``number``, in order."""
        return list(self._by_account.get(number, ()))

    def closest(self, company_name: str, company_number: str, limit: int = MAX_CANDIDATES) -> tuple[Candidate, ...]:
        """:func:`core.contacts.closest` over the active contacts, worked out once per company."""
        memo_key = (company_name, company_number, limit)
        hit = self._memo.get(memo_key)
        if hit is None:
            hit = self._memo[memo_key] = self._closest(company_name, company_number, limit)
        return hit

    def _closest(self, company_name: str, company_number: str, limit: int) -> tuple[Candidate, ...]:
        key = normalise(company_name)
        number = (company_number or "").strip().casefold()
        # only these can be close: the same account number, or a name with the same numbers in it
        near = {e.order: e for e in self._by_number.get(number, ())} if number else {}
        if key:
            near.update((e.order, e) for e in self._by_digits.get(digits(key), ()))
        words = frozenset(key.split())
        found: list[tuple[Candidate, int]] = []
        for order in sorted(near):
            e = near[order]
            c = e.contact
            if number and e.number == number:
                reason, score = SAME_NUMBER, 100
            elif key and e.key == key:
                reason, score = SAME_NAME, 99
            elif e.key and alike(key, words, e.key, e.words) and not other_numbers(number, c.account_number):
                reason, score = SIMILAR_NAME, min(98, int(SequenceMatcher(None, key, e.key).ratio() * 100))
            else:
                continue
            found.append((Candidate(c.contact_id, c.name, c.account_number, reason, score), order))
        found.sort(key=lambda x: (-x[0].score, x[0].name.casefold(), x[0].contact_id, x[1]))
        return tuple(cand for cand, _ in found[:limit])


def index_of(ref) -> ContactIndex:
    """The index of ``ref.contacts`` (a ReferenceData), built once and kept on it while they stay."""
    index = ref.contact_index
    if index is None or index.source is not ref.contacts or len(index.contacts) != len(ref.contacts):
        index = ref.contact_index = ContactIndex(ref.contacts)
    return index
