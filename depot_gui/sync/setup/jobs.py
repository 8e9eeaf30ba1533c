"""Background jobs for the setup flow, and the Xero token stores they use.

Background work goes through jobs: zero-argument callables whose inputs (credentials, tokens,
tenant, saved mapping) are bound on the UI thread when the job is made, and whose result carries
the generation it was made for. ``set_autotask_input`` (and, for the mapping, a change of Xero
organisation) starts a new generation, so a result arriving after such a change is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from depot_gui.store.secrets import SecretStore
from depot_gui.xero import oauth

from depot_gui.sync.session.connections import KeyringTokenStore
from depot_gui.sync.setup.xero_step import Organisation

T = TypeVar("T")


@dataclass(frozen=True)
class Tagged(Generic[T]):
    """A job's result with the generation its inputs belonged to."""

    generation: int
    value: T


class Job(Generic[T]):
    """A zero-argument background job; its inputs were bound when it was made (on the UI thread).

    Calling it runs ``fn`` (network only: no flow state, no keyring, no store) and returns
    ``Tagged(generation, result)``.
    """

    def __init__(self, generation: int, fn: Callable[[], T]) -> None:
        self.generation = generation
        self._fn = fn

    def __repr__(self) -> str:  # the bound credentials never show
        return f"Job(generation={self.generation})"

    def __call__(self) -> Tagged[T]:
        return Tagged(self.generation, self._fn())


@dataclass(frozen=True)
class XeroSignIn:
    """What one browser sign-in produced: new tokens (kept in memory until commit) and the organisations."""

    client_id: str
    tokens: oauth.TokenSet
    organisations: list[Organisation] = field(default_factory=list)


class NewXeroTokens:
    """The tokens of a Xero sign-in made in this run, not yet committed (memory only), and the
    client id they belong to; ``tokens`` is None when there was no such sign-in."""

    def __init__(self) -> None:
        self.tokens: oauth.TokenSet | None = None
        self.client_id = ""

    def __repr__(self) -> str:  # the tokens never show
        return f"NewXeroTokens(signed_in={self.tokens is not None}, client_id={self.client_id!r})"


class FlowTokenStore:
    """The tokens a job uses, read when the job is made: the flow's new (uncommitted) tokens, else
    the saved ones. A refresh of new tokens stays in memory; a refresh of the saved connection is
    written back to the keyring (the old refresh token stops working once rotated)."""

    def __init__(self, new: NewXeroTokens, secrets: SecretStore) -> None:
        self._new = new
        self._secrets = secrets
        self._pending = new.tokens
        self._tokens = self._pending or KeyringTokenStore(secrets).load()

    def load(self) -> oauth.TokenSet | None:
        return self._tokens

    def save(self, tokens: oauth.TokenSet) -> None:
        if self._pending is None:
            KeyringTokenStore(self._secrets).save(tokens)
        elif self._new.tokens is self._pending:
            self._new.tokens = self._pending = tokens
        self._tokens = tokens

    def clear(self) -> None:
        self._tokens = None

