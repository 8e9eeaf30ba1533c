"""The sandbox served on loopback by a child process, as the real services are another machine.

``ChildSandbox.start(scenario, state_dir, **options)`` starts ``python -m depot_gui.sandbox.http.child``
(or, in a frozen build, the app's own executable with ``--sandbox-child``), which opens the
sandbox, serves it on a free loopback port and prints one line: ``{"base_url": ...}`` or
``{"error": ...}``. The child then reads its standard input until end of file: when this process
closes the pipe, exits or crashes, the pipe closes and the child stops serving, writes its state
whole and exits. Nothing of the sandbox runs in this process (its CPU and its GIL are the child's).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx2

CHILD_FLAG = "--sandbox-child"  # a frozen build's executable runs ``child_main`` when given this first


class ChildFailed(Exception):
    """The child could not serve; str() is its one-line reason (a bad scenario, a damaged state...)."""


class _SharedTransport(httpx2.BaseTransport):
    """One connection pool for every client of the session; only ChildSandbox.close closes it."""

    def __init__(self) -> None:
        # Explicit: no proxy from the environment for loopback. Plain HTTP, so no TLS context with its CA
        # bundle (46 ms of CPU in every process that opens one: each sync child, each served session).
        self.inner = httpx2.HTTPTransport(verify=False)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.url.scheme != "http":  # never TLS without verification: the child speaks only plain HTTP
            raise httpx2.UnsupportedProtocol(f"the served sandbox speaks plain HTTP, not {request.url.scheme}")
        return self.inner.handle_request(request)

    def close(self) -> None:
        """A client closing does not close the pool the other clients use."""


def child_command(scenario: Path, state_dir: Path | None, options: dict) -> list[str]:
    """The command line that starts the child (the same Python, or the frozen app itself)."""
    args = ["--scenario", str(scenario), "--options", json.dumps(options)]
    if state_dir is not None:
        args += ["--state-dir", str(state_dir)]
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG, *args]
    return [sys.executable, "-m", "depot_gui.sandbox.http.child", *args]


class ChildSandbox:
    """A handle on the served sandbox: ``base_url``, ``scenario``, ``transport()``, ``close()``."""

    def __init__(self, process: subprocess.Popen | None, base_url: str, scenario_path: Path) -> None:
        self.process = process
        self.base_url = base_url
        self.root = base_url  # every service (Autotask, Xero, Xero's sign-in) under this root
        self.scenario_path = scenario_path
        self._scenario: dict | None = None
        self._transport: _SharedTransport | None = None
        self._lock = threading.Lock()

    @classmethod
    def start(cls, scenario_path: str | Path, state_dir: Path | None = None, *, timeout: float = 30.0,
              **options) -> "ChildSandbox":
        """Start the child and wait for its base URL; ChildFailed with its reason when it cannot serve."""
        scenario_path = Path(scenario_path)
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        process = subprocess.Popen(
            child_command(scenario_path, state_dir, options), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, env=env, close_fds=True,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0) | getattr(subprocess, "IDLE_PRIORITY_CLASS", 0),
        )
        line = _first_line(process, timeout)
        try:
            said = json.loads(line) if line else {}
        except ValueError:
            said = {}
        if not isinstance(said, dict) or not said.get("base_url"):
            _stop(process)
            reason = said.get("error") if isinstance(said, dict) else None
            raise ChildFailed(reason or "the sandbox process stopped before it served")
        return cls(process, str(said["base_url"]), scenario_path)

    @classmethod
    def attach(cls, base_url: str, scenario_path: str | Path) -> "ChildSandbox":
        """A handle on a sandbox another process started and serves (the window's, for its sync in a
        process of its own): closing it closes only this handle's connections."""
        return cls(None, base_url, Path(scenario_path))

    @property
    def scenario(self) -> dict:
        """The scenario as the child loaded it (read here once, when first asked)."""
        if self._scenario is None:
            from depot_gui.sandbox.scenario import load_scenario

            self._scenario = load_scenario(self.scenario_path)
        return self._scenario

    def transport(self) -> httpx2.BaseTransport:
        """Real HTTP to the child over loopback (one pool shared by the session's clients)."""
        with self._lock:
            if self._transport is None:
                self._transport = _SharedTransport()
            return self._transport

    def running(self) -> bool:
        return self.process is None or self.process.poll() is None

    def save(self) -> None:
        """The child writes its state whole when it stops: stop it."""
        self.close()

    def close(self) -> None:
        """Close the pipe (the child stops serving, saves and exits); kill it if it has not in 5 s."""
        with self._lock:
            if self._transport is not None:
                self._transport.inner.close()
                self._transport = None
        if self.process is not None:  # attached: the process that started the child stops it
            _stop(self.process)


def _first_line(process: subprocess.Popen, timeout: float) -> str:
    """The child's first line of output, or "" when it exits or says nothing within ``timeout``."""
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return got[0].decode("utf-8", "replace").strip() if got else ""


def _stop(process: subprocess.Popen) -> None:
    for stream in (process.stdin, process.stdout):
        try:
            if stream is not None:
                stream.close()
        except OSError:
            pass
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# -- the child's side ----------------------------------------------------------------------------


def _step_aside() -> None:
    """The services stand in for other machines: here they use only the CPU nobody else wants.

    Linux: SCHED_IDLE, before any thread starts (threads inherit it), so the window's thread, woken by a
    timer or a key, takes a core from the sandbox at once instead of waiting up to a time slice (issue 22:
    with another program busy on one of two cores, the window's longest stall during a 200-invoice sync was
    14-28 ms with the sandbox at nice 5, 13-15 ms with it idle). Elsewhere: nice 19, or Windows' idle class
    (``start`` above).
    """
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE"):
        try:
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
            return
        except OSError:
            pass
    if hasattr(os, "nice"):
        try:
            os.nice(19)
        except OSError:
            pass


def child_main(argv: list[str] | None = None) -> int:
    """Serve until standard input closes; the first line out says where (or why not)."""
    import argparse

    p = argparse.ArgumentParser(prog="depot_gui.sandbox.http.child")
    p.add_argument("--scenario", required=True, type=Path)
    p.add_argument("--state-dir", type=Path, default=None)
    p.add_argument("--options", default="{}")
    args = p.parse_args(argv)
    _step_aside()
    out = sys.stdout
    try:
        from depot_gui.sandbox.sandbox import Sandbox
        from depot_gui.sandbox.scenario import ScenarioError
        from depot_gui.sandbox.state import StateDamaged

        sandbox = Sandbox.open(args.scenario, args.state_dir, **json.loads(args.options))
        server = sandbox.serve("127.0.0.1", 0)
    except (ScenarioError, StateDamaged, ValueError) as exc:
        return _say(out, {"error": str(exc)}, 2)
    except OSError as exc:
        what = exc.strerror or str(exc)
        return _say(out, {"error": f"the sandbox cannot start: {what}"}, 2)
    _say(out, {"base_url": server.base_url}, 0)
    try:
        while sys.stdin.buffer.read(65536):  # until the parent closes the pipe (or exits, or crashes)
            pass
    except (OSError, KeyboardInterrupt):
        pass
    finally:
        sandbox.close()  # stops serving and writes the state whole
    return 0


def _say(out, what: dict, code: int) -> int:
    out.write(json.dumps(what) + "\n")
    out.flush()
    return code


if __name__ == "__main__":
    sys.exit(child_main())
