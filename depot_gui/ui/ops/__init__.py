"""The window's work off the UI thread: operations, the one-at-a-time queue, workers, GUI-thread garbage collection."""
