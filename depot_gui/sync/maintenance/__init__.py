"""Maintenance: repair a damaged local database, forget the Xero cache."""
