"""A sync's progress says which steps come before anything is sent (issue 22: a bar at 89% on "Checking totals"
read as a batch nearly sent; cancelled there, it had sent none)."""

from __future__ import annotations

from depot_gui.sync.session.session import Session


def test_the_steps_before_sending_say_nothing_is_sent_yet(tmp_path, demo_scenario):
    session = Session.open(tmp_path / "data", demo_scenario)
    try:
        said = []
        outcomes = session.syncer(lambda message, done, total: said.append((message, done, total))).sync(
            ["INV-5001", "INV-5003"])
        assert [o.result.status for o in outcomes] == ["synced", "synced"]
        first_send = next(k for k, (m, _d, _t) in enumerate(said) if m.startswith("Sending"))
        assert said[first_send] == ("Sending 2 invoices to Xero", 0, 2)
        before = said[:first_send]
        assert ("Checking totals (nothing sent yet)", 2, 2) in before
        assert before[-1] == ("Checked; sending next", 2, 2)
        assert all(m.endswith("(nothing sent yet)") for m, _d, _t in before[:-1]), before
        assert said[-1] == ("Done", 2, 2)
    finally:
        session.close()
