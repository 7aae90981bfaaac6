"""The demo server starts with Sakila, is reused when left running, and stops by its pid."""

from __future__ import annotations

import time
from pathlib import Path

from app.core.demo import DemoServer


def test_demo_server_holds_sakila_and_is_reused(tmp_path: Path) -> None:
    demo = DemoServer(tmp_path / "demo")
    demo.start()
    try:
        connection = demo.server.connect()
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM sakila.rental")
            assert cursor.fetchone()[0] == 16044
        connection.close()
        assert demo.entry.spec().socket == demo.server.socket
        second = DemoServer(tmp_path / "demo")   # e.g. the GUI started again
        second.start()
        assert second.attached
        second.stop()
        assert not second.running()
        deadline = time.monotonic() + 30   # the first handle sees its process end
        while demo.running() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not demo.running()
    finally:
        demo.stop()
