"""Issue 24's settings: status on creation, numbering and its prefix, the Autotask PDF, sending from Xero."""

from __future__ import annotations

import pytest

from depot_gui.cli.commands import main
from depot_gui.core.settings import SettingError, Settings


def test_defaults():
    s = Settings().shown()
    assert {k: s[k] for k in ("xero_status", "numbering", "number_prefix", "attach_autotask_pdf",
                              "send_from_xero")} == {
        "xero_status": "draft", "numbering": "autotask", "number_prefix": "", "attach_autotask_pdf": "off",
        "send_from_xero": "off"}


@pytest.mark.parametrize("text, stored", [
    ("draft", "DRAFT"), ("awaiting_approval", "SUBMITTED"), ("Awaiting approval", "SUBMITTED"),
    ("submitted", "SUBMITTED"), ("approved", "AUTHORISED"), ("authorised", "AUTHORISED"), ("AUTHORISED", "AUTHORISED"),
    ("authorized", "AUTHORISED")])
def test_status_on_creation_words(text, stored):
    assert Settings().with_value("xero_status", text).xero_status == stored


def test_status_refusal_is_one_sentence():
    with pytest.raises(SettingError) as bad:
        Settings().with_value("xero_status", "paid")
    assert str(bad.value) == ("'paid' must be one of: draft, awaiting_approval (Xero: submitted), approved "
                              "(Xero: authorised)")


def test_numbering_prefix_and_send():
    s = Settings().with_value("number_prefix", "AT-").with_value("numbering", "autotask_prefix")
    s = s.with_value("attach_autotask_pdf", "on").with_value("send_from_xero", "mark_sent")
    assert (s.numbering, s.number_prefix, s.attach_autotask_pdf, s.send_from_xero) == (
        "AUTOTASK_PREFIX", "AT-", True, "MARK_SENT")
    assert s.conflict(["numbering"]) is None
    with pytest.raises(SettingError) as bad:
        Settings().with_value("number_prefix", "A B")
    assert str(bad.value) == "'A B' is not a number prefix (up to 10 characters without spaces, like AT-)"
    with pytest.raises(SettingError) as bad:
        Settings().with_value("send_from_xero", "fax")
    assert str(bad.value) == "'fax' must be one of: off, email, mark_sent"


def run(capsys, *args):
    capsys.readouterr()
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_sets_them_and_refuses_in_one_line(tmp_path, capsys):
    base = ("--data-dir", tmp_path / "d")
    code, _, err = run(capsys, *base, "settings", "set", "numbering", "autotask_prefix")
    assert (code, err) == (2, "depot-sync: numbering: autotask_prefix needs a prefix: set number_prefix first "
                              "(like AT-)\n")
    assert run(capsys, *base, "settings", "set", "number_prefix", "AT-")[0] == 0
    assert run(capsys, *base, "settings", "set", "numbering", "autotask_prefix")[0] == 0
    code, _, err = run(capsys, *base, "settings", "set", "number_prefix", "")
    assert (code, err) == (2, "depot-sync: number_prefix: numbering is autotask_prefix, which needs a prefix: set "
                              "numbering to autotask first to go without one\n")
    assert run(capsys, *base, "settings", "set", "xero_status", "awaiting_approval")[0] == 0
    assert run(capsys, *base, "settings", "set", "attach_autotask_pdf", "on")[0] == 0
    code, out, _ = run(capsys, *base, "settings", "set", "send_from_xero", "email")
    shown = dict(line.split(" = ", 1) for line in out.splitlines())
    assert {k: shown[k] for k in ("xero_status", "numbering", "number_prefix", "attach_autotask_pdf",
                                  "send_from_xero")} == {
        "xero_status": "awaiting_approval", "numbering": "autotask_prefix", "number_prefix": "AT-",
        "attach_autotask_pdf": "on", "send_from_xero": "email"}
    code, _, err = run(capsys, *base, "settings", "set", "xero_status", "paid")
    assert (code, err) == (2, "depot-sync: xero_status: 'paid' must be one of: draft, awaiting_approval (Xero: "
                              "submitted), approved (Xero: authorised)\n")
