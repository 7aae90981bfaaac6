"""Run the command line in a child process and learn the child's own peak memory.

`ru_maxrss` from wait4 will not do: Linux carries a process's high-water mark across exec, so a
child started by a large test process reports at least the parent's size. The child here reads
its own `VmHWM` from /proc/self/status as it exits and writes it to a file.

    python -m tests.helpers.peak OUTFILE ARGS...   runs `python -m app ARGS...`
"""

from __future__ import annotations

import atexit
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_measured(env: dict[str, str], out: Path, *args: str,
                 timeout: float = 240) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run `custode ARGS`; return the finished process and its peak resident memory in bytes."""
    out.unlink(missing_ok=True)
    result = subprocess.run([sys.executable, "-m", "tests.helpers.peak", str(out), *args], env=env,
                            capture_output=True, text=True, cwd=ROOT, check=False, timeout=timeout)
    peak = int(out.read_text()) if out.exists() else -1
    return result, peak


def _report(out: str) -> None:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            Path(out).write_text(str(int(line.split()[1]) * 1024))


if __name__ == "__main__":
    target = sys.argv.pop(1)
    atexit.register(_report, target)
    sys.argv[0] = "custode"
    runpy.run_module("app", run_name="__main__", alter_sys=True)
