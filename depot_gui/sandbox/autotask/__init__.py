"""The simulated Autotask REST API: zone and credentials gate, entity metadata, query filters and pages, records."""
