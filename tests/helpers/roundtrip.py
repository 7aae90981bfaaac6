"""Round trips for schema-fidelity tests: back up, restore, export + load with the stock client,
and compare by tests/helpers/fingerprint.py."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from app.core.backup import BackupOptions, run_backup
from app.core.export import export_sql
from app.core.localserver import LocalServer
from app.core.repository import Repository
from app.core.restore import RestoreOptions, plan_restore, run_restore
from app.core.server import ServerSpec
from tests.helpers.fingerprint import diff
from tests.helpers.servers import client_command, fingerprint_of


def backup(repo: Repository, server: LocalServer, databases: list[str],
           **options: Any) -> tuple[str, dict[str, Any]]:
    result = run_backup(repo, ServerSpec.parse(server.url), "",
                        BackupOptions(databases=databases, jobs=2, **options))
    return result.backup_id, result.manifest


def restore(repo: Repository, backup_id: str, target: LocalServer) -> None:
    spec = ServerSpec.parse(target.url)
    options = RestoreOptions(jobs=2)
    run_restore(repo, plan_restore(repo, backup_id, spec, "", options), spec, "", options)


def export_and_load(repo: Repository, backup_id: str, target: LocalServer, path: Path,
                    *, drop_first_line: bool = False) -> subprocess.CompletedProcess[bytes]:
    with open(path, "wb") as handle:
        export_sql(repo, backup_id, handle)
    if drop_first_line:       # as an older client, which has no sandbox mode, reads it
        path.write_bytes(path.read_bytes().split(b"\n", 1)[1])
    with open(path, "rb") as handle:   # as the export's header says to load it
        return subprocess.run(client_command(target, "--comments"), stdin=handle,
                              capture_output=True, check=False)


def assert_no_difference(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    differences = diff(expected, actual)
    assert not differences, "\n".join(differences[:20])


def assert_same(source: LocalServer, target: LocalServer, databases: list[str]) -> None:
    assert_no_difference(fingerprint_of(source, databases), fingerprint_of(target, databases))
