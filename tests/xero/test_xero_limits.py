"""Calls left today/this minute: answers to calls made side by side are noted in any order.

Xero counts a call when it answers it; an answer that reaches us later can still carry the count of
a call Xero answered earlier (more calls left). The count kept must be the latest Xero gave: the
lowest within one second of Xero's ``Date``, and a later ``Date``'s count (the limit reset) over it.
"""

from __future__ import annotations

import threading

from xero_stubs import make_client, reply

LATER = "Fri, 31 May 2024 12:00:01 GMT"
NEXT_DAY = "Sat, 01 Jun 2024 00:00:05 GMT"


def limits(day: int, minute: int, date: str | None = None) -> dict:
    headers = {"X-DayLimit-Remaining": str(day), "X-MinLimit-Remaining": str(minute)}
    return {**headers, "Date": date} if date else headers


def test_an_answer_noted_after_a_later_one_does_not_bring_back_its_higher_count():
    """Two calls side by side: Xero answers A (3 left), then B (2 left); B's answer is noted first."""
    b_noted = threading.Event()

    def handler(req):
        if req.url.path.endswith("/Accounts"):  # A: answered first by Xero, reaches us last
            assert b_noted.wait(10)
            return reply(body={"Accounts": []}, headers=limits(3, 58))
        return reply(body={"TaxRates": []}, headers=limits(2, 57))  # B

    client = make_client(handler)
    a = threading.Thread(target=client.accounts)
    a.start()
    client.tax_rates()
    b_noted.set()
    a.join(10)
    assert (client.day_remaining, client.minute_remaining) == (2, 57)


def test_a_later_answer_is_taken_even_with_more_calls_left():
    answers = iter([limits(0, 1), limits(1, 59, LATER), limits(4999, 59, NEXT_DAY), limits(5, 5, LATER)])
    client = make_client(lambda req: reply(body={"Accounts": []}, headers=next(answers)))
    client.accounts()
    assert (client.day_remaining, client.minute_remaining) == (0, 1)
    client.accounts()  # a new minute: its count is taken
    assert (client.day_remaining, client.minute_remaining) == (1, 59)
    client.accounts()  # a new day
    assert (client.day_remaining, client.minute_remaining) == (4999, 59)
    client.accounts()  # an answer from before (noted late) changes nothing
    assert (client.day_remaining, client.minute_remaining) == (4999, 59)
