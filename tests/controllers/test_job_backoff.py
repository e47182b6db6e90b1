"""The Job controller's pod-failure back-off: upstream backoff_utils_test.go
(TestNewBackoffRecord, TestGetFinishedTime, TestGetRemainingBackoffTime) and scenarios through
`Cluster`."""

from __future__ import annotations

import pytest

from minik8s.cluster import Cluster
from minik8s.controllers.job_util import (
    MAX_JOB_POD_FAILURE_BACKOFF,
    BackoffRecord,
    finished_time,
    format_time,
    new_backoff_record,
    parse_time,
    remaining_backoff,
)

T = parse_time("2009-11-10T23:00:00Z") or 0.0


def _terminated(at: float | None, name: str = "c") -> dict:
    state = {"terminated": {"finishedAt": format_time(at)} if at is not None else {}}
    return {"name": name, "state": state}


RUNNING = {"name": "r", "state": {"running": {}}}
READY_FALSE = {"type": "Ready", "status": "False", "reason": "PodFailed"}


# -- TestGetFinishedTime ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("meta", "spec", "status", "want"),
    [
        # all containers terminated: the latest finishedAt
        (
            {},
            {},
            {"containerStatuses": [_terminated(T - 1), _terminated(T), _terminated(T - 2)]},
            T,
        ),
        # one container still running: fall back to the deletion timestamp
        (
            {"deletionTimestamp": format_time(T)},
            {},
            {"containerStatuses": [_terminated(T - 1), RUNNING, _terminated(T - 2)]},
            T,
        ),
        ({"deletionTimestamp": format_time(T)}, {}, {"containerStatuses": [RUNNING]}, T),
        # deletionTimestamp decremented by the grace period
        (
            {"deletionTimestamp": format_time(T), "deletionGracePeriodSeconds": 30},
            {},
            {"containerStatuses": [RUNNING]},
            T - 30,
        ),
        # Ready=False transition time (a terminated state without finishedAt does not count)
        (
            {},
            {},
            {
                "containerStatuses": [_terminated(None)],
                "conditions": [{**READY_FALSE, "lastTransitionTime": format_time(T)}],
            },
            T,
        ),
        # Ready=True is skipped
        (
            {"deletionTimestamp": format_time(T)},
            {},
            {
                "containerStatuses": [_terminated(None)],
                "conditions": [
                    {"type": "Ready", "status": "True", "lastTransitionTime": format_time(T - 30)}
                ],
            },
            T,
        ),
        ({"creationTimestamp": format_time(T)}, {}, {"containerStatuses": [_terminated(None)]}, T),
        # a sidecar (restartable init container) finishes after the regular containers
        (
            {},
            {"initContainers": [{"name": "sidecar", "restartPolicy": "Always"}]},
            {
                "containerStatuses": [_terminated(T - 1)],
                "initContainerStatuses": [_terminated(T, "sidecar")],
            },
            T,
        ),
        # an ordinary init container is not looked at (minik8s addition to the table)
        (
            {"creationTimestamp": format_time(T - 100)},
            {"initContainers": [{"name": "init"}]},
            {
                "containerStatuses": [_terminated(T - 1)],
                "initContainerStatuses": [_terminated(T + 50, "init")],
            },
            T - 1,
        ),
    ],
)
def test_get_finished_time(meta, spec, status, want):
    pod = {"metadata": meta, "spec": spec, "status": status}
    assert finished_time(pod) == want


# -- TestGetRemainingBackoffTime (default 5 s, max 700 s) ------------------------------------------
@pytest.mark.parametrize(
    ("failures", "elapsed", "want"),
    [(0, 0, 0), (1, 0, 5), (1, 1, 4), (1, 5, 0), (1, 6, 0), (3, 0, 20), (8, 0, 640), (9, 0, 700)],
)
def test_get_remaining_backoff_time(failures, elapsed, want):
    record = BackoffRecord(failures, T if failures else None)
    assert remaining_backoff(record, T + elapsed, default=5.0, maximum=700.0) == want


def test_default_backoff_is_capped_at_ten_minutes():
    assert MAX_JOB_POD_FAILURE_BACKOFF == 600.0
    assert remaining_backoff(BackoffRecord(7, T), T) == 600.0  # 640 s capped
    assert remaining_backoff(BackoffRecord(6, T), T) == 320.0


# -- scenarios through the Cluster facade ----------------------------------------------------------
def _job(name: str, command: str, **spec) -> dict:
    container = {"name": "c", "image": "busybox", "command": ["sh", "-c", command]}
    template = {"spec": {"restartPolicy": "Never", "containers": [container]}}
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name},
        "spec": {"template": template, **spec},
    }


def _created(c: Cluster) -> list[float]:
    stamps = sorted(parse_time(p["metadata"]["creationTimestamp"]) or 0.0 for p in c.get("pods"))
    start = stamps[0]
    return [t - start for t in stamps]


def test_replacement_delays_double_up_to_ten_minutes():
    c = Cluster(nodes=1, seed=0)
    c.apply(_job("bad", "exit 1", backoffLimit=9))
    c.run(2500)
    gaps = [b - a for a, b in zip(_created(c), _created(c)[1:], strict=False)]
    # each pod runs ~1 s; the wait after the n-th failure is 10 s * 2^(n-1), at most 600 s
    assert [round(g) for g in gaps] == [11, 20, 40, 80, 160, 320, 600, 600, 600]


def test_deleted_pod_counts_as_failed_at_the_delete_not_after_the_grace_period():
    c = Cluster(nodes=1, seed=0)
    c.apply(_job("d", "sleep 1000"))
    c.run(10)
    (first,) = c.get("pods")
    c.delete("pods", first["metadata"]["name"])
    c.run(15)
    pods = {p["metadata"]["name"]: p for p in c.get("pods")}
    assert first["metadata"]["name"] in pods  # still terminating (30 s grace period)
    assert len(pods) == 2  # the replacement came 10 s after the delete, not after the grace
    (new,) = [p for n, p in pods.items() if n != first["metadata"]["name"]]
    created = parse_time(new["metadata"]["creationTimestamp"]) or 0.0
    deleted = parse_time(c.get("pods", first["metadata"]["name"])["metadata"]["deletionTimestamp"])
    assert deleted is not None and round(created - (deleted - 30)) == 10


# -- TestNewBackoffRecord --------------------------------------------------------------------------
def _finished(phase: str, at: float) -> dict:
    return {"metadata": {}, "status": {"phase": phase, "containerStatuses": [_terminated(at)]}}


MS = 1.0  # upstream uses milliseconds; `metav1.Time` as written here has whole seconds


@pytest.mark.parametrize(
    ("old", "succeeded", "failed", "want"),
    [
        (BackoffRecord(), [], [T], BackoffRecord(1, T)),
        (BackoffRecord(), [], [T, T - MS], BackoffRecord(2, T)),
        (BackoffRecord(), [T], [T - 2 * MS, T - MS], BackoffRecord(0, None)),
        (
            BackoffRecord(),
            [T - 2 * MS],
            [T, T - 4 * MS, T - 3 * MS, T - MS],
            BackoffRecord(2, T),
        ),
        (BackoffRecord(2, None), [], [T], BackoffRecord(3, T)),
        (BackoffRecord(), [T], [T], BackoffRecord(0, None)),
        (BackoffRecord(), [], [], BackoffRecord(0, None)),
        (BackoffRecord(), [T], [], BackoffRecord(0, None)),
    ],
    ids=[
        "one new failure",
        "two new failures",
        "two failures followed by success",
        "two failures, one success and two more failures",
        "failure count 2 and one new failure",
        "success and failure at same timestamp",
        "no success/failure",
        "one success",
    ],
)
def test_new_backoff_record(old, succeeded, failed, want):
    got = new_backoff_record(
        old,
        [_finished("Succeeded", t) for t in succeeded],
        [_finished("Failed", t) for t in failed],
    )
    assert got == want
