"""The main window: backups of the open repository, history, jobs; first run and "Back up now"."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core import journal, notify
from app.core.backup import BackupOptions, run_backup
from app.core.catalog import Catalog, from_iso
from app.core.copy import copy_backups, copy_targets, open_from_keyring
from app.core.demo import DemoServer
from app.core.errors import Cancelled, CustodeError, WrongPassphrase
from app.core.jobs import CancelToken, Progress, ProgressCallback, human_size
from app.core.locks import repository_lock
from app.core.plans import cron_problem, next_runs
from app.core.profile import Profile, ServerEntry
from app.core.rebuild import remember_backup
from app.core.repository import Repository
from app.core.retention import Backup
from app.core.verify import VerifyReport
from app.gui.backup_model import DATABASES, SERVER, SORT_ROLE, BackupTableModel, manifest_at
from app.gui.dashboard import DashboardPage
from app.gui.details import BackupDetails
from app.gui.history import HistoryPage
from app.gui.i18n import QT_TR_NOOP, current_language, install_language, number, tr
from app.gui.jobpanel import JobRow, JobsPanel
from app.gui.jobs import format_seconds, sentence
from app.gui.keys_page import KeysPage
from app.gui.notify_page import NotifyPage
from app.gui.passphrase import busy, unlock_repository
from app.gui.settings import SettingsDialog
from app.gui.theme import apply_theme
from app.gui.tray import Tray
from app.gui.verify_worker import VerifyWorker, start_in_thread

EMPTY_TEXT = QT_TR_NOOP(
    "<h2>Custode</h2>"
    "<p>Custode backs up MySQL and MariaDB servers into an encrypted repository,<br>"
    "proves that the backups restore, and restores them in a hurry.</p>"
    "<p>Open a repository to see its backups and verify them,<br>"
    "or set up a new one (with a demo server to try things on) with <b>Set up…</b>.</p>"
)


class EmptyState(QWidget):
    """What the window shows while no repository is open."""

    def __init__(self, open_action: QAction, setup_action: QAction,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        # Explicit line breaks, no word wrap: a wrapped label in a centring layout gets cut short.
        self.text = QLabel(tr(EMPTY_TEXT))
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text, 0, Qt.AlignmentFlag.AlignHCenter)
        self.button = QPushButton(open_action.icon(), open_action.text())
        self.button.setDefault(True)
        self.button.clicked.connect(open_action.trigger)
        self.setup_button = QPushButton(setup_action.text())
        self.setup_button.clicked.connect(setup_action.trigger)
        layout.addSpacing(8)
        layout.addWidget(self.setup_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


class MainWindow(QMainWindow):
    """Custode's window; `verification_done(outcome)` fires when a verification has ended."""

    verification_done = Signal(str)  # "ok", "damaged", "failed" or "cancelled"
    backup_done = Signal(str)        # "ok", "failed" or "cancelled"
    replaced = Signal(object)        # the window built to take over (another language)

    def __init__(self, profile: Profile | None = None, catalog: Catalog | None = None) -> None:
        super().__init__()
        self.setWindowTitle("Custode")
        self.profile = profile or Profile.load()
        self.catalog = catalog or Catalog.open_default()
        self.demo: DemoServer | None = None
        self.wizard: Any = None
        self.restore_wizard: Any = None
        self.settings_dialog: SettingsDialog | None = None
        self.repo: Repository | None = None
        self.location = ""
        self._token: CancelToken | None = None
        self._worker: VerifyWorker | None = None
        self._thread: QThread | None = None
        self._outcome = ""
        self._shown: dict[str, Any] | None = None
        self._handing_over = False
        self._make_actions()
        self.model = BackupTableModel(parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.stack = QStackedWidget()
        self.empty = EmptyState(self.open_action, self.setup_action)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self._make_browser())
        self.history = HistoryPage(self.catalog)
        self.dashboard = DashboardPage(self.profile, self.catalog, next_run=self.next_run)
        self.dashboard.backup_requested.connect(self.backup_server)
        self.dashboard.history_requested.connect(self.show_history_of)
        self.dashboard.probe_finished.connect(self._update_tray)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.dashboard, tr("Dashboard"))
        self.tabs.addTab(self.stack, tr("Backups"))
        self.tabs.addTab(self.history, tr("History"))
        self.jobs = JobsPanel()
        central = QWidget()
        column = QVBoxLayout(central)
        column.addWidget(self.tabs, 1)
        column.addWidget(self.jobs)
        self.setCentralWidget(central)
        self._make_status_bar()
        self.tray = Tray(lambda: [s.name for s in self.profile.servers], self)
        self.tray.show_requested.connect(self.bring_to_front)
        self.tray.quit_requested.connect(self.close)
        self.tray.backup_requested.connect(self.backup_server)
        self.jobs.job_ended.connect(self._notify_job_end)
        self.refresh_servers()
        self.resize(1100, 700)

    # -- building ------------------------------------------------------------------------------
    def _make_actions(self) -> None:
        style = self.style()
        self.open_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_DirOpenIcon),
                                   tr("Open repository…"), self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.choose_repository)
        self.verify_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton),
                                     tr("Verify"), self)
        self.verify_action.setToolTip(tr("Re-read every object of the selected backup and check it"))
        self.verify_action.setEnabled(False)
        self.verify_action.triggered.connect(self.verify_selected)
        self.restore_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload),
                                      tr("Restore…"), self)
        self.restore_action.setShortcut(QKeySequence("Ctrl+R"))
        self.restore_action.setToolTip(tr("Restore a backup (the selected one) onto a server, step by step"))
        self.restore_action.setEnabled(False)
        self.restore_action.triggered.connect(self.restore_selected)
        self.setup_action = QAction(tr("Set up…"), self)
        self.setup_action.setToolTip(tr("Create or open a repository and add a server (or the demo server)"))
        self.setup_action.triggered.connect(self.first_run)
        self.backup_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton),
                                     tr("Back up now"), self)
        self.backup_action.setShortcut(QKeySequence("Ctrl+B"))
        self.backup_action.setToolTip(tr("Back up the chosen server into the open repository"))
        self.backup_action.triggered.connect(self.backup_now)
        self.server_box = QComboBox()
        self.server_box.setMinimumWidth(220)
        self.server_box.setToolTip(tr("The server 'Back up now' works on"))
        self.server_box.currentIndexChanged.connect(lambda *_: self._update_actions())
        self.settings_action = QAction(tr("Settings…"), self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.setToolTip(tr("Servers, repositories, plans, notifications, keys, "
                                           "language and theme"))
        self.settings_action.triggered.connect(self.open_settings)
        quit_action = QAction(tr("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.file_menu = file_menu = self.menuBar().addMenu(tr("&File"))
        file_menu.addAction(self.setup_action)
        file_menu.addAction(self.open_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        backup_menu = self.menuBar().addMenu(tr("&Backup"))
        backup_menu.addAction(self.backup_action)
        backup_menu.addAction(self.verify_action)
        backup_menu.addAction(self.restore_action)
        toolbar = self.addToolBar(tr("Main toolbar"))
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.open_action)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" " + tr("Server:") + " "))
        toolbar.addWidget(self.server_box)
        toolbar.addAction(self.backup_action)
        toolbar.addAction(self.verify_action)
        toolbar.addAction(self.restore_action)

    def _make_browser(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.heading)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText(tr("Filter backups (id, date, server, database…)"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        layout.addWidget(self.filter_edit)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (SERVER, DATABASES):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        # Rows filtered away leave the selection without a selectionChanged signal.
        self.proxy.rowsRemoved.connect(self._selection_changed)
        self.proxy.modelReset.connect(self._selection_changed)
        self.details = BackupDetails()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([720, 380])
        layout.addWidget(splitter, 1)
        return page

    def _make_status_bar(self) -> None:
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.setVisible(False)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_verification)
        self.statusBar().addPermanentWidget(self.progress_bar)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self.statusBar().showMessage(tr("No repository open"))

    # -- repository ----------------------------------------------------------------------------
    def choose_repository(self) -> None:
        """Ask for a folder, then open it."""
        folder = QFileDialog.getExistingDirectory(self, tr("Open repository"), self.location)
        if folder:
            self.open_location(folder)

    def open_location(self, location: str) -> bool:
        """Unlock and show the repository at `location`; False (after telling why) if not."""
        if self._thread is not None:
            QMessageBox.information(self, "Custode", tr("Wait for the verification to end first."))
            return False
        try:
            repo = unlock_repository(location, self)
            if repo is None:
                return False
            with busy():
                backups = repo.list_backups()
        except WrongPassphrase as exc:
            QMessageBox.warning(self, tr("Wrong passphrase"),
                                tr("{error} Nothing was opened.").format(error=sentence(exc)))
            return False
        except CustodeError as exc:
            QMessageBox.warning(self, tr("Cannot open the repository"), sentence(exc))
            return False
        self.show_repository(repo, location, backups)
        return True

    def show_repository(self, repo: Repository, location: str, backups: list[dict[str, Any]]) -> None:
        """Switch to the browser showing these backups of `repo`."""
        self.repo, self.location = repo, location
        self.model.set_backups(backups)
        self.filter_edit.clear()
        count = len(backups)
        self.heading.setText(tr("Repository {location}  ·  %n backup(s)", "", count)
                             .format(location=location))
        self.stack.setCurrentIndex(1)
        self.statusBar().showMessage(
            tr("Opened {location}").format(location=location) if count else
            tr("No backups yet: press 'Back up now', or run 'custode backup --repo PATH --server URL'."))
        self._update_actions()

    # -- selection -----------------------------------------------------------------------------
    def selected_manifest(self) -> dict[str, Any] | None:
        """The manifest of the selected row, or None."""
        rows = self.table.selectionModel().selectedRows()
        return manifest_at(self.proxy, rows[0].row()) if rows else None

    def select_backup(self, backup_id: str) -> None:
        """Select (and show the details of) a backup in the table."""
        for row in range(self.proxy.rowCount()):
            manifest = manifest_at(self.proxy, row)
            if manifest is not None and manifest.get("id") == backup_id:
                self.table.selectRow(row)
                return

    def _selection_changed(self, *_args: object) -> None:
        manifest = self.selected_manifest()
        if manifest is not self._shown:
            self._shown = manifest
            self.details.show_backup(manifest)
        self._update_actions()

    def _update_actions(self) -> None:
        idle = self._thread is None and not self.jobs.running()
        self.verify_action.setEnabled(self._thread is None and self.selected_manifest() is not None)
        self.open_action.setEnabled(idle)
        self.backup_action.setEnabled(self.repo is not None and self.current_server() is not None)
        self.restore_action.setEnabled(self.repo is not None and self.model.rowCount() > 0
                                       and self.restore_wizard is None)

    # -- servers, first run, backups ------------------------------------------------------------
    def refresh_servers(self, select: str | None = None) -> None:
        """Fill the server chooser from the profile."""
        current = select or self.server_box.currentData()
        self.server_box.blockSignals(True)
        self.server_box.clear()
        for entry in self.profile.servers:
            self.server_box.addItem(entry.name, entry.name)
        index = self.server_box.findData(current)
        self.server_box.setCurrentIndex(index if index >= 0 else 0)
        self.server_box.blockSignals(False)
        self._update_actions()

    def current_server(self) -> ServerEntry | None:
        name = self.server_box.currentData()
        return self.profile.server(name) if name else None

    def open_profile_repository(self) -> bool:
        """Open the profile's first repository (at start); False when there is none."""
        if not self.profile.repositories:
            return False
        return self.open_location(self.profile.repositories[0].location)

    def first_run(self) -> None:
        """Show the welcome wizard (window-modal; returns at once)."""
        from app.gui.welcome import WelcomeWizard
        if self.wizard is not None:
            self.wizard.raise_()
            return
        self.wizard = WelcomeWizard(self.profile, self)
        self.wizard.accepted.connect(self._wizard_accepted)
        self.wizard.finished.connect(self._wizard_closed)
        self.wizard.open()

    def _wizard_accepted(self) -> None:
        wizard = self.wizard
        if wizard.demo is not None:
            self.demo = wizard.demo
        if wizard.repo is not None and wizard.repository is not None:
            self.show_repository(wizard.repo, wizard.repository.location, wizard.repo.list_backups())
        self.refresh_servers(select=wizard.server.name if wizard.server else None)
        if wizard.keyring_refused:
            QMessageBox.warning(self, tr("No keyring"), tr("The system keyring did not take the server "
                                                           "password: Custode will ask for it each time."))
        self.statusBar().showMessage(tr("Ready: press 'Back up now' to make the first backup."))

    def _wizard_closed(self, *_args: object) -> None:
        if self.wizard is not None:
            self.wizard.deleteLater()
        self.wizard = None

    def backup_now(self) -> JobRow | None:
        """Back up the chosen server into the open repository, as a job with progress."""
        entry = self.current_server()
        repo, location = self.repo, self.location
        if repo is None or entry is None:
            return None
        password = entry.password()
        if password is None and entry.has_password and not entry.demo:
            text, ok = QInputDialog.getText(self, tr("Server password"),
                                            tr("Password for {server}:").format(server=entry.url),
                                            QLineEdit.EchoMode.Password)
            if not ok:
                return None
            password = text
        spec = entry.spec()

        def work(progress: ProgressCallback, cancel: CancelToken) -> BackupOutcome:
            with (self.catalog.job("backup", on_finish=journal.writer(repo), server=entry.url,
                                   repository=location) as run,
                  repository_lock(repo.storage, exclusive=False, operation="backup")):
                if entry.demo:
                    self._ensure_demo(entry)
                result = run_backup(repo, spec, password, BackupOptions(), progress, cancel)
                totals = result.manifest["totals"]
                run.set(backup_id=result.backup_id, bytes=totals["plain_bytes"],
                        stored_bytes=totals["new_bytes"], rows=totals["rows"])
                remember_backup(self.catalog, repo, {**result.manifest, "id": result.backup_id})
                # The log stays English (as every log); the user reads the summary in their language.
                run.log(f"Backup {result.backup_id[:8]} done: {totals['tables']} tables, "
                        f"{totals['rows']:,} rows, {human_size(totals['plain_bytes'])} of SQL, "
                        f"{human_size(totals['new_bytes'])} new in the repository, in "
                        f"{format_seconds(result.manifest['duration'])}.")
                summary = tr("Backup {id} done: {tables}, {rows}, {size} of SQL, {new} new in the "
                             "repository, in {time}.").format(
                    id=result.backup_id[:8], tables=tr("%n table(s)", "", int(totals["tables"])),
                    rows=tr("%n row(s)", "", int(totals["rows"])), size=human_size(totals["plain_bytes"]),
                    new=human_size(totals["new_bytes"]), time=format_seconds(result.manifest["duration"]))
                for warning in result.manifest.get("warnings", []):
                    run.log(f"warning: {warning}")
            # The server's plans send copies to their other repositories (each its own job).
            copied, failed = [], []
            for target_entry in copy_targets(self.profile, entry.name, location):
                opened: list[Repository] = []   # journaled in the target once it could be opened

                def journal_copy(job: dict[str, Any], opened: list[Repository] = opened) -> str | None:
                    return journal.writer(opened[0])(job) if opened else None

                try:
                    with self.catalog.job("copy", on_finish=journal_copy, server=entry.url,
                                          repository=target_entry.location,
                                          backup_id=result.backup_id) as copy_run:
                        target = open_from_keyring(target_entry.location)
                        opened.append(target)
                        with repository_lock(repo.storage, exclusive=False, operation="copy"), \
                                repository_lock(target.storage, exclusive=False, operation="copy"):
                            report = copy_backups(repo, target, [result.backup_id], progress=progress,
                                                  cancel=cancel)
                        copy_run.set(bytes=report.bytes, stored_bytes=report.stored_bytes)
                        remember_backup(self.catalog, target, target.load_backup(result.backup_id))
                    copied.append(target_entry.name)
                except Cancelled:
                    raise
                except CustodeError as exc:
                    failed.append(tr("The copy to {name} failed: {error}").format(
                        name=target_entry.name, error=sentence(exc)))
            if copied:
                summary += " " + tr("Copied to {names}.").format(names=", ".join(copied))
            if failed:
                summary += " " + " ".join(failed)
            return BackupOutcome(result.backup_id, summary)

        row = self.jobs.start(tr("Backup of {server}").format(server=entry.name), work, self._backup_ended)
        self._update_actions()
        return row

    def backup_server(self, name: str) -> JobRow | None:
        """Back up the server called `name` (the tray's "Back up now")."""
        index = self.server_box.findData(name)
        if index < 0 or self.repo is None:
            self.bring_to_front()
            self.statusBar().showMessage(tr("Open a repository first, then back up."))
            return None
        self.server_box.setCurrentIndex(index)
        return self.backup_now()

    def next_run(self, server: str) -> datetime | None:
        """The next scheduled backup of the server called `server`, from the plans."""
        now = datetime.now(UTC)
        runs = [next_runs(plan.schedule, now, 1) for plan in getattr(self.profile, "plans", [])
                if plan.server == server and cron_problem(plan.schedule) is None]
        return min((r[0] for r in runs if r), default=None)

    def show_history_of(self, server: str) -> None:
        """The History tab, filtered to one server (by name, or as the catalog records it)."""
        entry = self.profile.server(server)
        key = entry.url if entry is not None else self.dashboard.keys.get(server, server)
        self.history.refresh_servers()
        index = self.history.server_box.findData(key)
        if index >= 0:
            self.history.server_box.setCurrentIndex(index)
        self.tabs.setCurrentWidget(self.history)

    def _update_tray(self) -> None:
        """The tray's dot and tooltip from the dashboard's cards: the worst one wins."""
        cards = self.dashboard.cards.items()
        late = sorted(name for name, card in cards if card.policy in ("overdue", "none"))
        due = sorted(name for name, card in cards if card.policy == "due")
        down = sorted(name for name, card in cards if card.state in ("unreachable", "denied"))
        if not cards:
            self.tray.set_status("info", tr("no server set up yet"))
        elif late or down:
            names = ", ".join(dict.fromkeys(late + down))
            self.tray.set_status("red", tr("needs attention: {servers}").format(servers=names))
        elif due:
            self.tray.set_status("amber", tr("backup due soon: {servers}").format(servers=", ".join(due)))
        else:
            self.tray.set_status("green", tr("every server has a recent backup"))

    def bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def _notify_job_end(self, row: JobRow) -> None:
        """A desktop notification when a job fails, as long as the user wants them."""
        config = notify.load_config(self.profile.settings)
        wanted = notify.desktop_enabled(config) and notify.wants(config, "failure")
        if row.outcome == "failed" and wanted:
            self.tray.notify("red", tr("{job} failed").format(job=row.title), row.message)

    def _ensure_demo(self, entry: ServerEntry) -> None:
        """Start the demo server if it is not running (called in the job's thread)."""
        demo = self.demo or DemoServer(Path(entry.socket).parent)
        if not demo.running():
            demo.start()
        self.demo = demo

    def _backup_ended(self, row: JobRow) -> None:
        self.history.refresh_servers()
        self.history.refresh()
        self.dashboard.refresh()
        if row.outcome == "ok" and self.repo is not None:
            self.show_repository(self.repo, self.location, self.repo.list_backups())
            self.select_backup(row.result.backup_id)
        self.statusBar().showMessage(row.message)
        self._update_actions()
        self.backup_done.emit(row.outcome)

    # -- settings ------------------------------------------------------------------------------
    def open_settings(self, page: str = "") -> SettingsDialog:
        """Show the Settings dialog (window-modal; returns at once), at `page` when given."""
        dialog = SettingsDialog(self.profile, self)
        dialog.add_page(QT_TR_NOOP("Notifications"), NotifyPage(dialog.draft, write=False))
        dialog.add_page(QT_TR_NOOP("Keys"), KeysPage(self.profile))
        dialog.plans.backups_for = self.known_backups
        dialog.settings_changed.connect(self._settings_changed)
        dialog.accepted.connect(self._settings_saved)
        dialog.finished.connect(self._settings_closed)
        if page:
            dialog.show_page(page)
        dialog.open()
        self.settings_dialog = dialog
        return dialog

    def known_backups(self, server_url: str) -> list[Backup]:
        """The server's backups the catalog knows of (every repository), for the retention preview."""
        seen: dict[str, Backup] = {}
        for row in self.catalog.backups():
            if row["server"] == server_url and row["backup_id"] not in seen:
                seen[row["backup_id"]] = Backup(id=row["backup_id"], time=from_iso(row["started"]),
                                                group=server_url)
        return list(seen.values())

    def _settings_closed(self, *_args: object) -> None:
        if self.settings_dialog is not None:
            self.settings_dialog.deleteLater()
        self.settings_dialog = None

    def _settings_saved(self) -> None:
        self.refresh_servers()
        self.history.refresh_servers()
        self.dashboard.refresh()
        self._update_tray()
        self.statusBar().showMessage(tr("Settings saved."))

    def _settings_changed(self, general: dict[str, Any]) -> None:
        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return
        apply_theme(app, str(general.get("theme", "system")))
        self.dashboard.refresh()   # its links take the palette's colour when they are set
        if general.get("language", "en") != current_language():
            # After the dialog has closed and been let go of: the window is built again.
            QTimer.singleShot(0, lambda: self.switch_language(str(general["language"])))

    def busy_elsewhere(self) -> bool:
        """True while a job, a verification or a wizard is under way."""
        return bool(self.jobs.running()) or self._thread is not None or self.wizard is not None \
            or self.restore_wizard is not None

    def switch_language(self, code: str) -> MainWindow | None:
        """Speak `code` from now on: build this window again in that language and hand it
        everything (profile, catalog, open repository, demo server); None when it must wait.

        Texts are taken when widgets are built, so a new window is the only way to change them
        all.  While something runs, the change waits for the next start, and the user is told.
        """
        app = QApplication.instance()
        if not isinstance(app, QApplication) or not install_language(app, code):
            return None
        if self.busy_elsewhere():
            self.statusBar().showMessage(tr("The new language shows from the next start "
                                            "(something is running now)."))
            return None
        successor = MainWindow(self.profile, self.catalog)
        successor.demo, self.demo = self.demo, None
        if self.repo is not None:
            successor.show_repository(self.repo, self.location, self.repo.list_backups())
        successor.tabs.setCurrentIndex(self.tabs.currentIndex())
        successor.setGeometry(self.geometry())
        if self.isMaximized():
            successor.showMaximized()
        else:
            successor.show()
        self._handing_over = True
        self.close()
        self.replaced.emit(successor)   # whoever holds this window lets go of it (app.gui.main)
        return successor

    # -- restore -------------------------------------------------------------------------------
    def restore_selected(self) -> None:
        """Open the restore wizard on the selected backup (or the newest)."""
        from app.gui.restore_wizard import RestoreWizard
        if self.repo is None:
            return
        if self.restore_wizard is not None:
            self.restore_wizard.raise_()
            return
        manifest = self.selected_manifest()
        backups = [self.model.manifest(row) for row in range(self.model.rowCount())]
        wizard = RestoreWizard(self.repo, self.location, self.profile, self.catalog, self.jobs, backups,
                               selected=str(manifest["id"]) if manifest else None,
                               ensure_demo=self._ensure_demo, parent=self)
        wizard.run_page.ended.connect(self._restore_ended)
        wizard.finished.connect(self._restore_closed)
        self.restore_wizard = wizard
        self._update_actions()
        wizard.open()

    def _restore_ended(self, outcome: str) -> None:
        self.history.refresh_servers()
        self.history.refresh()
        self.dashboard.refresh()
        row = self.restore_wizard.run_page.row if self.restore_wizard is not None else None
        if row is not None:
            self.statusBar().showMessage(row.message)

    def _restore_closed(self, *_args: object) -> None:
        if self.restore_wizard is not None:
            self.restore_wizard.dispose()
        self.restore_wizard = None
        self._update_actions()

    # -- verification --------------------------------------------------------------------------
    def verify_selected(self) -> None:
        """Verify the selected backup in a worker thread."""
        manifest = self.selected_manifest()
        if self.repo is None or manifest is None or self._thread is not None:
            return
        self._token = CancelToken()
        self._outcome = ""
        self._worker = VerifyWorker(self.repo, [str(manifest["id"])], self._token)
        self._worker.progress.connect(self._verify_progress)
        self._worker.finished.connect(self._verify_finished)
        self._worker.failed.connect(self._verify_failed)
        self._worker.cancelled.connect(lambda: self._verify_failed("cancelled"))
        self.progress_bar.setValue(0)
        self.progress_bar.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setVisible(True)
        self.statusBar().showMessage(tr("Verifying backup {id}…").format(id=str(manifest["id"])[:8]))
        self._thread = start_in_thread(self._worker, self)
        self._thread.finished.connect(self._thread_finished)
        self._update_actions()

    def cancel_verification(self) -> None:
        """Ask the running verification to stop at its next check."""
        if self._token is not None:
            self._token.cancel()
            self.cancel_button.setEnabled(False)
            self.statusBar().showMessage(tr("Cancelling…"))

    def _verify_progress(self, progress: Progress) -> None:
        if self._token is not None and self._token.cancelled:
            return
        self.progress_bar.setValue(int(progress.fraction * 1000))
        done, rate = human_size(progress.done_bytes), human_size(progress.rate)
        self.statusBar().showMessage(
            tr("Verifying… {done} of {total} ({rate}/s)").format(
                done=done, total=human_size(progress.total_bytes), rate=rate) if progress.total_bytes
            else tr("Verifying… {done} ({rate}/s)").format(done=done, rate=rate))

    def _verify_finished(self, report: VerifyReport) -> None:
        short = ", ".join(b[:8] for b in report.backups)
        if report.ok:
            self._outcome = "ok"
            text = tr("Backup {id} verified: {objects}, {size} in {seconds} s, no damage found.").format(
                id=short, objects=tr("%n object(s)", "", report.objects), size=human_size(report.bytes),
                seconds=f"{report.seconds:.1f}")
            self.statusBar().showMessage(text)
            QMessageBox.information(self, tr("Verification passed"), text)
            return
        self._outcome = "damaged"
        count = len(report.damaged)
        text = tr("Backup {id}: %n damaged object(s) out of {objects}. This backup cannot be fully "
                  "restored.", "", count).format(id=short, objects=number(report.objects))
        self.statusBar().showMessage(text)
        box_text = text + "\n\n" + "\n".join(sorted(report.damaged.values())[:10])
        if count > 10:
            box_text += "\n" + tr("… and %n more", "", count - 10)
        QMessageBox.critical(self, tr("Damage found"), box_text)

    def _verify_failed(self, message: str) -> None:
        if self._token is not None and self._token.cancelled:
            self._outcome = "cancelled"
            self.statusBar().showMessage(tr("Verification cancelled."))
            return
        self._outcome = "failed"
        self.statusBar().showMessage(tr("Verification failed: {error}").format(error=message))
        QMessageBox.warning(self, tr("Verification failed"), sentence(message))

    def _thread_finished(self) -> None:
        if self._thread is not None:
            self._thread.deleteLater()
        self._thread = self._worker = self._token = None
        self.progress_bar.setVisible(False)
        self.cancel_button.setVisible(False)
        self._update_actions()
        self.verification_done.emit(self._outcome or "failed")

    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask before cancelling running jobs; stop a verification and the demo server."""
        running = self.jobs.running()
        if running and not self._handing_over:
            answer = QMessageBox.question(
                self, tr("Jobs are running"),
                tr("%n job(s) still running. Cancel and quit? (A cancelled backup leaves nothing "
                   "behind.)", "", len(running)),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self.jobs.cancel_all()
        self.tray.hide()
        self.dashboard.shutdown()
        if self.demo is not None:
            self.demo.stop()
            self.demo = None
        if self._thread is not None:
            self.cancel_verification()
            self._thread.quit()
            self._thread.wait()
        super().closeEvent(event)


class BackupOutcome:
    """What a backup job hands back to the GUI thread."""

    def __init__(self, backup_id: str, summary: str) -> None:
        self.backup_id = backup_id
        self.summary = summary
