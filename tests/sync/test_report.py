"""The accountant's reports as data and CSV, on the demo tenant after a real audit (no Qt)."""

import csv
import io
from datetime import date

import pytest

from depot_gui.sync.reports.month_end import in_period, month_end_report, period_rows
from depot_gui.sync.reports.csv_writer import ReportFileError, atomic_write, lines_path_for
from depot_gui.sync.reports.files import check_request, export_table, period_reports
from depot_gui.sync.session.session import Session

from .test_integrity import hand_made_draft, scenario

BOM = b"\xef\xbb\xbf"
HEADER = (
    "Invoice,Company,Invoice date,Status,Autotask total,Xero total,Rounding line,Difference,Causes,Not checked,"
    "Xero number,Xero invoice ID,Synced at (UTC),Payment,Voided in Autotask,Explanation,Currency,Xero organisation,Warnings\r\n"
)
# Every column but the explanation (its wording is the audit's; its start is pinned below).
INVOICE_ROWS = [
    ["INV-5001", "Acme Dental Group", "2026-11-01", "Ready", "1633.50", "1633.50", "0.00", "0.00", "", "", "", "", "", "", ""],
    ["INV-5002", "Bluegum Legal", "2026-11-01", "Mismatch", "5951.55", "1773.75", "0.00", "4177.80", "lob_access 4177.80",
     "", "", "", "", "", ""],
    ["INV-5003", "Harbour Logistics Pty Ltd", "2026-11-01", "Ready", "2970.00", "2970.00", "0.00", "0.00", "", "", "", "",
     "", "", ""],
    ["INV-5004", "Acme Dental Group", "2026-11-01", "Mismatch", "1333.75", "1196.25", "0.00", "137.50",
     "service_adjustment 137.50", "", "", "", "", "", ""],
    ["INV-5005", "Bluegum Legal", "2026-11-01", "Ready", "110.00", "110.00", "0.02", "0.02", "", "", "", "", "", "", ""],
]
EXPLANATION_STARTS = [
    "Ready to sync: the Xero invoice totals AUD 1,633.50",
    "Not synced: Autotask's total is AUD 5,951.55",
    "Ready to sync: the Xero invoice totals AUD 2,970.00",
    "Not synced: Autotask's total is AUD 1,333.75",
    "Ready to sync: Xero's rounding gives AUD 109.98",
]
LINES_CSV = (
    "Invoice,Autotask item ID,Line,Autotask quantity,Autotask rate,Autotask amount,Autotask tax,Xero quantity,"
    "Xero unit price,Xero amount,Xero tax,Difference,Note,Currency\r\n"
    "INV-5001,9001,Managed Workstations x 25,25,45.00,1125.00,112.50,25,45.00,1125.00,112.50,0.00,,AUD\r\n"
    "INV-5001,9002,Managed Servers x 2,2,180.00,360.00,36.00,2,180.00,360.00,36.00,0.00,,AUD\r\n"
    "INV-5002,9003,Managed Workstations x 12,12,45.00,540.00,54.00,12,45.00,540.00,54.00,0.00,,AUD\r\n"
    "INV-5002,9005,Project labour - office move,6.5,165.00,1072.50,107.25,6.5,165.00,1072.50,107.25,0.00,,AUD\r\n"
    "INV-5003,9006,Managed Workstations x 40,40,45.00,1800.00,180.00,40,45.00,1800.00,180.00,0.00,,AUD\r\n"
    "INV-5003,9007,Backup storage 2 TB,2,120.00,240.00,24.00,2,120.00,240.00,24.00,0.00,,AUD\r\n"
    "INV-5003,9008,After-hours call-out,3,220.00,660.00,66.00,3,220.00,660.00,66.00,0.00,,AUD\r\n"
    "INV-5004,9009,Managed Workstations x 25,25,45.00,1125.00,112.50,25,45.00,1125.00,112.50,0.00,,AUD\r\n"
    'INV-5004,9010,"Service adjustment: -3 seats, price uplift",-3,12.50,87.50,8.75,3,-12.50,-37.50,-3.75,137.50,'
    "Negative quantity: sent as 3 x -12.5,AUD\r\n"
    "INV-5005,9011,Microsoft 365 Business Premium seat 1,1,33.3333,33.33,3.33,1,33.3333,33.33,3.33,0.00,,AUD\r\n"
    "INV-5005,9012,Microsoft 365 Business Premium seat 2,1,33.3333,33.33,3.33,1,33.3333,33.33,3.33,0.00,,AUD\r\n"
    "INV-5005,9013,Microsoft 365 Business Premium seat 3,1,33.3333,33.33,3.33,1,33.3333,33.33,3.33,0.00,,AUD\r\n"
    "INV-5005,,Rounding adjustment to match the Autotask invoice total,,,,,1,0.02,0.02,0.00,,rounding line,AUD\r\n"
)
NOV_1, NOV_30 = date(2026, 11, 1), date(2026, 11, 30)


@pytest.fixture(scope="module")
def audited(tmp_path_factory, demo_scenario):
    """The demo tenant after one audit (module scope: one audit for every read-only test)."""
    data = tmp_path_factory.mktemp("report") / "data"
    with Session.open(data, demo_scenario) as s:
        s.auditor().audit()
    return data


@pytest.fixture
def store(audited):
    """The audited data directory's store, read without the sandbox (reports need no network)."""
    with Session.open(audited) as s:
        yield s.store


def test_invoice_csv_is_what_the_store_holds_with_a_bom(store, tmp_path):
    written = export_table(store, store.invoices(), tmp_path / "nov.csv")
    raw = (tmp_path / "nov.csv").read_bytes()
    assert raw.startswith(BOM + HEADER.encode())
    rows = list(csv.reader(io.StringIO(raw[len(BOM):].decode("utf-8"), newline="")))
    assert [r[:15] for r in rows[1:]] == INVOICE_ROWS
    assert [r[15][: len(s)] for r, s in zip(rows[1:], EXPLANATION_STARTS)] == EXPLANATION_STARTS
    assert {tuple(r[16:18]) for r in rows[1:]} == {("AUD", "Acme MSP Pty Ltd")}
    assert [r[18] for r in rows[1:]] == ["", "", "", "", ""]  # the demo's mapping warns of nothing
    assert [(w.path.name, w.count) for w in written] == [("nov.csv", 5), ("nov-lines.csv", 13)]


def test_lines_csv_is_pinned(store, tmp_path):
    export_table(store, store.invoices(), tmp_path / "nov.csv")
    assert (tmp_path / "nov-lines.csv").read_bytes() == BOM + LINES_CSV.encode()


def test_export_keeps_the_given_order_and_rows(store, tmp_path):
    rows = [r for r in store.invoices() if r.invoice_number in ("INV-5004", "INV-5002")][::-1]
    export_table(store, rows, tmp_path / "two.csv", tmp_path / "two-detail.csv")
    text = (tmp_path / "two.csv").read_text(encoding="utf-8-sig")
    assert [line.split(",")[0] for line in text.splitlines()[1:]] == ["INV-5004", "INV-5002"]
    lines = (tmp_path / "two-detail.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[1] for line in lines[1:]] == ["9009", "9010", "9003", "9005"]


def test_month_end_report_counts_and_mismatches(store):
    rows, undated = period_rows(store, NOV_1, NOV_30)
    r = month_end_report(store, rows, NOV_1, NOV_30, "2026-11-30 18:00 UTC", undated)
    assert [(c.label, c.invoices, c.totals) for c in r.counts] == [
        ("Ready", 3, (("AUD", "4713.50"),)), ("Synced", 0, ()), ("Mismatch", 2, (("AUD", "7285.30"),)),
        ("Conflict", 0, ()), ("Error", 0, ()),
    ]
    assert (r.total_invoices, r.totals, r.undated) == (5, (("AUD", "11998.80"),), 0)
    assert [(i.number, [(c.code, c.amount) for c in i.causes]) for i in r.attention] == [
        ("INV-5002", [("lob_access", "4177.80")]), ("INV-5004", [("service_adjustment", "137.50")]),
    ]
    assert r.attention[0].causes[0].title == "The Autotask API user cannot see every line of business"
    assert r.synced == () and [i.number for i in r.ready] == ["INV-5001", "INV-5003", "INV-5005"]


def test_period_is_on_invoice_date(store):
    assert period_rows(store, date(2026, 11, 2), None) == ([], 0)
    assert len(period_rows(store, None, NOV_1)[0]) == 5
    row = store.invoices()[0]
    assert in_period(row, NOV_1, NOV_1) and not in_period(row, date(2026, 10, 1), date(2026, 10, 31))


def test_conflict_is_counted_and_listed_with_its_explanation(tmp_path):
    with Session.open(tmp_path / "d", scenario(tmp_path, hand_made_draft)) as s:
        s.auditor().audit(["INV-5001"])
        rows, _ = period_rows(s.store, NOV_1, None)
        r = month_end_report(s.store, rows, NOV_1, None, "now")
    assert [(c.status, c.invoices) for c in r.counts if c.invoices] == [("conflict", 1)]
    [conflict] = r.attention
    assert (conflict.number, conflict.status, conflict.causes) == ("INV-5001", "conflict", ())
    assert conflict.verdict.startswith("Not synced: Xero already has draft invoice INV-5001 for Walk-in Customer")


def test_an_unchecked_check_is_said_in_the_csv_and_the_report(tmp_path):
    sc = scenario(tmp_path, lambda d: d.setdefault("faults", []).append(
        {"api": "autotask", "path": "OrganizationalLevelAssociations/query", "kind": "status", "status": 500, "nth": 1}))
    with Session.open(tmp_path / "d", sc) as s:
        s.auditor().audit(["INV-5002"])
        export_table(s.store, s.store.invoices(), tmp_path / "out.csv")
        rows, _ = period_rows(s.store, NOV_1, None)
        [mismatch] = month_end_report(s.store, rows, NOV_1, None, "now").attention
    [row] = list(csv.reader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8-sig"))))[1:]
    assert (row[0], row[3], row[8], row[9]) == ("INV-5002", "Mismatch", "unknown 4177.80", "lob_access")
    assert mismatch.unchecked == ("lob_access",)


def test_synced_invoice_has_its_xero_number_and_no_payment_state_yet(tmp_path, demo_scenario):
    with Session.open(tmp_path / "d", demo_scenario) as s:
        [outcome] = s.syncer().sync(["INV-5005"])
        assert outcome.ok
        period_reports(s.store, NOV_1, NOV_30, csv=str(tmp_path / "out.csv"))
        rows, _ = period_rows(s.store, NOV_1, NOV_30)
        r = month_end_report(s.store, rows, NOV_1, NOV_30, "now")
        xero_id = s.store.invoice_by_number("INV-5005").xero_invoice_id
    [synced] = r.synced
    assert (synced.number, synced.xero_number, synced.payment, synced.xero_total) == ("INV-5005", "INV-5005", "—", "110.00")
    [line] = [x for x in (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines() if x.startswith("INV-5005")]
    assert line.split(",")[3:14] == ["Synced", "110.00", "110.00", "0.02", "0.02", "", "", "INV-5005", xero_id,
                                     line.split(",")[12], "—"]
    assert line.split(",")[12].startswith("20") and line.split(",")[12].endswith("+00:00")


def test_payment_states_as_payments_back_read_them(tmp_path, demo_scenario):
    with Session.open(tmp_path / "d", demo_scenario) as s:
        s.set_setting("xero_status", "authorised")  # Xero takes payments only on approved invoices
        s.sandbox.mutate_autotask("Invoices", 5005, {"dueDate": "2099-12-15T00:00:00"})  # never overdue
        for number in ("INV-5001", "INV-5005"):
            assert s.syncer().sync([number])[0].ok
        s.sandbox.pay_invoice("INV-5001", on="2026-11-18")
        s.sandbox.pay_invoice("INV-5005", "50.00")
        s.payments().run()
        rows, _ = period_rows(s.store, NOV_1, NOV_30)
        r = month_end_report(s.store, rows, NOV_1, NOV_30, "now")
        export_table(s.store, rows, tmp_path / "out.csv")
    assert [(i.number, i.payment) for i in r.synced] == [("INV-5001", "Paid"), ("INV-5005", "Part paid")]
    got = list(csv.reader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8-sig"))))
    assert [(row[0], row[3], row[13]) for row in got[1:]] == [
        ("INV-5001", "Synced", "Paid"), ("INV-5005", "Synced", "Part paid"),
    ]


@pytest.mark.parametrize(
    ("since", "until", "csv_name", "pdf_name", "message"),
    [
        (NOV_30, NOV_1, "a.csv", None, "--since 2026-11-30 is after --until 2026-11-01; swap them"),
        (NOV_1, None, None, None, "nothing to write; give --csv FILE, --pdf FILE or both"),
        (NOV_1, None, "missing/a.csv", None, "the folder"),
        (NOV_1, None, "a.csv", "a-lines.csv", "two of the report files have the same name; give each its own"),
    ],
)
def test_bad_requests_are_refused_before_anything_is_written(tmp_path, since, until, csv_name, pdf_name, message):
    with pytest.raises(ReportFileError) as exc:
        check_request(since, until, csv_name and str(tmp_path / csv_name), None, pdf_name and str(tmp_path / pdf_name))
    assert message in str(exc.value)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_neither_file_nor_temporary(tmp_path):
    (tmp_path / "keep.csv").write_text("old")

    def boom(path):
        path.write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(ReportFileError, match="No space left on device"):
        atomic_write(tmp_path / "keep.csv", boom)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.csv"] and (tmp_path / "keep.csv").read_text() == "old"
    assert lines_path_for(tmp_path / "nov.csv").name == "nov-lines.csv"
