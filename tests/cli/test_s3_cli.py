"""`custode --repo s3://bucket/prefix --s3-endpoint URL ...` as a user runs it, against moto_server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.core.localserver import LocalServer
from tests.helpers.s3server import TEST_ACCESS_KEY, TEST_REGION, TEST_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path: Path, source_server: LocalServer) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("CUSTODE", "MYSQL", "AWS"))}
    environment.update(CUSTODE_PASSWORD="cli pass phrase", CUSTODE_SERVER=source_server.url,
                       PYTHONPATH=str(ROOT), CUSTODE_HOME=str(tmp_path / "home"),
                       AWS_ACCESS_KEY_ID=TEST_ACCESS_KEY, AWS_SECRET_ACCESS_KEY=TEST_SECRET_KEY,
                       AWS_DEFAULT_REGION=TEST_REGION, AWS_EC2_METADATA_DISABLED="true",
                       AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    return environment


def custode(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], env=env, capture_output=True,
                          text=True, cwd=ROOT, check=False, timeout=120)


def test_init_backup_list_verify_on_s3(env: dict[str, str], s3_endpoint: str,
                                       s3_bucket: tuple[Any, str]) -> None:
    client, bucket = s3_bucket
    s3 = ["--repo", f"s3://{bucket}/pre", "--s3-endpoint", s3_endpoint]
    created = custode(env, *s3, "init")
    assert created.returncode == 0, created.stderr
    backup = custode(env, *s3, "backup", "--databases", "sakila")
    assert backup.returncode == 0, backup.stderr
    backup_id = backup.stdout.strip()
    assert len(backup_id) == 64
    listed = custode(env, *s3, "--json", "list")
    assert listed.returncode == 0, listed.stderr
    assert [b["id"] for b in json.loads(listed.stdout)] == [backup_id]
    verified = custode(env, *s3, "verify", "latest")
    assert verified.returncode == 0 and "no damage found" in verified.stdout, verified.stderr
    keys = {o["Key"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]}
    assert f"pre/backups/{backup_id}" in keys and "pre/config" in keys

    # The endpoint may also come from the standard AWS variable.
    from_environment = custode({**env, "AWS_ENDPOINT_URL": s3_endpoint},
                               "--repo", f"s3://{bucket}/pre", "list")
    assert from_environment.returncode == 0 and backup_id[:8] in from_environment.stdout


def test_missing_bucket_is_exit_2_and_one_line(env: dict[str, str], s3_endpoint: str) -> None:
    result = custode(env, "--repo", "s3://no-such-bucket/pre", "--s3-endpoint", s3_endpoint, "init")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == [f"custode: error: bucket no-such-bucket does not exist at {s3_endpoint}; "
                     "create it or correct the repository location"]


def test_wrong_location_options_are_usage_errors(env: dict[str, str], s3_endpoint: str,
                                                 tmp_path: Path) -> None:
    result = custode(env, "--repo", "s3://bkt/pre?colour=red", "--s3-endpoint", s3_endpoint, "list")
    assert result.returncode == 2 and "unknown S3 option 'colour'" in result.stderr
    result = custode(env, "--repo", "s3://b/pre", "list")
    assert result.returncode == 2 and "bad S3 bucket name 'b'" in result.stderr
    result = custode(env, "--repo", str(tmp_path), "--s3-endpoint", s3_endpoint, "list")
    assert result.returncode == 2 and "--s3-endpoint is only for s3:// repositories" in result.stderr
    assert "Traceback" not in result.stderr
