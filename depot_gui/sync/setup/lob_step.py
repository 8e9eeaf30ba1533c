"""Setup step 2: lines of business (the verdict on what the API user can see, with fix steps)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from depot_gui.autotask.client import AutotaskClient
from depot_gui.autotask.errors import AutotaskError
from depot_gui.core.models import LobAccess

from depot_gui.sync.lines_of_business.access import LOB_ENTITIES, check_lob_access
from depot_gui.sync.setup.common import AUTOTASK_USER_PATH, Endpoints


@dataclass(frozen=True)
class LobVerdict:
    """The line-of-business verdict with its evidence. ``level``: green, red, unchecked (the
    check could not finish: never read as green), or error (Autotask could not be reached)."""

    level: str
    headline: str
    entity_access: tuple[tuple[str, str], ...] = ()
    structure_in_use: bool = False
    all_lines: tuple[str, ...] = ()
    user_lines: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    fix_steps: tuple[str, ...] = ()
    access: LobAccess | None = None

    @property
    def green(self) -> bool:
        return self.level == "green"

    @property
    def checked(self) -> bool:
        return self.level in ("green", "red")


class _Recorder:
    """Wraps an AutotaskClient to keep the evidence check_lob_access reads (no second round trip)."""

    def __init__(self, client: AutotaskClient) -> None:
        self._client = client
        self.info: dict[str, dict] = {}
        self.rows: dict[str, list[dict]] = {}

    def entity_information(self, entity: str) -> dict:
        self.info[entity] = self._client.entity_information(entity)
        return self.info[entity]

    def query(self, entity: str, filters: list, **kw: Any) -> list[dict]:
        rows = self._client.query(entity, filters, **kw)
        self.rows.setdefault(entity, []).extend(rows)
        return rows


def _line_names(rows: dict[str, list[dict]]) -> dict[int, str]:
    level1 = {int(x["id"]): str(x.get("name") or "") for x in rows.get("OrganizationalLevel1s", [])}
    level2 = {int(x["id"]): str(x.get("name") or "") for x in rows.get("OrganizationalLevel2s", [])}
    names = {}
    for a in rows.get("OrganizationalLevelAssociations", []):
        if not a.get("isActive", True):
            continue
        parts = (level1.get(int(a.get("organizationalLevel1ID") or 0), ""),
                 level2.get(int(a.get("organizationalLevel2ID") or 0), ""))
        names[int(a["id"])] = " / ".join(p for p in parts if p) or f"association {a['id']}"
    return names


def lob_fix_steps(username: str, hidden: tuple[str, ...]) -> tuple[str, ...]:
    """The exact clicks in Autotask that give the API user every line of business."""
    return (
        f"In Autotask, open {AUTOTASK_USER_PATH}.",
        f"Find the API user {username} and open it with Edit.",
        "Go to its 'Line of Business' section.",
        "Either untick every line of business (an API user tied to none sees all of them, and "
        "new lines of business are then included automatically), or tick each hidden one: "
        + ", ".join(hidden) + ".",
        "Click Save & Close, then click Re-check here.",
    )


def security_fix_steps(entities: tuple[str, ...]) -> tuple[str, ...]:
    return (
        f"In Autotask, open {AUTOTASK_USER_PATH} and edit the API user.",
        "Set its Security Level to 'API User (system) (API-only)', or open Admin › Security Levels "
        "and give the API user's copy 'All' access to: " + ", ".join(entities) + ".",
        "Click Save & Close, then click Re-check here.",
    )


def check_lines_of_business(endpoints: Endpoints, username: str, secret: str, code: str) -> LobVerdict:
    """Run check_lob_access (reference §4.4) and turn it into a verdict with its evidence."""
    with endpoints.autotask(username, secret, code) as client:
        rec = _Recorder(client)
        try:
            access = check_lob_access(rec, username)
        except AutotaskError as exc:
            return LobVerdict("error", f"The line-of-business check could not finish: {exc.user_message}")
    entity_access = tuple(
        (e, "None" if rec.info.get(e, {}).get("canQuery") is False
         else str(rec.info.get(e, {}).get("userAccessForQuery") or "All"))
        for e in LOB_ENTITIES
    )
    all_lines = tuple(sorted(_line_names(rec.rows).values()))
    evidence = {
        "entity_access": entity_access, "structure_in_use": access.in_use, "all_lines": all_lines,
        "user_lines": access.user_lobs, "hidden": access.hidden, "access": access,
    }
    if not access.checked:
        reason = (access.note or "the check did not finish").rstrip(".")
        return LobVerdict(
            "unchecked",
            f"Not checked: whether the API user sees every line of business ({reason}). "
            "Press Re-check; until it passes, invoices with hidden items cannot be told apart.",
            **evidence,
        )
    steps: tuple[str, ...] = ()
    problems = []
    if access.restricted:
        problems.append(
            "The API user cannot see these lines of business: " + ", ".join(access.hidden)
            + ". Autotask silently leaves their billing items out, so invoices with them will not match."
        )
        steps += lob_fix_steps(username, access.hidden)
    if access.restricted_entities:
        problems.append(
            "The API user's security level limits what it can read: " + ", ".join(access.restricted_entities) + "."
        )
        steps += security_fix_steps(tuple(e.split(" ")[0] for e in access.restricted_entities))
    if problems:
        return LobVerdict("red", " ".join(problems), fix_steps=steps, **evidence)
    if not access.in_use:
        headline = "The API user sees every line of business (Organizational Structure is not in use)."
    else:
        headline = "The API user sees every line of business."
    return LobVerdict("green", headline, **evidence)
