"""Autotask records: changes and visibility applied, one record by id, the wire form, and ``PATCH``/``PUT``."""

from __future__ import annotations

import copy

from depot_gui.sandbox.autotask.gate import errors, framework_error
from depot_gui.sandbox.autotask.meta import DATE_ONLY, LOB_ENTITIES, writable as writable_fields
from depot_gui.sandbox.autotask.filters import ci_get
from depot_gui.sandbox.autotask.field_types import ConversionError, convert
from depot_gui.sandbox.clock import naive_iso, parse_iso
from depot_gui.sandbox.http.messages import Request, Response


class AutotaskRecords:
    """Reading and patching single records (mixed into :class:`~.autotask_api.AutotaskAPI`)."""

    def current(self, entity: str, row: dict, st: dict) -> dict:
        """A record with the changes made through the API applied."""
        ch = st["changes"].get(entity, {}).get(str(row["id"]))
        if not ch:
            return row
        merged = dict(row)
        merged.update(ch)
        return merged

    def visible(self, entity: str, row: dict) -> bool:
        """Line-of-business visibility for the API user (scenario.md)."""
        if self.lob is None or entity not in LOB_ENTITIES or self.options.get("org_structure", "on") != "on":
            return True
        lob = row.get("organizationalLevelAssociationID")
        return lob is None or lob in self.lob

    def pending_left(self, item_id: int, st: dict) -> int:
        """How many more matching BillingItems queries will see the item unattached."""
        if item_id not in self.pending or item_id in st["attached"]:
            return 0
        return max(0, self.pending[item_id] - st["pending_seen"].get(str(item_id), 0))

    def get_by_id(self, entity: str, raw_id: str, st: dict) -> Response:
        """``GET /V1.0/{E}/{id}``; hidden or missing ids are 404 (or ``{"item":null}``)."""
        try:
            item_id = int(raw_id)
        except ValueError:
            return framework_error(404, f"No HTTP resource was found for id '{raw_id}'.")
        row = self.index[entity].get(item_id)
        if row is None or not self.visible(entity, row):
            if self.options.get("missing_by_id", "404") == "null":
                return Response.json(200, {"item": None})
            return errors(404, f"Unable to find {entity} with id {item_id}.")
        shown = self.current(entity, row, st)
        if entity == "BillingItems" and self.pending_left(item_id, st):
            shown = dict(shown, invoiceID=None)
        return Response.json(200, {"item": self.render(entity, shown, None, bool(shown.get("userDefinedFields")))})

    def render(self, entity: str, row: dict, include: list[str] | None, with_udfs: bool) -> dict:
        """A record on the wire: every field (null when empty), or only ``include``; datetimes formatted."""
        meta = self.meta[entity]
        names = include if include is not None else list(meta.types)
        out = {}
        for name in names:
            v = row.get(name)
            if meta.types.get(name) == "datetime" and isinstance(v, str):
                v = self.format_datetime(v)
            out[name] = v
        if include is None and with_udfs:
            out["userDefinedFields"] = copy.deepcopy(row.get("userDefinedFields") or [])
        return out

    def format_datetime(self, value: str) -> str:
        """A stored datetime in the configured wire form (naive, or with ``Z``)."""
        try:
            dt = parse_iso(value)
        except ValueError:
            return value
        text = naive_iso(dt)
        if self.options.get("timestamps", "naive") == "z":
            if "." not in text:
                text += ".000"
            text += "Z"
        return text

    def update(self, req: Request, entity: str, st: dict, *, replace: bool) -> Response:
        """``PATCH``/``PUT /V1.0/{E}`` with ``id`` in the body; only ``webServiceDate`` (and ``paidDate``,
        option ``autotask_paid_date_writable``) are writable; ``paidDate`` keeps the date only."""
        try:
            body = req.json()
        except (ValueError, UnicodeDecodeError):
            return errors(400, "The request body is not valid JSON.")
        if not isinstance(body, dict):
            return errors(400, "The request body must be a JSON object.")
        writable = writable_fields(entity, self.options)
        if writable is None:
            return errors(405 if not self.meta[entity].info(False)["canUpdate"] else 500,
                          f"The sandbox does not support updating {entity}.")
        raw_id = ci_get(body, "id")
        if raw_id is None:
            return errors(500, "The id field is required to update an entity.")
        id_type = self.meta[entity].types.get("id", "long")
        try:
            item_id = convert(raw_id, id_type)
        except ConversionError:
            return errors(500, f"Unable to convert value '{raw_id}' to type {id_type} for field id "
                               f"in the {entity} Entity.")
        row = self.index[entity].get(item_id)
        if row is None or not self.visible(entity, row):
            return errors(500, "No matching records found. The logged in Resource may not have the "
                               "adequate permissions to update the data.")
        meta = self.meta[entity]
        current = self.current(entity, row, st)
        change: dict = {}
        for key, value in body.items():
            canon = meta.field(key)
            if canon is None:
                return errors(500, f"Unable to find {key} in the {entity} Entity.")
            if canon == "id":
                continue
            if canon not in writable:
                if value != current.get(canon) and not (meta.types.get(canon) == "datetime" and value is None
                                                        and current.get(canon) is None):
                    return errors(400, f"The field {canon} is read-only and cannot be updated.")
                continue
            if value is None:
                change[canon] = None
                continue
            try:
                when = convert(value, "datetime")
                if canon in DATE_ONLY.get(entity, ()):
                    when = when.replace(hour=0, minute=0, second=0, microsecond=0)
                change[canon] = naive_iso(when)
            except ConversionError:
                return errors(400, f"Unable to convert value '{value}' to type datetime for field {canon}.")
        if replace:
            for name in writable:
                change.setdefault(name, None)
        place = ("autotask", "changes", entity) + ((str(item_id),) if entity in st["changes"] else ())
        bucket = st["changes"].setdefault(entity, {}).setdefault(str(item_id), {})
        bucket.update(change)
        req.changed.append(place)  # the record alone (the entity's changes when they are new)
        return Response.json(200, {"itemId": item_id})
