"""The object encryption must reject every kind of tampering, and the key file a wrong passphrase."""

from __future__ import annotations

import os

import pytest

from app.core import crypto
from app.core.errors import DamageFound, WrongPassphrase

KEY = bytes(range(32))


def _stored(payload: bytes, name: str = "a" * 64, chunk_log2: int = 10) -> list[bytes]:
    return list(crypto.encrypt_object(KEY, name, payload, "none", chunk_log2))


def _open(blocks: list[bytes], name: str = "a" * 64) -> bytes:
    _, chunks = crypto.decrypt_object(KEY, name, iter(blocks))
    return b"".join(chunks)


@pytest.mark.parametrize("size", [0, 1, 1023, 1024, 1025, 5000])
def test_round_trip_at_chunk_edges(size: int) -> None:
    payload = os.urandom(size)
    assert _open(_stored(payload)) == payload


def test_a_flipped_bit_is_detected() -> None:
    data = bytearray(b"".join(_stored(os.urandom(3000))))
    data[crypto.HEADER_SIZE + 1500] ^= 0x01
    with pytest.raises(DamageFound, match="failed authentication"):
        _open([bytes(data)])


def test_dropping_the_last_chunk_is_detected() -> None:
    blocks = _stored(os.urandom(3000))   # header + 3 chunks
    with pytest.raises(DamageFound):
        _open(blocks[:-1])


def test_reordered_chunks_are_detected() -> None:
    blocks = _stored(os.urandom(3000))
    with pytest.raises(DamageFound):
        _open([blocks[0], blocks[2], blocks[1], blocks[3]])


def test_an_altered_header_is_detected() -> None:
    blocks = _stored(b"x" * 100)
    header = bytearray(blocks[0])
    header[8] = crypto.COMPRESSION_IDS["zstd"]   # claims another compression
    with pytest.raises(DamageFound):
        _open([bytes(header), *blocks[1:]])


def test_an_object_moved_to_another_name_is_detected() -> None:
    blocks = _stored(b"secret rows", name="a" * 64)
    with pytest.raises(DamageFound):
        _open(blocks, name="b" * 64)


def test_wrong_passphrase_is_refused_with_a_clear_message() -> None:
    params = crypto.KdfParams(iterations=1, lanes=1, memory_kib=64)
    document = crypto.wrap_master_key(KEY, "right", params)
    assert crypto.unwrap_master_key(document, "right") == KEY
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        crypto.unwrap_master_key(document, "wrong")


def test_default_key_derivation_is_argon2id_with_real_cost() -> None:
    document = crypto.wrap_master_key(KEY, "pw", crypto.KdfParams())
    assert document["kdf"] == {"algorithm": "argon2id", "iterations": 3, "lanes": 4,
                               "memory_kib": 65536}
    assert KEY.hex() not in str(document)
    assert crypto.unwrap_master_key(document, "pw") == KEY
