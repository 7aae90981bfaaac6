"""No per-row Python work: the engine's Python function calls must not grow with the row count.

Counts every Python function call (a profiler hook on all threads) for a backup and a restore
of the same table at 5,000 and 40,000 rows; fixed costs cancel out, and what is left divided by
the 35,000 extra rows must stay far below one call per row.  A per-row loop anywhere in the
path (a typed cursor, a Python formatter, a row-by-row insert) costs several calls per row.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app.core.backup import BackupOptions, run_backup
from app.core.localserver import LocalServer
from app.core.repository import Repository
from app.core.restore import RestoreOptions, RestorePlan, RestoreReport, plan_restore, run_restore
from app.core.server import ServerSpec
from tests.helpers.servers import drop_user_databases, execute

SMALL, LARGE = 5_000, 40_000
CEILING = 0.1   # Python calls per extra row: batches cost ~0.03, a per-row loop 5 to 50


@pytest.fixture
def rows_db(target_server: LocalServer) -> Iterator[LocalServer]:
    drop_user_databases(target_server)
    statements = ["CREATE DATABASE per_row", "USE per_row"]
    for name, count in (("small", SMALL), ("large", LARGE)):
        # With a binary column (restored with INSERTs), and without (with LOAD DATA).
        statements += [
            f"CREATE TABLE {name} (id INT PRIMARY KEY, n BIGINT, f FLOAT, t VARCHAR(40), "
            "d DATETIME, b VARBINARY(16), KEY (n))",
            f"INSERT INTO {name} SELECT seq, seq * 31, seq / 7, CONCAT('row ', seq), "
            f"'2020-01-01' + INTERVAL seq MINUTE, UNHEX(MD5(seq)) FROM seq_1_to_{count}",
            f"CREATE TABLE {name}_text (id INT PRIMARY KEY, n BIGINT, f FLOAT, t VARCHAR(40), "
            "d DATETIME, KEY (n))",
            f"INSERT INTO {name}_text SELECT seq, seq * 31, seq / 7, CONCAT('row ', seq), "
            f"'2020-01-01' + INTERVAL seq MINUTE FROM seq_1_to_{count}"]
    execute(target_server, *statements)
    yield target_server
    drop_user_databases(target_server)


def _count_calls(action: Callable[[], Any]) -> int:
    calls = [0]
    lock = threading.Lock()

    def hook(frame: object, event: str, arg: object) -> None:
        if event == "call":
            with lock:
                calls[0] += 1

    threading.setprofile(hook)
    sys.setprofile(hook)
    try:
        action()
    finally:
        sys.setprofile(None)
        threading.setprofile(None)   # type: ignore[arg-type]
    return calls[0]


@pytest.mark.parametrize("suffix", ["", "_text"], ids=["insert", "load-data"])
def test_backup_and_restore_do_no_python_work_per_row(repo: Repository, rows_db: LocalServer,
                                                      suffix: str) -> None:
    spec = ServerSpec.parse(rows_db.url)
    backups: dict[str, str] = {}
    backup_calls: dict[str, int] = {}
    restore_calls: dict[str, int] = {}
    reports: list[RestoreReport] = []
    for table in ("small", "large"):
        def backup(table: str = table) -> None:
            backups[table] = run_backup(repo, spec, "", BackupOptions(
                tables=[f"per_row.{table}{suffix}"], jobs=2)).backup_id
        backup_calls[table] = _count_calls(backup)
    for table in ("small", "large"):
        options = RestoreOptions(rename={"per_row": f"per_row_{table}"}, jobs=2)
        plan = plan_restore(repo, backups[table], spec, "", options)

        def restore(plan: RestorePlan = plan, options: RestoreOptions = options) -> None:
            reports.append(run_restore(repo, plan, spec, "", options))
        restore_calls[table] = _count_calls(restore)
    assert all((r.objects_load_data > 0) == (suffix == "_text") for r in reports)
    extra = LARGE - SMALL
    per_row_backup = (backup_calls["large"] - backup_calls["small"]) / extra
    per_row_restore = (restore_calls["large"] - restore_calls["small"]) / extra
    assert per_row_backup < CEILING, f"backup: {per_row_backup:.3f} Python calls per row {backup_calls}"
    assert per_row_restore < CEILING, f"restore: {per_row_restore:.3f} Python calls per row {restore_calls}"
