"""A real S3 for the tests: `moto_server` on 127.0.0.1, started by pid and stopped by pid.

Fixtures (registered in tests/conftest.py):
    s3_endpoint      session-wide moto_server, e.g. "http://127.0.0.1:41234"
    s3_credentials   test AWS_* variables for one test (monkeypatched; no real account is touched)
    s3_bucket        a fresh, empty bucket on s3_endpoint: (client, name)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

TEST_ACCESS_KEY = "AKIACUSTODETESTING01"
TEST_SECRET_KEY = "custode-test-secret-key-0123456789abcdef"
TEST_REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_moto(extra_env: dict[str, str] | None = None,
               port: int | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Start moto_server and wait (at most 30 s) until it answers; returns (process, endpoint)."""
    program = Path(sys.executable).with_name("moto_server")
    port = port or free_port()
    env = {**os.environ, **(extra_env or {})}
    process = subprocess.Popen([str(program), "-H", "127.0.0.1", "-p", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited with status {process.returncode}")
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
            return process, endpoint
        except urllib.error.HTTPError:
            return process, endpoint                       # it answers: good enough
        except OSError:
            if time.monotonic() > deadline:
                stop_moto(process)
                raise RuntimeError("moto_server did not answer within 30 s") from None
            time.sleep(0.1)


def stop_moto(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_client(endpoint: str, **kwargs: Any) -> Any:
    """A boto3 client straight to the server (not through Custode), for setting up and checking."""
    return boto3.client("s3", endpoint_url=endpoint, region_name=TEST_REGION,
                        aws_access_key_id=kwargs.pop("access_key", TEST_ACCESS_KEY),
                        aws_secret_access_key=kwargs.pop("secret_key", TEST_SECRET_KEY), **kwargs)


test_client.__test__ = False  # type: ignore[attr-defined]  # not a test, despite its name


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    process, endpoint = start_moto()
    try:
        yield endpoint
    finally:
        stop_moto(process)


@pytest.fixture
def s3_credentials(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {"AWS_ACCESS_KEY_ID": TEST_ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": TEST_SECRET_KEY,
              "AWS_DEFAULT_REGION": TEST_REGION, "AWS_EC2_METADATA_DISABLED": "true"}
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_ENDPOINT_URL",
                 "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


@pytest.fixture
def s3_bucket(s3_endpoint: str, s3_credentials: dict[str, str]) -> tuple[Any, str]:
    client = test_client(s3_endpoint)
    name = f"custode-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name)
    return client, name
