"""Patch formats the API server accepts: JSON merge patch (RFC 7386) and JSON patch (RFC 6902).

Upstream also has strategic merge patch (lists merged by key, e.g. containers by name); minik8s
accepts `strategic` as a merge patch whose lists replace the old ones (see `apply_patch`).
"""

from __future__ import annotations

import copy
from typing import Any

from minik8s.api.errors import BadRequest, UnsupportedMediaType

PATCH_TYPES = {
    "merge": "application/merge-patch+json",
    "json": "application/json-patch+json",
    "strategic": "application/strategic-merge-patch+json",
}


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


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise BadRequest(f'json patch: invalid path "{path}"')
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _parent(doc: Any, parts: list[str], path: str) -> tuple[Any, str]:
    node = doc
    for part in parts[:-1]:
        try:
            node = node[int(part)] if isinstance(node, list) else node[part]
        except (KeyError, IndexError, ValueError, TypeError):
            raise BadRequest(f'json patch: doc is missing path: "{path}"') from None
    return node, parts[-1]


def _get(doc: Any, path: str) -> Any:
    node = doc
    for part in _pointer(path):
        try:
            node = node[int(part)] if isinstance(node, list) else node[part]
        except (KeyError, IndexError, ValueError, TypeError):
            raise BadRequest(f'json patch: doc is missing path: "{path}"') from None
    return node


def _remove(doc: Any, path: str) -> Any:
    parent, last = _parent(doc, _pointer(path), path)
    try:
        return parent.pop(int(last)) if isinstance(parent, list) else parent.pop(last)
    except (KeyError, IndexError, ValueError):
        raise BadRequest(f'json patch: doc is missing path: "{path}"') from None


def _add(doc: Any, path: str, value: Any, replace: bool = False) -> Any:
    parts = _pointer(path)
    if not parts:
        return value
    parent, last = _parent(doc, parts, path)
    if isinstance(parent, list):
        index = len(parent) if last == "-" else int(last)
        if replace:
            parent[index] = value
        else:
            parent.insert(index, value)
    elif isinstance(parent, dict):
        if replace and last not in parent:
            raise BadRequest(f'json patch: doc is missing key: "{path}"')
        parent[last] = value
    else:
        raise BadRequest(f'json patch: doc is missing path: "{path}"')
    return doc


def json_patch(doc: Any, operations: list[dict[str, Any]]) -> Any:
    """RFC 6902: add, remove, replace, move, copy, test, in order."""
    doc = copy.deepcopy(doc)
    for op in operations:
        kind, path = op.get("op"), op.get("path", "")
        if kind == "add":
            doc = _add(doc, path, copy.deepcopy(op.get("value")))
        elif kind == "remove":
            _remove(doc, path)
        elif kind == "replace":
            doc = _add(doc, path, copy.deepcopy(op.get("value")), replace=True)
        elif kind == "move":
            doc = _add(doc, path, _remove(doc, op.get("from", "")))
        elif kind == "copy":
            doc = _add(doc, path, copy.deepcopy(_get(doc, op.get("from", ""))))
        elif kind == "test":
            if _get(doc, path) != op.get("value"):
                raise BadRequest(f'json patch: testing value "{path}" failed')
        else:
            raise BadRequest(f'json patch: unexpected kind of operation: "{kind}"')
    return doc


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
        result = json_patch(current, patch)
    else:
        if not isinstance(patch, dict):
            raise BadRequest(
                "json: cannot unmarshal array into Go value of type map[string]interface {}"
            )
        result = merge_patch(current, patch)
    if not isinstance(result, dict):
        raise BadRequest("patched object is not an object")
    return result


def patched_fields(patch: Any, patch_type: str) -> frozenset[str] | None:
    """The top-level fields `patch` may change: a merge patch's keys, a JSON patch's first
    path segments (`path` and `from`); None if it may change the whole object."""
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
