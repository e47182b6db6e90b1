"""DaemonSet helpers, mirroring `pkg/controller/daemon/util/daemonset_util.go`
(`AddOrUpdateDaemonPodTolerations`, `CreatePodTemplate`, `IsPodUpdated`, `SurgeCount`,
`UnavailableCount`, `ReplaceDaemonSetPodNodeNameNodeAffinity`, `GetTargetNodeName`),
`NodeShouldRunDaemonPod` / `NewPod` / `predicates` of `daemon_controller.go`, and
`ControllerExpectations` of `pkg/controller/controller_utils.go`.

The `deprecated.daemonset.template.generation` annotation is the API server's
(`minik8s.apiserver.daemonset_strategy`); it is read when present, otherwise pods are matched
by hash alone, as upstream does for a parse error.
Left out: the expectations' UID tracking (`UIDTrackingControllerExpectations`).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.intstr import get_scaled_value_from_int_or_percent
from minik8s.api.meta import deep_copy
from minik8s.api.taints import (
    NO_EXECUTE,
    NO_SCHEDULE,
    TAINT_NODE_NOT_READY,
    TAINT_NODE_UNREACHABLE,
    find_matching_untolerated_taint,
    match_toleration,
)
from minik8s.apiserver.daemonset_strategy import TEMPLATE_GENERATION_ANNOTATION
from minik8s.controllers.history import CONTROLLER_REVISION_HASH_LABEL
from minik8s.scheduler.affinity import RequiredNodeAffinity

Obj = dict[str, Any]
TEMPLATE_GENERATION_LABEL = "pod-template-generation"
EXPECTATIONS_TIMEOUT = 300.0  # upstream ExpectationsTimeout: 5 minutes
BURST_REPLICAS = 250  # upstream BurstReplicas


def _toleration(key: str, effect: str) -> Obj:
    return {"key": key, "operator": "Exists", "effect": effect}


DAEMON_POD_TOLERATIONS = (
    _toleration(TAINT_NODE_NOT_READY, NO_EXECUTE),
    _toleration(TAINT_NODE_UNREACHABLE, NO_EXECUTE),
    _toleration("node.kubernetes.io/disk-pressure", NO_SCHEDULE),
    _toleration("node.kubernetes.io/memory-pressure", NO_SCHEDULE),
    _toleration("node.kubernetes.io/pid-pressure", NO_SCHEDULE),
    _toleration("node.kubernetes.io/unschedulable", NO_SCHEDULE),
)
HOST_NETWORK_TOLERATION = _toleration("node.kubernetes.io/network-unavailable", NO_SCHEDULE)


def add_or_update_toleration(spec: Obj, toleration: Obj) -> None:
    """upstream `AddOrUpdateTolerationInPodSpec`: replace a matching toleration or append."""
    tolerations = spec.setdefault("tolerations", [])
    for i, existing in enumerate(tolerations):
        if match_toleration(existing, toleration):
            tolerations[i] = dict(toleration)
            return
    tolerations.append(dict(toleration))


def add_or_update_daemon_pod_tolerations(spec: Obj) -> None:
    """upstream `AddOrUpdateDaemonPodTolerations`: survive node problems (not-ready, ...)."""
    for toleration in DAEMON_POD_TOLERATIONS:
        add_or_update_toleration(spec, toleration)
    if spec.get("hostNetwork"):
        add_or_update_toleration(spec, HOST_NETWORK_TOLERATION)


def new_pod(ds: Obj, node_name: str) -> Obj:
    """upstream `NewPod`: the template on `node_name`, with the daemon tolerations."""
    template = ds["spec"]["template"]
    pod = {
        "metadata": {**deep_copy(template.get("metadata") or {}), "namespace": ds_namespace(ds)},
        "spec": deep_copy(template.get("spec") or {}),
    }
    pod["spec"]["nodeName"] = node_name
    add_or_update_daemon_pod_tolerations(pod["spec"])
    return pod


def ds_namespace(ds: Obj) -> str:
    return str(ds["metadata"].get("namespace") or "")


class DaemonPodPredicates:
    """upstream `NodeShouldRunDaemonPod` for one DaemonSet, its pod built once (not per node)."""

    def __init__(self, ds: Obj):
        pod = new_pod(ds, "")
        self.template_node = ds["spec"]["template"].get("spec", {}).get("nodeName") or ""
        self.affinity = RequiredNodeAffinity(pod)
        self.tolerations = pod["spec"]["tolerations"]

    def __repr__(self) -> str:
        return f"<DaemonPodPredicates tolerations={len(self.tolerations)}>"

    def __call__(self, node: Obj) -> tuple[bool, bool]:
        """(should run, should continue running) on `node`."""
        name = node["metadata"]["name"]
        if self.template_node not in ("", name):
            return False, False
        if not self.affinity.match(name, node["metadata"].get("labels") or {}):
            return False, False
        taints = (node.get("spec") or {}).get("taints") or []
        untolerated = find_matching_untolerated_taint(
            taints, self.tolerations, lambda t: t.get("effect") in (NO_EXECUTE, NO_SCHEDULE)
        )
        if untolerated is not None:
            no_execute = find_matching_untolerated_taint(
                taints, self.tolerations, lambda t: t.get("effect") == NO_EXECUTE
            )
            return False, no_execute is None
        return True, True


def node_should_run_daemon_pod(node: Obj, ds: Obj) -> tuple[bool, bool]:
    """upstream `NodeShouldRunDaemonPod`: (should run, should continue running)."""
    return DaemonPodPredicates(ds)(node)


def replace_node_name_affinity(affinity: Obj | None, node_name: str) -> Obj:
    """upstream `ReplaceDaemonSetPodNodeNameNodeAffinity`: require `metadata.name In [node]`."""
    term = {
        "matchFields": [{"key": "metadata.name", "operator": "In", "values": [node_name]}],
    }
    affinity = deep_copy(affinity) if affinity else {}
    node_affinity = affinity.setdefault("nodeAffinity", {})
    required = node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution")
    if required is None:
        node_affinity["requiredDuringSchedulingIgnoredDuringExecution"] = {
            "nodeSelectorTerms": [term]
        }
    else:
        required["nodeSelectorTerms"] = [term]
    return affinity


def get_target_node_name(pod: Obj) -> str | None:
    """upstream `GetTargetNodeName`: `spec.nodeName`, else the node the affinity pins it to."""
    spec = pod.get("spec") or {}
    if spec.get("nodeName"):
        return str(spec["nodeName"])
    required = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution"
    ) or {}
    for term in required.get("nodeSelectorTerms") or []:
        for expr in term.get("matchFields") or []:
            if expr.get("key") == "metadata.name" and expr.get("operator") == "In":
                values = expr.get("values") or []
                return str(values[0]) if len(values) == 1 else None
    return None


def get_template_generation(ds: Obj) -> int | None:
    """upstream `GetTemplateGeneration`: the annotation, None when absent or unparsable."""
    value = (ds["metadata"].get("annotations") or {}).get(TEMPLATE_GENERATION_ANNOTATION)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def create_pod_template(template: Obj, generation: int | None, hash_: str) -> Obj:
    """upstream `CreatePodTemplate`: daemon tolerations, generation and hash labels."""
    new = deep_copy(template)
    add_or_update_daemon_pod_tolerations(new.setdefault("spec", {}))
    labels = new.setdefault("metadata", {}).setdefault("labels", {})
    if generation is not None:
        labels[TEMPLATE_GENERATION_LABEL] = str(generation)
    if hash_:
        labels[CONTROLLER_REVISION_HASH_LABEL] = hash_
    return new


def is_pod_updated(pod: Obj, hash_: str, generation: int | None) -> bool:
    """upstream `IsPodUpdated`: the pod carries the current hash (or template generation)."""
    labels = pod["metadata"].get("labels") or {}
    by_generation = generation is not None and labels.get(TEMPLATE_GENERATION_LABEL) == str(
        generation
    )
    return by_generation or (bool(hash_) and labels.get(CONTROLLER_REVISION_HASH_LABEL) == hash_)


def _rolling(ds: Obj) -> Obj | None:
    strategy = ds["spec"].get("updateStrategy") or {}
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        return None
    return strategy.get("rollingUpdate")  # type: ignore[no-any-return]


def surge_count(ds: Obj, number_to_schedule: int) -> int:
    """upstream `SurgeCount` (percentages round up)."""
    rolling = _rolling(ds)
    if not rolling or rolling.get("maxSurge") is None:
        return 0
    return get_scaled_value_from_int_or_percent(rolling["maxSurge"], number_to_schedule, True)


def unavailable_count(ds: Obj, number_to_schedule: int) -> int:
    """upstream `UnavailableCount` (percentages round up)."""
    rolling = _rolling(ds)
    if not rolling or rolling.get("maxUnavailable") is None:
        return 0
    return get_scaled_value_from_int_or_percent(rolling["maxUnavailable"], number_to_schedule, True)


def allows_surge(ds: Obj) -> bool:
    """upstream `AllowsSurge`: a non-zero maxSurge."""
    return surge_count(ds, 1) != 0


def pod_order_key(pod: Obj) -> tuple[int, str, str]:
    """upstream `podByCreationTimestampAndPhase`: scheduled first, then oldest, then name."""
    meta = pod["metadata"]
    scheduled = 0 if (pod.get("spec") or {}).get("nodeName") else 1
    return scheduled, meta.get("creationTimestamp") or "", meta["name"]


class ControllerExpectations:
    """upstream `ControllerExpectations`: creates/deletes a controller still waits to see."""

    def __init__(self) -> None:
        self._store: dict[str, tuple[int, int, float]] = {}

    def __repr__(self) -> str:
        return f"<ControllerExpectations {sorted(self._store.items())}>"

    def satisfied(self, key: str, now: float) -> bool:
        """No record, all observed, or expired after five minutes."""
        record = self._store.get(key)
        if record is None:
            return True
        add, delete, since = record
        return (add <= 0 and delete <= 0) or now - since > EXPECTATIONS_TIMEOUT

    def set(self, key: str, add: int, delete: int, now: float) -> None:
        self._store[key] = (add, delete, now)

    def lower(self, key: str, add: int, delete: int) -> None:
        if key in self._store:
            a, d, since = self._store[key]
            self._store[key] = (a - add, d - delete, since)

    def creation_observed(self, key: str) -> None:
        self.lower(key, 1, 0)

    def deletion_observed(self, key: str) -> None:
        self.lower(key, 0, 1)

    def delete(self, key: str) -> None:
        self._store.pop(key, None)
