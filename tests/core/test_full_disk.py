"""A repository on a disk that fills up: a real (small) tmpfs, not a stub.

The backup stops with one line that says what happened, leaves no manifest and no temporary file,
and the same backup completes once there is space again (what it stored before is reused).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.backup import BackupOptions, run_backup
from app.core.errors import OperationFailed
from app.core.localserver import LocalServer
from app.core.repository import Repository
from app.core.server import ServerSpec
from app.core.storage import LocalStorage
from app.core.verify import verify_backups
from tests.helpers.fixtures import TEST_KDF

ROOT = Path(__file__).resolve().parents[2]


def _mount(path: Path, size: str, remount: bool = False) -> None:
    options = f"remount,size={size}" if remount else f"size={size}"
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], check=True,
                   capture_output=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 300 KiB tmpfs: room for a repository's key and config, not for Sakila."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    try:
        _mount(mount_point, "300k")
    except (OSError, subprocess.CalledProcessError) as exc:   # not root: cannot run here
        pytest.skip(f"cannot mount a tmpfs here ({exc}); the full-disk test needs root")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


def _leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.startswith(".tmp-")]


def test_a_full_disk_stops_the_backup_cleanly_and_the_rerun_completes(
        small_disk: Path, source_server: LocalServer) -> None:
    repo = Repository.init(LocalStorage(small_disk / "repo"), "pw", kdf=TEST_KDF)
    spec = ServerSpec.parse(source_server.url)
    with pytest.raises(OperationFailed) as failure:
        run_backup(repo, spec, "", BackupOptions(databases=["sakila"], jobs=2))
    message = str(failure.value)
    assert "No space left on device; free some space" in message and "\n" not in message
    assert repo.backup_ids() == [] and _leftovers(small_disk) == []
    stored_before = sum(1 for _ in repo.storage.list("data"))

    _mount(small_disk, "16m", remount=True)
    result = run_backup(repo, spec, "", BackupOptions(databases=["sakila"], jobs=2))
    assert repo.backup_ids() == [result.backup_id]
    assert result.manifest["totals"]["objects"] - result.manifest["totals"]["new_objects"] == stored_before
    assert verify_backups(repo, [result.backup_id]).ok


def test_the_command_line_says_it_in_one_line(small_disk: Path, source_server: LocalServer,
                                              tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUSTODE", "MYSQL"))}
    env.update(CUSTODE_REPO=str(small_disk / "repo"), CUSTODE_PASSWORD="cli pass phrase",
               CUSTODE_SERVER=source_server.url, CUSTODE_HOME=str(tmp_path / "home"),
               PYTHONPATH=str(ROOT))

    def custode(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app", *args], env=env, capture_output=True,
                              text=True, cwd=ROOT, check=False, timeout=120)

    assert custode("init").returncode == 0
    result = custode("backup", "--databases", "sakila")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("custode: error: ") and "No space left" in lines[0]
    assert "Traceback" not in result.stderr
    assert custode("list").stdout.startswith("no backups yet")


def test_prune_on_a_full_disk_makes_room_for_its_lock_and_frees_the_orphans(
        small_disk: Path, source_server: LocalServer) -> None:
    from app.core.errors import StorageFull
    from app.core.locks import repository_lock
    from app.core.prune import prune
    repo = Repository.init(LocalStorage(small_disk / "repo"), "pw", kdf=TEST_KDF)
    with pytest.raises(OperationFailed):
        run_backup(repo, ServerSpec.parse(source_server.url), "", BackupOptions(databases=["sakila"], jobs=2))
    orphans = sum(1 for _ in repo.storage.list("data"))
    assert orphans
    # The backup stopped at an object that did not fit; fill what is left, to the last block.
    with open(small_disk / "filler", "wb", buffering=0) as filler:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    filler.write(b"\0" * size)
            except OSError:
                pass
    with pytest.raises(StorageFull), repository_lock(repo.storage, exclusive=True, operation="prune"):
        pass   # the disk is full indeed: not even a lock file fits
    report = prune(repo)
    assert report.deleted == orphans and any("the disk was full" in w for w in report.warnings)
    assert sum(1 for _ in repo.storage.list("data")) == 0 and _leftovers(small_disk) == []
