"""`kubectl rollout status|history|undo|pause|resume|restart` for Deployments, mirroring
`k8s.io/kubectl/pkg/cmd/rollout/*` and `pkg/polymorphichelpers` (DeploymentStatusViewer,
DeploymentHistoryViewer, DeploymentRollbacker, the pause/resume/restart object patchers).

Time is virtual, so `rollout status` does not block by default: one call prints the line for the
current state (like `--watch=false`). `--watch` / `-w` runs the cluster's event loop until the
rollout finishes (or `--timeout` virtual seconds, default 600), printing each new line, as
upstream's watch does. The viewers live in `rollout_status` (`rollout_status(client, name)` gives
the same line to Python code).
DaemonSets and StatefulSets have upstream's DaemonSetStatusViewer / StatefulSetStatusViewer,
restart, and history / undo from their ControllerRevisions (`rollout_revisions`); pause and resume
are for Deployments only, as upstream. Left out: `--record`, `--dry-run`, `-o`.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from minik8s.api import kinds
from minik8s.controllers import deployment_util as du
from minik8s.kubectl.apply import display_name
from minik8s.kubectl.cli import Args, bool_flag, register
from minik8s.kubectl.flag_values import duration_flag, int_flag
from minik8s.kubectl.get import parse_resource_args
from minik8s.kubectl.rollout_revisions import (
    CHANGE_CAUSE,
    ROLLBACK_SKIPPED,
    ROLLBACK_SUCCESS,
    controlled_by,
    print_history,
    revision_history,
    undo_revision,
)
from minik8s.kubectl.rollout_status import (  # noqa: F401 - re-exported
    DEFAULT_WATCH_TIMEOUT,
    STATUS_VIEWERS,
    daemonset_status,
    deployment_status,
    rollout_status,
    statefulset_status,
    watch_rollout,
)

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"


VERBS = ("status", "history", "undo", "pause", "resume", "restart")
HISTORY_KINDS = ("Deployment", "DaemonSet", "StatefulSet")
RESTART_KINDS = HISTORY_KINDS
# kinds `apps.GroupKindElement.Accept` knows: the others fail before a viewer is looked for
VISITOR_KINDS = HISTORY_KINDS + ("Job", "Pod", "ReplicaSet", "ReplicationController", "CronJob")


def group_kind(info: kinds.ResourceInfo) -> str:
    """`schema.GroupKind.String()`: `ReplicaSet.apps`, or `Pod` for the core group."""
    return f"{info.kind}.{info.group}" if info.group else info.kind


def _target(words: list[str]) -> tuple[kinds.ResourceInfo, str]:
    if not words:
        raise ValueError("error: required resource not specified")
    requests, _ = parse_resource_args(words)
    info, names = requests[0]
    if not names:
        raise ValueError("error: required resource not specified")
    return info, names[0]


def _check_supported(verb: str, info: kinds.ResourceInfo) -> None:
    """The viewer / rollbacker lookups, done once the object is fetched (as upstream's visitor)."""
    gk = group_kind(info)
    if verb == "status" and info.kind not in STATUS_VIEWERS:
        raise ValueError(f"error: no status viewer has been implemented for {gk}")
    if verb in ("history", "undo") and info.kind not in HISTORY_KINDS:
        noun = "history viewer" if verb == "history" else "rollbacker"
        if info.kind not in VISITOR_KINDS:
            what = "history" if verb == "history" else "rollbacker"
            raise ValueError(
                f'error: error retrieving {what} for "{gk}", no visitor method exists for {gk}'
            )
        raise ValueError(f'error: no {noun} has been implemented for "{gk}"')


def owned_replica_sets(client: Client, d: Obj) -> list[Obj]:
    """The ReplicaSets the Deployment controls (`deploymentutil.GetAllReplicaSets`)."""
    return controlled_by(client, "replicasets", d)


def history(client: Client, d: Obj, revision: int = 0) -> str:
    """`DeploymentHistoryViewer.ViewHistory`: the REVISION CHANGE-CAUSE table or one template."""
    templates: dict[int, Obj] = {}
    causes: dict[int, str | None] = {}
    for rs in owned_replica_sets(client, d):
        template = copy.deepcopy(rs["spec"].get("template") or {})
        cause = (rs["metadata"].get("annotations") or {}).get(CHANGE_CAUSE)
        if cause:
            template.setdefault("metadata", {}).setdefault("annotations", {})[CHANGE_CAUSE] = cause
        templates[du.revision(rs)], causes[du.revision(rs)] = template, cause
    return print_history(client, templates, causes, revision)


def deployment_revision(client: Client, d: Obj, to_revision: int) -> Obj:
    """`deploymentRevision`: the ReplicaSet of `to_revision`, or of the previous revision."""
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
            return rs
    if to_revision > 0:
        raise ValueError(f"error: unable to find specified revision {to_revision} in history")
    if previous[1] is None:
        name = d["metadata"]["name"]
        raise ValueError(f'error: no rollout history found for deployment "{name}"')
    return previous[1]


def undo(client: Client, d: Obj, to_revision: int = 0) -> str:
    """`DeploymentRollbacker.Rollback`: patch the Deployment back to an old template; the
    skip message names `--to-revision` as given (0 for the previous revision), like upstream."""
    name = d["metadata"]["name"]
    if to_revision < 0:
        raise ValueError(f"error: unable to find specified revision {to_revision} in history")
    target = deployment_revision(client, d, to_revision)
    if d["spec"].get("paused"):
        raise ValueError(
            "error: you cannot rollback a paused deployment; resume it first with "
            f"'kubectl rollout resume deployment/{name}' and try again"
        )
    template = copy.deepcopy(target["spec"]["template"])
    if du.equal_ignore_hash(template, d["spec"]["template"]):
        return f"{ROLLBACK_SKIPPED} (current template already matches revision {to_revision})"
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
    return ROLLBACK_SUCCESS


def _object_error(info: kinds.ResourceInfo, name: str, message: str) -> ValueError:
    """How `rollout pause|resume|restart` word an object's patch error."""
    resource = f"{info.plural}.{info.group}" if info.group else info.plural
    return ValueError(f'error: {resource} "{name}" {message}')


def set_paused(client: Client, info: kinds.ResourceInfo, obj: Obj, paused: bool) -> str:
    """`defaultObjectPauser` / `defaultObjectResumer` then the patch: Deployments only."""
    name = obj["metadata"]["name"]
    if info.kind != "Deployment":
        raise _object_error(info, name, f"{'pausing' if paused else 'resuming'} is not supported")
    if bool(obj["spec"].get("paused")) == paused:
        raise _object_error(info, name, "is already paused" if paused else "is not paused")
    patch = {"spec": {"paused": True if paused else None}}
    client.patch(info.plural, name, patch, obj["metadata"]["namespace"])
    return "paused" if paused else "resumed"


def restart(client: Client, info: kinds.ResourceInfo, obj: Obj) -> str:
    """`defaultObjectRestarter`: stamp the template with `restartedAt` (virtual time)."""
    name = obj["metadata"]["name"]
    if info.kind not in RESTART_KINDS:
        raise _object_error(info, name, "restarting is not supported")
    if obj["spec"].get("paused"):
        raise _object_error(
            info, name, "can't restart paused deployment (run rollout resume first)"
        )
    patch = {
        "spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: client.loop.timestamp()}}}}
    }
    client.patch(info.plural, name, patch, obj["metadata"]["namespace"])
    return "restarted"


@register("rollout")
def rollout(client: Client, args: Args) -> str:
    """`kubectl rollout SUBCOMMAND TYPE/NAME`."""
    if not args.positional:
        raise ValueError(
            "error: Required subcommand: status, history, undo, pause, resume or restart"
        )
    verb, words = args.positional[0], args.positional[1:]
    if verb not in VERBS:
        raise ValueError(f'error: unknown command "{verb}" for "kubectl rollout"')
    info, name = _target(words)
    namespace = args.namespace
    obj = client.get(info.plural, name, namespace)  # NotFound comes before any viewer lookup
    _check_supported(verb, info)
    if verb == "status":
        if bool_flag(args, "watch", False):  # minik8s: off by default (upstream: on)
            timeout = duration_flag(args, "timeout", DEFAULT_WATCH_TIMEOUT)
            return watch_rollout(client, name, namespace, timeout, info.kind)
        return rollout_status(client, name, namespace, int_flag(args, "revision", 0), info.kind)[0]
    shown = display_name(info, name)
    if verb == "history":
        revision = int_flag(args, "revision", 0)
        table = (history if info.kind == "Deployment" else revision_history)(client, obj, revision)
        heading = f"with revision #{revision}" if revision else ""
        return f"{shown} {heading}\n{table}\n"
    if verb == "undo":
        to_revision = int_flag(args, "to-revision", 0)
        if info.kind == "Deployment":
            return f"{shown} {undo(client, obj, to_revision)}\n"
        return f"{shown} {undo_revision(client, obj, info.plural, to_revision)}\n"
    if verb in ("pause", "resume"):
        return f"{shown} {set_paused(client, info, obj, verb == 'pause')}\n"
    return f"{shown} {restart(client, info, obj)}\n"
