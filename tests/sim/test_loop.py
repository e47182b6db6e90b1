"""The event loop: order, virtual time, cancellation, background timers, settle."""

from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.sim import EPOCH, EventLoop


def test_callbacks_run_in_time_order_and_clock_jumps():
    loop, seen = EventLoop(), []
    loop.call_later(5, lambda: seen.append(("b", loop.now)))
    loop.call_later(1, lambda: seen.append(("a", loop.now)))
    assert loop.run() == 2
    assert seen == [("a", 1.0), ("b", 5.0)]
    assert loop.now == 5.0


def test_ties_break_by_insertion_order():
    loop, seen = EventLoop(), []
    for name in "xyz":
        loop.call_at(3, seen.append, name)
    loop.call_soon(seen.append, "soon")
    loop.run()
    assert seen == ["soon", "x", "y", "z"]


def test_call_soon_from_a_callback_runs_after_work_already_due():
    loop, seen = EventLoop(), []
    loop.call_soon(lambda: (seen.append(1), loop.call_soon(seen.append, 3)))
    loop.call_soon(seen.append, 2)
    loop.run()
    assert seen == [1, 2, 3]


def test_run_until_stops_at_the_bound_and_sets_the_clock():
    loop, seen = EventLoop(), []
    loop.call_later(10, seen.append, "late")
    assert loop.run(until=4) == 0
    assert loop.now == 4.0 and seen == []
    loop.run_for(6)
    assert seen == ["late"] and loop.now == 10.0


def test_cancelled_timers_never_run_and_do_not_keep_the_loop_busy():
    loop, seen = EventLoop(), []
    timer = loop.call_later(1, seen.append, "no")
    assert loop.busy()
    timer.cancel()
    assert not loop.busy()
    loop.run()
    assert seen == [] and "cancelled" in repr(timer)


def test_settle_stops_when_only_background_timers_remain():
    loop, beats = EventLoop(), []

    def heartbeat():
        beats.append(loop.now)
        loop.call_later(10, heartbeat, background=True)

    loop.call_later(10, heartbeat, background=True)
    loop.call_later(25, lambda: None)
    assert loop.settle() == 25
    assert beats == [10.0, 20.0]
    assert not loop.busy()


def test_settle_gives_up_after_its_timeout():
    loop = EventLoop()

    def forever():
        loop.call_later(1, forever)

    forever()
    assert loop.settle(timeout=5) == 5
    assert loop.busy()


def test_timestamps_start_at_the_epoch():
    loop = EventLoop()
    assert EPOCH == datetime(2025, 1, 1, tzinfo=timezone.utc)
    loop.run_for(61.5)
    assert loop.timestamp() == "2025-01-01T00:01:01Z"
    assert loop.parse_timestamp("2025-01-01T00:01:01Z") == 61.0
    assert repr(loop) == "<EventLoop t=61.5s 2025-01-01T00:01:01Z pending=0>"


def test_same_seed_same_random_choices():
    assert EventLoop(seed=7).rng.random() == EventLoop(seed=7).rng.random()
    assert EventLoop(seed=7).rng.random() != EventLoop(seed=8).rng.random()


@given(st.lists(st.tuples(st.floats(0, 100, allow_nan=False), st.booleans()), max_size=40))
def test_order_is_time_then_insertion(entries):
    loop, seen = EventLoop(), []
    for index, (when, cancel) in enumerate(entries):
        timer = loop.call_at(when, seen.append, (when, index))
        if cancel:
            timer.cancel()
    loop.run()
    expected = sorted((w, i) for i, (w, c) in enumerate(entries) if not c)
    assert seen == expected
    assert not loop.busy()


def test_call_idle_runs_after_everything_else_due_at_its_instant():
    loop = EventLoop()
    order: list[str] = []
    loop.call_at(1.0, order.append, "timer at 1")
    loop.call_idle(order.append, "idle")
    loop.call_soon(order.append, "soon")
    loop.call_at(0.0, order.append, "timer at 0")

    def soon_then_idle() -> None:
        order.append("second soon")
        loop.call_idle(order.append, "idle from soon")
        loop.call_soon(order.append, "soon from soon")

    loop.call_soon(soon_then_idle)
    assert loop.pending() == 5 and loop.next_time() == 0.0
    loop.run()
    assert order == [
        "soon",
        "timer at 0",
        "second soon",
        "soon from soon",
        "idle",
        "idle from soon",
        "timer at 1",
    ]


def test_idle_work_keeps_settle_busy_and_can_be_cancelled():
    loop = EventLoop()
    seen: list[str] = []
    loop.call_idle(seen.append, "idle").cancel()
    assert not loop.busy()
    loop.call_idle(seen.append, "kept")
    assert loop.busy()
    loop.settle()
    assert seen == ["kept"] and not loop.busy()


# A program for the loop: each step schedules a timer at a delay (some from inside a callback),
# possibly in its delay's FIFO, or cancels an earlier timer.
STEP = st.tuples(
    st.sampled_from([0.5, 1.0, 2.0, 60.0, 3.25]),  # delay
    st.booleans(),  # background
    st.integers(0, 3),  # 0: schedule now, 1–2: schedule from a callback, 3: cancel one
)


def _trace(program, fifo: bool, until: float | None = None):
    """Run `program` on a fresh loop, every delayed timer in a FIFO if `fifo`; what ran, when,
    and how many were pending along the way."""
    loop, seen, timers = EventLoop(), [], []

    def schedule(index: int, delay: float, background: bool) -> None:
        def ran() -> None:
            seen.append((index, loop.now, loop.pending()))
            if index + 1 < len(program) and program[index + 1][2] in (1, 2):
                schedule(index + 1, *program[index + 1][:2])

        timers.append(loop.call_later(delay, ran, background=background, fifo=fifo and delay > 0))

    for index, (delay, background, how) in enumerate(program):
        if how == 0:
            schedule(index, delay, background)
        elif how == 3 and timers:
            timers[index % len(timers)].cancel()
    loop.run(until=until)
    return seen, loop.now, loop.pending(), loop.next_time()


@given(st.lists(STEP, max_size=40), st.sampled_from([None, 1.0, 2.5, 61.0]))
def test_fifo_timers_run_exactly_as_heap_timers_do(program, until):
    assert _trace(program, True, until) == _trace(program, False, until)


def test_fifo_timers_share_one_heap_entry_per_delay():
    loop, seen = EventLoop(), []
    for i in range(5):
        loop.call_later(60, seen.append, i, background=True, fifo=True)
    first = loop.call_later(10, seen.append, "x", fifo=True)
    assert len(loop._timers) == 2 and loop.pending() == 6
    first.cancel()
    loop.run()
    assert seen == [0, 1, 2, 3, 4] and loop.now == 60 and not loop._timers


def test_a_fifo_timer_needs_a_positive_delay():
    with pytest.raises(ValueError, match="positive delay"):
        EventLoop().call_later(0, print, fifo=True)
