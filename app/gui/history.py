"""History: every job from the catalog, filtered by date, kind, status, server and text; CSV export."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.catalog import KINDS, STATUSES, Catalog, JobFilter
from app.core.jobs import human_size
from app.gui.i18n import QT_TR_NOOP, number, tr
from app.gui.jobs import format_seconds, kind_text, status_text

COLORS = {"ok": "#28a745", "failed": "#dc3545", "damaged": "#dc3545", "cancelled": "#ffc107",
          "running": "#17a2b8"}
HEADERS = (QT_TR_NOOP("Started"), QT_TR_NOOP("Job"), QT_TR_NOOP("Status"), QT_TR_NOOP("Server"),
           QT_TR_NOOP("Duration"), QT_TR_NOOP("Size"), QT_TR_NOOP("Rows"), QT_TR_NOOP("Backup"),
           QT_TR_NOOP("Message"))
RANGES = ((QT_TR_NOOP("Last 7 days"), 7), (QT_TR_NOOP("Last 30 days"), 30),
          (QT_TR_NOOP("Last 90 days"), 90), (QT_TR_NOOP("All time"), 0))
CSV_COLUMNS = ("started", "finished", "kind", "status", "server", "repository", "backup_id",
               "seconds", "bytes", "stored_bytes", "rows", "message")
IndexLike = QModelIndex | QPersistentModelIndex


def local_time(iso: str | None) -> str:
    if not iso:
        return ""
    moment = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class HistoryModel(QAbstractTableModel):
    """Rows are catalog job records (dicts), newest first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.jobs: list[dict[str, Any]] = []

    def set_jobs(self, jobs: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.jobs = jobs
        self.endResetModel()

    def rowCount(self, parent: IndexLike = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.jobs)

    def columnCount(self, parent: IndexLike = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(HEADERS[section])
        return None

    def data(self, index: IndexLike, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        job = self.jobs[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(job, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == 2:
            return QBrush(QColor(COLORS.get(job["status"], "#6c757d")))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (4, 5, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == 8:
            return job["message"] or None
        return None

    @staticmethod
    def _text(job: dict[str, Any], column: int) -> str:
        if column == 0:
            return local_time(job["started"])
        if column == 1:
            return kind_text(str(job["kind"]))
        if column == 2:
            return status_text(str(job["status"]))
        if column == 3:
            return str(job["server"])
        if column == 4:
            return format_seconds(job["seconds"]) if job["seconds"] is not None else ""
        if column == 5:
            return human_size(job["bytes"]) if job["bytes"] else ""
        if column == 6:
            return number(job["rows"]) if job["rows"] else ""
        if column == 7:
            return str(job["backup_id"])[:8]
        return str(job["message"]).splitlines()[0] if job["message"] else ""


class HistoryPage(QWidget):
    """Filters above, the table, and the selected job's details and log."""

    exported = Signal(str)   # the CSV file written

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.range_box = QComboBox()
        for label, days in RANGES:
            self.range_box.addItem(tr(label), days)
        self.range_box.setCurrentIndex(1)
        self.kind_box = QComboBox()
        self.kind_box.addItem(tr("All jobs"), "")
        for kind in KINDS:
            self.kind_box.addItem(kind_text(kind).capitalize(), kind)
        self.status_box = QComboBox()
        self.status_box.addItem(tr("Any status"), "")
        for status in STATUSES:
            self.status_box.addItem(status_text(status).capitalize(), status)
        self.server_box = QComboBox()
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText(tr("Search server, backup id, message…"))
        self.text_edit.setClearButtonEnabled(True)
        self.export_button = QPushButton(tr("Export CSV…"))
        self.export_button.clicked.connect(self.choose_export)
        for widget in (self.range_box, self.kind_box, self.status_box, self.server_box):
            filters.addWidget(widget)
            widget.currentIndexChanged.connect(self.refresh)
        filters.addWidget(self.text_edit, 1)
        filters.addWidget(self.export_button)
        self.text_edit.textChanged.connect(self.refresh)
        layout.addLayout(filters)
        self.summary = QLabel()
        layout.addWidget(self.summary)
        self.model = HistoryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        # Wide enough for the header and, in Job and Status, the longest word (Italian runs longer).
        cells, heads = self.table.fontMetrics(), self.table.horizontalHeader().fontMetrics()
        words = {1: [kind_text(k) for k in KINDS], 2: [status_text(s) for s in STATUSES]}
        for column, width in enumerate((130, 70, 80, 260, 80, 80, 80, 80)):
            needed = max([heads.horizontalAdvance(tr(HEADERS[column])) + 24]
                         + [cells.horizontalAdvance(word) + 12 for word in words.get(column, [])])
            self.table.setColumnWidth(column, max(width, needed))
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText(tr("Select a job to see its details and log."))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        self.table.selectionModel().selectionChanged.connect(self._show_selected)
        self.model.modelReset.connect(self._show_selected)
        self.refresh_servers()
        self.refresh()

    def job_filter(self) -> JobFilter:
        days = int(self.range_box.currentData() or 0)
        since = ((datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
                 if days else "")
        kind, status = self.kind_box.currentData(), self.status_box.currentData()
        return JobFilter(kinds=(kind,) if kind else (), statuses=(status,) if status else (),
                         server=self.server_box.currentData() or "", text=self.text_edit.text().strip(),
                         since=since)

    def refresh_servers(self) -> None:
        current = self.server_box.currentData()
        self.server_box.blockSignals(True)
        self.server_box.clear()
        self.server_box.addItem(tr("All servers"), "")
        for server in self.catalog.servers():
            self.server_box.addItem(server, server)
        index = self.server_box.findData(current)
        self.server_box.setCurrentIndex(max(0, index))
        self.server_box.blockSignals(False)

    def refresh(self) -> None:
        jobs = self.catalog.jobs(self.job_filter())
        self.model.set_jobs(jobs)
        failed = sum(1 for j in jobs if j["status"] in ("failed", "damaged"))
        self.summary.setText(tr("%n job(s)", "", len(jobs))
                             + (" · " + tr("%n failed", "", failed) if failed else ""))

    def _show_selected(self, *_args: object) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.details.clear()
            return
        job = self.model.jobs[rows[0].row()]
        lines = [f"{kind_text(job['kind']).capitalize()} · {status_text(job['status'])}",
                 tr("Server: {server}").format(server=job["server"] or "—"),
                 tr("Repository: {repository}").format(repository=job["repository"] or "—"),
                 tr("Started: {started}   Finished: {finished}").format(
                     started=local_time(job["started"]), finished=local_time(job["finished"]))]
        if job["seconds"] is not None:
            lines.append(tr("Duration: {duration}").format(duration=format_seconds(job["seconds"])))
        if job["bytes"]:
            lines.append(tr("Data: {size}, {rows}, {new} new in the repository").format(
                size=human_size(job["bytes"]), rows=tr("%n row(s)", "", job["rows"] or 0),
                new=human_size(job["stored_bytes"] or 0)))
        if job["backup_id"]:
            lines.append(tr("Backup: {id}").format(id=job["backup_id"]))
        if job["message"]:
            lines += ["", job["message"]]
        if job["log"]:
            lines += ["", tr("Log:"), job["log"]]
        self.details.setPlainText("\n".join(lines))

    def choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Export history"), "custode-history.csv",
                                              tr("CSV files (*.csv)"))
        if path:
            self.export_csv(Path(path))

    def export_csv(self, path: Path) -> None:
        """Write the jobs shown (all of them, with the filters applied) as CSV."""
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(CSV_COLUMNS)
            for job in self.model.jobs:
                writer.writerow([job[c] if job[c] is not None else "" for c in CSV_COLUMNS])
        self.exported.emit(str(path))
