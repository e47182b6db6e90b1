"""Patch formats the API server accepts, mirroring
`staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go`: JSON merge patch (RFC 7386),
JSON patch (RFC 6902, `minik8s.apiserver.jsonpatch`) and strategic merge patch (lists merged by
their patch merge key, e.g. containers by name: `minik8s.apiserver.strategicpatch`).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from minik8s.api.errors import BadRequest, Invalid, RequestEntityTooLarge, UnsupportedMediaType
from minik8s.api.field import FieldError
from minik8s.api.kinds import ResourceInfo
from minik8s.api.schema import kind_struct
from minik8s.apiserver import jsonpatch
from minik8s.apiserver.strategicpatch import go_value, strategic_merge_patch

PATCH_TYPES = {
    "merge": "application/merge-patch+json",
    "json": "application/json-patch+json",
    "strategic": "application/strategic-merge-patch+json",
}
MAX_JSON_PATCH_OPERATIONS = 10000  # handlers/patch.go maxJSONPatchOperations


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge recursively, `null` deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def json_patch(doc: Any, operations: list[Any]) -> Any:
    """RFC 6902 as evanphx/json-patch v4 applies it (`minik8s.apiserver.jsonpatch`); a failed
    operation is 422 Invalid with upstream's generic message (handlers/patch.go `applyJSPatch`:
    `NewGenericServerResponse(422, ...)` drops the library's error text)."""
    if len(operations) > MAX_JSON_PATCH_OPERATIONS:
        raise RequestEntityTooLarge(
            "The allowed maximum operations in a JSON patch is "
            f"{MAX_JSON_PATCH_OPERATIONS}, got {len(operations)}"
        )
    try:
        return jsonpatch.apply(doc, operations)
    except jsonpatch.JSONPatchError as err:
        raise Invalid("the server rejected our request due to an error in our request", {}) from err


def apply_patch(current: dict[str, Any], patch: Any, patch_type: str) -> dict[str, Any]:
    """The patched object; `BadRequest`/`UnsupportedMediaType` on a malformed patch."""
    if patch_type not in PATCH_TYPES:
        accepted = ", ".join(PATCH_TYPES.values())
        raise UnsupportedMediaType(
            "the body of the request was in an unknown format - "
            f"accepted media types include: {accepted}"
        )
    if patch_type == "json":
        if not isinstance(patch, list):
            raise BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        for op in patch:
            if op is not None and not isinstance(op, dict):
                raise BadRequest(
                    f"json: cannot unmarshal {jsonpatch.json_type(op)} "
                    "into Go value of type jsonpatch.Operation"
                )
        result = json_patch(current, patch)
    else:
        if not isinstance(patch, dict):
            raise BadRequest(
                "json: cannot unmarshal array into Go value of type map[string]interface {}"
            )
        struct = kind_struct(str(current.get("apiVersion", "")), str(current.get("kind", "")))
        if patch_type == "strategic" and struct:
            result = strategic_merge_patch(current, patch, struct)
        else:
            result = merge_patch(current, patch)
    if not isinstance(result, dict):
        raise BadRequest("patched object is not an object")
    return result


def strict_patch_error(decode_error: BadRequest, shown: str) -> Invalid:
    """handlers/patch.go under `fieldValidation=Strict`: an unknown field in the patched object
    is 422 Invalid on the field `patch` (value: the patched JSON, or a strategic patch's map)."""
    _, _, detail = decode_error.message.partition(": strict decoding error: ")
    error = FieldError("Invalid value", "patch", shown, "strict decoding error: " + detail)
    return Invalid.for_kind("", "", [error])


def shown_patch(patch: Any, patch_type: str, patched: Any) -> str:
    """What upstream's strict error shows: `%+v` of a strategic patch, else the patched JSON."""
    if patch_type == "strategic":
        return go_value(patch)
    return json.dumps(patched, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def patched_fields(patch: Any, patch_type: str) -> frozenset[str] | None:
    """The top-level fields `patch` may change: a merge patch's keys (a strategic patch's
    directives name their field), a JSON patch's first path segments (`path` and `from`); None
    if it may change the whole object."""
    if patch_type == "strategic" and isinstance(patch, dict):
        if "$patch" in patch:
            return None  # replace or delete the whole object
        return frozenset(
            key.split("/", 1)[1]
            if key.startswith(("$setElementOrder/", "$deleteFromPrimitiveList/"))
            else key
            for key in patch
            if key != "$retainKeys"
        )
    if patch_type != "json":
        return frozenset(patch) if isinstance(patch, dict) else None
    if not isinstance(patch, list):
        return None
    fields: set[str] = set()
    for op in patch:
        if not isinstance(op, dict):
            return None
        for name in ("path", "from"):
            path = op.get(name)
            if path is None and name == "from":
                continue
            if not isinstance(path, str) or not path.startswith("/"):
                return None  # the whole document (or a path `_pointer` rejects later)
            fields.add(path[1:].split("/", 1)[0].replace("~1", "/").replace("~0", "~"))
    return frozenset(fields)


def check_patched_name(info: ResourceInfo, obj: dict[str, Any], namespace: str, name: str) -> None:
    """handlers/patch.go `applyPatch`: the patched object's namespace must be the request's
    (`EnsureObjectNamespaceMatchesRequestNamespace`: cleared if cluster-scoped) and its
    name the URL's (`checkName`)."""
    meta = obj.setdefault("metadata", {})
    if not info.namespaced:
        meta.pop("namespace", None)
    elif not meta.get("namespace"):
        meta["namespace"] = namespace
    elif meta["namespace"] != namespace:
        raise BadRequest(
            "the namespace of the provided object does not match the namespace sent on the request"
        )
    if meta.get("name") != name:
        raise BadRequest(
            f"the name of the object ({meta.get('name') or ''}) does not match the name on "
            f"the URL ({name})"
        )
