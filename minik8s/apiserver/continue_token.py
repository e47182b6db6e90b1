"""The LIST `continue` token, mirroring `staging/src/k8s.io/apiserver/pkg/storage/continue.go`
(`EncodeContinue`, `DecodeContinue`) as of v1.31.

A token is unpadded URL-safe base64 of Go's JSON for `{"v":"meta.k8s.io/v1","rv":N,"start":K}`:
`rv` the revision every page is read at (-1: "the latest", handed out after a compaction) and `K`
the key to resume from, relative to the list's key prefix (the last key sent + "\\x00").
Go's `encoding/json` and `encoding/base64` error texts are reproduced for the common cases
(bad base64 character, empty or non-JSON data, wrongly typed field); deeper JSON syntax errors
keep Go's leading words but may name a different offset.
"""

from __future__ import annotations

import base64
import binascii
import json
import string
from typing import Any

API_VERSION = "meta.k8s.io/v1"
ERR_INVALID_START_RV = (
    "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"
)
ERR_EMPTY_START_KEY = "continue key is not valid: encoded start key empty (version meta.k8s.io/v1)"
ERR_GENERIC_INVALID_KEY = "continue key is not valid"
ERR_UNRECOGNIZED_ENCODED_VERSION = (
    "continue key is not valid: server does not recognize this encoded version"
)
_ALPHABET = frozenset(string.ascii_letters + string.digits + "-_")
_GO_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


class ContinueError(ValueError):
    """A continue token that does not decode (its text is upstream's error)."""


def go_json(value: Any) -> str:
    """`json.Marshal` output: compact, UTF-8, with Go's HTML-safe escapes of `<`, `>`, `&`."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _GO_JSON_ESCAPES.items():
        text = text.replace(char, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def encode_continue(key: str, key_prefix: str, resource_version: int) -> str:
    """`EncodeContinue`: the token resuming at `key` (under `key_prefix`) at `resource_version`."""
    if not key.startswith(key_prefix) or not key_prefix:
        raise ValueError(
            f"unable to encode next field: the key and key prefix do not match {key_prefix} {key}"
        )
    token = {"v": API_VERSION, "rv": resource_version, "start": key[len(key_prefix) :]}
    return base64.urlsafe_b64encode(go_json(token).encode()).rstrip(b"=").decode()


def _raw_url_decode(text: str) -> bytes:
    """`base64.RawURLEncoding.DecodeString` with Go's `illegal base64 data` error."""
    for i, char in enumerate(text):
        if char not in _ALPHABET:
            raise ContinueError(f"{ERR_GENERIC_INVALID_KEY}: illegal base64 data at input byte {i}")
    if len(text) % 4 == 1:
        raise ContinueError(
            f"{ERR_GENERIC_INVALID_KEY}: illegal base64 data at input byte {len(text) - 1}"
        )
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except binascii.Error as err:  # pragma: no cover - the checks above catch what Go rejects
        raise ContinueError(f"{ERR_GENERIC_INVALID_KEY}: {err}") from None


def _go_type(value: Any) -> str:
    """The JSON type word Go's `UnmarshalTypeError` prints."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return f"number {json.dumps(value)}"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "null"


def _unmarshal(data: bytes) -> dict[str, Any]:
    """`json.Unmarshal` into a continueToken: field names case-insensitive, unknown ignored."""
    text = data.decode("utf-8", errors="replace")
    if not text.strip():
        raise ContinueError(f"{ERR_GENERIC_INVALID_KEY}: unexpected end of JSON input")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        char = text[err.pos] if err.pos < len(text) else ""
        if not char:
            raise ContinueError(
                f"{ERR_GENERIC_INVALID_KEY}: unexpected end of JSON input"
            ) from None
        raise ContinueError(
            f"{ERR_GENERIC_INVALID_KEY}: invalid character {char!r} looking for beginning of value"
        ) from None
    if not isinstance(value, dict):
        raise ContinueError(
            f"{ERR_GENERIC_INVALID_KEY}: json: cannot unmarshal {_go_type(value)} into Go value "
            "of type storage.continueToken"
        )
    token: dict[str, Any] = {"v": "", "rv": 0, "start": ""}
    for name, field_value in value.items():
        field = name.lower()
        if field not in token or field_value is None:
            continue
        want_int = field == "rv"
        ok = (
            isinstance(field_value, int) and not isinstance(field_value, bool)
            if want_int
            else isinstance(field_value, str)
        )
        if not ok:
            raise ContinueError(
                f"{ERR_GENERIC_INVALID_KEY}: json: cannot unmarshal {_go_type(field_value)} into "
                f"Go struct field continueToken.{field} of type {'int64' if want_int else 'string'}"
            )
        token[field] = field_value
    return token


def go_path_clean(path: str) -> str:
    """Go's `path.Clean` for a rooted path: no `.`, `..` or repeated slashes."""
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return "/" + "/".join(parts)


def decode_continue(token: str, key_prefix: str) -> tuple[str, int]:
    """`DecodeContinue`: (the full key to start from, the revision); ContinueError if invalid."""
    decoded = _unmarshal(_raw_url_decode(token))
    if decoded["v"] != API_VERSION:
        raise ContinueError(f"{ERR_UNRECOGNIZED_ENCODED_VERSION} {decoded['v']}")
    if decoded["rv"] == 0:
        raise ContinueError(ERR_INVALID_START_RV)
    start = decoded["start"]
    if not start:
        raise ContinueError(ERR_EMPTY_START_KEY)
    key = start if start.startswith("/") else "/" + start
    cleaned = go_path_clean(key)
    if cleaned != key:
        raise ContinueError(f"{ERR_GENERIC_INVALID_KEY}: {start}")
    return key_prefix + cleaned[1:], decoded["rv"]
