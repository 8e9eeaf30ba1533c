"""Month-end calls whose count does not grow per invoice: OR lookups, changes since, batch creates.

``XeroBulk`` is ``XeroClient.bulk``: it sends through the client's public calls (``get``,
``get_pages``, ``put_records``), so its retries, pacing and errors are the client's.

* Contacts of many companies: ``where`` with ``Name=="…" OR AccountNumber=="…"`` clauses, as
  many per call as fit in ``WHERE_BUDGET`` characters.
* Contacts by ContactID: ``IDs=`` lists of 40 (whom an invoice is emailed to).
* Credit notes by number: the same with ``CreditNoteNumber`` (``/CreditNotes`` has no
  ``CreditNoteNumbers`` list parameter).
* What changed since a time: ``If-Modified-Since`` (ISO UTC, whole seconds) on Accounts,
  Contacts (archived included, so an archiving is seen), Invoices and CreditNotes.
* Batch creates: ``PUT`` of up to ``BATCH_SIZE`` documents with ``summarizeErrors=false`` and
  one ``Idempotency-Key``; the answer is one element per document, in the order sent, each
  read as ``BatchElement`` (ok, or its validation messages).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from depot_gui.xero._mapping import element_errors
from depot_gui.xero.errors import XeroProtocolError
from depot_gui.xero.query import or_chunks, since_header, where_equals

BATCH_SIZE = 50
DIRECTORY_PAGE = 1000  # Xero's largest pageSize
IDS_PER_CALL = 40  # ids in one IDs= list, as the client's invoice look-ups


class XeroCalls(Protocol):
    """What the bulk calls need of the client."""

    def get(self, path: str, key: str, params: dict | None = None, headers: dict | None = None) -> list[dict]: ...
    def get_pages(self, path: str, key: str, params: dict, headers: dict | None = None) -> list[dict]: ...
    def put_records(self, key: str, records: list[dict], idempotency_key: str, params: dict) -> list[dict]: ...


@dataclass(frozen=True)
class BatchElement:
    """Xero's answer for one document of a batch create."""

    sent: dict
    answer: dict
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class XeroBulk:
    """Lookups and creates for many documents at once, over one client."""

    def __init__(self, client: XeroCalls) -> None:
        self._client = client

    # -- lookups ------------------------------------------------------------------------------

    def contacts_matching(self, names: Iterable[str] = (), account_numbers: Iterable[str] = ()) -> list[dict]:
        """Active contacts whose Name or AccountNumber equals one of the values (OR clauses, chunked)."""
        clauses = [where_equals("Name", n) for n in names if n] + [
            where_equals("AccountNumber", a) for a in account_numbers if a
        ]
        found: dict[str, dict] = {}
        for where in or_chunks(clauses):
            for c in self._client.get_pages("Contacts", "Contacts", {"where": where}):
                found[str(c.get("ContactID"))] = c
        return list(found.values())

    def contacts_by_ids(self, contact_ids: Iterable[str]) -> list[dict]:
        """Contacts with these ContactIDs (archived ones too), 40 ids a call (``GET /Contacts?IDs=``): their
        email address and contact persons, whom Xero emails an invoice to."""
        wanted = [i for i in dict.fromkeys(str(i) for i in contact_ids if i) if "," not in i]
        found: list[dict] = []
        for start in range(0, len(wanted), IDS_PER_CALL):
            found.extend(self._client.get("Contacts", "Contacts", {
                "IDs": ",".join(wanted[start:start + IDS_PER_CALL]), "includeArchived": "true"}))
        return found

    def all_contacts(self) -> list[dict]:
        """Every contact, archived included, up to 1,000 a call.

        Whole records, not ``summaryOnly``: Xero does not document which fields a summary keeps,
        and a missing ``AccountNumber`` would hide an account-number match (and let a second
        contact be made). The directory is read whole once, then only by what changed."""
        params = {"includeArchived": "true", "pageSize": str(DIRECTORY_PAGE)}
        return self._client.get_pages("Contacts", "Contacts", params)

    def contacts_changed_since(self, since: datetime) -> list[dict]:
        """Every contact created or changed since ``since``, archived ones included (1,000 a call, whole records)."""
        params = {"includeArchived": "true", "pageSize": str(DIRECTORY_PAGE)}
        return self._client.get_pages("Contacts", "Contacts", params, headers=since_header(since))

    def accounts_changed_since(self, since: datetime) -> list[dict]:
        """Accounts created or changed since ``since``."""
        return self._client.get("Accounts", "Accounts", headers=since_header(since))

    def invoices_changed_since(self, since: datetime) -> list[dict]:
        """Sales invoices created or changed since ``since`` (deleted ones included), 4 dp unit amounts."""
        params = {"where": 'Type=="ACCREC"', "unitdp": "4"}
        return self._client.get_pages("Invoices", "Invoices", params, headers=since_header(since))

    def credit_notes_changed_since(self, since: datetime) -> list[dict]:
        """Sales credit notes created or changed since ``since`` (deleted ones included)."""
        params = {"where": 'Type=="ACCRECCREDIT"', "unitdp": "4"}
        return self._client.get_pages("CreditNotes", "CreditNotes", params, headers=since_header(since))

    def credit_notes_by_number(self, numbers: Iterable[str], include_deleted: bool = False) -> list[dict]:
        """Non-deleted credit notes with these CreditNoteNumbers (OR clauses, chunked; deleted ones too
        with ``include_deleted``)."""
        clauses = [where_equals("CreditNoteNumber", n) for n in dict.fromkeys(numbers) if n]
        found: list[dict] = []
        for where in or_chunks(clauses):
            found.extend(self._client.get_pages("CreditNotes", "CreditNotes", {"where": where, "unitdp": "4"}))
        return [note for note in found if include_deleted or note.get("Status") != "DELETED"]

    def documents_by_reference(self, references: Iterable[str], *, credit: bool = False) -> list[dict]:
        """Sales invoices (or credit notes) whose Reference is one of these, deleted ones too (OR clauses,
        chunked): how a document Xero numbered itself is found again."""
        path = "CreditNotes" if credit else "Invoices"
        clauses = [where_equals("Reference", r) for r in dict.fromkeys(references) if r]
        found: list[dict] = []
        for where in or_chunks(clauses):
            found.extend(self._client.get_pages(path, path, {"where": where, "unitdp": "4"}))
        return [d for d in found if d.get("Type", "ACCREC") in ("ACCREC", "ACCRECCREDIT")]

    # -- batch creates ------------------------------------------------------------------------

    def create_invoices(self, invoices: list[dict], idempotency_key: str) -> list[BatchElement]:
        """``PUT /Invoices?summarizeErrors=false&unitdp=4`` of up to 50 invoices; one element each."""
        return self._batch("Invoices", invoices, idempotency_key, unitdp=True)

    def create_credit_notes(self, notes: list[dict], idempotency_key: str) -> list[BatchElement]:
        """``PUT /CreditNotes?summarizeErrors=false&unitdp=4`` of up to 50 credit notes."""
        return self._batch("CreditNotes", notes, idempotency_key, unitdp=True)

    def create_contacts(self, contacts: list[dict], idempotency_key: str) -> list[BatchElement]:
        """``PUT /Contacts?summarizeErrors=false`` of up to 50 contacts."""
        return self._batch("Contacts", contacts, idempotency_key, unitdp=False)

    def _batch(self, key: str, records: list[dict], idempotency_key: str, *, unitdp: bool) -> list[BatchElement]:
        if not records:
            return []
        if len(records) > BATCH_SIZE:
            raise ValueError(f"at most {BATCH_SIZE} {key} per call, not {len(records)}")
        params = {"summarizeErrors": "false", **({"unitdp": "4"} if unitdp else {})}
        answers = self._client.put_records(key, records, idempotency_key, params)
        if len(answers) != len(records):
            raise XeroProtocolError(detail=f"{key}: sent {len(records)}, Xero answered {len(answers)} elements")
        return [BatchElement(sent, answer, element_errors(answer)) for sent, answer in zip(records, answers)]
