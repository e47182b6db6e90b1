"""Work queue semantics: upstream's queue_test.go, delaying_queue_test.go and the worker."""

from __future__ import annotations

import pytest

from minik8s.client.workqueue import (
    ItemExponentialFailureRateLimiter,
    RateLimitingQueue,
    WorkQueue,
)
from minik8s.sim.loop import EventLoop


def run_script(queue: WorkQueue, script: str) -> None:
    """`add a`, `get a` (expect a), `get -` (expect None), `done a`, `len 2`, `shutdown`."""
    for step in script.split(";"):
        op, _, arg = step.strip().partition(" ")
        if op == "add":
            queue.add(arg)
        elif op == "get":
            assert queue.get() == (None if arg == "-" else arg), step
        elif op == "done":
            queue.done(arg)
        elif op == "len":
            assert len(queue) == int(arg), step
        elif op == "shutdown":
            queue.shut_down()
        else:  # pragma: no cover - a typo in a table
            raise AssertionError(step)


# The dirty/processing table: TestLen, TestReinsert, TestAddWhileProcessing, shutdown cases.
DIRTY_PROCESSING = {
    "len counts unique items (TestLen)": "add foo; len 1; add bar; len 2; add foo; len 2",
    "FIFO order": "add a; add b; add a; get a; get b; get -",
    "empty get returns None": "get -; len 0",
    "re-add while processing waits for done (TestReinsert)": (
        "add foo; get foo; add foo; len 0; get -; done foo; len 1; get foo; done foo; len 0"
    ),
    "many re-adds while processing queue once": "add a; get a; add a; add a; add a; done a; len 1",
    "done without re-add leaves nothing": "add a; get a; done a; len 0; get -",
    "re-added item goes behind others": "add a; add b; get a; add a; done a; get b; get a",
    "queued item added again stays put": "add a; add b; add a; len 2; get a; get b",
    "done of an unknown item is a no-op": "done x; len 0",
    "shut down ignores adds but drains (TestBasic)": "add a; shutdown; add b; len 1; get a; get -",
    "shut down: dirty item is not re-queued": "add a; get a; shutdown; add a; done a; len 0",
    "dirty before shutdown comes back on done": (
        "add foo; get foo; add foo; shutdown; done foo; get foo"
    ),
}


@pytest.mark.parametrize("script", DIRTY_PROCESSING.values(), ids=DIRTY_PROCESSING.keys())
def test_dirty_processing_table(script: str) -> None:
    run_script(WorkQueue("t"), script)


def test_on_add_fires_when_an_item_becomes_ready() -> None:
    ready: list[int] = []
    queue = WorkQueue("t", on_add=lambda q: ready.append(len(q)))
    queue.add("a")
    queue.add("a")
    item = queue.get()
    queue.add("a")  # processing: not ready yet
    assert ready == [1]
    queue.done(item)
    assert ready == [1, 1]


def test_is_processing_and_repr() -> None:
    queue = WorkQueue("pods")
    queue.add("a")
    assert repr(queue) == "<WorkQueue pods len=1 processing=0>"
    queue.get()
    assert queue.is_processing("a")
    assert repr(queue) == "<WorkQueue pods len=0 processing=1>"


# -- delaying queue (delaying_queue_test.go) ------------------------------------------------------
def make_queue(limiter=None) -> tuple[EventLoop, RateLimitingQueue]:
    loop = EventLoop()
    return loop, RateLimitingQueue(loop, limiter or ItemExponentialFailureRateLimiter(), name="t")


def test_simple_add_after() -> None:
    loop, q = make_queue()
    q.add_after("foo", 0.050)
    assert len(q) == 0
    loop.run(until=0.049)
    assert len(q) == 0
    loop.run(until=0.060)
    assert len(q) == 1
    q.done(q.get())
    loop.run(until=10)
    assert len(q) == 0


def test_deduping_keeps_the_earlier_time() -> None:
    loop, q = make_queue()
    q.add_after("foo", 0.050)
    q.add_after("foo", 0.070)
    loop.run(until=0.060)
    assert len(q) == 1
    q.done(q.get())
    loop.run(until=0.080)
    assert len(q) == 0  # the 70ms add was folded into the 50ms one
    q.add_after("foo", 0.050)
    q.add_after("foo", 0.030)
    assert q.waiting() == ["foo"]
    loop.run(until=loop.now + 0.040)
    assert len(q) == 1
    q.done(q.get())
    loop.run(until=loop.now + 0.020)
    assert len(q) == 0


def test_add_two_fire_early_and_copy_shifting() -> None:
    loop, q = make_queue()
    q.add_after("foo", 1.0)
    q.add_after("bar", 0.050)
    loop.run(until=0.060)
    assert q.get() == "bar"
    q.add_after("baz", 2.0)
    loop.run(until=1.060)
    assert q.get() == "foo"
    loop.run(until=3.060)
    assert q.get() == "baz"

    loop, q = make_queue()
    q.add_after("foo", 1.0)
    q.add_after("bar", 0.5)
    q.add_after("baz", 0.25)
    loop.run(until=2.0)
    assert [q.get(), q.get(), q.get()] == ["baz", "bar", "foo"]


def test_add_after_non_positive_adds_now_and_shutdown_drops_waiting() -> None:
    loop, q = make_queue()
    q.add_after("a", 0)
    assert len(q) == 1
    q.add_after("b", 5)
    q.shut_down()
    loop.run()
    assert q.items() == ["a"]
    assert loop.now == 0  # the cancelled timer never ran


# -- rate limiting queue (rate_limiting_queue_test.go) --------------------------------------------
def test_rate_limiting_queue_delays() -> None:
    loop, q = make_queue(ItemExponentialFailureRateLimiter(0.001, 1.0))
    q.add_rate_limited("one")
    assert q._waiting["one"].when == pytest.approx(0.001)
    q.add_rate_limited("one")  # 2ms is later than the pending 1ms: the earlier wins
    assert q.num_requeues("one") == 2
    q.add_rate_limited("two")
    q.add_rate_limited("two")
    assert q.num_requeues("two") == 2
    q.forget("one")
    assert q.num_requeues("one") == 0
    loop.run()
    assert q.items() == ["one", "two"]


# -- the worker: processNextWorkItem --------------------------------------------------------------
def test_process_forgets_on_success_and_backs_off_on_error() -> None:
    loop, q = make_queue()
    calls: list[tuple[float, str]] = []
    failures = {"bad": 3}

    def sync(key: str) -> None:
        calls.append((round(loop.now, 6), key))
        if failures.get(key, 0) > 0:
            failures[key] -= 1
            raise RuntimeError(f"{key} failed")

    q.process(sync)
    q.add("good")
    q.add("bad")
    loop.run()
    assert calls == [(0, "good"), (0, "bad"), (0.005, "bad"), (0.015, "bad"), (0.035, "bad")]
    assert q.num_requeues("bad") == 0  # forgotten after the final success
    assert q.last_error == {}


def test_process_requeue_after_and_error_hook() -> None:
    loop, q = make_queue()
    seen: list[tuple[float, str]] = []
    errors: list[str] = []
    q.on_error = lambda item, exc: errors.append(f"{item}: {exc}")

    def sync(key: str) -> float | None:
        seen.append((loop.now, key))
        if key == "boom" and loop.now == 0:
            raise ValueError("no")
        return 30.0 if key == "periodic" and loop.now < 60 else None

    q.process(sync)
    q.add("periodic")
    q.add("boom")
    loop.run()
    assert seen == [
        (0, "periodic"),
        (0, "boom"),
        (0.005, "boom"),
        (30, "periodic"),
        (60, "periodic"),
    ]
    assert errors == ["boom: no"]


def test_process_re_add_during_handler_runs_again_after_done() -> None:
    loop, q = make_queue()
    seen: list[str] = []

    def sync(key: str) -> None:
        seen.append(key)
        if len(seen) == 1:
            q.add(key)  # an event arrived while reconciling
            assert q.get() is None  # never handed out twice at once

    q.process(sync)
    q.add("a")
    loop.run()
    assert seen == ["a", "a"]


def test_process_one_item_per_loop_callback() -> None:
    """Work that the first reconcile causes (a watch event) runs before the next key."""
    loop, q = make_queue()
    order: list[str] = []

    def sync(key: str) -> None:
        order.append(key)
        if key == "a":
            loop.call_soon(order.append, "event")

    q.process(sync)
    q.add("a")
    q.add("b")
    loop.run()
    assert order == ["a", "event", "b"]


def test_worker_runs_after_the_events_of_its_instant() -> None:
    """Keys added by the events of one instant are deduplicated before the worker runs."""
    loop, q = make_queue()
    order: list[str] = []
    q.process(order.append)
    loop.call_soon(q.add, "a")
    loop.call_soon(order.append, "event")
    loop.call_soon(q.add, "a")
    loop.call_at(0.0, q.add, "b")
    loop.call_at(1.0, order.append, "later")
    loop.run()
    assert order == ["event", "a", "b", "later"]


def test_tracer_reports_reconcile_and_retry() -> None:
    from minik8s.trace import Tracer

    loop = EventLoop()
    tracer = Tracer(lambda: loop.now)
    tracer.enabled = True
    q = RateLimitingQueue(
        loop, ItemExponentialFailureRateLimiter(), name="deployment", tracer=tracer
    )
    attempts: list[str] = []

    def sync(key: str) -> None:
        attempts.append(key)
        if len(attempts) == 1:
            raise RuntimeError("conflict")

    q.process(sync)
    q.add("shop/web")
    loop.run()
    assert tracer.lines == [
        "[   0.000s] deployment                   reconcile shop/web",
        "[   0.000s] deployment                   retry shop/web in 0.005s: conflict",
        "[   0.005s] deployment                   reconcile shop/web",
    ]


def test_background_add_after_does_not_keep_settle_busy() -> None:
    loop, q = make_queue()
    q.add_after("periodic", 30, background=True)
    q.add_after("retry", 1)
    assert loop.settle() == 1  # waits for the foreground retry only
    assert q.items() == ["retry"]
    loop.run(until=31)
    assert q.items() == ["retry", "periodic"]
