"""The settings' Repositories page shows what a repository holds and who holds locks on it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.locks import RepositoryLock, this_host
from app.core.repository import Repository
from app.core.usage import repository_usage
from app.gui.repository_status import RepositoryStatusPanel


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_usage_free_space_and_locks_live_and_stale(qtbot: QtBot, repo: Repository,
                                                   backup_ids: list[str]) -> None:
    root = Path(repo.storage.location)
    stored = sum(p.stat().st_size for p in (root / "data").rglob("*") if p.is_file())
    objects = sum(1 for p in (root / "data").rglob("*") if p.is_file())
    live = RepositoryLock(repo.storage, exclusive=False, operation="backup")
    live.acquire()
    stale = {"version": 1, "user": "ada", "host": this_host(), "pid": _dead_pid(), "program": "custode",
             "operation": "prune", "exclusive": True, "created": "2026-01-01T00:00:00.000Z",
             "refreshed": "2026-01-01T00:00:00.000Z"}
    repo.storage.write("locks/feedface", [json.dumps(stale).encode()])
    try:
        panel = RepositoryStatusPanel()
        qtbot.addWidget(panel)
        with qtbot.waitSignal(panel.checked, timeout=10_000) as signal:
            panel.show_location(str(root))
        status = signal.args[0]
        assert status.error == "" and status.backups == len(backup_ids) == 3
        assert status.objects == objects and status.stored_bytes == stored
        assert panel.state.text().startswith("Yes (folder), repository " + repo.config["id"][:8])
        assert panel.backups.text() == "3" and f"in {objects:,} objects" in panel.usage.text()
        assert panel.free.text().endswith("iB")
        lines = panel.locks.text().splitlines()
        assert len(lines) == 2
        assert any(line.startswith("In use: backup (shared)") for line in lines)
        assert any("Stale: lock by prune" in line and "'custode unlock' removes it" in line
                   for line in lines)
        qtbot.waitUntil(lambda: panel.button.isEnabled())
    finally:
        live.release()


def test_a_missing_folder_is_reported_not_raised(qtbot: QtBot, tmp_path: Path) -> None:
    panel = RepositoryStatusPanel()
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.checked, timeout=10_000):
        panel.show_location(str(tmp_path / "nowhere"))
    assert panel.state.text().startswith("No (folder): ")
    assert "custode init" in panel.state.text()
    assert panel.usage.text() == "" and panel.locks.text() == ""


def test_a_remote_kind_is_named_and_its_error_kept_to_one_line(tmp_path: Path) -> None:
    status = repository_usage("ftps://nobody@127.0.0.1:1/x")
    assert status.kind == "ftps" and status.error and "\n" not in status.error
