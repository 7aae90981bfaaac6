"""Repository: layout, deduplication, damage detection, nothing readable without the passphrase."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from app.core.errors import ConfigError, DamageFound, WrongPassphrase
from app.core.repository import Repository
from app.core.storage import LocalStorage
from tests.helpers.fixtures import TEST_KDF
from tests.helpers.storage_contract import check_storage_contract


def test_init_writes_config_and_a_wrapped_key_only(tmp_path: Path) -> None:
    repo = Repository.init(LocalStorage(tmp_path / "r"), "pw", kdf=TEST_KDF)
    files = sorted(p.relative_to(tmp_path / "r").as_posix() for p in (tmp_path / "r").rglob("*")
                   if p.is_file())
    assert files[0] == "config" and files[1].startswith("keys/") and len(files) == 2
    config = json.loads((tmp_path / "r" / "config").read_text())
    assert config == {**config, "format": 1, "compression": "zstd", "id": repo.config["id"]}


def test_init_refuses_an_existing_repository_or_a_non_empty_folder(tmp_path: Path) -> None:
    Repository.init(LocalStorage(tmp_path / "r"), "pw", kdf=TEST_KDF)
    with pytest.raises(ConfigError, match="already exists"):
        Repository.init(LocalStorage(tmp_path / "r"), "pw", kdf=TEST_KDF)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "file.txt").write_text("mine")
    with pytest.raises(ConfigError, match="not empty"):
        Repository.init(LocalStorage(tmp_path / "other"), "pw", kdf=TEST_KDF)


def test_open_with_the_wrong_passphrase_is_refused(tmp_path: Path) -> None:
    Repository.init(LocalStorage(tmp_path / "r"), "pw", kdf=TEST_KDF)
    with pytest.raises(WrongPassphrase):
        Repository.open(LocalStorage(tmp_path / "r"), "not it")


def test_identical_content_is_stored_once(repo: Repository) -> None:
    first = repo.put(b"row data" * 1000)
    second = repo.put(b"row data" * 1000)
    assert first.new and not second.new and first.object_id == second.object_id
    assert repo.read_all(first.object_id) == b"row data" * 1000


def test_objects_are_compressed_and_encrypted(repo: Repository, tmp_path: Path) -> None:
    plaintext = b"INSERT VALUES ('very secret customer name')," * 2000
    result = repo.put(plaintext)
    stored = (tmp_path / "repo" / repo.object_path(result.object_id)).read_bytes()
    assert b"secret customer" not in stored
    assert len(stored) < len(plaintext) // 10


def test_gzip_repositories_work_too(tmp_path: Path) -> None:
    repo = Repository.init(LocalStorage(tmp_path / "g"), "pw", compression="gzip", kdf=TEST_KDF)
    data = os.urandom(100) * 50
    assert repo.read_all(repo.put(data).object_id) == data


def test_a_corrupted_byte_is_detected_on_read(repo: Repository, tmp_path: Path) -> None:
    object_id = repo.put(os.urandom(50_000)).object_id
    path = tmp_path / "repo" / repo.object_path(object_id)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x40
    path.write_bytes(bytes(data))
    with pytest.raises(DamageFound, match=object_id):
        repo.read_all(object_id)


def test_a_missing_object_is_reported(repo: Repository, tmp_path: Path) -> None:
    object_id = repo.put(b"x").object_id
    (tmp_path / "repo" / repo.object_path(object_id)).unlink()
    with pytest.raises(DamageFound, match="missing"):
        repo.read_all(object_id)


def test_manifests_are_listed_newest_first_and_resolved_by_prefix(repo: Repository) -> None:
    old = repo.save_backup({"finished": "2026-01-01T00:00:00Z", "databases": []})
    new = repo.save_backup({"finished": "2026-02-01T00:00:00Z", "databases": []})
    assert [m["id"] for m in repo.list_backups()] == [new, old]
    assert repo.resolve("latest") == new
    assert repo.resolve(old[:6]) == old
    with pytest.raises(ConfigError, match="at least 4"):
        repo.resolve(old[:2])
    with pytest.raises(ConfigError, match="no backup"):
        repo.resolve("ffffffffff")


def test_an_interrupted_write_leaves_nothing_that_looks_complete(repo: Repository,
                                                                 tmp_path: Path) -> None:
    def failing_blocks():  # type: ignore[no-untyped-def]
        yield b"half of an object"
        raise OSError(28, "No space left on device")

    with pytest.raises(Exception, match="No space left"):
        repo.storage.write("backups/" + "0" * 64, failing_blocks())
    assert repo.backup_ids() == []
    assert not [p for p in (tmp_path / "repo").rglob("*") if p.name.startswith(".tmp-")]


def test_the_local_folder_keeps_the_storage_contract(tmp_path: Path) -> None:
    check_storage_contract(LocalStorage(tmp_path / "repo"))


# -- damaged metadata: one clear line, never a crash and never a machine taken -----------------

def _key_file(root: Path) -> Path:
    return next((root / "keys").iterdir())


@pytest.mark.parametrize(("change", "text"), [
    (lambda d: d["kdf"].update(iterations=0), "kdf iterations is 0"),
    (lambda d: d["kdf"].update(lanes=0), "kdf lanes is 0"),
    (lambda d: d["kdf"].update(memory_kib=0), "kdf memory_kib is 0"),
    (lambda d: d["kdf"].update(memory_kib="lots"), "kdf memory_kib is 'lots'"),
    (lambda d: d["kdf"].update(memory_kib=2 * 1024 * 1024), "from 8 to 1048576"),   # 2 GiB
    (lambda d: d["kdf"].update(lanes=64, memory_kib=64), "less than 8 KiB per lane"),
    (lambda d: d.pop("kdf"), "its kdf is not an object"),
    (lambda d: d.pop("salt"), "its salt is missing"),
    (lambda d: d.update(nonce="%%%"), "its nonce is not base64"),
])
def test_a_damaged_key_file_is_one_clear_error(tmp_path: Path, change: object, text: str) -> None:
    root = tmp_path / "repo"
    Repository.init(LocalStorage(root), "pw", kdf=TEST_KDF)
    path = _key_file(root)
    document = json.loads(path.read_text())
    change(document)  # type: ignore[operator]
    path.write_text(json.dumps(document))
    with pytest.raises(DamageFound, match=text):
        Repository.open(LocalStorage(root), "pw")


@pytest.mark.parametrize(("config", "text"), [
    ([], "not a JSON object"),
    ({"format": 1, "id": "0" * 32, "compression": "lz4"}, "compression 'lz4'"),
    ({"format": 1, "id": "../../etc", "compression": "zstd"}, "its id is"),
])
def test_a_damaged_config_is_one_clear_error(tmp_path: Path, config: object, text: str) -> None:
    root = tmp_path / "repo"
    Repository.init(LocalStorage(root), "pw", kdf=TEST_KDF)
    (root / "config").write_text(json.dumps(config))
    with pytest.raises(DamageFound, match=text):
        Repository.open(LocalStorage(root), "pw")


def test_one_damaged_key_file_does_not_lock_out_the_good_one(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    repo = Repository.init(LocalStorage(root), "pw", kdf=TEST_KDF)
    (root / "keys" / "0000broken").write_text(json.dumps({"kdf": {"algorithm": "argon2id"}}))
    assert Repository.open(LocalStorage(root), "pw").master_key == repo.master_key


def test_a_stray_file_in_backups_is_left_out_and_named_not_fatal(tmp_path: Path) -> None:
    from tests.gui.fakes import make_backup
    root = tmp_path / "repo"
    repo = Repository.init(LocalStorage(root), "pw", kdf=TEST_KDF)
    good = make_backup(repo, {"shop": {"orders": 3}})
    stray = "f" * 64
    (root / "backups" / stray).write_bytes(os.urandom(300))
    listed = repo.list_backups()
    assert [m["id"] for m in listed] == [good]
    assert [backup_id for backup_id, _ in repo.unreadable] == [stray]
    assert repo.resolve("latest") == good
    (root / "backups" / good).unlink()
    with pytest.raises(DamageFound, match="no backup of this repository can be read"):
        repo.resolve("latest")


def test_deferred_objects_get_their_name_only_once_durable(repo: Repository, tmp_path: Path) -> None:
    """A backup's objects are written as temporary files and fsync'ed together before the
    manifest: until then no final name exists whose content a power cut could have lost."""
    data = os.urandom(20_000)
    result = repo.put(data, deferred=True)
    final = tmp_path / "repo" / repo.object_path(result.object_id)
    assert result.new and not final.exists()
    assert repo.has(result.object_id) and repo.read_all(result.object_id) == data  # (dedup, copy)
    assert not repo.put(data, deferred=True).new                               # stored once
    temporary = list((tmp_path / "repo").rglob(".tmp-*"))
    assert len(temporary) == 1 and not list(repo.storage.list("data"))   # listed once durable
    backup_id = repo.save_backup({"kind": "custode-backup", "objects": [result.object_id]})
    assert final.exists() and not list((tmp_path / "repo").rglob(".tmp-*"))
    assert repo.read_all(result.object_id) == data and backup_id in repo.backup_ids()


def test_a_failed_jobs_deferred_objects_are_kept_for_the_next_run(repo: Repository,
                                                                   tmp_path: Path) -> None:
    kept = repo.put(b"reused by the next run" * 100, deferred=True)
    repo.keep_objects()
    assert (tmp_path / "repo" / repo.object_path(kept.object_id)).exists()
    assert not list((tmp_path / "repo").rglob(".tmp-*"))
    assert not repo.put(b"reused by the next run" * 100).new
