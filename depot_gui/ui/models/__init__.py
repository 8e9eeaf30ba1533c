"""Qt item models over engine data (QAbstractTableModel + role-sorting proxies)."""

from PySide6.QtCore import Qt

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2
