"""XeroClient month-end calls: OR lookups chunked, If-Modified-Since, batch creates, limits."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from xero_stubs import make_client, reply, sequence

from depot_gui.xero import XeroProtocolError, XeroRateLimited
from depot_gui.xero.query import or_chunks, since_header


def query(req):
    return {k: v[0] for k, v in parse_qs(urlsplit(str(req.url)).query).items()}


def test_or_chunks_keep_each_where_under_the_budget():
    clauses = [f'Name=="Company {i:02d}"' for i in range(10)]  # 19 characters each
    chunks = list(or_chunks(clauses, budget=50))
    assert chunks[0] == 'Name=="Company 00" OR Name=="Company 01"'
    assert len(chunks) == 5 and all(len(c) <= 50 for c in chunks)
    assert list(or_chunks(['A=="1"', 'A=="1"'])) == ['A=="1"']  # repeats dropped


def test_contacts_of_many_companies_in_one_call():
    client = make_client(sequence(reply(body={"Contacts": [{"ContactID": "c1", "Name": "Acme"}]})))
    found = client.bulk.contacts_matching(["Acme", 'Bo "B" Ltd'], ["A1"])
    assert [c["ContactID"] for c in found] == ["c1"]
    (req,) = client.handler.requests
    assert query(req)["where"] == 'Name=="Acme" OR Name=="Bo \\"B\\" Ltd" OR AccountNumber=="A1"'


def test_credit_notes_by_number_in_one_call_deleted_left_out():
    notes = [{"CreditNoteNumber": "A", "Status": "DRAFT"}, {"CreditNoteNumber": "B", "Status": "DELETED"}]
    client = make_client(sequence(reply(body={"CreditNotes": notes})))
    assert [n["CreditNoteNumber"] for n in client.bulk.credit_notes_by_number(["A", "B", "A"])] == ["A"]
    (req,) = client.handler.requests
    assert query(req)["where"] == 'CreditNoteNumber=="A" OR CreditNoteNumber=="B"'


def test_changes_since_send_if_modified_since_in_utc_whole_seconds():
    client = make_client(sequence(reply(body={"Contacts": []}), reply(body={"Accounts": []}),
                                  reply(body={"Invoices": []})))
    when = datetime(2026, 11, 20, 9, 30, 15, 700000, tzinfo=UTC)
    client.bulk.contacts_changed_since(when)
    client.bulk.accounts_changed_since(when)
    client.bulk.invoices_changed_since(when)
    reqs = client.handler.requests
    assert [r.headers["If-Modified-Since"] for r in reqs] == ["2026-11-20T09:30:15"] * 3
    assert query(reqs[0])["includeArchived"] == "true"
    assert query(reqs[2])["where"] == 'Type=="ACCREC"'
    assert since_header(datetime(2026, 1, 2, 3, 4, 5)) == {"If-Modified-Since": "2026-01-02T03:04:05"}


def test_batch_create_reads_each_elements_outcome():
    answer = {"Invoices": [
        {"InvoiceNumber": "A", "InvoiceID": "i1", "StatusAttributeString": "OK"},
        {"InvoiceNumber": "B", "StatusAttributeString": "ERROR", "HasErrors": True,
         "ValidationErrors": [{"Message": "Invoice # must be unique."}]},
    ]}
    client = make_client(sequence(reply(body=answer, headers={"X-DayLimit-Remaining": "812",
                                                              "X-MinLimit-Remaining": "57"})))
    out = client.bulk.create_invoices([{"InvoiceNumber": "A"}, {"InvoiceNumber": "B"}], "batch-key-1")
    assert [(e.ok, e.errors) for e in out] == [(True, []), (False, ["Invoice # must be unique."])]
    assert out[0].answer["InvoiceID"] == "i1" and out[1].sent == {"InvoiceNumber": "B"}
    (req,) = client.handler.requests
    assert query(req) == {"summarizeErrors": "false", "unitdp": "4"}
    assert req.headers["Idempotency-Key"] == "batch-key-1"
    assert (client.day_remaining, client.minute_remaining) == (812, 57)


def test_batch_answer_with_missing_elements_is_a_protocol_error():
    client = make_client(sequence(reply(body={"Contacts": [{"Name": "A"}]})))
    with pytest.raises(XeroProtocolError):
        client.bulk.create_contacts([{"Name": "A"}, {"Name": "B"}], "k-2")


def test_batch_of_more_than_50_is_refused_before_sending():
    client = make_client(sequence())
    with pytest.raises(ValueError):
        client.bulk.create_credit_notes([{}] * 51, "k-3")


def test_day_limit_429_is_not_retried_and_says_when_it_resets():
    headers = {"Retry-After": "300", "X-Rate-Limit-Problem": "day"}  # short enough that a minute-wait would wait
    client = make_client(sequence(reply(429, {}, headers)))
    with pytest.raises(XeroRateLimited) as info:
        client.bulk.create_invoices([{"InvoiceNumber": "A"}], "k-4")
    assert client.sleeps == [] and len(client.handler.requests) == 1
    assert info.value.problem == "day"
    assert info.value.reset_at == datetime(2024, 5, 31, 12, 5, tzinfo=UTC)
    assert info.value.user_message == (
        "Xero's daily API limit for this organisation is used up: it resets at 2024-05-31 12:05 UTC."
    )


def test_batch_with_a_bad_idempotency_key_is_refused_before_sending():
    client = make_client(sequence())
    with pytest.raises(ValueError, match="printable ASCII"):
        client.bulk.create_invoices([{"InvoiceNumber": "A"}], "has space")
    assert client.handler.requests == []
