"""Lines of business: whether the Autotask API user sees them all (cause 1 of a mismatch)."""
