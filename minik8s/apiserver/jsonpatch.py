"""RFC 6902 JSON patch as kube-apiserver v1.31 applies it: `gopkg.in/evanphx/json-patch.v4`
(`patch.go`: `Patch.Apply`, `findObject`, `partialDoc` / `partialArray`), with its quirks.

The quirks kept: negative array indices count from the end (`SupportNegativeIndices`, -1 on add
appends); a missing object key reads as `null`, so `replace` of a missing key adds it, `copy` from
one copies `null` and `test` of it against `null` passes; a path whose parents are missing, an
empty path (no whole-document target) and an out-of-range index fail. Left out: the
`AccumulatedCopySizeLimit` (0, unlimited, upstream too) and Go panics on malformed ops (e.g. a
`test` of a missing key without `value`), which fail here.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

_INDEX = re.compile(r"[+-]?[0-9]+")


class JSONPatchError(Exception):
    """An operation that does not apply (evanphx's error text)."""


def _decode_key(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def _index(key: str) -> int:
    if not _INDEX.fullmatch(key):
        raise JSONPatchError(f'strconv.Atoi: parsing "{key}": invalid syntax')
    return int(key)


def _bad_index(idx: int) -> JSONPatchError:
    return JSONPatchError(f"Unable to access invalid index: {idx}: invalid index referenced")


def _get(con: Any, key: str) -> Any:
    """`container.get`: an object's missing key is None (no error); an array's index is checked."""
    if isinstance(con, dict):
        return con.get(key)
    idx = _index(key)
    if idx < 0:
        if idx < -len(con):
            raise _bad_index(idx)
        idx += len(con)
    if idx >= len(con):
        raise _bad_index(idx)
    return con[idx]


def _set(con: Any, key: str, value: Any) -> None:
    if isinstance(con, dict):
        con[key] = value
        return
    idx = _index(key)
    con[idx + len(con) if idx < 0 else idx] = value  # `replace` checked it with `_get`


def _add(con: Any, key: str, value: Any) -> None:
    if isinstance(con, dict):
        con[key] = value
        return
    if key == "-":
        con.append(value)
        return
    try:
        idx = _index(key)
    except JSONPatchError as err:
        raise JSONPatchError(f"value was not a proper array index: '{key}': {err}") from None
    size = len(con) + 1
    if idx >= size or idx < -size:
        raise _bad_index(idx)
    con.insert(idx + size if idx < 0 else idx, value)


def _remove(con: Any, key: str) -> None:
    if isinstance(con, dict):
        if key not in con:
            raise JSONPatchError(f"Unable to remove nonexistent key: {key}: missing value")
        del con[key]
        return
    idx = _index(key)
    if idx >= len(con) or idx < -len(con):
        raise _bad_index(idx)
    del con[idx + len(con) if idx < 0 else idx]


def find_object(doc: Any, path: str) -> tuple[Any, str] | None:
    """evanphx `findObject`: the container holding `path`'s last segment and that key, or None
    when a parent is missing, null or a scalar (the first segment before `/` is ignored)."""
    split = path.split("/")
    if len(split) < 2:
        return None
    node = doc
    for part in split[1:-1]:
        try:
            node = _get(node, _decode_key(part))
        except JSONPatchError:
            return None
        if not isinstance(node, (dict, list)):
            return None
    return node, _decode_key(split[-1])


def _string(op: dict[str, Any], name: str, kind: str) -> str:
    value = op.get(name)
    if value is None:
        field = "path" if name == "path" else "from"
        raise JSONPatchError(f"{kind} operation failed to decode {field}: missing value")
    if not isinstance(value, str):
        raise JSONPatchError(
            f"json: cannot unmarshal {json_type(value)} into Go value of type string"
        )
    return value


def json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, dict):
        return "object"
    return "array" if isinstance(value, list) else "string"


def _locate(doc: Any, path: str, what: str) -> tuple[Any, str]:
    found = find_object(doc, path)
    if found is None:
        raise JSONPatchError(f"{what}: {path}: missing value")
    return found


def json_equal(a: Any, b: Any) -> bool:
    """evanphx `lazyNode.equal`: objects compare on the first one's keys; scalars by their JSON."""
    if isinstance(a, dict):
        return isinstance(b, dict) and all(
            k in b and (v is None and b[k] is None or v is not None and json_equal(v, b[k]))
            for k, v in a.items()
        )
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(json_equal, a, b))
    if isinstance(b, (dict, list)):
        return False
    return json.dumps(a, separators=(",", ":")) == json.dumps(b, separators=(",", ":"))


def _apply_one(doc: Any, op: dict[str, Any]) -> None:
    kind = op.get("op") if isinstance(op.get("op"), str) else "unknown"
    if kind in ("add", "remove", "replace", "test"):
        path = _string(op, "path", kind)
        con, key = _locate(doc, path, f"{kind} operation does not apply: doc is missing path")
        if kind == "add":
            _add(con, key, copy.deepcopy(op.get("value")))
        elif kind == "remove":
            _remove(con, key)
        elif kind == "replace":
            try:
                _get(con, key)
            except JSONPatchError:
                raise JSONPatchError(
                    f"replace operation does not apply: doc is missing key: {path}: missing value"
                ) from None
            _set(con, key, copy.deepcopy(op.get("value")))
        else:
            _test(con, key, op, path)
        return
    if kind in ("move", "copy"):
        source = _string(op, "from", kind)
        con, key = _locate(
            doc, source, f"{kind} operation does not apply: doc is missing from path"
        )
        value = _get(con, key)
        if kind == "move":
            _remove(con, key)
        else:
            value = copy.deepcopy(value)
        path = _string(op, "path", kind)
        what = f"{kind} operation does not apply: doc is missing destination path"
        con, key = _locate(doc, path, what)
        _add(con, key, value)
        return
    raise JSONPatchError(f"Unexpected kind: {kind}")


def _test(con: Any, key: str, op: dict[str, Any], path: str) -> None:
    value = _get(con, key)
    failed = JSONPatchError(f"testing value {path} failed: test failed")
    if value is None:
        if "value" in op and op["value"] is None:
            return
        raise failed
    if "value" not in op or not json_equal(value, op["value"]):
        raise failed


def apply(doc: Any, operations: list[Any]) -> Any:
    """The document after every operation, in order (`doc` is not changed);
    `JSONPatchError` at the first that does not apply."""
    doc = copy.deepcopy(doc)
    for op in operations:
        _apply_one(doc, op if isinstance(op, dict) else {})
    return doc
