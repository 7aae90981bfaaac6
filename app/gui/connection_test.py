"""'Test connection' for a server form: a button and a result line, the connection in a JobWorker.

Shared by every page that edits a server (the Settings dialog's Servers page; the first-run
wizard can use it too).  The owner says what to test through a callback that returns the entry
and the password, or None after showing why it cannot be tested (the form's own checks).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThread, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.core.profile import ServerEntry
from app.core.server import ServerInfo
from app.core.storage_sftp import HostKeyChanged, UnknownHostKey
from app.gui.forms import ERROR_STYLE, OK_STYLE
from app.gui.host_key import ask_to_trust, warn_changed
from app.gui.i18n import tr
from app.gui.jobs import JobWorker, run_in_thread, sentence

INFO_STYLE = "color: #17a2b8;"

Target = Callable[[], "tuple[ServerEntry, str | None] | None"]


def server_version(entry: ServerEntry, password: str | None) -> str:
    """Connect as `entry` says and return the server's version; raises `CustodeError` when it cannot."""
    connection = entry.spec().connect(password)
    try:
        return ServerInfo.read(connection).version
    finally:
        connection.close()


class ConnectionTest(QWidget):
    """A 'Test connection' button with the outcome beside it.

    Signals:
        busy: True when a test starts, False when the button takes clicks again.
        done: "ok" or "failed", emitted once the button takes clicks again.
    """

    busy = Signal(bool)
    done = Signal(str)

    def __init__(self, target: Target, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.button = QPushButton(tr("Test connection"))
        self.button.clicked.connect(self.start)
        self.result = QLabel()
        self.result.setWordWrap(True)
        row.addWidget(self.button)
        row.addWidget(self.result, 1)
        self.job_thread: QThread | None = None
        self.worker: JobWorker | None = None   # a live Python reference while it runs
        self._outcome = ""
        self._host_key: UnknownHostKey | HostKeyChanged | None = None

    @property
    def running(self) -> bool:
        return self.job_thread is not None

    def start(self) -> bool:
        """Test what the target gives; False when nothing was started (already running, or refused)."""
        if self.job_thread is not None:
            return False
        what = self.target()
        if what is None:
            return False
        entry, password = what

        def work(_progress: Any, _cancel: Any) -> object:
            try:
                return server_version(entry, password)
            except (UnknownHostKey, HostKeyChanged) as error:   # asked about on the GUI thread
                return error

        worker = self.worker = JobWorker(work)
        worker.finished.connect(self._connected)
        worker.failed.connect(self._failed)
        self.result.setStyleSheet(INFO_STYLE)
        self.result.setText(tr("Connecting…"))
        self.job_thread = run_in_thread(worker, self)
        self.job_thread.finished.connect(self._thread_finished)
        self.button.setEnabled(False)
        self.busy.emit(True)
        return True

    def clear(self) -> None:
        """Forget the last outcome (the form changed, so it no longer applies)."""
        if self.job_thread is None:
            self.result.clear()

    def wait(self) -> None:
        """Block until a running test ends (at most the connect timeout): before closing."""
        if self.job_thread is not None:
            self.job_thread.wait()

    def _connected(self, version: object) -> None:
        if isinstance(version, UnknownHostKey | HostKeyChanged):
            self._host_key = version     # asked about once the thread has ended (_thread_finished)
            return
        self._show(True, tr("Connected: {version}").format(version=version))

    def _failed(self, message: str) -> None:
        self._show(False, sentence(message))

    def _show(self, ok: bool, text: str) -> None:
        self.result.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.result.setText(text)
        self._outcome = "ok" if ok else "failed"

    def _thread_finished(self) -> None:
        if self.job_thread is not None:
            self.job_thread.deleteLater()
        self.job_thread = None
        self.worker = None
        question, self._host_key = self._host_key, None
        if isinstance(question, UnknownHostKey):    # the SSH tunnel's server is new to us
            if ask_to_trust(question, self) and self.start():
                return                              # trusted: connecting again, still busy
            self._show(False, tr("Not connected: the SSH server's host key was not trusted."))
        elif isinstance(question, HostKeyChanged):
            warn_changed(question, self)
            self._show(False, sentence(str(question)))
        self.button.setEnabled(True)
        self.busy.emit(False)
        self.done.emit(self._outcome)
