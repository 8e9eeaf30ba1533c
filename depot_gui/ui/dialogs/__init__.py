"""The window's dialogs: settings, batch confirmation, service adjustment review, repair, errors, diagnostics."""
