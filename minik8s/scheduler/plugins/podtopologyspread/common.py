"""Spread constraints, mirroring `podtopologyspread/common.go` and the plugins helper
`DefaultSelector` (`plugins/helper/spread.go`).

A pod without constraints of its own gets the system defaults (`defaultingType: System`):
hostname maxSkew 3 and zone maxSkew 5, both ScheduleAnyway, selecting the pods of the same
Services / ReplicaSet / StatefulSet / ReplicationController.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from minik8s.api.labels import (
    EQUALS,
    IN,
    Requirement,
    Selector,
    label_selector_as_selector,
    nothing,
)
from minik8s.api.taints import find_matching_untolerated_taint
from minik8s.scheduler.affinity import RequiredNodeAffinity
from minik8s.scheduler.types import NodeInfo, PodInfo

Obj = dict[str, Any]
LABEL_HOSTNAME = "kubernetes.io/hostname"
LABEL_ZONE = "topology.kubernetes.io/zone"
SYSTEM_DEFAULT_CONSTRAINTS = [
    {"maxSkew": 3, "topologyKey": LABEL_HOSTNAME, "whenUnsatisfiable": "ScheduleAnyway"},
    {"maxSkew": 5, "topologyKey": LABEL_ZONE, "whenUnsatisfiable": "ScheduleAnyway"},
]
DO_NOT_SCHEDULE, SCHEDULE_ANYWAY = "DoNotSchedule", "ScheduleAnyway"


@dataclass(frozen=True)
class Constraint:
    """upstream `topologySpreadConstraint`."""

    max_skew: int
    topology_key: str
    selector: Selector
    min_domains: int = 1
    node_affinity_policy: str = "Honor"
    node_taints_policy: str = "Ignore"

    def includes_every_node(self, required: RequiredNodeAffinity) -> bool:
        """Whether `match_node_inclusion_policies` is true for every node, whatever its labels
        and taints (the policies are Ignore, or Honor a pod without a required node affinity)."""
        affinity_free = self.node_affinity_policy != "Honor" or required.empty()
        return affinity_free and self.node_taints_policy != "Honor"

    def match_node_inclusion_policies(
        self, pod: PodInfo, node: NodeInfo, required: RequiredNodeAffinity
    ) -> bool:
        """upstream `matchNodeInclusionPolicies`."""
        if self.node_affinity_policy == "Honor" and not required.match(node.name, node.labels):
            return False
        if self.node_taints_policy == "Honor":
            taint = find_matching_untolerated_taint(
                node.taints,
                pod.spec.get("tolerations"),
                lambda t: t.get("effect") in ("NoSchedule", "NoExecute"),
            )
            if taint is not None:
                return False
        return True


def _selector(raw: Obj | None) -> Selector:
    try:
        return label_selector_as_selector(raw)
    except ValueError:
        return nothing()


def filter_constraints(raw: list[Obj], labels: dict[str, str], action: str) -> list[Constraint]:
    """upstream `filterTopologySpreadConstraints`: those with `whenUnsatisfiable == action`."""
    result = []
    for c in raw:
        if c.get("whenUnsatisfiable") != action:
            continue
        selector = _selector(c.get("labelSelector"))
        keys = [k for k in c.get("matchLabelKeys") or [] if k in labels]
        if keys and not selector.matches_nothing():
            selector = selector.add(*(Requirement(k, IN, (labels[k],)) for k in keys))
        result.append(
            Constraint(
                int(c.get("maxSkew") or 1),
                c.get("topologyKey") or "",
                selector,
                int(c.get("minDomains") or 1),
                c.get("nodeAffinityPolicy") or "Honor",
                c.get("nodeTaintsPolicy") or "Ignore",
            )
        )
    return result


def default_selector(pod: PodInfo, listers: dict[str, Any]) -> Selector:
    """upstream `helper.DefaultSelector`: Services' selectors plus the controller's."""
    merged: dict[str, str] = {}
    services = listers.get("services")
    if services is not None:
        for svc in services.list(pod.namespace):
            sel = (svc.get("spec") or {}).get("selector") or {}
            if sel and all(pod.labels.get(k) == v for k, v in sel.items()):
                merged.update(sel)
    selector = Selector([Requirement(k, EQUALS, (v,)) for k, v in merged.items()])
    owner = controller_ref(pod)
    if not owner:
        return selector
    kind = owner.get("kind")
    lister = listers.get(
        {"ReplicaSet": "replicasets", "StatefulSet": "statefulsets"}.get(kind or "", "")
        or ("replicationcontrollers" if kind == "ReplicationController" else "")
    )
    if lister is None:
        return selector
    try:
        controller = lister.get(pod.namespace, owner["name"])
    except Exception:  # NotFound
        return selector
    raw = (controller.get("spec") or {}).get("selector")
    if kind == "ReplicationController":
        merged.update(raw or {})
        return Selector([Requirement(k, EQUALS, (v,)) for k, v in merged.items()])
    other = _selector(raw)
    return selector if other.matches_nothing() else selector.add(*other.requirements())


def controller_ref(pod: PodInfo) -> Obj:
    """upstream `metav1.GetControllerOf`: the owner reference with `controller`, else {}."""
    refs = pod.pod["metadata"].get("ownerReferences") or []
    return next((r for r in refs if r.get("controller")), {})


def count_pods_match_selector(node: NodeInfo, selector: Selector, namespace: str) -> int:
    """upstream `countPodsMatchSelector`: terminating pods and other namespaces excluded."""
    if selector.empty():
        return 0
    count = 0
    for info in node.pods.values():
        if info.namespace != namespace or info.pod["metadata"].get("deletionTimestamp"):
            continue
        if selector.matches(info.labels):
            count += 1
    return count


def node_labels_match_spread_constraints(
    labels: dict[str, str], constraints: list[Constraint]
) -> bool:
    """upstream `nodeLabelsMatchSpreadConstraints`: every topology key is present."""
    return all(c.topology_key in labels for c in constraints)
