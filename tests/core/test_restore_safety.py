"""A restore never loses data: damaged backups are refused, replaced objects are kept, a cancelled
or failed restore leaves the target as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.backup import BackupOptions, run_backup
from app.core.errors import Cancelled, ConfigError, DamageFound
from app.core.jobs import CancelToken, Progress
from app.core.localserver import LocalServer
from app.core.repository import Repository
from app.core.restore import RestoreOptions, plan_restore, run_restore
from app.core.server import ServerSpec
from tests.helpers.fingerprint import diff
from tests.helpers.servers import databases_of, drop_user_databases, execute, fingerprint_of


@pytest.fixture
def shop(target_server: LocalServer) -> Iterator[LocalServer]:
    """A small database with a view, a trigger and a routine, on the otherwise empty target."""
    drop_user_databases(target_server)
    execute(target_server,
            "CREATE DATABASE shop", "USE shop",
            "CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(8,2))",
            "INSERT INTO shop.items SELECT seq, CONCAT('item ', seq), seq * 1.5 FROM seq_1_to_3000",
            "CREATE TABLE shop.log (id INT AUTO_INCREMENT PRIMARY KEY, item INT)",
            "CREATE VIEW shop.cheap AS SELECT id, name FROM shop.items WHERE price < 10",
            "CREATE TRIGGER shop.items_ins AFTER INSERT ON shop.items FOR EACH ROW "
            "INSERT INTO shop.log (item) VALUES (NEW.id)",
            "CREATE FUNCTION shop.twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2")
    yield target_server
    drop_user_databases(target_server)


def _state(server: LocalServer) -> dict:  # type: ignore[type-arg]
    return fingerprint_of(server, ["shop"])


def _backup(repo: Repository, server: LocalServer) -> str:
    return run_backup(repo, ServerSpec.parse(server.url), "",
                      BackupOptions(databases=["shop"], jobs=2)).backup_id


def _restore(repo: Repository, backup_id: str, server: LocalServer, **kwargs: object):  # type: ignore[no-untyped-def]
    spec = ServerSpec.parse(server.url)
    cancel = kwargs.pop("cancel", None)
    progress = kwargs.pop("progress", None)
    options = RestoreOptions(**kwargs)  # type: ignore[arg-type]
    plan = plan_restore(repo, backup_id, spec, "", options)
    extra = {k: v for k, v in (("cancel", cancel), ("progress", progress)) if v is not None}
    return plan, run_restore(repo, plan, spec, "", options, **extra)


def test_restore_over_changed_data_brings_it_back_and_keeps_a_safety_copy(
        repo: Repository, shop: LocalServer) -> None:
    backup_id = _backup(repo, shop)
    before = _state(shop)
    execute(shop, "DELETE FROM shop.items WHERE id > 100", "UPDATE shop.items SET name = 'changed'",
             "DROP VIEW shop.cheap", "CREATE VIEW shop.cheap AS SELECT 1 AS changed")
    plan, report = _restore(repo, backup_id, shop)
    assert "table shop.items" in plan.replaces and "view shop.cheap" in plan.replaces
    assert not diff(before, _state(shop))
    safety = report.safety_schema
    assert safety and safety.startswith("custode_safety_")
    connection = shop.connect()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MIN(name), MAX(name) FROM `{safety}`.items")
        assert cursor.fetchone() == (100, "changed", "changed")   # what was replaced, intact
        cursor.execute(f"SELECT kind, name, definition FROM `{safety}`._custode_replaced "
                       "ORDER BY kind, name")
        saved = cursor.fetchall()
    connection.close()
    assert ("VIEW", "cheap") in [(k, n) for k, n, _ in saved]
    assert any(b"changed" in definition for _, _, definition in saved)   # LONGBLOB: exact bytes
    assert ("TRIGGER", "items_ins") in [(k, n) for k, n, _ in saved]
    assert not [d for d in databases_of(shop) if d.startswith("custode_stage_")]


def test_no_safety_copy_leaves_no_extra_schema(repo: Repository, shop: LocalServer) -> None:
    backup_id = _backup(repo, shop)
    _, report = _restore(repo, backup_id, shop, safety_copy=False)
    assert report.safety_schema is None
    assert databases_of(shop) == {"shop"}


def test_a_damaged_backup_is_refused_before_anything_changes(repo: Repository, shop: LocalServer,
                                                             tmp_path: Path) -> None:
    backup_id = _backup(repo, shop)
    execute(shop, "UPDATE shop.items SET name = 'current' WHERE id = 1")
    before = _state(shop)
    manifest = repo.load_backup(backup_id)
    items = next(t for t in manifest["databases"][0]["tables"] if t["name"] == "items")
    path = tmp_path / "repo" / repo.object_path(items["objects"][-1]["id"])
    data = bytearray(path.read_bytes())
    data[-20] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(DamageFound, match=r"damaged.*nothing was changed"):
        _restore(repo, backup_id, shop)
    assert not diff(before, _state(shop))
    assert databases_of(shop) == {"shop"}


def test_a_missing_object_is_refused_before_anything_changes(repo: Repository, shop: LocalServer,
                                                              tmp_path: Path) -> None:
    backup_id = _backup(repo, shop)
    before = _state(shop)
    manifest = repo.load_backup(backup_id)
    lost = manifest["databases"][0]["tables"][0]["objects"][0]["id"]
    (tmp_path / "repo" / repo.object_path(lost)).unlink()
    with pytest.raises(DamageFound, match=rf"an object is missing.*{lost}.*nothing was changed"):
        _restore(repo, backup_id, shop)
    assert not diff(before, _state(shop))
    assert databases_of(shop) == {"shop"}


def test_a_cancelled_restore_leaves_the_target_as_it_was(repo: Repository, shop: LocalServer) -> None:
    backup_id = _backup(repo, shop)
    execute(shop, "DELETE FROM shop.items WHERE id > 10")
    before = _state(shop)
    token = CancelToken()

    def cancel_while_loading(progress: Progress) -> None:
        if progress.phase == "restore":
            token.cancel()

    with pytest.raises(Cancelled):
        _restore(repo, backup_id, shop, cancel=token, progress=cancel_while_loading)
    assert not diff(before, _state(shop))
    assert databases_of(shop) == {"shop"}


def test_a_failed_load_into_a_new_database_removes_what_it_created(repo: Repository,
                                                                   shop: LocalServer) -> None:
    backup_id = _backup(repo, shop)
    token = CancelToken()
    with pytest.raises(Cancelled):
        _restore(repo, backup_id, shop, rename={"shop": "shop_new"}, cancel=token,
                 progress=lambda p: token.cancel() if p.phase == "restore" else None)
    assert databases_of(shop) == {"shop"}


def test_one_table_under_a_new_database_name(repo: Repository, shop: LocalServer) -> None:
    backup_id = _backup(repo, shop)
    _, report = _restore(repo, backup_id, shop, tables=["shop.items"], rename={"shop": "shop_copy"})
    assert report.databases == ["shop_copy"] and report.tables == 1
    connection = shop.connect()
    with connection.cursor() as cursor:
        cursor.execute("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA='shop_copy'")
        assert [r[0] for r in cursor.fetchall()] == ["items"]
        cursor.execute("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS "
                       "WHERE TRIGGER_SCHEMA='shop_copy'")
        assert [r[0] for r in cursor.fetchall()] == ["items_ins"]
        cursor.execute("SELECT COUNT(*), SUM(price) FROM shop_copy.items")
        assert cursor.fetchone() == (3000, pytest.approx(6752250, rel=0, abs=0.01))
    connection.close()


def test_bad_selections_are_refused_with_a_clear_message(repo: Repository, shop: LocalServer) -> None:
    backup_id = _backup(repo, shop)
    spec = ServerSpec.parse(shop.url)
    with pytest.raises(ConfigError, match="no database 'nope'"):
        plan_restore(repo, backup_id, spec, "", RestoreOptions(databases=["nope"]))
    with pytest.raises(ConfigError, match=r"no table shop\.nope"):
        plan_restore(repo, backup_id, spec, "", RestoreOptions(tables=["shop.nope"]))
    with pytest.raises(ConfigError, match=r"database\.table"):
        plan_restore(repo, backup_id, spec, "", RestoreOptions(tables=["items"]))


@pytest.mark.parametrize(("field", "message"), [("rows", r"loaded 3000 rows, the backup recorded 2999"),
                                                 ("checksum", r"checksum differs")])
def test_data_that_loads_differently_from_the_record_is_refused(
        repo: Repository, shop: LocalServer, field: str, message: str) -> None:
    """The checks after loading compare the server's own account of the staged table with the
    record taken at backup time; a mismatch (here a record altered to disagree) leaves the target
    as it was."""
    backup_id = _backup(repo, shop)
    execute(shop, "UPDATE shop.items SET name = 'current' WHERE id = 1")
    before = _state(shop)
    manifest = repo.load_backup(backup_id)
    items = next(t for t in manifest["databases"][0]["tables"] if t["name"] == "items")
    items[field] = items[field] - 1
    altered = repo.save_backup(manifest)
    with pytest.raises(DamageFound, match=message + r".*target unchanged"):
        _restore(repo, altered, shop)
    assert not diff(before, _state(shop))
    assert databases_of(shop) == {"shop"}


def test_restoring_some_tables_keeps_foreign_keys_pointing_at_the_target(repo: Repository,
                                                                        shop: LocalServer) -> None:
    # orders -> customers -> regions: restore only `customers`, then only `orders`.  The tables
    # left alone must keep referencing the target's tables, never the safety copy or a stage.
    execute(shop, "USE shop",
            "CREATE TABLE shop.regions (id INT PRIMARY KEY, name VARCHAR(20))",
            "CREATE TABLE shop.customers (id INT PRIMARY KEY, region INT, KEY (region), "
            "CONSTRAINT fk_region FOREIGN KEY (region) REFERENCES shop.regions (id))",
            "CREATE TABLE shop.orders (id INT PRIMARY KEY, customer INT, KEY (customer), "
            "CONSTRAINT fk_customer FOREIGN KEY (customer) REFERENCES shop.customers (id) "
            "ON DELETE CASCADE)",
            "INSERT INTO shop.regions VALUES (1, 'north'), (2, 'south')",
            "INSERT INTO shop.customers SELECT seq, 1 + seq % 2 FROM seq_1_to_50",
            "INSERT INTO shop.orders SELECT seq, 1 + seq % 50 FROM seq_1_to_200")
    before = _state(shop)
    backup_id = _backup(repo, shop)
    execute(shop, "UPDATE shop.customers SET region = 2")
    _, report = _restore(repo, backup_id, shop, tables=["shop.customers"])
    assert report.safety_schema
    assert _references(shop) == [("customers", "shop", "regions"), ("orders", "shop", "customers")]
    _restore(repo, backup_id, shop, tables=["shop.orders"])
    assert _references(shop) == [("customers", "shop", "regions"), ("orders", "shop", "customers")]
    differences = diff(before, _state(shop))
    assert not differences, "\n".join(differences[:10])
    execute(shop, "DELETE FROM shop.customers WHERE id = 1")   # the cascade still works
    connection = shop.connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM shop.orders WHERE customer = 1")
            assert cursor.fetchone()[0] == 0
    finally:
        connection.close()


def _references(server: LocalServer) -> list[tuple[str, str, str]]:
    connection = server.connect()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT TABLE_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME "
                           "FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA='shop' "
                           "AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY TABLE_NAME")
            return [tuple(row) for row in cursor.fetchall()]
    finally:
        connection.close()


def test_two_databases_replacing_tables_of_the_same_name_keep_both(repo: Repository,
                                                                    shop: LocalServer) -> None:
    execute(shop, "CREATE DATABASE shop2", "CREATE TABLE shop2.items LIKE shop.items",
            "INSERT INTO shop2.items SELECT * FROM shop.items")
    backup_id = run_backup(repo, ServerSpec.parse(shop.url), "",
                           BackupOptions(databases=["shop", "shop2"])).backup_id
    execute(shop, "UPDATE shop.items SET name = 'changed in shop' WHERE id = 1",
            "UPDATE shop2.items SET name = 'changed in shop2' WHERE id = 1")
    _, report = _restore(repo, backup_id, shop, databases=["shop", "shop2"])
    connection = shop.connect()
    try:
        with connection.cursor() as cursor:
            for database in ("shop", "shop2"):
                cursor.execute(f"SELECT name FROM {database}.items WHERE id = 1")
                assert cursor.fetchone()[0] == "item 1"
                cursor.execute(f"SELECT name FROM `{report.safety_schema}`.`{database}__items` WHERE id = 1")
                assert cursor.fetchone()[0] == f"changed in {database}"
    finally:
        connection.close()
