"""Named points where the fault tests (tests/faults) kill this process, as a kill -9 would.

`fault_point(name)` does nothing unless the environment variable CUSTODE_FAULT names that point;
then it kills the process the first time it is reached, or, with CUSTODE_FAULT_SKIP=N, the
(N+1)th time (the tenth object a backup writes, say).
"""

from __future__ import annotations

import os
import signal
import threading

_reached: dict[str, int] = {}
_lock = threading.Lock()


def fault_point(name: str) -> None:
    """Die here, as a kill -9 would, when CUSTODE_FAULT names this point (tests/faults only)."""
    if os.environ.get("CUSTODE_FAULT") != name:
        return
    with _lock:
        _reached[name] = _reached.get(name, 0) + 1
        if _reached[name] > int(os.environ.get("CUSTODE_FAULT_SKIP", "0")):
            os.kill(os.getpid(), signal.SIGKILL)
