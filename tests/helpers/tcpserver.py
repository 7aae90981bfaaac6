"""A throwaway MariaDB that also listens on TCP 127.0.0.1:<free port> (for the SSH tunnel tests).

LocalServer starts with --skip-networking; the extra arguments come after it and turn TCP back on.
The user `tunnel`@127.0.0.1 (password TCP_PASSWORD) may do everything; `shop` is a small database
with a few tables (so a backup uses several connections), unicode, NULLs, binary data and a view.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from app.core.localserver import LocalServer
from tests.helpers.servers import execute
from tests.helpers.sshserver import free_port

TCP_USER = "tunnel"
TCP_PASSWORD = "tunnel pw 7"


@dataclass
class TcpServer:
    server: LocalServer
    port: int


SHOP = (
    "CREATE DATABASE shop",
    "CREATE TABLE shop.customer (id INT PRIMARY KEY, name VARCHAR(50), note TEXT)",
    "CREATE TABLE shop.item (id INT PRIMARY KEY, title VARCHAR(80), price DECIMAL(8,2), img BLOB)",
    "CREATE TABLE shop.orders (id INT PRIMARY KEY, customer INT, item INT, at DATETIME)",
    "CREATE TABLE shop.log (id BIGINT AUTO_INCREMENT PRIMARY KEY, line VARCHAR(200)) ENGINE=MyISAM",
    "INSERT INTO shop.customer VALUES (1, 'Anna', NULL), (2, 'Bjørn', 'ünïcödé 🦊'), (3, 'C', '')",
    "INSERT INTO shop.item VALUES (1, 'pen', 1.50, 0x00FF10), (2, 'ink', 12.00, NULL)",
    "INSERT INTO shop.orders SELECT seq, 1 + seq % 3, 1 + seq % 2, '2024-01-01' + INTERVAL seq MINUTE "
    "FROM shop.seq_1_to_3000",
    "INSERT INTO shop.log (line) SELECT CONCAT('line ', seq) FROM shop.seq_1_to_500",
    "CREATE VIEW shop.totals AS SELECT customer, COUNT(*) AS n FROM shop.orders GROUP BY customer",
)


@pytest.fixture(scope="module")
def tcp_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TcpServer]:
    port = free_port()
    server = LocalServer(tmp_path_factory.mktemp("tcp") / "data",
                         extra_args=["--skip-networking=0", f"--port={port}",
                                     "--bind-address=127.0.0.1"])
    server.start()
    try:
        execute(server, f"CREATE USER {TCP_USER}@'127.0.0.1' IDENTIFIED BY '{TCP_PASSWORD}'",
                f"GRANT ALL ON *.* TO {TCP_USER}@'127.0.0.1' WITH GRANT OPTION", *SHOP)
        yield TcpServer(server, port)
    finally:
        server.stop()
