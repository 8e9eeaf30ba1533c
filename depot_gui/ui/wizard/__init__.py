"""The first-run setup wizard (Autotask, lines of business, Xero, mapping, summary)."""

from depot_gui.ui.wizard.wizard import SetupWizard, make_flow, run_setup_wizard

__all__ = ["SetupWizard", "make_flow", "run_setup_wizard"]
