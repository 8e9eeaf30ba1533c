"""`depot-sync cache forget`: the next audit reads Xero's reference data afresh (no network)."""

from __future__ import annotations

from depot_gui.cli.common import EXIT_OK, SESSION, Command


def add_cache_parser(sub) -> None:
    """Register ``cache`` and its one subcommand on the top-level subparsers."""
    c = sub.add_parser("cache", help="the Xero data kept on this computer between audits")
    c_sub = c.add_subparsers(dest="cache_command", metavar="forget", required=True, parser_class=type(c))
    c_sub.add_parser("forget", help="forget it: the next audit reads accounts, tax rates, contacts and document "
                                    "numbers from Xero afresh (no network now)")


def cache_command(session, args, out) -> int:
    from depot_gui.sync.maintenance.forget_xero_cache import forget_xero_data

    print(forget_xero_data(session.store).line(), file=out)
    return EXIT_OK


CACHE = Command("cache", add_cache_parser, cache_command, needs=SESSION, guarded=True)
