"""`kubectl rollout status`'s viewers, mirroring `k8s.io/kubectl/pkg/polymorphichelpers/
rollout_status.go` (DeploymentStatusViewer, DaemonSetStatusViewer, StatefulSetStatusViewer) and
the watch loop of `pkg/cmd/rollout/rollout_status.go`.

Time is virtual, so a status call does not block: it gives the line for the current state (like
`--watch=false`); `watch_rollout` runs the cluster's event loop until the rollout finishes (or a
timeout in virtual seconds), keeping each new line, as upstream's watch prints them. Other
workload kinds plug their viewer into `STATUS_VIEWERS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from minik8s.controllers import deployment_util as du

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
DEFAULT_WATCH_TIMEOUT = 600.0


def rollout_status(
    client: Client,
    name: str,
    namespace: str = "default",
    revision: int = 0,
    kind: str = "Deployment",
) -> tuple[str, bool]:
    """(the status line, whether the rollout is done) from the kind's status viewer."""
    viewer = STATUS_VIEWERS.get(kind)
    if viewer is None:
        raise ValueError(f"error: no status viewer has been implemented for {kind}")
    return viewer(client, name, namespace, revision)


def deployment_status(client: Client, name: str, namespace: str, revision: int) -> tuple[str, bool]:
    """`DeploymentStatusViewer.Status`: (the status line, whether the rollout is done)."""
    d = client.get("deployments", name, namespace)
    status = d.get("status") or {}
    if revision > 0 and du.revision(d) != revision:
        raise ValueError(
            f"desired revision ({revision}) is different from the running revision "
            f"({du.revision(d)})"
        )
    if d["metadata"].get("generation", 1) > int(status.get("observedGeneration") or 0):
        return "Waiting for deployment spec update to be observed...\n", False
    cond = du.get_condition(status, "Progressing")
    if cond is not None and cond.get("reason") == du.TIMED_OUT:
        raise ValueError(f'deployment "{name}" exceeded its progress deadline')
    want = du.replicas_of(d)
    replicas, updated = int(status.get("replicas") or 0), int(status.get("updatedReplicas") or 0)
    available = int(status.get("availableReplicas") or 0)
    prefix = f'Waiting for deployment "{name}" rollout to finish: '
    if updated < want:
        return f"{prefix}{updated} out of {want} new replicas have been updated...\n", False
    if replicas > updated:
        return f"{prefix}{replicas - updated} old replicas are pending termination...\n", False
    if available < updated:
        return f"{prefix}{available} of {updated} updated replicas are available...\n", False
    return f'deployment "{name}" successfully rolled out\n', True


def watch_rollout(
    client: Client,
    name: str,
    namespace: str = "default",
    timeout: float = DEFAULT_WATCH_TIMEOUT,
    kind: str = "Deployment",
) -> str:
    """Run the event loop until the rollout is done; every distinct status line, in order."""
    loop = client.loop
    deadline = loop.now + timeout
    lines: list[str] = []
    while True:
        line, done = rollout_status(client, name, namespace, kind=kind)
        if not lines or lines[-1] != line:
            lines.append(line)
        if done:
            return "".join(lines)
        if loop.now >= deadline:
            return "".join(lines) + "error: timed out waiting for the condition\n"
        if loop.step(until=deadline) is None:
            loop.run(until=deadline)


def daemonset_status(client: Client, name: str, namespace: str, revision: int) -> tuple[str, bool]:
    """`DaemonSetStatusViewer.Status`."""
    ds = client.get("daemonsets", name, namespace)
    _require_rolling_update(ds)
    status = ds.get("status") or {}
    if ds["metadata"].get("generation", 1) > int(status.get("observedGeneration") or 0):
        return "Waiting for daemon set spec update to be observed...\n", False
    desired = int(status.get("desiredNumberScheduled") or 0)
    updated = int(status.get("updatedNumberScheduled") or 0)
    available = int(status.get("numberAvailable") or 0)
    prefix = f'Waiting for daemon set "{name}" rollout to finish: '
    if updated < desired:
        return f"{prefix}{updated} out of {desired} new pods have been updated...\n", False
    if available < desired:
        return f"{prefix}{available} of {desired} updated pods are available...\n", False
    return f'daemon set "{name}" successfully rolled out\n', True


def statefulset_status(
    client: Client, name: str, namespace: str, revision: int
) -> tuple[str, bool]:
    """`StatefulSetStatusViewer.Status`."""
    sts = client.get("statefulsets", name, namespace)
    rolling = _require_rolling_update(sts)
    status = sts.get("status") or {}
    observed = int(status.get("observedGeneration") or 0)
    if observed == 0 or sts["metadata"].get("generation", 1) > observed:
        return "Waiting for statefulset spec update to be observed...\n", False
    replicas = sts["spec"].get("replicas")
    ready, updated = int(status.get("readyReplicas") or 0), int(status.get("updatedReplicas") or 0)
    if replicas is not None and ready < replicas:
        return f"Waiting for {replicas - ready} pods to be ready...\n", False
    if rolling is not None:
        partition = rolling.get("partition")
        if replicas is not None and partition is not None and updated < replicas - partition:
            return (
                "Waiting for partitioned roll out to finish: "
                f"{updated} out of {replicas - partition} new pods have been updated...\n",
                False,
            )
        return f"partitioned roll out complete: {updated} new pods have been updated...\n", True
    current, update = status.get("currentRevision"), status.get("updateRevision")
    if update != current:
        return (
            f"waiting for statefulset rolling update to complete {updated} pods at revision "
            f"{update}...\n",
            False,
        )
    done = int(status.get("currentReplicas") or 0)
    return f"statefulset rolling update complete {done} pods at revision {current}...\n", True


def _require_rolling_update(obj: Obj) -> Obj | None:
    strategy = obj["spec"].get("updateStrategy") or {}
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        raise ValueError("error: rollout status is only available for RollingUpdate strategy type")
    rolling = strategy.get("rollingUpdate")
    return rolling if isinstance(rolling, dict) else None


StatusViewer = Callable[["Client", str, str, int], "tuple[str, bool]"]
# kind → status viewer (`polymorphichelpers.StatusViewerFor`); other kinds can add theirs.
STATUS_VIEWERS: dict[str, StatusViewer] = {
    "Deployment": deployment_status,
    "DaemonSet": daemonset_status,
    "StatefulSet": statefulset_status,
}
