"""Autotask REST simulator: zone, auth, queries, filters, paging, LOB visibility, pending items, writes."""

from __future__ import annotations

import json
import threading
from decimal import Decimal
from email.utils import parsedate_to_datetime

import httpx2
import pytest

from depot_gui.sandbox import Sandbox

from .helpers import AT_HEADERS, DEMO, SCENARIOS, client

V = "/atservicesrest/v1.0"


def q(c, entity, *filters, **extra):
    """POST a query; returns the response."""
    body = {"filter": list(filters)}
    body.update(extra)
    return c.post(f"{V}/{entity}/query", json=body)


def ids(resp):
    return [i["id"] for i in resp.json()["items"]]


def test_version_and_zone_without_credentials(demo):
    c = client(demo)
    assert c.get("/atservicesrest/versioninformation").json() == {"apiVersions": ["1.0"]}
    r = c.get("/ATServicesRest/V1.0/zoneInformation", params={"user": "depot.api@acme-msp.example"})
    assert r.status_code == 200
    body = r.json()
    assert body["url"] == "http://sandbox.invalid/ATServicesRest/" and body["webUrl"].endswith("/")
    assert {"zoneName", "ci"} <= body.keys()
    assert parsedate_to_datetime(r.headers["date"]).isoformat().startswith("2026-11-20T09:00")


def test_zone_unknown_user_is_500(demo):
    r = client(demo).get(f"{V}/zoneInformation", params={"user": "nobody@example"})
    assert r.status_code == 500 and r.json() == {"errors": ["Zone information could not be determined"]}


def test_zone_url_follows_request_host(demo):
    r = client(demo, base_url="http://127.0.0.1:9999").get(f"{V}/zoneInformation?user=depot.api@acme-msp.example")
    assert r.json()["url"] == "http://127.0.0.1:9999/ATServicesRest/"


@pytest.mark.parametrize("headers", [
    {},
    dict(AT_HEADERS, Secret="wrong"),
    dict(AT_HEADERS, ApiIntegrationCode="OTHER"),
    {"apiintegrationcode": AT_HEADERS["ApiIntegrationCode"], "username": AT_HEADERS["UserName"]},
])
def test_auth_failures_are_401(demo, headers):
    r = client(demo, headers=headers).get(f"{V}/Invoices/5001")
    assert r.status_code == 401 and isinstance(r.json()["errors"], list)


def test_header_names_any_case(demo):
    c = client(demo, headers={k.lower(): v for k, v in AT_HEADERS.items()})
    assert c.get(f"{V}/Invoices/5001").status_code == 200


def test_path_case_insensitive(at):
    _, c = at
    for path in ("/ATServicesRest/V1.0/Invoices/5001", "/atservicesrest/v1.0/invoices/5001"):
        assert c.get(path).json()["item"]["invoiceNumber"] == "INV-5001"


def test_get_by_id_and_missing(at):
    sb, c = at
    r = c.get(f"{V}/BillingItems/9001")
    assert r.status_code == 200 and '"extendedPrice":1125.0,' in r.text  # a JSON number, as the scenario has it
    assert json.loads(r.text, parse_float=Decimal)["item"]["extendedPrice"] == Decimal("1125.0")
    assert c.get(f"{V}/Invoices/1").status_code == 404
    sb.set_option("missing_by_id", "null")
    r = c.get(f"{V}/Invoices/1")
    assert r.status_code == 200 and r.json() == {"item": None}


def test_money_is_a_json_number_without_noise(at):
    _, c = at
    r = c.get(f"{V}/Invoices/5001")
    assert '"invoiceTotal":1633.5' in r.text and '"totalTaxValue":148.5' in r.text
    assert '"rate":33.3333' in c.get(f"{V}/BillingItems/9011").text


def test_full_read_has_nulls_and_naive_timestamps(at):
    sb, c = at
    item = c.get(f"{V}/Invoices/5001").json()["item"]
    assert item["comments"] is None and "voidedDate" in item and item["voidedDate"] is None
    assert item["invoiceDateTime"] == "2026-11-01T00:00:00"
    sb.set_option("timestamps", "z")
    assert c.get(f"{V}/Invoices/5001").json()["item"]["invoiceDateTime"] == "2026-11-01T00:00:00.000Z"


def test_lob_hides_item_9004_everywhere(at):
    _, c = at
    r = q(c, "BillingItems", {"op": "eq", "field": "invoiceID", "value": 5002})
    assert ids(r) == [9003, 9005]
    assert c.post(f"{V}/BillingItems/query/count", json={"filter": [{"op": "exist", "field": "id"}]}).json() == {
        "queryCount": 12}
    assert c.get(f"{V}/BillingItems/9004").status_code == 404
    # the invoice itself stays visible (Invoices carry no LOB)
    assert c.get(f"{V}/Invoices/5002").status_code == 200


def test_unrestricted_user_sees_everything():
    c = client(Sandbox.open(SCENARIOS / "clean.json"), headers=AT_HEADERS)
    assert ids(q(c, "BillingItems", {"op": "eq", "field": "invoiceID", "value": 5002})) == [9003, 9004, 9005]


def test_pending_item_missing_from_first_query_only(at):
    sb, c = at
    f = {"op": "eq", "field": "invoiceID", "value": 5003}
    assert ids(q(c, "BillingItems", f)) == [9006, 9007]
    assert ids(q(c, "BillingItems", f)) == [9006, 9007, 9008]
    assert sb.state()["autotask"]["pending"][0]["attached"] is True


def test_pending_item_reads_null_invoice_id_and_counts_do_not_advance(at):
    _, c = at
    item = c.get(f"{V}/BillingItems/9008").json()["item"]
    assert item["invoiceID"] is None
    body = {"filter": [{"op": "eq", "field": "invoiceID", "value": 5003}]}
    assert c.post(f"{V}/BillingItems/query/count", json=body).json()["queryCount"] == 2
    assert c.post(f"{V}/BillingItems/query/count", json=body).json()["queryCount"] == 2
    r = q(c, "BillingItems", {"op": "eq", "field": "id", "value": 9008})
    assert r.json()["items"][0]["invoiceID"] is None
    assert q(c, "BillingItems", {"op": "eq", "field": "id", "value": 9008}).json()["items"][0]["invoiceID"] == 5003


def test_attach_pending_hook(at):
    sb, c = at
    sb.attach_pending(9008)
    assert ids(q(c, "BillingItems", {"op": "eq", "field": "invoiceID", "value": 5003})) == [9006, 9007, 9008]


def test_filters_all_operators(at):
    _, c = at
    E = "BillingItems"
    assert ids(q(c, E, {"op": "noteq", "field": "invoiceID", "value": 5001}))[:2] == [9003, 9005]
    assert ids(q(c, E, {"op": "gt", "field": "id", "value": 9011})) == [9012, 9013]
    assert ids(q(c, E, {"op": "lt", "field": "id", "value": 9002})) == [9001]
    assert ids(q(c, E, {"op": "lte", "field": "extendedPrice", "value": 33.33})) == [9011, 9012, 9013]
    assert ids(q(c, E, {"op": "beginsWith", "field": "itemName", "value": "microsoft 365"})) == [9011, 9012, 9013]
    assert ids(q(c, E, {"op": "endsWith", "field": "itemName", "value": "SEAT 2"})) == [9012]
    assert ids(q(c, E, {"op": "contains", "field": "description", "value": "adjustment"})) == [9010]
    assert ids(q(c, E, {"op": "exist", "field": "contractServiceAdjustmentID"})) == [9010]
    assert len(ids(q(c, E, {"op": "notExist", "field": "contractServiceAdjustmentID"}))) == 11
    assert ids(q(c, E, {"op": "in", "field": "id", "value": [9001, 9004, 9013]})) == [9001, 9013]
    assert 9001 not in ids(q(c, E, {"op": "notIn", "field": "id", "value": [9001]}))
    assert ids(q(c, "Invoices", {"op": "gte", "field": "createDateTime", "value": "2026-11-20T00:00:00"})) == [5003]
    assert ids(q(c, "Invoices", {"op": "eq", "field": "isVoided", "value": False}, {"op": "lt", "field": "id",
                                                                                  "value": 5003})) == [5001, 5002]


def test_nested_groups_and_case_insensitive_names(at):
    _, c = at
    body = {"Filter": [{"op": "or", "items": [
        {"op": "eq", "Field": "ID", "value": "9001"},
        {"op": "and", "items": [{"op": "eq", "field": "InvoiceId", "value": 5005},
                                {"op": "gt", "field": "id", "value": 9012}]}]}], "maxRecords": 10}
    r = c.post(f"{V}/BillingItems/query", json=body)
    assert ids(r) == [9001, 9013] and r.json()["pageDetails"]["requestCount"] == 10


def test_missing_value_reads_as_zero(at):
    sb, c = at
    r = q(c, "Invoices", {"op": "gte", "field": "id"})
    assert len(ids(r)) == 5
    sb.set_option("missing_value", "null")
    assert ids(q(c, "Invoices", {"op": "gte", "field": "id"})) == []


def test_get_query_with_search(at):
    _, c = at
    search = json.dumps({"filter": [{"op": "eq", "field": "companyID", "value": 100}], "MaxRecords": 1})
    r = c.get(f"{V}/Invoices/query", params={"search": search})
    assert ids(r) == [5001]
    nxt = r.json()["pageDetails"]["nextPageUrl"]
    r2 = c.get(nxt)
    assert r2.status_code == 200 and ids(r2) == [5004]


@pytest.mark.parametrize("flt,needle", [
    ({"op": "eq", "field": "accountID", "value": 1}, "Unable to find accountID in the Invoices Entity."),
    ({"op": "ne", "field": "id", "value": 1}, "operator 'ne'"),
    ({"op": "isNull", "field": "id"}, "operator 'isNull'"),
    ({"op": "eq", "field": "dueDate", "value": "2026-11-15T00:00:00"}, "dueDate"),
    ({"op": "eq", "field": "isVoided", "value": "yes"}, "Unable to convert"),
    ({"op": "eq", "field": "id", "value": "abc"}, "Unable to convert"),
    ({"op": "and", "items": []}, "at least one"),
    ("notanobject", "filter"),
])
def test_bad_filters_are_500_with_errors(at, flt, needle):
    _, c = at
    r = q(c, "Invoices", flt)
    assert r.status_code == 500 and needle in r.json()["errors"][0]


def test_tax_region_id_not_queryable_on_invoices(at):
    _, c = at
    r = q(c, "Invoices", {"op": "eq", "field": "taxRegionID", "value": 1})
    assert r.status_code == 500 and "taxRegionID" in r.json()["errors"][0]


def test_empty_filter_rejected_by_default(at):
    sb, c = at
    assert c.post(f"{V}/Invoices/query", json={"filter": []}).status_code == 500
    sb.set_option("empty_filter", "all")
    assert len(ids(c.post(f"{V}/Invoices/query", json={"filter": []}))) == 5


def test_in_over_500_values_rejected_unless_allowed(at):
    sb, c = at
    r = q(c, "BillingItems", {"op": "in", "field": "id", "value": list(range(501))})
    assert r.status_code == 500 and "500 or fewer" in r.json()["errors"][0]
    assert q(c, "BillingItems", {"op": "in", "field": "id", "value": list(range(500))}).status_code == 200
    sb.set_option("in_limit", None)
    assert q(c, "BillingItems", {"op": "in", "field": "id", "value": list(range(501))}).status_code == 200


@pytest.mark.parametrize("value", [0, 501, -1, "lots", True])
def test_max_records_out_of_range(at, value):
    _, c = at
    r = q(c, "Invoices", {"op": "exist", "field": "id"}, MaxRecords=value)
    assert r.status_code == 500
    assert r.json()["errors"] == ["maxCountOfRecordsToReturn must be between 1 and 500"]


def test_include_fields(at):
    _, c = at
    r = q(c, "Invoices", {"op": "eq", "field": "id", "value": 5001}, IncludeFields=["invoiceNumber", "ID"])
    assert r.json()["items"] == [{"invoiceNumber": "INV-5001", "id": 5001}]
    r = c.post(f"{V}/Invoices/query", json={"filter": [{"op": "exist", "field": "id"}], "includeFields": ["nope"]})
    assert r.status_code == 500


def test_count(at):
    _, c = at
    r = c.post(f"{V}/Invoices/query/count", json={"filter": [{"op": "eq", "field": "companyID", "value": 101}]})
    assert r.json() == {"queryCount": 2}
    search = json.dumps({"filter": [{"op": "exist", "field": "id"}]})
    assert c.get(f"{V}/Companies/query/count", params={"search": search}).json() == {"queryCount": 3}


def test_entity_information_and_fields(at):
    _, c = at
    info = c.get(f"{V}/Invoices/entityInformation").json()["info"]
    assert info["name"] == "Invoices" and info["canQuery"] and info["userAccessForQuery"] == "All"
    assert info["canCreate"] is False and info["canUpdate"] is True
    fields = {f["name"]: f for f in c.get(f"{V}/BillingItems/entityInformation/fields").json()["fields"]}
    pick = fields["billingItemType"]["picklistValues"]
    assert all(isinstance(v["value"], str) and int(v["value"]) for v in pick)
    assert {"value": "7", "label": "Recurring Services"}.items() <= next(v for v in pick if v["value"] == "7").items()
    assert fields["subType"]["isPickList"] and fields["webServiceDate"]["isReadOnly"] is False
    assert fields["lineItemFullDescription"]["isQueryable"] is False
    assert fields["extendedPrice"]["dataType"] == "double"
    inv_fields = {f["name"]: f for f in c.get(f"{V}/Invoices/entityInformation/fields").json()["fields"]}
    assert inv_fields["dueDate"]["isQueryable"] is False


def test_restricted_entities():
    c = client(Sandbox.open(SCENARIOS / "restricted.json"), headers=AT_HEADERS)
    assert c.get(f"{V}/BillingItems/entityInformation").json()["info"]["userAccessForQuery"] == "Restricted"
    assert c.get(f"{V}/Invoices/entityInformation").json()["info"]["userAccessForQuery"] == "All"


def test_patch_web_service_date(at):
    sb, c = at
    r = c.patch(f"{V}/Invoices", json={"id": 5001, "webServiceDate": "2026-11-20T09:05:00Z"})
    assert r.status_code == 200 and r.json() == {"itemId": 5001}
    assert c.get(f"{V}/Invoices/5001").json()["item"]["webServiceDate"] == "2026-11-20T09:05:00"
    inv = next(i for i in sb.state()["autotask"]["entities"]["Invoices"] if i["id"] == 5001)
    assert inv["webServiceDate"] == "2026-11-20T09:05:00"
    assert c.patch(f"{V}/Invoices", json={"id": 5001, "invoiceTotal": 1}).status_code == 400
    assert c.patch(f"{V}/Invoices", json={"id": 424242, "webServiceDate": None}).status_code == 500
    assert c.patch(f"{V}/BillingItems", json={"id": 9004, "webServiceDate": None}).status_code == 500  # hidden
    assert c.patch(f"{V}/BillingItems", json={"id": 9001, "webServiceDate": "2026-11-20T09:05:00"}).json() == {
        "itemId": 9001}
    assert c.post(f"{V}/Invoices", json={"id": 1}).status_code == 405


def test_threshold_information_counts_requests(at):
    _, c = at
    c.get(f"{V}/Invoices/5001")
    info = c.get(f"{V}/ThresholdInformation").json()
    assert info == {"externalRequestThreshold": 10000, "requestThresholdTimeframe": 60,
                    "currentTimeframeRequestCount": 2}


def test_hourly_threshold_429():
    sb = Sandbox.open(DEMO, autotask_hourly_threshold=3)
    c = client(sb, headers=AT_HEADERS)
    assert [c.get(f"{V}/Invoices/5001").status_code for _ in range(4)] == [200, 200, 200, 429]
    sb.advance_clock(3601)
    assert c.get(f"{V}/Invoices/5001").status_code == 200


def test_thread_limit_itgenatr005(at):
    sb, c = at
    sb.add_fault({"api": "autotask", "method": "GET", "path": "/Invoices/5001$", "kind": "delay", "seconds": 0.4,
                  "nth": 1, "times": 3})
    results = []

    def slow():
        with client(sb, headers=AT_HEADERS) as cc:
            results.append(cc.get(f"{V}/Invoices/5001").status_code)

    threads = [threading.Thread(target=slow) for _ in range(3)]
    for t in threads:
        t.start()
    import time
    time.sleep(0.15)
    r = c.get(f"{V}/Invoices/5002")
    other = c.get(f"{V}/Companies/100")
    for t in threads:
        t.join()
    assert r.status_code == 429 and "Itgenatr005" in r.json()["errors"][0]
    assert other.status_code == 200  # another endpoint has its own three threads
    assert results == [200, 200, 200]


def test_paging_1250_items_post_next_and_405_on_get():
    sb = Sandbox.open(SCENARIOS / "paging.json")
    c = client(sb, headers=AT_HEADERS)
    body = {"filter": [{"op": "eq", "field": "invoiceID", "value": 7001}]}
    r = c.post(f"{V}/BillingItems/query", json=body)
    page = r.json()
    assert page["pageDetails"]["count"] == 500 and page["pageDetails"]["requestCount"] == 500
    nxt = page["pageDetails"]["nextPageUrl"]
    assert nxt.startswith("http://sandbox.invalid/ATServicesRest/V1.0/BillingItems/query/next?paging=")
    assert "&search=" in nxt
    assert c.get(nxt).status_code == 405
    assert c.get(nxt).json() == {"Message": "The requested resource does not support http method 'GET'."}
    seen = [i["id"] for i in page["items"]]
    while nxt:
        r = c.post(nxt, json=body)
        assert r.status_code == 200
        seen += [i["id"] for i in r.json()["items"]]
        assert r.json()["pageDetails"]["prevPageUrl"]
        nxt = r.json()["pageDetails"]["nextPageUrl"]
    assert seen == list(range(20001, 21251))
    count = c.post(f"{V}/BillingItems/query/count", json=body).json()["queryCount"]
    assert count == 1250


def test_paging_by_id_cursor_and_small_pages():
    sb = Sandbox.open(SCENARIOS / "paging.json")
    c = client(sb, headers=AT_HEADERS)
    r = q(c, "BillingItems", {"op": "gt", "field": "id", "value": 21245}, MaxRecords=2)
    assert ids(r) == [21246, 21247]
    r2 = c.post(r.json()["pageDetails"]["nextPageUrl"], json={"filter": [{"op": "gt", "field": "id",
                                                                          "value": 21245}], "MaxRecords": 2})
    assert ids(r2) == [21248, 21249]
    prev = c.post(r2.json()["pageDetails"]["prevPageUrl"], json={"filter": [{"op": "gt", "field": "id",
                                                                             "value": 21245}]})
    assert ids(prev) == [21246, 21247]


def test_unknown_entity_and_method(at):
    _, c = at
    assert c.get(f"{V}/Widgets/1").status_code == 404
    assert c.delete(f"{V}/Invoices/5001").status_code == 405


def test_request_log(at):
    sb, c = at
    c.get(f"{V}/Invoices/5001")
    c.get(f"{V}/Invoices/1")
    assert sb.state()["requests"] == [
        {"api": "autotask", "method": "GET", "path": f"{V}/Invoices/5001", "status": 200},
        {"api": "autotask", "method": "GET", "path": f"{V}/Invoices/1", "status": 404},
    ]


def test_client_timeout_types_are_httpx(at):
    _, c = at
    assert isinstance(c, httpx2.Client)


# -- strict filter values (one conversion per dataType) ----------------------------------------

@pytest.mark.parametrize("op,value", [("in", 5), ("notIn", 5), ("in", "5001"), ("in", None), ("notIn", {"a": 1})])
def test_in_and_not_in_need_an_array(at, op, value):
    _, c = at
    r = q(c, "Invoices", {"op": op, "field": "id", "value": value})
    assert r.status_code == 500
    assert r.json() == {"errors": [(f"The '{op}' operator requires an array of values for field id "
                                    "in the Invoices Entity.")]}


def test_in_without_value_still_reads_as_an_empty_list(at):
    """django-autotask drops a falsy value (an empty list): that stays an empty match, not an error."""
    _, c = at
    assert ids(q(c, "Invoices", {"op": "in", "field": "id"})) == []
    assert len(ids(q(c, "Invoices", {"op": "notIn", "field": "id"}))) == 5
    assert ids(q(c, "Invoices", {"op": "in", "field": "id", "value": []})) == []


@pytest.mark.parametrize("op", ["contains", "beginsWith", "endsWith"])
@pytest.mark.parametrize("field,typ,value", [
    ("id", "long", 1), ("companyID", "integer", "10"), ("invoiceTotal", "double", 1),
    ("isVoided", "boolean", "t"), ("invoiceDateTime", "datetime", "2026"),
])
def test_string_operators_only_on_string_fields(at, op, field, typ, value):
    _, c = at
    r = q(c, "Invoices", {"op": op, "field": field, "value": value})
    assert r.status_code == 500
    assert r.json() == {"errors": [(f"The '{op}' operator can only be used with string fields; field {field} "
                                    f"in the Invoices Entity is of type {typ}.")]}


def test_string_operators_on_string_fields_unchanged(at):
    _, c = at
    assert ids(q(c, "Invoices", {"op": "beginsWith", "field": "invoiceNumber", "value": "inv-500"}))[:1] == [5001]
    assert ids(q(c, "Invoices", {"op": "endsWith", "field": "invoiceNumber", "value": "5002"})) == [5002]
    assert ids(q(c, "Invoices", {"op": "contains", "field": "invoiceNumber", "value": "NV-5003"})) == [5003]
    assert ids(q(c, "Invoices", {"op": "contains", "field": "invoiceNumber", "value": None})) == []


_BAD_LONG = [1.5, "1.5", True, False, [1], {"a": 1}, "abc", "", "1e3", 2 ** 63, -(2 ** 63) - 1,
             99999999999999999999999]


@pytest.mark.parametrize("op", ["eq", "noteq", "gt", "gte", "lt", "lte", "in", "notIn"])
@pytest.mark.parametrize("value", _BAD_LONG)
def test_long_values_rejected_alike_by_every_operator(at, op, value):
    _, c = at
    v = [value] if op in ("in", "notIn") else value
    r = q(c, "Invoices", {"op": op, "field": "id", "value": v})
    assert r.status_code == 500
    assert r.json()["errors"][0].startswith(f"Unable to convert value '{value}' to type long for field id "
                                            "in the Invoices Entity")


@pytest.mark.parametrize("value", [5001, "5001", " 5001 ", 5001.0, "+5001"])
def test_long_accepts_whole_numbers_and_numeric_strings(at, value):
    _, c = at
    assert ids(q(c, "Invoices", {"op": "eq", "field": "id", "value": value})) == [5001]
    assert ids(q(c, "Invoices", {"op": "in", "field": "id", "value": [value, 5002]})) == [5001, 5002]


def test_long_bounds_are_int64(at):
    _, c = at
    assert q(c, "Invoices", {"op": "lt", "field": "id", "value": 2 ** 63 - 1}).status_code == 200
    assert q(c, "Invoices", {"op": "gt", "field": "id", "value": str(-(2 ** 63))}).status_code == 200
    # integer fields go through the same path
    assert q(c, "Invoices", {"op": "eq", "field": "companyID", "value": 1.5}).status_code == 500
    assert ids(q(c, "Invoices", {"op": "eq", "field": "companyID", "value": "101"})) == \
        ids(q(c, "Invoices", {"op": "eq", "field": "companyID", "value": 101}))


def test_raw_json_number_forms(at):
    """NaN/Infinity literals and exponent forms, sent as raw JSON text."""
    _, c = at
    def raw(field, literal):
        body = '{"filter":[{"op":"gt","field":"' + field + '","value":' + literal + '}]}'
        return c.post(f"{V}/Invoices/query", content=body, headers={"Content-Type": "application/json"})
    for lit in ("NaN", "Infinity", "-Infinity", "1e400"):
        assert raw("invoiceTotal", lit).status_code == 500, lit
        assert raw("id", lit).status_code == 500, lit
    assert raw("id", "5.001e3").status_code == 200  # a whole number written with an exponent
    assert raw("invoiceTotal", "1e2").status_code == 200


@pytest.mark.parametrize("value,ok", [
    (100, True), (99.5, True), ("99.50", True), ("1e2", True), (" 12 ", True),
    (True, False), ("abc", False), ("NaN", False), ("Infinity", False), ([1], False), ("", False),
])
def test_double_values(at, value, ok):
    _, c = at
    for flt in ({"op": "gte", "field": "invoiceTotal", "value": value},
                {"op": "in", "field": "invoiceTotal", "value": [value]}):
        r = q(c, "Invoices", flt)
        if ok:
            assert r.status_code == 200, flt
        else:
            assert r.status_code == 500 and r.json()["errors"][0].startswith(
                f"Unable to convert value '{value}' to type double for field invoiceTotal"), flt


@pytest.mark.parametrize("value", ["true", "false", 1, 0, "1", [True]])
@pytest.mark.parametrize("op", ["eq", "noteq", "in"])
def test_boolean_only_literals(at, op, value):
    _, c = at
    v = [value] if op == "in" else value
    r = q(c, "Invoices", {"op": op, "field": "isVoided", "value": v})
    assert r.status_code == 500 and "to type boolean for field isVoided" in r.json()["errors"][0]
    assert q(c, "Invoices", {"op": op, "field": "isVoided", "value": [False] if op == "in" else False}) \
        .status_code == 200


@pytest.mark.parametrize("value", [20261120, 1.5, True, "notadate", "2026-13-45", "11/20/2026", ["2026-11-20"]])
@pytest.mark.parametrize("op", ["gte", "in"])
def test_datetime_only_iso_strings(at, op, value):
    _, c = at
    v = [value] if op == "in" else value
    r = q(c, "Invoices", {"op": op, "field": "createDateTime", "value": v})
    assert r.status_code == 500 and "to type datetime for field createDateTime" in r.json()["errors"][0]


def test_datetime_iso_forms_accepted(at):
    _, c = at
    for value in ("2026-11-20", "2026-11-20T00:00:00", "2026-11-20T00:00:00.000Z", "2026-11-20T01:00:00+01:00"):
        assert ids(q(c, "Invoices", {"op": "gte", "field": "createDateTime", "value": value})) == [5003], value


def test_string_fields_take_anything_stringified(at):
    _, c = at
    assert ids(q(c, "Invoices", {"op": "eq", "field": "invoiceNumber", "value": "inv-5001"})) == [5001]
    for value in (5001, True, 1.5, [1]):
        assert q(c, "Invoices", {"op": "eq", "field": "invoiceNumber", "value": value}).status_code == 200


def test_patch_numeric_string_id(at):
    _, c = at
    r = c.patch(f"{V}/Invoices", json={"id": "5001", "webServiceDate": "2026-11-02T00:00:00"})
    assert r.status_code == 200 and r.json() == {"itemId": 5001}
    assert c.get(f"{V}/Invoices/5001").json()["item"]["webServiceDate"] == "2026-11-02T00:00:00"
    assert c.put(f"{V}/Invoices", json={"id": " 5002 "}).json() == {"itemId": 5002}
    assert c.patch(f"{V}/Invoices", json={"id": 5001.0, "webServiceDate": None}).json() == {"itemId": 5001}


@pytest.mark.parametrize("value", ["abc", 5001.5, True, [5001], "5001.0", 2 ** 63])
def test_patch_unconvertible_id_names_the_type(at, value):
    _, c = at
    r = c.patch(f"{V}/Invoices", json={"id": value, "webServiceDate": None})
    assert r.status_code == 500
    assert r.json() == {"errors": [(f"Unable to convert value '{value}' to type long for field id "
                                    "in the Invoices Entity.")]}


def test_patch_without_id_unchanged(at):
    _, c = at
    for body in ({"webServiceDate": None}, {"id": None}):
        r = c.patch(f"{V}/Invoices", json=body)
        assert r.status_code == 500 and r.json() == {"errors": ["The id field is required to update an entity."]}


@pytest.mark.parametrize("value", [20261102, True, "garbage", "2026-13-45"])
def test_patch_datetime_same_conversion(at, value):
    _, c = at
    r = c.patch(f"{V}/Invoices", json={"id": 5001, "webServiceDate": value})
    assert r.status_code == 400
    assert r.json() == {"errors": [f"Unable to convert value '{value}' to type datetime for field webServiceDate."]}
