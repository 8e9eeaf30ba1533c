"""`depot-gui [--demo | --sandbox SCENARIO.json] [--data-dir DIR] [--version]`: the desktop window."""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from pathlib import Path

from typing import TYPE_CHECKING

import PySide6
import shiboken6
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from depot_gui.store.paths import resource_path
from depot_gui.ui.ops.garbage import install_gui_gc
from depot_gui.ui.window.appearance import apply_saved
from depot_gui.ui.window.first_paint import quit_after_first_paint
from depot_gui.ui.window.shell import Shell

if TYPE_CHECKING:  # imported after the shell has painted (issue 22: start-up)
    from depot_gui.sync.session.session import Session, SessionError

ORGANISATION = "Depot GUI"
APPLICATION = "Depot GUI"


def demo_scenario() -> Path:
    """The packaged demo scenario (five invoices, one of each kind of trouble)."""
    return Path(__file__).resolve().parent / "sandbox" / "scenarios" / "demo.json"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="depot-gui", description="Move Autotask invoices into Xero, checked.")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--demo", action="store_true", help="open on sandbox data in a temporary folder (no account needed)")
    source.add_argument("--sandbox", metavar="SCENARIO.json",
                        help="open on the built-in sandbox loaded from this scenario, like depot-sync --sandbox "
                             "(in a temporary folder unless --data-dir is given)")
    parser.add_argument("--data-dir", metavar="DIR", help="use this data directory instead of the standard one")
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="show the version and exit")
    # Packaging smoke test: quit MS ms after the window's first paint (exit 3 if it never paints, 4 if stuck),
    # optionally saving that paint as a PNG.
    parser.add_argument("--quit-after", type=int, metavar="MS", help=argparse.SUPPRESS)
    parser.add_argument("--screenshot", metavar="PNG", help=argparse.SUPPRESS)
    # Qt's own options (-style fusion, -platform xcb, -reverse…) are left for QApplication to take;
    # whatever neither takes is refused in main() as argparse would (issue 22: -style was refused).
    args, qt_args = parser.parse_known_args(argv)
    args.qt_args = qt_args
    args.refuse = parser.error
    return args


class _VersionAction(argparse.Action):
    """--version, with the version looked up only when asked (no package metadata read at start-up)."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from depot_gui import version

        print(f"depot-gui {version()}")
        parser.exit()


def make_app(argv: list[str]) -> QApplication:
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationDisplayName(APPLICATION)
    app.setWindowIcon(QIcon(str(resource_path("icons", "app.svg"))))
    return app  # type: ignore[return-value]


def ask_repair(parent, message: str) -> bool:
    from depot_gui.ui.dialogs import repair

    return repair.ask_repair(parent, message)


def run_repair(parent, data_dir, scenario):
    from depot_gui.ui.dialogs import repair

    return repair.run_repair(parent, data_dir, scenario)


def shell_title(args: argparse.Namespace) -> str:
    """The title the window will have (main_window.window_title), known before the session opens."""
    name = "demo.json" if args.demo else (Path(args.sandbox).name if args.sandbox else None)
    if name is None:
        return "Depot GUI"
    return "Demo (sandbox data)" if name == "demo.json" else f"Sandbox: {name}"


def open_session(args: argparse.Namespace) -> tuple[Session, Path | None]:
    """The session to show; a demo gets a fresh temp dir (the user's real data is never touched)."""
    from depot_gui.sync.session.session import Session, SessionError

    scenario = demo_scenario() if args.demo else (Path(args.sandbox).expanduser() if args.sandbox else None)
    if scenario is not None and not (args.sandbox and args.data_dir):
        tmp = Path(tempfile.mkdtemp(prefix="depot-gui-demo-" if args.demo else "depot-gui-sandbox-"))
        try:
            # the demo's sandbox is served by a child process, as the real services are elsewhere: its work
            # never holds the window's GIL (issue 22); the child stops with the session, or with this process
            return Session.open(tmp, scenario, served=args.demo), tmp
        except SessionError:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return Session.open(args.data_dir, scenario), None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.raiseExceptions = False  # a record that cannot be written is dropped, never a "Logging error"
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:  # the terminal gets warnings; the log file and view get all
        handler.setLevel(logging.WARNING)
    created = QApplication.instance() is None
    app = make_app([sys.argv[0], *args.qt_args])
    left = [a for a in app.arguments()[1:] if a in args.qt_args] if created else args.qt_args
    if left:
        args.refuse(f"unrecognized arguments: {' '.join(left)}")
    install_gui_gc(app)  # cyclic GC on the GUI thread only: never a Qt object destroyed on a worker
    apply_saved(app)  # View › Appearance (Light, Dark) before anything is shown
    # The window's outline is on screen before the session, httpx2, keyring and the full window are
    # imported (issue 22: first paint within 2x a bare PySide6 window).
    shell = Shell(shell_title(args))
    shell.show_and_paint(report=args.quit_after is not None)
    try:
        return _open_and_run(app, args, shell)
    finally:
        if shiboken6.isValid(shell):  # not handed over (the data could not be opened): it goes too
            shell.close()
            shell.deleteLater()


def _open_and_run(app: QApplication, args: argparse.Namespace, shell: Shell | None) -> int:
    """Open the session (repairing it if asked), then run the window until it closes for good."""
    from depot_gui.sync.session.session import Session, SessionError
    from depot_gui.ui.dialogs.errors import install_excepthook
    from depot_gui.ui.dialogs.repair import DAMAGED_TEXT, REPAIR_EXIT
    from depot_gui.ui.window.log_view import install_log_handler

    install_log_handler()
    install_excepthook()
    from depot_gui.ui.qt_compat import void_call_leaks

    if void_call_leaks():
        logging.getLogger("depot_gui").error(
            "This PySide6 (%s) loses references on every call and will crash; install PySide6 6.11.", PySide6.__version__
        )
    session, tmp = None, None
    while session is None:
        try:
            session, tmp = open_session(args)
        except SessionError as exc:
            if exc.damaged is None:
                return _cannot_open(exc)
            # The file and SQLite's words go to the log (and Help › Copy diagnostics), not into the dialog.
            logging.getLogger("depot_gui").error("%s", exc.damaged)
            if not ask_repair(None, DAMAGED_TEXT) or (
                run_repair(None, args.data_dir, None) is None
            ):
                return 2
    try:
        while True:
            code = _run_window(app, args, session, shell)
            shell = None
            if not _close(session) or code != REPAIR_EXIT:
                return code
            report = run_repair(None, session.paths.data_dir, session.scenario)
            if report is None:
                logging.getLogger("depot_gui").warning("Repair did not finish; the window reopens on the database as it is.")
            try:
                session = Session.open(session.paths.data_dir, session.scenario, served=args.demo)
            except SessionError as exc:
                return _cannot_open(exc)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def _cannot_open(exc: SessionError) -> int:
    """The data dir cannot be opened: the detail to the log, the window's wording in a dialog; exit 2."""
    logging.getLogger("depot_gui").error("cannot open the data directory: %s", exc)
    QMessageBox.critical(None, "Depot GUI", exc.user_message[:1].upper() + exc.user_message[1:])
    return 2


def _run_window(app: QApplication, args: argparse.Namespace, session: Session, shell: Shell | None) -> int:
    """Show the window over ``session`` until it closes: the exit code (REPAIR_EXIT for a repair)."""
    from depot_gui.ui.dialogs.repair import REPAIR_EXIT
    from depot_gui.ui.window.main_window import MainWindow

    window = MainWindow(session)
    app.setQuitOnLastWindowClosed(True)

    def close_for_repair() -> None:
        app.setQuitOnLastWindowClosed(False)  # no second "quit" waiting in the queue for the next window
        app.exit(REPAIR_EXIT)
        window.close()

    window.repair_requested.connect(close_for_repair)
    window.show()
    if shell is not None:
        shell.hand_over(window)
    window.start()
    if not session.is_set_up():
        QTimer.singleShot(0, window.open_setup_wizard)  # first run: the setup wizard
    if args.quit_after is not None:
        quit_after_first_paint(window, args.quit_after, args.screenshot)
    try:
        return app.exec()
    finally:
        window.deleteLater()


def _close(session: Session) -> bool:
    """Close the session once background work has finished; False when a worker is still busy."""
    from depot_gui.ui.ops.workers import wait_for_ops

    if wait_for_ops(30000):
        session.close()
        return True
    # a worker is still finishing an invoice: leave its connection open, never pull it away
    logging.getLogger("depot_gui").warning("Exited while background work was still finishing.")
    return False

if __name__ == "__main__":
    sys.exit(main())
