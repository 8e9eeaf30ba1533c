"""sync.side_by_side: independent calls overlap up to the width, answers keep the items' order."""

from __future__ import annotations

import threading
import time

import pytest

from depot_gui.sync.side_by_side import side_by_side


def test_at_most_three_at_once_and_answers_in_order():
    active, peak, lock = [0], [0], threading.Lock()

    def call(i):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05 * (7 - i))  # later items finish first
        with lock:
            active[0] -= 1
        return i * 10

    assert side_by_side(call, range(7)) == [0, 10, 20, 30, 40, 50, 60]
    assert peak[0] == 3


def test_the_first_failure_in_order_is_raised_after_every_call_ended():
    ended = []

    def call(i):
        time.sleep(0.05 if i == 1 else 0.01)
        ended.append(i)
        if i in (1, 3):
            raise ValueError(f"item {i}")
        return i

    with pytest.raises(ValueError, match="item 1"):
        side_by_side(call, range(5))
    assert sorted(ended) == [0, 1, 2, 3, 4]


def test_width_one_runs_in_the_callers_thread():
    threads = side_by_side(lambda _: threading.current_thread(), range(3), width=1)
    assert threads == [threading.current_thread()] * 3


def test_the_callers_progress_and_cancel_token_reach_the_helper_threads():
    from depot_gui.sync.cancel import CancelToken
    from depot_gui.sync.session.connections import WaitRelay

    relay, heard, cancel = WaitRelay(), [], CancelToken()
    with relay.listening(lambda message, seconds: heard.append((message, seconds)), cancel):
        side_by_side(lambda i: relay(f"waiting {i}", 1.0), range(4), context=relay.carry())
    assert sorted(heard) == [("waiting 0", 1.0), ("waiting 1", 1.0), ("waiting 2", 1.0), ("waiting 3", 1.0)]
    side_by_side(lambda i: relay(f"nobody listens {i}", 1.0), range(2), context=relay.carry())
    assert len(heard) == 4


def test_beside_runs_while_the_caller_works_and_hands_over_its_answer_or_failure():
    from depot_gui.sync.side_by_side import beside

    started = time.monotonic()
    with beside(lambda: (time.sleep(0.5), "looked up")[1]) as answer:
        time.sleep(0.5)  # the caller's own work meanwhile
    assert answer() == "looked up"
    assert time.monotonic() - started < 0.9  # side by side, not one after the other (1.0 s)
    with beside(lambda: 1 / 0) as failing:
        pass
    with pytest.raises(ZeroDivisionError):
        failing()
    ended = []
    with pytest.raises(KeyError):  # the block's own failure is told; the helper still ended first
        with beside(lambda: (time.sleep(0.3), ended.append("helper"), 1 / 0)):
            raise KeyError("block")
    assert ended == ["helper"]
