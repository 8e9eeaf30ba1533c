"""``depot-sync connect``: the wizard's steps without the window."""

from __future__ import annotations

import getpass
import os
import sys
import webbrowser
from collections.abc import Callable
from typing import Any

from depot_gui.store.secrets import SecretStore, SecretStoreUnavailable
from depot_gui.xero.errors import XeroError

from depot_gui.sync.setup.common import Endpoints
from depot_gui.sync.setup.flow import SetupFlow
from depot_gui.sync.setup.lob_step import LobVerdict
from depot_gui.sync.setup.xero_step import sandbox_browser


ENV_SECRET = "DEPOT_AUTOTASK_SECRET"
ENV_CODE = "DEPOT_AUTOTASK_INTEGRATION_CODE"


def _read_secret(prompt: str, env: str, stdin) -> str:
    """From the environment; else getpass when interactive; else one line of stdin."""
    value = os.environ.get(env)
    if value:
        return value
    if stdin is not None and stdin.isatty():
        return getpass.getpass(prompt)
    line = stdin.readline() if stdin is not None else ""
    return line.rstrip("\r\n")


def connect_cli(session: Any, args: Any, out, *, err=None, stdin=None,
                open_browser: Callable[[str], Any] | None = None, endpoints: Endpoints | None = None) -> int:
    """``depot-sync connect autotask|xero``: the wizard's steps without the window. Exit 0/1/2."""
    err = err or sys.stderr
    stdin = stdin if stdin is not None else sys.stdin
    endpoints = endpoints or Endpoints.for_session(session)
    secrets = SecretStore("depot-gui-sandbox") if endpoints.sandbox else SecretStore()
    flow = SetupFlow(session.store, secrets, endpoints)
    problem = flow.keyring_problem()
    if problem:
        print(f"depot-sync: {problem}", file=err)
        return 2
    try:
        if args.service == "autotask":
            return _connect_autotask(flow, args, out, err, stdin)
        return _connect_xero(flow, args, out, err, stdin, open_browser)
    except SecretStoreUnavailable as exc:
        print(f"depot-sync: {exc}", file=err)
        return 2


def _connect_autotask(flow: SetupFlow, args: Any, out, err, stdin) -> int:
    username = (args.username or flow.username or "").strip()
    if not username:
        print("depot-sync: give the API username with --username", file=err)
        return 2
    secret = _read_secret(f"Autotask secret for {username}: ", ENV_SECRET, stdin)
    code = args.integration_code or os.environ.get(ENV_CODE, "")
    flow.set_autotask_input(username, secret, code)
    problems = flow.autotask_input_problems()
    if problems:
        print(f"depot-sync: {' '.join(problems.values())}", file=err)
        return 2
    check = flow.verify_autotask()
    if not check.ok:
        print(f"depot-sync: {check.message}", file=err)
        return 2
    print(check.message, file=out)
    flow.autotask_check = check
    verdict = flow.check_lines_of_business()
    flow.lob = verdict
    flow.commit()  # only the Autotask part is verified: username to the settings, secrets to the keyring
    print(f"Saved: username in the settings, secret and integration code in {flow.secrets.where()}.", file=out)
    _print_verdict(verdict, out)
    return 0 if verdict.green else 1


def _print_verdict(v: LobVerdict, out) -> None:
    print(("OK: " if v.green else "PROBLEM: " if v.level == "red" else "NOT CHECKED: ") + v.headline, file=out)
    for entity, access in v.entity_access:
        print(f"  {entity}: {access}", file=out)
    if v.entity_access and v.checked:
        print(f"  Organizational Structure in use: {'yes' if v.structure_in_use else 'no'}", file=out)
    if v.all_lines:
        print(f"  All active lines of business: {', '.join(v.all_lines)}", file=out)
        print(f"  API user's lines of business: {', '.join(v.user_lines) or '(none: all)'}", file=out)
    for i, step in enumerate(v.fix_steps, 1):
        print(f"  {i}. {step}", file=out)


def _connect_xero(flow: SetupFlow, args: Any, out, err, stdin, open_browser) -> int:
    if args.client_id:
        flow.client_id = args.client_id
    if args.port is not None:  # 0 asks for any free port (it was taken for "not given")
        flow.port = args.port
    if open_browser is None:
        open_browser = sandbox_browser(flow.endpoints.transport) if flow.endpoints.sandbox else webbrowser.open
    try:
        login = flow.start_xero_login()
        print(f"Opening the browser to sign in to Xero. If it does not open, visit:\n{login.url}", file=out)
        open_browser(login.url)
        flow.finish_xero_login(login)  # the tokens stay in memory until commit()
    except XeroError as exc:
        print(f"depot-sync: {exc.user_message}", file=err)
        return 2
    if not flow.organisations:
        print("depot-sync: the Xero sign-in gave access to no organisation; sign in again and tick one.", file=err)
        return 2
    org = flow.organisations[0]
    if len(flow.organisations) > 1 and stdin is not None and stdin.isatty():
        for i, o in enumerate(flow.organisations, 1):
            print(f"  {i}. {o.name}", file=out)
        choice = input("Organisation number: ").strip()
        if choice.isdigit() and 1 <= int(choice) <= len(flow.organisations):
            org = flow.organisations[int(choice) - 1]
    flow.choose_organisation(org.tenant_id)
    flow.xero_connected = True
    flow.commit()  # only the Xero part is verified: tokens to the keyring, client id and tenant to the settings
    print(f"Connected to Xero organisation {org.name}; tokens saved in {flow.secrets.where()}.", file=out)
    return 0
