"""Sandbox: a faithful Autotask + Xero + Xero identity simulator loaded from a scenario file."""

from .http import Response
from .sandbox import DEFAULT_OPTIONS, Sandbox
from .scenario import ScenarioError, load_scenario
from .serve import serve_forever

__all__ = ["DEFAULT_OPTIONS", "Response", "Sandbox", "ScenarioError", "load_scenario", "serve_forever"]
