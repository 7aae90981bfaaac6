"""The dashboard: one card per server (last good backup against its RPO, next run, space per
repository, state of the server and of the repositories) and trend charts of its backups.

What the catalog knows comes from a few SQL aggregates read on the GUI thread (milliseconds,
whatever the length of the history).  What may be slow, connecting to servers and looking at
repository folders (a network share can hang), runs in a `StatusProbe` that only emits signals.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pymysql
from PySide6.QtCore import QEvent, QObject, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QMouseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.catalog import Catalog, ServerSummary
from app.core.errors import OperationFailed
from app.core.jobs import CancelToken, ProgressCallback, human_size
from app.core.profile import Profile, ServerEntry
from app.core.restore import cleanup_server
from app.core.server import ServerInfo
from app.core.storage import kind_of
from app.core.swap import find_leftovers
from app.gui.i18n import QT_TR_NOOP, tr, tr_value
from app.gui.jobs import JobWorker, run_in_thread
from app.gui.trends import TrendChart

GREEN, AMBER, RED, INFO = "#28a745", "#ffc107", "#dc3545", "#17a2b8"   # the SPEC palette
POLICY = {"fresh": (QT_TR_NOOP("OK"), GREEN), "due": (QT_TR_NOOP("Due"), AMBER),
          "overdue": (QT_TR_NOOP("Overdue"), RED), "none": (QT_TR_NOOP("No backup"), RED)}
STATE_COLOURS = {"reachable": GREEN, "writable": GREEN, "checking": INFO, "remote": INFO,
                 "denied": AMBER, "stopped": AMBER, "read-only": AMBER, "low space": AMBER,
                 "interrupted": AMBER,
                 "unreachable": RED, "missing": RED, "unreadable": RED, "not in profile": INFO}
# The states as the user reads them (the keys above are the code's names).
STATE_TEXT = {"reachable": QT_TR_NOOP("reachable"), "writable": QT_TR_NOOP("writable"),
              "checking": QT_TR_NOOP("checking"), "remote": QT_TR_NOOP("remote"),
              "denied": QT_TR_NOOP("denied"), "stopped": QT_TR_NOOP("stopped"),
              "read-only": QT_TR_NOOP("read-only"), "low space": QT_TR_NOOP("low space"),
              "unreachable": QT_TR_NOOP("unreachable"), "missing": QT_TR_NOOP("missing"),
              "unreadable": QT_TR_NOOP("unreadable"), "not in profile": QT_TR_NOOP("not in profile"),
              "interrupted": QT_TR_NOOP("restore to settle")}
WEEKDAYS = (QT_TR_NOOP("Mon"), QT_TR_NOOP("Tue"), QT_TR_NOOP("Wed"), QT_TR_NOOP("Thu"),
            QT_TR_NOOP("Fri"), QT_TR_NOOP("Sat"), QT_TR_NOOP("Sun"))
DENIED = re.compile(r"\(error (1044|1045|1698)\)")
CARD_WIDTH = 400
PROBE_EVERY = 5   # minutes between status probes; ages are re-read every minute


def rpo_target(profile: Profile, server: str) -> timedelta:
    """How old the last good backup of `server` may be.  The one place plans will answer from."""
    return timedelta(hours=float(profile.settings.get("rpo_hours", 24)))


def policy(age: timedelta | None, target: timedelta) -> str:
    """'fresh' within the target, 'due' within twice the target, else 'overdue' ('none': never)."""
    if age is None:
        return "none"
    return "fresh" if age < target else "due" if age < 2 * target else "overdue"


def format_age(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 1:
        return tr("under a minute")
    if minutes < 60:
        return tr("{minutes} min").format(minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return tr("{hours} h {minutes} min").format(hours=hours, minutes=f"{minutes:02d}") if hours < 10 \
            else tr("{hours} h").format(hours=hours)
    return tr("%n day(s) {hours} h", "", hours // 24).format(hours=hours % 24)


def local_location(location: str) -> str:
    """A folder location as the CLI records it (absolute), so GUI and CLI jobs add up together."""
    if kind_of(location) != "folder":
        return location
    return str(Path(location.removeprefix("file://")).expanduser().absolute())


# -- the probe: off the GUI thread -------------------------------------------------------------------
@dataclass(frozen=True)
class RepositoryState:
    state: str                # writable | read-only | low space | unreadable | missing | remote
    free: int | None = None   # bytes free on its disk


def probe_server(entry: ServerEntry, timeout: float) -> tuple[str, str]:
    """(state, detail) of a server: a quick connect, no more."""
    if entry.socket and not Path(entry.socket).exists():
        if entry.demo:
            return "stopped", tr("the demo server is not running")
        return "unreachable", tr("no socket at {path}").format(path=entry.socket)
    password = entry.password()
    try:
        connection = entry.spec().connect(password, connect_timeout=timeout, read_timeout=timeout,
                                          write_timeout=timeout)
    except OperationFailed as exc:
        if DENIED.search(str(exc)):
            why = tr("the server refused the login: no password in the keyring") \
                if password is None and entry.has_password else \
                tr("the server refused the login: check the user and password")
            return "denied", why
        if entry.demo:
            return "stopped", tr("the demo server is not running")
        return "unreachable", str(exc).split(": ", 1)[-1]
    try:
        info = ServerInfo.read(connection)
        try:
            stopped = find_leftovers(connection)
        except pymysql.err.MySQLError:
            stopped = []   # a user who may not see them: the restore will say so itself
    finally:
        connection.close()
    if stopped:
        return "interrupted", tr("a restore that stopped left work on this server: run 'custode "
                                 "cleanup --server {server}' (the next restore does it first)"
                                 ).format(server=entry.spec().url)
    return "reachable", f"{'MariaDB' if info.flavor == 'mariadb' else 'MySQL'} {info.version.split('-')[0]}"


def probe_repository(location: str) -> RepositoryState:
    if kind_of(location) != "folder":
        return RepositoryState("remote")
    path = Path(location)
    if not path.is_dir():
        return RepositoryState("missing")
    if not os.access(path, os.R_OK | os.X_OK):
        return RepositoryState("unreadable")
    usage = shutil.disk_usage(path)
    if not os.access(path, os.W_OK):
        return RepositoryState("read-only", usage.free)
    low = usage.free < min(1 << 30, usage.total // 20)   # under 5 %, or 1 GiB on big disks
    return RepositoryState("low space" if low else "writable", usage.free)


class StatusProbe(JobWorker):
    """Connects to every server and looks at every repository, in parallel; reports each answer."""

    server_checked = Signal(str, str, str)      # server name, state, detail
    repository_checked = Signal(str, object)    # location, RepositoryState

    def __init__(self, servers: list[ServerEntry], locations: list[str], timeout: float) -> None:
        super().__init__(self._probe)
        self.servers, self.locations, self.timeout = servers, locations, timeout

    def _probe(self, _progress: ProgressCallback, cancel: CancelToken) -> None:
        def server(entry: ServerEntry) -> None:
            if not cancel.cancelled:
                self.server_checked.emit(entry.name, *probe_server(entry, self.timeout))

        def repository(location: str) -> None:
            if not cancel.cancelled:
                self.repository_checked.emit(location, probe_repository(location))

        with ThreadPoolExecutor(max_workers=8) as pool:
            jobs = [pool.submit(server, s) for s in self.servers]
            jobs += [pool.submit(repository, loc) for loc in self.locations]
            for job in jobs:
                job.result()


# -- the cards ---------------------------------------------------------------------------------------
def bullet(state: str) -> str:
    return f"<span style='color:{STATE_COLOURS.get(state, INFO)}'>●</span>"


def state_text(state: str) -> str:
    """A server's or repository's state in words (`unreachable` -> `non raggiungibile`)."""
    return tr_value(STATE_TEXT, state)


def dot(state: str) -> str:
    return f"{bullet(state)} {html.escape(state_text(state))}"


class ServerCard(QFrame):
    """One server: policy badge, last good backup (a link to its history), RPO, next run, space."""

    chosen = Signal(str)   # the card was clicked: show this server's trends

    def __init__(self, name: str, configured: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.policy = "none"
        self.state = "checking"
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFixedWidth(CARD_WIDTH)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 8, 8)
        self.strip = QFrame()
        self.strip.setFixedWidth(6)
        outer.addWidget(self.strip)
        grid = QGridLayout()
        grid.setContentsMargins(4, 8, 0, 0)
        grid.setColumnStretch(1, 1)
        outer.addLayout(grid, 1)
        self.title = QLabel()
        bold = self.title.font()
        bold.setBold(True)
        self.title.setFont(bold)
        # Long names (a URL for servers only the history knows) are elided, in full in the tooltip.
        elide = Qt.TextElideMode.ElideMiddle
        self.title.setText(QFontMetrics(bold).elidedText(name, elide, CARD_WIDTH - 130))
        self.title.setToolTip(name)
        self.badge = QLabel()
        self.badge.setStyleSheet("border-radius: 3px; padding: 1px 6px; font-weight: bold")
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.badge)
        grid.addLayout(head, 0, 0, 1, 2)
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        grid.addWidget(self.state_label, 1, 0, 1, 2)
        self.last_label, self.rpo_label, self.next_label, self.space_label = (
            QLabel(), QLabel(), QLabel(), QLabel())
        self.failure_label = QLabel()
        for row, (caption, label) in enumerate(((tr("Last good backup"), self.last_label),
                                                (tr("RPO now"), self.rpo_label),
                                                (tr("Next run"), self.next_label)), start=2):
            grid.addWidget(QLabel(caption), row, 0)
            label.setWordWrap(True)     # longer in some languages: wrap rather than cut
            grid.addWidget(label, row, 1)
        # Full width, wrapped: repository lines and error messages are longer than a value column.
        for row, label in ((5, self.space_label), (6, self.failure_label)):
            label.setWordWrap(True)
            grid.addWidget(label, row, 0, 1, 2)
        self.backup_button = QPushButton(tr("Back up now"))
        self.backup_button.setVisible(configured)
        grid.addWidget(self.backup_button, 7, 0, 1, 2)
        self.settle_button = QPushButton(tr("Settle the stopped restore"))
        self.settle_button.setToolTip(tr("Finish or roll back what a stopped restore left on this "
                                         "server, as 'custode cleanup' does: the target ends as it "
                                         "was before that restore or as it would be after it"))
        self.settle_button.hide()
        grid.addWidget(self.settle_button, 8, 0, 1, 2)

    def show_facts(self, summary: ServerSummary | None, target: timedelta, next_run: datetime | None,
                   space: list[str], now: datetime) -> None:
        last = summary.last_good if summary else None
        age = now - last if last else None
        self.policy = policy(age, target)
        word, colour = POLICY[self.policy]
        self.badge.setText(tr(word))
        ink = "#212529" if colour == AMBER else "#ffffff"    # amber needs dark text to be read
        self.badge.setStyleSheet(f"background:{colour}; color:{ink}; border-radius:3px; "
                                 "padding:1px 6px; font-weight:bold")
        self.strip.setStyleSheet(f"background:{colour}")
        target_text = tr("{hours} h").format(hours=f"{target.total_seconds() / 3600:g}")
        if last is not None and age is not None:
            stamp = last.astimezone().strftime("%Y-%m-%d %H:%M")
            ago = tr("{age} ago").format(age=format_age(age))
            self.last_label.setText(f"<a href='history'>{ago}</a> · {stamp}")
            self.rpo_label.setText(tr("{age} (target {target})").format(age=format_age(age),
                                                                        target=target_text))
        else:
            self.last_label.setText("<a href='history'>" + tr("none yet") + "</a>")
            self.rpo_label.setText(tr("unbounded: no good backup (target {target})")
                                   .format(target=target_text))
        self.last_label.setToolTip(tr("Show this server's history"))
        if next_run is None:
            self.next_label.setText(tr("no schedule"))
        elif next_run <= now:
            self.next_label.setText(tr("due now"))
        else:
            local = next_run.astimezone()
            self.next_label.setText(tr("in {time} · {day} {clock}").format(
                time=format_age(next_run - now), day=tr(WEEKDAYS[local.weekday()]),
                clock=local.strftime("%H:%M")))
        failed = summary.last_failure if summary else None
        if summary and failed and (last is None or failed > last):
            message = html.escape(summary.failure_message.splitlines()[0] if summary.failure_message
                                  else tr("no message"))
            self.failure_label.setText(f"<span style='color:{RED}'>●</span> "
                                       + tr("Last attempt failed {age} ago: {message}").format(
                                           age=format_age(now - failed), message=message))
            self.failure_label.show()
        else:
            self.failure_label.hide()
        self.show_space(space)

    def show_space(self, lines: list[str]) -> None:
        self.space_label.setText("<br>".join(lines) or tr("No repository yet"))

    def show_state(self, state: str, detail: str) -> None:
        self.state = state
        self.settle_button.setVisible(state == "interrupted")
        self.settle_button.setEnabled(True)
        self.state_label.setText(dot(state) + (f" · {html.escape(detail)}" if detail else ""))
        self.state_label.setToolTip(detail)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.chosen.emit(self.name)
        super().mousePressEvent(event)


# -- the page ----------------------------------------------------------------------------------------


class DashboardPage(QWidget):
    """Cards for every server of the profile (and any the command line backed up), trends below.

    Args:
        next_run: the scheduler's next run of a server (by name); None, or None returned, is
            shown as "no schedule".

    Signals:
        backup_requested(str): "Back up now" on a server's card (the server's name).
        history_requested(str): the card's last-backup line was clicked (the server's name).
        probe_finished(): every server and repository has been checked.
        settled(str): a server's stopped restores were settled (its name); it is checked again.
    """

    backup_requested = Signal(str)
    history_requested = Signal(str)
    probe_finished = Signal()
    settled = Signal(str)

    def __init__(self, profile: Profile, catalog: Catalog,
                 next_run: Callable[[str], datetime | None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile, self.catalog, self.next_run = profile, catalog, next_run
        self.probe_timeout = 3.0
        self.cards: dict[str, ServerCard] = {}
        self.keys: dict[str, str] = {}      # card name -> the server as the catalog records it (URL)
        self.server_states: dict[str, tuple[str, str]] = {}
        self.repository_states: dict[str, RepositoryState] = {}
        self._summaries: dict[str, ServerSummary] = {}
        self._usage: dict[tuple[str, str], int] = {}
        self._newest: dict[tuple[str, str], datetime] = {}   # newest backup per (server, repository)
        self._probe: StatusProbe | None = None
        self._thread: QThread | None = None
        self._again = False
        self.settle_outcome: dict[str, str] = {}   # server name -> what its last settling did
        self._columns = 0
        self._ticks = 0
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        self.summary = QLabel()
        head.addWidget(self.summary, 1)
        self.refresh_button = QPushButton(tr("Refresh"))
        self.refresh_button.setToolTip(tr("Re-read the history and check every server and repository"))
        self.refresh_button.clicked.connect(self.refresh)
        head.addWidget(self.refresh_button)
        layout.addLayout(head)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.cards_area = QScrollArea()
        self.cards_area.setWidgetResizable(True)
        self.cards_area.setFrameShape(QFrame.Shape.NoFrame)
        self.cards_area.setWidget(self.grid_host)
        # The viewport, not the page, knows the width the cards get (it waits for the layout).
        self.cards_area.viewport().installEventFilter(self)
        self.chart = TrendChart()
        self.chart_server = QComboBox()
        self.chart_server.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chart_server.setMinimumContentsLength(24)   # a long URL must not push the range buttons away
        self.chart_server.currentIndexChanged.connect(self._load_chart)
        self.chart.range_changed.connect(self._load_chart)
        trends_title = QLabel("<b>" + html.escape(tr("Trends")) + "</b>")
        self.chart.header.insertWidget(0, trends_title)
        self.chart.header.insertWidget(1, self.chart_server)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.cards_area)
        splitter.addWidget(self.chart)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(60_000)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        self.refresh()

    # -- reading the catalog (GUI thread: a few aggregate queries) ------------------------------
    def refresh(self) -> None:
        """Re-read the catalog and check every server and repository in the background."""
        self.settle_outcome.clear()
        self.read_catalog()
        self.start_probe()

    def read_catalog(self, chart: bool = True) -> None:
        """Update the cards from the catalog, and the chart too unless `chart` is False."""
        now = datetime.now(UTC)
        before = list(self.cards)
        self._summaries = self.catalog.summaries()
        self._usage = {}
        self._newest = {(server, local_location(location)): finished for (server, location), finished
                        in self.catalog.newest_backups().items()}
        for usage in self.catalog.repository_usage():
            key = (usage.server, local_location(usage.repository)) if usage.repository else None
            if key:
                self._usage[key] = self._usage.get(key, 0) + usage.stored_bytes
        wanted: dict[str, tuple[str, bool]] = {e.name: (e.url, True) for e in self.profile.servers}
        known = {url for url, _ in wanted.values()}
        for url in sorted(set(self._summaries) | {server for server, _ in self._usage}):
            if url not in known:
                wanted.setdefault(url, (url, False))
        for name in [n for n in self.cards if n not in wanted]:
            gone = self.cards.pop(name)
            self.grid.removeWidget(gone)
            gone.deleteLater()
            self._columns = 0
        for name, (url, configured) in wanted.items():
            self.keys[name] = url
            if name not in self.cards:
                self.cards[name] = self._make_card(name, configured)
                self._columns = 0   # lay the grid out again
            card = self.cards[name]
            card.show_facts(self._summaries.get(url), rpo_target(self.profile, name),
                            self.next_run(name) if self.next_run else None, self._space(url), now)
            if configured:
                card.show_state(*self.server_states.get(name, ("checking", "")))
            else:
                card.show_state("not in profile", tr("backed up from the command line"))
        self._layout_cards()
        self._fit_height()
        if chart or list(self.cards) != before:
            self._update_chart_servers()
        self._update_summary()

    def _make_card(self, name: str, configured: bool) -> ServerCard:
        card = ServerCard(name, configured)
        card.backup_button.clicked.connect(lambda *_: self.backup_requested.emit(name))
        card.settle_button.clicked.connect(lambda *_: self.settle(name))
        card.last_label.linkActivated.connect(lambda *_: self.history_requested.emit(name))
        card.chosen.connect(self.show_trends_of)
        return card

    def repositories(self) -> list[tuple[str, str]]:
        """(label, location): the profile's repositories, then folders only the history names."""
        found = [(r.name, local_location(r.location)) for r in self.profile.repositories]
        known = {location for _, location in found}
        for location in sorted({loc for _, loc in self._usage} - known):
            found.append((Path(location).name or location, location))
        return found

    def _space(self, server: str) -> list[str]:
        lines = []
        # A server of the profile sees every repository of the profile (where its backups may go);
        # otherwise only those its history names.
        mine = any(e.url == server for e in self.profile.servers)
        configured = {local_location(r.location) for r in self.profile.repositories} if mine else set()
        for label, location in self.repositories():
            used = self._usage.get((server, location))
            if used is None and location not in configured:
                continue
            state = self.repository_states.get(location, RepositoryState("checking"))
            name = f"<b>{html.escape(label)}</b>"
            what = html.escape(state_text(state.state))
            text = (tr("Repository {name} · {used} used · {free} free · {state}").format(
                        name=name, used=human_size(used or 0), free=human_size(state.free), state=what)
                    if state.free is not None else
                    tr("Repository {name} · {used} used · {state}").format(
                        name=name, used=human_size(used or 0), state=what))
            copy = self._copy_state(server, location)
            lines.append(f"{bullet(state.state)} {text}" + (f" · {copy}" if copy else ""))
        return lines

    def _copy_state(self, server: str, location: str) -> str:
        """Where this repository stands among the server's copies: up to date, behind, none yet.

        Said only when the server's backups are in more than one repository."""
        mine = {loc: when for (srv, loc), when in self._newest.items() if srv == server}
        if not mine or (len(mine) == 1 and location in mine):
            return ""
        newest = max(mine.values())
        here = mine.get(location)
        if here is None:
            return f"<span style='color:{AMBER}'>" + html.escape(tr("no copy yet")) + "</span>"
        if newest - here > timedelta(minutes=1):
            return f"<span style='color:{AMBER}'>" + html.escape(
                tr("copy behind: newest here {age} older").format(age=format_age(newest - here))) + "</span>"
        return html.escape(tr("copy up to date"))

    def _layout_cards(self) -> None:
        columns = max(1, (self.cards_area.viewport().width() - 8) // (CARD_WIDTH + 8))
        if columns == self._columns:
            return
        self._columns = columns
        for card in self.cards.values():
            self.grid.removeWidget(card)
        for i, card in enumerate(self.cards.values()):
            self.grid.addWidget(card, i // columns, i % columns)
        # The stretches keep cards at the top left instead of spread over the whole area.
        self.grid.setRowStretch(self.grid.rowCount(), 1)
        self.grid.setColumnStretch(columns, 1)

    def _fit_height(self) -> None:
        """At least one row of cards in full (their wrapped lines included); the charts take the rest."""
        def height(card: ServerCard) -> int:
            layout = card.layout()
            if layout is not None and layout.hasHeightForWidth():
                return int(layout.totalHeightForWidth(CARD_WIDTH))
            return int(card.sizeHint().height())

        tallest = max((height(card) for card in self.cards.values()), default=0)
        self.cards_area.setMinimumHeight(min(tallest, 360) + 4)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.cards_area.viewport():
            self._layout_cards()
        return super().eventFilter(watched, event)

    def _update_summary(self) -> None:
        count = len(self.cards)
        if not count:
            self.summary.setText(html.escape(tr("No servers yet: add one with Set up…")))
            return
        late = sum(1 for c in self.cards.values() if c.policy in ("overdue", "none"))
        down = sum(1 for c in self.cards.values() if c.state in ("unreachable", "denied"))
        parts = ["<b>" + tr("%n server(s)", "", count) + "</b>"]
        if late:
            parts.append(f"<span style='color:{RED}'>●</span> " + tr("%n without a recent backup", "", late))
        if down:
            parts.append(f"<span style='color:{RED}'>●</span> " + tr("%n not reachable", "", down))
        if not late and not down:
            parts.append(f"<span style='color:{GREEN}'>●</span> " + tr("all backed up in time"))
        self.summary.setText(" · ".join(parts))

    # -- trends --------------------------------------------------------------------------------
    def show_trends_of(self, name: str) -> None:
        index = self.chart_server.findData(name)
        if index >= 0:
            self.chart_server.setCurrentIndex(index)

    def _update_chart_servers(self) -> None:
        current = self.chart_server.currentData()
        self.chart_server.blockSignals(True)
        self.chart_server.clear()
        for name in self.cards:
            self.chart_server.addItem(name, name)
        self.chart_server.setCurrentIndex(max(0, self.chart_server.findData(current)))
        self.chart_server.blockSignals(False)
        self._load_chart()

    def _load_chart(self, *_args: object) -> None:
        until = datetime.now(UTC)
        since = until - timedelta(days=self.chart.days)
        name = self.chart_server.currentData()
        points = self.catalog.series(self.keys[name], "backup", since) if name in self.keys else []
        self.chart.set_points(points, since, until)

    # -- the status probe ----------------------------------------------------------------------
    def start_probe(self) -> None:
        """Check servers and repositories in a worker; again at its end if one is running."""
        if self._thread is not None:
            self._again = True
            return
        locations = [location for _, location in self.repositories()]
        self._probe = probe = StatusProbe(list(self.profile.servers), locations, self.probe_timeout)
        probe.server_checked.connect(self._server_checked)
        probe.repository_checked.connect(self._repository_checked)
        probe.failed.connect(self._probe_failed)
        # The application owns the thread (run_in_thread): a page deleted while its probe waits
        # on a slow server does not destroy it, and the application waits for it at exit.
        self._thread = thread = run_in_thread(probe, self)
        thread.finished.connect(self._probe_done)
        thread.finished.connect(thread.deleteLater)

    def settle(self, name: str) -> None:
        """Settle what stopped restores left on a server of the profile (in a worker), then say
        what was done on its card and check it again."""
        entry = next((e for e in self.profile.servers if e.name == name), None)
        card = self.cards.get(name)
        if entry is None or card is None:
            return
        card.show_state("checking", tr("settling what the stopped restore left…"))
        card.settle_button.setEnabled(False)        # one click settles once
        spec, password = entry.spec(), entry.password()
        worker = JobWorker(lambda _progress, _cancel: cleanup_server(spec, password))
        worker.finished.connect(lambda lines: self._settled(name, lines))
        worker.failed.connect(lambda message: self._settled(name, [message]))
        thread = run_in_thread(worker, self)
        thread.finished.connect(thread.deleteLater)

    def _settled(self, name: str, lines: list[str]) -> None:
        self.settle_outcome[name] = "; ".join(lines) or tr("nothing was left to settle")
        self.settled.emit(name)
        self.start_probe()

    def shutdown(self) -> None:
        """Stop the probe (at its next server) and wait for it: call before the window closes."""
        if self._probe is not None:
            self._probe.token.cancel()
        if self._thread is not None:
            self._thread.wait()

    def _server_checked(self, name: str, state: str, detail: str) -> None:
        outcome = self.settle_outcome.get(name)
        if outcome:
            detail = f"{detail} · {outcome}" if detail else outcome
        self.server_states[name] = (state, detail)
        card = self.cards.get(name)
        if card is not None:
            card.show_state(state, detail)
            self._update_summary()

    def _repository_checked(self, location: str, state: RepositoryState) -> None:
        self.repository_states[location] = state
        for name, card in self.cards.items():
            card.show_space(self._space(self.keys[name]))
        self._fit_height()

    def _probe_failed(self, message: str) -> None:
        self.summary.setText(html.escape(tr("Checking servers failed: {error}").format(error=message)))

    def _probe_done(self) -> None:
        self._thread = self._probe = None
        self.probe_finished.emit()
        if self._again:
            self._again = False
            self.start_probe()

    def _tick(self) -> None:
        self._ticks += 1
        self.read_catalog(chart=False)   # the ages on the cards; a hovered chart keeps its point
        if self._ticks % PROBE_EVERY == 0:
            self.start_probe()
