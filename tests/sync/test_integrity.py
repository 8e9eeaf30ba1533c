"""Never write over what is not ours, never claim what was not seen (issue 9's six cases).

Every test runs the real engine, clients and store against the in-process sandbox, on a copy
of the demo tenant changed the way a desk finds it: a hand-made draft in Xero, two Autotask
invoices sharing a number, a line-of-business check that fails, and so on.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from depot_gui.cli.commands import main as cli
from depot_gui.sync.invoices.audit import NothingNamed
from depot_gui.sync.session.session import Session

DEMO = Path(__file__).resolve().parents[2] / "tests" / "scenarios" / "demo.json"  # the five-invoice demo
ACME = "9a0b1c2d-0000-4000-8000-000000000100"
OTHER = "9a0b1c2d-0000-4000-8000-00000000beef"
HAND_MADE_ID = "0c1d2e3f-0000-4000-8000-00000000a001"


def scenario(tmp_path: Path, change) -> Path:
    data = json.loads(DEMO.read_text())
    change(data)
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(data))
    return path


def hand_made_draft(data: dict) -> None:
    """The bookkeeper typed INV-5001 into Xero for another contact, total 55.00."""
    data["xero"]["Contacts"].append({"ContactID": OTHER, "Name": "Walk-in Customer", "ContactStatus": "ACTIVE"})
    data["xero"]["Invoices"].append({
        "InvoiceID": HAND_MADE_ID, "Type": "ACCREC", "InvoiceNumber": "INV-5001", "Contact": {"ContactID": OTHER},
        "Date": "2026-11-02", "DueDate": "2026-11-16", "Status": "DRAFT", "Reference": "typed by hand",
        "LineAmountTypes": "Exclusive",
        "LineItems": [{"Description": "Call-out", "Quantity": 1.0, "UnitAmount": 50.0, "AccountCode": "200",
                       "TaxType": "OUTPUT"}],
    })


def second_inv_5001(data: dict) -> None:
    """Autotask invoice 5006 also carries the number INV-5001 (a renumbering, an import)."""
    entities = data["autotask"]["entities"]
    first = next(i for i in entities["Invoices"] if i["id"] == 5001)
    entities["Invoices"].append(dict(first, id=5006, companyID=101))
    for item in [b for b in entities["BillingItems"] if b["invoiceID"] == 5001]:
        entities["BillingItems"].append(dict(item, id=item["id"] + 50000, invoiceID=5006, companyID=101,
                                             lineItemID=item["id"] + 50000))


def xero_writes(session: Session) -> list[tuple[str, str]]:
    return [(r["method"], r["path"]) for r in session.sandbox.state()["requests"]
            if r["api"] == "xero" and r["method"] in ("PUT", "POST", "DELETE")]


def xero_invoice(session: Session, number: str) -> list[dict]:
    return [i for i in session.sandbox.state()["xero"]["Invoices"] if i.get("InvoiceNumber") == number]


# -- case 1: a blank name never means "all" -----------------------------------------------------

@pytest.mark.parametrize("name", ["", " ", "\t"])
def test_blank_invoice_name_is_a_usage_error_and_writes_nothing(tmp_path, capsys, name):
    data = str(tmp_path / "d")
    assert cli(["--data-dir", data, "--sandbox", str(DEMO), "sync", name]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "depot-sync sync: an invoice name is empty; name each invoice (a blank name never means all)"
    assert cli(["--data-dir", data, "--sandbox", str(DEMO), "sync", "INV-5001", name]) == 2
    assert cli(["--data-dir", data, "--sandbox", str(DEMO), "audit", name]) == 2
    capsys.readouterr()
    assert cli(["--data-dir", data, "--sandbox", str(DEMO), "sandbox", "state"]) == 0
    state = json.loads(capsys.readouterr().out)
    assert state["xero"]["Invoices"] == []
    assert [r for r in state["requests"] if r["api"] == "xero"] == []


def test_engine_and_syncer_refuse_empty_names(tmp_path):
    with Session.open(tmp_path / "d", DEMO) as s:
        with pytest.raises(NothingNamed):
            s.syncer().sync([])
        with pytest.raises(NothingNamed):
            s.auditor().audit(["INV-5001", "  "])
        assert xero_writes(s) == []


# -- case 2: a hand-made draft under the same number is not ours ----------------------------------

def test_hand_made_draft_is_a_conflict_and_is_never_overwritten(tmp_path, capsys):
    sc = scenario(tmp_path, hand_made_draft)
    data = str(tmp_path / "d")
    assert cli(["--data-dir", data, "--sandbox", str(sc), "audit", "INV-5001", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert (row["status"], row["xero_invoice_id"], row["causes"]) == ("conflict", None, [])
    assert row["explanation"].splitlines()[0] == (
        "Not synced: Xero already has draft invoice INV-5001 for Walk-in Customer, total AUD 55.00, and Depot GUI did "
        "not create it for this Autotask invoice. Depot GUI leaves that document as it is and sends nothing under "
        "this number."
    )
    assert "give it another number in Xero" in row["explanation"]
    assert "link it to this invoice" in row["explanation"]

    assert cli(["--data-dir", data, "--sandbox", str(sc), "sync", "INV-5001", "--json"]) == 1
    synced = json.loads(capsys.readouterr().out)[0]
    assert synced["status"] == "conflict"
    assert cli(["--data-dir", data, "--sandbox", str(sc), "status", "--json"]) == 0
    status = {r["invoice_number"]: r for r in json.loads(capsys.readouterr().out)}
    assert status["INV-5001"]["status"] == "conflict"
    assert cli(["--data-dir", data, "--sandbox", str(sc), "sandbox", "state"]) == 0
    state = json.loads(capsys.readouterr().out)
    [draft] = [i for i in state["xero"]["Invoices"] if i["InvoiceNumber"] == "INV-5001"]
    assert (draft["InvoiceID"], draft["Contact"]["ContactID"], draft["Total"], draft["Reference"]) == (
        HAND_MADE_ID, OTHER, 55.0, "typed by hand")
    assert [r for r in state["requests"] if r["api"] == "xero" and r["method"] != "GET"] == []


def test_conflict_is_kept_in_history(tmp_path):
    with Session.open(tmp_path / "d", scenario(tmp_path, hand_made_draft)) as s:
        s.auditor().audit(["INV-5001"])
        assert [h["status"] for h in s.store.audit_history(5001)] == ["conflict"]


def test_our_invoice_is_recognised_by_its_mark_after_the_store_is_rebuilt(tmp_path):
    data = tmp_path / "d"
    with Session.open(data, DEMO) as s:
        [outcome] = s.syncer().sync(["INV-5001"])
        assert outcome.action == "created"
        xero_id = outcome.result.xero_invoice_id
        assert xero_invoice(s, "INV-5001")[0]["Reference"] == "Autotask invoice 5001"
        db = Path(s.store.path)
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    with Session.open(data, DEMO) as s:
        assert s.store.invoices() == []
        [r] = s.auditor().audit(["INV-5001"])
        assert (r.status, r.xero_invoice_id) == ("synced", xero_id)
        [again] = s.syncer().sync(["INV-5001"])
        # ours by its mark, nothing sent; this (rebuilt) store has no record of creating it
        assert again.action == "found" and again.ok
        assert len(xero_invoice(s, "INV-5001")) == 1


def test_a_reference_edited_away_from_our_mark_makes_it_a_conflict_that_says_so(tmp_path):
    data = tmp_path / "d"
    with Session.open(data, DEMO) as s:
        [outcome] = s.syncer().sync(["INV-5001"])
        xero_id = outcome.result.xero_invoice_id
        xero = s.connections().xero  # the bookkeeper's edit in Xero, sent through a real client
        xero.update_invoice(xero_id, {"InvoiceID": xero_id, "Reference": "PO 7781"}, "edit-reference-1")
        [r] = s.auditor().audit(["INV-5001"])
        assert r.status == "conflict"
        assert ("This computer's records say Depot GUI sent this invoice there, but the document's Reference no "
                "longer starts with 'Autotask invoice 5001'") in r.explanation
        [refused] = s.syncer().sync(["INV-5001"])
        assert refused.action == "refused"
        assert xero_invoice(s, "INV-5001")[0]["Reference"] == "PO 7781"


# -- case 3: two Autotask invoices with one number ------------------------------------------------

def test_two_autotask_invoices_sharing_a_number_are_both_conflicts(tmp_path, capsys):
    sc = scenario(tmp_path, second_inv_5001)
    data = str(tmp_path / "d")
    assert cli(["--data-dir", data, "--sandbox", str(sc), "sync", "INV-5001", "--json"]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert [(r["autotask_id"], r["status"]) for r in rows] == [(5001, "conflict"), (5006, "conflict")]
    assert rows[0]["explanation"] == rows[1]["explanation"]
    assert rows[0]["explanation"].splitlines()[0] == (
        "Not synced: Autotask has 2 invoices numbered INV-5001: id 5001 (Acme Dental Group), id 5006 "
        "(Bluegum Legal). Xero takes each invoice number once, so Depot GUI cannot tell which of them should be "
        "that number in Xero, and sends none of them."
    )
    assert cli(["--data-dir", data, "--sandbox", str(sc), "sandbox", "state"]) == 0
    state = json.loads(capsys.readouterr().out)
    assert state["xero"]["Invoices"] == []


def test_shared_number_found_when_syncing_by_id_and_in_the_all_run(tmp_path):
    with Session.open(tmp_path / "d", scenario(tmp_path, second_inv_5001)) as s:
        [by_id] = s.syncer().sync(["5006"])
        assert (by_id.result.status, by_id.action) == ("conflict", "refused")
        everything = {r.autotask_id: r.status for r in s.auditor().audit()}
        assert (everything[5001], everything[5006]) == ("conflict", "conflict")
        assert xero_invoice(s, "INV-5001") == []


def test_the_second_holder_of_a_synced_number_is_a_conflict_and_the_first_stays_synced(tmp_path):
    def synced_then_second(data: dict) -> None:
        # Depot GUI synced INV-5001 (Autotask 5001) earlier; then Autotask invoice 5006 took the number too.
        data["xero"]["Invoices"].append({
            "InvoiceID": "0c1d2e3f-0000-4000-8000-00000000b001", "Type": "ACCREC", "InvoiceNumber": "INV-5001",
            "Contact": {"ContactID": ACME}, "Date": "2026-11-01", "DueDate": "2026-11-15", "Status": "AUTHORISED",
            "Reference": "Autotask invoice 5001", "LineAmountTypes": "Exclusive",
            "LineItems": [{"Description": "Managed Workstations x 25", "Quantity": 25.0, "UnitAmount": 45.0,
                           "AccountCode": "200", "TaxType": "OUTPUT"}],
        })
        second_inv_5001(data)

    with Session.open(tmp_path / "d", scenario(tmp_path, synced_then_second)) as s:
        rows = {r.autotask_id: r for r in s.auditor().audit(["INV-5001"])}
        assert (rows[5001].status, rows[5006].status) == ("synced", "conflict")
        assert rows[5001].xero_invoice_id == "0c1d2e3f-0000-4000-8000-00000000b001"
        assert rows[5006].explanation.startswith("Not synced: Autotask has 2 invoices numbered INV-5001: id 5001 "
                                                 "(Acme Dental Group), id 5006 (Bluegum Legal).")
        outcomes = {o.result.autotask_id: o.action for o in s.syncer().sync(["INV-5001"])}
        assert outcomes[5006] == "refused"
        assert len(xero_invoice(s, "INV-5001")) == 1
        assert xero_writes(s) == []


# -- case 4: a line-of-business check that fails is unchecked ------------------------------------

def test_failed_lob_check_is_unchecked_not_all_clear(tmp_path, capsys):
    sc = scenario(tmp_path, lambda d: d.setdefault("faults", []).append(
        {"api": "autotask", "path": "OrganizationalLevelAssociations/query", "kind": "status", "status": 500,
         "nth": 1}))
    assert cli(["--data-dir", str(tmp_path / "d"), "--sandbox", str(sc), "audit", "INV-5002", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["status"], row["causes"], row["unchecked"]) == ("mismatch", ["unknown"], ["lob_access"])
    assert "The API user sees every line of business" not in row["explanation"]
    assert row["explanation"].splitlines()[-1].startswith(
        "Not checked: whether the API user sees every line of business (Autotask did not answer the check: ")


@pytest.mark.parametrize("reading", ["off_empty", "off_error"])
def test_module_switched_off_reads_as_not_in_use_under_both_readings(tmp_path, reading):
    with Session.open(tmp_path / "d", DEMO) as s:
        s.sandbox.set_option("org_structure", reading)
        access = s.auditor().lob_access()
    assert (access.checked, access.in_use, access.hides_items) == (True, False, False)


# -- case 5: Restricted access to Taxes cannot hide billing items ----------------------------------

def gap_without_lob(restricted: list[str]):
    def change(data: dict) -> None:
        data["autotask"]["entities"]["OrganizationalResources"] = []  # sees every line of business
        data["autotask"]["restrictedEntities"] = restricted
        inv = next(i for i in data["autotask"]["entities"]["Invoices"] if i["id"] == 5001)
        inv["invoiceTotal"] = 1733.5  # 100.00 more than its items
    return change


def test_restricted_taxes_is_not_line_of_business_evidence(tmp_path):
    with Session.open(tmp_path / "d", scenario(tmp_path, gap_without_lob(["Taxes"]))) as s:
        [r] = s.auditor().audit(["INV-5001"])
    assert (r.status, r.cause_codes, r.unchecked) == ("mismatch", ["unknown"], ())


def test_restricted_billing_items_is_line_of_business_evidence(tmp_path):
    with Session.open(tmp_path / "d", scenario(tmp_path, gap_without_lob(["BillingItems"]))) as s:
        [r] = s.auditor().audit(["INV-5001"])
    assert r.cause_codes == ["lob_access"]
    assert "The API user's security level has only Restricted access to BillingItems (Restricted)." in (
        r.causes[0].evidence)


# -- case 6: a plain labour credit is not a combined service adjustment ---------------------------

def labour_credit(data: dict) -> None:
    """INV-5001 gets a labour credit: -2 x 50.00 whose total was discounted to -90.00."""
    entities = data["autotask"]["entities"]
    template = next(b for b in entities["BillingItems"] if b["id"] == 9002)
    entities["BillingItems"].append(dict(
        copy.deepcopy(template), id=9901, lineItemID=9901, itemName="Labour credit", description="Labour credit",
        quantity=-2.0, rate=50.0, extendedPrice=-90.0, taxDollars=-9.0, totalAmount=-99.0,
        contractServiceAdjustmentID=None))
    inv = next(i for i in entities["Invoices"] if i["id"] == 5001)
    inv["invoiceTotal"], inv["totalTaxValue"] = 1534.5, 139.5


def test_labour_credit_gap_is_unknown_with_the_line_named(tmp_path):
    with Session.open(tmp_path / "d", scenario(tmp_path, labour_credit)) as s:
        [r] = s.auditor().audit(["INV-5001"])
        assert (r.status, r.cause_codes, str(r.difference)) == ("mismatch", ["unknown"], "11.00")
        assert r.causes[0].evidence[0].startswith(
            "'Labour credit': Autotask line total AUD -90.00 is not -2 x 50.00; Xero would compute AUD -100.00. It has a "
            "negative quantity but is not a combined service adjustment")
        s.set_setting("service_adjustments", "on")
        [on] = s.auditor().audit(["INV-5001"])
        assert (on.status, on.cause_codes) == ("mismatch", ["unknown"])  # never hidden by 1 x total


def test_demo_service_adjustment_is_still_diagnosed(tmp_path):
    with Session.open(tmp_path / "d", DEMO) as s:
        [r] = s.auditor().audit(["INV-5004"])
    assert (r.status, r.cause_codes) == ("mismatch", ["service_adjustment"])


# -- linking a conflicting document: previewed, deliberate, recorded -----------------------------

def test_link_previews_without_writing_then_links_with_yes(tmp_path, capsys):
    sc = scenario(tmp_path, hand_made_draft)
    data = str(tmp_path / "d")
    assert cli(["--data-dir", data, "--sandbox", str(sc), "link", "INV-5001"]) == 0
    preview = capsys.readouterr().out.splitlines()
    assert preview == [
        "Autotask invoice INV-5001 (id 5001) for Acme Dental Group, total AUD 1,633.50.",
        "Xero draft invoice INV-5001 for Walk-in Customer, total AUD 55.00; its Reference is 'typed by hand'.",
        "Linking writes 'Autotask invoice 5001 · typed by hand' as its Reference in Xero and changes nothing else "
        "there.",
        "From then on Depot GUI treats that document as this invoice's: Re-sync compares it with Autotask and, "
        "while it is a draft, updates its lines and contact to match Autotask.",
        "Nothing was written. To link, run the same command again with --yes.",
    ]
    assert cli(["--data-dir", data, "--sandbox", str(sc), "sandbox", "state"]) == 0
    assert [r for r in json.loads(capsys.readouterr().out)["requests"] if r["method"] not in ("GET",)
            and r["api"] == "xero"] == []

    assert cli(["--data-dir", data, "--sandbox", str(sc), "link", "INV-5001", "--yes"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Linked to Xero draft invoice INV-5001 for Walk-in Customer, total AUD 55.00 after review; its Reference now "
        "starts with 'Autotask invoice 5001'.")
    with Session.open(tmp_path / "d", sc) as s:
        [doc] = xero_invoice(s, "INV-5001")
        assert (doc["InvoiceID"], doc["Reference"], doc["Total"]) == (
            HAND_MADE_ID, "Autotask invoice 5001 · typed by hand", 55.0)
        assert [(a.action, a.state) for a in s.store.attempts.all(5001)] == [("link", "linked")]
        [r] = s.auditor().audit(["INV-5001"])
        assert (r.status, r.xero_invoice_id) == ("synced", HAND_MADE_ID)


def test_link_is_refused_for_a_document_another_invoice_owns_and_for_a_shared_number(tmp_path, capsys):
    with Session.open(tmp_path / "d", scenario(tmp_path, second_inv_5001)) as s:
        from depot_gui.sync.invoices.link import Linker, LinkRefused

        with pytest.raises(LinkRefused, match="names 2 Autotask invoices"):
            Linker(s.auditor()).preview("INV-5001")
        with pytest.raises(LinkRefused, match="^Not synced: Autotask has 2 invoices numbered INV-5001"):
            Linker(s.auditor()).preview("5006")
    with Session.open(tmp_path / "e", DEMO) as s:
        from depot_gui.sync.invoices.link import Linker, LinkRefused

        with pytest.raises(LinkRefused, match="^INV-5001 has no Xero document to link: Ready to sync"):
            Linker(s.auditor()).preview("INV-5001")
        assert xero_writes(s) == []


def test_link_refuses_a_document_that_changed_since_the_preview(tmp_path):
    with Session.open(tmp_path / "d", scenario(tmp_path, hand_made_draft)) as s:
        from depot_gui.sync.invoices.link import Linker, LinkRefused

        linker = Linker(s.auditor())
        preview = linker.preview("INV-5001")
        s.connections().xero.update_invoice(HAND_MADE_ID, {"InvoiceID": HAND_MADE_ID, "Reference": "PO 12"}, "k-1")
        with pytest.raises(LinkRefused, match="changed since the preview"):
            linker.link(preview)
        assert xero_invoice(s, "INV-5001")[0]["Reference"] == "PO 12"


# -- what Xero holds is compared with what was computed -------------------------------------------

def test_a_xero_total_unlike_the_computed_one_is_said_after_the_write(tmp_path, monkeypatch):
    """If Xero ever rounded differently from our maths (here: the sandbox switched to half to even),
    the sync says so on the invoice instead of reporting a clean create."""
    from decimal import ROUND_HALF_EVEN, Decimal

    from depot_gui.sandbox.xero import lines as xero_lines

    from ..ties import write_ties

    monkeypatch.setattr(xero_lines, "cents", lambda v: v.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))
    with Session.open(tmp_path / "d", write_ties(tmp_path)) as s:
        [outcome] = s.syncer().sync(["INV-7001"])
    assert outcome.action == "created"
    assert outcome.message == (
        "Created in Xero as draft invoice INV-7001 (total AUD 101.20). Check it in Xero before approving it: Xero's "
        "total is AUD 101.20, but Depot GUI computed AUD 101.22 with Xero's rounding rules (Autotask's total is "
        "AUD 101.22).")


def test_a_matching_xero_total_adds_nothing(tmp_path):
    from ..ties import write_ties

    with Session.open(tmp_path / "d", write_ties(tmp_path)) as s:
        [outcome] = s.syncer().sync(["INV-7001"])
    assert outcome.message == "Created in Xero as draft invoice INV-7001 (total AUD 101.22)."
