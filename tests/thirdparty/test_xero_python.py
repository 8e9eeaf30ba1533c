"""Xero's official SDK, xero-python, unmodified, against the sandbox served on loopback.

Only the host changes: ``IdentityApi(api_client, base_url=BASE)`` and
``AccountingApi(api_client, base_url=BASE + "/api.xro/2.0")`` (clients.md). The token comes from the
sandbox's own Xero identity through the PKCE authorization-code flow, as a desktop app gets it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import httpx2
import pytest
from xero_python.accounting import AccountingApi, Contact, Invoice, Invoices, LineItem
from xero_python.accounting.models import AccountType, CurrencyCode, LineAmountTypes
from xero_python.api_client import ApiClient, Configuration
from xero_python.api_client.oauth2 import OAuth2Token
from xero_python.exceptions import ApiException
from xero_python.exceptions.http_status_exceptions import NotFoundException, RateLimitException
from xero_python.identity import IdentityApi

from ..conftest import DEMO_PATH

DEMO = json.loads(DEMO_PATH.read_text())
CLIENT_ID = DEMO["xero"]["clientId"]
TENANT = DEMO["xero"]["tenants"][0]["tenantId"]
ACME = DEMO["xero"]["Contacts"][0]["ContactID"]
REDIRECT = "http://localhost:8765/callback"
SCOPE = "offline_access accounting.transactions accounting.contacts accounting.settings"


def pkce_token(base: str) -> dict:
    """The PKCE authorization-code flow against the sandbox's identity; returns the token response."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    with httpx2.Client(base_url=base, timeout=10) as c:
        r = c.get("/identity/connect/authorize", follow_redirects=False, params={
            "response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT, "scope": SCOPE,
            "state": "tp-state", "code_challenge": challenge, "code_challenge_method": "S256"})
        assert r.status_code == 302, r.text
        query = parse_qs(urlsplit(r.headers["location"]).query)
        assert query["state"] == ["tp-state"]
        r = c.post("/connect/token", data={"grant_type": "authorization_code", "client_id": CLIENT_ID,
                                           "code": query["code"][0], "redirect_uri": REDIRECT,
                                           "code_verifier": verifier})
        assert r.status_code == 200, r.text
        return r.json()


class Xero:
    """xero-python's ApiClient, IdentityApi and AccountingApi aimed at one served sandbox."""

    def __init__(self, base: str):
        token = pkce_token(base)
        # xero-python keeps scope as a list (its own refresh flow splits it the same way).
        self.token = dict(token, scope=token["scope"].split())
        self.api_client = ApiClient(
            Configuration(oauth2_token=OAuth2Token(client_id=CLIENT_ID, client_secret="")),
            oauth2_token_getter=lambda: self.token,
            oauth2_token_saver=lambda t: setattr(self, "token", t))
        self.identity = IdentityApi(self.api_client, base_url=base)
        self.accounting = AccountingApi(self.api_client, base_url=base + "/api.xro/2.0")


@pytest.fixture
def xero(serve):
    sandbox, base = serve()
    x = Xero(base)
    x.sandbox = sandbox
    yield x
    x.api_client.rest_client.pool_manager.clear()


def draft(number: str, *lines: LineItem, contact_id: str = ACME) -> Invoices:
    """One DRAFT sales invoice, as the SDK's own models build it."""
    return Invoices(invoices=[Invoice(
        type="ACCREC", contact=Contact(contact_id=contact_id), line_items=list(lines),
        date=date(2026, 11, 1), due_date=date(2026, 11, 15), invoice_number=number, status="DRAFT")])


def line(description: str, quantity, unit_amount, account_code: str = "200", tax_type: str = "OUTPUT") -> LineItem:
    return LineItem(description=description, quantity=quantity, unit_amount=unit_amount,
                    account_code=account_code, tax_type=tax_type)


def value(x):
    """An SDK enum's value (some fields are enums, some validated strings)."""
    return getattr(x, "value", x)


def error_messages(exc: ApiException) -> list[str]:
    """Every ValidationErrors message in a Xero 400 body."""
    body = json.loads(exc.body)
    return [v["Message"] for el in body.get("Elements", []) for v in el.get("ValidationErrors", [])]


def test_connections(xero):
    connections = xero.identity.get_connections()
    assert [c.tenant_id for c in connections] == [TENANT]
    assert connections[0].tenant_type == "ORGANISATION"
    assert connections[0].tenant_name == DEMO["xero"]["tenants"][0]["tenantName"]
    assert isinstance(connections[0].created_date_utc, datetime)


def test_reference_data(xero):
    accounts = xero.accounting.get_accounts(TENANT).accounts
    assert {a.code for a in accounts} == {"200", "260", "860"}
    sales = next(a for a in accounts if a.code == "200")
    assert sales.type == AccountType.REVENUE and sales.tax_type == "OUTPUT"
    assert isinstance(sales.updated_date_utc, datetime)

    active = xero.accounting.get_accounts(TENANT, where='Status=="ACTIVE"&&Type=="REVENUE"').accounts
    assert {a.code for a in active} == {"200", "260"}

    rates = {r.tax_type: r for r in xero.accounting.get_tax_rates(TENANT).tax_rates}
    assert set(rates) == {"OUTPUT", "EXEMPTOUTPUT", "BASEXCLUDED"}
    assert rates["OUTPUT"].effective_rate == Decimal("10")
    assert isinstance(rates["OUTPUT"].effective_rate, Decimal)


def test_contacts_where(xero):
    # The space in the name travels as '+' in the query string (clients.md).
    found = xero.accounting.get_contacts(TENANT, where='Name=="Acme Dental Group"').contacts
    assert [c.contact_id for c in found] == [ACME]
    assert found[0].account_number == "C100"
    by_number = xero.accounting.get_contacts(TENANT, where='AccountNumber=="C100"', summary_only=True).contacts
    assert [c.contact_id for c in by_number] == [ACME]
    assert xero.accounting.get_contacts(TENANT, where='Name=="Nobody Pty Ltd"').contacts == []
    assert [c.contact_id for c in xero.accounting.get_contacts(TENANT, i_ds=[ACME]).contacts] == [ACME]


def test_create_invoice_round_trip(xero):
    acc = xero.accounting
    body = draft("TP-1",
                 line("Microsoft 365 seats", 3, Decimal("33.3333")),
                 line("Managed Servers x 2", 2, Decimal("180.00")),
                 line("Dell Latitude laptop", Decimal("1.5"), Decimal("1899.99"), account_code="260"))
    created = acc.create_invoices(TENANT, body, idempotency_key="tp-1-key", unitdp=4).invoices
    assert len(created) == 1 and created[0].invoice_id
    assert created[0].has_errors is False

    got = acc.get_invoices(TENANT, invoice_numbers=["TP-1"], unitdp=4).invoices
    assert len(got) == 1
    inv = got[0]
    assert inv.invoice_id == created[0].invoice_id
    assert value(inv.type) == "ACCREC" and value(inv.status) == "DRAFT"
    assert inv.contact.contact_id == ACME and inv.contact.name == "Acme Dental Group"
    # Dates round-trip through Xero's /Date(ms)/ form, which xero-python insists on.
    assert inv.date == date(2026, 11, 1) and inv.due_date == date(2026, 11, 15)
    assert isinstance(inv.updated_date_utc, datetime) and inv.updated_date_utc.tzinfo is not None
    assert inv.line_amount_types == LineAmountTypes.EXCLUSIVE
    assert inv.currency_code == CurrencyCode.AUD

    # Xero's maths: each line rounds quantity x unit amount to cents, tax is per line at 10 %.
    amounts = [(li.unit_amount, li.line_amount, li.tax_amount) for li in inv.line_items]
    assert amounts == [(Decimal("33.3333"), Decimal("100.00"), Decimal("10.00")),
                       (Decimal("180.00"), Decimal("360.00"), Decimal("36.00")),
                       (Decimal("1899.99"), Decimal("2849.99"), Decimal("285.00"))]
    assert all(isinstance(x, Decimal) for row in amounts for x in row)
    assert inv.sub_total == Decimal("3309.99")
    assert inv.total_tax == Decimal("331.00")
    assert inv.total == Decimal("3640.99") == inv.amount_due
    assert all(isinstance(x, Decimal) for x in (inv.sub_total, inv.total_tax, inv.total))
    assert created[0].total == inv.total

    # Without unitdp Xero rounds unit amounts to 2 places in what it returns.
    plain = acc.get_invoice(TENANT, inv.invoice_id).invoices[0]
    assert plain.line_items[0].unit_amount == Decimal("33.33")
    assert plain.total == inv.total


def test_idempotency_key_replays_instead_of_duplicating(xero):
    acc = xero.accounting
    body = draft("TP-1", line("Managed Workstations x 25", 25, Decimal("45.00")))
    first = acc.create_invoices(TENANT, body, idempotency_key="same-key").invoices[0]
    again = acc.create_invoices(TENANT, body, idempotency_key="same-key").invoices[0]
    assert again.invoice_id == first.invoice_id
    assert [i.invoice_id for i in acc.get_invoices(TENANT, invoice_numbers=["TP-1"]).invoices] == [first.invoice_id]


def test_duplicate_invoice_number_is_rejected(xero):
    acc = xero.accounting
    acc.create_invoices(TENANT, draft("TP-1", line("Backup storage", 2, Decimal("120"))), idempotency_key="k-1")
    with pytest.raises(ApiException) as err:
        acc.create_invoices(TENANT, draft("TP-1", line("Backup storage", 2, Decimal("120"))), idempotency_key="k-2")
    assert err.value.status == 400
    body = err.value.body.decode() if isinstance(err.value.body, bytes) else err.value.body
    assert "must be unique" in body
    assert any("must be unique" in m for m in error_messages(err.value))
    assert len(acc.get_invoices(TENANT, invoice_numbers=["TP-1"]).invoices) == 1


def test_negative_quantity_is_rejected(xero):
    acc = xero.accounting
    body = draft("TP-2", line("Managed Workstations", 25, Decimal("45")), line("Seats removed", -3, Decimal("12.50")))
    with pytest.raises(ApiException) as err:
        acc.create_invoices(TENANT, body, idempotency_key="neg-1")
    assert err.value.status == 400
    assert any("quantity" in m.lower() for m in error_messages(err.value))
    assert acc.get_invoices(TENANT, invoice_numbers=["TP-2"]).invoices == []


def test_list_filters_paging_and_python_booleans(xero):
    acc = xero.accounting
    for n in (1, 2, 3):
        acc.create_invoices(TENANT, draft(f"TP-{n}", line("Seat", n, Decimal("10"))), idempotency_key=f"list-{n}")
    # xero-python sends summaryOnly=False / page=1 and a raw where with && and !=; CSV list filters.
    page = acc.get_invoices(TENANT, where='Type=="ACCREC"&&Status!="DELETED"', statuses=["DRAFT", "AUTHORISED"],
                            invoice_numbers=["TP-1", "TP-3"], page=1, summary_only=False, order="InvoiceNumber")
    assert [i.invoice_number for i in page.invoices] == ["TP-1", "TP-3"]
    assert page.pagination is not None and page.pagination.item_count == 2 and page.pagination.page == 1
    assert acc.get_invoices(TENANT, statuses=["AUTHORISED"]).invoices == []
    ids = [i.invoice_id for i in page.invoices]
    assert sorted(i.invoice_id for i in acc.get_invoices(TENANT, i_ds=ids).invoices) == sorted(ids)


def test_tax_inclusive_lines(xero):
    acc = xero.accounting
    body = draft("TP-5", line("Seat incl. GST", 3, Decimal("36.67")))
    body.invoices[0].line_amount_types = LineAmountTypes.INCLUSIVE
    inv = acc.create_invoices(TENANT, body, idempotency_key="incl-1").invoices[0]
    assert inv.line_amount_types == LineAmountTypes.INCLUSIVE
    assert inv.line_items[0].line_amount == Decimal("110.01")
    assert inv.total == Decimal("110.01") and inv.total_tax == Decimal("10.00") and inv.sub_total == Decimal("100.01")


def test_summarize_errors_false_reports_per_invoice(xero):
    acc = xero.accounting
    acc.create_invoices(TENANT, draft("TP-1", line("Seat", 1, Decimal("10"))), idempotency_key="se-1")
    both = Invoices(invoices=draft("TP-6", line("Seat", 1, Decimal("10"))).invoices
                    + draft("TP-1", line("Seat", 1, Decimal("10"))).invoices)
    out = acc.create_invoices(TENANT, both, summarize_errors=False, idempotency_key="se-2").invoices
    assert [(i.invoice_number, i.has_errors) for i in out] == [("TP-6", False), ("TP-1", True)]
    assert "must be unique" in out[1].validation_errors[0].message


def test_authorise_then_void(xero):
    acc = xero.accounting
    iid = acc.create_invoices(TENANT, draft("TP-7", line("Seat", 2, Decimal("45"))), idempotency_key="av-1") \
        .invoices[0].invoice_id
    authorised = acc.update_invoice(TENANT, iid, Invoices(invoices=[Invoice(status="AUTHORISED")]),
                                    idempotency_key="av-2").invoices[0]
    assert value(authorised.status) == "AUTHORISED" and authorised.total == Decimal("99.00")
    assert authorised.due_date == date(2026, 11, 15)
    voided = acc.update_invoice(TENANT, iid, Invoices(invoices=[Invoice(status="VOIDED")])).invoices[0]
    assert value(voided.status) == "VOIDED"
    assert [value(i.status) for i in acc.get_invoices(TENANT, statuses=["VOIDED"]).invoices] == ["VOIDED"]


def test_rate_limit_answers_drive_the_sdk(xero):
    """Real 429s carry Retry-After, so urllib3 (under xero-python) waits and retries by itself; once the
    retries run out the SDK raises its RateLimitException, which reads X-Rate-Limit-Problem."""
    acc = xero.accounting
    xero.sandbox.add_fault({"api": "xero", "path": "/Invoices$", "kind": "status", "status": 429,
                            "retryAfter": 0, "nth": 1})
    assert acc.get_invoices(TENANT).invoices == []
    statuses = [r["status"] for r in xero.sandbox.state()["requests"] if r["path"].endswith("/Invoices")]
    assert statuses == [429, 200]

    xero.sandbox.add_fault({"api": "xero", "path": "/Invoices$", "kind": "status", "status": 429,
                            "retryAfter": 0, "problem": "day", "nth": 1, "times": 10})
    with pytest.raises(RateLimitException) as err:
        acc.get_invoices(TENANT)
    assert err.value.rate_limit == "day"


def test_unknown_invoice_and_bad_token(xero):
    with pytest.raises(NotFoundException):
        xero.accounting.get_invoice(TENANT, "00000000-0000-4000-8000-000000000000")
    xero.token = dict(xero.token, access_token="not-a-token")
    with pytest.raises(ApiException) as err:
        xero.accounting.get_accounts(TENANT)
    assert err.value.status == 401


def test_payments_read_by_the_sdk(xero):
    """A part payment, then the rest, as xero-python reads them (AmountPaid, Payments, FullyPaidOnDate)."""
    acc = xero.accounting
    iid = acc.create_invoices(TENANT, draft("TP-PAY", line("Seat", 2, Decimal("45"))), idempotency_key="pay-1") \
        .invoices[0].invoice_id
    acc.update_invoice(TENANT, iid, Invoices(invoices=[Invoice(status="AUTHORISED")]), idempotency_key="pay-2")
    xero.sandbox.pay_invoice("TP-PAY", "40.00", on="2026-11-18")
    part = acc.get_invoices(TENANT, i_ds=[iid]).invoices[0]
    assert (value(part.status), part.amount_paid, part.amount_due, part.fully_paid_on_date) == (
        "AUTHORISED", Decimal("40.00"), Decimal("59.00"), None)
    xero.sandbox.pay_invoice("TP-PAY", on="2026-11-19")
    paid = acc.get_invoice(TENANT, iid).invoices[0]
    assert (value(paid.status), paid.amount_paid, paid.amount_due, paid.fully_paid_on_date) == (
        "PAID", Decimal("99.00"), Decimal("0.00"), date(2026, 11, 19))
    assert [(p.date, p.amount) for p in paid.payments] == [
        (date(2026, 11, 18), Decimal("40.00")), (date(2026, 11, 19), Decimal("59.00"))]
