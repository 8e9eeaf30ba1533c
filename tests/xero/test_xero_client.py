"""XeroClient: headers, reads, chunking, Decimal precision, write policy, validation parsing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx2
import pytest
from xero_stubs import ROOT, TENANT, TOKEN, make_client, reply, sequence

from depot_gui.xero import (
    XeroAuthError,
    XeroError,
    XeroForbiddenError,
    XeroNetworkError,
    XeroNotFoundError,
    XeroOutcomeUnknown,
    XeroProtocolError,
    XeroRateLimited,
    XeroServerError,
    XeroValidationError,
    parse_xero_date,
    parse_xero_datetime,
)
from depot_gui.xero.query import check_idempotency_key, where_equals

ACC = f"{ROOT}/api.xro/2.0/"
INVOICE = {
    "Type": "ACCREC",
    "Contact": {"ContactID": "c1"},
    "InvoiceNumber": "INV-1",
    "LineItems": [{"Description": "x", "Quantity": Decimal("3"), "UnitAmount": Decimal("33.3333")}],
}

# The exact ValidationException shape of xero-api.md §5.3, with a line-level error added.
VALIDATION = {
    "ErrorNumber": 10,
    "Type": "ValidationException",
    "Message": "A validation exception occurred",
    "Elements": [
        {
            "Type": "ACCREC",
            "InvoiceNumber": "INV-1",
            "ValidationErrors": [
                {"Message": "Invoice # must be unique."},
                {"Message": "Account code '999' is not a valid code for this document."},
            ],
            "LineItems": [
                {
                    "Description": "x",
                    "ValidationErrors": [
                        {"Message": "The TaxType code 'OUTPUT' cannot be used with account code '200'."}
                    ],
                }
            ],
        }
    ],
}


def ok_invoices(*invoices, pagination=None):
    body = {
        "Id": "r",
        "Status": "OK",
        "ProviderName": "t",
        "DateTimeUTC": "/Date(1717156800000)/",
        "Invoices": list(invoices),
    }
    if pagination:
        body["pagination"] = pagination
    return reply(body=body, headers={"X-DayLimit-Remaining": "4990", "X-MinLimit-Remaining": "59"})


def test_read_headers_and_tracking():
    client = make_client(sequence(reply(body={"Organisations": [{"Name": "Demo"}]})))
    assert client.organisation() == {"Name": "Demo"}
    req = client.handler.requests[0]
    assert str(req.url) == ACC + "Organisation"
    assert req.headers["Authorization"] == f"Bearer {TOKEN}"
    assert req.headers["xero-tenant-id"] == TENANT
    assert req.headers["Accept"] == "application/json"
    assert "Idempotency-Key" not in req.headers
    assert client.server_date == datetime(2024, 5, 31, 12, tzinfo=UTC)
    assert client.calls == 1


def test_connections_has_no_tenant_header():
    client = make_client(sequence(reply(body=[{"tenantId": TENANT, "tenantName": "Demo"}])))
    assert client.connections()[0]["tenantId"] == TENANT
    req = client.handler.requests[0]
    assert str(req.url) == f"{ROOT}/connections" and "xero-tenant-id" not in req.headers


def test_accounts_and_tax_rates():
    client = make_client(
        sequence(
            reply(body={"Accounts": [{"Code": "200"}]}),
            reply(body={"TaxRates": [{"TaxType": "OUTPUT", "EffectiveRate": 10.0}]}),
        )
    )
    assert client.accounts() == [{"Code": "200"}]
    assert client.tax_rates()[0]["EffectiveRate"] == Decimal("10.0")


def test_find_contacts_escapes_quotes():
    client = make_client(
        sequence(
            reply(
                body={
                    "Contacts": [
                        {"Name": 'A "B" Ltd', "AccountNumber": "7"},
                        {"Name": 'A "B" Ltd', "AccountNumber": "8"},
                    ]
                }
            )
        )
    )
    found = client.find_contacts(name='A "B" Ltd', account_number="7")
    assert [c["AccountNumber"] for c in found] == ["7"]
    assert client.handler.requests[0].url.params["where"] == 'Name=="A \\"B\\" Ltd"'
    assert where_equals("AccountNumber", "a\\b") == 'AccountNumber=="a\\\\b"'
    with pytest.raises(ValueError):
        client.find_contacts()


def test_invoices_by_number_chunks_and_drops_deleted():
    def answer(req):
        numbers = req.url.params["InvoiceNumbers"].split(",")
        assert req.url.params["unitdp"] == "4" and req.url.params["where"] == 'Status!="DELETED"'
        assert req.url.params["page"] == "1"
        return ok_invoices(
            *[{"InvoiceNumber": n, "Status": "DELETED" if n == "INV-3" else "AUTHORISED"} for n in numbers]
        )

    numbers = [f"INV-{i}" for i in range(1, 91)]
    client = make_client(sequence(answer, answer, answer))
    found = client.invoices_by_number(numbers + ["INV-1"])
    sizes = [len(r.url.params["InvoiceNumbers"].split(",")) for r in client.handler.requests]
    assert sizes == [40, 40, 10]
    assert len(found) == 89 and all(inv["InvoiceNumber"] != "INV-3" for inv in found)
    assert client.limits["X-DayLimit-Remaining"] == "4990"
    assert client.invoices_by_number([]) == []


def test_invoice_pages_are_followed():
    client = make_client(
        sequence(
            ok_invoices(
                {"InvoiceNumber": "A"}, pagination={"page": 1, "pageSize": 1, "pageCount": 2, "itemCount": 2}
            ),
            ok_invoices(
                {"InvoiceNumber": "B"}, pagination={"page": 2, "pageSize": 1, "pageCount": 2, "itemCount": 2}
            ),
        )
    )
    assert [i["InvoiceNumber"] for i in client.invoices_by_number(["A", "B"])] == ["A", "B"]


def test_decimal_precision_both_ways():
    client = make_client(
        sequence(
            reply(
                text='{"Invoices":[{"InvoiceID":"i1","Status":"DRAFT","LineItems":[{"UnitAmount":33.3333,"TaxAmount":0.1}],"Total":100.00}]}'
            )
        )
    )
    created = client.create_invoice(INVOICE, "key-1")
    assert created["LineItems"][0]["UnitAmount"] == Decimal("33.3333")
    assert created["LineItems"][0]["TaxAmount"] == Decimal("0.1")
    assert str(created["Total"]) == "100.00"
    req = client.handler.requests[0]
    assert req.method == "PUT" and str(req.url) == ACC + "Invoices?unitdp=4"
    assert b'"UnitAmount":33.3333' in req.content and b'"Quantity":3' in req.content
    assert json.loads(req.content)["Invoices"][0]["InvoiceNumber"] == "INV-1"
    assert req.headers["Idempotency-Key"] == "key-1"
    assert req.headers["Content-Type"] == "application/json"


def test_idempotency_key_rules():
    client = make_client(sequence())
    for bad in ["", "   ", "k" * 129, "has space", "é"]:
        with pytest.raises(ValueError):
            client.create_invoice(INVOICE, bad)
    assert client.calls == 0
    assert check_idempotency_key("k" * 128)


def test_validation_exception_collects_every_message():
    client = make_client(sequence(reply(400, VALIDATION)))
    with pytest.raises(XeroValidationError) as info:
        client.create_invoice(INVOICE, "key-2")
    assert info.value.messages == [
        "Invoice # must be unique.",
        "Account code '999' is not a valid code for this document.",
        "The TaxType code 'OUTPUT' cannot be used with account code '200'.",
    ]
    assert "Invoice # must be unique" in info.value.user_message
    assert client.calls == 1


def test_per_element_has_errors_form():
    element = {
        "InvoiceNumber": "INV-1",
        "HasErrors": True,
        "StatusAttributeString": "ERROR",
        "ValidationErrors": [{"Message": "Contact is archived."}],
    }
    client = make_client(sequence(ok_invoices(element)))
    with pytest.raises(XeroValidationError) as info:
        client.create_invoice(INVOICE, "key-3")
    assert info.value.messages == ["Contact is archived."]


def test_write_429_waits_and_retries_with_same_key():
    client = make_client(
        sequence(
            reply(429, {}, {"Retry-After": "3", "X-Rate-Limit-Problem": "minute"}),
            ok_invoices({"InvoiceID": "i1"}),
        )
    )
    assert client.create_invoice(INVOICE, "key-4")["InvoiceID"] == "i1"
    assert client.waits == [("Waiting for Xero rate limit", 3.0)] and client.sleeps == [3.0]
    assert [r.headers["Idempotency-Key"] for r in client.handler.requests] == ["key-4", "key-4"]


def test_read_429_then_success():
    client = make_client(sequence(reply(429, {}, {"Retry-After": "2"}), reply(body={"Accounts": []})))
    assert client.accounts() == []
    assert client.waits == [("Waiting for Xero rate limit", 2.0)]


def test_daily_limit_is_not_waited_out():
    client = make_client(sequence(reply(429, {}, {"Retry-After": "40000", "X-Rate-Limit-Problem": "day"})))
    with pytest.raises(XeroRateLimited) as info:
        client.accounts()
    assert "daily" in info.value.user_message and client.sleeps == []


@pytest.mark.parametrize(
    "failure",
    [
        httpx2.ReadTimeout("timed out"),
        httpx2.RemoteProtocolError("Server disconnected"),
        httpx2.WriteTimeout("w"),
    ],
)
def test_write_without_answer_is_outcome_unknown_and_not_retried(failure):
    client = make_client(sequence(failure, ok_invoices({"InvoiceID": "i1"})))
    with pytest.raises(XeroOutcomeUnknown):
        client.create_invoice(INVOICE, "key-5")
    assert client.calls == 1 and client.sleeps == []


def test_write_connect_error_is_network_error():
    client = make_client(sequence(httpx2.ConnectError("refused")))
    with pytest.raises(XeroNetworkError):
        client.create_invoice(INVOICE, "key-6")
    assert client.calls == 1


@pytest.mark.parametrize(
    ("status", "error"),
    [(500, XeroOutcomeUnknown), (502, XeroOutcomeUnknown), (504, XeroOutcomeUnknown), (503, XeroServerError)],
)
def test_write_5xx_is_not_retried(status, error):
    client = make_client(sequence(reply(status, text="oops"), ok_invoices({"InvoiceID": "i1"})))
    with pytest.raises(error):
        client.update_invoice("i1", INVOICE, "key-7")
    assert client.calls == 1
    assert client.handler.requests[0].method == "POST"
    assert str(client.handler.requests[0].url) == ACC + "Invoices/i1?unitdp=4"


def test_reads_retry_5xx_and_network_errors():
    client = make_client(
        sequence(
            reply(503, text="maintenance"),
            httpx2.ConnectError("refused"),
            reply(500, text="x"),
            reply(body={"Accounts": [{"Code": "200"}]}),
        )
    )
    assert client.accounts() == [{"Code": "200"}]
    assert client.sleeps == [1.0, 2.0, 4.0]


def test_reads_give_up_after_max_attempts():
    client = make_client(sequence(*[reply(503, text="maintenance")] * 3), max_attempts=3)
    with pytest.raises(XeroServerError):
        client.accounts()


def test_401_problem_json_is_auth_error():
    problem = {
        "Type": None,
        "Title": "Unauthorized",
        "Status": 401,
        "Detail": "TokenExpired: token expired at 01/01/2001 00:00:00",
        "Instance": "x",
        "Extensions": {},
    }
    client = make_client(sequence(reply(401, problem), reply(401, problem)))
    with pytest.raises(XeroAuthError) as info:
        client.accounts()
    assert (
        info.value.user_message
        == "Your Xero connection has expired or was revoked: reconnect Xero in Settings › Connections."
    )
    assert "TokenExpired" in info.value.detail
    assert client.calls == 1


def test_403_tenant_and_scope():
    client = make_client(
        sequence(reply(403, {"Title": "Forbidden", "Status": 403, "Detail": "AuthenticationUnsuccessful"}))
    )
    with pytest.raises(XeroForbiddenError) as info:
        client.accounts()
    assert "organisation" in info.value.user_message
    client = make_client(sequence(reply(403, {}, {"WWW-Authenticate": 'Bearer error="insufficient_scope"'})))
    with pytest.raises(XeroForbiddenError) as info:
        client.create_invoice(INVOICE, "k")
    assert "insufficient scope" in info.value.user_message


def test_not_found_and_bad_json():
    client = make_client(
        sequence(reply(404, text="The resource you're looking for cannot be found"), reply(text="<html>"))
    )
    with pytest.raises(XeroNotFoundError):
        client.get_invoice("0000")
    with pytest.raises(XeroProtocolError):
        client.accounts()


def test_no_tenant_selected():
    client = make_client(sequence())
    client.tenant_id = None
    with pytest.raises(XeroForbiddenError):
        client.accounts()


def test_token_never_in_errors():
    answers = [
        reply(401, {"Detail": f"bad token {TOKEN}"}),
        reply(400, {"Message": f"echo {TOKEN}"}),
        reply(503, text=TOKEN),
        httpx2.ConnectError(f"fail {TOKEN}"),
        httpx2.ReadTimeout(TOKEN),
    ]
    for answer in answers:
        client = make_client(sequence(answer), max_attempts=1)
        with pytest.raises(XeroError) as info:
            client.create_invoice(INVOICE, "k")
        exc = info.value
        for text in (str(exc), repr(exc), exc.user_message, exc.detail, str(exc.args), repr(client)):
            assert TOKEN not in text


def test_credit_notes_and_contacts_writes():
    client = make_client(
        sequence(
            reply(
                body={
                    "CreditNotes": [
                        {"CreditNoteNumber": "CN-1", "Status": "AUTHORISED"},
                        {"CreditNoteNumber": "CN-1", "Status": "DELETED"},
                    ]
                }
            ),
            reply(body={"CreditNotes": [{"CreditNoteID": "n1"}]}),
            reply(body={"Contacts": [{"ContactID": "c9"}]}),
        )
    )
    assert len(client.bulk.credit_notes_by_number(["CN-1"])) == 1
    assert client.handler.requests[0].url.params["where"] == 'CreditNoteNumber=="CN-1"'
    assert client.create_credit_note({"Type": "ACCRECCREDIT"}, "k1")["CreditNoteID"] == "n1"
    assert client.create_contact({"Name": "Acme"}, "k2")["ContactID"] == "c9"
    assert client.handler.requests[2].method == "PUT" and json.loads(client.handler.requests[2].content) == {
        "Contacts": [{"Name": "Acme"}]
    }


def test_parse_xero_dates():
    assert parse_xero_date("/Date(1717113600000+0000)/") == date(2024, 5, 31)
    assert parse_xero_datetime("/Date(1717113600000+0000)/") == datetime(2024, 5, 31, tzinfo=UTC)
    assert parse_xero_datetime("/Date(1717113600000)/") == datetime(2024, 5, 31, tzinfo=UTC)
    assert parse_xero_date("2024-05-31T00:00:00") == date(2024, 5, 31)
    assert parse_xero_datetime("2020-03-18T21:20:07.7179250").tzinfo is UTC
    assert parse_xero_date(None) is None
    with pytest.raises(ValueError):
        parse_xero_date("31/05/2024")
