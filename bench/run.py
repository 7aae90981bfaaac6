"""Benchmark Custode against mariadb-dump | gzip and mydumper/myloader on the same data.

    python -m bench.run [--shape mixed|many-tables|many-databases|big-rows|huge-row] [--size-mb 1000]
                        [--tables 5000] [--rounds 3] [--jobs 2]

Starts two throwaway MariaDB servers (source and target) in a temporary folder, generates the
data set of bench/dataset.py on the source, then for each round runs every backup tool and every
restore tool one after the other (so machine noise spreads over all of them), checks that each
restore is identical to the source (row counts and CHECKSUM TABLE: both servers are the same
build), and prints medians, ratios and Custode's peak memory as a Markdown table. During every
backup a probe inserts a row into another database every 20 ms and records the longest wait: how
long the tool stalled the server's writers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from app.core.jobs import default_backup_jobs
from app.core.localserver import LocalServer, find_program
from bench.dataset import SHAPES, generate_shape

ROOT = Path(__file__).resolve().parents[1]


def run(command: list[str] | str, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Run a command (a shell pipeline when a string); return seconds and peak RSS in KB."""
    started = time.monotonic()
    if isinstance(command, str):   # a pipeline fails when any of its commands does
        command = ["bash", "-o", "pipefail", "-c", command]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"benchmark step failed ({process.returncode}): {command}\n{error}")
    return elapsed, usage.ru_maxrss


def table_state(server: LocalServer, databases: list[str]) -> dict[str, tuple[int, int]]:
    """Row count and CHECKSUM TABLE of every table of the databases (and the objects' count)."""
    connection = server.connect()
    try:
        with connection.cursor() as cursor:
            state = {}
            for database in databases:
                cursor.execute("SELECT TABLE_NAME FROM information_schema.TABLES "
                               "WHERE TABLE_SCHEMA=%s AND TABLE_TYPE='BASE TABLE'", (database,))
                tables = sorted(r[0] for r in cursor.fetchall())
                for table in tables:
                    cursor.execute(f"SELECT COUNT(*) FROM `{database}`.`{table}`")
                    count = cursor.fetchone()[0]
                    cursor.execute(f"CHECKSUM TABLE `{database}`.`{table}`")
                    state[f"{database}.{table}"] = (count, cursor.fetchone()[1])
                cursor.execute("SELECT (SELECT COUNT(*) FROM information_schema.VIEWS WHERE "
                               "TABLE_SCHEMA=%s), (SELECT COUNT(*) FROM information_schema.TRIGGERS "
                               "WHERE EVENT_OBJECT_SCHEMA=%s)", (database, database))
                state[f"{database} views, triggers"] = tuple(cursor.fetchone())
            return state
    finally:
        connection.close()


def drop(server: LocalServer, databases: list[str]) -> None:
    connection = server.connect()
    with connection.cursor() as cursor:
        for database in databases:
            cursor.execute(f"DROP DATABASE IF EXISTS `{database}`")
    connection.close()


class StallProbe:
    """Inserts a row into `zprobe.beats` every 20 ms while a tool runs; the longest insert."""

    def __init__(self, server: LocalServer) -> None:
        self.connection = server.connect()
        with self.connection.cursor() as cursor:
            cursor.execute("CREATE DATABASE IF NOT EXISTS zprobe")
            cursor.execute("CREATE TABLE IF NOT EXISTS zprobe.beats (id BIGINT AUTO_INCREMENT "
                           "PRIMARY KEY, at DOUBLE)")
        self.longest = 0.0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True)

    def _beat(self) -> None:
        with self.connection.cursor() as cursor:
            while not self.stop.is_set():
                started = time.monotonic()
                cursor.execute("INSERT INTO zprobe.beats (at) VALUES (%s)", (started,))
                self.connection.commit()
                self.longest = max(self.longest, time.monotonic() - started)
                self.stop.wait(0.02)

    def __enter__(self) -> StallProbe:
        self.longest = 0.0
        self.stop.clear()
        self.thread = threading.Thread(target=self._beat, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shape", choices=SHAPES, default="mixed",
                        help="the data: the mixed 1 GB of record, thousands of small tables in "
                             "one database or in many, or 1 MiB rows (and one of 100 MiB)")
    parser.add_argument("--size-mb", type=float, default=1000,
                        help="mixed, big-rows, huge-row: the size (of the 1 MiB rows)")
    parser.add_argument("--tables", type=int, default=5000,
                        help="many-tables and many-databases: how many tables")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2,
                        help="peers' threads (-t), and a Custode run with as many connections")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    for tool in ("mariadb-dump", "mariadb", "mydumper", "myloader", "gzip"):
        if not find_program(tool):
            raise SystemExit(f"{tool} is missing: apt-get install mariadb-client mydumper gzip")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="custode-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    source, target = LocalServer(work / "source"), LocalServer(work / "target")
    source.start()
    target.start()
    try:
        return _bench(args, work, source, target)
    finally:
        source.stop()
        target.stop()
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


def _bench(args: argparse.Namespace, work: Path, source: LocalServer, target: LocalServer) -> int:
    connection = source.connect()
    started = time.monotonic()
    databases = generate_shape(connection, args.shape, args.size_mb, args.tables)
    listed = ", ".join(f"'{d}'" for d in databases)
    with connection.cursor() as cursor:
        if args.shape in ("mixed", "big-rows", "huge-row"):
            cursor.execute("ANALYZE TABLE bench.narrow, bench.texts, bench.blobs, bench.nokey, "
                           "bench.wide" if args.shape == "mixed" else "ANALYZE TABLE bench.docs")
            cursor.fetchall()
        cursor.execute("SELECT SUM(DATA_LENGTH + INDEX_LENGTH), COUNT(*), SUM(TABLE_ROWS) FROM "
                       f"information_schema.TABLES WHERE TABLE_SCHEMA IN ({listed})")
        size, tables, rows = (int(v or 0) for v in cursor.fetchone())
    connection.close()
    print(f"data set {args.shape}: {size / 1e6:.0f} MB of InnoDB data, {len(databases)} databases, "
          f"{tables} tables, about {rows} rows, built in {time.monotonic() - started:.0f} s",
          flush=True)
    reference = table_state(source, databases)
    client = [find_program("mariadb") or "mariadb", "--no-defaults", "--max-allowed-packet=1G"]
    dump = [find_program("mariadb-dump") or "mariadb-dump", "--no-defaults", "--max-allowed-packet=1G"]
    env = {**os.environ, "CUSTODE_PASSWORD": "bench", "PYTHONPATH": str(ROOT)}
    custode = [sys.executable, "-m", "app"]
    j = str(args.jobs)
    selection = ["--databases", ",".join(databases)]
    # mydumper 0.10 takes one -B; more databases are chosen with a regular expression.
    chosen = (["-B", databases[0]] if len(databases) == 1
              else ["--regex", "^(" + "|".join(databases) + ")\\."])
    results: dict[str, list[float]] = {}
    memory: dict[str, int] = {}
    stalls: dict[str, float] = {}
    identical: dict[str, bool] = {}
    stored: dict[str, int] = {}
    probe = StallProbe(source)

    def timed(name: str, step: Callable[[], tuple[float, int]]) -> None:
        with probe:
            seconds, rss = step()
        results.setdefault(name, []).append(seconds)
        memory[name] = max(memory.get(name, 0), rss)
        if name.startswith("backup"):
            stalls[name] = max(stalls.get(name, 0.0), probe.longest)
        print(f"  {name}: {seconds:.1f} s, peak RSS {rss // 1024} MB, longest write "
              f"{probe.longest * 1000:.0f} ms", flush=True)

    def check(name: str) -> None:
        identical[name] = identical.get(name, True) and table_state(target, databases) == reference
        drop(target, databases)

    for round_number in range(1, args.rounds + 1):
        print(f"round {round_number}", flush=True)
        repo = work / f"repo{round_number}"
        shutil.rmtree(repo, ignore_errors=True)
        shutil.rmtree(work / "mydumper", ignore_errors=True)
        env["CUSTODE_REPO"] = str(repo)
        run([*custode, "init"], env)
        gz = work / "dump.sql.gz"
        timed("backup: custode", lambda: run(
            [*custode, "backup", *selection, "--server", source.url], env))
        stored["custode"] = sum(f.stat().st_size for f in repo.rglob("*") if f.is_file())
        stored["custode files"] = sum(1 for f in repo.rglob("*") if f.is_file())
        if int(j) != default_backup_jobs():
            shutil.rmtree(repo)
            run([*custode, "init"], env)
            timed(f"backup: custode -j {j}", lambda: run(
                [*custode, "backup", *selection, "-j", j, "--server", source.url], env))
        timed("backup: mariadb-dump | gzip -6", lambda gz=gz: run(
            f"{' '.join(dump)} --socket={source.socket} -uroot --single-transaction "
            f"--triggers --routines --events --databases {' '.join(databases)} | gzip -6 > {gz}"))
        stored["mariadb-dump | gzip"] = gz.stat().st_size
        timed("backup: mydumper --compress", lambda: run(
            ["mydumper", "-S", source.socket, "-u", "root", *chosen, "-t", j, "-G", "-E", "-R",
             "--compress", "-o", str(work / "mydumper")]))
        stored["mydumper"] = sum(f.stat().st_size for f in (work / "mydumper").rglob("*"))
        stored["mydumper files"] = sum(1 for _ in (work / "mydumper").rglob("*"))
        timed("restore: custode", lambda: run(
            [*custode, "restore", "latest", "--yes", "-j", j, "--server", target.url], env))
        check("restore: custode")
        timed("restore: zcat | mariadb", lambda gz=gz: run(
            f"zcat {gz} | {' '.join(client)} --socket={target.socket} -uroot"))
        check("restore: zcat | mariadb")
        timed("restore: myloader", lambda: run(
            ["myloader", "-S", target.socket, "-u", "root", "-d", str(work / "mydumper"),
             "-t", j]))
        check("restore: myloader")
        verify = subprocess.run([*custode, "--json", "verify", "latest"], env=env,
                                capture_output=True, text=True, check=True)
        report = json.loads(verify.stdout)
        results.setdefault("verify MB/s", []).append(report["bytes"] / 1e6 / report["seconds"])
        again = subprocess.run([*custode, "--json", "backup", *selection, "-j", j,
                                "--server", source.url], env=env, capture_output=True, text=True,
                               check=True)
        second = json.loads(again.stdout)
        results.setdefault("second backup new bytes %", []).append(
            100 * second["new_bytes"] / stored["custode"])
        shutil.rmtree(repo, ignore_errors=True)
    _print(args, size, results, memory, identical, stored, stalls)
    return 0


def _print(args: argparse.Namespace, size: int, results: dict[str, list[float]],
           memory: dict[str, int], identical: dict[str, bool], stored: dict[str, int],
           stalls: dict[str, float]) -> None:
    med = {name: statistics.median(values) for name, values in results.items()}
    print(f"\n{args.shape}: {size / 1e6:.0f} MB of InnoDB data, {args.rounds} rounds, peers -t {args.jobs}, "
          f"custode backup -j {default_backup_jobs()} (its default) and -j {args.jobs}, restore "
          f"-j {args.jobs}; {os.cpu_count()} cores; medians\n")
    print("| step | median s | custode / this | peak RSS MB | longest write ms | identical restore |")
    print("|---|---|---|---|---|---|")
    for kind in ("backup", "restore"):
        ours = med[f"{kind}: custode"]
        for name in (n for n in med if n.startswith(kind)):
            ratio = "" if name.startswith(f"{kind}: custode") else f"{ours / med[name]:.2f}x"
            equal = med.get(f"{kind}: custode -j {args.jobs}")
            if equal and ratio:
                ratio += f" ({equal / med[name]:.2f}x with -j {args.jobs})"
            same = {True: "yes", False: "NO"}.get(identical.get(name), "") if kind == "restore" else ""
            label = name.replace("|", "\\|")
            stall = f"{stalls[name] * 1000:.0f}" if name in stalls else ""
            print(f"| {label} | {med[name]:.1f} | {ratio} | {memory[name] // 1024} | {stall} | {same} |")
    print("\nstored: " + ", ".join(f"{k} {v}" if k.endswith("files") else f"{k} {v / 1e6:.1f} MB"
                                   for k, v in stored.items()))
    print(f"verify: {med['verify MB/s']:.0f} MB/s; a second backup of unchanged data stored "
          f"{med['second backup new bytes %']:.2f}% new bytes")


if __name__ == "__main__":
    sys.exit(main())
