"""The restore's work queue: workers spread over tables, and nothing is handed out twice."""

from __future__ import annotations

from app.core.restore import TableQueue

BIG, MIDDLE, SMALL = ("s", "big"), ("s", "middle"), ("s", "small")


def _queue() -> TableQueue[str]:
    queue: TableQueue[str] = TableQueue()
    queue.add(BIG, ["big-0", "big-1", "big-2", "big-3"])
    queue.add(MIDDLE, ["middle-0", "middle-1"])
    queue.add(SMALL, ["small-0"])
    return queue


def test_two_workers_load_different_tables_while_there_are_two() -> None:
    queue = _queue()
    first, second = queue.take(None), queue.take(None)
    assert (first, second) == ("big-0", "middle-0")   # biggest first, then a table nobody loads
    assert queue.take(BIG) == "big-1"                 # the first worker stays on its table
    assert queue.take(MIDDLE) == "middle-1"
    assert queue.take(MIDDLE) == "small-0"            # middle is done: the next free table
    # Only the big table has work left: both workers share it, in order.
    assert [queue.take(BIG), queue.take(SMALL), queue.take(BIG)] == ["big-2", "big-3", None]
    assert len(queue) == 0


def test_every_item_is_handed_out_once_in_table_order() -> None:
    queue = _queue()
    taken: list[str] = []
    previous: list[tuple[str, str] | None] = [None, None, None]
    worker = 0
    while (item := queue.take(previous[worker])) is not None:
        taken.append(item)
        previous[worker] = {"big": BIG, "middle": MIDDLE, "small": SMALL}[item.split("-")[0]]
        worker = (worker + 1) % 3
    assert sorted(taken) == sorted(["big-0", "big-1", "big-2", "big-3", "middle-0", "middle-1",
                                    "small-0"])
    for table in ("big", "middle"):
        mine = [t for t in taken if t.startswith(table)]
        assert mine == sorted(mine)   # a table's objects load in their order


def test_an_object_with_a_long_row_loads_alone() -> None:
    # Two long rows written at once hung MariaDB's checkpoint (docs/ARCHITECTURE.md, Restore):
    # a heavy load waits for the loads in progress, and loads that come after wait for it.
    import threading
    import time

    from app.core.restore import LoadGate
    gate = LoadGate()
    running: list[str] = []
    overlaps: list[tuple[str, ...]] = []
    lock = threading.Lock()

    def load(name: str, heavy: bool, hold: float) -> None:
        with gate.enter(heavy):
            with lock:
                running.append(name)
                if len(running) > 1 and any(n.startswith("heavy") for n in running):
                    overlaps.append(tuple(running))
            time.sleep(hold)
            with lock:
                running.remove(name)

    first = threading.Thread(target=load, args=("small-0", False, 0.3))
    first.start()
    time.sleep(0.05)
    threads = [threading.Thread(target=load, args=("heavy-0", True, 0.2))]
    threads[0].start()
    time.sleep(0.05)   # the heavy one now waits: a later small one must wait behind it
    threads += [threading.Thread(target=load, args=(f"{kind}-{i}", kind == "heavy", 0.1))
                for i, kind in enumerate(("small", "heavy", "small"), 1)]
    for thread in threads[1:]:
        thread.start()
    for thread in [first, *threads]:
        thread.join(5)
    assert not any(t.is_alive() for t in [first, *threads])
    assert overlaps == []
    assert LoadGate.is_heavy({"max_frame": 5 << 20}, {"size": 5 << 20})
    assert not LoadGate.is_heavy({"max_frame": 5 << 20}, {"size": 1 << 20})
    assert not LoadGate.is_heavy({"max_frame": 1 << 20}, {"size": 16 << 20})
