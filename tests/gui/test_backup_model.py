"""The backup table model on its own: rows, columns, display text, sort role, manifest role."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt

from app.core.jobs import human_size
from app.gui.backup_model import (
    COLUMNS,
    MANIFEST_ROLE,
    ROWS,
    SERVER,
    SIZE,
    SORT_ROLE,
    TABLES,
    BackupTableModel,
    manifest_at,
)


def manifest(backup_id: str, finished: str, tables: dict[str, tuple[int, int]],
             server: str = "mysql://backup@db1:3306") -> dict[str, Any]:
    """A manifest as list_backups() returns it, with {table: (rows, bytes)} in one database."""
    return {"id": backup_id, "finished": finished, "type": "full",
            "server": {"url": server, "version": "11.4.2-MariaDB"}, "binlog": None,
            "databases": [{"name": "shop", "tables": [
                {"name": name, "rows": rows, "bytes": size, "objects": []}
                for name, (rows, size) in tables.items()]}]}


BACKUPS = [
    manifest("a" * 64, "2024-05-03T02:00:41Z", {"orders": (9, 900), "items": (1, 100)}),
    manifest("b" * 64, "2024-05-02T02:00:00Z", {"orders": (100, 3_355_443)}, server="mysql://root@wh:3307"),
    manifest("c" * 64, "2024-05-01T02:00:00Z", {"orders": (20, 512)}),
]


def test_human_size() -> None:
    assert human_size(0) == "0 B"
    assert human_size(512) == "512 B"
    assert human_size(3_355_443) == "3.2 MiB"
    assert human_size(5 * 2**40) == "5.0 TiB"


def test_rows_columns_and_display() -> None:
    model = BackupTableModel(BACKUPS)
    assert model.rowCount() == 3
    assert model.columnCount() == len(COLUMNS) == 8
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(8)]
    assert headers == ["ID", "Finished (UTC)", "Type", "Server", "Databases", "Tables", "Rows", "Size"]
    row = [model.data(model.index(0, c)) for c in range(8)]
    assert row == ["aaaaaaaa", "2024-05-03 02:00:41", "full", "backup@db1:3306", "shop",
                   "2", "10", "1000 B"]
    assert model.data(model.index(0, SERVER), Qt.ItemDataRole.ToolTipRole) == "mysql://backup@db1:3306"
    assert model.data(model.index(0, SERVER), SORT_ROLE) == "mysql://backup@db1:3306"
    assert model.data(model.index(1, SIZE)) == "3.2 MiB"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole) == "a" * 64


def test_numeric_columns_are_right_aligned() -> None:
    model = BackupTableModel(BACKUPS)
    for column in range(8):
        alignment = model.data(model.index(0, column), Qt.ItemDataRole.TextAlignmentRole)
        right = bool(alignment & Qt.AlignmentFlag.AlignRight.value)
        assert right == (column in (TABLES, ROWS, SIZE)), COLUMNS[column]


def test_sort_role_gives_raw_numbers() -> None:
    model = BackupTableModel(BACKUPS)
    assert model.data(model.index(1, SIZE), SORT_ROLE) == 3_355_443
    assert model.data(model.index(0, ROWS), SORT_ROLE) == 10
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(SIZE, Qt.SortOrder.AscendingOrder)
    # As text "1000 B" < "3.2 MiB" < "512 B"; as numbers 512 < 1000 < 3355443.
    assert [proxy.data(proxy.index(r, SIZE)) for r in range(3)] == ["512 B", "1000 B", "3.2 MiB"]
    proxy.sort(ROWS, Qt.SortOrder.DescendingOrder)
    assert [proxy.data(proxy.index(r, ROWS)) for r in range(3)] == ["100", "20", "10"]


def test_manifest_role_survives_a_proxy() -> None:
    model = BackupTableModel(BACKUPS)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    first = manifest_at(proxy, 0)
    assert first == BACKUPS[2]
    assert first is model.manifest(2)  # the same object, not a converted copy
    assert proxy.data(proxy.index(0, 5), MANIFEST_ROLE) is first


def test_set_backups_resets_and_empty_is_fine() -> None:
    model = BackupTableModel(BACKUPS)
    model.set_backups([])
    assert model.rowCount() == 0
    assert model.data(model.index(0, 0)) is None
    assert model.headerData(0, Qt.Orientation.Vertical) is None
