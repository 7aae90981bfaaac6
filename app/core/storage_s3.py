"""S3 and S3-compatible storage: `s3://bucket/prefix?option=value&...` (docs/STORAGE.md).

Names are stored as `prefix/name`.  Small files go up in one PUT; larger ones as a multipart upload
of 8 MiB parts (never more than one part in memory), which appears under its name only when S3
completes it, so a reader sees the whole file or nothing.  Transient failures (connection refused or
reset, timeouts, 5xx, throttling) are retried with back-off, each request on its own; an upload that
still fails is left in the bucket so the next write of the same name resumes it, sending only the
parts that S3 does not already hold with the same MD5.  Permanent failures (missing bucket, wrong
credentials) fail at once with one line.

Query options of the location:
    endpoint=URL        an S3-compatible service (also `--s3-endpoint`, AWS_ENDPOINT_URL_S3,
                        AWS_ENDPOINT_URL)
    region=NAME         else AWS_REGION, AWS_DEFAULT_REGION, the AWS profile, us-east-1
    sse=AES256          server-side encryption with S3-managed keys
    sse=aws:kms         ... with KMS; `kms-key=ID` names the key (else the bucket's default key)
    lock=MODE:PERIOD    Object Lock retention for every file written: MODE is governance or
                        compliance, PERIOD a number followed by d (days) or y (years)

Credentials come from the standard AWS chain (environment, shared files and profiles, SSO, instance
roles); only when it finds none, from the keyring: service "custode-storage", account the location
without its query, secret JSON {"access_key_id": ..., "secret_access_key": ...}.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit

import boto3
import botocore.exceptions
from botocore.config import Config

from app.core import secrets
from app.core.errors import ConfigError, ObjectLocked, OperationFailed

PART_SIZE = 8 * 1024 * 1024
PARTS_PER_STEP = 1000          # part size grows by PART_SIZE every 1000 parts (S3 allows 10,000)
MAX_PARTS = 10_000
READ_CHUNK = 1 << 20
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)  # seconds between attempts: 6 attempts in ~15 s
OPTIONS = ("endpoint", "region", "sse", "kms-key", "lock")

_TRANSIENT_CODES = {"SlowDown", "Throttling", "ThrottlingException", "RequestTimeout",
                    "InternalError", "ServiceUnavailable",
                    "RequestLimitExceeded", "TooManyRequests", "503", "500", "502", "504"}
_CREDENTIAL_CODES = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403",
                     "InvalidToken", "ExpiredToken", "TokenRefreshRequired", "AllAccessDisabled"}
_MISSING_CODES = {"NoSuchKey", "404", "NotFound"}
_NETWORK_ERRORS = (botocore.exceptions.EndpointConnectionError,
                   botocore.exceptions.ConnectionClosedError,
                   botocore.exceptions.ReadTimeoutError,
                   botocore.exceptions.ConnectTimeoutError,
                   botocore.exceptions.ResponseStreamingError,
                   botocore.exceptions.ProxyConnectionError,
                   botocore.exceptions.HTTPClientError,
                   botocore.exceptions.IncompleteReadError,
                   ConnectionError)

# Multipart uploads this process is writing right now: never resumed by a second writer.
_uploads_in_use: set[str] = set()
_uploads_lock = threading.Lock()

T = TypeVar("T")


@dataclass(frozen=True)
class S3Location:
    """A parsed `s3://bucket/prefix?...` location."""

    bucket: str
    prefix: str
    endpoint: str | None
    region: str | None
    sse: str | None
    kms_key: str | None
    lock_mode: str | None          # "GOVERNANCE" / "COMPLIANCE"
    lock_period: tuple[int, str] | None  # (count, "d" | "y")

    @property
    def account(self) -> str:
        """The keyring account for this location's credentials: the location without its query."""
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"


def parse_location(location: str) -> S3Location:
    parts = urlsplit(location)
    if parts.scheme.lower() != "s3" or not parts.netloc:
        raise ConfigError(f"bad S3 location {location!r}: write s3://bucket/prefix")
    bucket = parts.netloc
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{2,254}", bucket):
        raise ConfigError(f"bad S3 bucket name {bucket!r} in {location!r}: a bucket name has 3 to 63 "
                          "letters, digits, dots and hyphens")
    prefix = parts.path.strip("/")
    if ".." in prefix.split("/") or "//" in prefix:
        raise ConfigError(f"bad S3 prefix {prefix!r} in {location!r}")
    query: dict[str, str] = {}
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key not in OPTIONS:
            raise ConfigError(f"unknown S3 option {key!r} in {location!r}: use "
                              + ", ".join(f"{o}=" for o in OPTIONS))
        query[key] = value
    sse = query.get("sse") or None
    if sse not in (None, "AES256", "aws:kms"):
        raise ConfigError(f"unknown S3 encryption sse={sse}: use sse=AES256 or sse=aws:kms")
    kms_key = query.get("kms-key") or None
    if kms_key and sse != "aws:kms":
        raise ConfigError("kms-key= needs sse=aws:kms in the S3 location")
    lock_mode = lock_period = None
    if query.get("lock"):
        match = re.fullmatch(r"(governance|compliance):([1-9][0-9]{0,4})([dy])", query["lock"].lower())
        if not match:
            raise ConfigError(f"bad S3 lock={query['lock']}: write lock=governance:30d or "
                              "lock=compliance:1y (d days, y years)")
        lock_mode = match.group(1).upper()
        lock_period = (int(match.group(2)), match.group(3))
    endpoint = query.get("endpoint") or None
    if endpoint and not re.match(r"https?://[^/]+", endpoint):
        raise ConfigError(f"bad S3 endpoint {endpoint!r}: write http(s)://host[:port]")
    return S3Location(bucket, prefix, endpoint, query.get("region") or None, sse, kms_key,
                      lock_mode, lock_period)


def with_endpoint(location: str, endpoint: str) -> str:
    """The location with `endpoint=` set (what `--s3-endpoint URL` does to `--repo`)."""
    parts = urlsplit(location)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "endpoint"]
    query.append(("endpoint", endpoint))
    return parts._replace(query=urlencode(query, safe=":/")).geturl()


def open_s3(location: str) -> S3Storage:
    return S3Storage(location)


class _Transient(Exception):
    """A failure worth trying again; carries a readable reason."""


class S3Storage:
    """A bucket (and a prefix inside it) as a Storage."""

    def __init__(self, location: str, *, retry_delays: Iterable[float] = RETRY_DELAYS) -> None:
        self.location = location
        self.spec = parse_location(location)
        self.bucket = self.spec.bucket
        self.prefix = self.spec.prefix
        self.retry_delays = tuple(retry_delays)
        self.endpoint = (self.spec.endpoint or os.environ.get("AWS_ENDPOINT_URL_S3")
                         or os.environ.get("AWS_ENDPOINT_URL") or None)
        self.client = self._client()
        self.where = (self.endpoint or f"AWS S3 ({self.client.meta.region_name})").rstrip("/")
        self._lock_rule: tuple[str, tuple[int, str]] | None = None
        self._lock_known = False
        self._probe()

    # -- connecting ------------------------------------------------------------------------------
    def _client(self) -> Any:
        try:
            return self._make_client()
        except botocore.exceptions.BotoCoreError as exc:    # a missing profile, an expired SSO login
            raise ConfigError(f"cannot use the AWS settings for {self.spec.account}: {_short(exc)}; "
                              "check AWS_PROFILE and ~/.aws") from None

    def _make_client(self) -> Any:
        session = boto3.session.Session()
        region = (self.spec.region or os.environ.get("AWS_REGION")
                  or os.environ.get("AWS_DEFAULT_REGION") or session.region_name or "us-east-1")
        config = Config(
            region_name=region, retries={"total_max_attempts": 1},  # retried here, per request
            connect_timeout=10, read_timeout=60,
            s3={"addressing_style": "path" if self.endpoint else "auto"},
            request_checksum_calculation="when_required",     # S3-compatible services lag behind
            response_checksum_validation="when_required")     # Content-MD5 is sent instead
        keys: dict[str, str] = {}
        if session.get_credentials() is None:
            keys = self._keyring_credentials()
        return session.client("s3", endpoint_url=self.endpoint, config=config, **keys)

    def _keyring_credentials(self) -> dict[str, str]:
        stored = secrets.get_secret(secrets.STORAGE_SERVICE, self.spec.account)
        if not stored:
            raise ConfigError(f"no S3 credentials for {self.spec.account}: set AWS_ACCESS_KEY_ID and "
                              "AWS_SECRET_ACCESS_KEY, use an AWS profile, or save them in the keyring")
        try:
            document = json.loads(stored)
            keys = {"aws_access_key_id": str(document["access_key_id"]),
                    "aws_secret_access_key": str(document["secret_access_key"])}
        except (ValueError, KeyError, TypeError):
            raise ConfigError(f"the keyring entry for {self.spec.account} (service "
                              f"{secrets.STORAGE_SERVICE}) is not valid JSON with access_key_id and "
                              "secret_access_key; save it again") from None
        if document.get("session_token"):
            keys["aws_session_token"] = str(document["session_token"])
        return keys

    def _probe(self) -> None:
        """One listing: the bucket exists and the credentials work, or a clear error now."""
        self._call("open", lambda: self.client.list_objects_v2(
            Bucket=self.bucket, Prefix=self._key(""), MaxKeys=1))

    # -- error handling --------------------------------------------------------------------------
    def _call(self, what: str, action: Callable[[], T], name: str = "") -> T:
        """Run one request, retrying transient failures with back-off; translate the others."""
        attempts = len(self.retry_delays) + 1
        for attempt in range(attempts):
            try:
                try:
                    return action()
                except Exception as exc:
                    self._translate(exc, what, name)
                    raise
            except _Transient as exc:
                if attempt == attempts - 1:
                    raise OperationFailed(f"S3 at {self.where} failed {attempts} times ({exc}) "
                                          f"during {what}; check the network and the service, then "
                                          "run again: finished files are kept") from None
                delay = self.retry_delays[attempt]
                time.sleep(delay * random.uniform(0.8, 1.2))
        raise AssertionError("unreachable")

    def _translate(self, exc: Exception, what: str, name: str) -> None:
        """Raise _Transient, a CustodeError or FileNotFoundError for `exc`; return to re-raise it."""
        if isinstance(exc, _NETWORK_ERRORS):
            raise _Transient(_short(exc)) from None
        if not isinstance(exc, botocore.exceptions.ClientError):
            return
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        if code == "ObjectLockConfigurationNotFoundError":
            return
        if code in _TRANSIENT_CODES or status >= 500 or status == 429:
            raise _Transient(f"{code or status} {error.get('Message', '')}".strip()) from None
        if code == "NoSuchBucket":
            raise ConfigError(f"bucket {self.bucket} does not exist at {self.where}; create it or "
                              "correct the repository location") from None
        if code in _CREDENTIAL_CODES:
            raise ConfigError(f"S3 at {self.where} refused the credentials for bucket {self.bucket} "
                              f"({code}): check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the AWS "
                              f"profile or the keyring entry for {self.spec.account}, and the "
                              "bucket's permissions") from None
        if code in _MISSING_CODES and name:
            raise FileNotFoundError(name) from None
        raise OperationFailed(f"S3 at {self.where} refused {what} of {name or self.bucket}: {code} "
                              f"{error.get('Message', '')}".strip()) from None

    # -- names -----------------------------------------------------------------------------------
    def _key(self, name: str) -> str:
        if name.startswith("/") or ".." in name.split("/"):
            raise ValueError(f"bad storage name {name!r}")
        if not self.prefix:
            return name
        return f"{self.prefix}/{name}" if name else f"{self.prefix}/"

    def _head(self, name: str) -> dict[str, Any] | None:
        key = self._key(name)
        try:
            head: dict[str, Any] = self._call("reading the size", lambda: self.client.head_object(
                Bucket=self.bucket, Key=key), name)
        except FileNotFoundError:
            return None
        return head

    # -- the Storage protocol --------------------------------------------------------------------
    def exists(self, name: str) -> bool:
        return self._head(name) is not None

    def size(self, name: str) -> int:
        head = self._head(name)
        if head is None:
            raise FileNotFoundError(name)
        return int(head["ContentLength"])

    def read(self, name: str) -> Iterator[bytes]:
        key = self._key(name)
        response = self._call("reading", lambda: self.client.get_object(Bucket=self.bucket, Key=key),
                              name)
        return self._stream(name, key, response)

    def _stream(self, name: str, key: str, response: dict[str, Any]) -> Iterator[bytes]:
        """The body in blocks; a connection lost half-way is picked up where it broke."""
        etag = response.get("ETag", "")
        total = int(response.get("ContentLength", 0))
        done = 0
        stalls = 0
        while True:
            body = response["Body"]
            before = done
            try:
                for block in body.iter_chunks(READ_CHUNK):
                    done += len(block)
                    yield block
                if done >= total:
                    return
            except _NETWORK_ERRORS:
                pass
            finally:
                body.close()
            stalls = 0 if done > before else stalls + 1
            if stalls > len(self.retry_delays):
                raise OperationFailed(f"S3 at {self.where} kept breaking off while sending {name}; "
                                      "check the network and run again")
            if stalls:
                time.sleep(self.retry_delays[stalls - 1])
            start = done

            def again(start: int = start) -> dict[str, Any]:
                extra = {"IfMatch": etag} if etag else {}
                result: dict[str, Any] = self.client.get_object(
                    Bucket=self.bucket, Key=key, Range=f"bytes={start}-", **extra)
                return result
            response = self._call("reading", again, name)

    def list(self, prefix: str) -> Iterator[str]:
        folder = self._key(f"{prefix.strip('/')}/" if prefix.strip("/") else "")
        skip = len(self._key(""))
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {"Bucket": self.bucket, "Prefix": folder}
            if token:
                kwargs["ContinuationToken"] = token
            page = self._call("listing", functools.partial(self.client.list_objects_v2, **kwargs))
            for item in page.get("Contents", []):
                name = item["Key"][skip:]
                if name and not name.endswith("/"):
                    yield name
            if not page.get("IsTruncated"):
                return
            token = page["NextContinuationToken"]

    def delete(self, name: str) -> None:
        """Delete a file; refuse (ObjectLocked) while it is under retention or legal hold."""
        head = self._head(name)
        if head is None:
            return
        locked = _retention_of(head)
        if head.get("ObjectLockLegalHoldStatus") == "ON":
            raise ObjectLocked(f"{name} is under an S3 legal hold in bucket {self.bucket}; it cannot "
                               "be deleted until the hold is removed", name, locked[1] if locked else "")
        if locked:
            mode, until = locked
            if datetime.fromisoformat(until) > datetime.now(UTC):
                raise ObjectLocked(f"{name} is under S3 {mode.lower()} retention until {until}; it "
                                   "can be deleted after that", name, until)
        key = self._key(name)
        self._call("deleting", lambda: self.client.delete_object(Bucket=self.bucket, Key=key), name)

    def retention(self, name: str) -> tuple[str, str] | None:
        """(mode, ISO time it ends) of a file under Object Lock retention, else None."""
        head = self._head(name)
        if head is None:
            raise FileNotFoundError(name)
        return _retention_of(head)

    # -- writing ---------------------------------------------------------------------------------
    def write(self, name: str, blocks: Iterable[bytes]) -> int:
        key = self._key(name)
        parts = _Parts(iter(blocks))
        first = parts.next(_part_size(1))
        if parts.finished:
            self._put_single(name, key, first)
            return len(first)
        return self._put_multipart(name, key, first, parts)

    def _object_args(self) -> dict[str, Any]:
        args: dict[str, Any] = {}
        if self.spec.sse:
            args["ServerSideEncryption"] = self.spec.sse
        if self.spec.kms_key:
            args["SSEKMSKeyId"] = self.spec.kms_key
        return args

    def _put_single(self, name: str, key: str, data: bytes) -> None:
        args = self._object_args()
        lock = self._lock_for_new_object()
        if lock and self.spec.lock_mode:        # bucket defaults apply to a single PUT by themselves
            args.update(ObjectLockMode=lock[0], ObjectLockRetainUntilDate=lock[1])
        self._call("uploading", lambda: self.client.put_object(
            Bucket=self.bucket, Key=key, Body=data, ContentMD5=_md5_b64(data), **args), name)

    def _put_multipart(self, name: str, key: str, first: bytes, parts: _Parts) -> int:
        lock = self._lock_for_new_object()
        upload_id, stored = self._find_upload(key)
        if upload_id is None:
            args = self._object_args()
            if lock:
                args.update(ObjectLockMode=lock[0], ObjectLockRetainUntilDate=lock[1])
            created = self._call("starting an upload", lambda: self.client.create_multipart_upload(
                Bucket=self.bucket, Key=key, **args), name)
            upload_id = created["UploadId"]
            with _uploads_lock:
                _uploads_in_use.add(upload_id)
        try:
            done: list[dict[str, Any]] = []
            total = 0
            data, number = first, 1
            while True:
                if number > MAX_PARTS:
                    raise OperationFailed(f"{name} is too large for one S3 object")
                etag = _quoted_md5(data)
                if stored.get(number) != (etag, len(data)):
                    etag = self._upload_part(name, key, upload_id, number, data)
                done.append({"PartNumber": number, "ETag": etag})
                total += len(data)
                if parts.finished:
                    break
                number += 1
                data = parts.next(_part_size(number))
                if not data and parts.finished:
                    break
            self._call("completing the upload", lambda: self.client.complete_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload_id,
                MultipartUpload={"Parts": done}), name)
        except OperationFailed:
            raise                                   # S3 unreachable: kept, so that it resumes
        except BaseException:
            self._abort(key, upload_id)             # the source failed: nothing is left behind
            raise
        finally:
            with _uploads_lock:
                _uploads_in_use.discard(upload_id)
        if lock:
            self._ensure_retention(name, key, lock)
        return total

    def _upload_part(self, name: str, key: str, upload_id: str, number: int, data: bytes) -> str:
        md5 = _md5_b64(data)
        response = self._call(f"uploading part {number}", lambda: self.client.upload_part(
            Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=data,
            ContentMD5=md5), name)
        return str(response["ETag"])

    def _find_upload(self, key: str) -> tuple[str | None, dict[int, tuple[str, int]]]:
        """The newest unfinished upload of `key` left by an earlier run, and its stored parts."""
        listing = self._call("looking for an unfinished upload",
                             lambda: self.client.list_multipart_uploads(Bucket=self.bucket, Prefix=key))
        uploads = sorted((u for u in listing.get("Uploads", []) if u["Key"] == key),
                         key=lambda u: u["Initiated"], reverse=True)
        for upload in uploads:
            upload_id = str(upload["UploadId"])
            with _uploads_lock:
                if upload_id in _uploads_in_use:
                    continue
                _uploads_in_use.add(upload_id)
            try:
                return upload_id, self._stored_parts(key, upload_id)
            except BaseException:
                with _uploads_lock:
                    _uploads_in_use.discard(upload_id)
                raise
        return None, {}

    def _stored_parts(self, key: str, upload_id: str) -> dict[int, tuple[str, int]]:
        """Part number -> (ETag, size) of what an unfinished upload already holds."""
        stored: dict[int, tuple[str, int]] = {}
        marker = 0
        while True:
            page = self._call("listing stored parts", functools.partial(
                self.client.list_parts, Bucket=self.bucket, Key=key, UploadId=upload_id,
                PartNumberMarker=marker))
            for part in page.get("Parts", []):
                stored[int(part["PartNumber"])] = (str(part["ETag"]), int(part["Size"]))
            if not page.get("IsTruncated"):
                return stored
            marker = int(page["NextPartNumberMarker"])

    def abort_unfinished(self, older_than: timedelta = timedelta(days=7)) -> int:
        """Abort multipart uploads under the prefix left by runs that never came back; their parts
        cost storage but never show as files.  Returns how many were aborted (for prune)."""
        cutoff = datetime.now(UTC) - older_than
        aborted = 0
        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Prefix": self._key("")}
        while True:
            page = self._call("listing unfinished uploads",
                              functools.partial(self.client.list_multipart_uploads, **kwargs))
            for upload in page.get("Uploads", []):
                with _uploads_lock:
                    busy = upload["UploadId"] in _uploads_in_use
                if not busy and upload["Initiated"] <= cutoff:
                    self._call("aborting an unfinished upload", functools.partial(
                        self.client.abort_multipart_upload, Bucket=self.bucket, Key=upload["Key"],
                        UploadId=upload["UploadId"]))
                    aborted += 1
            if not page.get("IsTruncated"):
                return aborted
            kwargs.update(KeyMarker=page["NextKeyMarker"], UploadIdMarker=page["NextUploadIdMarker"])

    def _abort(self, key: str, upload_id: str) -> None:
        try:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
        except Exception:  # noqa: BLE001 - an unfinished upload never shows as a file
            pass

    # -- Object Lock -----------------------------------------------------------------------------
    def lock_rule(self) -> tuple[str, tuple[int, str]] | None:
        """The retention new files get: the location's `lock=`, else the bucket's default, or None."""
        if not self._lock_known:
            self._lock_rule = self._read_lock_rule()
            self._lock_known = True
        return self._lock_rule

    def _read_lock_rule(self) -> tuple[str, tuple[int, str]] | None:
        try:
            config = self._call("reading the Object Lock settings",
                                lambda: self.client.get_object_lock_configuration(Bucket=self.bucket))
            lock = config.get("ObjectLockConfiguration", {})
        except OperationFailed:
            raise
        except botocore.exceptions.ClientError:
            lock = {}
        enabled = lock.get("ObjectLockEnabled") == "Enabled"
        if self.spec.lock_mode and self.spec.lock_period:
            if not enabled:
                raise ConfigError(f"bucket {self.bucket} does not have Object Lock enabled, so lock= "
                                  "cannot be used; create the bucket with Object Lock or drop lock=")
            return self.spec.lock_mode, self.spec.lock_period
        rule = lock.get("Rule", {}).get("DefaultRetention") if enabled else None
        if not rule:
            return None
        period = (int(rule["Days"]), "d") if rule.get("Days") else (int(rule.get("Years", 0)), "y")
        return str(rule["Mode"]), period

    def _lock_for_new_object(self) -> tuple[str, datetime] | None:
        rule = self.lock_rule()
        if rule is None:
            return None
        mode, (count, unit) = rule
        now = datetime.now(UTC).replace(microsecond=0)
        until = now + timedelta(days=count) if unit == "d" else now.replace(year=now.year + count)
        return mode, until

    def _ensure_retention(self, name: str, key: str, lock: tuple[str, datetime]) -> None:
        """A multipart upload may come out without retention (defaults skip it on some services)."""
        head = self._head(name)
        if head is not None and head.get("ObjectLockRetainUntilDate"):
            return
        self._call("setting the retention", lambda: self.client.put_object_retention(
            Bucket=self.bucket, Key=key,
            Retention={"Mode": lock[0], "RetainUntilDate": lock[1]}), name)


class _Parts:
    """Cuts a stream of blocks of any size into parts of a requested size, holding one part."""

    def __init__(self, blocks: Iterator[bytes]) -> None:
        self._blocks = blocks
        self._pending = b""
        self.finished = False

    def next(self, size: int) -> bytes:
        buffer = bytearray(self._pending)
        self._pending = b""
        while len(buffer) < size:
            block = next(self._blocks, None)
            if block is None:
                self.finished = True
                return bytes(buffer)
            buffer += block
        self._pending = bytes(buffer[size:])
        del buffer[size:]
        if not self._pending:                     # look ahead: is this the last part?
            block = next(self._blocks, None)
            while block is not None and not block:
                block = next(self._blocks, None)
            if block is None:
                self.finished = True
            else:
                self._pending = bytes(block)
        return bytes(buffer)


def _part_size(number: int) -> int:
    return PART_SIZE * (1 + (number - 1) // PARTS_PER_STEP)


def _md5_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def _quoted_md5(data: bytes) -> str:
    return f'"{hashlib.md5(data).hexdigest()}"'


def _retention_of(head: dict[str, Any]) -> tuple[str, str] | None:
    mode, until = head.get("ObjectLockMode"), head.get("ObjectLockRetainUntilDate")
    if not mode or not until:
        return None
    if isinstance(until, str):
        until = datetime.fromisoformat(until.replace("Z", "+00:00"))
    return str(mode), until.astimezone(UTC).isoformat()


def _short(exc: BaseException) -> str:
    """A few words for a network failure (botocore's own text repeats the whole URL)."""
    if isinstance(exc, botocore.exceptions.EndpointConnectionError | ConnectionRefusedError):
        return "cannot connect"
    if isinstance(exc, botocore.exceptions.ConnectionClosedError | ConnectionResetError):
        return "connection closed"
    if isinstance(exc, botocore.exceptions.ReadTimeoutError | botocore.exceptions.ConnectTimeoutError):
        return "timed out"
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]
