"""1,000 seeded mutations of a real repository's files: never an internal error, never a restore
whose data differs from the source.

Each mutation (a flipped bit, a truncation, random bytes, a deleted or swapped file, junk
appended, a zeroed range) hits one file of a fresh copy of the repository: its config, a key
file, a manifest or a data object. Then it is opened, listed, verified and, when nothing was
found wrong, restored: every failure must be a CustodeError (one line for the user), and a
restore that runs must give back exactly the source's rows and definitions.
"""

from __future__ import annotations

import random
import shutil
import traceback
from pathlib import Path

import pytest

from app.core.backup import BackupOptions, run_backup
from app.core.errors import CustodeError
from app.core.localserver import LocalServer
from app.core.repository import Repository
from app.core.restore import RestoreOptions, plan_restore, run_restore
from app.core.server import ServerSpec
from app.core.storage import LocalStorage
from app.core.verify import verify_backups
from tests.helpers.fingerprint import diff
from tests.helpers.fixtures import TEST_KDF
from tests.helpers.servers import drop_user_databases, execute, fingerprint_of

MUTATIONS = 1000
PASSPHRASE = "fuzz pass phrase"


def mutate(root: Path, rng: random.Random) -> str:
    """Damage one file of the repository at `root`; returns what was done, for the report."""
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".tmp-"))
    path = rng.choice(files)
    data = path.read_bytes()
    kind = rng.choice(["flip", "truncate", "random", "delete", "swap", "append", "zero", "flip3"])
    where = path.relative_to(root).as_posix()
    if kind == "delete":
        path.unlink()
    elif kind == "swap":
        other = rng.choice(files)
        path.write_bytes(other.read_bytes())
        where += f" <- {other.relative_to(root).as_posix()}"
    elif kind == "truncate":
        path.write_bytes(data[:rng.randrange(len(data) or 1)])
    elif kind == "random":
        path.write_bytes(rng.randbytes(rng.choice([0, 1, 16, len(data) or 1])))
    elif kind == "append":
        path.write_bytes(data + rng.randbytes(rng.randint(1, 64)))
    elif kind == "zero" and data:
        start = rng.randrange(len(data))
        path.write_bytes(data[:start] + bytes(min(32, len(data) - start)) + data[start + 32:])
    elif data:
        buffer = bytearray(data)
        for _ in range(3 if kind == "flip3" else 1):
            position = rng.randrange(len(buffer))
            buffer[position] ^= 1 << rng.randrange(8)
        path.write_bytes(bytes(buffer))
    return f"{kind} {where}"


@pytest.mark.slow
def test_a_thousand_mutations_of_repository_files_give_no_internal_error_and_no_wrong_restore(
        tmp_path: Path, source_server: LocalServer, target_server: LocalServer) -> None:
    drop_user_databases(target_server)
    execute(source_server, "DROP DATABASE IF EXISTS cz_fuzz", "CREATE DATABASE cz_fuzz", "USE cz_fuzz",
            "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(40), price DECIMAL(9,2), b BLOB)",
            "INSERT INTO t SELECT seq, CONCAT('row ', seq), seq / 7, UNHEX(MD5(seq)) FROM seq_1_to_4000",
            "CREATE TABLE u (k VARCHAR(10) PRIMARY KEY) DEFAULT CHARSET latin1",
            "INSERT INTO u VALUES ('a'), ('ä'), ('z')",
            "CREATE VIEW v AS SELECT id, name FROM t WHERE price > 100",
            "CREATE TRIGGER tr BEFORE INSERT ON u FOR EACH ROW SET NEW.k = LOWER(NEW.k)")
    source = fingerprint_of(source_server, ["cz_fuzz"])
    pristine = tmp_path / "pristine"
    repo = Repository.init(LocalStorage(pristine), PASSPHRASE, kdf=TEST_KDF)
    spec = ServerSpec.parse(source_server.url)
    for _ in range(2):   # two backups: the second shares the first's objects
        run_backup(repo, spec, "", BackupOptions(databases=["cz_fuzz"], jobs=2))
    target = ServerSpec.parse(target_server.url)
    rng = random.Random(20261207)
    internal: list[str] = []
    wrong: list[str] = []
    caught = restored = 0
    for number in range(MUTATIONS):
        root = tmp_path / f"m{number}"
        shutil.copytree(pristine, root)
        what = mutate(root, rng)
        try:
            opened = Repository.open(LocalStorage(root), PASSPHRASE)
            backups = opened.list_backups()
            ids = [b["id"] for b in backups]
            report = verify_backups(opened, ids)
            if not report.ok or opened.unreadable or not ids:
                caught += 1
                continue
            options = RestoreOptions(jobs=2)
            run_restore(opened, plan_restore(opened, opened.resolve("latest"), target, "", options),
                        target, "", options)
            restored += 1
            found = diff(source, fingerprint_of(target_server, ["cz_fuzz"]))
            if found:
                wrong.append(f"{number} {what}: {found[:3]}")
            drop_user_databases(target_server)
        except CustodeError:
            caught += 1
        except Exception:   # noqa: BLE001 - what this test looks for
            internal.append(f"{number} {what}: {traceback.format_exc(limit=4)}")
        finally:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\n{MUTATIONS} mutations: {caught} refused with a clear error or found by verify, "
          f"{restored} restored (all equal to the source: {not wrong}), {len(internal)} internal errors")
    assert not internal, "\n".join(internal[:5])
    assert not wrong, "\n".join(wrong[:5])
    assert caught + restored == MUTATIONS
    execute(source_server, "DROP DATABASE cz_fuzz")
