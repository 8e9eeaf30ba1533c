"""Mapping: account, tax and tracking overrides and the wizard's mapping persistence."""
