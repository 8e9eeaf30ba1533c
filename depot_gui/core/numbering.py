"""Xero invoice numbers (issue 24): Autotask's number, with a prefix, or Xero's own sequence.

The numbering setting decides only what a new document is sent with; a document already in Xero
keeps its number whatever the setting says later. Ownership never rests on the number: it is our
mark at the start of Reference (``core.ownership``). With Xero's own sequence no number is sent,
and Autotask's number goes beside the mark in Reference, where it can be found again.
"""

from __future__ import annotations

from depot_gui.core.ownership import ownership_mark

AUTOTASK, AUTOTASK_PREFIX, XERO = "AUTOTASK", "AUTOTASK_PREFIX", "XERO"


def number_to_send(numbering: str, prefix: str, autotask_number: str) -> str:
    """The InvoiceNumber (or CreditNoteNumber) a new document is sent with; '' lets Xero number it."""
    scheme = str(numbering).upper()
    if scheme == XERO:
        return ""
    if scheme == AUTOTASK_PREFIX and prefix:
        return f"{prefix}{autotask_number}"
    return autotask_number


def reference_for(numbering: str, autotask_id: int, autotask_number: str) -> str:
    """Our mark, and with Xero's own sequence Autotask's number beside it."""
    mark = ownership_mark(autotask_id)
    if str(numbering).upper() == XERO and autotask_number:
        return f"{mark} {autotask_number}"
    return mark


def lookup_numbers(autotask_number: str, sent_number: str, recorded: str | None = None) -> list[str]:
    """Every number our document for the invoice may carry in Xero: the number a new one is sent
    with, Autotask's own (the scheme before a switch) and the number recorded when it was made."""
    return [n for n in dict.fromkeys((sent_number, autotask_number, recorded or "")) if n]


def scheme_of(xero_number: str, autotask_number: str, sent_number: str) -> str:
    """The scheme a document's number came from, read from the number itself."""
    if xero_number == autotask_number:
        return "autotask"
    if sent_number and xero_number == sent_number or xero_number.endswith(autotask_number):
        return "autotask_prefix"
    return "xero"


__all__ = ["AUTOTASK", "AUTOTASK_PREFIX", "XERO", "lookup_numbers", "number_to_send", "reference_for", "scheme_of"]
