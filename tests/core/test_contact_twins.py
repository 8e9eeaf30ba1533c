"""Contacts one name apart from spacing or case: the user's choice, unless the account number tells them apart."""

from __future__ import annotations

from depot_gui.core.mapping import match_contact
from depot_gui.core.models import ReferenceData, XeroContact
from depot_gui.core.settings import Settings

TWINS = [XeroContact("id-1", "Harbour Logistics  ", "C7"), XeroContact("id-2", "harbour logistics", "C102")]


def test_twins_wait_for_a_choice_with_both_offered():
    ref = ReferenceData(contacts=TWINS)
    found = match_contact("Harbour Logistics", "", ref, Settings())
    assert (found.contact_id, found.needs_choice) == ("", True)
    assert sorted(c.contact_id for c in found.candidates) == ["id-1", "id-2"]


def test_the_account_number_tells_twins_apart():
    ref = ReferenceData(contacts=TWINS)
    found = match_contact("Harbour Logistics", "C102", ref, Settings())
    assert (found.contact_id, found.decision, found.needs_choice) == ("id-2", "match", False)


def test_two_contacts_sharing_the_account_number_wait_for_a_choice():
    ref = ReferenceData(contacts=[XeroContact("id-1", "Harbour A", "C9"), XeroContact("id-2", "Harbour B", "C9")])
    found = match_contact("Someone Else", "C9", ref, Settings(contact_match="ACCOUNT_NUMBER"))
    assert (found.contact_id, found.needs_choice) == ("", True)
    assert sorted(c.contact_id for c in found.candidates) == ["id-1", "id-2"]
