"""The Keys settings page: change a repository's passphrase, save (and print) its recovery sheet.

The change-passphrase form is built from `app.core.keys.PASSPHRASE_FIELDS` and checked while the
user types.  Both actions derive a key (Argon2id, about 0.35 s), so they run in a `JobWorker`
thread; the page only shows what the worker's signals say.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThread, Signal, SignalInstance
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core import keys, secrets
from app.core.errors import CustodeError, WrongPassphrase
from app.core.profile import Profile, validate
from app.core.recovery import write_private_file
from app.core.repository import read_config
from app.core.storage import open_storage
from app.gui.field_texts import translate
from app.gui.forms import ERROR_STYLE, HELP_STYLE, OK_STYLE, FieldForm
from app.gui.i18n import QT_TR_NOOP, tr
from app.gui.jobs import JobWorker, Work, run_in_thread, sentence
from app.gui.passphrase import PassphraseDialog

try:   # part of PySide6-Essentials; a trimmed build may leave it out, and then the sheet is HTML only
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    CAN_PRINT = True
except ImportError:   # pragma: no cover - not the case with the pinned PySide6-Essentials
    CAN_PRINT = False

STORED_PLACEHOLDER = QT_TR_NOOP("Stored in the OS keyring (leave empty to use it)")
NOT_STORED_PLACEHOLDER = QT_TR_NOOP("Not in the keyring: type it")
KEYRING_WRONG = QT_TR_NOOP("The passphrase in the keyring does not open this repository: "
                           "type the current one.")


class KeysPage(QWidget):
    """Keys of the profile's repositories.

    Signals:
        passphrase_changed(bool): a change ended (True when the new passphrase is in place).
        sheet_saved(bool): saving a recovery sheet ended (True when the file was written).
    """

    passphrase_changed = Signal(bool)
    sheet_saved = Signal(bool)

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.repo_id = ""
        self.job_thread: QThread | None = None
        self._job: tuple[QLabel, Callable[[Any], None], SignalInstance] | None = None
        self._sheet_target = Path()
        self.last_ok = False
        column = QVBoxLayout(self)
        self.repository = QComboBox()
        self.repository.setObjectName("repository")
        for entry in profile.repositories:
            self.repository.addItem(f"{entry.name} — {entry.location}", entry.location)
        self.info = QLabel()
        self.info.setWordWrap(True)
        chooser = QFormLayout()
        chooser.addRow(tr("Repository"), self.repository)
        chooser.addRow("", self.info)
        column.addLayout(chooser)
        column.addWidget(self._change_box())
        column.addWidget(self._sheet_box())
        column.addStretch(1)
        self.repository.currentIndexChanged.connect(self._repository_chosen)
        self._repository_chosen()

    # -- layout ----------------------------------------------------------------------------------
    def _change_box(self) -> QGroupBox:
        box = QGroupBox(tr("Change passphrase"))
        layout = QVBoxLayout(box)
        note = QLabel(tr("The backups stay as they are: only the key file that guards the master key "
                         "is replaced. When the keyring held the old passphrase, it gets the new one."))
        note.setWordWrap(True)
        note.setStyleSheet(HELP_STYLE)
        layout.addWidget(note)
        self.form = FieldForm(keys.PASSPHRASE_FIELDS)
        self.form.changed.connect(self._live_check)
        layout.addWidget(self.form)
        self.change_button = QPushButton(tr("Change passphrase"))
        self.change_button.setObjectName("change-passphrase")
        self.change_button.clicked.connect(self.change_passphrase)
        self.change_status = self._status_label("change-status")
        layout.addLayout(self._row(self.change_button, self.change_status))
        return box

    def _sheet_box(self) -> QGroupBox:
        box = QGroupBox(tr("Recovery sheet"))
        layout = QVBoxLayout(box)
        note = QLabel(tr("A page to print and keep in a safe: the master key, in short checked lines, "
                         "and the steps to restore with it if the passphrase is ever lost. It does "
                         "not hold the passphrase, and stays valid when the passphrase changes."))
        note.setWordWrap(True)
        note.setStyleSheet(HELP_STYLE)
        layout.addWidget(note)
        self.sheet_button = QPushButton(tr("Save recovery sheet…"))
        self.sheet_button.setObjectName("save-sheet")
        self.sheet_button.clicked.connect(self.save_sheet)
        self.sheet_status = self._status_label("sheet-status")
        layout.addLayout(self._row(self.sheet_button, self.sheet_status))
        return box

    @staticmethod
    def _status_label(name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        return label

    @staticmethod
    def _row(button: QPushButton, status: QLabel) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(button)
        row.addWidget(status, 1)
        return row

    # -- state -----------------------------------------------------------------------------------
    def location(self) -> str:
        return str(self.repository.currentData() or "")

    def _stored(self) -> str | None:
        return secrets.get_secret(secrets.REPOSITORY_SERVICE, self.repo_id) if self.repo_id else None

    def _repository_chosen(self) -> None:
        self.repo_id = ""
        self.change_status.clear()
        self.sheet_status.clear()
        if not self.location():
            self._show_info(tr("Add a repository first: its keys are managed here."), ERROR_STYLE)
        else:
            try:
                self.repo_id = str(read_config(open_storage(self.location())).get("id", ""))
            except CustodeError as exc:
                self._show_info(sentence(exc), ERROR_STYLE)
            else:
                where = (tr("Repository {id}: its passphrase is in the keyring.") if self._stored()
                         else tr("Repository {id}: its passphrase is not in the keyring."))
                self._show_info(where.format(id=self.repo_id[:8]), HELP_STYLE)
        self.form.line_edit("old").setPlaceholderText(
            tr(STORED_PLACEHOLDER) if self._stored() else tr(NOT_STORED_PLACEHOLDER))
        self._live_check()

    def _show_info(self, text: str, style: str) -> None:
        self.info.setText(text)
        self.info.setStyleSheet(style)

    def _problems(self) -> dict[str, str]:
        problems = validate(keys.PASSPHRASE_FIELDS, self.form.values(), translate)
        if not self.form.values()["old"] and not self._stored():
            problems["old"] = tr("Type the current passphrase.")
        return problems

    def _live_check(self) -> None:
        """Say what is wrong with what was typed so far; the button waits for a valid form."""
        values = self.form.values()
        problems = {key: text for key, text in self._problems().items() if values[key]}
        focused = self.focusWidget()
        self.form.show_problems(problems)
        if focused is not None:
            focused.setFocus()   # showing a problem must not pull the cursor out of the field
        idle = self.job_thread is None and bool(self.repo_id)
        self.change_button.setEnabled(idle and not self._problems())
        self.sheet_button.setEnabled(idle)

    # -- actions ---------------------------------------------------------------------------------
    def change_passphrase(self) -> None:
        if self.job_thread is not None or self._problems():
            return
        values = self.form.values()
        location, repo_id, typed, new = self.location(), self.repo_id, values["old"], values["new"]

        def work(_progress: Any, _cancel: Any) -> bool:
            old = typed or secrets.get_secret(secrets.REPOSITORY_SERVICE, repo_id) or ""
            try:
                return keys.change_passphrase(location, old, new)
            except WrongPassphrase:
                if typed:
                    raise
                raise WrongPassphrase(tr(KEYRING_WRONG)) from None

        self._start(work, self.change_status, tr("Changing the passphrase…"), self._changed,
                    self.passphrase_changed)

    def _changed(self, in_keyring: bool) -> None:
        self.form.set_values({"old": "", "new": "", "confirm": ""})
        self._repository_chosen()
        self._show(self.change_status, True,
                   tr("Passphrase changed. The keyring holds the new one.") if in_keyring
                   else tr("Passphrase changed. Custode will ask for it: the keyring does not hold it."))

    def save_sheet(self) -> None:
        if self.job_thread is not None or not self.repo_id:
            return
        passphrase = self._stored()
        if not passphrase:
            dialog = PassphraseDialog(self.location(), tr("The recovery sheet needs the passphrase once."),
                                      self)
            dialog.remember.hide()
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            passphrase = dialog.passphrase()
        suggested = str(Path.home() / f"custode-recovery-{self.repo_id[:8]}.html")
        chosen, _ = QFileDialog.getSaveFileName(self, tr("Save recovery sheet"), suggested,
                                                tr("Web page (*.html)"))
        if not chosen:
            return
        target = Path(chosen if chosen.lower().endswith((".html", ".htm")) else chosen + ".html")
        location = self.location()

        def work(_progress: Any, _cancel: Any) -> str:
            sheet = keys.recovery_sheet(location, passphrase, html=True)
            write_private_file(target, sheet)
            return sheet

        self._sheet_target = target
        self._start(work, self.sheet_status, tr("Writing the recovery sheet…"), self._sheet_written,
                    self.sheet_saved)

    def _sheet_written(self, sheet: str) -> None:
        self._show(self.sheet_status, True, tr("Saved to {path}. Print it, keep it in a safe, then "
                                               "delete the file: it opens every backup.")
                   .format(path=self._sheet_target))
        if CAN_PRINT and QMessageBox.question(
                self, tr("Print the recovery sheet"), tr("Print the recovery sheet now?")) \
                == QMessageBox.StandardButton.Yes:
            printer = self.choose_printer()
            if printer is not None:
                document = QTextDocument()
                document.setHtml(sheet)
                document.print_(printer)

    def choose_printer(self) -> QPrinter | None:
        """The printer the user picked in the system's print dialog, or None."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    # -- the worker ------------------------------------------------------------------------------
    def _start(self, work: Work, status: QLabel, busy: str, done: Callable[[Any], None],
               announce: SignalInstance) -> None:
        # One job at a time, so its outcome's receivers can live on the page.  Worker signals go
        # to bound methods only: Qt then queues them to the GUI thread (a lambda would run in the
        # worker's thread).
        self._job = (status, done, announce)
        worker = JobWorker(work)
        worker.finished.connect(self._job_finished)
        worker.failed.connect(self._job_failed)
        status.setStyleSheet(HELP_STYLE)
        status.setText(busy)
        self.last_ok = False
        # run_in_thread keeps thread and worker with the application: closing the settings
        # mid-change neither destroys the thread nor loses the worker; the change finishes.
        self.job_thread = run_in_thread(worker, self)
        self.job_thread.finished.connect(self._thread_finished)
        self._live_check()

    def _job_finished(self, result: Any) -> None:
        assert self._job is not None
        self._job[1](result)

    def _job_failed(self, message: str) -> None:
        assert self._job is not None
        self._show(self._job[0], False, sentence(message))

    def _show(self, status: QLabel, ok: bool, text: str) -> None:
        status.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        status.setText(text)
        self.last_ok = ok

    def _thread_finished(self) -> None:
        if self.job_thread is not None:
            self.job_thread.deleteLater()
        self.job_thread = None
        self._live_check()
        assert self._job is not None
        self._job[2].emit(self.last_ok)   # announced once the buttons take clicks again
