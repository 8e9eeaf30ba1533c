"""The log file in the data dir: a record of what was done, never a credential."""

from __future__ import annotations

import logging
import platform
import re
import sys
from logging.handlers import RotatingFileHandler

from depot_gui import APP_NAME, version

from depot_gui.store.paths import Paths

LOGGER = "depot_gui"
_SECRETS = re.compile(
    r"(?i)(bearer\s+\S+|(?:secret|password|token|code|authorization|integrationcode)[\"']?\s*[:=]\s*[\"']?[^\s\"',}]+)"
)


def redact(text: str) -> str:
    """Mask anything that looks like a credential (belt and braces: we never log them on purpose)."""
    return _SECRETS.sub(lambda m: m.group(0).split()[0].split("=")[0].split(":")[0] + " [hidden]", text)


class RedactingFormatter(logging.Formatter):
    """Formats, then masks credential-looking text, including in tracebacks."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class SafeFileHandler(RotatingFileHandler):
    """A log file that never raises and never prints "--- Logging error ---".

    Text the file cannot encode is written with backslash escapes; a record that cannot be
    written (disk full, file gone, a message whose arguments do not format) is counted in
    ``dropped`` and left out: logging must never be why a sync fails.
    """

    dropped = 0

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        self.dropped += 1


def configure_file_log(paths: Paths, level: int = logging.INFO) -> logging.Handler:
    """Log ``depot_gui.*`` to data_dir/logs/depot.log (1 MB x 4 files); idempotent per process."""
    logger = logging.getLogger(LOGGER)
    target = str(paths.logs / "depot.log")
    for h in list(logger.handlers):
        if isinstance(h, RotatingFileHandler):
            if h.baseFilename == target:
                return h
            logger.removeHandler(h)
            h.close()
    paths.ensure()
    handler = SafeFileHandler(target, maxBytes=1_000_000, backupCount=3, encoding="utf-8", errors="backslashreplace",
                              delay=True)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(level)
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > level:
        logger.setLevel(level)
    handler.handle(logger.makeRecord(LOGGER, logging.INFO, __file__, 0, start_line(), None, None))
    return handler


def start_line() -> str:
    """The first line a run writes to the log: which build is talking (the one version)."""
    kind = "installed bundle" if getattr(sys, "frozen", False) else "Python package"
    return f"{APP_NAME} {version()} started ({kind}; Python {sys.version.split()[0]}; {platform.platform()})"
