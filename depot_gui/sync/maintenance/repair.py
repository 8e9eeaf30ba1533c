"""`depot-sync repair` and the window's Repair local database: a way back from a damaged store.

The store is a cache plus history; the truth is in Autotask and Xero. Repair keeps a damaged
file aside (renamed, never deleted), starts again from the newest good daily backup (or
empty), keeps the settings still readable in the damaged file, and rebuilds the invoice
states: every Autotask invoice stamped as processed (``webServiceDate``) or recorded as synced
is audited again, and counts as synced only when Xero holds a document under its number that
carries our mark for that Autotask invoice. Repair reads Autotask and Xero; it writes to neither.
History that cannot be rebuilt is said to be lost, never invented.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from depot_gui.autotask.errors import AutotaskError
from depot_gui.core.audit import CONFLICT, SYNCED
from depot_gui.store.db import Store, StoreDamaged, StoreError
from depot_gui.store.logs import configure_file_log
from depot_gui.store.paths import not_a_file, paths_for
from depot_gui.store.recovery import diagnose, restore_backup, set_aside
from depot_gui.xero.errors import XeroError

from depot_gui.sync.maintenance.restore_choices import ChoicesRestored, restore_choices
from depot_gui.sync.session.session import Session, SessionError

log = logging.getLogger(__name__)


class RepairError(Exception):
    """Repair could not run; str() is one sentence saying what to do."""


@dataclass
class RepairReport:
    database: Path
    damage: str = ""                       # what was wrong ("" when the database was sound)
    kept_aside: list[Path] = field(default_factory=list)
    backup: Path | None = None             # the backup the new database started from
    choices: ChoicesRestored = field(default_factory=ChoicesRestored)  # settings and contact choices put back
    synced: list[str] = field(default_factory=list)
    not_ours: list[str] = field(default_factory=list)
    checked: int = 0
    not_rebuilt: str = ""                  # why the invoice states could not be rebuilt ("" when they were)
    not_rebuilt_window: str = ""           # the same in the window's wording (no command lines)
    connection_missing: bool = False       # not rebuilt because setup is missing (not a failure of the services)

    def lines(self, window: bool = False) -> list[str]:
        """What repair did, one sentence a line (``window``: the window's wording, no command lines)."""
        out = self.database_lines(window)
        if self.not_rebuilt:
            out.append(self.not_rebuilt_line(window))
            return out
        out.append(f"Checked {self.checked} invoice(s) against Autotask and Xero: {len(self.synced)} synced"
                   + (f" ({', '.join(self.synced[:20])}{' ...' if len(self.synced) > 20 else ''})" if self.synced else "")
                   + ". Nothing was written to Xero or Autotask.")
        if self.not_ours:
            out.append("Xero holds a document under these numbers that Depot GUI did not create, so they are not "
                       f"recorded as synced: {', '.join(self.not_ours)}.")
        return out

    def not_rebuilt_line(self, window: bool = False) -> str:
        """Why the invoice states were not rebuilt and what to do ("" when they were)."""
        if not self.not_rebuilt:
            return ""
        again = "use File › Repair local database" if window else "run repair"
        reason = (self.not_rebuilt_window or self.not_rebuilt) if window else self.not_rebuilt
        state = "The database is usable again" if self.damage else "The database itself is sound"
        when = ("once Autotask and Xero are connected" if self.connection_missing
                else "once what is said above is fixed")
        return f"The invoice states were not rebuilt: {reason} {state}; {again} {when}."

    def database_lines(self, window: bool = False) -> list[str]:
        """What was done to the database file itself (kept aside, backup, settings), or that it was sound."""
        out = []
        if self.damage:  # the window's wording leaves SQLite's words to the log
            out.append("The local database was damaged and could not be read." if window
                       else f"The local database was damaged ({self.damage}).")
            out.append("The damaged file is kept as " + ", ".join(str(p) for p in self.kept_aside) + ".")
            if self.backup is not None:
                out.append(f"Started again from the backup {self.backup.name}; audit history and sync attempts "
                           "recorded after it are lost (they remain only in the damaged file).")
            else:
                out.append("No usable backup was found: the audit history and sync attempts are lost "
                           "(they remain only in the damaged file).")
            out += self.choices.lines(window)
        elif not self.not_rebuilt:
            out.append(f"The local database {self.database} is sound; the invoice states were checked again.")
        else:
            out.append(f"The local database {self.database} is sound.")
        return out


def repair(data_dir: str | Path | None, scenario: str | Path | None = None) -> RepairReport:
    """Repair the data dir's database (see the module doc); RepairError when it cannot run."""
    try:
        paths = paths_for(data_dir)
        paths.ensure()
        configure_file_log(paths)
    except (ValueError, OSError) as exc:
        raise RepairError(str(exc)) from None
    report = RepairReport(paths.database)
    try:
        damage = _damage(paths.database)
    except StoreError as exc:  # a newer version's database, a locked one: not ours to set aside
        raise RepairError(f"{str(exc).rstrip('.')}; repair changed nothing") from None
    if damage is not None:
        report.damage = damage.problem
        try:
            report.kept_aside = set_aside(paths)
            report.backup = restore_backup(paths)
        except OSError as exc:
            raise RepairError(f"the damaged database {paths.database} could not be kept aside: {exc.strerror or exc}") from None
        log.warning("repair: %s was damaged (%s); kept aside as %s; started from %s", paths.database, damage.problem,
                    report.kept_aside, report.backup)
    try:
        store = Store(paths.database)
    except StoreError as exc:
        raise RepairError(str(exc)) from None
    if report.kept_aside:
        try:
            report.choices = restore_choices(store, report.kept_aside[0])
        except StoreError as exc:
            store.close()
            raise RepairError(str(exc)) from None
    try:
        session = Session(paths, store, Path(scenario).expanduser() if scenario else None)
    except SessionError as exc:
        store.close()
        raise RepairError(str(exc)) from None
    with session:
        try:
            rebuild(session, report)
        except SessionError as exc:
            report.not_rebuilt = _sentence(str(exc))
            report.not_rebuilt_window = _sentence(exc.user_message)
            report.connection_missing = not exc.service_failed
        except (AutotaskError, XeroError) as exc:
            report.not_rebuilt = exc.user_message
        except StoreError as exc:  # locked by another program while the states were written back
            report.not_rebuilt = _sentence(str(exc))
    return report


def _damage(database: Path) -> StoreDamaged | None:
    """What is wrong with the database file (a folder or a device in its place counts as damage)."""
    try:
        kind = not_a_file(database)
    except OSError as exc:
        raise RepairError(f"the local database {database} cannot be looked at: {exc.strerror or exc}") from None
    if kind:
        return StoreDamaged(str(database), f"it is {kind}, not a file")
    return diagnose(database) if database.exists() else None


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:].rstrip(".") + "."


def rebuild(session: Session, report: RepairReport) -> None:
    """Audit every stamped or recorded-synced invoice again; synced only with our mark in Xero."""
    conn = session.connections()
    stamped = conn.autotask.query("Invoices", [{"op": "exist", "field": "webServiceDate"}])
    numbers = {str(r.get("invoiceNumber") or "").strip() or str(r["id"]) for r in stamped}
    numbers |= {r.invoice_number for r in session.store.invoices() if r.status == SYNCED}
    if not numbers:
        return
    wanted = sorted(numbers)
    # The audit reads Xero's documents by number and trusts only our mark (core.ownership): ours is
    # `synced`, anything else under the number is `conflict` and is recorded as such, never as synced.
    results = session.auditor().audit(wanted)
    report.checked = len(results)
    for r in results:
        if r.status == SYNCED:
            report.synced.append(r.invoice_number)
        elif r.status == CONFLICT and (r.extra.get("conflict") or {}).get("document"):
            report.not_ours.append(r.invoice_number)
