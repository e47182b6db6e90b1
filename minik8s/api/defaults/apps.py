"""apps/v1 defaults, mirroring `pkg/apis/apps/v1/defaults.go` (+ generated template defaulters).

Every workload's `spec.template.spec` also gets `SetDefaults_PodSpec` and the nested container,
probe and volume defaults, like upstream's `SetObjectDefaults_*`. Left out: the
`MaxUnavailableStatefulSet` alpha gate (no `maxUnavailable` default for StatefulSets).
"""

from __future__ import annotations

from typing import Any

from minik8s.api.defaults import defaults_for
from minik8s.api.defaults.pod import child, set_defaults_pod_template, set_defaults_pvc_template

Obj = dict[str, Any]


def _template(spec: Obj) -> None:
    set_defaults_pod_template(child(spec, "template"))


@defaults_for("Deployment")
def set_defaults_deployment(obj: Obj) -> None:
    """`SetDefaults_Deployment`: replicas 1, RollingUpdate 25%/25%, history 10, deadline 600."""
    spec = child(obj, "spec")
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    strategy = child(spec, "strategy")
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if rolling is None:
            rolling = strategy["rollingUpdate"] = {}
        if rolling.get("maxUnavailable") is None:
            rolling["maxUnavailable"] = "25%"
        if rolling.get("maxSurge") is None:
            rolling["maxSurge"] = "25%"
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    if spec.get("progressDeadlineSeconds") is None:
        spec["progressDeadlineSeconds"] = 600
    _template(spec)


@defaults_for("ReplicaSet")
def set_defaults_replica_set(obj: Obj) -> None:
    """`SetDefaults_ReplicaSet`: replicas 1."""
    spec = child(obj, "spec")
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    _template(spec)


@defaults_for("DaemonSet")
def set_defaults_daemon_set(obj: Obj) -> None:
    """`SetDefaults_DaemonSet`: RollingUpdate maxUnavailable 1 maxSurge 0, history 10."""
    spec = child(obj, "spec")
    strategy = child(spec, "updateStrategy")
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if rolling is None:
            rolling = strategy["rollingUpdate"] = {}
        if rolling.get("maxUnavailable") is None:
            rolling["maxUnavailable"] = 1
        if rolling.get("maxSurge") is None:
            rolling["maxSurge"] = 0
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    _template(spec)


@defaults_for("StatefulSet")
def set_defaults_stateful_set(obj: Obj) -> None:
    """`SetDefaults_StatefulSet`: OrderedReady, RollingUpdate partition 0, Retain/Retain, ..."""
    spec = child(obj, "spec")
    if not spec.get("podManagementPolicy"):
        spec["podManagementPolicy"] = "OrderedReady"
    strategy = child(spec, "updateStrategy")
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
        if strategy.get("rollingUpdate") is None:
            strategy["rollingUpdate"] = {}
    rolling = strategy.get("rollingUpdate")
    if strategy["type"] == "RollingUpdate" and rolling is not None:
        if rolling.get("partition") is None:
            rolling["partition"] = 0
    policy = spec.get("persistentVolumeClaimRetentionPolicy")
    if policy is None:
        policy = spec["persistentVolumeClaimRetentionPolicy"] = {}
    for key in ("whenDeleted", "whenScaled"):
        if not policy.get(key):
            policy[key] = "Retain"
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    _template(spec)
    for claim in spec.get("volumeClaimTemplates") or []:
        set_defaults_pvc_template(claim)
