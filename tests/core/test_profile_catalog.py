"""The profile keeps servers and repositories without secrets; the catalog records jobs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core import catalog as catalog_mod
from app.core.catalog import Catalog, JobFilter
from app.core.errors import Cancelled, ConfigError, DamageFound
from app.core.profile import (
    REPOSITORY_FIELDS,
    SERVER_FIELDS,
    Profile,
    RepositoryEntry,
    ServerEntry,
    validate,
)


def test_a_profile_round_trips_and_never_holds_the_password(tmp_path: Path) -> None:
    profile = Profile.load()
    assert profile.is_new and profile.path.is_relative_to(tmp_path)
    entry = ServerEntry(name="shop-db", host="db.example.com", port=3307, user="backup")
    assert profile.put_server(entry, password="s3cret-Pa55")
    profile.put_repository(RepositoryEntry("local", str(tmp_path / "repo")))
    profile.save()
    text = profile.path.read_text()
    assert "s3cret" not in text
    again = Profile.load()
    assert again.server("shop-db") == entry
    assert again.server("shop-db").password() == "s3cret-Pa55"   # from the keyring
    assert again.server("shop-db").url == "mysql://backup@db.example.com:3307"
    again.remove_server("shop-db")
    assert again.server("shop-db") is None and entry.password() is None


def test_a_damaged_profile_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = Profile.default_path()
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    with pytest.raises(ConfigError, match=r"cannot read the profile .*fix or remove the file"):
        Profile.load()


def test_declared_fields_validate_values(tmp_path: Path) -> None:
    ok = {"name": "shop-db", "host": "h", "port": "3306", "user": "root"}
    assert validate(SERVER_FIELDS, ok) == {}
    problems = validate(SERVER_FIELDS, {**ok, "name": "", "port": "99999", "ssl_ca": "/nope.pem",
                                        "socket": str(tmp_path / "no.sock")})
    assert problems == {"name": "Name is required.", "port": "Port must be between 1 and 65535.",
                        "ssl_ca": "TLS CA certificate: no such file.",
                        "socket": "No socket at this path (is the server running?)."}
    assert validate(SERVER_FIELDS, {**ok, "port": "abc"})["port"] == "Port must be a whole number."
    (tmp_path / "file").write_text("x")
    repo = validate(REPOSITORY_FIELDS, {"name": "r", "location": str(tmp_path / "file"),
                                        "passphrase": "p"})
    assert repo == {"location": "This is a file, not a folder."}


def test_the_catalog_records_jobs_with_their_outcome(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.sqlite")
    assert catalog.schema_version == len(catalog_mod.MIGRATIONS)
    with catalog.job("backup", server="mysql://root@a", repository="/r") as run:
        run.log("dumped 5 tables")
        run.set(bytes=1000, rows=10, backup_id="abc")
    with pytest.raises(Cancelled), catalog.job("backup", server="mysql://root@a"):
        raise Cancelled("backup cancelled; nothing was saved")
    with pytest.raises(DamageFound), catalog.job("verify", server="mysql://root@b"):
        raise DamageFound("2 damaged objects")
    with pytest.raises(ValueError), catalog.job("restore", server="mysql://root@b"):
        raise ValueError("boom")
    jobs = catalog.jobs()
    assert [(j["kind"], j["status"]) for j in jobs] == [
        ("restore", "failed"), ("verify", "damaged"), ("backup", "cancelled"), ("backup", "ok")]
    good = catalog.last_good_backup("mysql://root@a")
    assert good is not None and good["backup_id"] == "abc" and good["rows"] == 10
    assert "dumped 5 tables" in good["log"] and good["seconds"] >= 0 and good["finished"]
    assert catalog.count(JobFilter(statuses=("failed", "damaged"))) == 2
    assert catalog.count(JobFilter(text="damaged objects")) == 1
    assert catalog.count(JobFilter(server="mysql://root@a", kinds=("backup",))) == 2
    assert catalog.servers() == ["mysql://root@a", "mysql://root@b"]
    catalog.close()
    reopened = Catalog(tmp_path / "catalog.sqlite")   # migrations do not run twice
    assert reopened.count() == 4


def test_a_catalog_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    import sqlite3
    db = sqlite3.connect(tmp_path / "c.sqlite")
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(RuntimeError, match="newer Custode"):
        Catalog(tmp_path / "c.sqlite")


def test_profile_file_is_json_with_a_version() -> None:
    profile = Profile.load()
    profile.save()
    assert json.loads(profile.path.read_text())["version"] == 1
