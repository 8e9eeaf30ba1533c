"""Which existing Xero contacts are offered for a company (core.contacts, pure)."""

from __future__ import annotations

import pytest

from depot_gui.core.contacts import SAME_NAME, SAME_NUMBER, SIMILAR_NAME, closest, normalise, similar
from depot_gui.core.models import XeroContact


@pytest.mark.parametrize("name, expected", [
    ("Contoso Ltd", "contoso"),
    ("CONTOSO LIMITED", "contoso"),
    ("Contoso, Ltd.", "contoso"),
    ("Contoso Pty Ltd", "contoso"),
    ("The A&B Company, Inc.", "a and b"),
    ("Café Müller GmbH", "cafe muller"),
    ("Smith & Co", "smith and co"),
    ("Limited", "limited"),          # a name that is only a suffix keeps it
    ("  Bluegum   Legal ", "bluegum legal"),
])
def test_normalise(name, expected):
    assert normalise(name) == expected


@pytest.mark.parametrize("a, b, expected", [
    ("contoso", "contoso group", True),        # one's words within the other's
    ("contosso", "contoso", True),             # a typo
    ("scale client 001", "scale client 002", False),  # numbers differ: different companies
    ("fabrikam", "contoso", False),
    ("it", "it services", False),              # too short a word to say anything
])
def test_similar(a, b, expected):
    assert similar(a, b) is expected


def contact(cid, name, number="", status="ACTIVE"):
    return XeroContact(cid, name, number, status)


def test_closest_orders_by_evidence_and_skips_archived():
    contacts = [
        contact("c1", "Contoso Group", ""),
        contact("c2", "CONTOSO LIMITED", ""),
        contact("c3", "Northwind", "C77"),
        contact("c4", "Contoso Limited (old)", "", "ARCHIVED"),
        contact("c5", "Fabrikam", ""),
    ]
    found = closest("Contoso Ltd", "C77", contacts)
    assert [(c.contact_id, c.reason) for c in found] == [
        ("c3", SAME_NUMBER), ("c2", SAME_NAME), ("c1", SIMILAR_NAME),
    ]


def test_a_different_account_number_is_a_different_customer_unless_the_name_is_the_same():
    contacts = [contact("c1", "Contoso Group", "C2"), contact("c2", "Contoso Limited", "C3")]
    assert [c.contact_id for c in closest("Contoso", "C1", contacts)] == ["c2"]


def test_nothing_close():
    assert closest("Bluegum Legal", "C101", [contact("c1", "Acme Dental Group", "C100")]) == ()
