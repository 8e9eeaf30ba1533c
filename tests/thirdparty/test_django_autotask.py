"""django-autotask (``djautotask``), unmodified, against the sandbox served on loopback.

Only the host changes: the setting ``AUTOTASK_SERVER_URL = BASE + "/atservicesrest/"`` (clients.md). The
client discovers its zone from there (sending no auth headers), builds its own ``query?search=`` URLs
and follows ``nextPageUrl`` verbatim. django-autotask needs a configured Django; nothing here touches a
database (the paging test reuses the package's own ``Synchronizer.fetch_records`` loop and collects the
pages instead of saving them).

Packaging note: djautotask/api.py imports ``pytz`` but the package does not declare it (Django >= 5
no longer pulls it in), so ``pytz`` is in our ``test`` extra too.
"""

from __future__ import annotations

import json

import django
import pytest
from django.conf import settings

from ..conftest import DEMO_PATH

DEMO = json.loads(DEMO_PATH.read_text())
USER = DEMO["autotask"]["apiUser"]

if not settings.configured:
    settings.configure(
        INSTALLED_APPS=["djautotask"],
        DATABASES={},
        USE_TZ=True,
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        AUTOTASK_SERVER_URL="http://sandbox.invalid/atservicesrest/",  # replaced per test by the fixture
        AUTOTASK_CREDENTIALS={"username": USER["userName"], "password": USER["secret"],
                              "integration_code": USER["integrationCode"], "rest_api_version": "1.0"},
        # One attempt, short timeout: its retry decorator would otherwise back off for seconds.
        DJAUTOTASK_CONF_CALLABLE=lambda: {"timeout": 10.0, "max_attempts": 1},
    )
    django.setup()

from django.core.cache import cache  # noqa: E402
from djautotask import api, models, sync  # noqa: E402
from djautotask.api import ApiCondition as A  # noqa: E402


class InvoicesAPIClient(api.AutotaskAPIClient):
    """djautotask has no Invoices client; its clients are this one-line subclass per entity."""
    API = "Invoices"


class Collect(sync.Synchronizer):
    """The package's own paging loop (``Synchronizer.fetch_records``) with pages collected, not saved."""
    client_class = api.BillingItemsAPIClient
    model_class = models.BillingItemTracker

    def __init__(self, method: str = "get"):
        super().__init__()
        self.method = method
        self.items: list[dict] = []

    def get_page(self, next_url=None, *args, **kwargs):
        return self.client.fetch_resource(next_url, method=self.method)

    def persist_page(self, records, results):
        self.items.extend(records)
        return results


@pytest.fixture
def at(serve):
    """``at(scenario=None)`` → the served sandbox, with djautotask's settings and zone cache aimed at it."""
    def start(scenario=None, **options):
        sandbox, base = serve(scenario, **options)
        settings.AUTOTASK_SERVER_URL = base + "/atservicesrest/"
        cache.clear()  # djautotask caches the zone URL for 12 hours
        sandbox.base_url = base
        return sandbox
    yield start
    cache.clear()


def query(client: api.AutotaskAPIClient, *conditions: A) -> list[dict]:
    """All items of a query, paging through ``nextPageUrl`` the way djautotask's synchronizers do."""
    for c in conditions:
        client.add_condition(c)
    items, next_url = [], None
    while True:
        page = client.get(next_url)
        items.extend(page["items"])
        next_url = page.get("pageDetails").get("nextPageUrl")
        if not next_url:
            return items


def ids(items: list[dict]) -> list[int]:
    return [i["id"] for i in items]


def test_zone_discovery_without_auth_headers(at):
    sandbox = at()
    zone = api.get_zone_info(USER["userName"])  # a bare requests.get: no ApiIntegrationCode/UserName/Secret
    assert zone["url"].lower() == sandbox.base_url.lower() + "/atservicesrest/"
    assert zone["url"].endswith("/") and zone["webUrl"].startswith(sandbox.base_url)
    client = api.BillingItemsAPIClient()  # no server_url: it asks the zone itself
    assert client.server_url == zone["url"]
    assert client.api_base_url.endswith("/v1.0/")
    with pytest.raises(api.AutotaskAPIError, match="Zone information could not be determined"):
        api.get_zone_info("nobody@example.invalid")
    assert sandbox.state()["requests"][0]["path"].lower() == "/atservicesrest/v1.0/zoneinformation"


def test_invoices_query(at):
    at()
    found = query(InvoicesAPIClient(), A(op="eq", field="invoiceNumber", value="INV-5002"))
    assert ids(found) == [5002]
    assert found[0]["invoiceTotal"] == 5951.55 and found[0]["invoiceDateTime"] == "2026-11-01T00:00:00"
    many = query(InvoicesAPIClient(), A(op="in", field="id", value=[5005, 5001, 5003]))
    assert ids(many) == [5001, 5003, 5005]  # ascending by id
    assert query(InvoicesAPIClient(), A(op="contains", field="invoiceNumber", value="INV-50")) != []


def test_falsy_filter_value_is_dropped_by_the_client(at):
    """Known client bug (clients.md): djautotask drops a filter's value when it is falsy (0, False)."""
    at()
    client = InvoicesAPIClient()
    client.add_condition(A(op="eq", field="isVoided", value=False))
    endpoint, _ = client.conditions.build_query(method="get")
    assert json.loads(endpoint.split("search=", 1)[1])["filter"] == [{"op": "eq", "field": "isVoided"}]
    # The sandbox answers the value-less condition rather than failing: all five invoices are unvoided.
    assert ids(query(client)) == [5001, 5002, 5003, 5004, 5005]
    everything = query(api.BillingItemsAPIClient(), A(op="gte", field="id", value=0))
    assert 9001 in ids(everything) and 9013 in ids(everything)


def test_billing_items_line_of_business_visibility(at):
    at()
    # 9004 (Hardware line of business) is hidden from the demo API user: not in queries, not by id.
    lines = query(api.BillingItemsAPIClient(), A(op="eq", field="invoiceID", value=5002))
    assert ids(lines) == [9003, 9005]
    everything = query(api.BillingItemsAPIClient(), A(op="gt", field="id", value=1))
    assert 9004 not in ids(everything) and len(everything) == 12
    with pytest.raises(api.AutotaskAPIClientError):
        api.BillingItemsAPIClient().get_single(9004)


def test_get_single_by_id(at):
    at()
    got = api.BillingItemsAPIClient().get_single(9001)["item"]
    assert got["id"] == 9001 and got["invoiceID"] == 5001 and got["totalAmount"] == 1237.5
    inv = InvoicesAPIClient().get_single(5004)["item"]
    assert inv["invoiceNumber"] == "INV-5004"
    with pytest.raises(api.AutotaskAPIClientError):
        InvoicesAPIClient().get_single(424242)


def test_pending_item_appears_on_the_second_query(at):
    at()
    first = query(api.BillingItemsAPIClient(), A(op="eq", field="invoiceID", value=5003))
    assert ids(first) == [9006, 9007]  # 9008 is still being attached
    second = query(api.BillingItemsAPIClient(), A(op="eq", field="invoiceID", value=5003))
    assert ids(second) == [9006, 9007, 9008]


def test_query_count(at):
    at()
    client = api.BillingItemsAPIClient()
    client.add_condition(A(op="eq", field="invoiceID", value=5001))
    assert client.fetch_resource(None, record_count=True) == {"queryCount": 2}


@pytest.mark.parametrize("method", ["get", "post"])
def test_paging_follows_next_page_url_verbatim(at, paging_scenario, method):
    sandbox = at(paging_scenario)
    collect = Collect(method)
    collect.client.add_condition(A(op="gte", field="id", value=0))  # value dropped: see the falsy-value test
    collect.fetch_records(None)
    got = ids(collect.items)
    assert len(got) == 1250 and len(set(got)) == 1250 and got == sorted(got)
    assert got[0] == 20001 and got[-1] == 21250
    paths = [r["path"] for r in sandbox.state()["requests"] if "BillingItems" in r["path"]]
    assert paths[0].lower() == "/atservicesrest/v1.0/billingitems/query"
    assert len(paths) == 3 and all(p.endswith("/query/next") for p in paths[1:])


def test_small_pages_through_max_records(at):
    at()
    client = api.BillingItemsAPIClient()
    client.add_condition(A(op="gte", field="id", value=9000))
    got, next_url, pages = [], None, 0
    while True:
        page = client.fetch_resource(next_url, page_size=5)  # sent as "MaxRecords": 5
        pages += 1
        assert page["pageDetails"]["count"] == len(page["items"]) <= 5
        got += ids(page["items"])
        next_url = page["pageDetails"]["nextPageUrl"]
        if not next_url:
            break
    assert pages == 3 and got == sorted(got) and len(got) == 12 and 9004 not in got


def test_picklist_client_reads_entity_information(at):
    at()
    fields = {f["name"]: f for f in api.LicenseTypesAPIClient().get(None)["fields"]}
    lic = fields["licenseType"]
    assert lic["isPickList"] is True
    assert {v["label"]: v["value"] for v in lic["picklistValues"]}["API User"] == "7"


def test_errors_come_back_in_the_clients_error_types(at):
    at()
    with pytest.raises(api.AutotaskAPIServerError, match="nosuchfield"):
        query(api.BillingItemsAPIClient(), A(op="eq", field="nosuchfield", value=1))
    with pytest.raises(api.AutotaskAPIServerError, match="operator"):
        query(api.BillingItemsAPIClient(), A(op="ne", field="id", value=1))
