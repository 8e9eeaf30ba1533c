"""CSV files for the accountant: UTF-8 with a byte-order mark (Excel opens it right), money as
2-decimal strings, one file written whole or not at all (a temporary file, then a rename).
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import astuple
from pathlib import Path

from depot_gui.store.paths import not_a_file
from depot_gui.sync.reports.month_end import LineRow, ReportInvoice, invoice_label

INVOICE_HEADER = (
    "Invoice", "Company", "Invoice date", "Status", "Autotask total", "Xero total", "Rounding line", "Difference",
    "Causes", "Not checked", "Xero number", "Xero invoice ID", "Synced at (UTC)", "Payment", "Voided in Autotask",
    "Explanation", "Currency", "Xero organisation", "Warnings",  # later columns last: earlier readers keep their positions
)
LINE_HEADER = (
    "Invoice", "Autotask item ID", "Line", "Autotask quantity", "Autotask rate", "Autotask amount", "Autotask tax",
    "Xero quantity", "Xero unit price", "Xero amount", "Xero tax", "Difference", "Note",
    "Currency",  # later columns last: earlier readers keep their positions
)


class ReportFileError(Exception):
    """A report file cannot be written there; str() is one sentence naming the file and what to do."""

    @property
    def user_message(self) -> str:
        text = str(self)
        return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def check_target(path: str | Path) -> Path:
    """The path if a file can be written there, else ReportFileError (nothing is written).

    A symbolic link is written through: its target gets the report and the link stays. Anything
    but a regular file (a folder, a device, a named pipe, a socket) is refused; it is only looked
    at (stat), never opened, so a named pipe cannot make the check wait.
    """
    p = Path(path).expanduser()
    if not str(path).strip():
        raise ReportFileError("the file name is empty; give a file to write")
    real = Path(os.path.realpath(p))
    kind = _kind(p)
    if kind == "a folder":
        raise ReportFileError(f"{p} is a folder; give a file name inside it")
    if kind:
        raise ReportFileError(f"{p} is {kind}, not a file; give a file name to write")
    parent = real.parent
    if not parent.is_dir():
        raise ReportFileError(f"cannot write {p}: the folder {p.parent if str(p.parent) else '.'} does not exist")
    if not os.access(parent, os.W_OK) or (real.exists() and not os.access(real, os.W_OK)):
        raise ReportFileError(f"cannot write {p}: permission denied; choose another file")
    return p


def _kind(p: Path) -> str:
    try:
        return not_a_file(p)
    except OSError as exc:
        raise ReportFileError(f"cannot write {p}: {exc.strerror or exc}") from None


def lines_path_for(path: str | Path) -> Path:
    """Where the line-by-line CSV goes beside the invoice CSV: report.csv -> report-lines.csv."""
    p = Path(path)
    return p.with_name(f"{p.stem}-lines{p.suffix or '.csv'}")


def invoice_record(i: ReportInvoice) -> tuple[str, ...]:
    return (
        i.number, i.company, i.invoice_date, invoice_label(i), i.autotask_total, i.xero_total,
        i.rounding_line, i.difference, "; ".join(f"{c.code} {c.amount}" for c in i.causes), ", ".join(i.unchecked),
        i.xero_number, i.xero_invoice_id, i.synced_at, i.payment, "yes" if i.voided_in_autotask else "",
        " ".join(i.explanation.split()), i.currency, i.organisation, " ".join(" | ".join(i.warnings).split()),
    )


def write_invoices_csv(path: str | Path, invoices: Sequence[ReportInvoice]) -> int:
    """One row per invoice, in the given order (the table's). Returns the number of rows."""
    return _write(path, INVOICE_HEADER, (invoice_record(i) for i in invoices))


def write_lines_csv(path: str | Path, lines: Sequence[LineRow]) -> int:
    """One row per billing item (and rounding line) beside its Xero line."""
    return _write(path, LINE_HEADER, (astuple(ln) for ln in lines))


def _write(path: str | Path, header: tuple[str, ...], records: Iterable[tuple[str, ...]]) -> int:
    target = check_target(path)
    count = 0

    def write(tmp: Path) -> None:
        nonlocal count
        with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f, lineterminator="\r\n")
            w.writerow(header)
            for rec in records:
                w.writerow(rec)
                count += 1

    atomic_write(target, write)
    return count


def atomic_write(target: Path, write: Callable[[Path], None]) -> None:
    """``write`` fills a temporary file beside ``target``, which then replaces ``target`` in one step.

    Through a symbolic link the link's target is replaced (the link stays); what is not a regular
    file is never replaced (checked again just before the rename).
    """
    target = check_target(target)
    real = Path(os.path.realpath(target))
    fd, name = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".part", dir=real.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise ReportFileError(f"cannot write {target}: nothing was written")
        os.chmod(tmp, 0o644)  # a report to hand on, not a private temporary file
        check_target(target)  # still a regular file or nothing (not swapped for a pipe meanwhile)
        os.replace(tmp, real)
    except OSError as exc:
        _discard(tmp)
        raise ReportFileError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        _discard(tmp)
        raise


def _discard(tmp: Path) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
