"""Validate a JSON body against a schema of Xero's official OpenAPI spec (tests/data/xero)."""

from __future__ import annotations


def validate(spec: dict, schema_name: str, body: object) -> None:
    """Assert ``body`` matches ``#/components/schemas/<schema_name>`` ($refs resolved in the spec)."""
    # Imported here, not when the test modules load: every test process collects every module, and only
    # the one or two that run these tests need the validator (0.2 s of imports each).
    from openapi_schema_validator import OAS30Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    registry = Registry().with_resource("urn:xero", Resource.from_contents(spec, default_specification=DRAFT4))
    validator = OAS30Validator({"$ref": f"urn:xero#/components/schemas/{schema_name}"}, registry=registry)
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
