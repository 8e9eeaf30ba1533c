"""Month-end calls whose count does not grow per invoice: OR lookups, changes since, batch creates.

Mixed into :class:`~depot_gui.xero.client.XeroClient` (needs its ``_request``, ``_get_pages``,
``_url``, ``_records`` and ``limits``).

* Contacts of many companies: ``where`` with ``Name=="…" OR AccountNumber=="…"`` clauses, as
  many per call as fit in ``WHERE_BUDGET`` characters.
* Credit notes by number: the same with ``CreditNoteNumber`` (``/CreditNotes`` has no
  ``CreditNoteNumbers`` list parameter).
* What changed since a time: ``If-Modified-Since`` (ISO UTC, whole seconds) on Accounts,
  Contacts (archived included, so an archiving is seen), Invoices and CreditNotes.
* Batch creates: ``PUT`` of up to ``BATCH_SIZE`` documents with ``summarizeErrors=false`` and
  one ``Idempotency-Key``; the answer is one element per document, in the order sent, each
  read as ``BatchElement`` (ok, or its validation messages).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone

from depot_gui.xero import _mapping
from depot_gui.xero.errors import XeroProtocolError

BATCH_SIZE = 50
DIRECTORY_PAGE = 1000  # Xero's largest pageSize
WHERE_BUDGET = 1800  # characters of where clause per call (keeps URLs well under common 8 KB limits)


def where_equals(field_name: str, value: str) -> str:
    """A ``where`` clause ``Field=="value"`` with backslashes and quotes escaped."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{field_name}=="{escaped}"'


def or_chunks(clauses: Iterable[str], budget: int = WHERE_BUDGET) -> Iterator[str]:
    """``A OR B OR …`` expressions of at most ``budget`` characters (one clause may exceed it alone)."""
    chunk: list[str] = []
    size = 0
    for clause in dict.fromkeys(clauses):
        extra = len(clause) + (4 if chunk else 0)
        if chunk and size + extra > budget:
            yield " OR ".join(chunk)
            chunk, size = [], 0
            extra = len(clause)
        chunk.append(clause)
        size += extra
    if chunk:
        yield " OR ".join(chunk)


def since_header(when: datetime) -> dict[str, str]:
    """``If-Modified-Since`` for an aware (or naive UTC) time, as Xero documents it: ISO UTC, whole seconds."""
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc).replace(tzinfo=None)
    return {"If-Modified-Since": when.strftime("%Y-%m-%dT%H:%M:%S")}


@dataclass(frozen=True)
class BatchElement:
    """Xero's answer for one document of a batch create."""

    sent: dict
    answer: dict
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class XeroBulkMixin:
    """Lookups and creates for many documents at once."""

    # -- lookups ------------------------------------------------------------------------------

    def contacts_matching(self, names: Iterable[str] = (), account_numbers: Iterable[str] = ()) -> list[dict]:
        """Active contacts whose Name or AccountNumber equals one of the values (OR clauses, chunked)."""
        clauses = [where_equals("Name", n) for n in names if n] + [
            where_equals("AccountNumber", a) for a in account_numbers if a
        ]
        found: dict[str, dict] = {}
        for where in or_chunks(clauses):
            for c in self._get_pages("Contacts", "Contacts", {"where": where}):
                found[str(c.get("ContactID"))] = c
        return list(found.values())

    def all_contacts(self) -> list[dict]:
        """Every contact, archived included, up to 1,000 a call.

        Whole records, not ``summaryOnly``: Xero does not document which fields a summary keeps,
        and a missing ``AccountNumber`` would hide an account-number match (and let a second
        contact be made). The directory is read whole once, then only by what changed."""
        params = {"includeArchived": "true", "pageSize": str(DIRECTORY_PAGE)}
        return self._get_pages("Contacts", "Contacts", params)

    def contacts_changed_since(self, since: datetime) -> list[dict]:
        """Every contact created or changed since ``since``, archived ones included (1,000 a call, whole records)."""
        params = {"includeArchived": "true", "pageSize": str(DIRECTORY_PAGE)}
        return self._get_pages("Contacts", "Contacts", params, headers=since_header(since))

    def accounts_changed_since(self, since: datetime) -> list[dict]:
        """Accounts created or changed since ``since``."""
        data = self._request("GET", self._url("Accounts"), headers=since_header(since), what="Accounts")
        return self._records(data, "Accounts")

    def invoices_changed_since(self, since: datetime) -> list[dict]:
        """Sales invoices created or changed since ``since`` (deleted ones included), 4 dp unit amounts."""
        params = {"where": 'Type=="ACCREC"', "unitdp": "4"}
        return self._get_pages("Invoices", "Invoices", params, headers=since_header(since))

    def credit_notes_changed_since(self, since: datetime) -> list[dict]:
        """Sales credit notes created or changed since ``since`` (deleted ones included)."""
        params = {"where": 'Type=="ACCRECCREDIT"', "unitdp": "4"}
        return self._get_pages("CreditNotes", "CreditNotes", params, headers=since_header(since))

    def credit_notes_by_number(self, numbers: Iterable[str]) -> list[dict]:
        """Non-deleted credit notes with these CreditNoteNumbers (OR clauses, chunked)."""
        clauses = [where_equals("CreditNoteNumber", n) for n in dict.fromkeys(numbers) if n]
        found: list[dict] = []
        for where in or_chunks(clauses):
            found.extend(self._get_pages("CreditNotes", "CreditNotes", {"where": where, "unitdp": "4"}))
        return [note for note in found if note.get("Status") != "DELETED"]

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
        from depot_gui.xero.client import check_idempotency_key

        if not records:
            return []
        if len(records) > BATCH_SIZE:
            raise ValueError(f"at most {BATCH_SIZE} {key} per call, not {len(records)}")
        check_idempotency_key(idempotency_key)
        params = {"summarizeErrors": "false", **({"unitdp": "4"} if unitdp else {})}
        data = self._request("PUT", self._url(key), params=params, body={key: records}, key=idempotency_key, what=key)
        answers = self._records(data, key)
        if len(answers) != len(records):
            raise XeroProtocolError(detail=f"{key}: sent {len(records)}, Xero answered {len(answers)} elements")
        return [BatchElement(sent, answer, _mapping.element_errors(answer)) for sent, answer in zip(records, answers)]

    # -- limits -------------------------------------------------------------------------------

    @property
    def day_remaining(self) -> int | None:
        """Calls left today for this organisation, from the last answer's ``X-DayLimit-Remaining``."""
        return _int(self.limits.get("X-DayLimit-Remaining"))

    @property
    def minute_remaining(self) -> int | None:
        """Calls left this minute, from the last answer's ``X-MinLimit-Remaining``."""
        return _int(self.limits.get("X-MinLimit-Remaining"))


def _int(text: str | None) -> int | None:
    try:
        return int(str(text).strip()) if text is not None else None
    except ValueError:
        return None
