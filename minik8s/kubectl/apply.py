"""Client-side `kubectl apply`: create, or a three-way merge patch against last-applied.

Mirrors `k8s.io/kubectl/pkg/cmd/apply/apply.go` + `patcher.go` (create when absent with the
`kubectl.kubernetes.io/last-applied-configuration` annotation, else patch; `unchanged` when the
patch is `{}`), `kubectl/pkg/util/apply.go` (`GetModifiedConfiguration`) and apimachinery
`util/jsonmergepatch/patch.go` (`CreateThreeWayJSONMergePatch`).

What it leaves out: kubectl sends a *strategic* merge patch for built-in kinds, which merges
lists by key (`containers`/`env`/`ports`/`volumes` by `name`, `tolerations` whole, etc.) and
understands `$patch: delete`. Here a changed list is replaced whole (JSON merge patch, RFC 7386),
as kubectl does for custom resources. In practice: the list in the manifest wins entirely, so an
item another writer added to e.g. `spec.template.spec.containers[0].env` is dropped on the next
apply, where strategic merge would keep it. Maps still merge field by field. So that defaults the
server fills into list items (`imagePullPolicy`, port `protocol`...) do not make every re-apply
`configured`, a list is left out of the patch when the live list still covers the manifest's
item by item and the manifest did not change it since last-applied (`covers`). Also left out:
server-side apply, `--prune`, `--force`, conflict retries and the patch-retry on `Conflict`.
Writes are sent with `fieldValidation=Strict`, kubectl's default (`--validate=true`).
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from minik8s.api import errors, kinds

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


class NamespaceMismatch(ValueError):
    """The manifest's namespace differs from `-n`; kubectl refuses."""


def create_merge_patch(original: Any, modified: Any) -> Any:
    """RFC 7386 diff (`jsonpatch.CreateMergePatch`): nulls delete, non-maps replace whole."""
    if not isinstance(original, dict) or not isinstance(modified, dict):
        return copy.deepcopy(modified)
    patch: Obj = {}
    for key, value in modified.items():
        if key not in original:
            patch[key] = copy.deepcopy(value)
        elif original[key] != value:
            if isinstance(original[key], dict) and isinstance(value, dict):
                patch[key] = create_merge_patch(original[key], value)
            else:
                patch[key] = copy.deepcopy(value)
    for key in original:
        if key not in modified:
            patch[key] = None
    return patch


def apply_merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 `MergePatch`: apply a JSON merge patch to a document, returning a new one."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = apply_merge_patch(result.get(key), value)
    return result


def keep_or_delete_null(obj: Obj, keep_null: bool) -> Obj:
    """`keepOrDeleteNullInObj`: only the deletions (nulls), or everything but them."""
    filtered: Obj = {}
    for key, value in obj.items():
        if value is None:
            if keep_null:
                filtered[key] = None
        elif isinstance(value, dict):
            if not value:
                if not keep_null:
                    filtered[key] = value
                continue
            sub = keep_or_delete_null(value, keep_null)
            if sub:
                filtered[key] = sub
        elif not keep_null:
            filtered[key] = value
    return filtered


def three_way_merge_patch(original: Obj | None, modified: Obj, current: Obj) -> Obj:
    """`CreateThreeWayJSONMergePatch`: changes current→modified plus deletions original→modified."""
    add_and_change = keep_or_delete_null(create_merge_patch(current, modified), keep_null=False)
    add_and_change = _prune_lists(add_and_change, current, original)
    deletions = keep_or_delete_null(create_merge_patch(original or {}, modified), keep_null=True)
    return apply_merge_patch(deletions, add_and_change)


def covers(live: Any, wanted: Any) -> bool:
    """`wanted` is `live` minus fields the server filled in (defaults): every field it sets
    matches, lists item by item with the same length."""
    if isinstance(wanted, dict):
        return isinstance(live, dict) and all(
            k in live and covers(live[k], v) for k, v in wanted.items()
        )
    if isinstance(wanted, list):
        return (
            isinstance(live, list)
            and len(live) == len(wanted)
            and all(covers(a, b) for a, b in zip(live, wanted, strict=True))
        )
    return bool(live == wanted)


def _prune_lists(patch: Obj, current: Any, original: Any) -> Obj:
    """Drop list replacements that would change nothing but server defaults.

    Strategic merge diffs lists item by item (by merge key), so defaults the server added to,
    say, each container do not count as changes. A whole-list replacement here is only sent
    when the manifest's list changed since last-applied or the live list no longer matches it.
    """
    current = current if isinstance(current, dict) else {}
    original = original if isinstance(original, dict) else None
    pruned: Obj = {}
    for key, value in patch.items():
        before = original.get(key) if original is not None else None
        if isinstance(value, dict) and value and isinstance(current.get(key), dict):
            sub = _prune_lists(value, current[key], before)
            if sub:
                pruned[key] = sub
        elif isinstance(value, list) and key in current and covers(current[key], value):
            if original is not None and key in original and before != value:
                pruned[key] = value
        else:
            pruned[key] = value
    return pruned


def modified_configuration(obj: Obj) -> tuple[Obj, str]:
    """`GetModifiedConfiguration`: the object with its own JSON as the last-applied annotation."""
    modified = copy.deepcopy(obj)
    meta = modified.setdefault("metadata", {})
    annotations = dict(meta.get("annotations") or {})
    annotations.pop(LAST_APPLIED, None)
    meta["annotations"] = annotations
    encoded = json.dumps(modified, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    encoded += "\n"
    meta["annotations"] = {**annotations, LAST_APPLIED: encoded}
    return modified, encoded


def display_name(info: kinds.ResourceInfo, name: str) -> str:
    """`deployment.apps/web`, `pod/web`: how kubectl names an object in its messages."""
    kind = info.kind.lower() + (f".{info.group}" if info.group else "")
    return f"{kind}/{name}"


def resolve_namespace(info: kinds.ResourceInfo, obj: Obj, namespace: str | None) -> str | None:
    """The namespace kubectl sends the object to (`default` for namespaced kinds)."""
    if not info.namespaced:
        return None
    meta = obj.setdefault("metadata", {})
    declared = meta.get("namespace")
    if declared and namespace and declared != namespace:
        raise NamespaceMismatch(
            f'error: the namespace from the provided object "{declared}" does not match the '
            f"namespace \"{namespace}\". You must pass '--namespace={declared}' to perform "
            "this operation."
        )
    meta["namespace"] = declared or namespace or "default"
    return meta["namespace"]


def apply_object(
    client: Client, obj: Obj, namespace: str | None = None, field_validation: str = "Strict"
) -> tuple[Obj, str]:
    """Apply one object: returns the live result and `created`, `configured` or `unchanged`.
    Like kubectl (`--validate=strict`, its default), an unknown field is an error."""
    obj = copy.deepcopy(obj)
    info = kinds.for_kind(obj.get("apiVersion", ""), obj.get("kind", ""))
    ns = resolve_namespace(info, obj, namespace)
    name = obj.get("metadata", {}).get("name", "")
    modified, _ = modified_configuration(obj)
    try:
        current = client.get(info.plural, name, ns)
    except errors.NotFound:
        created = client.create(info.plural, modified, ns, field_validation=field_validation)
        return created, "created"
    annotations = current.get("metadata", {}).get("annotations") or {}
    original = json.loads(annotations[LAST_APPLIED]) if LAST_APPLIED in annotations else None
    patch = three_way_merge_patch(original, modified, current)
    if not patch:
        return current, "unchanged"
    try:
        patched = client.patch(
            info.plural, name, patch, ns, patch_type="merge", field_validation=field_validation
        )
        return patched, "configured"
    except errors.StatusError as err:
        err.during = "patching"  # type: ignore[attr-defined]
        raise
