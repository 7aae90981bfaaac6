"""A repository's state on the settings' Repositories page: reachable, usage, free space, locks.

Read in a worker (a remote listing can take seconds) without the passphrase; "Check again" reads
it anew.  Stale locks are explained with the command that removes them.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QPushButton, QWidget

from app.core.jobs import human_size
from app.core.usage import RepositoryStatus, repository_usage
from app.gui.forms import ERROR_STYLE, OK_STYLE
from app.gui.i18n import QT_TR_NOOP, tr, tr_value
from app.gui.jobs import JobWorker, run_in_thread, sentence

WARN_STYLE = "color: #b38600;"   # the SPEC's amber (#ffc107), darkened to be readable on white
KIND_TEXT = {"folder": QT_TR_NOOP("folder"), "s3": QT_TR_NOOP("S3 bucket"),
             "sftp": QT_TR_NOOP("SFTP server"), "ftps": QT_TR_NOOP("FTPS server"),
             "rclone": QT_TR_NOOP("rclone remote")}


class RepositoryStatusPanel(QGroupBox):
    """Shows `repository_usage(location)`; `checked` is emitted when a reading is shown."""

    checked = Signal(object)   # RepositoryStatus

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("State"), parent)
        rows = QFormLayout(self)
        self.state = QLabel()
        self.backups = QLabel()
        self.usage = QLabel()
        self.free = QLabel()
        self.locks = QLabel()
        for label in (self.state, self.backups, self.usage, self.free, self.locks):
            label.setWordWrap(True)
        rows.addRow(tr("Reachable:"), self.state)
        rows.addRow(tr("Backups:"), self.backups)
        rows.addRow(tr("Stored:"), self.usage)
        rows.addRow(tr("Free space:"), self.free)
        rows.addRow(tr("Locks:"), self.locks)
        self.button = QPushButton(tr("Check again"))
        self.button.clicked.connect(self.check)
        rows.addRow("", self.button)
        self.location = ""
        self.status: RepositoryStatus | None = None
        self.job_thread: QThread | None = None
        self.worker: JobWorker | None = None     # a live Python reference while it runs
        self._again = False

    def show_location(self, location: str) -> None:
        """Read the state of `location` (in a worker)."""
        self.location = location
        self.check()

    def check(self) -> None:
        if not self.location:
            return
        if self.job_thread is not None:
            self._again = True
            return
        location = self.location

        def work(_progress: Any, cancel: Any) -> RepositoryStatus:
            return repository_usage(location, cancel)

        worker = self.worker = JobWorker(work)
        worker.finished.connect(self._show)
        worker.failed.connect(self._failed)
        for label in (self.backups, self.usage, self.free, self.locks):
            label.clear()
        self.state.setStyleSheet("")
        self.state.setText(tr("Reading {location}…").format(location=location))
        self.button.setEnabled(False)
        # The application owns the thread (run_in_thread): closing the page while a slow remote
        # answers does not destroy it.
        self.job_thread = thread = run_in_thread(worker, self)
        thread.finished.connect(thread.deleteLater)
        thread.finished.connect(self._thread_finished)

    def wait(self) -> None:
        """Block until a running check ends: before the page closes."""
        if self.job_thread is not None:
            self.job_thread.wait()

    def _show(self, status: RepositoryStatus) -> None:
        if status.location != self.location:
            return   # another repository was chosen meanwhile; its own check follows
        self.status = status
        kind = tr_value(KIND_TEXT, status.kind)
        if status.error:
            self.state.setStyleSheet(ERROR_STYLE)
            self.state.setText(tr("No ({kind}): {error}").format(kind=kind, error=sentence(status.error)))
            self.checked.emit(status)
            return
        self.state.setStyleSheet(OK_STYLE)
        self.state.setText(tr("Yes ({kind}), repository {id}").format(kind=kind, id=status.repository_id[:8]))
        self.backups.setText(f"{status.backups:,}")
        self.usage.setText(tr("{size} in {objects} objects").format(
            size=human_size(status.stored_bytes), objects=f"{status.objects:,}"))
        self.free.setText(human_size(status.free) if status.free is not None
                          else tr("not known for this kind of storage"))
        if not status.locks:
            self.locks.setStyleSheet("")
            self.locks.setText(tr("none: nobody is working on it"))
        else:
            lines = []
            for description, stale in status.locks:
                lines.append(tr("Stale: {why}. 'custode unlock' removes it.").format(why=stale)
                             if stale else tr("In use: {lock}").format(lock=description))
            stale_only = all(stale for _, stale in status.locks)
            self.locks.setStyleSheet(WARN_STYLE if stale_only else "")
            self.locks.setText("\n".join(lines))
        self.checked.emit(status)

    def _failed(self, message: str) -> None:
        self.state.setStyleSheet(ERROR_STYLE)
        self.state.setText(sentence(message))

    def _thread_finished(self) -> None:
        self.job_thread = None
        self.worker = None
        self.button.setEnabled(True)
        if self._again:
            self._again = False
            self.check()
