"""The restore wizard: choose a backup, what to take from it, where it goes; check; restore.

Pages, in order: `SourcePage` (which backup), `ContentsPage` (databases and tables, with rows,
sizes and a search), `TargetPage` (server, new names, safety copy; a Designer form in
ui/restore_target.ui), then `CheckPage` and `RunPage` (app/gui/restore_run.py): the pre-flight
checks run on the real target before anything changes, a typed confirmation is asked when
something will be replaced, and the restore itself runs as a job in the window's jobs panel.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, QThread
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTableWidgetItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.core.catalog import Catalog
from app.core.jobs import human_size
from app.core.profile import Profile, ServerEntry
from app.core.repository import Repository
from app.core.restore import RestoreOptions
from app.gui.backup_model import SORT_ROLE, BackupTableModel, manifest_at, server_text
from app.gui.forms import ERROR_STYLE
from app.gui.i18n import tr
from app.gui.jobpanel import JobsPanel
from app.gui.restore_contents import ContentsFilter, ContentsModel
from app.gui.ui.restore_target import Ui_RestoreTarget

WARN_STYLE = "color: #b58900;"
MAX_NAME = 64   # MySQL and MariaDB refuse longer database names


class SourcePage(QWizardPage):
    """Which backup to restore, newest first, with a filter."""

    def __init__(self, wizard: RestoreWizard, backups: list[dict[str, Any]]) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("Which backup?"))
        self.setSubTitle(tr("Choose the backup to restore from. The newest is at the top."))
        self.model = BackupTableModel(parent=self)
        self.model.set_backups(backups)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        layout = QVBoxLayout(self)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(tr("Filter (id, date, server, database…)"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        layout.addWidget(self.filter_edit)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.completeChanged.emit())
        self.table.doubleClicked.connect(lambda *_: wizard.next())
        layout.addWidget(self.table)

    def select(self, backup_id: str | None) -> None:
        for row in range(self.proxy.rowCount()):
            manifest = manifest_at(self.proxy, row)
            if manifest is not None and (backup_id is None or manifest.get("id") == backup_id):
                self.table.selectRow(row)
                return

    def manifest(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return manifest_at(self.proxy, rows[0].row()) if rows else None

    def isComplete(self) -> bool:
        return self.manifest() is not None

    def validatePage(self) -> bool:
        manifest = self.manifest()
        if manifest is None:
            return False
        self.owner.set_manifest(manifest)
        return True


class ContentsPage(QWizardPage):
    """Whole databases or single tables, with rows and sizes, and a search."""

    def __init__(self, wizard: RestoreWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("What should be restored?"))
        self.model: ContentsModel | None = None
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search databases and tables"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search)
        self.all_button = QPushButton(tr("Select &all"))
        self.none_button = QPushButton(tr("Select &none"))
        self.all_button.clicked.connect(lambda: self._tick(True))
        self.none_button.clicked.connect(lambda: self._tick(False))
        row.addWidget(self.search, 1)
        row.addWidget(self.all_button)
        row.addWidget(self.none_button)
        layout.addLayout(row)
        self.tree = QTreeView()
        self.tree.setSortingEnabled(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.tree, 1)
        self.summary = QLabel()
        layout.addWidget(self.summary)

    def initializePage(self) -> None:
        manifest = self.owner.manifest
        if self.model is not None and self.model.property("backup") == manifest.get("id"):
            return   # coming back to the same backup keeps the ticks
        self.model = ContentsModel(manifest)
        self.model.setProperty("backup", manifest.get("id"))
        self.proxy = ContentsFilter(self.model)
        self.tree.setModel(self.proxy)
        self.tree.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        if self.model.totals()[0] <= 100:   # a few tables: show them all at once
            self.tree.expandAll()
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.model.itemChanged.connect(self._changed)
        self.setSubTitle(tr("Backup {id} of {server}, finished {finished} UTC. Tick whole databases, "
                            "or open one and tick single tables.").format(
            id=str(manifest.get("id", ""))[:8],
            server=server_text(str((manifest.get("server") or {}).get("url", ""))),
            finished=str(manifest.get("finished", "")).replace("T", " ").removesuffix("Z")))
        self.search.clear()
        self._changed()

    def _tick(self, on: bool) -> None:
        if self.model is not None:
            self.model.set_all(on)

    def _search(self, text: str) -> None:
        if self.model is None:
            return
        self.proxy.setFilterFixedString(text)
        if text:
            self.tree.expandAll()

    def _changed(self, *_args: object) -> None:
        if self.model is None:
            return
        tables, rows, size = self.model.totals()
        databases, _, _ = self.model.selection()
        self.summary.setText(tr("{databases}, {tables}, {rows}, {size} of SQL").format(
            databases=tr("%n database(s)", "", len(databases)), tables=tr("%n table(s)", "", tables),
            rows=tr("%n row(s)", "", rows), size=human_size(size)))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.model is not None and bool(self.model.selection()[0])

    def validatePage(self) -> bool:
        assert self.model is not None
        self.owner.databases, self.owner.tables, self.owner.everything = self.model.selection()
        return bool(self.owner.databases)


class TargetPage(QWizardPage):
    """The target server, a name for each database, the safety copy; from ui/restore_target.ui."""

    def __init__(self, wizard: RestoreWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("Where should it go?"))
        self.setSubTitle(tr("Restore onto the server the backup came from or onto another one, under "
                            "the same names or new ones."))
        self.form = QWidget()
        self.ui = Ui_RestoreTarget()
        self.ui.setupUi(self.form)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self.ui.namesNote.setStyleSheet(ERROR_STYLE)
        self.ui.safetyNote.setStyleSheet(WARN_STYLE)
        self.ui.namesTable.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.ui.namesTable.itemChanged.connect(lambda *_: self._validate())
        self.ui.serverBox.currentIndexChanged.connect(lambda *_: self._server_changed())
        self.ui.safetyCopy.toggled.connect(self._safety_toggled)

    def initializePage(self) -> None:
        owner = self.owner
        box = self.ui.serverBox
        box.blockSignals(True)
        box.clear()
        for entry in owner.profile.servers:
            box.addItem(entry.name, entry.name)
        source_url = str((owner.manifest.get("server") or {}).get("url", ""))
        same = next((i for i, e in enumerate(owner.profile.servers) if e.url == source_url), 0)
        box.setCurrentIndex(same if owner.profile.servers else -1)
        box.blockSignals(False)
        table = self.ui.namesTable
        table.blockSignals(True)
        table.setRowCount(len(owner.databases))
        for row, name in enumerate(owner.databases):
            source = QTableWidgetItem(name)
            source.setFlags(source.flags() & ~Qt.ItemFlag.ItemIsEditable)
            table.setItem(row, 0, source)
            table.setItem(row, 1, QTableWidgetItem(owner.rename.get(name, name)))
        table.blockSignals(False)
        has_users = bool(owner.manifest.get("users"))
        self.ui.usersBox.setEnabled(has_users)
        self.ui.usersBox.setChecked(has_users and owner.everything)
        if not has_users:
            self.ui.usersBox.setToolTip(tr("This backup holds no users (back up with users to restore them)"))
        self._server_changed()

    def _server_changed(self) -> None:
        entry = self.server()
        source_url = str((self.owner.manifest.get("server") or {}).get("url", ""))
        if entry is None:
            self.ui.serverNote.setText(tr("No server is set up: add one with Set up… or in the settings."))
            self.ui.serverNote.setStyleSheet(ERROR_STYLE)
        elif entry.url == source_url:
            self.ui.serverNote.setText(tr("The server this backup came from. Tables that exist there are "
                                          "replaced; the next page lists them before anything happens."))
            self.ui.serverNote.setStyleSheet("")
        else:
            self.ui.serverNote.setText(tr("{server} — not the server the backup came from.")
                                       .format(server=server_text(entry.url)))
            self.ui.serverNote.setStyleSheet("")
        self._validate()

    def _safety_toggled(self, on: bool) -> None:
        self.ui.safetyNote.setText("" if on else tr("Without a safety copy, whatever the restore "
                                                    "replaces is gone for good."))

    def server(self) -> ServerEntry | None:
        name = self.ui.serverBox.currentData()
        return self.owner.profile.server(name) if name else None

    def names(self) -> dict[str, str]:
        table = self.ui.namesTable
        out: dict[str, str] = {}
        for row in range(table.rowCount()):
            source, target = table.item(row, 0), table.item(row, 1)
            if source is not None and target is not None:
                out[source.text()] = target.text()
        return out

    def _problem(self) -> str:
        names = self.names()
        seen: set[str] = set()
        for source, target in names.items():
            if not target.strip():
                return tr("Give {database} a name to restore under.").format(database=source)
            if target != target.strip():
                return tr("{name}: a database name cannot start or end with a space.").format(
                    name=repr(target))
            if len(target) > MAX_NAME:
                return tr("{name}…: a database name has at most %n character(s).", "", MAX_NAME).format(
                    name=target[:20])
            if "/" in target or "\\" in target or "." in target:
                return tr("{name}: a database name cannot hold '/', '\\' or '.'.").format(name=target)
            if target.lower().startswith("custode_"):
                return tr("{name}: names starting with custode_ are Custode's own (staging, safety "
                          "copies).").format(name=target)
            if target in seen:
                return tr("Two databases would be restored as {name}; give one another name.").format(
                    name=target)
            seen.add(target)
        return ""

    def _validate(self) -> None:
        self.ui.namesNote.setText(self._problem())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.server() is not None and not self._problem()

    def validatePage(self) -> bool:
        entry = self.server()
        if entry is None or self._problem():
            return False
        owner = self.owner
        owner.target = entry
        owner.rename = {s: t for s, t in self.names().items() if s != t}
        owner.safety_copy = self.ui.safetyCopy.isChecked()
        owner.users = self.ui.usersBox.isChecked()
        return True


class RestoreWizard(QWizard):
    """Restore a backup of `repo` onto a server of `profile`, as a job of `jobs`."""

    SOURCE, CONTENTS, TARGET, CHECK, RUN = range(5)

    def __init__(self, repo: Repository, location: str, profile: Profile, catalog: Catalog,
                 jobs: JobsPanel, backups: list[dict[str, Any]], selected: str | None = None,
                 ensure_demo: Callable[[ServerEntry], None] | None = None,
                 parent: QWidget | None = None) -> None:
        from app.gui.restore_run import CheckPage, RunPage
        super().__init__(parent)
        self.setWindowTitle(tr("Restore a backup"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.repo, self.location, self.profile, self.catalog = repo, location, profile, catalog
        self.jobs = jobs
        self.ensure_demo = ensure_demo
        self.threads: list[QThread] = []   # workers still running (planning)
        self.manifest: dict[str, Any] = {}
        self.databases: list[str] = []
        self.tables: list[str] = []
        self.everything = True
        self.rename: dict[str, str] = {}
        self.target: ServerEntry | None = None
        self.safety_copy = True
        self.users = False
        self.source_page = SourcePage(self, backups)
        self.contents_page = ContentsPage(self)
        self.target_page = TargetPage(self)
        self.check_page = CheckPage(self)
        self.run_page = RunPage(self)
        for page_id, page in enumerate((self.source_page, self.contents_page, self.target_page,
                                        self.check_page, self.run_page)):
            self.setPage(page_id, page)
        self.source_page.select(selected)
        if selected is not None and self.source_page.manifest() is not None:
            self.set_manifest(self.source_page.manifest() or {})
            self.setStartId(self.CONTENTS)
        self.resize(820, 600)

    def set_manifest(self, manifest: dict[str, Any]) -> None:
        if manifest.get("id") != self.manifest.get("id"):
            self.rename = {}
        self.manifest = manifest

    def restore_options(self) -> RestoreOptions:
        """What the pages chose, as the engine's options."""
        return RestoreOptions(databases=[] if self.everything else list(self.databases),
                              tables=list(self.tables), rename=dict(self.rename),
                              safety_copy=self.safety_copy, users=self.users)

    def reject(self) -> None:
        """Cancel: while the restore runs, stop it (the wizard stays to show how it ended)."""
        if self.run_page.stop_requested():
            return
        super().reject()

    def dispose(self) -> None:
        """Delete the wizard once no worker of its own is still running."""
        running = [t for t in self.threads if t.isRunning()]
        if running:
            running[-1].finished.connect(self.deleteLater)
        else:
            self.deleteLater()
