"""rclone storage driving the real rclone program with a `local` remote defined by the environment."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from app.core import storage_rclone
from app.core.backup import BackupOptions, run_backup
from app.core.errors import ConfigError, OperationFailed
from app.core.localserver import LocalServer
from app.core.prune import prune
from app.core.repository import Repository
from app.core.server import ServerSpec
from app.core.storage import READ_BLOCK, open_storage
from app.core.verify import verify_backups
from tests.helpers.fixtures import TEST_KDF
from tests.helpers.restored import assert_restores_identical
from tests.helpers.storage_contract import check_storage_contract

REAL_RCLONE = shutil.which("rclone")
pytestmark = pytest.mark.skipif(REAL_RCLONE is None, reason="rclone is not installed")


@pytest.fixture(autouse=True)
def _remote(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A remote `testlocal` of type local; the user's own rclone config is never read."""
    monkeypatch.setenv("RCLONE_CONFIG", str(tmp_path / "no-rclone.conf"))
    monkeypatch.setenv("RCLONE_CONFIG_TESTLOCAL_TYPE", "local")
    monkeypatch.delenv("CUSTODE_RCLONE", raising=False)
    monkeypatch.setattr(storage_rclone, "BACKOFF", (0.05, 0.1, 0.2))


def _open(tmp_path: Path, folder: str = "repo") -> storage_rclone.RcloneStorage:
    storage = open_storage(f"rclone:testlocal:{tmp_path}/{folder}")
    assert isinstance(storage, storage_rclone.RcloneStorage)
    return storage


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_the_storage_contract(tmp_path: Path) -> None:
    storage = _open(tmp_path)
    check_storage_contract(storage)
    # On disk exactly what list() says: no temporary file left, not even by the failed write.
    assert _files(tmp_path / "repo") == ["backups/0001", "config", "data/ab/ab01"]


def test_prune_removes_what_a_killed_writer_left_behind(tmp_path: Path) -> None:
    storage = _open(tmp_path)
    repo = Repository.init(storage, "rclone pass", kdf=TEST_KDF)
    left = tmp_path / "repo" / "data" / "cd" / ".tmp-00ff00ff00ff00ff"
    left.parent.mkdir(parents=True, exist_ok=True)
    left.write_bytes(b"y" * 777)
    os.utime(left, (1_000_000_000, 1_000_000_000))
    assert list(storage.temporary_files()) == [("data/cd/.tmp-00ff00ff00ff00ff", 777, 1_000_000_000.0)]
    dry = prune(repo, dry_run=True)
    assert (dry.temporary, dry.temporary_bytes) == (1, 777) and left.exists()
    assert prune(repo).temporary == 1
    assert not left.exists() and not list(storage.temporary_files())


def test_no_rclone_program_says_how_to_install_it(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(ConfigError) as missing:
        open_storage(f"rclone:testlocal:{tmp_path}/repo")
    assert str(missing.value) == storage_rclone.NOT_INSTALLED
    assert "sudo apt install rclone" in str(missing.value) and "CUSTODE_RCLONE" in str(missing.value)
    monkeypatch.setenv("CUSTODE_RCLONE", str(tmp_path / "nowhere" / "rclone"))
    with pytest.raises(ConfigError, match=r"^rclone is not installed: install it"):
        open_storage(f"rclone:testlocal:{tmp_path}/repo")
    assert REAL_RCLONE
    monkeypatch.setenv("CUSTODE_RCLONE", REAL_RCLONE)                 # found without PATH
    assert list(_open(tmp_path).list("")) == []


def test_an_unknown_remote_says_to_run_rclone_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as unknown:
        open_storage(f"rclone:nosuchremote:{tmp_path}/repo")
    assert str(unknown.value) == ("rclone has no remote named 'nosuchremote': create it with "
                                  "'rclone config' (or check RCLONE_CONFIG)")


@pytest.mark.parametrize(("location", "message"), [
    ("rclone:", "needs a remote"),
    ("rclone:justaname", "needs a remote"),
    ("rclone::path", "needs a remote"),
    ("rclone:bad,opt=1:path", "is not an rclone remote name"),
    ("rclone:r:a/../b", "must not contain '..'"),
])
def test_bad_locations(location: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        open_storage(location)


def test_rclone_errors_become_one_line(tmp_path: Path) -> None:
    storage = _open(tmp_path)
    storage.write("config", [b"x"])
    (tmp_path / "repo" / "data").write_bytes(b"a file where a folder must go")
    with pytest.raises(OperationFailed) as failed:
        storage.write("data/ab/ab01", [b"y"])
    message = str(failed.value)
    assert message.startswith("rclone failed writing data/ab/ab01 on testlocal: ")
    assert "\n" not in message and "ERROR :" not in message and "2026/" not in message
    assert "check the remote with 'rclone lsd testlocal:'" in message
    assert _files(tmp_path / "repo") == ["config", "data"]


def test_reads_stream_in_blocks_and_can_be_abandoned(tmp_path: Path) -> None:
    storage = _open(tmp_path)
    data = os.urandom(4 * READ_BLOCK + 5)
    storage.write("big", [data])
    sizes = [len(block) for block in storage.read("big")]
    assert max(sizes) <= READ_BLOCK and len(sizes) >= 4 and sum(sizes) == len(data)
    reader = storage.read("big")
    next(reader)
    reader.close()                                 # rclone cat is stopped, not left running
    assert b"".join(storage.read("big")) == data


def test_exists_for_objects_lists_once_and_stays_right(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    storage = _open(tmp_path)
    for i in range(8):
        storage.write(f"data/{i:02x}/obj{i}", [b"%d" % i])
    before = storage.calls
    assert all(storage.exists(f"data/{i:02x}/obj{i}") for i in range(8))
    assert storage.calls - before == 1                          # one listing for 8 answers
    assert not storage.exists("data/77/new") and storage.calls - before == 1    # a miss is free
    # Stored by another process after the listing: absent (at worst uploaded again, identical)
    # until the listing is read again.
    (tmp_path / "repo" / "data" / "99").mkdir()
    (tmp_path / "repo" / "data" / "99" / "other").write_bytes(b"o")
    assert not storage.exists("data/99/other")
    monkeypatch.setattr(storage_rclone, "DATA_CACHE_SECONDS", 0.0)
    assert storage.exists("data/99/other")
    monkeypatch.setattr(storage_rclone, "DATA_CACHE_SECONDS", 600.0)
    storage.delete("data/00/obj0")                               # deleting updates the list
    assert not storage.exists("data/00/obj0")
    storage.write("data/00/obj0", [b"again"])                    # and so does writing
    before = storage.calls
    assert storage.exists("data/00/obj0") and storage.calls == before
    assert not storage.exists("config") and storage.calls == before + 1   # not cached


def test_temporary_errors_are_retried_upload_resent_and_download_resumed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """rclone itself, behind a shim that makes the next rcat / cat fail once with exit status 5
    (rclone's 'temporary error'): half-way through the upload and after 1.5 MB of a download."""
    flaky = tmp_path / "flaky"
    flaky.mkdir()
    shim = tmp_path / "rclone-shim"
    shim.write_text(f"""#!/bin/bash
for a in "$@"; do case "$a" in rcat|cat) cmd=$a;; esac; done
if [ -n "$cmd" ] && [ -e "{flaky}/$cmd" ]; then
  rm "{flaky}/$cmd"
  if [ "$cmd" = rcat ]; then head -c 300000 >/dev/null; fi
  if [ "$cmd" = cat ]; then "{REAL_RCLONE}" "$@" --count 1500000; fi
  echo "2026/01/01 00:00:00 ERROR : connection reset by peer (test)" >&2
  exit 5
fi
exec "{REAL_RCLONE}" "$@"
""")
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("CUSTODE_RCLONE", str(shim))
    storage = _open(tmp_path)
    data = os.urandom(3 * READ_BLOCK + 7)

    (flaky / "rcat").touch()
    blocks = (data[i:i + 100_000] for i in range(0, len(data), 100_000))     # one pass only
    assert storage.write("data/aa/aa01", blocks) == len(data)
    assert not (flaky / "rcat").exists()
    assert (tmp_path / "repo" / "data" / "aa" / "aa01").read_bytes() == data

    (flaky / "cat").touch()
    assert b"".join(storage.read("data/aa/aa01")) == data
    assert not (flaky / "cat").exists()
    assert _files(tmp_path / "repo") == ["data/aa/aa01"]


def test_sakila_backs_up_through_rclone_verifies_and_restores_identical(
        tmp_path: Path, source_server: LocalServer, target_server: LocalServer) -> None:
    storage = _open(tmp_path)
    repo = Repository.init(storage, "rclone pass", kdf=TEST_KDF)
    result = run_backup(repo, ServerSpec.parse(source_server.url), "",
                        BackupOptions(databases=["sakila"], jobs=3))
    reopened = Repository.open(open_storage(storage.location), "rclone pass")
    assert [b["id"] for b in reopened.list_backups()] == [result.backup_id]
    assert verify_backups(reopened, [result.backup_id], jobs=3).ok
    assert_restores_identical(reopened, result.backup_id, source_server, target_server, jobs=3)
