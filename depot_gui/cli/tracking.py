"""`depot-sync tracking ...`: revenue by line of business (the setup wizard's tracking mapping) headless.

``tracking [show] [--json]`` · ``tracking set CATEGORY`` · ``tracking map LINE OPTION`` ·
``tracking unmap LINE`` · ``tracking off``. Names are matched case-insensitively; a line of business
is named by its id, its whole name ("Sydney / Projects") or its last part when that is unique. Each takes
``--org ORG``: that Xero organisation's own tracking (its categories; its first change saves its mapping as its
own, accounts and tax rates as it used them); without it, the default organisation's (the wizard's).
"""

from __future__ import annotations

import argparse
import json

from depot_gui.cli.common import SESSION, Command, UsageError

HELP = "revenue by line of business: map Autotask lines of business to a Xero tracking category's options"


def add_tracking_parser(sub) -> None:
    """Register ``tracking`` and its subcommands on the top-level subparsers."""
    tr = sub.add_parser("tracking", help=HELP, description=HELP + ". Without a subcommand: show.")
    tr.add_argument("--json", action="store_true", help="show as JSON")
    tr.add_argument("--org", default="", help="Xero organisation name or tenant id (default: the default one)")
    tr_sub = tr.add_subparsers(dest="tracking_command", parser_class=type(tr))
    show = tr_sub.add_parser("show", help="Xero's tracking categories, Autotask's lines of business, the mapping and its warnings")
    show.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="as one JSON object")
    show.add_argument("--org", default=argparse.SUPPRESS, help="Xero organisation name or tenant id")
    cat = tr_sub.add_parser("set", help="choose the Xero tracking category sent on each line")
    cat.add_argument("category", metavar="CATEGORY")
    cat.add_argument("--org", default=argparse.SUPPRESS, help="Xero organisation name or tenant id")
    mp = tr_sub.add_parser("map", help="send this line of business's lines with this option of the chosen category")
    mp.add_argument("line", metavar="LINE_OF_BUSINESS", help="id, whole name, or last part of the name")
    mp.add_argument("option", metavar="OPTION")
    mp.add_argument("--org", default=argparse.SUPPRESS, help="Xero organisation name or tenant id")
    un = tr_sub.add_parser("unmap", help="send this line of business's lines without tracking")
    un.add_argument("line", metavar="LINE_OF_BUSINESS")
    un.add_argument("--org", default=argparse.SUPPRESS, help="Xero organisation name or tenant id")
    off = tr_sub.add_parser("off", help="send no tracking at all (forgets the category and options)")
    off.add_argument("--org", default=argparse.SUPPRESS, help="Xero organisation name or tenant id")


def tracking_command(session, args, out) -> int:
    """Run one ``tracking`` subcommand; a name that matches nothing is one line and exit 2."""
    from depot_gui.sync.mapping import tracking_choice as tc

    command = args.tracking_command or "show"
    if command == "off" and not args.org:
        tc.tracking_off(session.store)
        print("Tracking is off: invoice lines are sent to Xero without a tracking category.", file=out)
        return 0
    conn = session.connections()
    name = ""
    try:
        if args.org:  # that organisation's own tracking (its first change makes its mapping its own)
            from depot_gui.sync.mapping.org_mapping import OrgMapping
            try:
                name, picture = OrgMapping(session.store, conn).tracking_picture(args.org)
            except ValueError as exc:  # no such organisation (MappingRefused is one too)
                raise tc.TrackingChoiceError(str(exc)) from None
        else:
            picture = tc.load_picture(session.store, conn.autotask, conn.xero)
        if command == "off":
            tc.tracking_off(session.store, picture)
            print(f"Tracking is off in {name}: invoice lines are sent to it without a tracking category.", file=out)
            return 0
        if command == "set":
            picture = tc.choose_category(session.store, picture, args.category)
        elif command == "map":
            picture = tc.map_line(session.store, picture, args.line, args.option)
        elif command == "unmap":
            picture = tc.unmap_line(session.store, picture, args.line)
    except tc.TrackingChoiceError as exc:
        raise UsageError(f"depot-sync tracking {command}: {exc}") from None
    if command == "show" and args.json:
        json.dump(picture.as_json(), out, indent=1)
        out.write("\n")
        return 0
    if command != "show":
        print(f"Saved for {name}." if name else "Saved.", file=out)
    elif name:
        print(f"{name}:", file=out)
    _print_picture(picture, out)
    return 0


def _print_picture(picture, out) -> None:
    cat = picture.chosen()
    if not picture.category:
        print("Tracking: off (choose a Xero tracking category with `depot-sync tracking set CATEGORY`)", file=out)
    else:
        print(f"Tracking: Xero tracking category '{cat.name if cat else picture.category}'", file=out)
    if picture.lines:
        width = max(len(f"{i}  {n}") for i, n in picture.lines.items())
        head = f"{cat.name} option" if cat else "Option"
        print(f"\n{'Line of business'.ljust(width)}  {head}".rstrip() if picture.category else "\nLine of business",
              file=out)
        for lob_id, name in picture.lines.items():
            label = f"{lob_id}  {name}"
            option = picture.options.get(lob_id) or "- (sent without tracking)"
            print(f"{label.ljust(width)}  {option}" if picture.category else label, file=out)
    else:
        print("\nAutotask has no active lines of business (Organizational Structure is not in use).", file=out)
    if picture.categories:
        print("\nXero tracking categories (active options):", file=out)
        for c in picture.categories:
            print(f"  {c.name}: {', '.join(c.options) or '(no active options)'}", file=out)
    else:
        print("\nThis Xero organisation has no active tracking categories; add one in Xero to use tracking.", file=out)
    warnings = picture.warnings()
    if warnings:
        print("", file=out)
    for warning in warnings:
        print(f"Warning: {warning}", file=out)


TRACKING = Command("tracking", add_tracking_parser, tracking_command, needs=SESSION, guarded=True)
