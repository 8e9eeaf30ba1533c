"""The app's own Xero requests validate against Xero's official OpenAPI spec, with no unknown keys."""

import json
from pathlib import Path

import httpx
import pytest

from depot_gui.sync.session import Session

yaml = pytest.importorskip("yaml")
oas = pytest.importorskip("openapi_schema_validator")
SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "specs" / "xero" / "xero_accounting.yaml"
BODY_SCHEMA = {("PUT", "Invoices"): "Invoices", ("POST", "Invoices"): "Invoices",
               ("PUT", "Contacts"): "Contacts", ("PUT", "CreditNotes"): "CreditNotes"}


@pytest.fixture(scope="module")
def spec():
    if not SPEC.exists():
        pytest.skip("official Xero spec not available")
    with open(SPEC, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


class Recorder(httpx.BaseTransport):
    def __init__(self, inner):
        self.inner, self.seen = inner, []

    def handle_request(self, request):
        request.read()
        self.seen.append(request)
        return self.inner.handle_request(request)


def check_body(spec, schema_name, body):
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    registry = Registry().with_resource("urn:x", Resource.from_contents(spec, default_specification=DRAFT4))
    v = oas.OAS30Validator({"$ref": f"urn:x#/components/schemas/{schema_name}"}, registry=registry)
    errors = [f"{list(e.path)}: {e.message}" for e in v.iter_errors(body)]
    assert not errors, errors
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
    writes = [r for r in rec.seen if "/api.xro/2.0/" in r.url.path and r.method in ("PUT", "POST")]
    assert len(writes) >= 5  # 4 invoices + at least one new contact
    for r in writes:
        resource = r.url.path.split("/api.xro/2.0/")[1].split("/")[0]
        body = json.loads(r.content, parse_float=float)
        check_body(spec, BODY_SCHEMA[(r.method, resource)], body)
        assert r.headers.get("Idempotency-Key") and len(r.headers["Idempotency-Key"]) <= 128
        assert r.headers.get("xero-tenant-id")
        if resource == "Invoices":
            assert r.url.params.get("unitdp") == "4"
    reads = [r for r in rec.seen if r.url.path.endswith("/Invoices") and r.method == "GET"]
    assert reads and all(r.url.params.get("unitdp") == "4" for r in reads)
