"""The main window: its actions and menus, remembered state, the invoice list, status bar and banner."""
