"""docs/FORMAT.md is enough to read a repository: an independent reader, written from the document
alone (no import from app.core besides making the backup), recovers the rows."""

from __future__ import annotations

import base64
import hashlib
import json
import struct
from pathlib import Path

import zstandard
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.core.backup import BackupOptions, run_backup
from app.core.localserver import LocalServer
from app.core.repository import Repository
from app.core.server import ServerSpec


def _master_key(root: Path, passphrase: str) -> bytes:
    key_file = json.loads(next((root / "keys").iterdir()).read_text())
    kdf = key_file["kdf"]
    kek = Argon2id(salt=base64.b64decode(key_file["salt"]), length=32,
                   iterations=kdf["iterations"], lanes=kdf["lanes"],
                   memory_cost=kdf["memory_kib"]).derive(passphrase.encode())
    return AESGCM(kek).decrypt(base64.b64decode(key_file["nonce"]),
                               base64.b64decode(key_file["wrapped_key"]), b"custode-key-v1")


def _read_object(path: Path, master_key: bytes) -> bytes:
    raw = path.read_bytes()
    header = raw[:26]
    assert header[:8] == b"CUSTODE1"
    compression, log2, salt = header[8], header[9], header[10:26]
    key = HKDF(hashes.SHA256(), 32, salt, b"custode-object-v1:" + path.name.encode()).derive(master_key)
    size = (1 << log2) + 16
    body = raw[26:]
    chunks = [body[i:i + size] for i in range(0, len(body), size)] or [b""]
    payload = b"".join(
        AESGCM(key).decrypt(b"\0" * 7 + struct.pack(">IB", n, n == len(chunks) - 1), chunk, header)
        for n, chunk in enumerate(chunks))
    plain = zstandard.ZstdDecompressor().decompressobj().decompress(payload) if compression == 1 else payload
    assert hashlib.sha256(plain).hexdigest() == path.name
    return plain


def test_an_independent_reader_recovers_rows(repo: Repository, source_server: LocalServer) -> None:
    run_backup(repo, ServerSpec.parse(source_server.url), "", BackupOptions(tables=["sakila.actor"]))
    root = Path(repo.storage.location)
    master_key = _master_key(root, "correct horse")
    manifest_path = next((root / "backups").iterdir())
    manifest = json.loads(_read_object(manifest_path, master_key))
    table = manifest["databases"][0]["tables"][0]
    assert (manifest["databases"][0]["name"], table["name"]) == ("sakila", "actor")
    values = b""
    for obj in table["objects"]:
        plain = _read_object(root / "data" / obj["id"][:2] / obj["id"], master_key)
        offset = 0
        while offset < len(plain):
            (length,) = struct.unpack_from("<I", plain, offset)
            values += plain[offset + 4:offset + 4 + length] + b"\n"
            offset += 4 + length
    assert table["columns"] == ["actor_id", "first_name", "last_name", "last_update"]
    assert values.startswith(b"(1,'PENELOPE','GUINESS','2006-02-15 04:34:33')")
    assert values.count(b"),(") + 1 == table["rows"] == 200
