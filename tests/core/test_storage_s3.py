"""The S3 backend against a real moto_server."""

from __future__ import annotations

from typing import Any

from app.core.storage_s3 import S3Storage
from tests.helpers.storage_contract import check_storage_contract


def test_contract_with_a_nested_prefix(s3_endpoint: str, s3_bucket: tuple[Any, str]) -> None:
    client, bucket = s3_bucket
    storage = S3Storage(f"s3://{bucket}/team/custode?endpoint={s3_endpoint}")
    check_storage_contract(storage)
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]]
    assert all(k.startswith("team/custode/") for k in keys)
