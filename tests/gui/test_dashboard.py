"""Dashboard: a card per server coloured by its RPO, space per repository, server and repository
state from a background probe, and trend charts of size and duration."""

from __future__ import annotations

import itertools
import socket
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from pytestqt.qtbot import QtBot

from app.core.catalog import Catalog, to_iso
from app.core.jobs import human_size
from app.core.localserver import LocalServer
from app.core.profile import Profile, RepositoryEntry, ServerEntry
from app.gui.dashboard import AMBER, GREEN, RED, DashboardPage
from tests.helpers.servers import databases_of, execute

NOW = datetime.now(UTC).replace(microsecond=0)
MIB = 1024 * 1024


@pytest.fixture(autouse=True)
def _now() -> None:
    """Each test's times are relative to its own start (the texts say "3 h 00 min ago")."""
    global NOW
    NOW = datetime.now(UTC).replace(microsecond=0)


def ago(**delta: float) -> str:
    return to_iso(NOW - timedelta(**delta))


def gone(tmp_path: Path, name: str) -> ServerEntry:
    """A server whose socket does not exist: the probe answers at once."""
    return ServerEntry(name=name, socket=str(tmp_path / f"{name}.sock"))


def backup(catalog: Catalog, entry: ServerEntry | str, finished: str, **values: object) -> None:
    server = entry if isinstance(entry, str) else entry.url
    values = {"seconds": 10.0, "bytes": MIB, "stored_bytes": 1000, **values}
    catalog.add(kind="backup", status="ok", server=server, started=finished, finished=finished, **values)


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    return Catalog(tmp_path / "catalog.sqlite")


@pytest.fixture
def profile(tmp_path: Path) -> Profile:
    (tmp_path / "repo").mkdir()
    return Profile(tmp_path / "profile.json", repositories=[RepositoryEntry("local", str(tmp_path / "repo"))])


@pytest.fixture
def make_page(qtbot: QtBot, profile: Profile, catalog: Catalog) -> Iterator[Callable[..., DashboardPage]]:
    pages: list[DashboardPage] = []

    def make(**kwargs: object) -> DashboardPage:
        page = DashboardPage(profile, catalog, **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(page)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.shutdown()


def test_cards_are_coloured_by_the_age_of_the_last_good_backup(
        tmp_path: Path, profile: Profile, catalog: Catalog, make_page: Callable[..., DashboardPage],
        qtbot: QtBot) -> None:
    fresh, due, late, never = (gone(tmp_path, n) for n in ("fresh", "due", "late", "never"))
    profile.servers = [fresh, due, late, never]
    backup(catalog, fresh, ago(hours=2))
    backup(catalog, due, ago(hours=30))
    backup(catalog, late, ago(hours=60))
    backup(catalog, due, ago(hours=80))
    catalog.add(kind="backup", status="failed", server=never.url, started=ago(hours=1),
                message="cannot connect to never: no such socket")
    page = make_page()
    cards = page.cards
    assert [cards[n].policy for n in ("fresh", "due", "late", "never")] == ["fresh", "due", "overdue", "none"]
    assert [cards[n].badge.text() for n in ("fresh", "due", "late", "never")] == [
        "OK", "Due", "Overdue", "No backup"]
    for name, colour in (("fresh", GREEN), ("due", AMBER), ("late", RED), ("never", RED)):
        assert f"background:{colour}" in cards[name].strip.styleSheet()
    assert "2 without a recent backup" in page.summary.text()
    assert cards["never"].failure_label.isVisibleTo(cards["never"])
    assert "no such socket" in cards["never"].failure_label.text()
    assert not cards["fresh"].failure_label.isVisibleTo(cards["fresh"])
    # The target comes from the settings (plans will supply it later): 72 h makes 60 h fresh.
    profile.settings["rpo_hours"] = 72
    page.refresh()
    assert [cards[n].policy for n in ("fresh", "due", "late")] == ["fresh", "fresh", "fresh"]
    qtbot.waitUntil(lambda: page._thread is None)


def test_card_texts_rpo_next_run_and_space_per_repository(
        tmp_path: Path, profile: Profile, catalog: Catalog, make_page: Callable[..., DashboardPage],
        qtbot: QtBot) -> None:
    shop, crm = gone(tmp_path, "shop"), gone(tmp_path, "crm")
    profile.servers = [shop, crm]
    repo = str(tmp_path / "repo")
    backup(catalog, shop, ago(hours=3), repository=repo, stored_bytes=700 * MIB)
    backup(catalog, shop, ago(hours=27), repository=repo, stored_bytes=300 * MIB)
    backup(catalog, crm, ago(hours=5), repository=repo, stored_bytes=5 * MIB)
    # A backup made by the command line, of a server the profile does not know, elsewhere.
    backup(catalog, "mysql://root@legacy:3306", ago(days=3), repository="/srv/custode-legacy",
           stored_bytes=2 * MIB)
    runs = {"shop": NOW + timedelta(hours=5, minutes=30)}
    page = make_page(next_run=runs.get)
    with qtbot.waitSignal(page.probe_finished):
        pass
    card = page.cards["shop"]
    assert card.rpo_label.text() == "3 h 00 min (target 24 h)"
    assert card.last_label.text().startswith("<a href='history'>3 h 00 min ago</a>")
    assert card.next_label.text().startswith("in 5 h 29 min") or card.next_label.text().startswith(
        "in 5 h 30 min")
    assert page.cards["crm"].next_label.text() == "no schedule"
    space = card.space_label.text()
    assert "Repository <b>local</b> · 1000.0 MiB used · " in space and " free · writable" in space
    assert "5.0 MiB used" in page.cards["crm"].space_label.text()
    assert card.state == "unreachable" and "no socket at" in card.state_label.text()
    legacy = page.cards["mysql://root@legacy:3306"]
    assert not legacy.backup_button.isVisibleTo(legacy)
    assert "not in profile" in legacy.state_label.text()
    assert legacy.space_label.text().endswith("Repository <b>custode-legacy</b> · 2.0 MiB used · missing")
    assert "local" not in legacy.space_label.text()   # it never went there
    assert "custode-legacy" not in card.space_label.text()   # shop never went there


def test_back_up_now_and_the_last_backup_line_ask_for_the_server(
        tmp_path: Path, profile: Profile, catalog: Catalog, make_page: Callable[..., DashboardPage],
        qtbot: QtBot) -> None:
    profile.servers = [gone(tmp_path, "shop")]
    backup(catalog, profile.servers[0], ago(hours=1))
    page = make_page()
    card = page.cards["shop"]
    with qtbot.waitSignal(page.backup_requested) as asked:
        card.backup_button.click()
    assert asked.args == ["shop"]
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.history_requested) as asked:   # the link is the line's first words
        qtbot.mouseClick(card.last_label, Qt.MouseButton.LeftButton,
                         pos=QPoint(4, card.last_label.height() // 2))
    assert asked.args == ["shop"]
    # Taken out of the profile, the server keeps a card for its history, without the button.
    url = profile.servers.pop().url
    page.refresh()
    assert list(page.cards) == [url]
    assert not page.cards[url].backup_button.isVisibleTo(page.cards[url])


def test_the_chart_shows_the_chosen_range_of_the_chosen_server(
        tmp_path: Path, profile: Profile, catalog: Catalog, make_page: Callable[..., DashboardPage]) -> None:
    shop, crm = gone(tmp_path, "shop"), gone(tmp_path, "crm")
    profile.servers = [shop, crm]
    for days in (100, 80, 40, 10, 6, 3, 1):
        backup(catalog, shop, ago(days=days), bytes=days * MIB, seconds=days * 2.0)
    backup(catalog, crm, ago(days=2), bytes=77 * MIB)
    page = make_page()
    chart = page.chart
    assert page.chart_server.currentData() == "shop" and chart.days == 30
    assert list(chart.size_mib) == [10, 6, 3, 1]
    chart.buttons[7].click()
    assert list(chart.size_mib) == [6, 3, 1] and list(chart.seconds) == [12, 6, 2]
    x, y = chart.data_curve.getData()
    assert list(y) == [6, 3, 1] and list(x) == [(NOW - timedelta(days=d)).timestamp() for d in (6, 3, 1)]
    chart.buttons[90].click()
    assert list(chart.size_mib) == [80, 40, 10, 6, 3, 1]
    assert "6 good backups in the last 90 days" in chart.caption.text()
    page.cards["crm"].chosen.emit("crm")
    assert page.chart_server.currentData() == "crm" and list(chart.size_mib) == [77]


def test_hovering_the_chart_shows_the_nearest_backup(
        tmp_path: Path, profile: Profile, catalog: Catalog, make_page: Callable[..., DashboardPage],
        qtbot: QtBot) -> None:
    shop = gone(tmp_path, "shop")
    profile.servers = [shop]
    for days, size, seconds in ((9, 400, 30.0), (5, 512, 41.0), (2, 600, 50.0)):
        backup(catalog, shop, ago(days=days), bytes=size * MIB, stored_bytes=24 * MIB, seconds=seconds)
    page = make_page()
    # The probe's answers may grow the cards (and so move the chart): hover once they are in.
    qtbot.waitUntil(lambda: page._probe is None)
    page.resize(1000, 800)
    page.show()
    qtbot.waitExposed(page)
    plot = page.chart.duration_plot
    box = plot.plotItem.vb
    # A third of a day off the backup of 5 days ago, halfway up: the nearest point is that backup.
    where = box.mapViewToScene(QPointF((NOW - timedelta(days=5.3)).timestamp(), box.viewRect().center().y()))
    # The first move only brings the mouse into the window (an Enter event), the second hovers.
    qtbot.mouseMove(plot.viewport(), plot.mapFromScene(where) - QPoint(2, 0))
    qtbot.mouseMove(plot.viewport(), plot.mapFromScene(where))
    qtbot.waitUntil(lambda: page.chart.tips[1].isVisible())
    text = page.chart.tips[1].textItem.toPlainText()
    stamp = (NOW - timedelta(days=5)).astimezone().strftime("%Y-%m-%d %H:%M")
    assert text == f"{stamp}\n512.0 MiB of data, 24.0 MiB new\n41 s"
    assert not page.chart.tips[0].isVisible()        # the text shows on the plot under the mouse
    assert page.chart.hovered == 1
    qtbot.mouseMove(plot.viewport(), QPoint(2, 2))   # out of the plot area: the text goes
    qtbot.waitUntil(lambda: not page.chart.tips[1].isVisible())


def test_the_probe_finds_a_running_server_a_missing_one_and_a_stopped_demo(
        tmp_path: Path, profile: Profile, make_page: Callable[..., DashboardPage], qtbot: QtBot,
        target_server: LocalServer) -> None:
    live = ServerEntry(name="live", socket=target_server.socket, has_password=False)
    stranger = ServerEntry(name="stranger", user="nobody", socket=target_server.socket)
    demo = ServerEntry(name="demo", socket=str(tmp_path / "demo.sock"), demo=True)
    profile.servers = [live, stranger, gone(tmp_path, "gone"), demo]
    profile.repositories.append(RepositoryEntry("lost", str(tmp_path / "no-such-folder")))
    page = make_page()
    assert page.cards["live"].state == "checking"
    with qtbot.waitSignal(page.probe_finished, timeout=20_000):
        pass
    states = {name: card.state for name, card in page.cards.items()}
    assert states == {"live": "reachable", "stranger": "denied", "gone": "unreachable", "demo": "stopped"}
    assert "MariaDB 1" in page.cards["live"].state_label.text()
    assert "refused the login" in page.cards["stranger"].state_label.text()
    assert page.repository_states[str(tmp_path / "repo")].state == "writable"
    assert page.repository_states[str(tmp_path / "no-such-folder")].state == "missing"
    assert "2 not reachable" in page.summary.text()


def test_a_server_where_a_stopped_restore_left_work_says_so(
        profile: Profile, make_page: Callable[..., DashboardPage], qtbot: QtBot,
        target_server: LocalServer) -> None:
    # What a killed restore leaves: a staging schema whose restore holds no lock any more.
    execute(target_server, "CREATE DATABASE custode_stage_0123abcd_0")
    try:
        profile.servers = [ServerEntry(name="live", socket=target_server.socket, has_password=False)]
        page = make_page()
        with qtbot.waitSignal(page.probe_finished, timeout=20_000):
            pass
        assert page.cards["live"].state == "interrupted"
        card = page.cards["live"]
        assert "custode cleanup --server mysql://root@localhost/?socket=" in card.state_label.text()
        assert not card.settle_button.isHidden() and card.settle_button.isEnabled()
        with qtbot.waitSignal(page.settled, timeout=20_000):
            qtbot.mouseClick(card.settle_button, Qt.MouseButton.LeftButton)
        assert card.settle_button.isHidden() or not card.settle_button.isEnabled()   # clicked once
        with qtbot.waitSignal(page.probe_finished, timeout=20_000):
            pass
        assert card.state == "reachable" and card.settle_button.isHidden()
        assert "removed its staging schemas" in card.state_label.text()
        assert "custode_stage_0123abcd_0" not in databases_of(target_server)
    finally:
        execute(target_server, "DROP DATABASE IF EXISTS custode_stage_0123abcd_0")


def test_a_server_that_never_answers_does_not_block_the_window(
        profile: Profile, make_page: Callable[..., DashboardPage], qtbot: QtBot) -> None:
    # A real listener that accepts the TCP connection and never sends the server greeting.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    try:
        page = make_page()
        with qtbot.waitSignal(page.probe_finished):
            pass
        page.probe_timeout = 1.0
        profile.servers = [ServerEntry(name="mute", host="127.0.0.1", port=listener.getsockname()[1])]
        ticks: list[float] = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
        timer.start(10)
        started = time.perf_counter()
        page.refresh()
        returned = time.perf_counter() - started
        with qtbot.waitSignal(page.probe_finished, timeout=10_000):
            pass
        took = time.perf_counter() - started
        timer.stop()
    finally:
        listener.close()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    print(f"refresh returned in {returned * 1000:.1f} ms; probe took {took:.2f} s; "
          f"longest GUI pause {max(gaps) * 1000:.0f} ms over {len(ticks)} ticks")
    assert page.cards["mute"].state == "unreachable" and "timed out" in page.cards["mute"].state_label.text()
    assert took >= 0.9                     # it really waited for the server...
    assert returned < 0.05                 # ...but not on the GUI thread,
    assert len(ticks) >= 20 and max(gaps) < 0.2   # which kept handling events all along


def test_ten_thousand_jobs_build_the_dashboard_fast(
        tmp_path: Path, profile: Profile, catalog: Catalog, make_page: Callable[..., DashboardPage]) -> None:
    servers = [gone(tmp_path, f"db{i}") for i in range(5)]
    profile.servers = servers
    repo = str(tmp_path / "repo")
    for i in range(10_000):   # a backup every 12 minutes over 83 days, one in 20 failed
        catalog.add(kind="backup", status="failed" if i % 20 == 0 else "ok", server=servers[i % 5].url,
                    repository=repo, started=ago(hours=i * 0.2), finished=ago(hours=i * 0.2),
                    seconds=30.0, bytes=MIB * (i % 7 + 1), stored_bytes=1000)
    started = time.perf_counter()
    page = make_page()
    built = time.perf_counter() - started
    started = time.perf_counter()
    page.read_catalog()
    reread = time.perf_counter() - started
    print(f"dashboard built from 10,000 jobs in {built * 1000:.0f} ms, re-read in {reread * 1000:.0f} ms")
    assert built < 0.5 and reread < 0.1
    # db0's good backups of the last 30 days on the chart; all of them in its space used.
    assert len(page.chart.times) == sum(1 for i in range(0, 10_000, 5) if i % 20 and i * 0.2 <= 30 * 24)
    good = sum(1 for i in range(0, 10_000, 5) if i % 20)
    assert f"{human_size(good * 1000)} used" in page.cards["db0"].space_label.text()


def test_each_repository_line_says_where_its_copy_stands(
        tmp_path: Path, profile: Profile, catalog: Catalog, make_page: Callable[..., DashboardPage],
        qtbot: QtBot) -> None:
    shop = gone(tmp_path, "shop")
    profile.servers = [shop]
    (tmp_path / "nas").mkdir()
    (tmp_path / "usb").mkdir()
    profile.repositories += [RepositoryEntry("nas", str(tmp_path / "nas")),
                             RepositoryEntry("usb", str(tmp_path / "usb"))]
    folders = {"local": str(tmp_path / "repo"), "nas": str(tmp_path / "nas"), "usb": str(tmp_path / "usb")}
    for name, location in folders.items():
        backup(catalog, shop, ago(hours=3), repository=location)
        catalog.put_repository(f"id-{name}", location)

    def remember(repository: str, backup_id: str, finished: str) -> None:
        catalog.put_backup(repository_id=repository, backup_id=backup_id, server=shop.url, type="full",
                           started=finished, finished=finished, seconds=1.0, bytes=1, stored_bytes=1,
                           rows=1, tables=1)

    remember("id-local", "b1", ago(hours=51))
    remember("id-local", "b2", ago(hours=3))   # the newest backup...
    remember("id-nas", "b1", ago(hours=51))    # ...was not copied to the NAS yet
    remember("id-nas", "b2", ago(hours=3))
    remember("id-nas", "b0", ago(hours=99))
    remember("id-usb", "b1", ago(hours=51))
    page = make_page()
    with qtbot.waitSignal(page.probe_finished):
        pass
    lines = page.cards["shop"].space_label.text().split("<br>")
    by_name = {name: next(line for line in lines if f"<b>{name}</b>" in line) for name in folders}
    assert by_name["local"].endswith("writable · copy up to date")
    assert by_name["nas"].endswith("writable · copy up to date")
    behind = f"writable · <span style='color:{AMBER}'>copy behind: newest here 2 "   # 2 days (48 h)
    assert behind in by_name["usb"] and by_name["usb"].endswith(" older</span>")
