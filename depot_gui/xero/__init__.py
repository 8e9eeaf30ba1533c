"""xero layer (see docs/ARCHITECTURE.md)."""
