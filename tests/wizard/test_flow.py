"""The setup flow without Qt: Autotask checks, line-of-business verdicts, navigation, mapping."""

from __future__ import annotations

import httpx2
import pytest

from depot_gui.store.secrets import SecretStore
from depot_gui.sync.session.connections import K_AT_USER, S_AT_CODE, S_AT_SECRET
from depot_gui.sync.setup import (
    K_MAPPING_ACCOUNTS,
    K_MAPPING_TAX_TYPES,
    Page,
    SetupFlow,
    load_mapping_overrides,
    verify_autotask,
)
from depot_gui.xero.errors import XeroAuthError

from .conftest import CODE, SECRET, USER, make_endpoints, offline_endpoints


def check(flow: SetupFlow, user=USER, secret=SECRET, code=CODE):
    flow.set_autotask_input(user, secret, code)
    return flow.verify_autotask()


def test_valid_credentials_pass_zone_discovery_and_test_call(flow):
    result = check(flow)
    assert result.ok and result.zone_name
    assert flow.is_complete(Page.AUTOTASK) is False  # the page applies the result
    flow.autotask_check = result
    assert flow.is_complete(Page.AUTOTASK)


def test_each_autotask_failure_has_its_own_message(flow):
    outcomes = {
        "wrong secret": check(flow, secret="not-the-secret"),
        "unknown user": check(flow, user="nobody@elsewhere.example"),
        "bad code": check(flow, code="WRONGCODE"),
        "missing code": check(flow, code=""),
        "network": verify_autotask(offline_endpoints(httpx2.ConnectError("Name or service not known")), USER, SECRET, CODE),
        "proxy": verify_autotask(offline_endpoints(httpx2.ProxyError("407 Proxy Authentication Required")), USER, SECRET, CODE),
        "tls": verify_autotask(
            offline_endpoints(httpx2.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")),
            USER, SECRET, CODE,
        ),
    }
    kinds = {name: o.kind for name, o in outcomes.items()}
    assert kinds == {
        "wrong secret": "wrong_secret", "unknown user": "unknown_user", "bad code": "integration_code",
        "missing code": "missing_code", "network": "network", "proxy": "proxy", "tls": "tls",
    }
    messages = [o.message for o in outcomes.values()]
    assert len(set(messages)) == len(messages)
    assert "refused the secret" in outcomes["wrong secret"].message
    assert "nobody@elsewhere.example" in outcomes["unknown user"].message
    assert "integration code" in outcomes["missing code"].message
    assert "offline" in outcomes["network"].message
    for o in outcomes.values():
        assert not o.ok
        assert SECRET not in o.message and "not-the-secret" not in o.message


def test_input_validation_before_any_request(flow):
    flow.set_autotask_input("", "", "")
    assert set(flow.autotask_input_problems()) == {"username", "secret", "integration_code"}
    flow.set_autotask_input("has space@x.example", "s", "c")
    assert set(flow.autotask_input_problems()) == {"username"}


def test_restricted_user_gets_a_red_verdict_naming_the_hidden_line(flow):
    flow.set_autotask_input(USER, SECRET, CODE)
    verdict = flow.check_lines_of_business()
    assert verdict.level == "red"
    assert verdict.hidden == ("Sydney / Hardware",)
    assert "Sydney / Hardware" in verdict.headline
    assert verdict.structure_in_use
    assert set(verdict.all_lines) == {"Sydney / Hardware", "Sydney / Managed Services", "Sydney / Projects"}
    assert set(verdict.user_lines) == {"Sydney / Managed Services", "Sydney / Projects"}
    assert dict(verdict.entity_access) == {e: "All" for e in ("Invoices", "BillingItems", "Companies", "BillingCodes", "Taxes")}
    steps = " ".join(verdict.fix_steps)
    assert "Line of Business" in steps and USER in steps and "Re-check" in steps
    # continuing past red needs the explicit confirmation
    flow.lob = verdict
    assert not flow.is_complete(Page.LOB)
    flow.lob_confirmed = True
    assert flow.is_complete(Page.LOB)


def test_unrestricted_user_is_green(unrestricted_scenario, open_sandbox, store):
    flow = SetupFlow(store, SecretStore(), make_endpoints(open_sandbox(unrestricted_scenario)))
    flow.set_autotask_input(USER, SECRET, CODE)
    verdict = flow.check_lines_of_business()
    assert verdict.green, verdict
    assert verdict.headline == "The API user sees every line of business."
    assert verdict.hidden == () and not verdict.fix_steps
    flow.lob = verdict
    assert flow.is_complete(Page.LOB)


def test_lob_check_failure_is_reported_not_raised(store):
    flow = SetupFlow(store, SecretStore(), offline_endpoints(httpx2.ConnectError("down")))
    flow.set_autotask_input(USER, SECRET, CODE)
    verdict = flow.check_lines_of_business()
    assert verdict.level == "unchecked"
    assert not verdict.green
    assert verdict.headline.startswith("Not checked: whether the API user sees every line of business "
                                       "(Autotask did not answer the check: Could not reach Autotask")


def test_changing_credentials_forgets_the_verification(flow):
    flow.autotask_check = check(flow)
    flow.set_autotask_input(USER, SECRET + "x", CODE)
    assert flow.autotask_check is None


def test_commit_puts_autotask_secrets_in_the_keyring_only(flow, store, memory_keyring):
    flow.autotask_check = check(flow)
    flow.commit()
    assert store.raw_settings()[K_AT_USER] == USER
    assert SECRET not in str(store.raw_settings()) and CODE not in str(store.raw_settings())
    assert memory_keyring.data[("depot-gui", S_AT_SECRET)] == SECRET
    assert memory_keyring.data[("depot-gui", S_AT_CODE)] == CODE
    assert SECRET not in repr(flow) and CODE not in repr(flow)
    # a later run may leave the secret fields empty: the keyring's values are used
    flow2 = SetupFlow(store, SecretStore(), flow.endpoints)
    flow2.set_autotask_input(USER, "", "")
    assert flow2.autotask_input_problems() == {}
    assert flow2.verify_autotask().ok


def test_no_keyring_says_how_to_install_one(store, sandbox):
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    flow = SetupFlow(store, SecretStore(), make_endpoints(sandbox))
    problem = flow.keyring_problem()
    assert problem and "gnome-keyring" in problem and "install" in problem


def test_page_order_and_revoked_xero_start(flow):
    assert [flow.next_page(p) for p in Page] == [Page.LOB, Page.XERO, Page.MAPPING, Page.SUMMARY, None]
    assert flow.start_page() is Page.AUTOTASK
    assert flow.start_page(XeroAuthError()) is Page.AUTOTASK  # nothing saved yet
    flow.autotask_check = check(flow)
    flow.commit()
    assert flow.start_page(XeroAuthError()) is Page.XERO
    assert "Connect to Xero" in flow.xero_message


def test_mapping_prefill_validation_and_round_trip(flow, store, browser):
    from .test_xero import connect_xero

    flow.autotask_check = check(flow)
    flow.commit()
    connect_xero(flow, browser)
    data, choice = flow.load_mapping()
    flow.mapping_data, flow.mapping = data, choice
    by_name = {c.name: c for c in data.billing_codes}
    valid = {a.code for a in data.active_accounts()}
    for code in data.billing_codes:
        expected = code.external_number if code.external_number in valid else ""
        assert choice.accounts[code.id] == expected
    gst = data.taxes[0]
    assert choice.tax_types[gst.id]
    chosen = next(r for r in data.tax_rates if r.tax_type == choice.tax_types[gst.id])
    assert chosen.effective_rate == gst.rate
    errors, _ = flow.mapping_problems()
    assert errors == []

    # unmapped -> warning; not a Xero account -> blocking error
    managed = by_name["Managed Services"].id
    choice.accounts[managed] = ""
    errors, warnings = flow.mapping_problems()
    assert not errors and any("Managed Services" in w and "default account" in w for w in warnings)
    choice.accounts[managed] = "999999"
    errors, _ = flow.mapping_problems()
    assert any("999999" in e for e in errors)
    assert not flow.is_complete(Page.MAPPING)
    choice.accounts[managed] = next(iter(sorted(valid)))
    choice.tax_types[gst.id] = ""
    errors, warnings = flow.mapping_problems()
    assert not errors and any("GST" in w for w in warnings)
    choice.tax_types[gst.id] = chosen.tax_type
    choice.contact_match = "account_number"
    flow.commit()

    overrides = load_mapping_overrides(store)
    assert overrides.account_by_billing_code[managed] == choice.accounts[managed]
    assert overrides.tax_type_by_rate == {"10": chosen.tax_type}
    assert store.settings().contact_match == "ACCOUNT_NUMBER"
    # the next run proposes what was saved
    _, again = flow.load_mapping()
    assert again.accounts[managed] == choice.accounts[managed] and again.contact_match == "account_number"


def test_mapping_loader_tolerates_missing_or_bad_json(store):
    assert load_mapping_overrides(store).account_by_billing_code == {}
    store.set_setting(K_MAPPING_ACCOUNTS, "{not json")
    store.set_setting(K_MAPPING_TAX_TYPES, '{"x": "OUTPUT", "7.50": "OUTPUT2"}')
    overrides = load_mapping_overrides(store)
    assert overrides.account_by_billing_code == {} and overrides.tax_type_by_rate == {"7.5": "OUTPUT2"}


@pytest.mark.parametrize("rule", ["name", "account_number", "name_or_account_number"])
def test_contact_rules_are_valid_settings(store, rule):
    from depot_gui.sync.setup import save_mapping
    from depot_gui.core.mapping import MappingOverrides

    save_mapping(store, MappingOverrides(), rule)
    assert store.settings().contact_match == rule.upper()
