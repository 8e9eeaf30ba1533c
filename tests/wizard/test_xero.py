"""Xero PKCE through the real loopback redirect, token rotation in the keyring, revocation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from depot_gui.store.secrets import SecretStore
from depot_gui.sync.session.connections import K_XERO_TENANT, KeyringTokenStore
from depot_gui.sync.setup import Page, SetupFlow, XeroLogin
from depot_gui.xero import oauth
from depot_gui.xero.errors import XeroAuthError, XeroLoginError


def connect_xero(flow: SetupFlow, browser) -> None:
    login = flow.start_xero_login()
    browser(login.url)
    flow.organisations = flow.finish_xero_login(login, timeout=20)
    flow.xero_connected = True
    flow.choose_organisation(flow.organisations[0].tenant_id)
    flow.commit()


def test_pkce_flow_completes_through_the_loopback_redirect(flow, browser, store):
    login = flow.start_xero_login()
    assert login.redirect_uri.startswith("http://localhost:") and login.redirect_uri.endswith("/callback")
    assert "code_challenge_method=S256" in login.url and "offline_access" in login.url
    browser(login.url)
    orgs = flow.finish_xero_login(login, timeout=20)
    assert orgs and orgs[0].name
    assert KeyringTokenStore(flow.secrets).load() is None  # in memory until the user finishes
    assert flow.has_new_xero_tokens()
    flow.organisations, flow.xero_connected = orgs, True
    flow.choose_organisation(orgs[0].tenant_id)
    assert flow.is_complete(Page.XERO)
    assert K_XERO_TENANT not in store.raw_settings()
    flow.commit()
    assert KeyringTokenStore(flow.secrets).load() is not None
    assert store.raw_settings()[K_XERO_TENANT] == orgs[0].tenant_id


def test_state_mismatch_is_refused(flow):
    import httpx2

    login = flow.start_xero_login()
    port = login.receiver.port
    import threading

    t = threading.Thread(target=lambda: httpx2.get(f"http://127.0.0.1:{port}/callback?code=x&state=forged", trust_env=False))
    t.start()
    with pytest.raises(XeroLoginError, match="state mismatch"):
        login.finish(KeyringTokenStore(flow.secrets), timeout=10)
    t.join()
    assert KeyringTokenStore(flow.secrets).load() is None


def test_busy_port_gives_a_clear_message(flow):
    first = flow.start_xero_login()
    try:
        flow.port = first.receiver.port
        with pytest.raises(XeroLoginError, match="already in use"):
            flow.start_xero_login()
    finally:
        first.receiver.close()


def test_missing_client_id_is_refused(flow):
    flow.client_id = " "
    with pytest.raises(XeroLoginError, match="client id"):
        flow.start_xero_login()


def test_refresh_rotates_the_stored_refresh_token(flow, browser):
    connect_xero(flow, browser)
    store = KeyringTokenStore(flow.secrets)
    before = store.load()
    later = lambda: datetime.now(UTC) + timedelta(hours=1)  # noqa: E731 - the access token has expired
    manager = flow.token_manager(clock=later)
    access = manager.access_token()
    after = store.load()
    assert after.refresh_token != before.refresh_token
    assert after.access_token == access != before.access_token
    # the rotated set works against Xero
    assert flow.recheck_xero()[0].tenant_id == flow.tenant_id


def test_revoked_connection_leads_back_to_the_xero_page(flow, browser):
    from .test_flow import check

    flow.autotask_check = check(flow)
    flow.commit()
    connect_xero(flow, browser)
    tokens = KeyringTokenStore(flow.secrets).load()
    oauth.revoke(flow.client_id, tokens.refresh_token, identity_root=flow.endpoints.xero_identity_root,
                 transport=flow.endpoints.transport)
    with pytest.raises(XeroAuthError) as info:
        flow.recheck_xero()
    again = SetupFlow(flow.store, SecretStore(), flow.endpoints)
    assert again.start_page(info.value) is Page.XERO
    assert "Connect to Xero" in again.xero_message and "revoked" in again.xero_message


def test_login_url_uses_configured_client_id(flow):
    flow.client_id = "MY-OWN-APP"
    login = XeroLogin(flow.endpoints, flow.client_id, 0)
    try:
        assert "client_id=MY-OWN-APP" in login.url
    finally:
        login.receiver.close()
