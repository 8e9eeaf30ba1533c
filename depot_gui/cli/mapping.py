"""`depot-sync mapping ...`: one Xero organisation's account and tax mapping, headless.

``mapping [--org ORG] [--json]`` shows it · ``mapping account BILLING_CODE ACCOUNT [--org ORG]`` sends a
billing code's lines to an account of that organisation · ``mapping tax RATE TAXTYPE [--org ORG]`` sends an
Autotask tax percentage as one of its tax rates. ORG: name or tenant id (default: the default
organisation); BILLING_CODE: Autotask id or name. A code the organisation does not have is one line, exit 2.
"""

from __future__ import annotations

import argparse
import json

from depot_gui.cli.common import SESSION, Command, UsageError

HELP = "a Xero organisation's account and tax mapping: show, or map a billing code or an Autotask tax rate"


def add_mapping_parser(sub) -> None:
    m = sub.add_parser("mapping", help=HELP, description=HELP + ". Without a subcommand: show.")
    m.add_argument("--org", default="", help="Xero organisation name or tenant id (default: the default one)")
    m.add_argument("--json", action="store_true", help="show as JSON")
    m_sub = m.add_subparsers(dest="mapping_command", parser_class=type(m))
    a = m_sub.add_parser("account", help="send this billing code's lines to this account of the organisation")
    a.add_argument("code", metavar="BILLING_CODE", help="Autotask billing code id or name")
    a.add_argument("account", metavar="ACCOUNT", help="Xero account code")
    a.add_argument("--org", default=argparse.SUPPRESS, help="Xero organisation name or tenant id")
    t = m_sub.add_parser("tax", help="send this Autotask tax percentage as this tax rate of the organisation")
    t.add_argument("rate", metavar="RATE", help="Autotask tax percentage, like 10 or 7.5")
    t.add_argument("tax_type", metavar="TAXTYPE", help="Xero TaxType, like OUTPUT2")
    t.add_argument("--org", default=argparse.SUPPRESS, help="Xero organisation name or tenant id")


def mapping_command(session, args, out) -> int:
    from depot_gui.sync.mapping.org_mapping import MappingRefused, OrgMapping

    desk = OrgMapping(session.store, session.connections())
    command = args.mapping_command or "show"
    try:
        if command == "account":
            print(desk.set_account(args.code, args.account, args.org), file=out)
        elif command == "tax":
            print(desk.set_tax(args.rate, args.tax_type, args.org), file=out)
        else:
            view = desk.show(args.org)
            if args.json:
                json.dump(view.as_json(), out, indent=1)
                out.write("\n")
            else:
                _print(view, out)
    except (MappingRefused, ValueError) as exc:
        raise UsageError(f"depot-sync mapping {command}: {exc}") from None
    return 0


def _print(view, out) -> None:
    whose = "its own" if view.own else "the default organisation's, as far as its books have the same codes"
    print(f"{view.organisation}: {whose} mapping", file=out)
    print("Billing code -> account:", file=out)
    for k, v in sorted(view.accounts.items()):
        print(f"  {view.billing_codes.get(k, k)} ({k}) -> {v}", file=out)
    if not view.accounts:
        print("  none chosen: each billing code's external number, else the default account", file=out)
    print("Autotask tax -> Xero tax rate:", file=out)
    for k, v in sorted(view.tax_types.items()):
        print(f"  {k}% -> {v}", file=out)
    if not view.tax_types:
        print("  none chosen: the Xero tax rate of the same percentage", file=out)


MAPPING = Command("mapping", add_mapping_parser, mapping_command, needs=SESSION, guarded=True)
