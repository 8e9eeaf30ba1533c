"""Sandbox: a faithful Autotask + Xero + Xero identity simulator loaded from a scenario file."""

from .http import Response
from .sandbox import DEFAULT_OPTIONS, Sandbox
from .scenario import ScenarioError, load_scenario
from .serve import serve_forever
from .state import StateDamaged

__all__ = ["DEFAULT_OPTIONS", "Response", "Sandbox", "ScenarioError", "StateDamaged", "load_scenario", "serve_forever"]
