"""autotask layer (see docs/ARCHITECTURE.md)."""
