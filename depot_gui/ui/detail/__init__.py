"""The detail pane: one invoice's two sides line by line, the verdict, causes, history, and its actions."""
