"""StatefulSet: upstream `stateful_set_utils_test.go` TestGetStatefulSetMaxUnavailable as a table,
and v1.31's rolling-update wait (`!isHealthy`: Running and Ready, minReadySeconds not awaited)."""

from __future__ import annotations

import pytest

from minik8s.controllers.replicaset_utils import parse_time
from minik8s.controllers.statefulset_control import get_stateful_set_max_unavailable, plan
from tests.controllers.test_daemonset_upstream import workload
from tests.controllers.test_statefulset import T0, pod, revision, sts, updated


@pytest.mark.parametrize(
    ("max_unavailable", "replicas", "expected"),
    [
        (None, 10, 1),
        (3, 10, 3),
        (3, 0, 3),
        (0, 0, 1),
        ("10%", 25, 2),
        ("100%", 5, 5),
        ("50%", 5, 2),
        ("10%", 5, 1),
        ("1%", 0, 1),
        ("0%", 0, 1),
    ],
)
def test_get_stateful_set_max_unavailable(max_unavailable, replicas, expected):
    assert get_stateful_set_max_unavailable(max_unavailable, replicas) == expected


def test_parallel_rolling_update_does_not_wait_for_min_ready_seconds():
    old = sts(policy="Parallel", claims=False, minReadySeconds=30)
    cur = revision(old)
    new = updated(old)
    upd = revision(new, 2)
    pods = [pod(old, 0, cur), pod(old, 1, cur), pod(new, 2, upd)]  # web-2 Ready at T0
    soon = parse_time(T0) + 5  # Ready for 5s of the 30s minReadySeconds: healthy, unavailable
    result = plan(new, pods, {}, cur, upd, 0, soon)
    assert repr(result) == "Plan([DeletePod(web-1, update)])"
    assert (result.status["readyReplicas"], result.status["availableReplicas"]) == (3, 0)
    pods[2] = pod(new, 2, upd, ready=False)
    assert plan(new, pods, {}, cur, upd, 0, soon).actions == []  # not Ready: the update waits


def test_zero_status_fields_tagged_omitempty_are_not_written():
    from minik8s import Cluster

    c = Cluster(nodes=1, seed=0)
    c.apply(workload("StatefulSet", "db", replicas=0, serviceName="db"))
    c.settle()
    status = c.get("statefulsets", "db")["status"]
    assert sorted(status) == [
        "availableReplicas",
        "collisionCount",
        "currentRevision",
        "observedGeneration",
        "replicas",
        "updateRevision",
    ]
    assert (status["replicas"], status["availableReplicas"]) == (0, 0)
