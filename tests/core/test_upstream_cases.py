"""Other projects' test suites, as a corpus: every case round-trips through restore and export.

tests/data/upstream/*.sql hold, one per "-- case:" line, the situations that the cases of
MariaDB's mysqldump.test and of mydumper's test/ fixtures were written for (the statements are our
own; each file names its source and licence). Every case is loaded by the stock client into a
database of its own on the source server; all of them are backed up at once, restored onto the
empty target, and compared by tests/helpers/fingerprint.py; then the target is emptied and the
backup's `export` is loaded by the stock client, compared again. A difference names its case.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from app.core.localserver import LocalServer
from app.core.repository import Repository
from tests.helpers.fingerprint import diff
from tests.helpers.roundtrip import backup, export_and_load, restore
from tests.helpers.servers import client_command, databases_of, drop_user_databases, fingerprint_of

DATA = Path(__file__).resolve().parent.parent / "data" / "upstream"
SUITES = {"mysqldump": "md", "mydumper": "my"}
# At least 60 cases of mysqldump.test; every schema fixture of mydumper's test/ (it has 33 that
# differ and run on MariaDB 10.11). Fewer means the corpus file lost cases.
AT_LEAST = {"mysqldump": 60, "mydumper": 33}
_CASE = re.compile(r"^-- case: (\S+)\n", re.MULTILINE)


def read_cases(path: Path) -> dict[str, str]:
    """The cases of one corpus file: name -> the SQL text up to the next case."""
    parts = _CASE.split(path.read_text(encoding="utf-8"))
    return {name: text for name, text in zip(parts[1::2], parts[2::2], strict=True)}


def load_cases(server: LocalServer, suite: str) -> dict[str, str]:
    """Load every case of `suite` into its own database; returns database -> case name."""
    owners: dict[str, str] = {}
    for number, (name, sql) in enumerate(read_cases(DATA / f"{suite}.sql").items(), 1):
        database = f"cz_{SUITES[suite]}{number:02d}_{name.split('-')[0]}"[:40]
        before = databases_of(server)
        loaded = subprocess.run(client_command(server, "--comments"),
                                input=(f"CREATE DATABASE `{database}`;\nUSE `{database}`;\n"
                                       + sql.replace("{db}", database)).encode(),
                                capture_output=True, check=False)
        if loaded.returncode != 0:
            pytest.fail(f"case {name} does not load: {loaded.stderr.decode(errors='replace')}")
        for made in databases_of(server) - before:
            owners[made] = name
    return owners


def differences_by_case(expected: dict[str, Any], actual: dict[str, Any],
                        owners: dict[str, str]) -> list[str]:
    lines = []
    for database, case in sorted(owners.items()):
        found = diff({database: expected.get(database)}, {database: actual.get(database)})
        lines += [f"{case}: {line}" for line in found[:5]]
    return lines


@pytest.mark.parametrize("suite", sorted(SUITES))
def test_every_upstream_case_round_trips_through_restore_and_export(
        suite: str, own: LocalServer, target_server: LocalServer, repo: Repository,
        tmp_path: Path) -> None:
    owners = load_cases(own, suite)
    assert len(set(owners.values())) >= AT_LEAST[suite], "the corpus lost cases"
    databases = sorted(owners)
    source = fingerprint_of(own, databases)
    backup_id, manifest = backup(repo, own, databases)
    assert not manifest.get("warnings"), manifest.get("warnings")

    restore(repo, backup_id, target_server)
    restored = differences_by_case(source, fingerprint_of(target_server, databases), owners)
    assert not restored, "\n".join(restored)

    drop_user_databases(target_server)
    loaded = export_and_load(repo, backup_id, target_server, tmp_path / "export.sql")
    assert loaded.returncode == 0, loaded.stderr.decode(errors="replace")
    exported = differences_by_case(source, fingerprint_of(target_server, databases), owners)
    assert not exported, "\n".join(exported)
