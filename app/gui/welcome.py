"""First run: create or open a repository, then add a server (or start the demo server).

Nothing is written to the profile until the wizard is finished; the repository is created when
its page is accepted (so a wrong passphrase or a non-empty folder is told on that page).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.core import secrets
from app.core.demo import DemoServer, demo_available
from app.core.errors import CustodeError, WrongPassphrase
from app.core.profile import REPOSITORY_FIELDS, SERVER_FIELDS, Profile, RepositoryEntry, ServerEntry
from app.core.repository import Repository
from app.core.storage import kind_of, open_storage, remember_credentials
from app.core.storage_sftp import HostKeyChanged, UnknownHostKey
from app.gui.connection_test import server_version
from app.gui.forms import ERROR_STYLE, OK_STYLE, FieldForm
from app.gui.host_key import ask_to_trust, warn_changed
from app.gui.i18n import tr
from app.gui.jobs import JobWorker, run_in_thread, sentence
from app.gui.passphrase import busy

INFO_STYLE = "color: #17a2b8;"
MIN_PASSPHRASE = 8


class RepositoryPage(QWizardPage):
    def __init__(self, wizard: WelcomeWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("Where should backups go?"))
        self.setSubTitle(tr("A repository holds encrypted backups: a folder, or space on S3, an SFTP "
                            "or FTPS server, or any rclone remote. Choose an empty place for a new "
                            "one, or open one you already have."))
        layout = QVBoxLayout(self)
        self.create_radio = QRadioButton(tr("Create a new repository"))
        self.open_radio = QRadioButton(tr("Open an existing repository"))
        self.create_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.create_radio)
        group.addButton(self.open_radio)
        row = QHBoxLayout()
        row.addWidget(self.create_radio)
        row.addWidget(self.open_radio)
        row.addStretch(1)
        layout.addLayout(row)
        self.form = FieldForm(REPOSITORY_FIELDS)
        layout.addWidget(self.form)
        # Remote kinds: the storage's own credentials, kept in the keyring (docs/STORAGE.md).
        self.remote_note = QLabel()
        self.remote_note.setWordWrap(True)
        self.key_id = QLineEdit()
        self.key_id.setObjectName("storage-key-id")
        self.storage_secret = QLineEdit()
        self.storage_secret.setObjectName("storage-secret")
        self.storage_secret.setEchoMode(QLineEdit.EchoMode.Password)
        for widget in (self.remote_note, self.key_id, self.storage_secret):
            layout.addWidget(widget)
            widget.hide()
        self.form.changed.connect(self._location_changed)
        self.confirm = QLineEdit()
        self.confirm.setObjectName("confirm-passphrase")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setPlaceholderText(tr("Type the passphrase again"))
        layout.addWidget(self.confirm)
        self.remember = QCheckBox(tr("Remember the passphrase in the system keyring"))
        keyring = secrets.keyring_name()
        self.remember.setChecked(keyring is not None)
        self.remember.setEnabled(keyring is not None)
        if keyring is None:
            self.remember.setText(tr("No system keyring available: the passphrase will be asked for "
                                     "each time"))
        layout.addWidget(self.remember)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.create_radio.toggled.connect(self._mode_changed)

    def storage_kind(self) -> str:
        return kind_of(str(self.form.values().get("location") or ""))

    def _location_changed(self) -> None:
        kind = self.storage_kind()
        self.remote_note.setVisible(kind != "folder")
        self.key_id.setVisible(kind == "s3")
        self.storage_secret.setVisible(kind in ("s3", "sftp", "ftps"))
        if kind == "s3":
            self.remote_note.setText(tr("S3: the AWS settings of this computer are used (environment, "
                                        "~/.aws, instance role). Or give a key pair; it is kept in "
                                        "the system keyring."))
            self.key_id.setPlaceholderText(tr("Access key ID"))
            self.storage_secret.setPlaceholderText(tr("Secret access key"))
        elif kind == "sftp":
            self.remote_note.setText(tr("SFTP: your SSH keys are used. Or give the account's password; "
                                        "it is kept in the system keyring."))
            self.storage_secret.setPlaceholderText(tr("Password on the SFTP server"))
        elif kind == "ftps":
            self.remote_note.setText(tr("FTPS: the password is kept in the system keyring."))
            self.storage_secret.setPlaceholderText(tr("Password on the FTPS server"))
        elif kind == "rclone":
            self.remote_note.setText(tr("rclone: the remote's credentials stay in rclone's own "
                                        "configuration (rclone config)."))

    def _mode_changed(self, creating: bool) -> None:
        self.confirm.setVisible(creating)
        self.error.clear()

    def validatePage(self) -> bool:
        self.error.clear()
        if not self.form.check():
            return False
        values = self.form.values()
        passphrase = values["passphrase"]
        creating = self.create_radio.isChecked()
        if creating and len(passphrase) < MIN_PASSPHRASE:
            self.form.show_problems({"passphrase": tr("Use at least %n character(s).", "", MIN_PASSPHRASE)})
            return False
        if creating and self.confirm.text() != passphrase:
            self.form.show_problems({"passphrase": tr("The two passphrases differ; type them again.")})
            self.confirm.clear()
            return False
        location = str(values["location"])
        secret = self.storage_secret.text() if not self.storage_secret.isHidden() else ""
        try:
            if secret and not remember_credentials(location, secret, self.key_id.text().strip()):
                self.form.show_problems({"location": tr(
                    "No system keyring: the storage password cannot be kept. Use SSH keys, the AWS "
                    "settings or rclone instead.")})
                return False
            from app.gui.host_key import connect_trusting  # paramiko: only when needed (0.2 s)
            storage = connect_trusting(lambda: open_storage(location), self)
            if storage is None:
                self.form.show_problems({"location": tr("The server's host key was not trusted; "
                                                        "nothing was changed.")})
                return False
            with busy():   # the key derivation takes a moment
                repo = (Repository.init(storage, passphrase) if creating
                        else Repository.open(storage, passphrase))
        except WrongPassphrase as exc:
            self.form.show_problems({"passphrase": sentence(exc)})
            return False
        except CustodeError as exc:
            self.form.show_problems({"location": sentence(exc)})
            return False
        if self.remember.isChecked() and not secrets.set_secret(
                secrets.REPOSITORY_SERVICE, repo.config["id"], passphrase):
            self.error.setText(tr("The keyring did not take the passphrase: it will be asked for "
                                  "each time."))
        self.owner.repo = repo
        self.owner.repository = RepositoryEntry(values["name"], values["location"])
        return True


class ServerPage(QWizardPage):
    test_done = Signal(str)    # "ok" or "failed": for tests and accessibility
    demo_done = Signal(str)    # "ok" or "failed"

    def __init__(self, wizard: WelcomeWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("Which server should Custode back up?"))
        self.setSubTitle(tr("Give its address and an account that may read everything (and RELOAD "
                            "for a consistent snapshot), or try Custode on the demo server first."))
        layout = QVBoxLayout(self)
        demo_row = QHBoxLayout()
        self.demo_button = QPushButton(tr("Use the demo server (Sakila sample)"))
        self.demo_button.clicked.connect(self.start_demo)
        demo_row.addWidget(self.demo_button)
        demo_row.addStretch(1)
        layout.addLayout(demo_row)
        self.demo_status = QLabel()
        self.demo_status.setWordWrap(True)
        layout.addWidget(self.demo_status)
        hint = demo_available()
        if hint:
            self.demo_button.setEnabled(False)
            self.demo_status.setText(hint)
        self.form = FieldForm(SERVER_FIELDS)
        layout.addWidget(self.form)
        test_row = QHBoxLayout()
        self.test_button = QPushButton(tr("Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        layout.addLayout(test_row)
        layout.addStretch(1)
        self.job_thread: QThread | None = None
        self.worker: JobWorker | None = None
        self._announce: tuple[Any, str] | None = None
        self._host_key: UnknownHostKey | HostKeyChanged | None = None
        self.form.changed.connect(lambda: self.test_result.clear())

    def entry(self) -> ServerEntry:
        values = self.form.values()
        entry = ServerEntry.from_values(values)
        entry.demo = self.owner.demo is not None and entry.socket == self.owner.demo.server.socket
        entry.has_password = bool(values.get("password"))
        return entry

    def _run(self, work: Any, finished: Any, failed: Any) -> None:
        self.worker = JobWorker(work)
        self.worker.finished.connect(finished)
        self.worker.failed.connect(failed)
        self.job_thread = run_in_thread(self.worker, self)
        self.job_thread.finished.connect(self._thread_finished)
        self.test_button.setEnabled(False)
        self.demo_button.setEnabled(False)

    def _thread_finished(self) -> None:
        if self.job_thread is not None:
            self.job_thread.deleteLater()
        self.job_thread = self.worker = None
        question, self._host_key = self._host_key, None
        if isinstance(question, UnknownHostKey):
            if ask_to_trust(question, self):
                self.test_connection()           # trusted: connect again
                if self.job_thread is not None:
                    return
            self._outcome(self.test_result, False,
                          tr("Not connected: the SSH server's host key was not trusted."),
                          self.test_done)
        elif isinstance(question, HostKeyChanged):
            warn_changed(question, self)
            self._outcome(self.test_result, False, sentence(str(question)), self.test_done)
        self.test_button.setEnabled(True)
        self.demo_button.setEnabled(demo_available() is None)
        # Announced only now, when the page takes clicks again.
        if self._announce is not None:
            signal, outcome = self._announce
            self._announce = None
            signal.emit(outcome)

    def test_connection(self) -> None:
        if not self.form.check() or self.job_thread is not None:
            return
        entry, password = self.entry(), self.form.values().get("password") or None

        def work(_progress: Any, _cancel: Any) -> object:
            try:
                return server_version(entry, password)
            except (UnknownHostKey, HostKeyChanged) as error:   # asked about on the GUI thread
                return error

        self.test_result.setStyleSheet(INFO_STYLE)
        self.test_result.setText(tr("Connecting…"))
        self._run(work, self._tested, self._test_failed)

    def _outcome(self, label: QLabel, ok: bool, text: str, signal: Any) -> None:
        """Show how a test or the demo start ended; announce it once the page is idle again."""
        label.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        label.setText(text)
        self._announce = (signal, "ok" if ok else "failed")

    def _tested(self, version: object) -> None:
        if isinstance(version, UnknownHostKey | HostKeyChanged):   # an SSH tunnel's server
            self._host_key = version     # asked about once the thread has ended
            return
        self._outcome(self.test_result, True, tr("Connected: {version}").format(version=version),
                      self.test_done)

    def _test_failed(self, message: str) -> None:
        self._outcome(self.test_result, False, sentence(message), self.test_done)

    def start_demo(self) -> None:
        if self.job_thread is not None:
            return
        demo = self.owner.demo or DemoServer()

        def work(_progress: Any, _cancel: Any) -> DemoServer:
            demo.start()
            return demo

        self.demo_status.setStyleSheet(INFO_STYLE)
        self.demo_status.setText(tr("Starting the demo server and loading the Sakila sample "
                                    "(a few seconds the first time)…"))
        self._run(work, self._demo_ready, self._demo_failed)

    def _demo_ready(self, demo: DemoServer) -> None:
        self.owner.demo = demo
        entry = demo.entry
        self.form.set_values({"name": entry.name, "socket": entry.socket, "user": entry.user,
                              "host": "localhost", "password": ""})
        self._outcome(self.demo_status, True, tr("The demo server is running with the Sakila sample "
                                                 "database. Finish, then press 'Back up now'."),
                      self.demo_done)

    def _demo_failed(self, message: str) -> None:
        self._outcome(self.demo_status, False, sentence(message), self.demo_done)

    def validatePage(self) -> bool:
        if self.job_thread is not None or not self.form.check():
            return False
        self.owner.server = self.entry()
        self.owner.server_password = self.form.values().get("password") or None
        return True


class WelcomeWizard(QWizard):
    """Leads a new user to a repository and a server; `accepted` means the profile was saved."""

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.repo: Repository | None = None
        self.repository: RepositoryEntry | None = None
        self.server: ServerEntry | None = None
        self.server_password: str | None = None
        self.demo: DemoServer | None = None
        self.keyring_refused = False
        self.setWindowTitle(tr("Welcome to Custode"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.repository_page = RepositoryPage(self)
        self.server_page = ServerPage(self)
        self.addPage(self.repository_page)
        self.addPage(self.server_page)
        self.resize(720, 640)

    def accept(self) -> None:
        # QWizard.accept() validates the last page; do it first, then save, then close.
        if not self.validateCurrentPage():
            return
        if self.repository is not None:
            self.profile.put_repository(self.repository)
        if self.server is not None:
            self.keyring_refused = not self.profile.put_server(self.server, self.server_password)
        self.profile.save()
        QDialog.accept(self)
