"""SetupFlow without Qt: jobs bind their inputs when made, stale results are dropped, and nothing
is written before ``commit()`` (which writes all of it, or nothing)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from depot_gui.store.db import StoreError
from depot_gui.store.secrets import MemorySecretStore, SecretStore
from depot_gui.xero.oauth import TokenSet
from depot_gui.sync.session.connections import (
    K_AT_USER, K_XERO_CLIENT, K_XERO_TENANT, K_XERO_TENANT_NAME, S_AT_CODE, S_AT_SECRET, S_XERO_TOKENS,
)
from depot_gui.sync.setup import K_MAPPING_ACCOUNTS, Organisation, Page, SetupFlow
from depot_gui.sync.setup.commit import SetupCommit
from depot_gui.sync.setup.jobs import FlowTokenStore, NewXeroTokens

from .conftest import CODE, SECRET, USER


def failing_keyring():
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())


def verified(flow: SetupFlow) -> SetupFlow:
    flow.set_autotask_input(USER, SECRET, CODE)
    assert flow.apply_autotask_check(flow.autotask_job()())
    return flow


def signed_in(flow: SetupFlow, browser) -> SetupFlow:
    login = flow.start_xero_login()
    browser(login.url)
    flow.finish_xero_login(login, timeout=20)
    flow.xero_connected = True
    flow.choose_organisation(flow.organisations[0].tenant_id)
    return flow


# -- 1. generations ------------------------------------------------------------------------------
def test_results_for_an_earlier_input_are_dropped(flow):
    flow.set_autotask_input(USER, SECRET, CODE)
    check_job, lob_job = flow.autotask_job(), flow.lob_job()
    check, verdict = check_job(), lob_job()
    flow.set_autotask_input("someone.else@other.example", SECRET, CODE)  # Back, another user
    assert not flow.apply_autotask_check(check) and flow.autotask_check is None
    assert not flow.apply_lob(verdict) and flow.lob is None
    flow.set_autotask_input(USER, SECRET, CODE)  # the same input again is still a new generation
    assert not flow.apply_lob(verdict) and flow.lob is None
    assert flow.apply_lob(flow.lob_job()()) and flow.lob is not None


def test_mapping_is_reset_by_another_autotask_user_or_xero_organisation(flow, browser):
    signed_in(verified(flow), browser)
    stale = flow.mapping_job()()
    assert flow.apply_mapping(flow.mapping_job()()) and flow.mapping is not None
    flow.set_autotask_input("someone.else@other.example", SECRET, CODE)
    assert flow.mapping is None and flow.mapping_data is None
    assert not flow.apply_mapping(stale)

    verified(flow)
    assert flow.apply_mapping(flow.mapping_job()())
    before = flow.mapping_generation
    flow.choose_organisation(flow.tenant_id)  # the same organisation: keep it
    assert flow.mapping is not None and flow.mapping_generation == before
    flow.organisations.append(Organisation("other-tenant", "Other Ltd"))
    flow.choose_organisation("other-tenant")
    assert flow.mapping is None and flow.mapping_generation > before


# -- 2. inputs bound on the calling (UI) thread ---------------------------------------------------
def test_jobs_bind_credentials_when_made_not_when_run(flow, store, browser):
    signed_in(verified(flow), browser)
    flow.commit()
    again = SetupFlow(store, SecretStore(), flow.endpoints)
    again.set_autotask_input(USER, "", "")  # the saved secret and code (keyring) are read now...
    check_job, lob_job, mapping_job = again.autotask_job(), again.lob_job(), again.mapping_job()
    again.set_autotask_input("someone.else@other.example", "other-secret", "OTHERCODE")
    again.username = "mutated@other.example"
    failing_keyring()  # ...so neither the flow's later state nor the keyring matter on the worker
    assert check_job().value.ok, check_job().value
    assert lob_job().value.level == "red"  # the demo API user's own verdict
    data, _choice = mapping_job().value
    assert data.billing_codes and data.accounts


def test_job_repr_shows_no_secret(flow):
    flow.set_autotask_input(USER, SECRET, CODE)
    assert SECRET not in repr(flow.autotask_job()) and CODE not in repr(flow.lob_job())


# -- 3. nothing written before commit; commit writes all or nothing -------------------------------
def test_nothing_is_written_until_commit(flow, store, browser, memory_keyring):
    before = store.raw_settings()
    signed_in(verified(flow), browser)
    assert flow.apply_lob(flow.lob_job()())
    assert flow.apply_mapping(flow.mapping_job()())
    flow.check_mapping_settings()
    assert memory_keyring.data == {} and store.raw_settings() == before
    flow.commit()
    service = flow.secrets.service
    assert memory_keyring.data[(service, S_AT_SECRET)] == SECRET
    assert memory_keyring.data[(service, S_AT_CODE)] == CODE
    assert (service, S_XERO_TOKENS) in memory_keyring.data
    raw = store.raw_settings()
    assert raw[K_AT_USER] == USER and raw[K_XERO_TENANT] == flow.tenant_id and K_MAPPING_ACCOUNTS in raw
    assert SECRET not in str(raw) and CODE not in str(raw)
    assert not flow.has_new_xero_tokens()


def test_a_failed_commit_puts_the_keyring_back_and_writes_no_setting(flow, store, browser, memory_keyring,
                                                                      monkeypatch):
    verified(flow)
    flow.commit()  # an earlier setup
    saved_keyring, saved_settings = dict(memory_keyring.data), store.raw_settings()
    again = SetupFlow(store, SecretStore(), flow.endpoints)
    again.port = 0
    verified(again)  # the secret and code typed again: they would be rewritten
    signed_in(again, browser)  # new Xero tokens and a tenant

    def broken():
        raise StoreError("The local database could not be written (disk full); check free disk space.")

    monkeypatch.setattr(store, "transaction", broken)
    memory_keyring.data[(again.secrets.service, S_AT_SECRET)] = "changed-by-this-commit?"
    saved_keyring[(again.secrets.service, S_AT_SECRET)] = "changed-by-this-commit?"
    with pytest.raises(StoreError):
        again.commit()
    assert memory_keyring.data == saved_keyring  # the secret restored, the new tokens removed
    monkeypatch.undo()
    assert store.raw_settings() == saved_settings


def test_commit_writes_only_what_was_verified(flow, store, browser, memory_keyring):
    signed_in(flow, browser)  # Xero only (as after a revoked connection): the Autotask part stays
    store.set_setting(K_AT_USER, "earlier@example.com")
    flow.commit()
    assert store.raw_settings()[K_AT_USER] == "earlier@example.com"
    assert not any(name in (S_AT_SECRET, S_AT_CODE) for _service, name in memory_keyring.data)
    assert flow.is_complete(Page.XERO)


# -- 5. the collaborators: token store of a new sign-in, what a commit writes ---------------------
def _tokens(access: str) -> TokenSet:
    return TokenSet(access, f"refresh-{access}", datetime(2026, 12, 7, 15, 0, tzinfo=UTC))


def test_a_refresh_of_new_tokens_stays_in_memory_and_a_refresh_of_saved_ones_is_written_back():
    secrets, new = MemorySecretStore(), NewXeroTokens()
    new.tokens = _tokens("a1")
    FlowTokenStore(new, secrets).save(_tokens("a2"))
    assert (new.tokens.access_token, secrets.get(S_XERO_TOKENS)) == ("a2", None)
    FlowTokenStore(NewXeroTokens(), secrets).save(_tokens("b2"))  # no sign-in this run: the saved connection
    assert secrets.get_json(S_XERO_TOKENS)["access_token"] == "b2"


def test_what_a_commit_writes_is_only_what_was_verified(store):
    commit = SetupCommit(store, MemorySecretStore())
    assert commit.changes(username=None, secret="s", code="c", tenant=None, new_tokens=_tokens("a1"),
                          client_id="app-1", mapping=None) == ({}, {})
    keyring, settings = commit.changes(username="api@example.com", secret="s", code="", tenant=("t-1", "Demo Ltd"),
                                       new_tokens=_tokens("a1"), client_id="app-1", mapping=None)
    assert sorted(keyring) == [S_AT_SECRET, S_XERO_TOKENS]
    assert settings == {K_AT_USER: "api@example.com", K_XERO_CLIENT: "app-1", K_XERO_TENANT: "t-1",
                        K_XERO_TENANT_NAME: "Demo Ltd",  # the organisation chosen is the default (`orgs default`)
                        "orgs.default": "t-1", "orgs.routes": "{}", "orgs.unused": "[]"}
