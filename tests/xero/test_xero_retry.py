"""Retry waits: a Retry-After date is read against Xero's clock; the back-off jitter is random and small."""

from __future__ import annotations

from xero_stubs import make_client, reply, sequence

from depot_gui.autotask import client as autotask_client
from depot_gui.xero import client as xero_client


def test_a_retry_after_date_is_read_against_xeros_own_clock():
    # Xero's Date says 12:00:00 (xero_stubs.DATE); this machine's clock is years later
    client = make_client(sequence(reply(429, {}, {"Retry-After": "Fri, 31 May 2024 12:00:07 GMT"}),
                                  reply(body={"Accounts": []})))
    assert client.accounts() == []
    assert client.sleeps == [7.0]


def test_the_back_off_jitter_is_random_and_at_most_a_quarter_of_the_delay():
    for jitter in (xero_client.random_jitter, autotask_client.random_jitter):
        values = {jitter(8.0) for _ in range(200)}
        assert len(values) > 1
        assert 0.0 <= min(values) and max(values) <= 2.0
