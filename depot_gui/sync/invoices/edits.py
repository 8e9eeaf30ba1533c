"""A draft of ours in Xero that no longer holds what Autotask gives: name the differences.

Line by line and field by field (Xero's value, Autotask's value), in the audit's explanation
and in ``extra["xero_differences"]``. When this desk wrote other lines than Xero now holds,
the draft was edited in Xero since: a sync leaves it as it is unless asked to replace the edits.
"""

from __future__ import annotations

from dataclasses import replace

from depot_gui.core.audit import SYNCED, AuditResult
from depot_gui.core.written import content, describe_differences, differences

EDITABLE = ("DRAFT", "SUBMITTED")


def with_edits(result: AuditResult, doc: dict, written: list[dict] | None) -> AuditResult:
    """The audit result of our document in Xero, with how its lines differ from Autotask's (if they do)."""
    if result.status != SYNCED or result.draft is None or doc.get("LineItems") is None:
        return result
    if str(doc.get("Status") or "") not in EDITABLE:
        return result
    found = differences(doc, result.draft.payload("DRAFT"))
    if not found:
        return result
    edited = written is not None and content(written) != content(doc["LineItems"])
    named = describe_differences(found)
    if edited:
        text = (f" The draft was edited in Xero since it was synced, and differs from Autotask: {named}. "
                "Sync leaves it as it is unless asked to write Autotask's lines over the edits "
                "(depot-sync sync --replace-edits; in the window, Re-sync asks first).")
    else:
        text = f" It differs from what Autotask gives now: {named}. Re-sync updates the draft."
    extra = {**result.extra, "xero_differences": [d.to_json() for d in found], "edited_in_xero": edited}
    return replace(result, explanation=result.explanation + text, extra=extra)


__all__ = ["EDITABLE", "with_edits"]
