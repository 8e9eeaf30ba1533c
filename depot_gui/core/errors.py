"""The shape every error from a remote service takes: a sentence for people, details for support."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class: ``user_message`` says what went wrong and what to do; never a secret."""

    default_message = "The service returned an error: try again, and report it if it keeps happening."

    def __init__(self, user_message: str | None = None, *, status: int | None = None, detail: str = "") -> None:
        self.user_message = user_message or self.default_message
        self.status = status
        self.detail = detail
        super().__init__(self.user_message)

    def __str__(self) -> str:
        if self.detail and self.detail not in self.user_message:
            return f"{self.user_message} [{self.detail}]"
        return self.user_message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r}, status={self.status!r})"


LOOPBACK_HOSTS = ("localhost", "::1")


def unreachable_advice(host: str) -> str:
    """What to do when ``host`` gave no answer: the network for a remote service; for this computer (a
    sandbox: the demo's, or `depot-sync sandbox serve`), the program that serves it."""
    if host.lower() in LOOPBACK_HOSTS or host.startswith("127."):
        return "It is a sandbox on this computer: start the sandbox again (the demo: restart Depot GUI)."
    return "Check the internet connection or proxy."
