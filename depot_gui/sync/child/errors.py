"""How the sync child's failures read in the window."""

from __future__ import annotations


class ChildError(Exception):
    """The sync process failed or stopped; str() is what happened, ``user_message`` the window's wording
    ("" for an unexpected error: the window then says so in its own words, the detail is in the log)."""

    def __init__(self, message: str, user_message: str = "") -> None:
        super().__init__(message)
        self.user_message = user_message
