"""`depot-sync orgs ...`: the connected Xero organisations and which Autotask companies go to which.

``orgs [--json]`` lists them (name, tenant id, base currency, added currencies, the companies routed
there; the first connected is the default until another is chosen) · ``orgs route COMPANY ORG`` sends a
company's invoices to an organisation · ``orgs unroute COMPANY`` sends them back to the default ·
``orgs default ORG`` chooses the default. COMPANY: Autotask id or name; ORG: name or tenant id.
"""

from __future__ import annotations

import json

from depot_gui.cli.common import SESSION, Command, UsageError

HELP = "the connected Xero organisations and which Autotask companies go to which"


def add_orgs_parser(sub) -> None:
    o = sub.add_parser("orgs", help=HELP, description=HELP + ". Without a subcommand: list.")
    o.add_argument("--json", action="store_true", help="list as JSON")
    o_sub = o.add_subparsers(dest="orgs_command", parser_class=type(o))
    r = o_sub.add_parser("route", help="send this company's invoices to this organisation")
    r.add_argument("company", metavar="COMPANY", help="Autotask company id or name")
    r.add_argument("org", metavar="ORG", help="Xero organisation name or tenant id")
    u = o_sub.add_parser("unroute", help="send this company's invoices to the default organisation again")
    u.add_argument("company", metavar="COMPANY", help="Autotask company id or name")
    d = o_sub.add_parser("default", help="choose the organisation every company not routed elsewhere goes to")
    d.add_argument("org", metavar="ORG", help="Xero organisation name or tenant id")


def orgs_command(session, args, out) -> int:
    """Run one ``orgs`` subcommand; a name that matches nothing or several is one line, exit 2."""
    from depot_gui.sync.orgs.routing import OrgDesk

    desk = OrgDesk(session.store, session.connections())
    try:
        if args.orgs_command == "route":
            print(desk.route(args.company, args.org), file=out)
        elif args.orgs_command == "unroute":
            print(desk.unroute(args.company), file=out)
        elif args.orgs_command == "default":
            print(desk.set_default(args.org), file=out)
            session.reconnect()
        else:
            return _list(desk, args.json, out)
    except ValueError as exc:
        raise UsageError(f"depot-sync orgs {args.orgs_command}: {exc}") from None
    return 0


def _list(desk, as_json: bool, out) -> int:
    orgs = desk.organisations()
    if as_json:
        json.dump([{"name": o.name, "tenant_id": o.tenant_id, "base_currency": o.base_currency,
                    "currencies": list(o.currencies), "default": o.is_default,
                    "companies": [{"autotask_id": cid, "name": name} for cid, name in o.companies]} for o in orgs],
                  out, indent=1)
        out.write("\n")
        return 0
    for o in orgs:
        added = f"; also {', '.join(o.currencies)}" if o.currencies else ""
        print(f"{o.name} ({o.tenant_id}){' [default]' if o.is_default else ''}: base currency {o.base_currency}{added}",
              file=out)
        if o.is_default:
            print("  every company not routed elsewhere", file=out)
        for cid, name in o.companies:
            print(f"  {name} ({cid})", file=out)
    return 0


def _orgs(session, args, out) -> int:
    return orgs_command(session, args, out)


ORGS = Command("orgs", add_orgs_parser, _orgs, needs=SESSION, guarded=True)
