"""The check every "backs up to X, verifies and restores identical" test ends with."""

from __future__ import annotations

from app.core.localserver import LocalServer
from app.core.repository import Repository
from app.core.restore import RestoreOptions, plan_restore, run_restore
from app.core.server import ServerSpec
from tests.helpers.fingerprint import diff, fingerprint
from tests.helpers.servers import drop_user_databases


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
        source, target = source_server.connect(), target_server.connect()
        try:
            differences = diff(fingerprint(source, list(databases)), fingerprint(target, list(databases)))
        finally:
            source.close()
            target.close()
        assert not differences, "\n".join(differences[:20])
    finally:
        drop_user_databases(target_server)
