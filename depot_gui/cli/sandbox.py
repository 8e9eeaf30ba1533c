"""`depot-sync sandbox serve --scenario F [--host H] [--port N]` and `depot-sync --sandbox F sandbox state`."""

from __future__ import annotations

from depot_gui.cli.common import EXIT_OK, NOTHING, SESSION, Command, Parser, UsageError, port_arg


def add_sandbox_parser(sub) -> None:
    sb = sub.add_parser("sandbox", help="the built-in Autotask + Xero simulator")
    sb_sub = sb.add_subparsers(dest="sandbox_command", required=True, parser_class=Parser)
    serve = sb_sub.add_parser("serve", help="serve the sandbox over HTTP on loopback until interrupted")
    serve.add_argument("--scenario", required=True)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=port_arg, default=0)
    sb_sub.add_parser("state", help="print the sandbox state as JSON (needs --sandbox)")


def serve_command(args, out) -> int:
    """Serve until interrupted (no data directory needed; its sandbox state when one is given)."""
    from depot_gui.store.paths import paths_for
    from depot_gui.sync.session.serve import serve_sandbox
    from depot_gui.sync.session.session import SessionError

    try:
        state_dir = paths_for(args.data_dir).ensure().sandbox_state if args.data_dir else None
        serve_sandbox(args.scenario, args.host, args.port, state_dir, out)
    except SessionError as exc:  # a bad scenario or sandbox state
        raise UsageError(f"depot-sync: {exc}") from None
    except OSError as exc:
        raise UsageError(f"depot-sync: cannot serve on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return EXIT_OK


def state_command(session, out) -> int:
    if session.sandbox is None:
        raise UsageError("depot-sync: `sandbox state` needs --sandbox SCENARIO.json")
    from depot_gui.core.wire import dumps

    out.write(dumps(session.sandbox.state()) + "\n")  # money stays JSON numbers, as on the wire
    return EXIT_OK


def sandbox_command(session, args, out) -> int:
    return serve_command(args, out) if args.sandbox_command == "serve" else state_command(session, out)


def _needs(args) -> str:
    """``serve`` needs no data directory (it uses one when given); ``state`` reads the session's sandbox."""
    return NOTHING if args.sandbox_command == "serve" else SESSION


SANDBOX = Command("sandbox", add_sandbox_parser, sandbox_command, needs=_needs)
