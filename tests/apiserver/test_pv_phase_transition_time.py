"""A PersistentVolume's `status.lastPhaseTransitionTime` (PersistentVolumeLastPhaseTransitionTime,
GA in 1.31): set when it is created (phase Pending) and whenever a status write changes the
phase, unless the writer sets a new time itself (upstream `persistentvolumeStrategy`)."""

import pytest

from minik8s.apiserver.server import APIServer
from minik8s.apiserver.status_strategy import phase_transition_time
from minik8s.etcd import Store
from minik8s.sim.loop import EventLoop

PV = {
    "apiVersion": "v1",
    "kind": "PersistentVolume",
    "metadata": {"name": "pv"},
    "spec": {
        "capacity": {"storage": "1Gi"},
        "accessModes": ["ReadWriteOnce"],
        "hostPath": {"path": "/data"},
    },
}


def status_write(api, phase, **extra):
    pv = api.get("persistentvolumes", "pv")
    status = {**pv["status"], "phase": phase, **extra}
    return api.update("persistentvolumes", {**pv, "status": status}, subresource="status")


def test_created_pending_now_and_moved_with_each_phase():
    loop = EventLoop(seed=0)
    api = APIServer(Store(), loop)
    pv = api.create("persistentvolumes", PV)
    assert pv["status"] == {"phase": "Pending", "lastPhaseTransitionTime": "2025-01-01T00:00:00Z"}
    loop.run_for(7)
    assert status_write(api, "Available")["status"]["lastPhaseTransitionTime"] == (
        "2025-01-01T00:00:07Z"
    )
    loop.run_for(5)
    same = status_write(api, "Available", message="still")  # no phase change: the old time
    assert same["status"]["lastPhaseTransitionTime"] == "2025-01-01T00:00:07Z"
    loop.run_for(5)
    bound = status_write(api, "Bound", lastPhaseTransitionTime="2024-12-31T00:00:00Z")
    assert bound["status"]["lastPhaseTransitionTime"] == "2024-12-31T00:00:00Z"  # the writer's


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ({"phase": "Bound", "lastPhaseTransitionTime": "t0"}, {"phase": "Bound"}, "t0"),
        ({"phase": "Bound", "lastPhaseTransitionTime": "t0"}, {"phase": "Released"}, "now"),
        (
            {"phase": "Bound", "lastPhaseTransitionTime": "t0"},
            {"phase": "Released", "lastPhaseTransitionTime": "t0"},
            "now",
        ),
        (
            {"phase": "Bound", "lastPhaseTransitionTime": "t0"},
            {"phase": "Released", "lastPhaseTransitionTime": "t1"},
            "t1",
        ),
        (
            {"phase": "Bound", "lastPhaseTransitionTime": "t0"},
            {"phase": "Bound", "lastPhaseTransitionTime": "t1"},
            "t1",
        ),
        ({"phase": "Bound"}, {"phase": "Bound"}, None),
    ],
)
def test_upstream_cases(old, new, expected):
    obj = {"status": dict(new)}
    phase_transition_time(obj, {"status": old}, "now")
    assert obj["status"].get("lastPhaseTransitionTime") == expected
