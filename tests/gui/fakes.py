"""Backups made without a database server: objects and manifests written straight to a repository."""

from __future__ import annotations

from typing import Any

from app.core.repository import Repository

SAKILA = {"actor": 200, "film": 1000, "customer": 599, "rental": 16044, "payment": 16049}


def put_table(repo: Repository, database: str, table: str, rows: int) -> dict[str, Any]:
    """Store one object of plausible SQL for a table; return its manifest entry."""
    lines = [f"({i},'{database}.{table} row {i}','2024-05-01 10:00:00')" for i in range(rows)]
    plaintext = f"INSERT INTO `{table}` VALUES {','.join(lines)};\n".encode()
    result = repo.put(plaintext)
    obj = {"id": result.object_id, "rows": rows, "size": result.plain_size}
    return {"name": table, "engine": "InnoDB", "rows": rows, "bytes": result.plain_size,
            "objects": [obj]}


def make_backup(repo: Repository, databases: dict[str, dict[str, int]], *,
                finished: str = "2024-05-01T10:00:05Z", server: str = "mysql://backup@db1:3306",
                version: str = "11.4.2-MariaDB", backup_type: str = "full",
                binlog: dict[str, Any] | None = None,
                consistency: str = "global-read-lock") -> str:
    """Write a backup of `databases` ({database: {table: rows}}) and return its id."""
    out = []
    for name, tables in databases.items():
        out.append({"name": name, "charset": "utf8mb4", "collation": "utf8mb4_general_ci",
                    "comment": "", "tables": [put_table(repo, name, t, rows) for t, rows in tables.items()],
                    "views": [], "routines": [], "triggers": [], "events": [], "sequences": []})
    manifest = {"format": 1, "kind": "custode-backup", "type": backup_type,
                "started": finished[:-3] + "00Z", "finished": finished, "duration": 5.0,
                "server": {"url": server, "version": version, "flavor": "mariadb"},
                "consistency": consistency, "binlog": binlog, "databases": out, "users": [],
                "warnings": []}
    return repo.save_backup(manifest)


def make_backups(repo: Repository) -> list[str]:
    """Three varied backups: newest first in the returned ids."""
    return [
        make_backup(repo, {"sakila": SAKILA, "shop": {"orders": 42, "items": 7}},
                    finished="2024-05-03T02:00:41Z",
                    binlog={"file": "mariadb-bin.000042", "position": 1234567, "gtid": "0-1-9876"}),
        make_backup(repo, {"inventory": {"parts": 3000, "suppliers": 12}},
                    finished="2024-05-02T02:00:12Z", server="mysql://root@warehouse:3307",
                    version="8.0.36", consistency="single-transaction"),
        make_backup(repo, {"shop": {"orders": 9, "items": 3}}, finished="2024-05-01T02:00:05Z"),
    ]
