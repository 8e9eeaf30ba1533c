"""Finishing the month (issue 24): what happens to a Xero invoice after the sync wrote it."""
