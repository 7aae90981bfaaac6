"""The side panel that tells what one backup holds."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.jobs import human_size
from app.gui.backup_model import TYPE_TEXT, finished_text
from app.gui.i18n import QT_TR_NOOP, number, tr, tr_value

# The keys of `BackupDetails.fields`; translated only where they are shown.
FIELDS = ("Backup", "Finished", "Type", "Server", "Version", "Consistency", "Binlog")
FIELD_LABELS = {"Backup": QT_TR_NOOP("Backup:"), "Finished": QT_TR_NOOP("Finished:"),
                "Type": QT_TR_NOOP("Type:"), "Server": QT_TR_NOOP("Server:"),
                "Version": QT_TR_NOOP("Version:"), "Consistency": QT_TR_NOOP("Consistency:"),
                "Binlog": QT_TR_NOOP("Binlog:")}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

CONSISTENCY_TEXT = {
    "global-read-lock": QT_TR_NOOP("global read lock, then one snapshot per connection"),
    "single-transaction": QT_TR_NOOP("one consistent transaction on one connection"),
}


def binlog_text(binlog: dict[str, Any] | None) -> str:
    """Where in the binary log the backup stands, or why there is no position."""
    if not binlog:
        return tr("not enabled on the server")
    text = f"{binlog.get('file')}:{binlog.get('position')}"
    return f"{text}, GTID {binlog['gtid']}" if binlog.get("gtid") else text


class BackupDetails(QWidget):
    """A few facts about a backup, then its databases and tables with rows and sizes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(tr("Select a backup to see what it holds."))
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.fields: dict[str, QLabel | QLineEdit] = {}
        self.id_edit = QLineEdit()   # a 64-character id does not fit: it scrolls and copies whole
        self.id_edit.setReadOnly(True)
        self.id_edit.setFrame(False)
        self.id_edit.setStyleSheet("QLineEdit { background: transparent; border: none; padding: 0px; }")
        self.id_edit.setTextMargins(0, 0, 0, 0)
        self.id_edit.setMinimumWidth(60)
        self.fields["Backup"] = self.id_edit
        form.addRow(tr(FIELD_LABELS["Backup"]), self.id_edit)
        for name in FIELDS[1:]:
            value = QLabel()
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            # Long unbreakable text (ids, URLs) must not widen the panel: it is selectable instead.
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            value.setMinimumWidth(60)
            self.fields[name] = value
            form.addRow(tr(FIELD_LABELS[name]), value)
        self.form = QWidget()
        self.form.setLayout(form)
        self.form.setVisible(False)
        layout.addWidget(self.form)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([tr("Database / table"), tr("Rows"), tr("Size")])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            self.tree.headerItem().setTextAlignment(column, _RIGHT)
        self.tree.setVisible(False)
        layout.addWidget(self.tree, 1)
        layout.addStretch(0)

    def show_backup(self, manifest: dict[str, Any] | None) -> None:
        """Fill the panel from a manifest; None empties it."""
        self.tree.clear()
        if manifest is None:
            self.title.setText(tr("Select a backup to see what it holds."))
            self.form.setVisible(False)
            self.tree.setVisible(False)
            return
        server = manifest.get("server") or {}
        consistency = str(manifest.get("consistency", ""))
        values = {
            "Backup": str(manifest.get("id", "")),
            "Finished": f"{finished_text(str(manifest.get('finished', '')))} UTC",
            "Type": tr_value(TYPE_TEXT, str(manifest.get("type", ""))),
            "Server": str(server.get("url", "")),
            "Version": str(server.get("version", "")),
            "Consistency": tr_value(CONSISTENCY_TEXT, consistency),
            "Binlog": binlog_text(manifest.get("binlog")),
        }
        for name, text in values.items():
            self.fields[name].setText(text)
        self.id_edit.setCursorPosition(0)
        self.id_edit.setToolTip(values["Backup"])
        databases = manifest.get("databases", [])
        total_tables = sum(len(d.get("tables", [])) for d in databases)
        self.title.setText(tr("Backup {id}: {databases}").format(
            id=values["Backup"][:8], databases=tr("%n database(s)", "", len(databases))))
        for database in databases:
            tables = database.get("tables", [])
            item = QTreeWidgetItem([str(database.get("name", "")),
                                    number(sum(int(t.get("rows", 0)) for t in tables)),
                                    human_size(sum(int(t.get("bytes", 0)) for t in tables))])
            for table in tables:
                child = QTreeWidgetItem([str(table.get("name", "")), number(int(table.get("rows", 0))),
                                         human_size(int(table.get("bytes", 0)))])
                self._align(child)
                item.addChild(child)
            self._align(item)
            self.tree.addTopLevelItem(item)
            item.setExpanded(total_tables <= 30)
        self.form.setVisible(True)
        self.tree.setVisible(True)

    @staticmethod
    def _align(item: QTreeWidgetItem) -> None:
        for column in (1, 2):
            item.setTextAlignment(column, _RIGHT)
