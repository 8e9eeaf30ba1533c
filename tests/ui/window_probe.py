"""Run as a script under the offscreen platform with a screen config: report how the window fits."""

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


def main() -> None:
    from depot_gui.app import demo_scenario, make_app
    from depot_gui.sync.session.session import Session
    from depot_gui.ui.window.main_window import MainWindow
    from depot_gui.ui.wizard.wizard import SetupWizard, make_flow

    app = make_app([sys.argv[0]])
    session = Session.open(Path(tempfile.mkdtemp(prefix="depot-probe-")), demo_scenario())
    win = MainWindow(session)
    win.show()
    from depot_gui.ui.dialogs.settings import SettingsDialog

    wizard = SetupWizard(make_flow(session), parent=win)
    wizard.show()
    settings = SettingsDialog(session, "Demo sandbox", win)
    settings.show()
    out = {}

    def report() -> None:
        screen = app.primaryScreen()
        avail = screen.availableGeometry()
        for name, w in (("window", win), ("wizard", wizard), ("settings", settings)):
            frame, hint = w.frameGeometry(), w.minimumSizeHint()
            out[name] = {
                "inside": avail.contains(frame),
                "size": [w.width(), w.height()],
                "min_fits": hint.width() <= avail.width() and hint.height() <= avail.height(),
            }
        out["dpr"] = screen.devicePixelRatio()
        out["screen"] = [avail.width(), avail.height()]
        settings.close()
        wizard.close()
        win.close()
        app.quit()

    QTimer.singleShot(500, report)
    app.exec()
    session.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
