"""What a backup holds, as a checkable tree: databases, then their tables, with rows and sizes.

The restore wizard lets the user tick whole databases or single tables; `selection()` turns the
ticks into the engine's `RestoreOptions` fields.  A whole database brings its views, routines,
triggers and events along; a database with only some tables ticked brings those tables (and their
triggers) only, as `custode restore --tables` does.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from app.core.backup import table_name
from app.core.jobs import human_size
from app.gui.i18n import QT_TR_NOOP, number, tr

SORT_ROLE = Qt.ItemDataRole.UserRole + 10
HEADERS = (QT_TR_NOOP("Name"), QT_TR_NOOP("Rows"), QT_TR_NOOP("Size"), QT_TR_NOOP("Engine"))


def _cell(text: str, sort: Any, align_right: bool = False) -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setData(sort, SORT_ROLE)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class ContentsModel(QStandardItemModel):
    """Databases (tristate) with their tables (checkable); everything ticked to start with."""

    def __init__(self, manifest: dict[str, Any]) -> None:
        super().__init__()
        self.setHorizontalHeaderLabels([tr(header) for header in HEADERS])
        self._updating = False
        for database in manifest.get("databases", []):
            tables = database.get("tables", []) + database.get("sequences", [])
            rows = sum(int(t.get("rows", 0)) for t in tables)
            size = sum(int(t.get("bytes", 0)) for t in tables)
            extras = sum(len(database.get(k, [])) for k in ("views", "routines", "triggers", "events"))
            label = database["name"] + ("  " + tr("(+{count} views, routines, triggers, events)")
                                        .format(count=extras) if extras else "")
            top = _cell(label, database["name"])
            top.setData(database["name"], Qt.ItemDataRole.UserRole)
            top.setCheckable(True)
            top.setAutoTristate(True)
            top.setCheckState(Qt.CheckState.Checked)
            for table in tables:
                child = _cell(table["name"], table["name"])
                child.setData(table["name"], Qt.ItemDataRole.UserRole)
                child.setCheckable(True)
                child.setCheckState(Qt.CheckState.Checked)
                child.setToolTip(f"{database['name']}.{table['name']}")
                top.appendRow([child, _cell(number(int(table.get("rows", 0))), int(table.get("rows", 0)),
                                            True),
                               _cell(human_size(int(table.get("bytes", 0))), int(table.get("bytes", 0)),
                                     True),
                               _cell(str(table.get("engine", tr("sequence"))), str(table.get("engine", "")))])
            self.appendRow([top, _cell(number(rows), rows, True), _cell(human_size(size), size, True),
                            _cell("", "")])
        self.itemChanged.connect(self._changed)

    def _changed(self, item: QStandardItem) -> None:
        # Qt's auto-tristate only follows clicks in a view; keep both directions in step here:
        # a database ticks or unticks its tables, a table makes its database full, partial or empty.
        if self._updating or not item.isCheckable():
            return
        self._updating = True
        try:
            parent = item.parent()
            if parent is None:
                state = item.checkState()
                if state != Qt.CheckState.PartiallyChecked:
                    for row in range(item.rowCount()):
                        child = item.child(row, 0)
                        if child is not None:
                            child.setCheckState(state)
            else:
                states = {parent.child(r, 0).checkState() for r in range(parent.rowCount())}
                parent.setCheckState(states.pop() if len(states) == 1 else Qt.CheckState.PartiallyChecked)
        finally:
            self._updating = False

    def databases(self) -> list[QStandardItem]:
        return [item for row in range(self.rowCount()) if (item := self.item(row, 0)) is not None]

    def set_all(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for item in self.databases():
            item.setCheckState(state)

    def selection(self) -> tuple[list[str], list[str], bool]:
        """(databases, "db.table" names, everything) for `RestoreOptions`.

        Databases ticked whole are listed alone; a partly ticked one is listed with its tables.
        `everything` is True when every database is ticked whole.
        """
        databases: list[str] = []
        tables: list[str] = []
        for item in self.databases():
            name = str(item.data(Qt.ItemDataRole.UserRole))
            state = item.checkState()
            if state == Qt.CheckState.Unchecked:
                continue
            databases.append(name)
            if state == Qt.CheckState.PartiallyChecked:
                for row in range(item.rowCount()):
                    child = item.child(row, 0)
                    if child is not None and child.checkState() == Qt.CheckState.Checked:
                        tables.append(table_name(name, child.data(Qt.ItemDataRole.UserRole)))
        everything = bool(databases) and not tables and len(databases) == len(self.databases())
        return databases, tables, everything

    def totals(self) -> tuple[int, int, int]:
        """(tables, rows, bytes) of what is ticked."""
        count = rows = size = 0
        for item in self.databases():
            for row in range(item.rowCount()):
                child = item.child(row, 0)
                if child is not None and child.checkState() == Qt.CheckState.Checked:
                    count += 1
                    rows += int(item.child(row, 1).data(SORT_ROLE))
                    size += int(item.child(row, 2).data(SORT_ROLE))
        return count, rows, size


class ContentsFilter(QSortFilterProxyModel):
    """Search by name: a table matches by its own name, a database by its own or any table's."""

    def __init__(self, model: ContentsModel) -> None:
        super().__init__()
        self.setSourceModel(model)
        self.setSortRole(SORT_ROLE)
        self.setRecursiveFilteringEnabled(True)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(0)
