"""Client-side `kubectl apply`: create, or a three-way strategic merge patch against last-applied.

Mirrors `k8s.io/kubectl/pkg/cmd/apply/apply.go` + `patcher.go` (create when absent with the
`kubectl.kubernetes.io/last-applied-configuration` annotation, dropping explicit nulls after the
annotation is made, `pruneNulls`; else patch; `unchanged` when the patch is `{}`) and
`kubectl/pkg/util/apply.go` (`GetModifiedConfiguration`). For built-in kinds the patch is
`strategicpatch.CreateThreeWayMergePatch(last-applied, manifest, live)` sent as
`application/strategic-merge-patch+json` (`minik8s.kubectl.strategic_threeway`): lists with a
merge key merge item by item, so fields and items another writer (or admission, or defaulting)
added and the manifest never mentioned are kept, while items removed from the manifest get
`$patch: delete` and `$setElementOrder`; a null in the manifest deletes the field. `overwrite`
is true, kubectl's default, so changes made since last-applied never conflict. Kinds without a
Go struct fall back to apimachinery `util/jsonmergepatch/patch.go`
(`CreateThreeWayJSONMergePatch`, RFC 7386), as kubectl does for custom resources. Left out:
server-side apply, `--prune`, `--force`, `-o yaml|json`, preconditions, the patch-retry on
`Conflict` and the OpenAPI patch-meta lookup (the Go struct tags are used, as kubectl does
without OpenAPI). Writes are sent with `fieldValidation=Strict`, kubectl's default
(`--validate=true`).
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from minik8s.api import errors, kinds
from minik8s.api.schema import kind_struct
from minik8s.apiserver.strategicpatch import StrategicMergePatchError
from minik8s.kubectl.strategic_threeway import create_three_way_merge_patch

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


class NamespaceMismatch(ValueError):
    """The manifest's namespace differs from `-n`; kubectl refuses."""


class PatchCreationError(ValueError):
    """`CreateThreeWayMergePatch` failed (kubectl: `error when creating patch with: ...`)."""


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
    deletions = keep_or_delete_null(create_merge_patch(original or {}, modified), keep_null=True)
    return apply_merge_patch(deletions, add_and_change)


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


def prune_nulls(value: Any) -> Any:
    """`pruneNulls`: `value` without the null fields of its maps, at any depth."""
    if isinstance(value, dict):
        return {k: prune_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [prune_nulls(v) for v in value]
    return value


def three_way_patch(original: Obj | None, modified: Obj, current: Obj) -> tuple[Obj, str]:
    """`patcher.patchSimple`: (patch, patch type): strategic for built-in kinds, else merge."""
    struct = kind_struct(str(modified.get("apiVersion", "")), str(modified.get("kind", "")))
    if struct is None:
        return three_way_merge_patch(original, modified, current), "merge"
    try:
        return create_three_way_merge_patch(original, modified, current, struct), "strategic"
    except StrategicMergePatchError as err:
        dumped = [json.dumps(o, sort_keys=True) for o in (original or {}, modified, current)]
        raise PatchCreationError(
            "error when creating patch with:\noriginal:\n{}\nmodified:\n{}\ncurrent:\n{}\n"
            "for: {}".format(*dumped, err.message)
        ) from err


NO_LAST_APPLIED_WARNING = (
    "Warning: resource {name} is missing the {annotation} annotation which is required by "
    "kubectl apply. kubectl apply should only be used on resources created declaratively by "
    "either kubectl create --save-config or kubectl apply. The missing annotation will be "
    "patched automatically.\n"
)


def apply_object(
    client: Client,
    obj: Obj,
    namespace: str | None = None,
    field_validation: str = "Strict",
    *,
    dry_run: str = "none",
    warnings: list[str] | None = None,
) -> tuple[Obj, str]:
    """Apply one object: returns the live result and `created`, `configured` or `unchanged`.
    Like kubectl (`--validate=strict`, its default), an unknown field is an error. With
    `dry_run="client"` nothing is sent (an existing object is always `configured`, as upstream
    prints); `"server"` sends the writes as dry runs. The missing-annotation warning, which
    kubectl prints to stderr, is appended to `warnings`."""
    obj = copy.deepcopy(obj)
    info = kinds.for_kind(obj.get("apiVersion", ""), obj.get("kind", ""))
    ns = resolve_namespace(info, obj, namespace)
    name = obj.get("metadata", {}).get("name", "")
    modified, _ = modified_configuration(obj)
    server_dry_run = dry_run == "server"
    try:
        current = client.get(info.plural, name, ns)
    except errors.NotFound:
        if dry_run == "client":
            return prune_nulls(modified), "created"
        # kubectl 1.31 (kubernetes#125646): nulls are pruned from a create, after the
        # last-applied annotation is made, so that it matches what an update apply persists
        created = client.create(
            info.plural,
            prune_nulls(modified),
            ns,
            field_validation=field_validation,
            dry_run=server_dry_run,
        )
        return created, "created"
    if dry_run == "client":
        return current, "configured"
    annotations = current.get("metadata", {}).get("annotations") or {}
    if LAST_APPLIED not in annotations and warnings is not None:
        warnings.append(
            NO_LAST_APPLIED_WARNING.format(name=f"{info.plural}/{name}", annotation=LAST_APPLIED)
        )
    original = json.loads(annotations[LAST_APPLIED]) if LAST_APPLIED in annotations else None
    patch, patch_type = three_way_patch(original, modified, current)
    if not patch:
        return current, "unchanged"
    try:
        patched = client.patch(
            info.plural,
            name,
            patch,
            ns,
            patch_type=patch_type,
            field_validation=field_validation,
            dry_run=server_dry_run,
        )
        return patched, "configured"
    except errors.StatusError as err:
        err.during = "patching"  # type: ignore[attr-defined]
        raise
