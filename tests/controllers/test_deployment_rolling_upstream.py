"""Upstream `pkg/controller/deployment/rolling_test.go` tables (reconcileNewReplicaSet,
reconcileOldReplicaSets, cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate) over
the pure steps: a step that leaves a size alone writes nothing, as
`scaleReplicaSetAndRecordEvent` returns before `scaleReplicaSet`. Plus the proportional scale's
event wording and `progress_test.go` TestSyncRolloutStatus (the Progressing condition)."""

from __future__ import annotations

import pytest

from minik8s.controllers import deployment_util as du
from minik8s.controllers.deployment_rolling import (
    cleanup_unhealthy_replicas,
    reconcile_new_replica_set,
    reconcile_old_replica_sets,
    scale_down_old_replica_sets,
)
from minik8s.controllers.deployment_sync import ScaleReplicaSet, SyncState, scale
from tests.controllers.test_deployment import NEW, OLD, TS, deployment, rs


def bare_rs(name: str, replicas: int, available: int = 0, created: str = NEW) -> dict:
    """upstream's test `rs(...)`: no annotations, no status beyond availableReplicas."""
    obj = rs(name, replicas, created, available=available, status_replicas=0)
    obj["metadata"].pop("annotations")
    return obj


@pytest.mark.parametrize(
    ("d_replicas", "surge", "old", "new", "expected"),
    [
        (10, 0, 10, 0, None),  # should not scale up
        (10, 2, 10, 0, 2),
        (10, 2, 5, 0, 7),
        (10, 2, 10, 2, None),
        (10, 2, 2, 11, 10),  # should scale down
    ],
)
def test_reconcile_new_replica_set(d_replicas, surge, old, new, expected):
    s = SyncState(deployment(d_replicas, max_surge=surge), [bare_rs("new", new)], 0.0, TS)
    s.rss.append(bare_rs("old", old, created=OLD))
    new_rs = s.rss[0]
    scaled = reconcile_new_replica_set(s, list(s.rss), new_rs)
    if expected is None:
        assert (scaled, s.actions) == (False, [])  # no write at all
    else:
        assert scaled
        assert [(a.name, a.new) for a in s.actions] == [("new", expected)]


@pytest.mark.parametrize(
    ("d_replicas", "unavailable", "old", "new", "old_ready", "new_ready", "scaled"),
    [
        (10, 0, 10, 0, 10, 0, True),
        (10, 2, 10, 0, 10, 0, True),
        (10, 2, 10, 0, 8, 0, True),  # unhealthy old replicas are cleaned up
        (10, 2, 10, 0, 9, 0, True),  # one unhealthy cleaned up, one ready scaled down
        (10, 2, 8, 2, 8, 0, False),  # unavailable new pods do not let old ones go further
    ],
)
def test_reconcile_old_replica_sets(
    d_replicas, unavailable, old, new, old_ready, new_ready, scaled
):
    d = deployment(d_replicas, max_surge=0, max_unavailable=unavailable)
    s = SyncState(d, [bare_rs("old", old, old_ready, OLD), bare_rs("new", new, new_ready)], 0.0, TS)
    old_rs, new_rs = s.rss
    assert reconcile_old_replica_sets(s, list(s.rss), [old_rs], new_rs) is scaled


@pytest.mark.parametrize(
    ("old", "ready", "max_cleanup", "expected"),
    [(10, 8, 1, 1), (10, 8, 3, 2), (10, 8, 0, 0), (10, 10, 3, 0)],
)
def test_cleanup_unhealthy_replicas(old, ready, max_cleanup, expected):
    d = deployment(10, max_surge=2, max_unavailable=2)
    s = SyncState(d, [bare_rs("old", old, ready)], 0.0, TS)
    assert cleanup_unhealthy_replicas(s, list(s.rss), max_cleanup) == expected


@pytest.mark.parametrize(
    ("d_replicas", "unavailable", "ready", "old", "expected"),
    [
        (10, 0, 10, 10, 9),
        (10, 2, 10, 10, 8),
        (10, 2, 8, 10, None),
        (10, 2, 10, 0, None),
        (10, 2, 1, 10, None),
    ],
)
def test_scale_down_old_replica_sets_for_rolling_update(
    d_replicas, unavailable, ready, old, expected
):
    d = deployment(d_replicas, max_surge=0, max_unavailable=unavailable)
    s = SyncState(d, [bare_rs("old", old, ready)], 0.0, TS)
    scaled = scale_down_old_replica_sets(s, list(s.rss), list(s.rss))
    if expected is None:
        assert (scaled, s.actions) == (0, [])
    else:
        assert scaled > 0
        assert [(a.name, a.new) for a in s.actions] == [("old", expected)]


def test_a_proportional_scale_words_every_event_with_the_deployment_direction():
    d = deployment(12, max_surge=3, max_unavailable=0)  # scaled up from 10 (+3 surge = 13)
    new, old = rs("foo-v2", 8, NEW, available=0), rs("foo-v1", 5, OLD)
    new["metadata"]["annotations"] = {du.MAX_REPLICAS_ANNOTATION: "13"}
    old["metadata"]["annotations"] = {du.MAX_REPLICAS_ANNOTATION: "20"}  # a stale, bigger max
    s = SyncState(d, [new, old], 0.0, TS)
    scale(s, s.rss[0], s.rss[1:])
    sizes = {
        a.name: (a.old, a.new, a.operation) for a in s.actions if isinstance(a, ScaleReplicaSet)
    }
    assert sizes["foo-v1"] == (5, 4, "up")  # scaled down, worded as the Deployment's "up"
    assert sizes["foo-v2"] == (8, 11, "up")


# -- progress_test.go TestSyncRolloutStatus ------------------------------------------------------
T_TEST = "2017-02-15T18:49:00Z"
LATER_NOW = "2017-02-15T19:00:00Z"  # well past T_TEST + the 60s deadline
TIMED_OUT = {"type": "Progressing", "status": "False", "reason": du.TIMED_OUT}
NEW_RS_AVAILABLE = {
    "type": "Progressing",
    "status": "True",
    "reason": du.NEW_RS_AVAILABLE,
    "lastUpdateTime": T_TEST,
    "lastTransitionTime": T_TEST,
}
RS_UPDATED = {**NEW_RS_AVAILABLE, "reason": du.REPLICA_SET_UPDATED}


def current_deployment(pds, replicas, status_replicas, updated, available, conditions):
    """upstream's test `currentDeployment` (a Recreate Deployment, always observed)."""
    d = deployment(replicas, strategy="Recreate")
    d["metadata"]["name"] = "progress-test"
    if pds is None:
        d["spec"].pop("progressDeadlineSeconds")
    else:
        d["spec"]["progressDeadlineSeconds"] = pds
    d["status"] = {
        "replicas": status_replicas,
        "updatedReplicas": updated,
        "availableReplicas": available,
        "conditions": [dict(c) for c in conditions],
    }
    return d


def rs_with_available(name, spec_replicas, status_replicas, available):
    obj = rs(name, spec_replicas, available=available, status_replicas=status_replicas)
    return obj


@pytest.mark.parametrize(
    ("d", "others", "new", "expected", "keeps_update", "keeps_transition"),
    [
        pytest.param(
            current_deployment(None, 3, 2, 2, 2, [RS_UPDATED]),
            [rs_with_available("bar", 0, 1, 1)],
            rs_with_available("foo", 3, 2, 2),
            None,
            False,
            False,
            id="no progress deadline: the condition is removed",
        ),
        pytest.param(
            current_deployment(60, 3, 3, 3, 3, [NEW_RS_AVAILABLE]),
            [rs_with_available("bar", 3, 3, 3)],
            None,
            ("True", du.NEW_RS_AVAILABLE),
            True,
            True,
            id="only one active ReplicaSet: no progress estimated",
        ),
        pytest.param(
            current_deployment(60, 3, 2, 2, 2, [RS_UPDATED]),
            [rs_with_available("bar", 0, 1, 1)],
            rs_with_available("foo", 3, 2, 2),
            ("True", du.REPLICA_SET_UPDATED),
            False,
            True,
            id="progressing: lastTransitionTime kept",
        ),
        pytest.param(
            current_deployment(60, 3, 2, 2, 2, [TIMED_OUT]),
            [rs_with_available("bar", 0, 1, 1)],
            rs_with_available("foo", 3, 2, 2),
            ("True", du.REPLICA_SET_UPDATED),
            False,
            False,
            id="progressing after Progressing=False: everything updated",
        ),
        pytest.param(
            current_deployment(60, 3, 2, 2, 2, []),
            [rs_with_available("bar", 0, 1, 1)],
            rs_with_available("foo", 3, 2, 2),
            ("True", du.REPLICA_SET_UPDATED),
            False,
            False,
            id="progressing: condition created",
        ),
        pytest.param(
            current_deployment(60, 3, 3, 3, 3, [RS_UPDATED]),
            [],
            rs_with_available("foo", 3, 3, 3),
            ("True", du.NEW_RS_AVAILABLE),
            False,
            True,
            id="complete: lastTransitionTime kept",
        ),
        pytest.param(
            current_deployment(60, 3, 3, 3, 3, [TIMED_OUT]),
            [],
            rs_with_available("foo", 3, 3, 3),
            ("True", du.NEW_RS_AVAILABLE),
            False,
            False,
            id="complete after Progressing=False",
        ),
        pytest.param(
            current_deployment(60, 3, 3, 3, 3, []),
            [],
            rs_with_available("foo", 3, 3, 3),
            ("True", du.NEW_RS_AVAILABLE),
            False,
            False,
            id="complete: condition created",
        ),
        pytest.param(
            current_deployment(60, 0, 3, 3, 3, [RS_UPDATED]),
            [rs_with_available("foo", 0, 0, 0)],
            None,
            ("True", du.NEW_RS_AVAILABLE),
            False,
            False,
            id="complete without a new ReplicaSet",
        ),
        pytest.param(
            current_deployment(60, 3, 2, 2, 2, [RS_UPDATED]),
            [],
            rs_with_available("foo", 3, 2, 2),
            ("False", du.TIMED_OUT),
            False,
            False,
            id="timed out past the deadline",
        ),
        pytest.param(
            current_deployment(60, 3, 2, 2, 2, [TIMED_OUT]),
            [],
            rs_with_available("foo", 3, 2, 2),
            ("False", du.TIMED_OUT),
            False,
            False,
            id="timed out already: unchanged",
        ),
    ],
)
def test_sync_rollout_status(d, others, new, expected, keeps_update, keeps_transition):
    from minik8s.controllers.deployment_progress import sync_rollout_status

    now = du.parse_time(LATER_NOW)
    s = SyncState(d, [*others, *([new] if new else [])], now, LATER_NOW)
    new_rs = s.rss[-1] if new else None
    sync_rollout_status(s, list(s.rss), new_rs)
    cond = du.get_condition(s.status, "Progressing")
    if expected is None:
        assert cond is None
        return
    assert (cond["status"], cond["reason"]) == expected
    if keeps_update:
        assert cond["lastUpdateTime"] == T_TEST
    if keeps_transition:
        assert cond["lastTransitionTime"] == T_TEST


# -- progress_test.go TestRequeueStuckDeployment -------------------------------------------------
STUCK = {"type": "Progressing", "status": "True", "reason": "", "lastUpdateTime": T_TEST}


@pytest.mark.parametrize(
    ("d", "status", "now", "delay"),
    [
        pytest.param(current_deployment(None, 4, 3, 3, 2, []), (3, 3, 2), None, None, id="no pds"),
        pytest.param(
            current_deployment(du.MAX_INT32, 4, 3, 3, 2, []), (3, 3, 2), None, None, id="infinite"
        ),
        pytest.param(current_deployment(60, 4, 3, 3, 2, []), (3, 3, 2), None, None, id="no cond"),
        pytest.param(current_deployment(60, 3, 3, 3, 3, []), (3, 3, 3), None, None, id="complete"),
        pytest.param(
            current_deployment(60, 3, 3, 3, 0, [TIMED_OUT]), (3, 3, 0), None, None, id="failed"
        ),
        # upstream returns the time left and queues it a second later: the delay here
        pytest.param(
            current_deployment(60, 3, 3, 3, 1, [STUCK]), (3, 3, 1), "18:49:30", 31.0, id="30s"
        ),
        pytest.param(
            current_deployment(60, 3, 3, 3, 1, [STUCK]), (3, 3, 1), "18:49:59", 2.0, id="1s"
        ),
    ],
)
def test_requeue_stuck_deployment(d, status, now, delay):
    from minik8s.controllers.deployment_progress import requeue_stuck

    replicas, updated, available = status
    new_status = {"replicas": replicas, "updatedReplicas": updated, "availableReplicas": available}
    new_status["observedGeneration"] = d["metadata"]["generation"]
    at = du.parse_time(f"2017-02-15T{now or '18:49:00'}Z")
    assert requeue_stuck(d, new_status, at) == delay
