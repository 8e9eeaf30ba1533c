"""Which Xero organisation an Autotask company's invoices go to: the default one, unless routed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Routes:
    """The default organisation (tenant id; "" = the first connected) and the companies sent elsewhere."""

    default: str = ""
    # Autotask company id -> (tenant id, the company's name when routed: for listing without a call)
    companies: dict[int, tuple[str, str]] = field(default_factory=dict)

    def tenant_for(self, company_id: int | None, fallback: str) -> str:
        """The tenant id an invoice of ``company_id`` goes to (``fallback``: the connected default)."""
        routed = self.companies.get(company_id) if company_id is not None else None
        return routed[0] if routed else (self.default or fallback)

    def to_text(self) -> str:
        return json.dumps({str(k): list(v) for k, v in sorted(self.companies.items())}, sort_keys=True)

    @classmethod
    def from_texts(cls, default: str, companies: str) -> "Routes":
        """From the stored texts; ValueError naming what is wrong."""
        try:
            raw = json.loads(companies or "{}")
            parsed = {int(k): (str(v[0]), str(v[1]) if len(v) > 1 else "") for k, v in raw.items()}
        except (ValueError, TypeError, IndexError, AttributeError, KeyError):
            raise ValueError("the stored company routes are not readable") from None
        return cls(str(default or ""), parsed)

    def chosen(self, default: str, unused: frozenset[str] = frozenset()) -> "Routes":
        """The routes once ``default`` is the default and the organisations ``unused`` (tenant ids) are not
        used: a company routed to either goes to the default (one rule for `orgs default` and the wizard)."""
        gone = {t.lower() for t in unused} | {default.lower()}
        return Routes(default, {cid: v for cid, v in self.companies.items() if v[0].lower() not in gone})


def match_one(text: str, candidates: list[tuple[str, str]], what: str) -> str:
    """The key of the one candidate (key, name) whose key or name is ``text`` (case-insensitive).

    ValueError with one sentence when none or several match."""
    wanted = text.strip().casefold()
    hits = [key for key, name in candidates if wanted in (key.casefold(), name.strip().casefold())]
    hits = list(dict.fromkeys(hits))
    if len(hits) == 1:
        return hits[0]
    names = ", ".join(f"{name} ({key})" for key, name in candidates) or "none"
    if not hits:
        raise ValueError(f"no {what} is called {text!r}; known: {names}")
    plural = what[:-1] + "ies" if what.endswith("y") else what + "s"  # "Autotask companies", not "companys"
    raise ValueError(f"{len(hits)} {plural} match {text!r}; name one by its id: {names}")
