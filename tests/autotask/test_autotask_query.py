"""AutotaskClient: zone discovery, headers, query paging, batching, get/count/patch, Decimals."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from decimal import Decimal

import httpx2
import pytest
from autotask_stubs import BASE, CREDS, HOST, SECRET, ZONE, make_client, page, reply

from depot_gui.autotask import AutotaskProtocolError, AutotaskZoneError
from depot_gui.autotask.models import normalise_api_base


@pytest.mark.parametrize(
    "url",
    [
        "https://webservices5.autotask.net/ATServicesRest/",
        "https://webservices5.autotask.net/atservicesrest",
        "https://webservices5.autotask.net/",
        "https://webservices5.autotask.net",
        "https://webservices5.autotask.net/ATSERVICESREST/v1.0/",
    ],
)
def test_zone_url_is_normalised(url):
    assert normalise_api_base(url) == "https://webservices5.autotask.net/ATServicesRest/V1.0/"


def test_discover_zone_without_credentials():
    def handler(req):
        assert req.url.path == "/atservicesrest/v1.0/zoneInformation"
        assert req.url.params["user"] == CREDS.username
        assert "secret" not in {k.lower() for k in req.headers}
        return reply(
            body={
                "zoneName": "Z5",
                "url": f"https://{HOST}/ATServicesRest/",
                "webUrl": "https://ww5/",
                "ci": 42,
            }
        )

    client = make_client(handler, zone=None)
    zone = client.discover_zone()
    assert zone.api_base == BASE and zone.ci == 42 and zone.web_url == "https://ww5/"
    assert zone.zone_name == zone.name == "Z5"
    assert client.zone == zone


def test_unknown_user_gives_zone_error():
    client = make_client(
        lambda req: reply(500, {"errors": ["Zone information could not be determined"]}), zone=None
    )
    with pytest.raises(AutotaskZoneError) as info:
        client.discover_zone()
    assert "check the API username" in info.value.user_message
    assert len(client.rec.requests) == 1


def test_first_query_discovers_zone_and_sends_auth_headers():
    def handler(req):
        if "zoneInformation" in req.url.path:
            return reply(
                body={"zoneName": "Z5", "url": f"https://{HOST}/atservicesrest/", "webUrl": "", "ci": 1}
            )
        assert str(req.url) == BASE + "Invoices/query"
        assert req.headers["ApiIntegrationCode"] == CREDS.integration_code
        assert req.headers["UserName"] == CREDS.username
        assert req.headers["Secret"] == SECRET
        assert req.headers["Content-Type"] == "application/json"
        return reply(body=page([{"id": 1}]))

    client = make_client(handler, zone=None)
    assert client.query("Invoices", [{"op": "eq", "field": "id", "value": 1}]) == [{"id": 1}]
    assert client.calls == 2
    assert client.server_date == datetime(2024, 5, 31, 12, 0, tzinfo=UTC)


def test_paging_posts_same_body_to_next_url_and_get_would_405():
    next1 = BASE + "Invoices/query/next?paging=%7B%22p%22%3A1%7D&search=x"
    next2 = BASE.replace("ATServicesRest/V1.0", "atservicesrest/v1.0") + "Invoices/query/next?paging=2"

    def handler(req):
        if "/query/next" in req.url.path and req.method == "GET":
            return reply(405, {"Message": "The requested resource does not support http method 'GET'."})
        if req.url.path.endswith("/Invoices/query"):
            return reply(body=page([{"id": 1}, {"id": 2}], next1))
        if req.url.params.get("paging") == '{"p":1}':
            return reply(body=page([{"id": 3}], next2))
        return reply(body=page([{"id": 4}], None))

    client = make_client(handler)
    rows = client.query("Invoices", [], include_fields=["id", "invoiceNumber"])
    assert [r["id"] for r in rows] == [1, 2, 3, 4]
    reqs = client.rec.requests
    assert [r.method for r in reqs] == ["POST", "POST", "POST"]
    bodies = [json.loads(r.content) for r in reqs]
    assert (
        bodies[0]
        == bodies[1]
        == bodies[2]
        == {
            "filter": [{"op": "exist", "field": "id"}],
            "MaxRecords": 500,
            "IncludeFields": ["id", "invoiceNumber"],
        }
    )
    assert str(reqs[1].url) == str(httpx2.URL(next1))


def test_foreign_next_page_url_is_refused_without_sending_credentials():
    def handler(req):
        return reply(
            body=page([{"id": 1}], "https://evil.example.com/ATServicesRest/V1.0/Invoices/query/next?x=1")
        )

    client = make_client(handler)
    with pytest.raises(AutotaskProtocolError) as info:
        client.query("Invoices", [])
    assert all(r.url.host == HOST for r in client.rec.requests)
    assert len(client.rec.requests) == 1
    assert "different server" in info.value.user_message


def test_http_downgrade_in_next_page_url_is_refused():
    client = make_client(
        lambda req: reply(body=page([{"id": 1}], f"http://{HOST}/ATServicesRest/V1.0/X/query/next"))
    )
    with pytest.raises(AutotaskProtocolError):
        client.query("Invoices", [])


def test_repeated_next_page_url_stops():
    loop = BASE + "Invoices/query/next?paging=same"
    client = make_client(lambda req: reply(body=page([{"id": 1}], loop)))
    with pytest.raises(AutotaskProtocolError):
        client.query("Invoices", [])
    assert len(client.rec.requests) == 2


def test_query_in_batches_of_500():
    seen = []

    def handler(req):
        body = json.loads(req.content)
        in_filter = body["filter"][-1]
        seen.append(body["filter"])
        return reply(body=page([{"id": v} for v in in_filter["value"]]))

    client = make_client(handler)
    ids = list(range(1, 1202)) + [5, 6]  # duplicates are dropped
    rows = client.query_in(
        "BillingItems", "invoiceID", ids, extra=[{"op": "eq", "field": "nonBillable", "value": 0}]
    )
    assert len(seen) == 3
    assert [len(f[-1]["value"]) for f in seen] == [500, 500, 201]
    assert all(f[0] == {"op": "eq", "field": "nonBillable", "value": 0} for f in seen)
    assert all(f[-1]["op"] == "in" and f[-1]["field"] == "invoiceID" for f in seen)
    assert len(rows) == 1201
    assert client.query_in("BillingItems", "invoiceID", []) == []


@pytest.mark.parametrize("answer", [reply(404, {"errors": ["not found"]}), reply(200, {"item": None})])
def test_get_missing_is_none(answer):
    client = make_client(lambda req: answer)
    assert client.get("Invoices", 99) is None
    assert str(client.rec.requests[0].url) == BASE + "Invoices/99"


def test_get_count_info_patch():
    def handler(req):
        path = req.url.path
        if path.endswith("/Invoices/5"):
            return reply(body={"item": {"id": 5, "invoiceTotal": 33.3333, "rate": 0.1}})
        if path.endswith("/query/count"):
            assert json.loads(req.content) == {"filter": [{"op": "exist", "field": "id"}]}
            return reply(body={"queryCount": 1234})
        if path.endswith("/entityInformation"):
            return reply(body={"info": {"name": "Invoice", "userAccessForQuery": "All"}})
        if req.method == "PATCH":
            return reply(body={"itemId": 5})
        if path.endswith("/ThresholdInformation"):
            return reply(body={"externalRequestThreshold": 10000, "currentTimeframeRequestCount": 3})
        raise AssertionError(path)

    client = make_client(handler)
    item = client.get("Invoices", 5)
    assert item["invoiceTotal"] == Decimal("33.3333") and isinstance(item["invoiceTotal"], Decimal)
    assert item["rate"] == Decimal("0.1")
    assert client.count("Invoices", []) == 1234
    assert client.entity_information("Invoices")["userAccessForQuery"] == "All"
    assert (
        client.patch(
            "Invoices", {"id": 5, "webServiceDate": "2024-05-31T00:00:00", "amount": Decimal("0.10")}
        )
        == 5
    )
    patch_req = client.rec.requests[-1]
    assert patch_req.method == "PATCH" and str(patch_req.url) == BASE + "Invoices"
    assert b'"amount":0.10' in patch_req.content
    assert client.ping()["externalRequestThreshold"] == 10000
    with pytest.raises(ValueError):
        client.patch("Invoices", {"webServiceDate": None})
    with pytest.raises(ValueError):
        client.get("../Invoices", 1)


def test_decimal_filter_values_sent_as_numbers():
    client = make_client(lambda req: reply(body=page([])))
    client.query("BillingItems", [{"op": "gt", "field": "extendedPrice", "value": Decimal("33.3333")}])
    assert b'"value":33.3333' in client.rec.requests[0].content


def test_at_most_three_requests_in_flight_per_entity():
    active: dict[str, int] = {}
    peak: dict[str, int] = {}
    lock = threading.Lock()

    def handler(req):
        entity = req.url.path.split("/")[-2]
        with lock:
            active[entity] = active.get(entity, 0) + 1
            peak[entity] = max(peak.get(entity, 0), active[entity])
        time.sleep(0.2)
        with lock:
            active[entity] -= 1
        return reply(body=page([]))

    client = make_client(handler)
    threads = [  # Autotask's thread limit: 3 per endpoint; a fourth waits its turn in the client
        threading.Thread(target=client.query, args=(e, [])) for e in ["Invoices"] * 5 + ["BillingItems"] * 2
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak == {"Invoices": 3, "BillingItems": 2}
    assert client.calls == 7


def test_zone_move_on_401_is_followed_once():
    new_host = "ws14.example.test"

    def handler(req):
        if "zoneInformation" in req.url.path:
            return reply(
                body={"zoneName": "Z14", "url": f"https://{new_host}/ATServicesRest/", "webUrl": "", "ci": 7}
            )
        if req.url.host == HOST:
            return reply(401, {"errors": ["not here"]})
        return reply(body=page([{"id": 9}]))

    client = make_client(handler, zone=ZONE)
    assert client.query("Invoices", []) == [{"id": 9}]
    assert client.zone.api_base == f"https://{new_host}/ATServicesRest/V1.0/"
