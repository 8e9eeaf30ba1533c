"""Each Xero organisation's own account, tax and tracking mapping.

The mapping the setup wizard saves (``mapping.*``) is made for one organisation (the one connected
then, the default). Another organisation may have a mapping of its own, kept under the same keys with
``@<tenant id>`` after them; without one, it uses the saved mapping only as far as its own books have
the same codes (``core.books.within_books``) and derives the rest, and an invoice whose lines would
still go to an account it does not have is an error saying what to map (``core.books``).
"""

from __future__ import annotations

from dataclasses import replace

from depot_gui.core.mapping import MappingOverrides
from depot_gui.store.db import Store

from depot_gui.sync.mapping.keys import K_MAPPING_ACCOUNTS, K_MAPPING_TAX_TYPES, K_MAPPING_TRACKING, tenant_key
from depot_gui.sync.mapping.mapping_step import load_mapping_overrides

KEYS = (K_MAPPING_ACCOUNTS, K_MAPPING_TAX_TYPES, K_MAPPING_TRACKING)


def has_own_mapping(store: Store, tenant: str) -> bool:
    raw = store.raw_settings()
    return any(tenant_key(k, tenant) in raw for k in KEYS)


def mapping_of(store: Store, tenant: str, home: str, overrides: MappingOverrides) -> MappingOverrides:
    """The mapping for organisation ``tenant``: its own when one is saved; ``overrides`` (the saved
    mapping, made for ``home``) in ``home``; elsewhere ``overrides`` marked as another organisation's."""
    if has_own_mapping(store, tenant):
        return load_mapping_overrides(store, tenant)
    if tenant.lower() == (home or "").lower():
        return overrides
    return replace(overrides, inherited=True)
