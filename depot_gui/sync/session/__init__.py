"""The session: data dir, store, settings and connections; the only place that picks real services or the sandbox."""
