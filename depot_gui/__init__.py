"""Depot GUI: Autotask PSA invoices into Xero, one at a time, totals checked."""

__version__ = "0.1.0"
APP_NAME = "Depot GUI"
APP_ID = "depot-gui"
