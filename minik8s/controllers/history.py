"""ControllerRevisions, mirroring `pkg/controller/history/controller_history.go` and the
`getPatch` / `ApplyRevision` / `nextRevision` helpers the StatefulSet and DaemonSet controllers
share (`pkg/controller/statefulset/stateful_set_utils.go`, `pkg/controller/daemon/update.go`).

A revision stores a patch that restores the owner's pod template:
`{"spec": {"template": {..., "$patch": "replace"}}}`, named `<owner>-<hash>` where the hash is
upstream's FNV-32 of the patch bytes (plus the collision count), safe-encoded. Patch bytes are
compact JSON with sorted keys, as Go's `json.Marshal` of a map writes them.

Left out: `Data.Object` (only raw data), the strategic-merge machinery (the template is replaced
whole, which is what `$patch: replace` means), and `ReleaseControllerRevision`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import AlreadyExists, NotFound, StatusError
from minik8s.api.labels import label_selector_as_selector
from minik8s.api.meta import deep_copy, owner_reference
from minik8s.client.cache import (
    CONTROLLER_UID_INDEX,
    ORPHAN_INDEX_KEY,
    controller_of,
    ensure_index,
    owner_uid_index,
)
from minik8s.controllers.deployment_util import hash_view
from minik8s.controllers.replicaset_utils import selector_matcher

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.client.informer import SharedInformerFactory

Obj = dict[str, Any]
CONTROLLER_REVISION_HASH_LABEL = "controller-revision-hash"
_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
_MAX_PREFIX = 223  # 253 - 1 - a hash of at most 29 characters
_FNV_PRIME, _FNV_OFFSET = 16777619, 2166136261


def fnv32(data: bytes) -> int:
    """Go's `hash/fnv.New32` (FNV-1, 32 bits)."""
    h = _FNV_OFFSET
    for byte in data:
        h = (h * _FNV_PRIME) & 0xFFFFFFFF
        h ^= byte
    return h


def fnv32a(data: bytes) -> int:
    """Go's `hash/fnv.New32a` (FNV-1a, 32 bits)."""
    h = _FNV_OFFSET
    for byte in data:
        h ^= byte
        h = (h * _FNV_PRIME) & 0xFFFFFFFF
    return h


def safe_encode_string(text: str) -> str:
    """apimachinery `rand.SafeEncodeString`: map bytes to consonants and digits (no words)."""
    return "".join(_ALPHANUMS[b % len(_ALPHANUMS)] for b in text.encode())


def raw(data: Any) -> bytes:
    """The bytes upstream stores in `Data.Raw` (Go `json.Marshal` of a map: sorted, compact)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _hash_data(data: Any) -> Any:
    """The revision data with its template as the Go struct hash sees it (`hash_view`)."""
    template = ((data or {}).get("spec") or {}).get("template") if isinstance(data, dict) else None
    if not isinstance(template, dict):
        return data
    return {**data, "spec": {**data["spec"], "template": hash_view(template)}}


def hash_controller_revision(data: Any, probe: int | None = None) -> str:
    """upstream `HashControllerRevision`: FNV-32 of the data and the collision count (the zero
    structs Go's JSON writes left out, so that they do not rename revisions)."""
    payload = raw(_hash_data(data)) + (str(probe).encode() if probe is not None else b"")
    return safe_encode_string(str(fnv32(payload)))


def compute_hash(template: Obj, collision_count: int | None = None) -> str:
    """upstream `controller.ComputeHash` (pod-template hash; JSON instead of Go's spew dump)."""
    payload = raw(hash_view(template)) + (
        str(collision_count).encode() if collision_count is not None else b""
    )
    return safe_encode_string(str(fnv32a(payload)))


def controller_revision_name(prefix: str, hash_: str) -> str:
    """upstream `ControllerRevisionName`: `<prefix>-<hash>`, the prefix cut to 223 characters."""
    return f"{prefix[:_MAX_PREFIX]}-{hash_}"


def get_patch(owner: Obj) -> Obj:
    """upstream `getPatch`: the owner's pod template, marked to replace the whole template."""
    template = deep_copy(owner["spec"]["template"])
    template["$patch"] = "replace"
    return {"spec": {"template": template}}


def apply_revision(owner: Obj, revision: Obj) -> Obj:
    """upstream `ApplyRevision`: a copy of `owner` with the revision's template restored."""
    clone = deep_copy(owner)
    template = deep_copy(((revision.get("data") or {}).get("spec") or {}).get("template") or {})
    template.pop("$patch", None)
    clone["spec"]["template"] = template
    return clone


def new_controller_revision(
    parent: Obj, template_labels: dict[str, str] | None, data: Obj, revision: int, probe: int
) -> Obj:
    """upstream `NewControllerRevision`: labels from the template plus the hash label."""
    labels = dict(template_labels or {})
    hash_ = hash_controller_revision(data, probe)
    labels[CONTROLLER_REVISION_HASH_LABEL] = hash_
    meta = parent["metadata"]
    return {
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": {
            "name": controller_revision_name(meta["name"], hash_),
            "namespace": meta.get("namespace", ""),
            "labels": labels,
            "annotations": dict(meta.get("annotations") or {}),
            "ownerReferences": [owner_reference(parent)],
        },
        "data": data,
        "revision": revision,
    }


def revision_of(revision: Obj) -> int:
    return int(revision.get("revision") or 0)


def sort_controller_revisions(revisions: list[Obj]) -> list[Obj]:
    """upstream `SortControllerRevisions`: by revision, then creation time, then name."""
    return sorted(
        revisions,
        key=lambda r: (
            revision_of(r),
            r["metadata"].get("creationTimestamp") or "",
            r["metadata"]["name"],
        ),
    )


def equal_revision(lhs: Obj | None, rhs: Obj | None) -> bool:
    """upstream `EqualRevision`: the same data bytes."""
    if lhs is None or rhs is None:
        return lhs is rhs
    return raw(lhs.get("data")) == raw(rhs.get("data"))


def find_equal_revisions(revisions: list[Obj], needle: Obj) -> list[Obj]:
    """upstream `FindEqualRevisions`: the revisions equal to `needle`, in the given order."""
    return [r for r in revisions if equal_revision(r, needle)]


def next_revision(revisions: list[Obj]) -> int:
    """upstream `nextRevision`: one more than the highest revision (1 when there is none)."""
    return max((revision_of(r) for r in revisions), default=0) + 1


def owned_revisions(revisions: list[Obj], owner_uid: str) -> list[Obj]:
    """The revisions whose controller ownerReference points at `owner_uid`."""
    return [
        r
        for r in revisions
        if any(
            ref.get("controller") and ref.get("uid") == owner_uid
            for ref in r["metadata"].get("ownerReferences") or []
        )
    ]


# -- writes (upstream's realHistory) -------------------------------------------------------------
def create_controller_revision(
    client: Client, parent: Obj, revision: Obj, collision_count: int
) -> tuple[Obj, int]:
    """upstream `CreateControllerRevision`: create, bumping the collision count on a name clash
    with a different revision; returns (the stored revision, the collision count used)."""
    template_labels = {
        k: v
        for k, v in (revision["metadata"].get("labels") or {}).items()
        if k != CONTROLLER_REVISION_HASH_LABEL
    }
    namespace = parent["metadata"].get("namespace")
    while True:
        clone = new_controller_revision(
            parent, template_labels, revision["data"], revision_of(revision), collision_count
        )
        try:
            return client.create("controllerrevisions", clone, namespace), collision_count
        except AlreadyExists:
            existing = client.get("controllerrevisions", clone["metadata"]["name"], namespace)
            if equal_revision(existing, clone):
                return existing, collision_count
            collision_count += 1


def update_controller_revision(client: Client, revision: Obj, number: int) -> Obj:
    """upstream `UpdateControllerRevision`: give an existing revision a new revision number."""
    if revision_of(revision) == number:
        return revision
    clone = deep_copy(revision)
    clone["revision"] = number
    return client.update("controllerrevisions", clone, clone["metadata"].get("namespace"))


def delete_controller_revision(client: Client, revision: Obj) -> None:
    """upstream `DeleteControllerRevision` (already gone counts as done)."""
    meta = revision["metadata"]
    try:
        client.delete("controllerrevisions", meta["name"], meta.get("namespace"))
    except NotFound:
        pass


# -- claiming (pkg/controller/controller_ref_manager.go) -----------------------------------------
def ensure_owner_indices(informers: SharedInformerFactory) -> None:
    """Index pods and revisions by controller uid (`AddPodControllerUIDIndexer`)."""
    for resource in ("pods", "controllerrevisions"):
        indexer = informers.informer_for(resource).indexer
        ensure_index(indexer, CONTROLLER_UID_INDEX, owner_uid_index)


def owner_keys(informers: SharedInformerFactory, obj: Obj, kind: str, resource: str) -> list[str]:
    """Keys to enqueue for a child: its `kind` controller, or for an orphan every `resource`
    object in its namespace whose selector matches it (so it can be adopted)."""
    namespace = obj["metadata"].get("namespace", "")
    ref = controller_of(obj)
    if ref is not None:
        return [f"{namespace}/{ref['name']}"] if ref.get("kind") == kind else []
    labels = obj["metadata"].get("labels") or {}
    return [
        f"{namespace}/{owner['metadata']['name']}"
        for owner in informers.lister_for(resource).list(namespace)
        if label_selector_as_selector(owner["spec"].get("selector")).matches(labels)
    ]


def claim_objects(
    client: Client,
    informers: SharedInformerFactory,
    owner: Obj,
    resource: str,
    is_member: Callable[[Obj, Obj], bool] | None = None,
) -> list[Obj]:
    """upstream `ClaimPods` / `ClaimControllerRevisions`: the owner's matching children, plus
    orphans that match (adopted with a controller ownerReference). Left out: releasing."""
    meta = owner["metadata"]
    selects = selector_matcher(owner["spec"].get("selector"))[1]
    indexer = informers.informer_for(resource).indexer

    def matches(obj: Obj) -> bool:
        labels = obj["metadata"].get("labels") or {}
        return selects(labels) and (is_member is None or is_member(owner, obj))

    claimed = [o for o in indexer.by_index(CONTROLLER_UID_INDEX, meta["uid"]) if matches(o)]
    if meta.get("deletionTimestamp"):
        return claimed
    orphans = indexer.by_index(CONTROLLER_UID_INDEX, f"{ORPHAN_INDEX_KEY}/{meta.get('namespace')}")
    for orphan in sorted(orphans, key=lambda o: o["metadata"]["name"]):
        if orphan["metadata"].get("deletionTimestamp") or not matches(orphan):
            continue
        refs = [*(orphan["metadata"].get("ownerReferences") or []), owner_reference(owner)]
        patch = {"metadata": {"ownerReferences": refs}}
        try:
            adopted = client.patch(resource, orphan["metadata"]["name"], patch, meta["namespace"])
        except StatusError:
            continue
        claimed.append(adopted)
    return claimed
