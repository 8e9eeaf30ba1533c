"""Shared fixtures: offscreen Qt, in-memory keyring, temp data dirs, the demo scenario."""

import gc
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


def _temp_in_memory() -> None:
    """Temporary folders (tmp_path and the like) in memory when Linux offers it and TMPDIR is not set.

    Thousands of tests each make a database and a sandbox state; on a disk every SQLite commit waits
    for an fsync (1.6 ms against 0.06 ms on this project's 2-core test machine). Only with 1 GB free:
    a container's /dev/shm may be 64 MB.
    """
    import tempfile

    shm = "/dev/shm"
    if "TMPDIR" in os.environ or not os.path.isdir(shm) or not os.access(shm, os.W_OK | os.X_OK):
        return
    st = os.statvfs(shm)
    if st.f_bavail * st.f_frsize >= 1 << 30:
        tempfile.tempdir = shm


_temp_in_memory()

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "tests" / "scenarios"
# Everything the tests read lives in the repository, so a plain clone runs them all (tests/test_plain_clone.py).
# The contract's five-invoice demo (the packaged demo, depot_gui/sandbox/scenarios/demo.json, is the
# same tenant plus one customer invoiced in NZD: tests/currency/test_packaged_demo.py pins that).
DEMO_PATH = SCENARIOS / "demo.json"
PACKAGED_DEMO_PATH = REPO / "depot_gui" / "sandbox" / "scenarios" / "demo.json"
XERO_SPEC_PATH = REPO / "tests" / "data" / "xero" / "xero_accounting.yaml"


_GC_WAS_ON = pytest.StashKey[bool]()  # whether the cyclic collector ran before collecting


def pytest_collection(session) -> None:
    """No cyclic collection while the tests are collected: each worker builds and drops thousands of syntax
    trees, and every full pass would walk the whole heap again (measured: about 1 s of a worker's 4.5 s)."""
    session.config.stash[_GC_WAS_ON] = gc.isenabled()
    gc.disable()


def pytest_collection_finish(session) -> None:
    """What collecting loaded (modules, tests, plugins) lives as long as the run: it is frozen, so that no
    later full pass walks it again (about 170 ms a pass, 20 passes a worker, before)."""
    gc.collect()
    gc.freeze()
    if session.config.stash.get(_GC_WAS_ON, True):
        gc.enable()


def pytest_collection_modifyitems(config, items) -> None:
    """The long tests (``@pytest.mark.slow``: 1.5-8 s each, waiting on child processes, timeouts, windows)
    begin each worker's share: xdist gives each worker a run of consecutive tests, so each run starts
    with its part of the long ones, and none is left for the end, when the other workers have finished."""
    workers = getattr(config, "workerinput", {}).get("workercount", 1)  # in an xdist worker: how many there are
    if not isinstance(workers, int) or workers < 2:
        return
    slow = [item for item in items if item.get_closest_marker("slow") is not None]
    rest = [item for item in items if item.get_closest_marker("slow") is None]
    share = -(-len(rest) // workers)
    items[:] = [i for w in range(workers) for i in (*slow[w::workers], *rest[w * share:(w + 1) * share])]


@pytest.fixture(scope="session")
def demo_scenario() -> Path:
    return DEMO_PATH


@pytest.fixture(scope="session")
def xero_spec() -> dict:
    """Xero's official Accounting API OpenAPI spec (tests/data/xero), parsed once per session."""
    import yaml

    with open(XERO_SPEC_PATH, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@pytest.fixture(scope="session")
def qapp(qapp):
    """pytest-qt's application, with cyclic garbage collected on the GUI thread only, as in the app.

    Otherwise a pool thread (wizard checks, syncs) may collect a closed window still in a cycle and
    destroy it off the GUI thread: a segfault that depends on when the collector happens to run.
    """
    from depot_gui.ui.ops.garbage import install_gui_gc

    install_gui_gc(qapp)  # and never switched back: pool threads may outlive the last test
    return qapp


@pytest.fixture(autouse=True)
def gui_thread_gc():
    """After each test, the main thread collects what is due (tests that spin no event loop run no timer)."""
    yield
    garbage = sys.modules.get("depot_gui.ui.ops.garbage")  # not imported: no Qt in this run, nothing to do
    collector = garbage.gui_gc() if garbage is not None else None
    if collector is not None:
        collector.check()


@pytest.fixture(autouse=True)
def no_publisher(monkeypatch, tmp_path_factory):
    """No build-time Xero client id unless a test sets one (a developer's env or build stays out)."""
    from depot_gui.store import publisher

    monkeypatch.delenv(publisher.ENV_CLIENT_ID, raising=False)
    missing = tmp_path_factory.mktemp("publisher") / publisher.PUBLISHER_FILE
    monkeypatch.setattr(publisher, "publisher_file", lambda: missing)
    return missing


@pytest.fixture(autouse=True)
def memory_keyring():
    """Every test gets a fresh in-memory keyring; nothing touches the OS keyring."""
    import keyring
    import keyring.backend
    import keyring.errors

    class MemoryKeyring(keyring.backend.KeyringBackend):
        priority = 1

        def __init__(self):
            super().__init__()
            self.data = {}

        def get_password(self, service, username):
            return self.data.get((service, username))

        def set_password(self, service, username, password):
            self.data[(service, username)] = password

        def delete_password(self, service, username):
            try:
                del self.data[(service, username)]
            except KeyError:
                raise keyring.errors.PasswordDeleteError(username) from None

    old = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(old)
