"""`depot-sync report`: the files it writes, its exit codes and its one-line errors (no network)."""

import pytest

from depot_gui.cli.commands import main as cli


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, demo_scenario):
    d = tmp_path_factory.mktemp("cli-report") / "data"
    assert cli(["--data-dir", str(d), "--sandbox", str(demo_scenario), "audit"]) == 0
    return d


def test_csv_pair_from_the_local_store(data_dir, tmp_path, capsys):
    capsys.readouterr()
    out = tmp_path / "nov.csv"
    code = cli(["--data-dir", str(data_dir), "report", "--since", "2026-11-01", "--until", "2026-11-30", "--csv", str(out)])
    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Wrote {out} (invoices: 5)", f"Wrote {tmp_path / 'nov-lines.csv'} (lines: 13)",
    ]
    assert out.read_bytes()[:3] == b"\xef\xbb\xbf"
    assert out.read_bytes().count(b"\r\n") == 6  # header + 5 invoices


def test_the_period_filters_on_invoice_date(data_dir, tmp_path, capsys):
    capsys.readouterr()
    code = cli(["--data-dir", str(data_dir), "report", "--since", "2026-12-01", "--csv", str(tmp_path / "dec.csv"),
                "--lines-csv", str(tmp_path / "dec-detail.csv")])
    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Wrote {tmp_path / 'dec.csv'} (invoices: 0)", f"Wrote {tmp_path / 'dec-detail.csv'} (lines: 0)",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-13-01", "--csv", "{t}/a.csv"],
         "depot-sync report: argument --since: '2026-13-01' is not a date like 2026-11-01 (see depot-sync --help)"),
        (["--csv", "{t}/a.csv"], "depot-sync report: the following arguments are required: --since (see depot-sync --help)"),
        (["--since", "2026-11-01"], "depot-sync report: nothing to write; give --csv FILE, --pdf FILE or both"),
        (["--since", "2026-11-30", "--until", "2026-11-01", "--pdf", "{t}/a.pdf"],
         "depot-sync report: --since 2026-11-30 is after --until 2026-11-01; swap them"),
        (["--since", "2026-11-01", "--csv", "{t}/no/such/a.csv"],
         "depot-sync report: cannot write {t}/no/such/a.csv: the folder {t}/no/such does not exist"),
        (["--since", "2026-11-01", "--pdf", "{t}"], "depot-sync report: {t} is a folder; give a file name inside it"),
        (["--since", "2026-11-01", "--lines-csv", "{t}/l.csv", "--pdf", "{t}/a.pdf"],
         "depot-sync report: --lines-csv goes with --csv FILE (the invoices it details)"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(data_dir, tmp_path, capsys, args, message):
    capsys.readouterr()
    argv = ["--data-dir", str(data_dir), "report", *(a.replace("{t}", str(tmp_path)) for a in args)]
    assert cli(argv) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [message.replace("{t}", str(tmp_path))]
    assert captured.out == "" and list(tmp_path.iterdir()) == []
