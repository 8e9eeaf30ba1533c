"""Sandbox: a faithful Autotask + Xero + Xero identity simulator loaded from a scenario file."""

from depot_gui.sandbox.http.messages import Response
from depot_gui.sandbox.sandbox import DEFAULT_OPTIONS, Sandbox
from depot_gui.sandbox.scenario import ScenarioError, load_scenario
from depot_gui.sandbox.http.serve_command import serve_forever
from depot_gui.sandbox.state import StateDamaged

__all__ = ["DEFAULT_OPTIONS", "Response", "Sandbox", "ScenarioError", "StateDamaged", "load_scenario", "serve_forever"]
