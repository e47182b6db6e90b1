"""Pure helpers of the PV binder, mirroring `pkg/controller/volume/persistentvolume/util`,
`pkg/controller/volume/persistentvolume/index.go` and `component-helpers/storage/volume`
(`FindMatchingVolume`, `CheckNodeAffinity`, `CheckAccessModes`, `IsVolumeBoundToClaim`).

The scheduler's VolumeBinding plugin calls `find_matching_volume(claim, volumes, node)` and
`check_node_affinity(pv, node)` too. Everything here is a function of plain dicts: no client.
Left out: VolumeAttributesClass matching (its feature gate is off in 1.31: a claim naming a
class matches no volume), the claim-size cache of the pv index, in-tree volume plugins other
than the hostPath deleter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from minik8s.api.labels import label_selector_as_selector
from minik8s.api.quantity import Quantity, parse_quantity
from minik8s.apiserver.volume_warnings import (  # moved there; re-exported for old callers
    warnings_for_persistent_volume as warnings_for_persistent_volume,
)
from minik8s.apiserver.volume_warnings import (
    warnings_for_persistent_volume_claim as warnings_for_persistent_volume_claim,
)

Obj = dict[str, Any]

ANN_BIND_COMPLETED = "pv.kubernetes.io/bind-completed"
ANN_BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller"
ANN_SELECTED_NODE = "volume.kubernetes.io/selected-node"
ANN_STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner"
ANN_BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner"
ANN_DYNAMICALLY_PROVISIONED = "pv.kubernetes.io/provisioned-by"
ANN_BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class"
ANN_DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class"
ANN_BETA_DEFAULT_CLASS = "storageclass.beta.kubernetes.io/is-default-class"
BINDING_WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer"


def annotations_of(obj: Obj) -> dict[str, str]:
    """The object's annotations (empty dict when none)."""
    return obj.get("metadata", {}).get("annotations") or {}


def storage_of(resources: Obj | None) -> Quantity:
    """`<resources>["storage"]` as a Quantity (0 when absent or malformed)."""
    try:
        return parse_quantity((resources or {}).get("storage") or "0")
    except ValueError:
        return parse_quantity("0")


def claim_request(claim: Obj) -> Quantity:
    """The storage a claim requests."""
    return storage_of((claim.get("spec", {}).get("resources") or {}).get("requests"))


def volume_capacity(volume: Obj) -> Quantity:
    """The storage a volume offers."""
    return storage_of(volume.get("spec", {}).get("capacity"))


def claim_has_class(claim: Obj) -> bool:
    """upstream `PersistentVolumeClaimHasClass`: the beta annotation or the field is set (even
    to "")."""
    if ANN_BETA_STORAGE_CLASS in annotations_of(claim):
        return True
    return claim.get("spec", {}).get("storageClassName") is not None


def claim_class(claim: Obj) -> str:
    """upstream `GetPersistentVolumeClaimClass`: the beta annotation wins over the field."""
    ann = annotations_of(claim)
    if ANN_BETA_STORAGE_CLASS in ann:
        return ann[ANN_BETA_STORAGE_CLASS]
    return claim.get("spec", {}).get("storageClassName") or ""


def volume_class(volume: Obj) -> str:
    """upstream `GetPersistentVolumeClass`."""
    ann = annotations_of(volume)
    if ANN_BETA_STORAGE_CLASS in ann:
        return ann[ANN_BETA_STORAGE_CLASS]
    return volume.get("spec", {}).get("storageClassName") or ""


def is_default_class(sc: Obj) -> bool:
    """upstream `IsDefaultAnnotation`: the GA or beta annotation is "true"."""
    ann = annotations_of(sc)
    return ann.get(ANN_DEFAULT_CLASS) == "true" or ann.get(ANN_BETA_DEFAULT_CLASS) == "true"


def get_default_class(classes: Iterable[Obj]) -> Obj | None:
    """upstream `util.GetDefaultClass`: the newest default class, ties broken by name."""
    defaults = sorted((sc for sc in classes if is_default_class(sc)), key=_name)
    defaults.sort(key=lambda sc: sc["metadata"].get("creationTimestamp") or "", reverse=True)
    return defaults[0] if defaults else None


def _name(obj: Obj) -> str:
    return str(obj["metadata"]["name"])


def volume_mode_mismatch(claim: Obj, volume: Obj) -> bool:
    """upstream `CheckVolumeModeMismatches` (both default to Filesystem)."""
    requested = claim.get("spec", {}).get("volumeMode") or "Filesystem"
    offered = volume.get("spec", {}).get("volumeMode") or "Filesystem"
    return requested != offered


def check_access_modes(claim: Obj, volume: Obj) -> bool:
    """upstream `CheckAccessModes`: the volume offers every mode the claim asks for."""
    offered = set(volume.get("spec", {}).get("accessModes") or [])
    return all(mode in offered for mode in claim.get("spec", {}).get("accessModes") or [])


def is_volume_bound_to_claim(volume: Obj, claim: Obj) -> bool:
    """upstream `IsVolumeBoundToClaim`: claimRef names the claim (and its uid, when set)."""
    ref = volume.get("spec", {}).get("claimRef")
    meta = claim["metadata"]
    if not ref or ref.get("name") != meta.get("name"):
        return False
    if (ref.get("namespace") or "") != (meta.get("namespace") or ""):
        return False
    return not ref.get("uid") or ref.get("uid") == meta.get("uid")


def check_node_affinity(volume: Obj, node: Obj) -> str | None:
    """upstream `CheckNodeAffinity`: None if `node` satisfies the volume's required node
    affinity, else the reason."""
    from minik8s.scheduler.affinity import NodeSelector

    required = ((volume.get("spec", {}).get("nodeAffinity") or {}).get("required")) or None
    if required is None:
        return None
    meta = node.get("metadata", {})
    if NodeSelector(required).matches(meta.get("name", ""), meta.get("labels") or {}):
        return None
    return "no matching NodeSelectorTerms"


def check_volume_satisfy_claim(volume: Obj, claim: Obj) -> str | None:
    """upstream `checkVolumeSatisfyClaim` (pre-bound volumes): None, or why it does not fit."""
    if volume["metadata"].get("deletionTimestamp"):
        return f'the volume is marked for deletion "{volume["metadata"]["name"]}"'
    if volume_capacity(volume).value() < claim_request(claim).value():
        return "requested PV is too small"
    if volume_class(volume) != claim_class(claim):
        return "storageClassName does not match"
    if volume_mode_mismatch(claim, volume):
        return "incompatible volumeMode"
    if not check_access_modes(claim, volume):
        return "incompatible accessMode"
    return None


def find_matching_volume(
    claim: Obj,
    volumes: Iterable[Obj],
    node: Obj | None = None,
    excluded: frozenset[str] = frozenset(),
    delay_binding: bool = False,
) -> Obj | None:
    """upstream `FindMatchingVolume`: a volume pre-bound to the claim, else the smallest
    Available one that fits (capacity, volumeMode, selector, class, node affinity; access
    modes on the scheduler path, `node` given). The PV controller passes no node."""
    if claim.get("spec", {}).get("volumeAttributesClassName"):
        return None  # the VolumeAttributesClass feature gate is off in 1.31
    requested, wanted_class = claim_request(claim), claim_class(claim)
    selector_spec = claim.get("spec", {}).get("selector")
    selector = label_selector_as_selector(selector_spec) if selector_spec is not None else None
    best: Obj | None = None
    best_size: Quantity | None = None
    for volume in volumes:
        if volume["metadata"]["name"] in excluded:
            continue
        bound_here = is_volume_bound_to_claim(volume, claim)
        if volume.get("spec", {}).get("claimRef") is not None and not bound_here:
            continue
        size = volume_capacity(volume)
        if size.cmp(requested) < 0 or volume_mode_mismatch(claim, volume):
            continue
        if volume["metadata"].get("deletionTimestamp"):
            continue
        affinity_ok = node is None or check_node_affinity(volume, node) is None
        if bound_here:
            return volume if affinity_ok else None
        if node is None and delay_binding:
            continue
        if (volume.get("status") or {}).get("phase") != "Available":
            continue
        if selector is not None and not selector.matches(volume["metadata"].get("labels") or {}):
            continue
        if volume_class(volume) != wanted_class or not affinity_ok:
            continue
        if node is not None and not check_access_modes(claim, volume):
            continue
        if best_size is None or best_size.cmp(size) > 0:
            best, best_size = volume, size
    return best


def find_best_match_for_claim(
    claim: Obj, volumes: Iterable[Obj], delay_binding: bool = False
) -> Obj | None:
    """The PV controller's `persistentVolumeOrderedIndex.findByClaim`: volumes grouped by their
    access modes, groups offering every requested mode tried fewest modes first."""
    wanted = set(claim.get("spec", {}).get("accessModes") or [])
    groups: dict[tuple[str, ...], list[Obj]] = {}
    for volume in volumes:
        modes = tuple(sorted(set(volume.get("spec", {}).get("accessModes") or [])))
        groups.setdefault(modes, []).append(volume)
    for modes in sorted(groups, key=lambda m: (len(m), m)):
        if not wanted <= set(modes):
            continue
        found = find_matching_volume(claim, groups[modes], None, frozenset(), delay_binding)
        if found is not None:
            return found
    return None


def claim_ref(claim: Obj) -> Obj:
    """The `spec.claimRef` a volume bound to `claim` carries (upstream `GetReference`)."""
    meta = claim["metadata"]
    return {
        "kind": "PersistentVolumeClaim",
        "namespace": meta.get("namespace", ""),
        "name": meta["name"],
        "uid": meta.get("uid", ""),
        "apiVersion": "v1",
        "resourceVersion": meta.get("resourceVersion", ""),
    }


def is_delay_binding_mode(claim: Obj, classes: dict[str, Obj]) -> bool:
    """upstream `IsDelayBindingMode`: the claim's class binds WaitForFirstConsumer."""
    sc = classes.get(claim_class(claim))
    return sc is not None and sc.get("volumeBindingMode") == BINDING_WAIT_FOR_FIRST_CONSUMER


def find_deletable_plugin(volume: Obj) -> str:
    """upstream `findDeletablePlugin` with the in-tree hostPath plugin only: "" when an external
    provisioner deletes the volume, else the plugin's name; ValueError when no plugin can."""
    provisioner = annotations_of(volume).get(ANN_DYNAMICALLY_PROVISIONED) or ""
    if provisioner and not provisioner.startswith("kubernetes.io/"):
        return ""
    if volume.get("spec", {}).get("hostPath") is not None:
        return "kubernetes.io/host-path"
    name = volume["metadata"]["name"]
    raise ValueError(
        f'error getting deleter volume plugin for volume "{name}": '
        "no deletable volume plugin matched"
    )


def host_path_delete_error(volume: Obj) -> str | None:
    """upstream `hostPathDeleter.Delete`: only paths matching `/tmp/.+` may be deleted."""
    path = (volume.get("spec", {}).get("hostPath") or {}).get("path", "")
    if re.search(r"/tmp/.+", path):
        return None
    return f"host_path deleter only supports /tmp/.+ but received provided {path}"


def is_pod_terminated(pod: Obj) -> bool:
    """upstream `util.IsPodTerminated` (phase part): Succeeded or Failed."""
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def pod_claim_names(pod: Obj) -> list[str]:
    """Names of the claims a pod's volumes use (`persistentVolumeClaim` and `ephemeral`)."""
    volumes = pod.get("spec", {}).get("volumes")
    if not volumes:
        return []
    names = []
    for volume in volumes:
        if volume.get("persistentVolumeClaim"):
            names.append(volume["persistentVolumeClaim"].get("claimName", ""))
        elif volume.get("ephemeral"):
            names.append(f"{pod['metadata']['name']}-{volume.get('name', '')}")
    return names


def meta_key(obj: Obj) -> str:
    """`namespace/name` of a namespaced object."""
    return f"{obj['metadata'].get('namespace', '')}/{obj['metadata']['name']}"
