"""Payments back: Xero payments read back to Autotask."""
