"""Revenue by line of business without the window: read, change and check the tracking mapping.

The mapping is the one the setup wizard's mapping step saves (the ``mapping.tracking`` setting, in
its form), so the window, the CLI and the engine all see the same choice. Reading what can be
chosen costs one Xero call (``GET /TrackingCategories``) and the few Autotask queries that name
the lines of business, however many lines of business there are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from depot_gui.core.tracking import TrackingCategory
from depot_gui.store.db import Store

from depot_gui.sync.mapping.keys import K_MAPPING_TRACKING
from depot_gui.sync.mapping.tracking_step import (
    load_lines_of_business,
    load_tracking_categories,
    proposed_option,
    read_tracking_setting,
    tracking_setting,
)


class TrackingChoiceError(ValueError):
    """A name that matches nothing (or a step out of order); str() is one sentence listing the valid ones."""


@dataclass
class TrackingPicture:
    """Xero's active tracking categories, Autotask's active lines of business and the saved choice."""

    categories: list[TrackingCategory] = field(default_factory=list)
    lines: dict[int, str] = field(default_factory=dict)  # association id -> "Level1 / Level2"
    category: str = ""  # "" = off: no tracking is sent
    options: dict[int, str] = field(default_factory=dict)  # association id -> option name
    # saves a choice and gives it back as saved (None: the saved, default organisation's mapping)
    saver: Callable[[str, dict[int, str]], tuple[str, dict[int, str]]] | None = field(
        default=None, repr=False, compare=False)

    def chosen(self) -> TrackingCategory | None:
        """The chosen category as Xero has it now (None when off, or no longer active)."""
        key = self.category.casefold()
        return next((c for c in self.categories if c.name.casefold() == key), None) if key else None

    def warnings(self) -> list[str]:
        """What the engine will send without tracking, one sentence each (nothing when off)."""
        if not self.category:
            return []
        cat = self.chosen()
        if cat is None:
            return [f"The Xero tracking category '{self.category}' is not active in Xero, so no line carries "
                    "tracking; choose another or turn tracking off."]
        active = {o.casefold() for o in cat.options}
        found: list[str] = []
        for lob_id, name in self.lines.items():
            option = self.options.get(lob_id, "")
            if not option:
                found.append(f"Line of business '{name}' has no '{cat.name}' option: its lines are sent "
                             "without tracking.")
            elif option.casefold() not in active:
                found.append(f"Line of business '{name}': the '{cat.name}' option '{option}' is archived or "
                             "deleted in Xero, so its lines are sent without tracking.")
        for lob_id, option in sorted(self.options.items()):
            if lob_id not in self.lines and option:
                found.append(f"Line of business {lob_id} (mapped to '{option}') is not an active Autotask line "
                             "of business; nothing uses this choice.")
        return found

    def as_json(self) -> dict:
        return {
            "category": self.category or None,
            "categories": [{"name": c.name, "options": list(c.options)} for c in self.categories],
            "lines_of_business": [
                {"id": lob_id, "name": name, "option": self.options.get(lob_id) or None}
                for lob_id, name in self.lines.items()
            ],
            "warnings": self.warnings(),
        }

    # -- names the user types ---------------------------------------------------------------

    def find_category(self, name: str) -> TrackingCategory:
        key = name.strip().casefold()
        found = next((c for c in self.categories if c.name.casefold() == key), None)
        if found is None:
            valid = ", ".join(c.name for c in self.categories)
            raise TrackingChoiceError(
                f"Xero has no active tracking category '{name}'; the active ones are: {valid}" if valid
                else f"Xero has no active tracking category '{name}'; this organisation has none (add one in Xero)")
        return found

    def find_line(self, name: str, also: dict[int, str] | None = None) -> int:
        """The association id of a line of business given by id, whole name or last part (unique)."""
        lines = {**(also or {}), **self.lines}
        text = name.strip()
        if text.isdigit() and int(text) in lines:
            return int(text)
        key = text.casefold()
        whole = [i for i, n in lines.items() if n.casefold() == key]
        last = [i for i, n in lines.items() if n.rsplit(" / ", 1)[-1].casefold() == key]
        for hits in (whole, last):
            if len(hits) == 1:
                return hits[0]
        valid = ", ".join(f"{i} ({n})" for i, n in self.lines.items()) or "none (Organizational Structure is not in use)"
        if len(last) > 1:
            raise TrackingChoiceError(f"'{name}' names more than one Autotask line of business; give its id or whole "
                                      f"name: {valid}")
        raise TrackingChoiceError(f"no Autotask line of business '{name}'; the lines of business are: {valid}")

    def find_option(self, name: str) -> str:
        cat = self.chosen()
        if cat is None:
            raise TrackingChoiceError(
                "no active Xero tracking category is chosen; choose one first with `depot-sync tracking set CATEGORY`")
        key = name.strip().casefold()
        found = next((o for o in cat.options if o.casefold() == key), None)
        if found is None:
            valid = ", ".join(cat.options) or "none"
            raise TrackingChoiceError(f"'{name}' is not an active option of the Xero tracking category "
                                      f"'{cat.name}'; its active options are: {valid}")
        return found


def saved_choice(store: Store) -> tuple[str, dict[int, str]]:
    """(category, {association id: option}) as saved; ("", {}) when off."""
    return read_tracking_setting(store.raw_settings().get(K_MAPPING_TRACKING))


def load_picture(store: Store, autotask, xero) -> TrackingPicture:
    """Both sides' names (one Xero call, a few Autotask queries) and the saved choice."""
    category, options = saved_choice(store)
    return TrackingPicture(load_tracking_categories(xero), load_lines_of_business(autotask), category, options)


def save_choice(store: Store, category: str, options: dict[int, str]) -> None:
    """Save exactly as the wizard's mapping step does."""
    store.set_setting(K_MAPPING_TRACKING, tracking_setting(category, options))


def choose_category(store: Store, picture: TrackingPicture, name: str) -> TrackingPicture:
    """Choose the category; each line keeps its option when the category has it, else gets the option
    named like it (the mapping step's rule)."""
    cat = picture.find_category(name)
    options = {}
    for lob_id, line in picture.lines.items():
        saved = picture.options.get(lob_id, "")
        options[lob_id] = saved if saved in cat.options else proposed_option(line, cat.options)
    return _saved(store, picture, cat.name, options)


def map_line(store: Store, picture: TrackingPicture, line: str, option: str) -> TrackingPicture:
    lob_id = picture.find_line(line)
    chosen = picture.find_option(option)
    return _saved(store, picture, picture.chosen().name, {**picture.options, lob_id: chosen})


def unmap_line(store: Store, picture: TrackingPicture, line: str) -> TrackingPicture:
    """No option for this line of business (its lines go without tracking); it may be one no longer active."""
    lob_id = picture.find_line(line, also={i: f"line of business {i}" for i in picture.options})
    options = {i: o for i, o in picture.options.items() if i != lob_id}
    return _saved(store, picture, picture.category, options)


def tracking_off(store: Store, picture: TrackingPicture | None = None) -> None:
    """No tracking category: nothing is sent on the lines (the saved options go, as in the wizard);
    with ``picture``, in its organisation."""
    if picture is not None and picture.saver is not None:
        picture.saver("", {})
    else:
        save_choice(store, "", {})


def _saved(store: Store, picture: TrackingPicture, category: str, options: dict[int, str]) -> TrackingPicture:
    if picture.saver is not None:
        category, options = picture.saver(category, options)
    else:
        save_choice(store, category, options)
        category, options = saved_choice(store)
    return TrackingPicture(picture.categories, picture.lines, category, options, picture.saver)
