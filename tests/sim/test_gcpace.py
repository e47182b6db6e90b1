"""Full garbage collections paced like Go's while the loop runs (`minik8s.sim.gcpace`)."""

import gc
import weakref

import pytest

from minik8s.sim import EventLoop
from minik8s.sim.gcpace import CHECK_EVERY, PACER, GCPacer


@pytest.fixture
def thresholds():
    saved, enabled = gc.get_threshold(), gc.isenabled()
    gc.set_threshold(700, 10, 10)
    gc.enable()
    yield
    gc.set_threshold(*saved)
    if not enabled:
        gc.disable()


class Cycle:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def collector() -> tuple[bool, tuple[int, int, int]]:
    return gc.isenabled(), gc.get_threshold()


def test_automatic_collections_are_off_while_the_loop_runs_and_back_after(thresholds):
    loop, seen = EventLoop(), []
    loop.call_later(1, lambda: seen.append(collector()))
    loop.call_later(2, lambda: seen.append(collector()))
    loop.run()
    loop.call_later(1, lambda: seen.append(collector()))
    loop.settle()
    assert seen == [(False, (700, 10, 10))] * 3
    assert collector() == (True, (700, 10, 10))


def test_a_run_inside_a_run_keeps_the_pacing_until_the_outer_one_ends(thresholds):
    outer, inner, seen = EventLoop(), EventLoop(), []
    inner.call_later(1, lambda: seen.append(collector()))
    outer.call_later(1, inner.run)
    outer.call_later(2, lambda: seen.append(collector()))
    outer.run()
    assert seen == [(False, (700, 10, 10))] * 2
    assert collector() == (True, (700, 10, 10))


def test_a_disabled_collector_is_left_alone(thresholds):
    gc.disable()
    loop, seen = EventLoop(), []
    loop.call_later(1, lambda: seen.append((gc.isenabled(), gc.get_threshold())))
    loop.run()
    assert seen == [(False, (700, 10, 10))] and not gc.isenabled()
    gc.set_threshold(0, 10, 10)  # a first threshold of 0 turns automatic collection off too
    gc.enable()
    loop.call_later(1, lambda: seen.append(gc.get_threshold()))
    loop.run()
    assert seen[-1] == (0, 10, 10)


def test_an_exception_in_a_callback_restores_the_thresholds(thresholds):
    loop = EventLoop()
    loop.call_later(1, lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        loop.run()
    assert collector() == (True, (700, 10, 10))


def test_the_loop_collects_once_the_heap_has_doubled(thresholds):
    loop, before = EventLoop(), PACER.collections
    refs: list[weakref.ref] = []

    def garbage() -> None:
        cycle = Cycle()
        refs.append(weakref.ref(cycle))
        PACER.goal = 0  # as if the heap had doubled since the last full collection
        PACER.skip = 0  # and the next check looked at it

    loop.call_later(1, garbage)
    for _ in range(CHECK_EVERY):
        loop.call_later(2, lambda: None)
    loop.run()
    assert PACER.collections == before + 1
    assert refs[0]() is None  # the cycle was freed
    assert PACER.goal > 0


def test_check_outside_a_run_does_nothing(thresholds):
    pacer = GCPacer()
    pacer.goal = 0
    pacer.check()
    assert pacer.collections == 0
    assert repr(pacer) == "<GCPacer collections=0 active=False>"


def test_a_large_heap_is_looked_at_less_often(thresholds, monkeypatch):
    import minik8s.sim.gcpace as gcpace

    looks: list[int] = []

    def blocks() -> int:
        looks.append(1)
        return 300 * gcpace.BLOCKS_PER_STEP * CHECK_EVERY // 100  # 3 checks' worth of steps

    monkeypatch.setattr(gcpace.sys, "getallocatedblocks", blocks)
    pacer = GCPacer()
    with pacer:
        pacer.goal = 1 << 62  # no collection: only looks
        looks.clear()  # (entering looked once)
        for _ in range(9):
            pacer.check()
    assert len(looks) == 3  # one look, three checks passed over, and so on
    assert pacer.collections == 0


def test_a_rollout_and_its_steady_state_leave_no_cyclic_garbage(thresholds):
    # Why the pacer may turn the young collections off: they would find nothing.
    import minik8s

    cluster = minik8s.Cluster(nodes=3, seed=0)
    gc.collect()
    gc.disable()
    labels = {"app": "web"}
    container = {"name": "web", "image": "registry.k8s.io/pause:3.10"}
    spec = {"replicas": 12, "selector": {"matchLabels": labels}}
    spec["template"] = {"metadata": {"labels": labels}, "spec": {"containers": [container]}}
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}}
    cluster.apply({**deployment, "spec": spec})
    cluster.run(5)
    assert len(cluster.get("pods", namespace="default")) == 12
    assert gc.collect() == 0
    cluster.run(600)  # Leases, node status, the controllers' resyncs
    assert gc.collect() == 0


def test_collections_that_find_nothing_wait_longer_for_the_next(thresholds, monkeypatch):
    import minik8s.sim.gcpace as gcpace

    heap = [gcpace.MIN_GOAL]
    found: list[int] = []
    monkeypatch.setattr(gcpace.sys, "getallocatedblocks", lambda: heap[0])
    monkeypatch.setattr(gcpace.gc, "collect", lambda: found.pop(0))
    pacer, goals = GCPacer(), []
    with pacer:
        for garbage in (0, 0, 0, 0, 0, 7, 0):
            found.append(garbage)
            heap[0] = pacer.goal + 1  # grown just past the goal
            pacer.skip = 0
            pacer.check()
            goals.append(pacer.goal // heap[0])
    assert goals == [4, 8, 16, 16, 16, 2, 4]
    assert pacer.collections == 7 and not found
