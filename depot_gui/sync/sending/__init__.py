"""Sending approved invoices from Xero (issue 24): Xero's invoice email, or only marked as sent."""
