"""Places in the sandbox's state document: a tuple of object keys and list indexes, e.g.
``("xero", "tenants", tid, "Invoices", 12)``; a journal line saves one record by its place."""

from __future__ import annotations


def order(place: tuple) -> tuple:
    """Sort key of places: list indexes in number order (a list's new records are appended in turn)."""
    return tuple((0, k, "") if isinstance(k, int) else (1, 0, str(k)) for k in place)


def at(data: dict, place: tuple):
    """The value at ``place`` (KeyError / IndexError / TypeError when there is none)."""
    for key in place:
        if isinstance(data, list) and (not isinstance(key, int) or key < 0):
            raise IndexError(key)
        if not isinstance(data, (dict, list)):
            raise TypeError(key)
        data = data[key]
    return data


def put(data: dict, place: list, value) -> None:
    """Set the value at ``place``; an index one past a list's end appends."""
    *outer, last = place
    box = at(data, tuple(outer))
    if isinstance(box, list):
        if not isinstance(last, int) or not 0 <= last <= len(box):
            raise IndexError(last)
        if last == len(box):
            box.append(value)
            return
    elif not isinstance(box, dict) or not isinstance(last, str):
        raise TypeError(last)
    box[last] = value


def drop(data: dict, place: list) -> None:
    """Remove the entry at ``place`` (a key of an object)."""
    *outer, last = place
    box = at(data, tuple(outer))
    if not isinstance(box, dict):
        raise TypeError(last)
    box.pop(last, None)
