"""The S3 backend against a real moto_server, broken on purpose through a TCP proxy.

What a user relies on: files come back byte for byte under `prefix/`; a large upload that the
network breaks is resumed without sending the stored parts again and never shows up half-written;
a missing bucket or wrong keys are one clear line that never holds the secret; files under Object
Lock retention are refused for deletion, and multipart uploads get the retention too.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from app.core.backup import BackupOptions, run_backup
from app.core.errors import ConfigError, ObjectLocked, OperationFailed
from app.core.repository import Repository
from app.core.server import ServerSpec
from app.core.storage_s3 import PART_SIZE, S3Storage, parse_location, with_endpoint
from app.core.verify import verify_backups
from tests.helpers.fixtures import TEST_KDF
from tests.helpers.restored import assert_restores_identical
from tests.helpers.s3server import TEST_SECRET_KEY, start_moto, stop_moto, test_client
from tests.helpers.storage_contract import check_storage_contract
from tests.helpers.tcpproxy import TcpProxy

FAST = (0.05, 0.1, 0.2)   # retry delays for tests: 4 attempts in ~0.35 s
MiB = 1024 * 1024


def _port(endpoint: str) -> int:
    return int(endpoint.rsplit(":", 1)[1])


@pytest.fixture
def proxy(s3_endpoint: str) -> Iterator[TcpProxy]:
    p = TcpProxy("127.0.0.1", _port(s3_endpoint)).start()
    yield p
    p.stop()


def _via(proxy: TcpProxy, bucket: str, prefix: str = "pre", **query: str) -> S3Storage:
    options = "".join(f"&{k.replace('_', '-')}={v}" for k, v in query.items())
    return S3Storage(f"s3://{bucket}/{prefix}?endpoint=http://127.0.0.1:{proxy.port}{options}",
                     retry_delays=FAST)


def _blocks(data: bytes, size: int = MiB) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


# -- the contract and the location ----------------------------------------------------------------
def test_contract_with_a_nested_prefix(s3_endpoint: str, s3_bucket: tuple[Any, str]) -> None:
    client, bucket = s3_bucket
    storage = S3Storage(f"s3://{bucket}/team/custode?endpoint={s3_endpoint}")
    check_storage_contract(storage)
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]]
    assert sorted(keys) == ["team/custode/backups/0001", "team/custode/config",
                            "team/custode/data/ab/ab01"]
    # A file beside the prefix is not part of the repository.
    client.put_object(Bucket=bucket, Key="team/custode-other/config", Body=b"x")
    assert "config" in list(storage.list("")) and len(list(storage.list(""))) == 3


def test_contract_at_the_bucket_root(s3_endpoint: str, s3_bucket: tuple[Any, str]) -> None:
    _, bucket = s3_bucket
    check_storage_contract(S3Storage(f"s3://{bucket}?endpoint={s3_endpoint}"))


def test_location_syntax() -> None:
    spec = parse_location("s3://b-1/a/b/?region=eu-south-1&sse=aws:kms&kms-key=k1"
                          "&lock=compliance:7d&endpoint=http://h:9000")
    assert (spec.bucket, spec.prefix, spec.region, spec.sse, spec.kms_key) == (
        "b-1", "a/b", "eu-south-1", "aws:kms", "k1")
    assert (spec.lock_mode, spec.lock_period, spec.endpoint) == ("COMPLIANCE", (7, "d"), "http://h:9000")
    assert spec.account == "s3://b-1/a/b"
    assert parse_location("s3://b-1?lock=governance:2y").lock_period == (2, "y")
    for bad, says in [("s3://b-1/p?color=red", "unknown S3 option"),
                      ("s3://b-1/p?sse=DES", "sse=AES256"),
                      ("s3://b-1/p?kms-key=k", "needs sse=aws:kms"),
                      ("s3://b-1/p?lock=forever", "lock=governance:30d"),
                      ("s3://b-1/p?lock=compliance:7h", "lock=governance:30d"),
                      ("s3:///p", "s3://bucket/prefix"),
                      ("s3://b-1/../p", "bad S3 prefix")]:
        with pytest.raises(ConfigError, match=says):
            parse_location(bad)
    assert with_endpoint("s3://b/p?region=x&endpoint=http://old", "http://127.0.0.1:9") == \
        "s3://b/p?region=x&endpoint=http://127.0.0.1:9"


# -- permanent errors ----------------------------------------------------------------------------
def test_missing_bucket_is_one_clear_line(s3_endpoint: str, s3_credentials: dict[str, str]) -> None:
    with pytest.raises(ConfigError) as caught:
        S3Storage(f"s3://no-such-bucket-here/pre?endpoint={s3_endpoint}", retry_delays=FAST)
    assert str(caught.value) == (f"bucket no-such-bucket-here does not exist at {s3_endpoint}; "
                                 "create it or correct the repository location")


def test_unreachable_endpoint_fails_after_retries(s3_credentials: dict[str, str]) -> None:
    dead = TcpProxy("127.0.0.1", 9).start()
    port = dead.port
    dead.stop()                                        # nothing listens there any more
    started = time.monotonic()
    with pytest.raises(OperationFailed) as caught:
        S3Storage(f"s3://bucket/pre?endpoint=http://127.0.0.1:{port}", retry_delays=FAST)
    message = str(caught.value)
    assert f"S3 at http://127.0.0.1:{port} failed 4 times" in message and "\n" not in message
    assert 0.25 < time.monotonic() - started < 10      # it waited between attempts, then gave up


@pytest.fixture(scope="module")
def auth_s3() -> Iterator[tuple[str, str, str, str]]:
    """A second moto_server that checks signatures: (endpoint, bucket, access key, secret key)."""
    process, endpoint = start_moto({"INITIAL_NO_AUTH_ACTION_COUNT": "4"})
    try:
        iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                           aws_access_key_id="setup", aws_secret_access_key="setup")
        iam.create_user(UserName="custode")
        key = iam.create_access_key(UserName="custode")["AccessKey"]
        iam.put_user_policy(UserName="custode", PolicyName="s3", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
        test_client(endpoint).create_bucket(Bucket="locked-down")
        yield endpoint, "locked-down", key["AccessKeyId"], key["SecretAccessKey"]
    finally:
        stop_moto(process)


def test_wrong_credentials_are_refused_without_showing_the_secret(
        auth_s3: tuple[str, str, str, str], s3_credentials: dict[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    endpoint, bucket, access_key, secret_key = auth_s3
    location = f"s3://{bucket}/pre?endpoint={endpoint}"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret_key)
    storage = S3Storage(location, retry_delays=FAST)
    storage.write("config", [b"{}"])
    assert b"".join(storage.read("config")) == b"{}"

    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", TEST_SECRET_KEY)      # right key id, wrong secret
    with pytest.raises(ConfigError) as caught:
        S3Storage(location, retry_delays=FAST)
    assert "refused the credentials for bucket locked-down (SignatureDoesNotMatch)" in str(caught.value)
    assert TEST_SECRET_KEY not in str(caught.value) and secret_key not in str(caught.value)

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIANOBODYKNOWSTHIS0")
    with pytest.raises(ConfigError, match=r"\(InvalidAccessKeyId\): check AWS_ACCESS_KEY_ID"):
        S3Storage(location, retry_delays=FAST)


def test_credentials_from_the_keyring_when_the_aws_chain_has_none(
        s3_endpoint: str, s3_bucket: tuple[Any, str], memory_keyring: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _, bucket = s3_bucket
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    location = f"s3://{bucket}/pre/sub?endpoint={s3_endpoint}"
    with pytest.raises(ConfigError, match=f"no S3 credentials for s3://{bucket}/pre/sub: set "):
        S3Storage(location)
    memory_keyring.set_password("custode-storage", f"s3://{bucket}/pre/sub", "not json")
    with pytest.raises(ConfigError, match="is not valid JSON"):
        S3Storage(location)
    memory_keyring.set_password("custode-storage", f"s3://{bucket}/pre/sub", json.dumps(
        {"access_key_id": "AKIAFROMKEYRING00001", "secret_access_key": "from-the-keyring"}))
    storage = S3Storage(location)
    storage.write("config", [b"{}"])
    assert storage.exists("config")
    assert storage.client._request_signer._credentials.access_key == "AKIAFROMKEYRING00001"


# -- transient errors, retries and resume ----------------------------------------------------------
def test_throttling_and_server_errors_are_retried(proxy: TcpProxy, s3_bucket: tuple[Any, str]) -> None:
    _, bucket = s3_bucket
    storage = _via(proxy, bucket)
    proxy.fail_next(2)
    storage.write("config", [b'{"format": 1}'])
    assert proxy.refused_with_503 == 2
    assert b"".join(storage.read("config")) == b'{"format": 1}'
    proxy.fail_next(10)                                  # more than the retries: a clear failure
    with pytest.raises(OperationFailed, match=r"failed 4 times \(SlowDown"):
        storage.write("config", [b"{}"])
    proxy.fail_next(0)


def test_a_broken_connection_resends_only_the_part_it_broke(proxy: TcpProxy,
                                                            s3_bucket: tuple[Any, str]) -> None:
    _, bucket = s3_bucket
    storage = _via(proxy, bucket)
    data = os.urandom(3 * PART_SIZE + 12345)
    proxy.reset_counts()
    proxy.cut_after(PART_SIZE + PART_SIZE // 2, restart_after=0.2)   # in the middle of part 2
    assert storage.write("data/big", _blocks(data)) == len(data)
    assert proxy.connections >= 2                                      # it did break and reconnect
    # Part 2 went twice (half, then whole); parts 1, 3 and 4 once.
    assert len(data) + PART_SIZE // 2 <= proxy.sent < len(data) + PART_SIZE // 2 + MiB
    assert hashlib.sha256(b"".join(storage.read("data/big"))).digest() == hashlib.sha256(data).digest()


def test_an_interrupted_upload_resumes_without_resending_stored_parts(
        proxy: TcpProxy, s3_endpoint: str, s3_bucket: tuple[Any, str]) -> None:
    client, bucket = s3_bucket
    storage = _via(proxy, bucket)
    data = os.urandom(5 * PART_SIZE + 999)
    proxy.cut_after(2 * PART_SIZE + PART_SIZE // 4)                  # down for good during part 3
    with pytest.raises(OperationFailed, match="check the network"):
        storage.write("data/huge", _blocks(data))
    assert not client.list_objects_v2(Bucket=bucket).get("Contents")   # nothing under the name
    uploads = client.list_multipart_uploads(Bucket=bucket)["Uploads"]
    assert [u["Key"] for u in uploads] == ["pre/data/huge"]
    stored = client.list_parts(Bucket=bucket, Key="pre/data/huge", UploadId=uploads[0]["UploadId"])
    assert [p["PartNumber"] for p in stored["Parts"]] == [1, 2]

    proxy.start()
    proxy.reset_counts()
    seen_before_the_end: list[bool] = []

    def source() -> Iterator[bytes]:
        blocks = list(_blocks(data))
        for index, block in enumerate(blocks):
            if index == len(blocks) - 1:                 # the upload is nearly done: still invisible
                seen_before_the_end.append("Contents" in client.list_objects_v2(Bucket=bucket))
            yield block

    assert storage.write("data/huge", source()) == len(data)
    assert seen_before_the_end == [False]
    resent = len(data) - 2 * PART_SIZE
    assert resent <= proxy.sent < resent + MiB, proxy.sent          # parts 1 and 2 not sent again
    assert not client.list_multipart_uploads(Bucket=bucket).get("Uploads")
    assert b"".join(storage.read("data/huge")) == data


def test_a_stored_part_that_differs_is_sent_again(proxy: TcpProxy, s3_bucket: tuple[Any, str]) -> None:
    client, bucket = s3_bucket
    storage = _via(proxy, bucket)
    old = os.urandom(3 * PART_SIZE)
    proxy.cut_after(PART_SIZE + MiB)
    with pytest.raises(OperationFailed):
        storage.write("data/x", _blocks(old))
    upload = client.list_multipart_uploads(Bucket=bucket)["Uploads"][0]
    assert len(client.list_parts(Bucket=bucket, Key="pre/data/x", UploadId=upload["UploadId"])[
        "Parts"]) == 1
    proxy.start()
    # Only uploads older than asked for (moto dates every upload 2010-11-10, so: a century).
    assert storage.abort_unfinished(timedelta(days=36500)) == 0
    new = os.urandom(PART_SIZE) + old[PART_SIZE:]       # other bytes for part 1 (same size)
    proxy.reset_counts()
    storage.write("data/x", _blocks(new))
    assert proxy.sent >= len(new)
    assert b"".join(storage.read("data/x")) == new
    assert not client.list_multipart_uploads(Bucket=bucket).get("Uploads")   # it reused the upload


def test_unfinished_uploads_are_aborted_on_request(proxy: TcpProxy, s3_bucket: tuple[Any, str]) -> None:
    client, bucket = s3_bucket
    storage = _via(proxy, bucket)
    proxy.cut_after(PART_SIZE + MiB)
    with pytest.raises(OperationFailed):
        storage.write("data/z", _blocks(os.urandom(2 * PART_SIZE + 1)))
    proxy.start()
    client.create_multipart_upload(Bucket=bucket, Key="elsewhere/data/z")   # not this repository's
    assert storage.abort_unfinished(timedelta(0)) == 1
    assert [u["Key"] for u in client.list_multipart_uploads(Bucket=bucket)["Uploads"]] == [
        "elsewhere/data/z"]


def test_a_source_that_fails_leaves_no_upload_behind(s3_endpoint: str,
                                                     s3_bucket: tuple[Any, str]) -> None:
    client, bucket = s3_bucket
    storage = S3Storage(f"s3://{bucket}/pre?endpoint={s3_endpoint}")

    def failing() -> Iterator[bytes]:
        yield os.urandom(PART_SIZE + 10)
        raise RuntimeError("the dump broke")

    with pytest.raises(RuntimeError):
        storage.write("data/y", failing())
    assert not client.list_multipart_uploads(Bucket=bucket).get("Uploads")
    assert not storage.exists("data/y")


def test_a_read_broken_half_way_continues_where_it_stopped(proxy: TcpProxy,
                                                           s3_bucket: tuple[Any, str]) -> None:
    client, bucket = s3_bucket
    data = os.urandom(32 * MiB)
    client.put_object(Bucket=bucket, Key="pre/data/r", Body=data)
    storage = _via(proxy, bucket)
    stream = storage.read("data/r")
    first = next(stream)
    proxy.reset_counts()
    proxy.drop_connections()                              # the download breaks off
    rest = b"".join(stream)
    assert first + rest == data
    assert proxy.connections == 1                         # it did break, and asked again once
    # Only what was missing came again (plus headers and what was in flight), not from the start.
    assert proxy.received < len(data) - len(first) + 100_000, proxy.received


# -- server-side encryption and Object Lock ------------------------------------------------------
def test_server_side_encryption_options(proxy: TcpProxy, s3_bucket: tuple[Any, str]) -> None:
    client, bucket = s3_bucket
    storage = _via(proxy, bucket, sse="AES256")
    storage.write("small", [b"abc"])
    storage.write("large", _blocks(os.urandom(PART_SIZE + 1)))
    for key in ("pre/small", "pre/large"):
        assert client.head_object(Bucket=bucket, Key=key)["ServerSideEncryption"] == "AES256"
    kms = _via(proxy, bucket, prefix="kms", sse="aws:kms", kms_key="custode-key")
    kms.write("small", [b"abc"])
    head = client.head_object(Bucket=bucket, Key="kms/small")
    assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"].endswith("custode-key")


def _lock_bucket(client: Any, name: str, default: dict[str, Any] | None) -> str:
    client.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
    if default:
        client.put_object_lock_configuration(Bucket=name, ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": default}})
    return name


def test_bucket_default_retention_also_covers_multipart_uploads(proxy: TcpProxy, s3_endpoint: str,
                                                                 s3_bucket: tuple[Any, str]) -> None:
    client, plain = s3_bucket
    bucket = _lock_bucket(client, f"{plain}-lock", {"Mode": "GOVERNANCE", "Days": 1})
    storage = _via(proxy, bucket)
    assert storage.lock_rule() == ("GOVERNANCE", (1, "d"))
    storage.write("config", [b"{}"])
    storage.write("data/big", _blocks(os.urandom(PART_SIZE + 5)))
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    for name in ("config", "data/big"):
        retention = storage.retention(name)
        assert retention is not None and retention[0] == "GOVERNANCE", name
        assert abs(datetime.fromisoformat(retention[1]) - tomorrow) < timedelta(minutes=5)
        with pytest.raises(ObjectLocked) as caught:
            storage.delete(name)
        assert caught.value.name == name and caught.value.until == retention[1]
        assert f"{name} is under S3 governance retention until {retention[1]}" in str(caught.value)
        assert storage.exists(name)                       # not hidden behind a delete marker
    storage.delete("never-written")                       # deleting a missing name is fine
    assert _via(proxy, plain).lock_rule() is None


def test_explicit_lock_option(proxy: TcpProxy, s3_bucket: tuple[Any, str]) -> None:
    client, plain = s3_bucket
    bucket = _lock_bucket(client, f"{plain}-lock2", None)
    storage = _via(proxy, bucket, lock="compliance:2d")
    storage.write("small", [b"a"])
    storage.write("large", _blocks(os.urandom(PART_SIZE + 5)))
    for name in ("small", "large"):
        retention = storage.retention(name)
        assert retention is not None and retention[0] == "COMPLIANCE"
        until = datetime.fromisoformat(retention[1])
        assert timedelta(days=2) - timedelta(minutes=5) < until - datetime.now(UTC) <= timedelta(days=2)
        with pytest.raises(ObjectLocked, match="compliance retention"):
            storage.delete(name)
    unlocked = _via(proxy, bucket, prefix="free")
    unlocked.write("x", [b"x"])
    assert unlocked.retention("x") is None
    unlocked.delete("x")
    assert not unlocked.exists("x")
    with pytest.raises(ConfigError, match=f"bucket {plain} does not have Object Lock enabled"):
        _via(proxy, plain, lock="governance:1d").write("x", [b"x"])


# -- end to end: Sakila through S3 ----------------------------------------------------------------
def test_sakila_backs_up_to_s3_verifies_and_restores_identical(
        proxy: TcpProxy, s3_bucket: tuple[Any, str], source_server: Any, target_server: Any) -> None:
    client, bucket = s3_bucket
    location = f"s3://{bucket}/custode/prod?endpoint=http://127.0.0.1:{proxy.port}"
    repo = Repository.init(S3Storage(location, retry_delays=FAST), "pw", kdf=TEST_KDF)
    source = ServerSpec.parse(source_server.url)
    result = run_backup(repo, source, "", BackupOptions(databases=["sakila"], jobs=2))
    keys = [o["Key"] for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
            for o in page.get("Contents", [])]
    assert keys and all(k.startswith("custode/prod/") for k in keys)
    assert f"custode/prod/backups/{result.backup_id}" in keys

    reopened = Repository.open(S3Storage(location, retry_delays=FAST), "pw")
    report = verify_backups(reopened, [result.backup_id])
    assert report.ok and report.objects > 5
    assert_restores_identical(reopened, result.backup_id, source_server, target_server, jobs=2)

    # A corrupted byte in S3 is found by verify.
    data_key = next(k for k in keys if "/data/" in k)
    body = bytearray(client.get_object(Bucket=bucket, Key=data_key)["Body"].read())
    body[len(body) // 2] ^= 1
    client.put_object(Bucket=bucket, Key=data_key, Body=bytes(body))
    assert not verify_backups(reopened, [result.backup_id]).ok


def test_a_backup_cut_off_by_the_endpoint_leaves_nothing_and_the_rerun_sends_less(
        proxy: TcpProxy, s3_bucket: tuple[Any, str], source_server: Any) -> None:
    _, bucket = s3_bucket
    source = ServerSpec.parse(source_server.url)
    options = BackupOptions(databases=["sakila"], jobs=2)

    def repository(prefix: str) -> Repository:
        location = f"s3://{bucket}/{prefix}?endpoint=http://127.0.0.1:{proxy.port}"
        return Repository.init(S3Storage(location, retry_delays=FAST), "pw", kdf=TEST_KDF)

    whole = repository("whole")
    proxy.reset_counts()
    run_backup(whole, source, "", options)
    full_run = proxy.sent                                   # what a complete backup sends

    repo = repository("cut")
    proxy.reset_counts()
    # The endpoint dies late in the run: the biggest objects (sakila's two largest tables, 70 %
    # of the bytes) go first and in parallel, so half-way none may have finished yet.
    proxy.cut_after(full_run * 9 // 10)
    with pytest.raises(OperationFailed) as caught:
        run_backup(repo, source, "", options)
    assert "check the network" in str(caught.value) and "\n" not in str(caught.value)
    proxy.start()
    assert list(repo.storage.list("backups")) == []          # no manifest: no backup
    stored_before = len(list(repo.storage.list("data")))
    assert stored_before > 0

    proxy.reset_counts()
    result = run_backup(repo, source, "", options)
    assert proxy.sent < full_run * 0.8, (proxy.sent, full_run)  # stored objects were not sent again
    totals = result.manifest["totals"]
    assert totals["new_objects"] < totals["objects"]
    assert verify_backups(repo, [result.backup_id]).ok
