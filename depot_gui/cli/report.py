"""`depot-sync report --since DATE [--until DATE] [--csv FILE] [--lines-csv FILE] [--pdf FILE]` (no network)."""

from __future__ import annotations

from depot_gui.cli.common import EXIT_OK, SESSION, Command, UsageError, date_arg


def add_report_parser(sub) -> None:
    r = sub.add_parser("report", help="the accountant's files from the local records (no network): CSV and/or month-end PDF")
    r.add_argument("--since", type=date_arg, required=True, metavar="YYYY-MM-DD", help="first invoice date")
    r.add_argument("--until", type=date_arg, metavar="YYYY-MM-DD", help="last invoice date (default: no end)")
    r.add_argument("--csv", metavar="FILE", help="one row per invoice; the line-by-line CSV goes beside it (FILE-lines.csv)")
    r.add_argument("--lines-csv", metavar="FILE", help="where the line-by-line CSV goes instead")
    r.add_argument("--pdf", metavar="FILE", help="the printable month-end report")


def check_report(args) -> None:
    """The request itself (period, files) is checked before the data directory is opened."""
    from depot_gui.sync.reports.files import ReportFileError, check_request

    try:
        check_request(args.since, args.until, args.csv, args.lines_csv, args.pdf)
    except ReportFileError as exc:
        raise UsageError(f"depot-sync report: {exc}") from None


def report_command(session, args, out) -> int:
    """Write the files asked for; the PDF is printed by the CLI's one UI module, loaded only for ``--pdf``."""
    from depot_gui.sync.reports.files import ReportFileError, period_reports

    try:
        written = period_reports(session.store, args.since, args.until, csv=args.csv, lines_csv=args.lines_csv,
                                 pdf=args.pdf, pdf_writer=_pdf_writer() if args.pdf else None)
    except ReportFileError as exc:
        raise UsageError(f"depot-sync report: {exc}") from None
    for w in written:
        print(w.line(), file=out)
    return EXIT_OK


def _pdf_writer():
    from depot_gui.ui.reports.pdf import write_pdf  # the one UI module the CLI loads (lazily): Qt printing

    return write_pdf


REPORT = Command("report", add_report_parser, report_command, needs=SESSION, check=check_report)
