"""What every storage backend must do, checked the same way for each (local, S3, SFTP, FTPS, rclone).

A backend's test module calls `check_storage_contract(storage)` on an empty location, then tests
what is particular to it (credentials, retries, resume, locks on objects).
"""

from __future__ import annotations

import os

import pytest

from app.core.storage import Storage


def check_storage_contract(storage: Storage) -> None:
    """Write, read, list, size, exists, delete and overwrite behave as app/core/storage.py says."""
    assert list(storage.list("")) == [], "start from an empty location"
    assert not storage.exists("config")
    with pytest.raises(FileNotFoundError):
        b"".join(storage.read("config"))

    # Streaming in blocks, including an empty block and a large one (several MiB: multipart).
    big = os.urandom(9 * 1024 * 1024 + 17)
    blocks = [big[:1000], b"", big[1000:5_000_000], big[5_000_000:]]
    assert storage.write("data/ab/ab01", iter(blocks)) == len(big)
    assert b"".join(storage.read("data/ab/ab01")) == big
    assert storage.size("data/ab/ab01") == len(big)
    assert storage.exists("data/ab/ab01")

    assert storage.write("config", [b'{"format": 1}']) == 13
    assert storage.write("data/cd/cd02", [b"x"]) == 1
    assert storage.write("backups/0001", []) == 0                  # an empty file is a file
    assert b"".join(storage.read("backups/0001")) == b""
    assert list(storage.list("")) == ["backups/0001", "config", "data/ab/ab01", "data/cd/cd02"]
    assert list(storage.list("data")) == ["data/ab/ab01", "data/cd/cd02"]
    assert list(storage.list("data/cd")) == ["data/cd/cd02"]
    assert list(storage.list("nothing")) == []
    # A prefix is a folder, not the start of a name.
    assert list(storage.list("dat")) == []

    # Overwriting replaces the whole file.
    storage.write("config", [b"{}"])
    assert b"".join(storage.read("config")) == b"{}"

    # A write that fails half-way leaves nothing behind: no partial file under that name.
    def failing() -> object:
        yield b"partial"
        raise RuntimeError("the source broke")

    with pytest.raises(RuntimeError):
        storage.write("data/ef/ef03", failing())  # type: ignore[arg-type]
    assert not storage.exists("data/ef/ef03")
    assert "data/ef/ef03" not in list(storage.list("data"))

    storage.delete("data/cd/cd02")
    storage.delete("data/cd/cd02")                                   # deleting twice is fine
    assert not storage.exists("data/cd/cd02")
    assert list(storage.list("data")) == ["data/ab/ab01"]
    with pytest.raises(ValueError):
        storage.exists("../escape")
