"""`depot-sync contacts ...`: which Xero contact each invoiced company's invoices go to.

``contacts [--all] [--json]`` lists the companies of the invoices known here whose contact is
not settled (all of them with ``--all``) and the close Xero contacts offered ·
``contacts link COMPANY CONTACT`` sends the company's invoices to that existing contact ·
``contacts create COMPANY [--name NAME]`` creates a new contact for it in Xero, once ·
``contacts unlink COMPANY`` forgets the choice. COMPANY is an Autotask company id or name;
CONTACT a Xero contact name or ContactID.
"""

from __future__ import annotations

import argparse
import json

from depot_gui.cli.common import SESSION, Command, UsageError

HELP = "the Xero contact each invoiced company's invoices go to: list, link, create once, unlink"


def add_contacts_parser(sub) -> None:
    """Register ``contacts`` and its subcommands on the top-level subparsers."""
    co = sub.add_parser("contacts", help=HELP, description=HELP + ". Without a subcommand: list.")
    co.add_argument("--all", action="store_true", help="every company, also those whose contact is settled")
    co.add_argument("--json", action="store_true", help="list as JSON")
    co_sub = co.add_subparsers(dest="contacts_command", parser_class=type(co))
    ls = co_sub.add_parser("list", help="the companies whose Xero contact is not settled, with the close contacts")
    ls.add_argument("--all", action="store_true", default=argparse.SUPPRESS, help="every company")
    ls.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="as a JSON array")
    lk = co_sub.add_parser("link", help="send this company's invoices to this existing Xero contact")
    lk.add_argument("company", metavar="COMPANY", help="Autotask company id or name")
    lk.add_argument("contact", metavar="CONTACT", help="Xero contact name or ContactID")
    cr = co_sub.add_parser("create", help="create a new Xero contact for this company (once), even beside close ones")
    cr.add_argument("company", metavar="COMPANY", help="Autotask company id or name")
    cr.add_argument("--name", default="", help="the new contact's name (default: the company's name)")
    un = co_sub.add_parser("unlink", help="forget the contact chosen for this company")
    un.add_argument("company", metavar="COMPANY", help="Autotask company id or name")


def contacts_command(session, args, out) -> int:
    """Run one ``contacts`` subcommand; a request that cannot be done as asked is one line, exit 2."""
    from depot_gui.sync.contacts.desk import ContactDesk, ContactError

    desk = ContactDesk(session.store, session.connections())
    command = args.contacts_command or "list"
    try:
        if command == "list":
            return _list(desk, args.all, args.json, out)
        company = desk.company(args.company)
        if command == "link":
            row = desk.link(company, desk.contact(args.contact, company))
        elif command == "create":
            row = desk.create(company, args.name)
        elif desk.unlink(company):
            print(f"Forgot the Xero contact chosen for {company.name}; its next audit decides afresh.", file=out)
            return 0
        else:
            print(f"No Xero contact was chosen for {company.name}; nothing changed.", file=out)
            return 0
    except ContactError as exc:
        raise UsageError(f"depot-sync contacts {command}: {exc}") from None
    verb = "Linked" if command == "link" else "Created the Xero contact"
    print(f"{verb} \u201c{row.contact_name}\u201d for {row.company_name}: its invoices go to it from now on.", file=out)
    if row.invoices:
        print(f"Next: depot-sync sync {' '.join(row.invoices)} (each is audited again first).", file=out)
    return 0


def _list(desk, include_all: bool, as_json: bool, out) -> int:
    rows = desk.companies(include_linked=include_all)
    if as_json:
        json.dump([r.to_json() for r in rows], out, indent=1)
        out.write("\n")
        return 0
    if not desk.store.invoice_companies():
        print("No invoices here yet: run depot-sync audit first.", file=out)
        return 0
    if not rows:
        print("Every company of the invoices here has its Xero contact (depot-sync contacts --all lists them).",
              file=out)
        return 0
    heads = ("Id", "Company", "Account", "Xero contact", "Waiting invoices")
    table = [[str(r.company_id), r.company_name, r.company_number, r.summary(), ", ".join(r.invoices)] for r in rows]
    if len({r.organisation for r in rows}) > 1:  # companies going to several organisations: say whose contacts
        heads = (*heads[:3], "Xero organisation", *heads[3:])
        table = [[*t[:3], r.organisation, *t[3:]] for r, t in zip(rows, table)]
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(heads)]
    print("  ".join(h.ljust(w) for h, w in zip(heads, widths)).rstrip(), file=out)
    for r, t in zip(rows, table):
        print("  ".join(v.ljust(w) for v, w in zip(t, widths)).rstrip(), file=out)
        for c in r.candidates:
            number = f", account number {c.account_number}" if c.account_number else ""
            print(f"    close: \u201c{c.name}\u201d ({c.reason}{number})", file=out)
        if r.message:
            print(f"    {r.message}", file=out)
    if any(r.unlinked for r in rows):
        print("\nChoose once per company: depot-sync contacts link COMPANY CONTACT, or "
              "depot-sync contacts create COMPANY. A company marked new gets a contact with its own name "
              "at its first sync.", file=out)
    return 0


CONTACTS = Command("contacts", add_contacts_parser, contacts_command, needs=SESSION, guarded=True)
