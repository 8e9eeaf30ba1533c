"""Invoices: audit, write to Xero (one and batched), look-up and reconcile, link, pending items."""
