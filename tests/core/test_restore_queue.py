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
