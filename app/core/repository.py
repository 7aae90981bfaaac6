"""The encrypted, content-addressed repository (layout in docs/FORMAT.md).

    config                 plain JSON: format version, repository id, compression
    keys/<key id>          the master key wrapped by a passphrase (Argon2id + AES-256-GCM)
    data/<2 hex>/<sha256>  objects, named by the SHA-256 of their plaintext
    backups/<sha256>       backup manifests, encrypted like objects; written last

An object that already exists is not written again, which deduplicates across backups.  A backup
exists only once its manifest is written, and that happens after every object it names is stored.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import threading
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any, cast

import zstandard

from app.core import crypto
from app.core.errors import ConfigError, CustodeError, DamageFound
from app.core.storage import Storage

FORMAT_VERSION = 1
ZSTD_LEVEL = 1  # as small as level 3 on SQL rows and 1.5-4x faster (docs/BENCHMARKS.md)
GZIP_LEVEL = 6


COMPRESSIONS = ("zstd", "gzip")   # what a repository config may name


@dataclass
class PutResult:
    object_id: str
    plain_size: int
    stored_size: int
    new: bool


class Repository:
    """An opened repository: the storage plus the master key."""

    def __init__(self, storage: Storage, config: dict[str, Any], master_key: bytes) -> None:
        self.storage = storage
        self.config = config
        self._key = master_key
        self.compression: str = config.get("compression", "zstd")
        self._local = threading.local()
        # Manifests `list_backups` could not read, (id, why): left out and said, not fatal.
        self.unreadable: list[tuple[str, str]] = []

    @property
    def master_key(self) -> bytes:
        """The raw master key: only for the recovery sheet (app.core.keys), never to be logged."""
        return self._key

    # -- creating and opening ---------------------------------------------------------------
    @classmethod
    def init(cls, storage: Storage, passphrase: str, *, compression: str = "zstd",
             kdf: crypto.KdfParams | None = None) -> Repository:
        if compression not in COMPRESSIONS:
            raise ConfigError(f"unknown compression {compression!r}: choose zstd or gzip")
        if not passphrase:
            raise ConfigError("the passphrase must not be empty")
        if storage.exists("config"):
            raise ConfigError(f"a repository already exists at {storage.location}")
        if any(True for _ in storage.list("")):
            raise ConfigError(f"{storage.location} is not empty; choose an empty or new folder")
        config = {"format": FORMAT_VERSION, "id": uuid.uuid4().hex, "compression": compression,
                  "created": _now()}
        master_key = crypto.new_master_key()
        key_doc = crypto.wrap_master_key(master_key, passphrase, kdf or crypto.KdfParams())
        key_doc["created"] = config["created"]
        write_key_file(storage, key_doc)
        storage.write("config", [_json_bytes(config)])  # last: its presence marks a repository
        return cls(storage, config, master_key)

    @classmethod
    def open(cls, storage: Storage, passphrase: str) -> Repository:
        config = read_config(storage)
        keys = key_files(storage)
        if not keys:
            raise DamageFound(f"repository at {storage.location} has no key file")
        wrong: Exception | None = None
        damaged: Exception | None = None
        for name, document in keys:
            try:
                return cls(storage, config, crypto.unwrap_master_key(document, passphrase))
            except ConfigError as exc:
                wrong = exc
            except DamageFound as exc:   # another key file may still open it
                damaged = DamageFound(f"{name}: {exc}")
        raise (damaged if damaged is not None and wrong is None else wrong)  # type: ignore[misc]

    # -- objects ------------------------------------------------------------------------------
    @staticmethod
    def object_path(object_id: str) -> str:
        return f"data/{object_id[:2]}/{object_id}"

    def has(self, object_id: str) -> bool:
        return self.storage.exists(self.object_path(object_id))

    def put(self, plaintext: bytes | bytearray, deferred: bool = False) -> PutResult:
        """Store `plaintext` as an object unless an identical one is already there.

        `deferred`: on storage that can, the object becomes durable and visible under its name
        only at `sync_objects` (which `store_manifest` runs): thousands of small objects then
        cost one round of disk flushes instead of one each."""
        object_id = hashlib.sha256(plaintext).hexdigest()
        path = self.object_path(object_id)
        if self.storage.exists(path):
            return PutResult(object_id, len(plaintext), 0, False)
        return PutResult(object_id, len(plaintext),
                         self._write_object(object_id, self._compress(plaintext), deferred), True)

    def _write_object(self, object_id: str, payload: bytes | Iterable[bytes], deferred: bool) -> int:
        """Encrypt a compressed payload into the object's file; return the bytes stored."""
        write = getattr(self.storage, "write_deferred", self.storage.write) if deferred \
            else self.storage.write
        blocks = crypto.encrypt_object(self._key, object_id, payload, self.compression)
        return int(write(self.object_path(object_id), blocks))

    def put_stream(self, object_id: str, size: int, pieces: Callable[[], Iterable[bytes]],
                   deferred: bool = False) -> PutResult:
        """Store an object too large to hold in memory, read from `pieces` (called once, only
        if the object is not there yet) and compressed and encrypted on the way.

        The caller knows the SHA-256 and the size already (it spooled the plaintext to a file, or the object
        comes from another repository): the name must be known before the first byte is
        encrypted, since each object's key is derived from its name. The plaintext is hashed
        again as it goes; a difference stops the write before its last chunk, so nothing is
        stored under a wrong name."""
        if self.has(object_id):
            return PutResult(object_id, size, 0, False)

        def compressed() -> Iterator[bytes]:
            digest = hashlib.sha256()
            read = 0
            squeeze: Any = (zstandard.ZstdCompressor(level=ZSTD_LEVEL).compressobj()
                            if self.compression == "zstd"
                            else zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31))
            for piece in pieces():
                digest.update(piece)
                read += len(piece)
                if out := squeeze.compress(piece):
                    yield out
            if digest.hexdigest() != object_id or read != size:
                raise DamageFound(f"object {object_id}: the data read is not the {size} bytes of "
                                  "that SHA-256; not stored")
            yield squeeze.flush()

        return PutResult(object_id, size, self._write_object(object_id, compressed(), deferred), True)

    def sync_objects(self) -> None:
        """Make every object put so far durable (before a manifest may name it)."""
        sync = getattr(self.storage, "sync_deferred", None)
        if sync is not None:
            sync()

    def keep_objects(self) -> None:
        """After a job failed: make the objects it put durable all the same, so that running it
        again reuses them (prune removes them if not); drop them when even that fails (a full
        disk)."""
        try:
            self.sync_objects()
        except (CustodeError, OSError):
            discard = getattr(self.storage, "discard_deferred", None)
            if discard is not None:
                discard()

    def _compress(self, data: bytes | bytearray) -> bytes:
        if self.compression == "zstd":
            compressor = getattr(self._local, "zstd", None)
            if compressor is None:
                compressor = self._local.zstd = zstandard.ZstdCompressor(level=ZSTD_LEVEL)
            return compressor.compress(data)
        return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)

    def read(self, object_id: str) -> Iterator[bytes]:
        """Yield the plaintext of an object in pieces, checking tag and SHA-256 on the way.

        The last piece is yielded only after the whole object proved intact, so a consumer that
        buffers until the end never sees damaged data; a streaming consumer gets DamageFound at
        the latest when the iterator ends.
        """
        try:
            stored = self.storage.read(self.object_path(object_id))
            compression, chunks = crypto.decrypt_object(self._key, object_id, stored)
        except FileNotFoundError:
            raise DamageFound(f"object {object_id} is missing from the repository") from None
        digest = hashlib.sha256()
        pending = b""
        for piece in _decompress(compression, chunks, object_id):
            if pending:
                yield pending
            digest.update(piece)
            pending = piece
        if digest.hexdigest() != object_id:
            raise DamageFound(f"object {object_id} does not match its SHA-256")
        if pending:
            yield pending

    def read_all(self, object_id: str) -> bytes:
        return b"".join(self.read(object_id))

    # -- backups ------------------------------------------------------------------------------
    def save_backup(self, manifest: dict[str, Any]) -> str:
        """Write a manifest; from this moment the backup exists.  Returns its id."""
        return self.store_manifest(_json_bytes(manifest))

    def store_manifest(self, plaintext: bytes) -> str:
        """Write a manifest's exact JSON text (a copy keeps the backup's id); returns the id."""
        backup_id = hashlib.sha256(plaintext).hexdigest()
        payload = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(plaintext)
        blocks = crypto.encrypt_object(self._key, backup_id, payload, "zstd")
        self.sync_objects()                 # every object it names is durable first
        self.storage.write(f"backups/{backup_id}", blocks)
        return backup_id

    def manifest_text(self, backup_id: str) -> bytes:
        """A manifest's JSON text as stored, after checking it against its id."""
        try:
            stored = self.storage.read(f"backups/{backup_id}")
        except FileNotFoundError:
            raise ConfigError(f"no backup {backup_id} in this repository") from None
        compression, chunks = crypto.decrypt_object(self._key, backup_id, stored)
        plaintext = b"".join(_decompress(compression, chunks, backup_id))
        if hashlib.sha256(plaintext).hexdigest() != backup_id:
            raise DamageFound(f"manifest of backup {backup_id} does not match its SHA-256")
        return plaintext

    # -- small encrypted documents (the journal) ---------------------------------------------
    def write_document(self, name: str, document: dict[str, Any]) -> None:
        """Store a small JSON document encrypted under its storage name."""
        payload = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(_json_bytes(document))
        self.storage.write(name, crypto.encrypt_object(self._key, name, payload, "zstd"))

    def read_document(self, name: str) -> dict[str, Any]:
        compression, chunks = crypto.decrypt_object(self._key, name, self.storage.read(name))
        try:
            document: dict[str, Any] = json.loads(b"".join(_decompress(compression, chunks, name)))
        except ValueError:
            raise DamageFound(f"{name} is not a JSON document") from None
        return document

    def backup_ids(self) -> list[str]:
        return [name.rsplit("/", 1)[1] for name in self.storage.list("backups")]

    def load_backup(self, backup_id: str) -> dict[str, Any]:
        try:
            manifest: dict[str, Any] = json.loads(self.manifest_text(backup_id))
        except ValueError:
            raise DamageFound(f"manifest of backup {backup_id} is not a JSON document") from None
        if not isinstance(manifest, dict) or not isinstance(manifest.get("databases"), list):
            raise DamageFound(f"manifest of backup {backup_id} is not a backup manifest")
        manifest["id"] = backup_id
        return manifest

    def list_backups(self) -> list[dict[str, Any]]:
        """Every complete backup's manifest, newest first. One that cannot be read (a stray or
        damaged file in backups/) is left out and noted in `unreadable`: the others stay usable."""
        manifests, self.unreadable = [], []
        for backup_id in self.backup_ids():
            try:
                manifests.append(self.load_backup(backup_id))
            except (DamageFound, ConfigError) as exc:
                self.unreadable.append((backup_id, str(exc)))
        manifests.sort(key=lambda m: (m.get("finished", ""), m["id"]), reverse=True)
        return manifests

    def resolve(self, reference: str) -> str:
        """Turn `latest`, a full id or a unique prefix of at least 4 characters into an id."""
        ids = self.backup_ids()
        if reference == "latest":
            backups = self.list_backups()
            if not backups and self.unreadable:
                raise DamageFound(f"no backup of this repository can be read (the first: "
                                  f"{self.unreadable[0][1]}); run 'custode verify --all'")
            if not backups:
                raise ConfigError("the repository holds no backup yet")
            return str(backups[0]["id"])
        if len(reference) < 4:
            raise ConfigError(f"backup id {reference!r} is too short: give at least 4 characters")
        matches = [i for i in ids if i.startswith(reference.lower())]
        if not matches:
            raise ConfigError(f"no backup {reference} in this repository (see 'custode list')")
        if len(matches) > 1:
            raise ConfigError(f"backup id {reference} is ambiguous: give more characters")
        return matches[0]


def read_config(storage: Storage) -> dict[str, Any]:
    try:
        config: dict[str, Any] = json.loads(b"".join(storage.read("config")))
    except FileNotFoundError:
        raise ConfigError(f"no repository at {storage.location}: create one with 'custode init'") from None
    except ValueError:
        raise DamageFound(f"the config file of {storage.location} is damaged") from None
    if not isinstance(config, dict):
        raise DamageFound(f"the config file of {storage.location} is damaged: not a JSON object")
    if config.get("format") != FORMAT_VERSION:
        raise ConfigError(f"repository format {config.get('format')} is not supported by this "
                          f"version of Custode (it reads format {FORMAT_VERSION})")
    if config.get("compression") not in COMPRESSIONS:
        raise DamageFound(f"the config file of {storage.location} names compression "
                          f"{config.get('compression')!r}, which this version does not know "
                          f"({', '.join(COMPRESSIONS)})")
    if not isinstance(config.get("id"), str) or not re.fullmatch(r"[0-9a-f]{32}", config["id"]):
        raise DamageFound(f"the config file of {storage.location} is damaged: its id is "
                          f"{config.get('id')!r}")
    return config


def key_files(storage: Storage) -> list[tuple[str, dict[str, Any]]]:
    """Every key file of the repository as (storage name, JSON document)."""
    found = []
    for name in storage.list("keys"):
        try:
            found.append((name, json.loads(b"".join(storage.read(name)))))
        except ValueError:
            raise DamageFound(f"the key file {name} of {storage.location} is damaged") from None
    return found


def write_key_file(storage: Storage, document: dict[str, Any]) -> str:
    """Write a key file under a new random name (atomically, like every file); returns the name."""
    name = f"keys/{uuid.uuid4().hex}"
    storage.write(name, [_json_bytes(document)])
    return name


PLAIN_PIECE = 1 << 20   # largest piece of plaintext read() yields, however well it compressed


class _ChunkReader:
    """A file-like read() over an iterator of byte chunks (what zstandard's stream_reader reads)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._left = memoryview(b"")

    def read(self, size: int = -1) -> bytes:
        while not self._left:
            chunk = next(self._chunks, None)
            if chunk is None:
                return b""
            self._left = memoryview(chunk)
        size = len(self._left) if size < 0 else size
        out, self._left = self._left[:size], self._left[size:]
        return bytes(out)


def _decompress(compression: str, chunks: Iterator[bytes], name: str) -> Iterator[bytes]:
    """The plaintext in pieces of at most PLAIN_PIECE bytes: a megabyte of compressed text can
    stand for a gigabyte of plaintext (a row of one character repeated)."""
    try:
        if compression == "none":
            yield from chunks
        elif compression == "zstd":
            with zstandard.ZstdDecompressor().stream_reader(
                    cast(IO[bytes], _ChunkReader(chunks)), closefd=False) as reader:
                while out := reader.read(PLAIN_PIECE):
                    yield out
        else:
            inflater = zlib.decompressobj(wbits=31)
            for chunk in chunks:
                while chunk:
                    if out := inflater.decompress(chunk, PLAIN_PIECE):
                        yield out
                    chunk = inflater.unconsumed_tail
            if tail := inflater.flush():
                yield tail
    except (zstandard.ZstdError, zlib.error) as exc:
        raise DamageFound(f"object {name} does not decompress: {exc}") from None


def _json_bytes(document: dict[str, Any]) -> bytes:
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    try:
        return text.encode()
    except UnicodeEncodeError:   # a definition holding bytes that are not UTF-8: see FORMAT.md
        return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def storage_free_bytes(path: str) -> int | None:
    try:
        stat = os.statvfs(path)
    except OSError:
        return None
    return stat.f_bavail * stat.f_frsize
