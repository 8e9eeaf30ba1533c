"""The client keeps under Xero's 60 calls/minute and 5 concurrent calls without needing a 429."""

import threading
import time

import httpx2

from depot_gui.xero.client import XeroClient
from depot_gui.xero.throttle import Throttle


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def ok_transport(counter):
    def handle(request):
        counter.append(request.url.path)
        return httpx2.Response(200, json={"Accounts": []})

    return httpx2.MockTransport(handle)


def test_sixty_first_call_in_a_minute_waits_for_the_window():
    clock, seen, waits = FakeClock(), [], []
    client = XeroClient(lambda: "tok", "tenant", transport=ok_transport(seen), sleep=clock.sleep,
                        on_wait=lambda m, s: waits.append((m, round(s))), throttle=Throttle(clock=clock))
    for _ in range(60):
        client.accounts()
        clock.now += 0.5
    assert waits == [] and len(seen) == 60
    client.accounts()
    assert len(seen) == 61
    assert waits == [("Xero allows 60 calls a minute; waiting", 30)]  # the first call leaves the window at t0+60


def test_at_most_five_calls_in_flight():
    inside, peak, lock = [0], [0], threading.Lock()
    release = threading.Event()

    def handle(request):
        with lock:
            inside[0] += 1
            peak[0] = max(peak[0], inside[0])
        release.wait(2)
        with lock:
            inside[0] -= 1
        return httpx2.Response(200, json={"Accounts": []})

    client = XeroClient(lambda: "tok", "tenant", transport=httpx2.MockTransport(handle))
    threads = [threading.Thread(target=client.accounts) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    assert peak[0] == 5
    release.set()
    for t in threads:
        t.join(5)
    assert peak[0] == 5


def test_calls_another_process_made_count_in_the_minute_window():
    """A sync in a process of its own: its calls of the last minute go back to the window's throttle, and
    the window's to it (the minute is the organisation's, not a process's)."""
    clock = FakeClock()
    theirs, ours = Throttle(clock=clock), Throttle(clock=clock)
    for _ in range(40):
        assert theirs.delay() == 0.0
        clock.now += 0.5  # 40 calls over 20 s
    assert theirs.recent()[:2] == [1000.0, 1000.5] and len(theirs.recent()) == 40
    ours.note([900.0, *theirs.recent()])  # one from 2 minutes ago is no longer in the window
    for _ in range(20):
        assert ours.delay() == 0.0
    assert ours.delay() == 40.0  # the 61st waits until the first of the other process's calls is a minute old
    clock.now += 45
    assert len(ours.recent()) == 49  # at 1,065: their 11 calls up to 1,005.0 have left; 29 of theirs and our 20 stay
