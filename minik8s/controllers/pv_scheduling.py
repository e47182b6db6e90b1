"""What the scheduler's VolumeBinding plugin decides, mirroring
`pkg/scheduler/framework/plugins/volumebinding/binder.go` (`GetPodVolumeClaims`,
`FindPodVolumes`, `BindPodVolumes`) as pure functions the plugin can call.

PreFilter: `get_pod_volume_claims` sorts a pod's claims into bound, unbound-immediate (the pod
is unschedulable until the PV controller binds them) and unbound-WaitForFirstConsumer ones.
Filter: `find_pod_volumes(claims, node, volumes, classes)` says, per node, which delayed claims
bind to which existing PV and which must be provisioned there, or why the node does not fit
(upstream's reasons). PreBind: `bind_pod_volumes` writes the decisions: a PV's `claimRef`, or
the claim's `volume.kubernetes.io/selected-node` annotation for the provisioner; the plugin then
waits until every claim is Bound (`all_bound`). Left out: CSI storage capacity tracking,
`AllowedTopologies` beyond matchLabelExpressions, the assume cache, the binding timeout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from minik8s.api.meta import json_copy
from minik8s.controllers import pv_util as util

Obj = dict[str, Any]
ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind"
ERR_REASON_NODE_CONFLICT = "node(s) had volume node affinity conflict"
ERR_REASON_PV_NOT_EXIST = (
    "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)"
)
ERR_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims"
NO_PROVISIONER = "kubernetes.io/no-provisioner"


@dataclass
class PodVolumeClaims:
    """A pod's claims, sorted as upstream's `PodVolumeClaims`."""

    bound: list[Obj] = field(default_factory=list)
    unbound_delay_binding: list[Obj] = field(default_factory=list)
    unbound_immediate: list[Obj] = field(default_factory=list)

    def __repr__(self) -> str:
        return (
            f"<PodVolumeClaims bound={len(self.bound)} delayed={len(self.unbound_delay_binding)}"
            f" immediate={len(self.unbound_immediate)}>"
        )


@dataclass
class PodVolumes:
    """One node's answer: PVs to bind, claims to provision, reasons it does not fit."""

    bindings: list[tuple[Obj, Obj]] = field(default_factory=list)  # (pv, claim)
    provisions: list[Obj] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        return (
            f"<PodVolumes bind={len(self.bindings)} provision={len(self.provisions)} "
            f"reasons={self.reasons}>"
        )


def get_pod_volume_claims(
    pod: Obj, claims: dict[str, Obj], classes: dict[str, Obj]
) -> tuple[PodVolumeClaims | None, str | None]:
    """Sort the pod's claims (`claims`: the namespace's claims by name) as upstream's
    `GetPodVolumeClaims`; or the error of `podHasPVCs` that makes the pod unschedulable (not
    found, Lost, being deleted). A claim is bound once its binding completed; one that names a
    volume but is not yet bound counts as unbound immediate."""
    result = PodVolumeClaims()
    for name, ephemeral in _pod_claims(pod):
        claim = claims.get(name)
        if claim is None:
            if ephemeral:
                return None, (
                    "waiting for ephemeral volume controller to create the "
                    f'persistentvolumeclaim "{name}"'
                )
            return None, f'persistentvolumeclaim "{name}" not found'
        volume_name = claim.get("spec", {}).get("volumeName") or ""
        if (claim.get("status") or {}).get("phase") == "Lost":
            return None, (
                f'persistentvolumeclaim "{name}" bound to non-existent persistentvolume '
                f'"{volume_name}"'
            )
        if claim["metadata"].get("deletionTimestamp"):
            return None, f'persistentvolumeclaim "{name}" is being deleted'
        if volume_name and util.ANN_BIND_COMPLETED in util.annotations_of(claim):
            result.bound.append(claim)
        elif util.is_delay_binding_mode(claim, classes) and not volume_name:
            result.unbound_delay_binding.append(claim)
        else:
            result.unbound_immediate.append(claim)
    return result, None


def _pod_claims(pod: Obj) -> list[tuple[str, bool]]:
    """(claim name, is a generic ephemeral volume) for each claim volume of the pod."""
    return [
        (name, bool(volume.get("ephemeral")))
        for volume, name in zip(
            [v for v in pod.get("spec", {}).get("volumes") or [] if _is_claim(v)],
            util.pod_claim_names(pod),
            strict=True,
        )
    ]


def _is_claim(volume: Obj) -> bool:
    return bool(volume.get("persistentVolumeClaim") or volume.get("ephemeral"))


def _allowed_on(sc: Obj | None, node: Obj) -> bool:
    labels = node.get("metadata", {}).get("labels") or {}
    for term in (sc or {}).get("allowedTopologies") or []:
        if all(
            labels.get(expr.get("key")) in (expr.get("values") or [])
            for expr in term.get("matchLabelExpressions") or []
        ):
            return True
    return not (sc or {}).get("allowedTopologies")


def find_pod_volumes(
    pod_claims: PodVolumeClaims, node: Obj, volumes: list[Obj], classes: dict[str, Obj]
) -> PodVolumes:
    """upstream `FindPodVolumes` for one node."""
    result = PodVolumes()
    by_name = {v["metadata"]["name"]: v for v in volumes}
    bound_ok, unbound_ok = True, True
    for claim in pod_claims.bound:
        pv = by_name.get(claim["spec"]["volumeName"])
        if pv is None:
            result.reasons.append(ERR_REASON_PV_NOT_EXIST)
            return result
        if util.check_node_affinity(pv, node) is not None:
            bound_ok = False
    node_name = node["metadata"]["name"]
    to_match: list[Obj] = []
    for claim in pod_claims.unbound_delay_binding:
        selected = util.annotations_of(claim).get(util.ANN_SELECTED_NODE)
        if selected is None:
            to_match.append(claim)
        elif selected != node_name:
            unbound_ok = False
        else:
            result.provisions.append(claim)
    chosen: set[str] = set()
    for claim in sorted(to_match, key=util.claim_request):
        same_class = [v for v in volumes if util.volume_class(v) == util.claim_class(claim)]
        pv = util.find_matching_volume(claim, same_class, node, frozenset(chosen), True)
        if pv is None:
            result.provisions.append(claim)
        else:
            chosen.add(pv["metadata"]["name"])
            result.bindings.append((pv, claim))
    for claim in result.provisions:
        sc = classes.get(util.claim_class(claim))
        if sc is None or sc.get("provisioner") == NO_PROVISIONER or not _allowed_on(sc, node):
            unbound_ok = False
    if not bound_ok:
        result.reasons.append(ERR_REASON_NODE_CONFLICT)
    if not unbound_ok:
        result.reasons.append(ERR_REASON_BIND_CONFLICT)
    return result


def bind_pod_volumes(client: Any, pod_volumes: PodVolumes, node_name: str) -> None:
    """upstream `BindPodVolumes`: pre-bind PVs to their claims, mark claims to provision."""
    for pv, claim in pod_volumes.bindings:
        pv = json_copy(pv)
        pv["spec"]["claimRef"] = util.claim_ref(claim)
        pv["metadata"].setdefault("annotations", {})[util.ANN_BOUND_BY_CONTROLLER] = "yes"
        client.update("persistentvolumes", pv)
    for claim in pod_volumes.provisions:
        if util.annotations_of(claim).get(util.ANN_SELECTED_NODE) == node_name:
            continue
        claim = json_copy(claim)
        claim["metadata"].setdefault("annotations", {})[util.ANN_SELECTED_NODE] = node_name
        client.update("persistentvolumeclaims", claim)


def all_bound(claims: list[Obj]) -> bool:
    """Whether every claim is Bound (PreBind waits for this before the pod is bound)."""
    return all((c.get("status") or {}).get("phase") == "Bound" for c in claims)
