"""A table model over backup manifests, as returned by `Repository.list_backups()`.

Each row is one backup.  The display role gives readable text; `SORT_ROLE` gives raw values
(numbers stay numbers) so that a `QSortFilterProxyModel` with `setSortRole(SORT_ROLE)` sorts
rows, tables and sizes numerically; `MANIFEST_ROLE` gives the whole manifest dict of a row, which
survives any proxy in between.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.core.jobs import human_size
from app.gui.i18n import QT_TR_NOOP, number, tr, tr_value

SORT_ROLE = Qt.ItemDataRole.UserRole
MANIFEST_ROLE = Qt.ItemDataRole.UserRole + 1

COLUMNS = (QT_TR_NOOP("ID"), QT_TR_NOOP("Finished (UTC)"), QT_TR_NOOP("Type"), QT_TR_NOOP("Server"),
           QT_TR_NOOP("Databases"), QT_TR_NOOP("Tables"), QT_TR_NOOP("Rows"), QT_TR_NOOP("Size"))
ID, FINISHED, TYPE, SERVER, DATABASES, TABLES, ROWS, SIZE = range(len(COLUMNS))
NUMERIC_COLUMNS = frozenset({TABLES, ROWS, SIZE})
# Backup types as manifests store them.
TYPE_TEXT = {"full": QT_TR_NOOP("full"), "differential": QT_TR_NOOP("differential"),
             "incremental": QT_TR_NOOP("incremental")}

_Index = QModelIndex | QPersistentModelIndex


class Manifest(dict[str, Any]):
    """A manifest dict that Qt hands back as the same Python object.

    PySide converts a plain `dict` returned from `data()` into a QVariantMap, so a proxy would give
    back a deep copy on every call; a subclass travels as an opaque Python object instead.
    """


def finished_text(stamp: str) -> str:
    """`2024-05-01T10:22:03Z` -> `2024-05-01 10:22:03` (the column header says UTC)."""
    return stamp.replace("T", " ").removesuffix("Z")


def server_text(url: str) -> str:
    """`mysql://backup@db1:3306` -> `backup@db1:3306`: the scheme is always the same."""
    return url.split("://", 1)[1] if "://" in url else url


def all_tables(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Every table entry of a manifest, across its databases."""
    return [t for d in manifest.get("databases", []) for t in d.get("tables", [])]


def summary(manifest: dict[str, Any]) -> dict[int, Any]:
    """The raw value of each column for one manifest, keyed by column number."""
    tables = all_tables(manifest)
    server = manifest.get("server") or {}
    return {
        ID: str(manifest.get("id", "")),
        FINISHED: str(manifest.get("finished", "")),
        TYPE: str(manifest.get("type", "")),
        SERVER: str(server.get("url", "")),
        DATABASES: ", ".join(str(d.get("name", "")) for d in manifest.get("databases", [])),
        TABLES: len(tables),
        ROWS: sum(int(t.get("rows", 0)) for t in tables),
        SIZE: sum(int(t.get("bytes", 0)) for t in tables),
    }


class BackupTableModel(QAbstractTableModel):
    """Read-only rows of backups; call `set_backups` to replace them all."""

    def __init__(self, backups: list[dict[str, Any]] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._backups: list[dict[str, Any]] = []
        self._rows: list[dict[int, Any]] = []
        self.set_backups(backups or [])

    def set_backups(self, backups: list[dict[str, Any]]) -> None:
        """Show these manifests instead of the current ones."""
        self.beginResetModel()
        self._backups = [Manifest(m) for m in backups]
        self._rows = [summary(m) for m in self._backups]
        self.endResetModel()

    def manifest(self, row: int) -> dict[str, Any]:
        """The manifest shown in `row` (a row of this model, not of a proxy)."""
        return self._backups[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        """Number of backups (a table has no children)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        """Number of columns, see `COLUMNS`."""
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Column titles; numeric column titles are right-aligned like their cells."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return tr(COLUMNS[section])
        if role == Qt.ItemDataRole.TextAlignmentRole and section in NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Display text, raw sort values, the manifest, alignment and tooltips."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        values = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(values, column)
        if role == SORT_ROLE:
            return values[column]
        if role == MANIFEST_ROLE:
            return self._backups[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if column in NUMERIC_COLUMNS else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == ID:
                return values[ID]
            if column == SIZE:
                return tr("%n byte(s) of SQL", "", values[SIZE])
            if column in (SERVER, DATABASES):
                return values[column]
        return None

    @staticmethod
    def _display(values: dict[int, Any], column: int) -> str:
        value = values[column]
        if column == ID:
            return str(value)[:8]
        if column == FINISHED:
            return finished_text(str(value))
        if column == SIZE:
            return human_size(value)
        if column == SERVER:
            return server_text(str(value))
        if column in (TABLES, ROWS):
            return number(value)
        if column == TYPE:
            return tr_value(TYPE_TEXT, str(value))
        return str(value)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Selectable, never editable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def manifest_at(model: QAbstractItemModel, row: int) -> dict[str, Any] | None:
    """The manifest of a row of `model`, which may be a proxy over a `BackupTableModel`."""
    value = model.data(model.index(row, 0), MANIFEST_ROLE)
    return value if isinstance(value, dict) else None
