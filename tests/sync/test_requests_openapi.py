"""The app's own Xero requests validate against Xero's official OpenAPI spec, with no unknown keys."""

import json
import re

import httpx2
import pytest

from depot_gui.sync.session.session import Session

from ..xero_openapi import validate

BODY_SCHEMA = {("PUT", "Invoices"): "Invoices", ("POST", "Invoices"): "Invoices",
               ("PUT", "Contacts"): "Contacts", ("PUT", "CreditNotes"): "CreditNotes"}


@pytest.fixture
def spec(xero_spec):
    return xero_spec


class Recorder(httpx2.BaseTransport):
    def __init__(self, inner):
        self.inner, self.seen, self.statuses = inner, [], []

    def handle_request(self, request):
        request.read()
        self.seen.append(request)
        response = self.inner.handle_request(request)
        self.statuses.append(response.status_code)
        return response


def check_body(spec, schema_name, body):
    validate(spec, schema_name, body)
    schemas = spec["components"]["schemas"]

    def props(name):
        return schemas[name]["properties"]

    def walk(obj, name):  # every key we send is a declared, writable property
        for key, value in obj.items():
            assert key in props(name), f"{name} has no property {key}"
            prop = props(name)[key]
            assert not prop.get("readOnly"), f"{name}.{key} is read-only"
            ref = prop.get("$ref") or prop.get("items", {}).get("$ref")
            if ref and isinstance(value, dict):
                walk(value, ref.rsplit("/", 1)[1])
            if ref and isinstance(value, list):
                for v in value:
                    if isinstance(v, dict):
                        walk(v, ref.rsplit("/", 1)[1])

    element = {"Invoices": "Invoice", "Contacts": "Contact", "CreditNotes": "CreditNote"}[schema_name]
    for item in body[schema_name]:
        walk(item, element)


def test_every_write_request_matches_the_spec(tmp_path, demo_scenario, spec):
    with Session.open(tmp_path / "d", demo_scenario) as s:
        rec = Recorder(s.sandbox.transport())
        s.sandbox.transport = lambda: rec
        s.set_setting("service_adjustments", "on")
        outcomes = s.syncer().sync(["INV-5001", "INV-5003", "INV-5004", "INV-5005"])
        assert all(o.ok for o in outcomes), [o.message for o in outcomes]
    writes = [(r, status) for r, status in zip(rec.seen, rec.statuses)
              if "/api.xro/2.0/" in r.url.path and r.method in ("PUT", "POST")]
    # INV-5001 and INV-5004 go to Acme Dental Group, which Xero has; INV-5003 and INV-5005 need a new
    # contact each: both contacts in one batch, then the four invoices in one batch.
    assert [(r.method, r.url.path.rsplit("/", 1)[1]) for r, _ in writes] == [("PUT", "Contacts"), ("PUT", "Invoices")]
    assert [len(json.loads(r.content)[key]) for (r, _), key in zip(writes, ("Contacts", "Invoices"))] == [2, 4]
    for r, status in writes:
        assert status == 200, (r.method, r.url.path, status)
        resource = r.url.path.split("/api.xro/2.0/")[1].split("/")[0]
        body = json.loads(r.content, parse_float=float)
        check_body(spec, BODY_SCHEMA[(r.method, resource)], body)
        assert re.fullmatch(r"depot-(inv|contacts)-[0-9a-f]{40}", r.headers["Idempotency-Key"])  # <= 128
        assert r.url.params.get("summarizeErrors") == "false"
        assert r.headers.get("xero-tenant-id")
        if resource == "Invoices":
            assert r.url.params.get("unitdp") == "4"
    reads = [r for r in rec.seen if r.url.path.endswith("/Invoices") and r.method == "GET"]
    assert reads and all(r.url.params.get("unitdp") == "4" for r in reads)
