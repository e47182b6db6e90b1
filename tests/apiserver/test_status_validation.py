"""The `/status` subresource's validation of the workload kinds: rows ported from upstream
`pkg/apis/apps/validation/validation_test.go` (`TestValidateDeploymentStatus(Update)`,
`TestValidateReplicaSetStatus`, `TestValidateStatefulSetStatus`, the DaemonSet status update) and
the Job rules of `validateJobStatus`/`ValidateJobStatusUpdate`, then status writes through the
API server: a 422 Invalid in upstream's words, nothing stored."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.api.errors import Invalid
from minik8s.api.field import Path
from minik8s.api.validation.status_apps import (
    validate_daemon_set_status_update,
    validate_deployment_status,
    validate_deployment_status_update,
    validate_replica_set_status,
    validate_stateful_set_status,
    validate_stateful_set_status_update,
)
from minik8s.api.validation.status_batch import validate_job_status_update

from .conftest import deployment

STATUS = Path("status")


def messages(errs):
    return [str(e) for e in errs]


# (name, replicas, updated, ready, available, observedGeneration, collisionCount, expect error)
DEPLOYMENT_ROWS = [
    ("valid status", 3, 3, 2, 1, 2, None, False),
    ("invalid replicas", -1, 2, 2, 1, 2, None, True),
    ("invalid updatedReplicas", 2, -1, 2, 1, 2, None, True),
    ("invalid readyReplicas", 3, 0, -1, 1, 2, None, True),
    ("invalid availableReplicas", 3, 0, 3, -1, 2, None, True),
    ("invalid observedGeneration", 3, 0, 3, 3, -1, None, True),
    ("updatedReplicas greater than replicas", 3, 4, 3, 3, 1, None, True),
    ("readyReplicas greater than replicas", 3, 0, 4, 3, 1, None, True),
    ("availableReplicas greater than replicas", 3, 0, 3, 4, 1, None, True),
    ("availableReplicas greater than readyReplicas", 3, 0, 2, 3, 1, None, True),
    ("invalid collisionCount", 3, 0, 0, 0, 1, -3, True),
]


@pytest.mark.parametrize("row", DEPLOYMENT_ROWS, ids=[r[0] for r in DEPLOYMENT_ROWS])
def test_deployment_status_upstream_rows(row):
    _, replicas, updated, ready, available, generation, collisions, expect = row
    status = {
        "replicas": replicas,
        "updatedReplicas": updated,
        "readyReplicas": ready,
        "availableReplicas": available,
        "observedGeneration": generation,
    }
    if collisions is not None:
        status["collisionCount"] = collisions
    assert bool(validate_deployment_status(status, STATUS)) is expect


def test_deployment_status_messages_in_upstream_order():
    status = {"observedGeneration": -1, "replicas": 1, "readyReplicas": 2, "availableReplicas": 3}
    status["unavailableReplicas"] = -1
    assert messages(validate_deployment_status(status, STATUS)) == [
        "status.observedGeneration: Invalid value: -1: must be greater than or equal to 0",
        "status.unavailableReplicas: Invalid value: -1: must be greater than or equal to 0",
        "status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas",
        "status.availableReplicas: Invalid value: 3: cannot be greater than status.replicas",
        "status.availableReplicas: Invalid value: 3: cannot be greater than readyReplicas",
    ]


# TestValidateDeploymentStatusUpdate: (name, from collisionCount, to collisionCount, error)
COLLISION_ROWS = [
    ("increase: valid update", None, 1, False),
    ("stable: valid update", 1, 1, False),
    ("unset: invalid update", 1, None, True),
    ("decrease: invalid update", 2, 1, True),
]


@pytest.mark.parametrize("row", COLLISION_ROWS, ids=[r[0] for r in COLLISION_ROWS])
@pytest.mark.parametrize(
    "validate",
    [
        validate_deployment_status_update,
        validate_stateful_set_status_update,
        validate_daemon_set_status_update,
    ],
)
def test_collision_count_may_not_decrease(validate, row):
    _, before, after, expect = row
    old = {"status": {} if before is None else {"collisionCount": before}}
    new = {"status": {} if after is None else {"collisionCount": after}}
    errs = validate(new, old)
    assert bool(errs) is expect
    if expect:
        value = 0 if after is None else after
        assert messages(errs) == [
            f"status.collisionCount: Invalid value: {value}: cannot be decremented"
        ]


# (name, replicas, fullyLabeled, ready, available, observedGeneration, expect error)
REPLICA_SET_ROWS = [
    ("valid status", 3, 3, 2, 1, 2, False),
    ("invalid replicas", -1, 3, 2, 1, 2, True),
    ("invalid fullyLabeledReplicas", 3, -1, 2, 1, 2, True),
    ("invalid readyReplicas", 3, 3, -1, 1, 2, True),
    ("invalid availableReplicas", 3, 3, 3, -1, 2, True),
    ("invalid observedGeneration", 3, 3, 3, 3, -1, True),
    ("fullyLabeledReplicas greater than replicas", 3, 4, 3, 3, 1, True),
    ("readyReplicas greater than replicas", 3, 3, 4, 3, 1, True),
    ("availableReplicas greater than replicas", 3, 3, 3, 4, 1, True),
    ("availableReplicas greater than readyReplicas", 3, 3, 2, 3, 1, True),
]


@pytest.mark.parametrize("row", REPLICA_SET_ROWS, ids=[r[0] for r in REPLICA_SET_ROWS])
def test_replica_set_status_upstream_rows(row):
    _, replicas, labeled, ready, available, generation, expect = row
    status = {
        "replicas": replicas,
        "fullyLabeledReplicas": labeled,
        "readyReplicas": ready,
        "availableReplicas": available,
        "observedGeneration": generation,
    }
    assert bool(validate_replica_set_status(status, STATUS)) is expect


# (name, replicas, ready, current, updated, available, observedGeneration, collisions, error)
STATEFUL_SET_ROWS = [
    ("valid status", 3, 3, 2, 1, 0, None, None, False),
    ("invalid replicas", -1, 3, 2, 1, 0, None, None, True),
    ("invalid readyReplicas", 3, -1, 2, 1, 0, None, None, True),
    ("invalid currentReplicas", 3, 3, -1, 1, 0, None, None, True),
    ("invalid updatedReplicas", 3, 3, 2, -1, 0, None, None, True),
    ("invalid observedGeneration", 3, 3, 2, 1, 0, -1, None, True),
    ("invalid collisionCount", 3, 3, 2, 1, 0, None, -1, True),
    ("readyReplicas greater than replicas", 3, 4, 2, 1, 0, None, None, True),
    ("currentReplicas greater than replicas", 3, 3, 4, 1, 0, None, None, True),
    ("updatedReplicas greater than replicas", 3, 3, 2, 4, 0, None, None, True),
    ("invalid: number of available replicas", 3, 3, 2, 0, -1, None, None, True),
    ("invalid: available replicas greater than replicas", 3, 3, 2, 0, 4, None, None, True),
    ("invalid: available replicas greater than ready replicas", 3, 2, 2, 0, 3, None, None, True),
]


@pytest.mark.parametrize("row", STATEFUL_SET_ROWS, ids=[r[0] for r in STATEFUL_SET_ROWS])
def test_stateful_set_status_upstream_rows(row):
    _, replicas, ready, current, updated, available, generation, collisions, expect = row
    status = {
        "replicas": replicas,
        "readyReplicas": ready,
        "currentReplicas": current,
        "updatedReplicas": updated,
        "availableReplicas": available,
    }
    if generation is not None:
        status["observedGeneration"] = generation
    if collisions is not None:
        status["collisionCount"] = collisions
    assert bool(validate_stateful_set_status(status, STATUS)) is expect


def test_stateful_set_available_over_ready_message():
    status = {"replicas": 3, "readyReplicas": 2, "availableReplicas": 3}
    assert messages(validate_stateful_set_status(status, STATUS)) == [
        "status.availableReplicas: Invalid value: 3: cannot be greater than status.readyReplicas"
    ]


DAEMON_SET_FIELDS = [
    "currentNumberScheduled",
    "numberMisscheduled",
    "desiredNumberScheduled",
    "numberReady",
    "observedGeneration",
    "updatedNumberScheduled",
    "numberAvailable",
    "numberUnavailable",
    "collisionCount",
]


@pytest.mark.parametrize("field", DAEMON_SET_FIELDS)
def test_daemon_set_status_counts_are_nonnegative(field):
    valid = {f: 1 for f in DAEMON_SET_FIELDS}
    assert validate_daemon_set_status_update({"status": valid}, {"status": valid}) == []
    new = {"status": {**valid, field: -1}}
    errs = validate_daemon_set_status_update(new, {"status": {**valid, "collisionCount": -1}})
    assert messages(errs) == [
        f"status.{field}: Invalid value: -1: must be greater than or equal to 0"
    ]


# --- Job --------------------------------------------------------------------------------------


def job(*conditions, success_policy=False, **status):
    conds = [{"type": t, "status": "True"} for t in conditions]
    spec = {"successPolicy": {"rules": [{"succeededCount": 1}]}} if success_policy else {}
    return {"spec": spec, "status": {**status, "conditions": conds}}


JOB_ROWS = [
    ("valid", job(active=1, succeeded=2, failed=0, ready=1, terminating=0), job(), []),
    (
        "negative counters",
        job(active=-1, succeeded=-2, failed=-3, ready=-4, terminating=-5),
        job(),
        [
            "status.active: Invalid value: -1: must be greater than or equal to 0",
            "status.succeeded: Invalid value: -2: must be greater than or equal to 0",
            "status.failed: Invalid value: -3: must be greater than or equal to 0",
            "status.ready: Invalid value: -4: must be greater than or equal to 0",
            "status.terminating: Invalid value: -5: must be greater than or equal to 0",
        ],
    ),
    (
        "uncounted terminated pods",
        job(uncountedTerminatedPods={"succeeded": ["a", "", "b"], "failed": ["b", "c"]}),
        job(),
        [
            'status.uncountedTerminatedPods.succeeded[1]: Invalid value: "": must not be empty',
            'status.uncountedTerminatedPods.failed[0]: Duplicate value: "b"',
        ],
    ),
    (
        "SuccessCriteriaMet with Failed and FailureTarget",
        job("SuccessCriteriaMet", "Failed", "FailureTarget"),
        job(),
        [
            "status.conditions: Invalid value: "
            "cannot set SuccessCriteriaMet=True and Failed=true conditions",
            "status.conditions: Invalid value: "
            "cannot set SuccessCriteriaMet=True and FailureTarget=true conditions",
        ],
    ),
    (
        "Complete without SuccessCriteriaMet under a successPolicy",
        job("Complete", success_policy=True),
        job(success_policy=True),
        [
            "status.conditions: Invalid value: cannot set Complete=True for Job with "
            "SuccessPolicy unless SuccessCriteriaMet=True"
        ],
    ),
    (
        "SuccessCriteriaMet, then Complete (the controller)",
        job("SuccessCriteriaMet", "Complete"),
        job("SuccessCriteriaMet"),
        [],
    ),
    (
        "SuccessCriteriaMet disabled",
        job(),
        job("SuccessCriteriaMet"),
        ["status.conditions: Invalid value: cannot disable the SuccessCriteriaMet=True condition"],
    ),
    (
        "SuccessCriteriaMet after Complete",
        job("Complete", "SuccessCriteriaMet"),
        job("Complete"),
        [
            "status.conditions: Invalid value: cannot set SuccessCriteriaMet=True for Job "
            "already has Complete=true conditions"
        ],
    ),
]


@pytest.mark.parametrize("row", JOB_ROWS, ids=[r[0] for r in JOB_ROWS])
def test_job_status_rules(row):
    _, new, old, expected = row
    assert messages(validate_job_status_update(new, old)) == expected


# --- through the API server -------------------------------------------------------------------


def test_deployment_status_write_is_422_and_stores_nothing(env):
    created = env.client.create("deployments", deployment("web", replicas=2), "shop")
    body = {**created, "status": {"replicas": 1, "readyReplicas": 2, "availableReplicas": -1}}
    with pytest.raises(Invalid) as err:
        env.client.update_status("deployments", body, "shop")
    assert err.value.code == 422
    assert err.value.message == (
        'Deployment.apps "web" is invalid: ['
        "status.availableReplicas: Invalid value: -1: must be greater than or equal to 0, "
        "status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas]"
    )
    stored = env.client.get("deployments", "web", "shop")
    assert stored["metadata"]["resourceVersion"] == created["metadata"]["resourceVersion"]
    assert stored.get("status") == created.get("status")


def test_deployment_collision_count_through_the_server(env):
    created = env.client.create("deployments", deployment("web"), "shop")
    raised = env.client.update_status("deployments", {**created, "status": {"collisionCount": 2}})
    with pytest.raises(Invalid) as err:
        env.client.update_status("deployments", {**raised, "status": {"collisionCount": 1}})
    assert err.value.errors[0].field == "status.collisionCount"
    assert str(err.value.errors[0]).endswith("Invalid value: 1: cannot be decremented")
    assert env.client.get("deployments", "web", "shop")["status"]["collisionCount"] == 2


def test_metadata_rules_come_first(env):
    created = env.client.create("deployments", deployment("web"), "shop")
    body = {
        **created,
        "metadata": {**created["metadata"], "annotations": {"bad key!": "x"}},
        "status": {"replicas": -1},
    }
    with pytest.raises(Invalid) as err:
        env.client.update_status("deployments", body, "shop")
    assert [e.field for e in err.value.errors] == [
        "metadata.annotations",
        "status.replicas",
        "status.updatedReplicas",  # 0 > -1: upstream compares the zero values too
        "status.readyReplicas",
        "status.availableReplicas",
    ]


counts = st.integers(min_value=0, max_value=1000)


@given(replicas=counts, updated=counts, ready=counts, available=counts)
def test_deployment_status_valid_iff_counts_nest(replicas, updated, ready, available):
    """Non-negative counts pass exactly when updated, ready <= replicas and available <= ready."""
    status = {
        "replicas": replicas,
        "updatedReplicas": updated,
        "readyReplicas": ready,
        "availableReplicas": available,
    }
    nested = updated <= replicas and ready <= replicas and available <= min(ready, replicas)
    assert (validate_deployment_status(status, STATUS) == []) is nested
    assert (
        validate_replica_set_status({**status, "fullyLabeledReplicas": updated}, STATUS) == []
    ) is nested
