"""`kubectl rollout status|history|undo|pause|resume|restart` for Deployments, mirroring
`k8s.io/kubectl/pkg/cmd/rollout/*` and `pkg/polymorphichelpers` (DeploymentStatusViewer,
DeploymentHistoryViewer, DeploymentRollbacker, the pause/resume/restart object patchers).

Time is virtual, so `rollout status` does not block by default: one call prints the line for the
current state (like `--watch=false`). `--watch` / `-w` runs the cluster's event loop until the
rollout finishes (or `--timeout` virtual seconds, default 600), printing each new line, as
upstream's watch does. `rollout_status(client, name)` gives the same line to Python code; other
workload kinds plug their viewer into `STATUS_VIEWERS`.
DaemonSets and StatefulSets have upstream's DaemonSetStatusViewer / StatefulSetStatusViewer and
their history (DaemonSetHistoryViewer / StatefulSetHistoryViewer) from ControllerRevisions.
Left out: undo/pause/resume/restart for DaemonSets and StatefulSets, `--record`, `--dry-run`, `-o`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from minik8s.api import kinds
from minik8s.api.labels import label_selector_as_selector
from minik8s.controllers import deployment_util as du
from minik8s.kubectl.apply import display_name
from minik8s.kubectl.cli import Args, register
from minik8s.kubectl.describe_base import PrefixWriter
from minik8s.kubectl.describe_containers import describe_pod_template
from minik8s.kubectl.get import parse_resource_args
from minik8s.kubectl.table import tabwrite

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
CHANGE_CAUSE = "kubernetes.io/change-cause"
RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"
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


def revision_history(client: Client, obj: Obj, revision: int = 0) -> str:
    """`printHistory` over the owner's ControllerRevisions (DaemonSet / StatefulSet)."""
    selector = str(label_selector_as_selector(obj["spec"].get("selector")))
    ns, uid = obj["metadata"]["namespace"], obj["metadata"]["uid"]
    items = client.list("controllerrevisions", ns, label_selector=selector)["items"]
    info: dict[int, Obj] = {}
    for cr in items:
        refs = cr["metadata"].get("ownerReferences") or []
        if any(r.get("controller") and r.get("uid") == uid for r in refs):
            info[int(cr.get("revision") or 0)] = cr
    if not info:
        return "No rollout history found."
    if revision > 0:
        if revision not in info:
            raise ValueError("error: unable to find the specified revision")
        data = info[revision].get("data") or {}
        template: Obj = copy.deepcopy((data.get("spec") or {}).get("template") or {})
        template.pop("$patch", None)
        w = PrefixWriter(client.loop.datetime())
        describe_pod_template(w, template)
        return w.text()
    rows = ["REVISION\tCHANGE-CAUSE\n"]
    for rev in sorted(info):
        cause = (info[rev]["metadata"].get("annotations") or {}).get(CHANGE_CAUSE)
        rows.append(f"{rev}\t{cause or '<none>'}\n")
    return tabwrite("".join(rows), minwidth=0, padding=2)


StatusViewer = Callable[["Client", str, str, int], "tuple[str, bool]"]
# kind → status viewer (`polymorphichelpers.StatusViewerFor`); other kinds can add theirs.
STATUS_VIEWERS: dict[str, StatusViewer] = {
    "Deployment": deployment_status,
    "DaemonSet": daemonset_status,
    "StatefulSet": statefulset_status,
}
HISTORY_KINDS = ("Deployment", "DaemonSet", "StatefulSet")


def _target(verb: str, words: list[str]) -> tuple[kinds.ResourceInfo, str]:
    if not words:
        raise ValueError("error: required resource not specified")
    requests, _ = parse_resource_args(words)
    info, names = requests[0]
    if not names:
        raise ValueError("error: required resource not specified")
    supported = {"status": tuple(STATUS_VIEWERS), "history": HISTORY_KINDS}.get(
        verb, ("Deployment",)
    )
    if info.kind not in supported:
        raise ValueError(f"error: no status viewer has been implemented for {info.kind}")
    return info, names[0]


def owned_replica_sets(client: Client, d: Obj) -> list[Obj]:
    """The ReplicaSets the Deployment controls (`deploymentutil.GetAllReplicaSets`)."""
    selector = str(label_selector_as_selector(d["spec"].get("selector")))
    items = client.list("replicasets", d["metadata"]["namespace"], label_selector=selector)["items"]
    uid = d["metadata"]["uid"]
    return [
        rs
        for rs in items
        if any(
            r.get("controller") and r.get("uid") == uid
            for r in rs["metadata"].get("ownerReferences") or []
        )
    ]


def history(client: Client, d: Obj, revision: int = 0) -> str:
    """`DeploymentHistoryViewer.ViewHistory`: the REVISION CHANGE-CAUSE table or one template."""
    info: dict[int, Obj] = {}
    for rs in owned_replica_sets(client, d):
        template = copy.deepcopy(rs["spec"].get("template") or {})
        cause = (rs["metadata"].get("annotations") or {}).get(CHANGE_CAUSE)
        if cause:
            template.setdefault("metadata", {}).setdefault("annotations", {})[CHANGE_CAUSE] = cause
        info[du.revision(rs)] = template
    if not info:
        return "No rollout history found."
    if revision > 0:
        if revision not in info:
            raise ValueError("error: unable to find the specified revision")
        w = PrefixWriter(client.loop.datetime())
        describe_pod_template(w, info[revision])
        return w.text()
    rows = ["REVISION\tCHANGE-CAUSE\n"]
    for rev in sorted(info):
        cause = ((info[rev].get("metadata") or {}).get("annotations") or {}).get(CHANGE_CAUSE)
        rows.append(f"{rev}\t{cause or '<none>'}\n")
    return tabwrite("".join(rows), minwidth=0, padding=2)


def undo(client: Client, d: Obj, to_revision: int = 0) -> str:
    """`DeploymentRollbacker.Rollback`: patch the Deployment back to an old template."""
    name = d["metadata"]["name"]
    if d["spec"].get("paused"):
        raise ValueError(
            "error: you cannot rollback a paused deployment; resume it first with "
            "'kubectl rollout resume' and try again"
        )
    target: Obj | None = None
    latest: tuple[int, Obj | None] = (-1, None)
    previous: tuple[int, Obj | None] = (-1, None)
    for rs in owned_replica_sets(client, d):
        v = du.revision(rs)
        if to_revision == 0:
            if latest[0] < v:
                previous, latest = latest, (v, rs)
            elif previous[0] < v:
                previous = (v, rs)
        elif v == to_revision:
            target = rs
    if to_revision > 0 and target is None:
        raise ValueError(f"error: unable to find specified revision {to_revision} in history")
    if to_revision == 0:
        if previous[1] is None:
            raise ValueError(f'error: no rollout history found for deployment "{name}"')
        target, to_revision = previous[1], previous[0]
    assert target is not None
    template = copy.deepcopy(target["spec"]["template"])
    if du.equal_ignore_hash(template, d["spec"]["template"]):
        return f"skipped rollback (current template already matches revision {to_revision})"
    (template.get("metadata") or {}).get("labels", {}).pop(du.UNIQUE_LABEL_KEY, None)
    annotations = {
        k: v
        for k, v in (d["metadata"].get("annotations") or {}).items()
        if k in du.ANNOTATIONS_TO_SKIP
    }
    annotations.update(
        {
            k: v
            for k, v in (target["metadata"].get("annotations") or {}).items()
            if k not in du.ANNOTATIONS_TO_SKIP
        }
    )
    patch = [
        {"op": "replace", "path": "/spec/template", "value": template},
        {"op": "replace", "path": "/metadata/annotations", "value": annotations},
    ]
    client.patch("deployments", name, patch, d["metadata"]["namespace"], patch_type="json")
    return "rolled back"


def _set_paused(client: Client, d: Obj, paused: bool) -> str:
    word = "paused" if paused else "resumed"
    if bool(d["spec"].get("paused")) == paused:
        return f"already {word}"
    patch = {"spec": {"paused": True if paused else None}}
    client.patch("deployments", d["metadata"]["name"], patch, d["metadata"]["namespace"])
    return word


def restart(client: Client, d: Obj) -> str:
    """`defaultObjectRestarter`: stamp the template with `restartedAt` (virtual time)."""
    if d["spec"].get("paused"):
        raise ValueError("error: can't restart paused deployment (run rollout resume first)")
    patch = {
        "spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: client.loop.timestamp()}}}}
    }
    client.patch("deployments", d["metadata"]["name"], patch, d["metadata"]["namespace"])
    return "restarted"


def _int_flag(args: Args, name: str) -> int:
    value = args.flag(name) or "0"
    try:
        return int(value)
    except ValueError:
        raise ValueError(f'error: invalid argument "{value}" for "--{name}" flag') from None


@register("rollout")
def rollout(client: Client, args: Args) -> str:
    """`kubectl rollout SUBCOMMAND TYPE/NAME`."""
    if not args.positional:
        raise ValueError(
            "error: Required subcommand: status, history, undo, pause, resume or restart"
        )
    verb, words = args.positional[0], args.positional[1:]
    info, name = _target(verb, words)
    namespace = args.namespace
    if verb == "status":
        watch = args.flags.get("watch")
        if watch is True or watch == "true":
            timeout = float(
                str(args.flag("timeout", "") or "").rstrip("s") or DEFAULT_WATCH_TIMEOUT
            )
            return watch_rollout(client, name, namespace, timeout, info.kind)
        return rollout_status(client, name, namespace, _int_flag(args, "revision"), info.kind)[0]
    d = client.get(info.plural, name, namespace)
    shown = display_name(info, name)
    if verb == "history":
        revision = _int_flag(args, "revision")
        table = (history if info.kind == "Deployment" else revision_history)(client, d, revision)
        heading = f"with revision #{revision}" if revision else ""
        return f"{shown} {heading}\n{table}\n"
    if verb == "undo":
        return f"{shown} {undo(client, d, _int_flag(args, 'to-revision'))}\n"
    if verb in ("pause", "resume"):
        return f"{shown} {_set_paused(client, d, verb == 'pause')}\n"
    if verb == "restart":
        return f"{shown} {restart(client, d)}\n"
    raise ValueError(f'error: unknown command "{verb}" for "kubectl rollout"')
