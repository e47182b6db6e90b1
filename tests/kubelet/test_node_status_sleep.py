"""The kubelet's node status timer sleeps while an update could find nothing to post (the Node
unchanged since it last found nothing, the five-minute report not due), and the watch cache
wakes it when the Node changes. That changes nothing: a cluster whose timers sleep and one whose
timers run every 10 s end in the same state, write for write, after every step."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from minik8s import Cluster
from minik8s.kubelet.node_status import NodeStatusManager
from tests.controllers.test_node_lifecycle_fast_path import STEPS, assert_plays_alike


def never_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every tick runs the update, as upstream's `wait.Until` does."""
    monkeypatch.setattr(NodeStatusManager, "_sleep", lambda self: None)


def status_updates(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, float]]:
    """(node, instant) of every node status update of the kubelets started from now on."""
    runs: list[tuple[str, float]] = []
    update = NodeStatusManager.update_status

    def counted(self: NodeStatusManager, force: bool = False) -> Any:
        runs.append((self.node_name, self.loop.now))
        return update(self, force)

    monkeypatch.setattr(NodeStatusManager, "update_status", counted)
    return runs


def test_an_idle_node_runs_its_status_update_once_per_report(monkeypatch: pytest.MonkeyPatch):
    runs = status_updates(monkeypatch)  # (before the kubelets bind their timers)
    c = Cluster(nodes=1, seed=2)
    c.run(400)
    runs.clear()
    c.run(600)  # two five-minute reports; each also wakes the timer once, a period early
    mine = [at for name, at in runs if name == "node-1"]
    assert 2 <= len(mine) <= 6, mine  # against 60 ticks
    runs.clear()
    c.kubectl("label node node-1 tier=gold")  # another writer changes the Node: wake up
    c.run(10)
    assert [name for name, _ in runs] == ["node-1"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STEPS, min_size=1, max_size=12))
@example([("fail", "node-1"), ("run", 60), ("recover", "node-1"), ("run", 20), ("run", 300)])
@example([("zone", "node-2", "a"), ("run", 7), ("cordon", "node-2"), ("run", 303)])
@example([("remove", "node-2"), ("run", 15), ("add", "node-2"), ("run", 320)])
@example([("run", 45), ("scribble", "node-1"), ("run", 10), ("run", 10)])  # written back
def test_sleeping_status_timers_change_nothing(steps):
    assert_plays_alike(steps, never_sleep)
