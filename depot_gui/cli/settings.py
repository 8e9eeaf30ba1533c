"""`depot-sync settings show` / `settings set KEY VALUE`: the settings both programs share."""

from __future__ import annotations

from depot_gui.core.settings import SPECS, SettingError

from depot_gui.cli.common import EXIT_OK, SESSION, Command, Parser, UsageError


def add_settings_parser(sub) -> None:
    se = sub.add_parser("settings", help="show or change settings")
    se_sub = se.add_subparsers(dest="settings_command", required=True, parser_class=Parser)
    se_sub.add_parser("show")
    ss = se_sub.add_parser("set")
    ss.add_argument("key", choices=sorted(SPECS))
    ss.add_argument("value")


def settings_command(session, args, out) -> int:
    """``set`` changes one setting (a value that does not parse is one line, exit 2); both print them all."""
    if args.settings_command == "set":
        try:
            session.set_setting(args.key, args.value)
        except SettingError as exc:
            raise UsageError(f"depot-sync: {args.key}: {exc}") from None
    for key, value in session.store.settings().shown().items():
        print(f"{key} = {value}", file=out)
    return EXIT_OK


SETTINGS = Command("settings", add_settings_parser, settings_command, needs=SESSION)
