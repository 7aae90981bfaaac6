"""`custode copy` and `custode catalog rebuild` from a shell."""

from __future__ import annotations

import json
from pathlib import Path

from app.core.catalog import Catalog, JobFilter
from tests.cli.test_cli import assert_one_line_error, custode, env  # noqa: F401 - the fixture


def test_copy_then_rebuild_the_catalog_from_the_copy(env: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    offsite = str(tmp_path / "offsite")
    assert custode(env, "init").returncode == 0
    assert custode({**env, "CUSTODE_REPO": offsite, "CUSTODE_PASSWORD": "offsite pass"},
                   "init").returncode == 0
    backup_id = custode(env, "backup", "--databases", "notes").stdout.strip()

    refused = custode(env, "copy", "latest", "--to", offsite)
    assert_one_line_error(refused, 2, "no passphrase for the target repository")

    with_target = {**env, "CUSTODE_TO_PASSWORD": "offsite pass"}
    copied = custode(with_target, "--json", "copy", "latest", "--to", offsite)
    assert copied.returncode == 0, copied.stderr
    report = json.loads(copied.stdout)
    assert report["copied"] == [backup_id] and report["objects_sent"] >= 1
    again = json.loads(custode(with_target, "--json", "copy", "--all", "--to", offsite).stdout)
    assert again["copied"] == [] and again["already_there"] == [backup_id]

    at_offsite = {**env, "CUSTODE_REPO": offsite, "CUSTODE_PASSWORD": "offsite pass"}
    assert [b["id"] for b in json.loads(custode(at_offsite, "--json", "list").stdout)] == [backup_id]
    assert custode(at_offsite, "verify", "--all").returncode == 0

    # A new workstation: no catalog.  The offsite copy alone brings back the backup and the copy.
    home = {**at_offsite, "CUSTODE_HOME": str(tmp_path / "new-home")}
    rebuilt = custode(home, "--json", "catalog", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert json.loads(rebuilt.stdout)["backups"] == 1
    catalog = Catalog(Path(home["CUSTODE_HOME"]) / "data" / "catalog.sqlite")
    try:
        kinds = sorted(job["kind"] for job in catalog.jobs())
        assert kinds == ["backup", "copy", "copy", "verify"]   # from the manifest, then the journal
        backup = catalog.jobs(JobFilter(kinds=("backup",)))[0]
        assert backup["backup_id"] == backup_id and backup["status"] == "ok" and backup["rows"] == 3
        assert [a["action"] for a in catalog.audit_log()] == ["catalog-rebuild"]
    finally:
        catalog.close()
