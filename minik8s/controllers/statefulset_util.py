"""StatefulSet helpers, mirroring `pkg/controller/statefulset/stateful_set_utils.go` plus the pod
readiness helpers of `pkg/api/v1/pod` (`IsPodReady`, `IsPodAvailable`) and
`controller.GetPodFromTemplate`.

Pods are `<set>-<ordinal>`; claims `<template>-<set>-<ordinal>`. The PVC retention policy is kept
with controller ownerReferences exactly as upstream's `isClaimOwnerUpToDate` /
`updateClaimOwnerRefForSetAndPod`: Retain/Retain no refs, whenDeleted=Delete a ref to the set,
whenScaled=Delete a ref to the pod once the pod is scaled away.
Left out: the `PodIndexLabel` feature gate (always on), `MaxUnavailableStatefulSet` percentages
are resolved like Deployments' (rounded down, at least 1).
"""

from __future__ import annotations

import re
from typing import Any

from minik8s.api.meta import deep_copy, owner_reference
from minik8s.api.podutil import is_pod_available, is_pod_ready, parse_time, ready_condition  # noqa: F401 (re-exported)

Obj = dict[str, Any]
STATEFUL_SET_POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"
STATEFUL_SET_REVISION_LABEL = "controller-revision-hash"
RETAIN, DELETE = "Retain", "Delete"
_ORDINAL = re.compile(r"(.*)-([0-9]+)$")


# -- pods (pkg/api/v1/pod) -----------------------------------------------------------------------


def phase(pod: Obj) -> str:
    return str((pod.get("status") or {}).get("phase") or "")


def is_created(pod: Obj) -> bool:
    """upstream `isCreated`: the API server gave it a phase."""
    return phase(pod) != ""


def is_terminating(pod: Obj) -> bool:
    return bool(pod["metadata"].get("deletionTimestamp"))


def is_running_and_ready(pod: Obj) -> bool:
    return phase(pod) == "Running" and is_pod_ready(pod)


def is_healthy(pod: Obj) -> bool:
    return is_running_and_ready(pod) and not is_terminating(pod)


def is_unavailable(pod: Obj, min_ready_seconds: int, now: float) -> bool:
    """upstream `isUnavailable`: not healthy, or healthy for less than `minReadySeconds`."""
    return not is_healthy(pod) or not is_pod_available(pod, min_ready_seconds, now)


def get_pod_from_template(template: Obj, parent: Obj) -> Obj:
    """upstream `controller.GetPodFromTemplate`: labels, annotations, finalizers, spec, owner."""
    meta = template.get("metadata") or {}
    pod_meta: Obj = {
        "namespace": parent["metadata"].get("namespace", ""),
        "labels": dict(meta.get("labels") or {}),
        "annotations": dict(meta.get("annotations") or {}),
        "ownerReferences": [owner_reference(parent)],
    }
    if meta.get("finalizers"):
        pod_meta["finalizers"] = list(meta["finalizers"])
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": pod_meta,
        "spec": deep_copy(template.get("spec") or {}),
    }


# -- identity --------------------------------------------------------------------------------------
def parent_name_and_ordinal(pod: Obj) -> tuple[str, int]:
    """upstream `getParentNameAndOrdinal`: ("", -1) when the name has no ordinal."""
    match = _ORDINAL.fullmatch(pod["metadata"]["name"])
    if match is None:
        return "", -1
    return match.group(1), int(match.group(2))


def get_ordinal(pod: Obj) -> int:
    return parent_name_and_ordinal(pod)[1]


def is_member_of(sts: Obj, pod: Obj) -> bool:
    return parent_name_and_ordinal(pod)[0] == sts["metadata"]["name"]


def start_ordinal(sts: Obj) -> int:
    """upstream `getStartOrdinal`: `spec.ordinals.start`, else 0."""
    return int(((sts["spec"].get("ordinals") or {}).get("start")) or 0)


def end_ordinal(sts: Obj) -> int:
    return start_ordinal(sts) + int(sts["spec"].get("replicas", 1)) - 1


def pod_in_ordinal_range(pod: Obj, sts: Obj) -> bool:
    return start_ordinal(sts) <= get_ordinal(pod) <= end_ordinal(sts)


def pod_name(sts: Obj, ordinal: int) -> str:
    return f"{sts['metadata']['name']}-{ordinal}"


def claim_name(sts: Obj, template: Obj, ordinal: int) -> str:
    """upstream `getPersistentVolumeClaimName`: `<template>-<set>-<ordinal>`."""
    return f"{template['metadata']['name']}-{sts['metadata']['name']}-{ordinal}"


def identity_matches(sts: Obj, pod: Obj) -> bool:
    """upstream `identityMatches` (plus the pod-name and pod-index labels `updateIdentity` sets)."""
    parent, ordinal = parent_name_and_ordinal(pod)
    labels = pod["metadata"].get("labels") or {}
    return (
        ordinal >= 0
        and parent == sts["metadata"]["name"]
        and pod["metadata"].get("namespace") == sts["metadata"].get("namespace")
        and labels.get(STATEFUL_SET_POD_NAME_LABEL) == pod["metadata"]["name"]
        and labels.get(POD_INDEX_LABEL) == str(ordinal)
    )


def update_identity(sts: Obj, pod: Obj) -> None:
    """upstream `updateIdentity`: name, namespace and the identity labels."""
    ordinal = get_ordinal(pod)
    meta = pod["metadata"]
    meta["name"] = pod_name(sts, ordinal)
    meta["namespace"] = sts["metadata"].get("namespace", "")
    labels = meta.setdefault("labels", {})
    labels[STATEFUL_SET_POD_NAME_LABEL] = meta["name"]
    labels[POD_INDEX_LABEL] = str(ordinal)


def init_identity(sts: Obj, pod: Obj) -> None:
    """upstream `initIdentity`: identity, and hostname/subdomain (immutable, set at creation)."""
    update_identity(sts, pod)
    pod["spec"]["hostname"] = pod["metadata"]["name"]
    if sts["spec"].get("serviceName"):
        pod["spec"]["subdomain"] = sts["spec"]["serviceName"]


# -- storage ---------------------------------------------------------------------------------------
def persistent_volume_claims(sts: Obj, ordinal: int) -> dict[str, Obj]:
    """upstream `getPersistentVolumeClaims`: template name → the claim for this ordinal."""
    claims = {}
    selector_labels = (sts["spec"].get("selector") or {}).get("matchLabels") or {}
    for template in sts["spec"].get("volumeClaimTemplates") or []:
        claim = deep_copy(template)
        claim.setdefault("apiVersion", "v1")
        claim.setdefault("kind", "PersistentVolumeClaim")
        meta = claim.setdefault("metadata", {})
        meta["name"] = claim_name(sts, template, ordinal)
        meta["namespace"] = sts["metadata"].get("namespace", "")
        meta["labels"] = {**(meta.get("labels") or {}), **selector_labels}
        claim.pop("status", None)
        claims[template["metadata"]["name"]] = claim
    return claims


def storage_matches(sts: Obj, pod: Obj) -> bool:
    """upstream `storageMatches`: the pod mounts every claim of its ordinal."""
    ordinal = get_ordinal(pod)
    if ordinal < 0:
        return False
    volumes = {v.get("name"): v for v in pod["spec"].get("volumes") or []}
    for template in sts["spec"].get("volumeClaimTemplates") or []:
        source = (volumes.get(template["metadata"]["name"]) or {}).get("persistentVolumeClaim")
        if not source or source.get("claimName") != claim_name(sts, template, ordinal):
            return False
    return True


def update_storage(sts: Obj, pod: Obj) -> None:
    """upstream `updateStorage`: claim volumes first, then the pod's other volumes."""
    claims = persistent_volume_claims(sts, get_ordinal(pod))
    volumes = [
        {"name": name, "persistentVolumeClaim": {"claimName": c["metadata"]["name"]}}
        for name, c in claims.items()
    ]
    volumes += [v for v in pod["spec"].get("volumes") or [] if v.get("name") not in claims]
    pod["spec"]["volumes"] = volumes


def new_stateful_set_pod(sts: Obj, ordinal: int) -> Obj:
    """upstream `newStatefulSetPod`."""
    pod = get_pod_from_template(sts["spec"]["template"], sts)
    pod["metadata"]["name"] = pod_name(sts, ordinal)
    init_identity(sts, pod)
    update_storage(sts, pod)
    return pod


def get_pod_revision(pod: Obj) -> str:
    return str((pod["metadata"].get("labels") or {}).get(STATEFUL_SET_REVISION_LABEL, ""))


def new_versioned_pod(
    current_set: Obj, update_set: Obj, current_revision: str, update_revision: str, ordinal: int
) -> Obj:
    """upstream `newVersionedStatefulSetPod`: below the partition, the current revision."""
    strategy = current_set["spec"].get("updateStrategy") or {}
    rolling = strategy.get("rollingUpdate")
    start = start_ordinal(current_set)
    # Go's `a && b || c` is `(a && b) || c`
    rolling_type = strategy.get("type", "RollingUpdate") == "RollingUpdate"
    if (rolling_type and rolling is None and ordinal < start + current_replicas(current_set)) or (
        rolling is not None and ordinal < start + int(rolling.get("partition") or 0)
    ):
        sts, revision = current_set, current_revision
    else:
        sts, revision = update_set, update_revision
    pod = new_stateful_set_pod(sts, ordinal)
    pod["metadata"]["labels"][STATEFUL_SET_REVISION_LABEL] = revision
    return pod


def current_replicas(sts: Obj) -> int:
    return int((sts.get("status") or {}).get("currentReplicas") or 0)


# -- PVC retention (ownerReferences) ------------------------------------------------------------
def retention_policy(sts: Obj) -> tuple[str, str]:
    """(whenDeleted, whenScaled), Retain by default."""
    policy = sts["spec"].get("persistentVolumeClaimRetentionPolicy") or {}
    return policy.get("whenDeleted") or RETAIN, policy.get("whenScaled") or RETAIN


def _refs(obj: Obj) -> list[Obj]:
    return list(obj["metadata"].get("ownerReferences") or [])


def has_owner_ref(target: Obj, owner: Obj) -> bool:
    uid = owner["metadata"].get("uid")
    return any(ref.get("uid") == uid for ref in _refs(target))


def matches_ref(ref: Obj, owner: Obj) -> bool:
    """upstream `matchesRef`: same kind (and group) and name; the uid is not compared."""
    group = lambda api_version: api_version.rpartition("/")[0]  # noqa: E731
    return (
        ref.get("kind") == owner["kind"]
        and group(ref.get("apiVersion", "")) == group(owner["apiVersion"])
        and ref.get("name") == owner["metadata"]["name"]
    )


def has_stale_owner_ref(target: Obj, owner: Obj) -> bool:
    """upstream `hasStaleOwnerRef`: a ref to `owner`'s name with another uid."""
    for ref in _refs(target):
        if matches_ref(ref, owner):
            return ref.get("uid") != owner["metadata"].get("uid")
    return False


def _has_unexpected_controller(claim: Obj, sts: Obj, pod: Obj) -> bool:
    return any(
        ref.get("controller") and not matches_ref(ref, sts) and not matches_ref(ref, pod)
        for ref in _refs(claim)
    )


def _has_non_controller_owner(claim: Obj, sts: Obj, pod: Obj) -> bool:
    uids = {sts["metadata"].get("uid"), pod["metadata"].get("uid")}
    return any(ref.get("uid") in uids and not ref.get("controller") for ref in _refs(claim))


def wanted_owners(sts: Obj, pod: Obj) -> tuple[bool, bool]:
    """(set ref, pod ref) that the retention policy asks for on this pod's claims."""
    when_deleted, when_scaled = retention_policy(sts)
    scaled_down = not pod_in_ordinal_range(pod, sts)
    if when_scaled == DELETE:
        return when_deleted == DELETE and not scaled_down, scaled_down
    return when_deleted == DELETE, False


def is_claim_owner_up_to_date(claim: Obj, sts: Obj, pod: Obj) -> bool:
    """upstream `isClaimOwnerUpToDate`."""
    if has_stale_owner_ref(claim, sts) or has_stale_owner_ref(claim, pod):
        return True
    if _has_unexpected_controller(claim, sts, pod):
        return not (has_owner_ref(claim, sts) or has_owner_ref(claim, pod))
    if _has_non_controller_owner(claim, sts, pod):
        return False
    want_set, want_pod = wanted_owners(sts, pod)
    return has_owner_ref(claim, sts) == want_set and has_owner_ref(claim, pod) == want_pod


def update_claim_owner_refs(claim: Obj, sts: Obj, pod: Obj) -> None:
    """upstream `updateClaimOwnerRefForSetAndPod`: scrub our refs, add controller refs."""
    unexpected = _has_unexpected_controller(claim, sts, pod)
    refs = [r for r in _refs(claim) if not matches_ref(r, sts) and not matches_ref(r, pod)]
    if not unexpected:
        want_set, want_pod = wanted_owners(sts, pod)
        if want_set:
            refs.append(owner_reference(sts))
        if want_pod:
            refs.append(owner_reference(pod))
    claim["metadata"]["ownerReferences"] = refs
