"""Verification off the GUI thread: a `JobWorker` around `verify_backups`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QThread

from app.core import verify
from app.core.jobs import CancelToken, ProgressCallback
from app.core.locks import repository_lock
from app.core.repository import Repository
from app.gui.jobs import JobWorker, run_in_thread


class VerifyWorker(JobWorker):
    """Verifies `backup_ids`; `finished` carries the VerifyReport."""

    def __init__(self, repo: Repository, backup_ids: list[str], token: CancelToken) -> None:
        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            with repository_lock(repo.storage, exclusive=False, operation="verify", read_only_ok=True):
                return verify.verify_backups(repo, backup_ids, progress=progress, cancel=cancel)

        super().__init__(work, token)
        self.repo = repo
        self.backup_ids = backup_ids


def start_in_thread(worker: VerifyWorker, parent: QObject) -> QThread:
    """Start `worker` in a new thread (see `run_in_thread`)."""
    return run_in_thread(worker, parent)
