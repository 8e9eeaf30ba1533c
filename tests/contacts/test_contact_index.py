"""The contact directory indexed once per audit (core.contact_index, pure): same answers, no rescans."""

from __future__ import annotations

import itertools

import depot_gui.core.contact_index as contact_index
from depot_gui.core.contact_index import ContactIndex, index_of
from depot_gui.core.contacts import SAME_NAME, SAME_NUMBER, SIMILAR_NAME, closest, similar
from depot_gui.core.mapping import match_contact
from depot_gui.core.models import ReferenceData, XeroContact
from depot_gui.core.settings import Settings


def contact(cid, name, number="", status="ACTIVE"):
    return XeroContact(cid, name, number, status)


DIRECTORY = [
    contact("c1", "Contoso Group", ""),
    contact("c2", "CONTOSO LIMITED", ""),
    contact("c3", "Northwind", "C77"),
    contact("c4", "Contoso Limited (old)", "", "ARCHIVED"),
    contact("c5", "Fabrikam", ""),
    contact("c6", "Contosso", "C9"),
    contact("c7", "Scale Client 001", "SC001"),
    contact("c8", "Scale Client 002", ""),
    contact("c9", "  contoso group ", "c77"),
]


def test_close_contacts_with_their_reasons_closest_first():
    found = ContactIndex(DIRECTORY).closest("Contoso Ltd", "C77")
    # c9's name sorts first (a leading space); c6 has another account number: another customer
    assert [(c.contact_id, c.reason, c.score) for c in found] == [
        ("c9", SAME_NUMBER, 100), ("c3", SAME_NUMBER, 100), ("c2", SAME_NAME, 99), ("c1", SIMILAR_NAME, 70),
    ]


def test_numbers_in_names_and_account_numbers_keep_companies_apart():
    index = ContactIndex(DIRECTORY)
    assert [c.contact_id for c in index.closest("Scale Client 002 Pty Ltd", "")] == ["c8"]
    assert [c.contact_id for c in index.closest("Scale Client 003", "")] == []
    assert [c.contact_id for c in index.closest("Contoso", "C1")] == ["c2", "c1"]  # c6 has another number
    assert index.closest("", "") == ()


def test_exact_lookups_find_every_active_contact_in_order():
    index = ContactIndex(DIRECTORY)
    assert index.named(" contoso group") == [DIRECTORY[0], DIRECTORY[8]]
    assert index.named("Contoso Limited (old)") == []  # archived
    assert index.numbered("C77") == [DIRECTORY[2]]
    assert index.numbered("c77") == [DIRECTORY[8]]
    assert index.by_id("c4") == DIRECTORY[3]


def test_the_same_answers_as_scanning_the_directory():
    words = ["contoso", "northwind", "fabrikam", "the", "group", "ltd", "&", "co", "it", "services", "001", "1",
             "contosso", "pty", "limited"]
    names = [" ".join(w) for n in (1, 2, 3) for w in itertools.permutations(words[:9], n)][:400]
    names += ["Scale Client 001 Pty Ltd", "Scale Client 002", "IT", "It Services Co", ""]
    directory = [contact(f"id{i}", name, ["", "C77", "c77 ", "X1"][i % 4], "ARCHIVED" if i % 7 == 3 else "ACTIVE")
                 for i, name in enumerate(names)]
    index = ContactIndex(directory)
    for name, number in itertools.product(names[::7] + ["Contoso Ltd", "contoso services"], ["", "C77", "Y2"]):
        assert index.closest(name, number) == closest(name, number, directory), (name, number)


def test_built_once_per_directory_and_each_company_worked_out_once(monkeypatch):
    built, normalised = [], []
    real_init, real_normalise = ContactIndex.__init__, contact_index.normalise
    monkeypatch.setattr(ContactIndex, "__init__", lambda self, cs: (built.append(1), real_init(self, cs))[1])
    monkeypatch.setattr(contact_index, "normalise", lambda n: (normalised.append(n), real_normalise(n))[1])
    ref = ReferenceData(contacts=list(DIRECTORY), contacts_complete=True)
    settings = Settings()
    for _ in range(3):
        assert match_contact("Contoso Ltd", "", ref, settings, 1).candidates[0].contact_id == "c2"
        assert match_contact("Northwind", "", ref, settings, 2).contact_id == "c3"
    assert (len(built), len(normalised)) == (1, 8 + 1)  # 8 active contacts, then one company
    ref.contacts = ref.contacts + [contact("c10", "Contoso Ltd")]
    assert match_contact("Contoso Ltd", "", ref, settings, 1).contact_id == "c10"
    assert len(built) == 2
    assert index_of(ref) is index_of(ref)


def test_typos_near_the_similarity_bound():
    # ratio 2 * 11 / 24 = 0.917: a typo; 2 * 10 / 23 = 0.870: too far apart
    assert (similar("bluegum legal", "bluegum lgl"), similar("bluegum legal", "bluegum le")) == (True, False)
    index = ContactIndex([contact("b1", "Bluegum Lgl"), contact("b2", "Bluegum Le")])
    assert [(c.contact_id, c.score) for c in index.closest("Bluegum Legal", "")] == [("b1", 91)]
