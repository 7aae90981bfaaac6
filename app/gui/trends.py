"""Trend charts of the dashboard: backup size and duration over the last 7, 30 or 90 days.

Two pyqtgraph plots share a date axis (x in Unix seconds, shown in local time).  Hovering
either plot marks the nearest backup and shows its date, size and duration.  Colours come from
the widget's palette, so the charts read well in light and dark themes alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.core.catalog import SeriesPoint
from app.core.jobs import human_size
from app.gui.i18n import tr
from app.gui.jobs import format_seconds

RANGES = (7, 30, 90)            # days
DATA_COLOUR = "#17a2b8"         # SPEC palette: info
STORED_COLOUR = "#6c757d"       # SPEC palette: secondary
MIB = 1024 * 1024


def local_text(stamp: float) -> str:
    return datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M")


class TrendChart(QWidget):
    """Size (MiB of SQL data, and new bytes stored) and duration of good backups over time.

    Signals:
        range_changed(int): the user chose another range, in days; the owner reloads the points.
    """

    range_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days = 30
        self.times = np.zeros(0)
        self.size_mib = np.zeros(0)
        self.stored_mib = np.zeros(0)
        self.seconds = np.zeros(0)
        self.hovered: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.header = header = QHBoxLayout()   # the owner may put its own choosers in front
        self.caption = QLabel()
        header.addWidget(self.caption, 1)
        self.buttons: dict[int, QPushButton] = {}
        group = QButtonGroup(self)
        for days in RANGES:
            button = QPushButton(tr("%n day(s)", "", days))
            button.setCheckable(True)
            button.setChecked(days == self.days)
            button.clicked.connect(lambda _checked=False, d=days: self.choose_range(d))
            group.addButton(button)
            header.addWidget(button)
            self.buttons[days] = button
        layout.addLayout(header)
        self.size_plot = self._make_plot(tr("Size (MiB)"))
        self.duration_plot = self._make_plot(tr("Duration (s)"))
        self.duration_plot.setXLink(self.size_plot)
        self.legend = self.size_plot.addLegend(offset=(10, 5))   # before the curves, or it stays empty
        self.legend.setLabelTextSize("8pt")
        self.data_curve = self.size_plot.plot(name=tr("SQL data"), antialias=True)
        self.stored_curve = self.size_plot.plot(name=tr("new in the repository"), antialias=True)
        self.duration_curve = self.duration_plot.plot(name=tr("duration"), antialias=True)
        self.markers = [pg.ScatterPlotItem(size=11, brush=None) for _ in range(2)]
        self.tips = [pg.TextItem(anchor=(0, 1)) for _ in range(2)]
        for plot, marker, tip in zip((self.size_plot, self.duration_plot), self.markers, self.tips,
                                     strict=True):
            plot.addItem(marker, ignoreBounds=True)
            plot.addItem(tip, ignoreBounds=True)
            tip.setZValue(10)
            tip.hide()
            plot.scene().sigMouseMoved.connect(lambda pos, p=plot: self._mouse_moved(p, pos))
            layout.addWidget(plot, 1)
        self._apply_palette()

    def _make_plot(self, label: str) -> pg.PlotWidget:
        plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(orientation="bottom")})
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)   # a dashboard, not an analysis tool: no stray pans
        plot.hideButtons()
        plot.showGrid(x=True, y=True, alpha=0.15)
        plot.setLabel("left", label)
        plot.setMinimumHeight(120)
        return plot

    # -- data ----------------------------------------------------------------------------------
    def choose_range(self, days: int) -> None:
        if days != self.days:
            self.days = days
            self.buttons[days].setChecked(True)
            self.range_changed.emit(days)

    def set_points(self, points: Sequence[SeriesPoint], since: datetime, until: datetime) -> None:
        """Show `points` (oldest first) between `since` and `until`."""
        self.times = np.fromiter((p.finished.timestamp() for p in points), float, len(points))
        self.size_mib = np.fromiter((p.bytes / MIB for p in points), float, len(points))
        self.stored_mib = np.fromiter((p.stored_bytes / MIB for p in points), float, len(points))
        self.seconds = np.fromiter((p.seconds for p in points), float, len(points))
        # Symbols help while the points are few; with hundreds they only hide the line.
        symbol = "o" if len(points) <= 120 else None
        self.data_curve.setData(self.times, self.size_mib, symbol=symbol, symbolSize=5)
        self.stored_curve.setData(self.times, self.stored_mib, symbol=symbol, symbolSize=4)
        self.duration_curve.setData(self.times, self.seconds, symbol=symbol, symbolSize=5)
        self.size_plot.setXRange(since.timestamp(), until.timestamp(), padding=0.02)
        for plot, values in ((self.size_plot, self.size_mib), (self.duration_plot, self.seconds)):
            top = float(values.max()) if len(values) else 1.0
            plot.setYRange(0, top * 1.15 or 1.0, padding=0)
        count = len(points)
        caption = (tr("%n good backup(s) in the last {days} days", "", count) if count
                   else tr("No good backup in the last {days} days"))
        self.caption.setText("  " + caption.format(days=self.days))
        self.clear_hover()

    # -- hover ---------------------------------------------------------------------------------
    def nearest(self, x: float) -> int | None:
        """Index of the point whose time is nearest to `x` (Unix seconds), None without points."""
        if not len(self.times):
            return None
        i = int(np.searchsorted(self.times, x))
        if i == 0:
            return 0
        if i >= len(self.times):
            return len(self.times) - 1
        return i if self.times[i] - x < x - self.times[i - 1] else i - 1

    def hover_text(self, i: int) -> str:
        sizes = tr("{size} of data, {new} new").format(size=human_size(self.size_mib[i] * MIB),
                                                        new=human_size(self.stored_mib[i] * MIB))
        return f"{local_text(float(self.times[i]))}\n{sizes}\n{format_seconds(float(self.seconds[i]))}"

    def hover_at(self, x: float, plot: pg.PlotWidget | None = None) -> str:
        """Mark the point nearest to `x` on both plots and show its text on `plot` (the size plot by
        default); returns that text ('' without points)."""
        plot = plot or self.size_plot
        i = self.nearest(x)
        if i is None:
            self.clear_hover()
            return ""
        self.hovered = i
        text = self.hover_text(i)
        for each, marker, tip, y in zip((self.size_plot, self.duration_plot), self.markers, self.tips,
                                        (self.size_mib[i], self.seconds[i]), strict=True):
            marker.setData([self.times[i]], [y])
            tip.setText(text)
            tip.setPos(float(self.times[i]), float(y))
            # Near the right edge or the top the text would leave the plot: turn it around.
            (left, right), (_bottom, top) = each.viewRange()
            tip.setAnchor((1.05 if self.times[i] > left + (right - left) * 0.6 else -0.05,
                           -0.1 if y > top * 0.6 else 1.1))
            tip.setVisible(each is plot)
        return text

    def clear_hover(self) -> None:
        self.hovered = None
        for marker, tip in zip(self.markers, self.tips, strict=True):
            marker.setData([], [])
            tip.hide()

    def _mouse_moved(self, plot: pg.PlotWidget, pos: QPointF) -> None:
        box = plot.plotItem.vb
        if not box.sceneBoundingRect().contains(pos):
            self.clear_hover()
            return
        self.hover_at(box.mapSceneToView(pos).x(), plot)

    # -- palette -------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
        super().changeEvent(event)

    def _apply_palette(self) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        base = palette.color(QPalette.ColorRole.Base)
        tip_fill = palette.color(QPalette.ColorRole.ToolTipBase)
        tip_fill.setAlpha(230)
        for plot in (self.size_plot, self.duration_plot):
            plot.setBackground(base)
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                axis.setPen(text)
                axis.setTextPen(text)
        self.data_curve.setPen(pg.mkPen(DATA_COLOUR, width=2))
        self.data_curve.setSymbolBrush(DATA_COLOUR)
        self.data_curve.setSymbolPen(DATA_COLOUR)
        self.stored_curve.setPen(pg.mkPen(STORED_COLOUR, width=1.5, style=Qt.PenStyle.DashLine))
        self.stored_curve.setSymbolBrush(STORED_COLOUR)
        self.stored_curve.setSymbolPen(STORED_COLOUR)
        self.duration_curve.setPen(pg.mkPen(DATA_COLOUR, width=2))
        self.duration_curve.setSymbolBrush(DATA_COLOUR)
        self.duration_curve.setSymbolPen(DATA_COLOUR)
        self.legend.setLabelTextColor(text)
        for _sample, label in self.legend.items:   # labels made before this keep their old colour
            label.setText(label.text, color=text)
        for marker in self.markers:
            marker.setPen(pg.mkPen(text, width=2))
        for tip in self.tips:
            tip.setColor(palette.color(QPalette.ColorRole.ToolTipText))
            tip.fill = pg.mkBrush(tip_fill)
            tip.border = pg.mkPen(palette.color(QPalette.ColorRole.Mid))
