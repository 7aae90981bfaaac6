"""Verifying the selected backup from the window: in a worker thread, with progress and cancel."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from app.core import verify
from app.core.errors import OperationFailed
from app.core.jobs import CancelToken, Progress
from app.core.repository import Repository
from app.gui import main as gui_main
from app.gui.window import MainWindow
from tests.gui.conftest import Boxes

TIMEOUT_MS = 20_000


@pytest.fixture
def window(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, repo: Repository,
           backup_ids: list[str]) -> MainWindow:
    """The window with the test repository open and its newest backup selected."""
    monkeypatch.setenv("CUSTODE_PASSWORD", "correct horse")
    win = gui_main.create_window(["--repo", repo.storage.location])
    qtbot.addWidget(win)
    win.table.selectRow(0)
    return win


def run_verify(qtbot: QtBot, window: MainWindow) -> str:
    with qtbot.waitSignal(window.verification_done, timeout=TIMEOUT_MS) as blocker:
        window.verify_action.trigger()
    assert not window.progress_bar.isVisible() and window.verify_action.isEnabled()
    return str(blocker.args[0])


def test_verify_ok(qtbot: QtBot, window: MainWindow, boxes: Boxes) -> None:
    assert run_verify(qtbot, window) == "ok"
    assert boxes.kinds() == ["information"]
    assert "no damage found" in boxes.text() and "7 objects" in boxes.text()
    assert "no damage found" in window.statusBar().currentMessage()


def test_verify_reports_damage(qtbot: QtBot, window: MainWindow, repo: Repository,
                               backup_ids: list[str], boxes: Boxes) -> None:
    manifest = repo.load_backup(backup_ids[0])
    object_id = manifest["databases"][0]["tables"][0]["objects"][0]["id"]
    path = Path(repo.storage.location) / repo.object_path(object_id)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))

    assert run_verify(qtbot, window) == "damaged"
    assert boxes.kinds() == ["critical"]
    _kind, title, text = boxes.shown[0]
    assert title == "Damage found"
    assert "1 damaged object out of 7" in text and object_id in text
    assert "1 damaged object" in window.statusBar().currentMessage()


def test_progress_and_cancel(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
                             boxes: Boxes) -> None:
    threads: list[threading.Thread] = []

    def slow_verify(_repo: Repository, ids: list[str], *, progress: Any, cancel: CancelToken) -> Any:
        threads.append(threading.current_thread())
        progress(Progress("verify", done_bytes=512, total_bytes=1024))
        while not cancel.cancelled:
            threading.Event().wait(0.01)
        cancel.check()

    monkeypatch.setattr(verify, "verify_backups", slow_verify)
    with qtbot.waitSignal(window.verification_done, timeout=TIMEOUT_MS) as blocker:
        window.verify_action.trigger()
        assert window.progress_bar.isVisible() and window.cancel_button.isVisible()
        assert not window.verify_action.isEnabled() and not window.open_action.isEnabled()
        qtbot.waitUntil(lambda: window.progress_bar.value() == 500, timeout=TIMEOUT_MS)
        assert "512 B of 1.0 KiB" in window.statusBar().currentMessage()
        window.cancel_button.click()
    assert blocker.args == ["cancelled"]
    assert threads and threads[0] is not threading.main_thread()
    assert boxes.shown == []
    assert window.statusBar().currentMessage() == "Verification cancelled."
    assert not window.cancel_button.isVisible() and window.verify_action.isEnabled()


def test_engine_error_is_one_line(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch,
                                  boxes: Boxes) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise OperationFailed("cannot read /repo/data: Input/output error")

    monkeypatch.setattr(verify, "verify_backups", broken)
    assert run_verify(qtbot, window) == "failed"
    assert boxes.shown == [("warning", "Verification failed", "Cannot read /repo/data: Input/output error.")]


def test_closing_during_verification_stops_it(qtbot: QtBot, window: MainWindow,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def slow_verify(_repo: Repository, ids: list[str], *, progress: Any, cancel: CancelToken) -> Any:
        while not cancel.cancelled:
            threading.Event().wait(0.01)
        cancel.check()

    monkeypatch.setattr(verify, "verify_backups", slow_verify)
    window.verify_action.trigger()
    thread = window._thread
    assert thread is not None and thread.isRunning()
    window.close()
    assert not thread.isRunning()
