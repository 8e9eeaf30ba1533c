"""`depot-sync connect autotask|xero`: the setup wizard's connection steps without the window."""

from __future__ import annotations

from depot_gui.cli.common import SESSION, Command, port_arg


def add_connect_parser(sub) -> None:
    c = sub.add_parser("connect", help="set up the Autotask or Xero connection without the window")
    c.add_argument("service", choices=["autotask", "xero"])
    c.add_argument("--username")
    c.add_argument("--integration-code")
    c.add_argument("--client-id")
    c.add_argument("--port", type=port_arg, default=None,
                   help="callback port of the redirect URI registered for the Xero app (default 8765; 0 = any free port)")


def connect_command(session, args, out) -> int:
    from depot_gui.cli.connect_flow import connect_cli

    return connect_cli(session, args, out)


CONNECT = Command("connect", add_connect_parser, connect_command, needs=SESSION)
