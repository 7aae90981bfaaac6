"""The check every "backs up to X, verifies and restores identical" test ends with."""

from __future__ import annotations

from app.core.localserver import LocalServer
from app.core.repository import Repository
from app.core.restore import RestoreOptions, plan_restore, run_restore
from app.core.server import ServerSpec
from tests.helpers.fingerprint import diff
from tests.helpers.servers import drop_user_databases, fingerprint_of


def assert_restores_identical(repo: Repository, backup_id: str, source_server: LocalServer,
                              target_server: LocalServer, databases: tuple[str, ...] = ("sakila",),
                              jobs: int | None = None) -> None:
    """Restore `backup_id` onto an emptied `target_server` and compare it with `source_server`
    (data and definitions, tests/helpers/fingerprint.py); the target is emptied again after."""
    drop_user_databases(target_server)
    try:
        spec = ServerSpec.parse(target_server.url)
        options = RestoreOptions() if jobs is None else RestoreOptions(jobs=jobs)
        run_restore(repo, plan_restore(repo, backup_id, spec, "", options), spec, "", options)
        differences = diff(fingerprint_of(source_server, list(databases)),
                           fingerprint_of(target_server, list(databases)))
        assert not differences, "\n".join(differences[:20])
    finally:
        drop_user_databases(target_server)
