"""The cyclic garbage collector, run by the GUI thread only, from its event loop.

Python's collector runs in whichever thread happens to allocate when a generation's threshold is
crossed.  In a desktop application that is often a job's thread, which then frees whatever
cyclic garbage the whole program has: a Python-owned widget, menu or worker of the GUI thread,
whose C++ destructor then runs in the job's thread while the GUI thread is inside Qt (the
segmentation fault under load), and a full collection of a large heap there holds the GIL for a
tenth of a second or more, which freezes the window as surely as work on the GUI thread would.

`GuiCollector` turns the automatic collector off and collects from a timer of the GUI thread
instead, with the generation thresholds Python would use (`gc.get_threshold()`), so that cyclic
garbage is only ever freed in the GUI thread, between two events.  A full collection, the one
whose cost grows with the heap, is further held to a small share of the time.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 100          # how often the GUI thread looks at the collector's counts
FULL_DUTY = 0.05           # a full collection takes at most this share of the time
FULL_MIN_GAP = 10.0        # seconds between two full collections at least


class GuiCollector(QObject):
    """Install in the GUI thread; `uninstall` gives the collection back to Python."""

    def __init__(self, interval_ms: int = INTERVAL_MS, full_min_gap: float = FULL_MIN_GAP,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect_due)
        self._full_min_gap = full_min_gap
        self._full_after = 0.0
        self._was_enabled = False
        self.collections = [0, 0, 0]   # how many of each generation it ran

    def install(self) -> None:
        """From now on only this collector (in the GUI thread) frees cyclic garbage."""
        if not self._timer.isActive():
            self._was_enabled = gc.isenabled()
            gc.disable()
            self._timer.start()

    def uninstall(self) -> None:
        """Stop, and let Python collect automatically again if it did before."""
        if self._timer.isActive():
            self._timer.stop()
            if self._was_enabled:
                gc.enable()

    def collect_due(self) -> int | None:
        """Collect the generation Python would have collected by now, if any; returns it."""
        threshold = gc.get_threshold()
        count = gc.get_count()
        if threshold[0] <= 0 or count[0] < threshold[0]:
            return None
        generation = 0
        if count[1] >= threshold[1]:
            generation = 1
            if count[2] >= threshold[2] and time.monotonic() >= self._full_after:
                generation = 2
        started = time.monotonic()
        gc.collect(generation)
        if generation == 2:
            ended = time.monotonic()
            self._full_after = ended + max(self._full_min_gap, (ended - started) / FULL_DUTY)
        self.collections[generation] += 1
        return generation
