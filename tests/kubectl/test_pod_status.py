"""The STATUS, READY and RESTARTS columns of `kubectl get pods`, as upstream's printPod computes."""

import pytest

from minik8s.kubectl.pod_status import pod_row, pod_status
from minik8s.sim.loop import EventLoop

NOW = EventLoop().datetime(300)
T0 = "2025-01-01T00:00:00Z"


def pod(phase="Running", statuses=(), init=(), init_statuses=(), containers=1, **extra):
    obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default", "creationTimestamp": T0},
        "spec": {
            "containers": [{"name": f"c{i}", "image": "nginx"} for i in range(containers)],
            "initContainers": list(init),
        },
        "status": {
            "phase": phase,
            "containerStatuses": list(statuses),
            "initContainerStatuses": list(init_statuses),
        },
    }
    for key, value in extra.items():
        section, _, field = key.partition("__")
        obj[section][field] = value
    return obj


RUNNING = {"name": "c0", "ready": True, "restartCount": 0, "state": {"running": {"startedAt": T0}}}
NOT_READY = {**RUNNING, "ready": False}


def waiting(reason, restarts=0, name="c0"):
    return {
        "name": name,
        "ready": False,
        "restartCount": restarts,
        "state": {"waiting": {"reason": reason}},
    }


def terminated(reason="", exit_code=0, name="c0", signal=0):
    t = {"exitCode": exit_code, "startedAt": T0, "finishedAt": T0}
    if reason:
        t["reason"] = reason
    if signal:
        t["signal"] = signal
    return {"name": name, "ready": False, "restartCount": 0, "state": {"terminated": t}}


CASES = [
    ("running", pod(statuses=[RUNNING]), "1/1", "Running"),
    ("pending unscheduled", pod(phase="Pending"), "0/1", "Pending"),
    (
        "container creating",
        pod(phase="Pending", statuses=[waiting("ContainerCreating")]),
        "0/1",
        "ContainerCreating",
    ),
    ("crash loop", pod(statuses=[waiting("CrashLoopBackOff", 3)]), "0/1", "CrashLoopBackOff"),
    ("image pull", pod(phase="Pending", statuses=[waiting("ErrImagePull")]), "0/1", "ErrImagePull"),
    ("completed", pod(phase="Succeeded", statuses=[terminated("Completed")]), "0/1", "Completed"),
    ("error", pod(phase="Failed", statuses=[terminated("Error", 1)]), "0/1", "Error"),
    (
        "exit code without reason",
        pod(phase="Failed", statuses=[terminated(exit_code=2)]),
        "0/1",
        "ExitCode:2",
    ),
    (
        "signal without reason",
        pod(phase="Failed", statuses=[terminated(exit_code=137, signal=9)]),
        "0/1",
        "Signal:9",
    ),
    ("terminating", pod(statuses=[RUNNING], metadata__deletionTimestamp=T0), "1/1", "Terminating"),
    (
        "deleted but finished stays",
        pod(phase="Succeeded", statuses=[terminated("Completed")], metadata__deletionTimestamp=T0),
        "0/1",
        "Completed",
    ),
    (
        "node lost",
        pod(statuses=[RUNNING], metadata__deletionTimestamp=T0, status__reason="NodeLost"),
        "1/1",
        "Unknown",
    ),
    ("evicted reason", pod(phase="Failed", status__reason="Evicted"), "0/1", "Evicted"),
    (
        "init 0/1",
        pod(
            phase="Pending",
            init=[{"name": "i0", "image": "busybox"}],
            init_statuses=[waiting("PodInitializing", name="i0")],
        ),
        "0/1",
        "Init:0/1",
    ),
    (
        "init running 0/2",
        pod(
            phase="Pending",
            init=[{"name": "i0"}, {"name": "i1"}],
            init_statuses=[
                {"name": "i0", "state": {"running": {}}},
                waiting("PodInitializing", name="i1"),
            ],
        ),
        "0/1",
        "Init:0/2",
    ),
    (
        "init 1/2",
        pod(
            phase="Pending",
            init=[{"name": "i0"}, {"name": "i1"}],
            init_statuses=[
                terminated("Completed", name="i0"),
                {"name": "i1", "state": {"running": {}}},
            ],
        ),
        "0/1",
        "Init:1/2",
    ),
    (
        "init error",
        pod(
            phase="Pending",
            init=[{"name": "i0"}],
            init_statuses=[terminated("Error", 1, name="i0")],
        ),
        "0/1",
        "Init:Error",
    ),
    (
        "init exit code",
        pod(
            phase="Pending",
            init=[{"name": "i0"}],
            init_statuses=[terminated(exit_code=3, name="i0")],
        ),
        "0/1",
        "Init:ExitCode:3",
    ),
    (
        "init crash loop",
        pod(
            phase="Pending",
            init=[{"name": "i0"}],
            init_statuses=[waiting("CrashLoopBackOff", name="i0")],
        ),
        "0/1",
        "Init:CrashLoopBackOff",
    ),
    (
        "completed but one still running, ready",
        pod(
            containers=2,
            statuses=[terminated("Completed", name="c0"), {**RUNNING, "name": "c1"}],
            status__conditions=[{"type": "Ready", "status": "True"}],
        ),
        "1/2",
        "Running",
    ),
    (
        "completed but one still running, not ready",
        pod(containers=2, statuses=[{**RUNNING, "name": "c0"}, terminated("Completed", name="c1")]),
        "1/2",
        "NotReady",
    ),
    ("running not ready", pod(statuses=[NOT_READY]), "0/1", "Running"),
    (
        "scheduling gated",
        pod(
            phase="Pending",
            status__conditions=[
                {"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}
            ],
        ),
        "0/1",
        "SchedulingGated",
    ),
    (
        "sidecar counts in total",
        pod(
            init=[{"name": "proxy", "restartPolicy": "Always"}],
            init_statuses=[
                {"name": "proxy", "started": True, "ready": True, "state": {"running": {}}}
            ],
            statuses=[RUNNING],
            status__conditions=[{"type": "Initialized", "status": "True"}],
        ),
        "2/2",
        "Running",
    ),
]


@pytest.mark.parametrize(
    ("obj", "ready", "status"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_pod_status(obj, ready, status):
    got_ready, total, reason, _, _ = pod_status(obj, NOW)
    assert (f"{got_ready}/{total}", reason) == (ready, status)


def test_restarts_show_time_since_last_termination():
    status = waiting("CrashLoopBackOff", restarts=4)
    status["lastState"] = {"terminated": {"exitCode": 1, "finishedAt": "2025-01-01T00:04:20Z"}}
    row = pod_row(pod(statuses=[status]), NOW)
    assert row[3] == "4 (40s ago)"


def test_restarts_without_last_state_is_a_plain_number():
    assert pod_row(pod(statuses=[waiting("CrashLoopBackOff", restarts=2)]), NOW)[3] == "2"


def test_wide_cells_default_to_none():
    row = pod_row(pod(phase="Pending"), NOW)
    assert row[4:] == ["5m", "<none>", "<none>", "<none>", "<none>"]


def test_readiness_gates_count_true_conditions():
    obj = pod(
        statuses=[RUNNING],
        spec__readinessGates=[{"conditionType": "a"}, {"conditionType": "b"}],
        status__conditions=[{"type": "a", "status": "True"}, {"type": "b", "status": "False"}],
    )
    obj["status"]["podIPs"] = [{"ip": "10.244.1.5"}]
    obj["spec"]["nodeName"] = "node-1"
    assert pod_row(obj, NOW)[5:] == ["10.244.1.5", "node-1", "<none>", "1/2"]
