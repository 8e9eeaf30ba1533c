"""Which Xero contact an Autotask company's invoices go to, chosen on purpose.

An exact match (the same name, ignoring case and surrounding spaces, or the same account
number, as the ``contact_match`` setting says) is used as it is. Otherwise the closest
existing contacts are offered: the same account number, the same name once punctuation,
case and legal suffixes are set aside ("Contoso Ltd" and "CONTOSO LIMITED"), or a similar
name. When any exists, nothing is created until the user links one or asks for a new
contact; the choice is kept per Xero organisation (:class:`ContactLink`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Set as AbstractSet
from dataclasses import dataclass
from difflib import SequenceMatcher

from depot_gui.core.models import XeroContact

# Company-form words at the end of a name (after punctuation is removed), longest first
# where one is a prefix of another. "and co" / "co" are kept out: "Smith & Co" is a name.
LEGAL_SUFFIXES: tuple[tuple[str, ...], ...] = tuple(
    tuple(s.split()) for s in (
        "pty ltd", "pty limited", "pvt ltd", "private limited", "pte ltd", "sdn bhd",
        "limited", "ltd", "llc", "l l c", "llp", "lp", "plc", "inc", "incorporated", "corp",
        "corporation", "company", "pty", "gmbh", "ag", "bv", "nv", "sa", "sarl", "srl", "spa",
        "ab", "oy", "as", "aps", "kk",
    )
)
_SUFFIXES_ENDING: dict[str, tuple[tuple[str, ...], ...]] = {}  # last word -> the suffixes ending so, in order
for _suffix in LEGAL_SUFFIXES:
    _SUFFIXES_ENDING[_suffix[-1]] = _SUFFIXES_ENDING.get(_suffix[-1], ()) + (_suffix,)
_NOT_WORD = re.compile(r"[^\w]+|_")
SIMILAR = 0.88  # SequenceMatcher ratio of normalised names from which one is a typo of the other
MAX_CANDIDATES = 5

SAME_NUMBER = "same account number"
SAME_NAME = "same name apart from punctuation, case or a legal suffix"
SIMILAR_NAME = "similar name"


def normalise(name: str) -> str:
    """A company name with case, accents, punctuation, "the" and legal suffixes set aside."""
    text = name or ""
    if not text.isascii():  # ASCII has nothing to decompose and no combining marks
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = text.casefold()
    text = text.replace("&", " and ")
    words = _NOT_WORD.sub(" ", text).split()
    if words[:1] == ["the"] and len(words) > 1:
        words = words[1:]
    stripped = True
    while stripped and len(words) > 1:
        stripped = False
        for suffix in _SUFFIXES_ENDING.get(words[-1], ()):
            n = len(suffix)
            if len(words) > n and tuple(words[-n:]) == suffix:
                words = words[:-n]
                stripped = True
                break
    return " ".join(words)


def exact_name(a: str, b: str) -> bool:
    """The names Xero itself would call the same (case and surrounding spaces ignored)."""
    return (a or "").strip().casefold() == (b or "").strip().casefold()


@dataclass(frozen=True)
class Candidate:
    """An existing Xero contact close to a company, and why it is offered."""

    contact_id: str
    name: str
    account_number: str
    reason: str
    score: int  # 0-100, for ordering: 100 same account number, 99 same name, else similarity

    def to_json(self) -> dict:
        return {"contact_id": self.contact_id, "name": self.name, "account_number": self.account_number,
                "reason": self.reason}


def closest(company_name: str, company_number: str, contacts: Iterable[XeroContact],
            limit: int = MAX_CANDIDATES) -> tuple[Candidate, ...]:
    """The active contacts close to this company, closest first (at most ``limit``)."""
    key = normalise(company_name)
    number = (company_number or "").strip().casefold()
    found: list[Candidate] = []
    for c in contacts:
        if c.status != "ACTIVE":
            continue
        other = normalise(c.name)
        if number and c.account_number and c.account_number.strip().casefold() == number:
            reason, score = SAME_NUMBER, 100
        elif key and other == key:
            reason, score = SAME_NAME, 99
        elif similar(key, other) and not other_numbers(number, c.account_number):
            reason, score = SIMILAR_NAME, min(98, int(SequenceMatcher(None, key, other).ratio() * 100))
        else:
            continue
        found.append(Candidate(c.contact_id, c.name, c.account_number, reason, score))
    found.sort(key=lambda x: (-x.score, x.name.casefold(), x.contact_id))
    return tuple(found[:limit])


def similar(a: str, b: str) -> bool:
    """Two normalised names that may be one company: a typo apart, or one's words within the
    other's ("contoso" and "contoso group"). Names whose numbers differ are different companies
    ("client 001" and "client 002")."""
    if not a or not b or a == b:
        return False
    if digits(a) != digits(b):
        return False
    return alike(a, set(a.split()), b, set(b.split()))


def digits(name: str) -> tuple[str, ...]:
    """The numbers in a name, in order (names with other numbers are other companies)."""
    return tuple(re.findall(r"\d+", name))


def alike(a: str, words_a: AbstractSet[str], b: str, words_b: AbstractSet[str]) -> bool:
    """:func:`similar` for two different non-empty names with the same numbers, given their words."""
    shorter = words_a if len(words_a) <= len(words_b) else words_b
    if (words_a <= words_b or words_b <= words_a) and any(len(w) >= 3 and not w.isdigit() for w in shorter):
        return True
    # SequenceMatcher's ratio is 2 * matches / (len(a) + len(b)), and matches <= the shorter length
    if 2 * min(len(a), len(b)) < (SIMILAR - 1e-9) * (len(a) + len(b)):
        return False
    return SequenceMatcher(None, a, b).ratio() >= SIMILAR


def other_numbers(number: str, other: str) -> bool:
    """Both have account numbers and they differ: different customers, whatever the names."""
    return bool(number) and bool(other) and other.strip().casefold() != number


LINKED = "link"      # the user linked an existing contact
CREATED = "create"   # the user asked for a new contact (made in Xero when asked)
AUTO = "auto"        # the exact match (or the contact this app created) a sync used
DECISIONS = (LINKED, CREATED, AUTO)


@dataclass(frozen=True)
class ContactLink:
    """The Xero contact one Autotask company's invoices go to, in one organisation."""

    company_id: int
    contact_id: str
    contact_name: str
    decision: str
    company_name: str = ""
    decided_at: str = ""


def describe(c: Candidate) -> str:
    """'Contoso Limited' (same name apart from …), for sentences."""
    number = f", account number {c.account_number}" if c.account_number and c.reason != SAME_NUMBER else ""
    return f"\u201c{c.name}\u201d ({c.reason}{number})"


def choice_text(company_name: str, candidates: tuple[Candidate, ...]) -> str:
    """Why an invoice waits for a contact choice, and the ways on."""
    named = "; ".join(describe(c) for c in candidates)
    if len(candidates) > 1 and all(exact_name(c.name, company_name) for c in candidates):
        found = (f"Xero has more than one contact named \u201c{company_name}\u201d (apart from spacing or "
                 "case), so none is taken for you")
    else:
        found = (f"Xero has no contact named \u201c{company_name}\u201d, but has "
                 f"{'a close one' if len(candidates) == 1 else 'close ones'}")
    return (
        f"Not synced yet: {found}: {named}. "
        "Choose the contact once for this company: link an existing one, or create a new contact "
        "(window: Choose Xero contact\u2026; command line: depot-sync contacts link / contacts create). "
        "Nothing is created in Xero until you choose."
    )


CHOOSE_LABEL = "Choose contact"  # how people read the status of an invoice that waits for a choice


def waits_for_choice(status: str, explanation: str) -> bool:
    """An invoice the audit held back (status ``error``) until its company's contact is chosen."""
    return status == "error" and (explanation or "").startswith(_CHOICE_PREFIXES)


def broken_link_text(company_name: str, link: ContactLink, found: XeroContact | None) -> str:
    """A chosen contact that can no longer take invoices."""
    state = "no longer exists in Xero" if found is None else f"is {found.status.lower()} in Xero"
    return (
        f"Not synced: the Xero contact \u201c{link.contact_name}\u201d chosen for {company_name or 'this company'} "
        f"{state}. Restore it in Xero, or choose another contact for this company, then press Re-sync."
    )


# "Not synced yet: Xero has no contact named " and "... has more than one contact named " (the
# starts of choice_text, however it is worded)
_TWIN = Candidate("", "", "", SAME_NAME, 99)
_CHOICE_PREFIXES = tuple(choice_text("", c).partition("\u201c")[0] for c in ((), (_TWIN, _TWIN)))
