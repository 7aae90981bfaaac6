"""Keys and the encrypted object format (see docs/FORMAT.md, "Encryption").

A repository has one random 32-byte master key.  A key file stores it wrapped (AES-256-GCM) under a
key derived from the passphrase with Argon2id.  Every object is encrypted under its own key,
HKDF-SHA256(master key, salt = 16 random bytes, info = "custode-object-v1:" + object name), in
chunks of 1 MiB with the STREAM construction: the nonce is seven zero bytes, the chunk counter
(32-bit big-endian) and a last-chunk flag, and the object header is the associated data of every
chunk.  So a flipped bit, a truncated object, reordered or dropped chunks, an altered header and an
object file renamed onto another name all fail authentication.
"""

from __future__ import annotations

import base64
import os
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.core.errors import DamageFound, WrongPassphrase

MAGIC = b"CUSTODE1"
HEADER = struct.Struct(">8sBB16s")  # magic, compression id, log2(chunk size), salt
HEADER_SIZE = HEADER.size
TAG_SIZE = 16
DEFAULT_CHUNK_LOG2 = 20  # 1 MiB plaintext per chunk

COMPRESSION_IDS = {"none": 0, "zstd": 1, "gzip": 2}
COMPRESSION_NAMES = {v: k for k, v in COMPRESSION_IDS.items()}


# (name, lowest, highest) of each Argon2id cost a key file may ask for. The ceiling on memory
# (1 GiB, 16 times the default) keeps a damaged or hostile key file from taking the machine.
KDF_BOUNDS = (("iterations", 1, 64), ("lanes", 1, 64), ("memory_kib", 8, 1 << 20))


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost.  The defaults take about 0.35 s and 64 MiB on a 2-core machine."""

    iterations: int = 3
    lanes: int = 4
    memory_kib: int = 65536

    def to_dict(self) -> dict[str, int | str]:
        return {"algorithm": "argon2id", "iterations": self.iterations, "lanes": self.lanes,
                "memory_kib": self.memory_kib}

    @classmethod
    def from_dict(cls, data: object) -> KdfParams:
        """Read a key file's `kdf`, within bounds: a damaged or hostile key file must not make
        every command fail oddly, or allocate gigabytes (see FORMAT.md)."""
        if not isinstance(data, dict):
            raise DamageFound("the key file is damaged: its kdf is not an object")
        if data.get("algorithm") != "argon2id":
            raise DamageFound(f"unknown key derivation {data.get('algorithm')!r} in key file")
        values = {}
        for name, low, high in KDF_BOUNDS:
            value = data.get(name)
            if type(value) is not int or not low <= value <= high:
                raise DamageFound(f"the key file is damaged: kdf {name} is {value!r}, not a whole "
                                  f"number from {low} to {high}")
            values[name] = value
        if values["memory_kib"] < 8 * values["lanes"]:
            raise DamageFound(f"the key file is damaged: kdf memory_kib {values['memory_kib']} is "
                              f"less than 8 KiB per lane ({values['lanes']} lanes)")
        return cls(values["iterations"], values["lanes"], values["memory_kib"])


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object, what: str = "value") -> bytes:
    if not isinstance(text, str):
        raise DamageFound(f"the key file is damaged: its {what} is missing")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise DamageFound(f"the key file is damaged: its {what} is not base64") from None


def derive_kek(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    kdf = Argon2id(salt=salt, length=32, iterations=params.iterations, lanes=params.lanes,
                   memory_cost=params.memory_kib)
    return kdf.derive(passphrase.encode("utf-8"))


def wrap_master_key(master_key: bytes, passphrase: str, params: KdfParams) -> dict[str, object]:
    """Return the JSON-able key file document holding `master_key` under `passphrase`."""
    salt, nonce = os.urandom(16), os.urandom(12)
    kek = derive_kek(passphrase, salt, params)
    wrapped = AESGCM(kek).encrypt(nonce, master_key, b"custode-key-v1")
    return {"version": 1, "kdf": params.to_dict(), "salt": _b64(salt), "nonce": _b64(nonce),
            "wrapped_key": _b64(wrapped)}


def unwrap_master_key(document: dict[str, object], passphrase: str) -> bytes:
    """Open a key file document; raise WrongPassphrase when the passphrase does not fit."""
    if not isinstance(document, dict):
        raise DamageFound("the key file is damaged: it is not a JSON object")
    params = KdfParams.from_dict(document.get("kdf"))
    salt, nonce = _unb64(document.get("salt"), "salt"), _unb64(document.get("nonce"), "nonce")
    wrapped = _unb64(document.get("wrapped_key"), "wrapped_key")
    if len(nonce) != 12 or len(salt) < 8:
        raise DamageFound("the key file is damaged: its salt or nonce has the wrong length")
    kek = derive_kek(passphrase, salt, params)
    try:
        return AESGCM(kek).decrypt(nonce, wrapped, b"custode-key-v1")
    except InvalidTag:
        raise WrongPassphrase("wrong passphrase for this repository") from None


def _object_key(master_key: bytes, salt: bytes, name: str) -> AESGCM:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt,
                info=b"custode-object-v1:" + name.encode("ascii"))
    return AESGCM(hkdf.derive(master_key))


def _nonce(counter: int, last: bool) -> bytes:
    return b"\x00" * 7 + struct.pack(">IB", counter, 1 if last else 0)


def encrypt_object(master_key: bytes, name: str, payload: bytes | bytearray | Iterable[bytes],
                   compression: str, chunk_log2: int = DEFAULT_CHUNK_LOG2) -> Iterator[bytes]:
    """Yield the stored form of an object: header, then each encrypted chunk with its tag.

    `payload` is already compressed with `compression` (the id goes into the header so that a
    reader knows how to decompress; the header is authenticated); it is bytes, or an iterable
    of pieces of any size for an object too large to hold (one chunk is held back to learn
    which is the last).
    """
    salt = os.urandom(16)
    header = HEADER.pack(MAGIC, COMPRESSION_IDS[compression], chunk_log2, salt)
    aead = _object_key(master_key, salt, name)
    yield header
    size = 1 << chunk_log2
    if isinstance(payload, (bytes, bytearray)):
        view = memoryview(payload)
        count = max(1, -(-len(payload) // size))
        for index in range(count):
            piece = view[index * size:(index + 1) * size]
            yield aead.encrypt(_nonce(index, index == count - 1), bytes(piece), header)
        return
    buffer = bytearray()
    index = 0
    for block in payload:
        buffer += block
        while len(buffer) > size:   # more follows this chunk: it is not the last
            yield aead.encrypt(_nonce(index, False), bytes(buffer[:size]), header)
            del buffer[:size]
            index += 1
    yield aead.encrypt(_nonce(index, True), bytes(buffer), header)


def decrypt_object(master_key: bytes, name: str, stored: Iterable[bytes]) -> tuple[str, Iterator[bytes]]:
    """Authenticate and decrypt a stored object read as a stream of byte blocks.

    Returns the compression name and an iterator of decrypted (still compressed) chunks.  Any
    damage raises DamageFound naming the object, at the latest when the iterator is exhausted.
    """
    reader = _BlockReader(iter(stored))
    header = reader.read(HEADER_SIZE)
    if len(header) != HEADER_SIZE:
        raise DamageFound(f"object {name} is truncated (no complete header)")
    magic, compression_id, chunk_log2, salt = HEADER.unpack(header)
    if magic != MAGIC or compression_id not in COMPRESSION_NAMES or not 10 <= chunk_log2 <= 26:
        raise DamageFound(f"object {name} has a damaged header")
    aead = _object_key(master_key, salt, name)
    chunk_total = (1 << chunk_log2) + TAG_SIZE

    def chunks() -> Iterator[bytes]:
        index = 0
        current = reader.read(chunk_total)
        while True:
            following = reader.read(chunk_total)
            last = not following
            if len(current) < TAG_SIZE or (not last and len(current) != chunk_total):
                raise DamageFound(f"object {name} is truncated or damaged")
            try:
                yield aead.decrypt(_nonce(index, last), current, header)
            except InvalidTag:
                raise DamageFound(f"object {name} failed authentication (chunk {index}): "
                                  "the data was altered, truncated or belongs elsewhere") from None
            if last:
                return
            index += 1
            current = following

    return COMPRESSION_NAMES[compression_id], chunks()


class _BlockReader:
    """Reads exact byte counts from an iterator of arbitrarily sized blocks."""

    def __init__(self, blocks: Iterator[bytes]) -> None:
        self._blocks = blocks
        self._buffer = bytearray()

    def read(self, size: int) -> bytes:
        while len(self._buffer) < size:
            block = next(self._blocks, None)
            if block is None:
                break
            self._buffer += block
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data


def encrypt_small(master_key: bytes, name: str, payload: bytes) -> bytes:
    """Encrypt a small document (a manifest) in one piece, uncompressed by the caller's choice."""
    return b"".join(encrypt_object(master_key, name, payload, "none"))


def new_master_key() -> bytes:
    return os.urandom(32)
