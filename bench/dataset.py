"""A reproducible benchmark data set, generated inside the server from sequence tables.

Five tables in the database `bench`, sized in proportion to the requested total:
- `narrow`: short numeric rows (the per-row overhead case), FLOAT included;
- `texts`: text with the redundancy of real prose-like data;
- `blobs`: incompressible binary values (SHA-512 chains);
- `nokey`: no primary key and no unique key (can only be read sequentially);
- `wide`: 60 columns of mixed types.
Every value is a function of the row number, so two runs with the same size build the same data.
"""

from __future__ import annotations

import pymysql

# share of the data size and approximate bytes of InnoDB data per row, measured on 10.11
TABLES = {
    "narrow": (0.25, 62),
    "texts": (0.25, 370),
    "blobs": (0.25, 647),
    "nokey": (0.10, 55),
    "wide": (0.15, 545),
}

WIDE_COLUMNS = 60


def _wide_definition() -> tuple[str, str]:
    columns, values = ["id BIGINT PRIMARY KEY"], ["seq"]
    for i in range(1, WIDE_COLUMNS):
        kind = i % 4
        if kind == 0:
            columns.append(f"c{i} INT")
            values.append(f"(seq * {i}) % 100003")
        elif kind == 1:
            columns.append(f"c{i} VARCHAR(20)")
            values.append(f"LEFT(MD5(seq + {i}), 12)")
        elif kind == 2:
            columns.append(f"c{i} DECIMAL(12,3)")
            values.append("(seq % 99991) / 7")
        else:
            columns.append(f"c{i} DATETIME")
            values.append(f"'2020-01-01' + INTERVAL (seq * {i}) % 100000000 SECOND")
    return ", ".join(columns), ", ".join(values)


def generate(connection: pymysql.connections.Connection, size_mb: float) -> dict[str, int]:
    """(Re)create the `bench` database with about `size_mb` MB of data; returns rows per table."""
    rows = {name: max(1000, int(size_mb * 1e6 * share / per_row))
            for name, (share, per_row) in TABLES.items()}
    wide_columns, wide_values = _wide_definition()
    statements = [
        "DROP DATABASE IF EXISTS bench", "CREATE DATABASE bench", "USE bench",
        "CREATE TABLE narrow (id BIGINT PRIMARY KEY, a INT, b INT, c BIGINT, d DECIMAL(10,2), "
        "e DATE, f FLOAT, KEY (a))",
        f"INSERT INTO narrow SELECT seq, seq % 1000, (seq * 7) % 100000, seq * 1000003, "
        f"(seq % 100000) / 100, '2000-01-01' + INTERVAL seq % 9000 DAY, "
        f"(seq % 1000003) / 7.0 FROM seq_1_to_{rows['narrow']}",
        "CREATE TABLE texts (id INT PRIMARY KEY, title VARCHAR(200), body TEXT, "
        "created DATETIME)",
        f"INSERT INTO texts SELECT seq, CONCAT('Title ', seq, ' ', LEFT(MD5(seq), 10)), "
        f"CONCAT_WS(' ', 'Order', seq, 'shipped to customer', seq % 5000, 'on route', seq % 97, "
        f"REPEAT(CONCAT(LEFT(SHA1(seq % 1000), 8), ' lorem ipsum dolor '), 8)), "
        f"'2015-01-01' + INTERVAL seq MINUTE FROM seq_1_to_{rows['texts']}",
        "CREATE TABLE blobs (id INT PRIMARY KEY, name VARCHAR(40), data MEDIUMBLOB)",
        f"INSERT INTO blobs SELECT seq, CONCAT('file-', seq, '.bin'), "
        f"UNHEX(CONCAT(SHA2(seq, 512), SHA2(seq + 1e9, 512), SHA2(seq + 2e9, 512), "
        f"SHA2(seq + 3e9, 512), SHA2(seq + 4e9, 512), SHA2(seq + 5e9, 512), SHA2(seq + 6e9, 512), "
        f"SHA2(seq + 7e9, 512))) FROM seq_1_to_{rows['blobs']}",
        "CREATE TABLE nokey (a INT, b VARCHAR(50), c DOUBLE)",
        f"INSERT INTO nokey SELECT seq % 5000, CONCAT('row ', seq % 7777), seq / 3 "
        f"FROM seq_1_to_{rows['nokey']}",
        f"CREATE TABLE wide ({wide_columns})",
        f"INSERT INTO wide SELECT {wide_values} FROM seq_1_to_{rows['wide']}",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return rows


SHAPES = ("mixed", "many-tables", "many-databases", "big-rows", "huge-row")


def generate_shape(connection: pymysql.connections.Connection, shape: str, size_mb: float,
                   tables: int) -> list[str]:
    """Build one shape of data; returns its databases (all named `bench...`).

    - mixed: the five tables above, `size_mb` in all;
    - many-tables: one database `bench` of `tables` tables of 10 rows;
    - many-databases: `tables` / 20 databases `bench_NNNN` of 20 tables of 10 rows, each with a
      trigger and a view (a hosting server's tenants);
    - big-rows: `bench.docs`, `size_mb` MB in rows of one 1 MiB LONGBLOB each (a document store);
    - huge-row: the same, and one more row of 100 MiB (the memory ceiling's case).
    """
    def quote(text: str) -> str:
        return "'" + text + "'"    # (our own names: letters, digits and _)

    if shape == "mixed":
        generate(connection, size_mb)
        return ["bench"]
    with connection.cursor() as cursor:
        if shape in ("big-rows", "huge-row"):
            count = max(1, int(size_mb))
            for statement in (
                    "DROP DATABASE IF EXISTS bench", "CREATE DATABASE bench", "USE bench",
                    "CREATE TABLE bench.docs (id INT PRIMARY KEY, name VARCHAR(40), body LONGBLOB)",
                    # 1 MiB of incompressible bytes per row: 16,384 SHA-512 digests, chained.
                    "CREATE TABLE bench.seed (id INT PRIMARY KEY, chunk BLOB)",
                    "INSERT INTO bench.seed SELECT seq, UNHEX(SHA2(seq, 512)) FROM seq_1_to_16384"):
                cursor.execute(statement)
            cursor.execute("SET SESSION group_concat_max_len = 4194304")
            for first in range(1, count + 1, 50):
                cursor.execute(
                    "INSERT INTO bench.docs SELECT seq, CONCAT('doc-', seq), (SELECT "
                    "GROUP_CONCAT(UNHEX(SHA2(CONCAT(seq, '-', id), 512)) ORDER BY id SEPARATOR '') "
                    f"FROM bench.seed) FROM seq_{first}_to_{min(count, first + 49)}")
            cursor.execute("DROP TABLE bench.seed")
            if shape == "huge-row":
                cursor.execute("SET SESSION group_concat_max_len = 1073741824")
                cursor.execute(   # RANDOM_BYTES: MariaDB 10.10 and later, 1 KiB at a time
                    f"INSERT INTO bench.docs SELECT {count + 1}, 'the huge one', "
                    "GROUP_CONCAT(RANDOM_BYTES(1024) SEPARATOR '') FROM seq_1_to_102400")
            return ["bench"]
        per = tables if shape == "many-tables" else 20
        names = (["bench"] if shape == "many-tables"
                 else [f"bench_{d:04}" for d in range(max(1, tables // 20))])
        for name in names:
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")
            cursor.execute(f"CREATE DATABASE {name}")
            cursor.execute(f"USE {name}")             # (the seq_ tables need a database)
            for t in range(per):
                cursor.execute(f"CREATE TABLE {name}.t{t:05} (id INT PRIMARY KEY, name VARCHAR(40), "
                               "amount DECIMAL(10,2), at DATETIME)")
                cursor.execute(f"INSERT INTO {name}.t{t:05} SELECT seq, CONCAT('item ', seq, '-', {t}, "
                               f"'-', {quote(name)}), "
                               f"seq * 1.5, '2024-01-01' + INTERVAL seq HOUR FROM seq_1_to_10")
            if shape == "many-databases":
                cursor.execute(f"CREATE TRIGGER {name}.stamp BEFORE INSERT ON {name}.t00000 "
                               "FOR EACH ROW SET NEW.at = COALESCE(NEW.at, NOW())")
                cursor.execute(f"CREATE VIEW {name}.recent AS SELECT id, name FROM {name}.t00001")
        return names
