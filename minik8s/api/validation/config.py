"""ConfigMap and Secret validation, mirroring `ValidateConfigMap(Update)` and
`ValidateSecret(Update)` in `pkg/apis/core/validation/validation.go`, plus Go's
`encoding/base64` decoder so a bad `data` value fails with upstream's exact words.

Secret `data` / ConfigMap `binaryData` values are base64 strings (the v1 wire form); sizes count
decoded bytes like upstream. Left out: the legacy `kubernetes.io/dockercfg` JSON error texts are
approximations of Go's `encoding/json` messages.
"""

from __future__ import annotations

import json

from minik8s.api.field import FieldError, Path, forbidden, invalid, required, too_long
from minik8s.api.validation.core import (
    Obj,
    meta_of,
    validate_core_object_meta,
    validate_meta_update,
)
from minik8s.api.validation.dispatch import validates, validates_update
from minik8s.api.validation.meta import name_is_dns_subdomain, validate_immutable_field
from minik8s.api.validation.names import is_config_map_key

MAX_SECRET_SIZE = 1 * 1024 * 1024
IMMUTABLE_SET = "field is immutable when `immutable` is set"
SA_NAME_KEY = "kubernetes.io/service-account.name"
_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_DECODE = {c: i for i, c in enumerate(_ALPHABET)}


# --- Go's base64.StdEncoding.Decode ------------------------------------------------------------


def go_base64_decode(text: str) -> tuple[bytes, str | None]:
    """Decode like Go's `base64.StdEncoding`: (bytes, None) or (partial, "illegal base64 data at
    input byte N"), the error `encoding/json` returns for a bad `[]byte` field."""
    src = text.encode()
    out = bytearray()
    si = 0
    while si < len(src):
        si, chunk, bad = _decode_quantum(src, si)
        out += chunk
        if bad is not None:
            return bytes(out), f"illegal base64 data at input byte {bad}"
    return bytes(out), None


def _decode_quantum(src: bytes, si: int) -> tuple[int, bytes, int | None]:
    """One 4-character quantum of Go's `decodeQuantum` (newlines skipped, padding checked)."""
    dbuf = [0, 0, 0, 0]
    dlen, j, err = 4, 0, None
    while j < 4:
        if si == len(src):
            if j == 0:
                return si, b"", None
            return si, b"", si - j
        ch = chr(src[si])
        si += 1
        if ch in _DECODE:
            dbuf[j] = _DECODE[ch]
            j += 1
            continue
        if ch in "\r\n":
            continue
        if ch != "=" or j in (0, 1):
            return si, b"", si - 1
        if j == 2:  # "==" expected; the first "=" is consumed
            while si < len(src) and chr(src[si]) in "\r\n":
                si += 1
            if si == len(src):
                return si, b"", len(src)
            if chr(src[si]) != "=":
                return si, b"", si - 1
            si += 1
        while si < len(src) and chr(src[si]) in "\r\n":
            si += 1
        if si < len(src):
            err = si
        dlen = j
        break
    val = dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3]
    raw = bytes([(val >> 16) & 0xFF, (val >> 8) & 0xFF, val & 0xFF])
    return si, raw[: dlen - 1], err


def decoded_size(value: str) -> int:
    """Length of a base64 value once decoded (what upstream's size limits count)."""
    return len(go_base64_decode(value)[0])


def go_json_object_error(data: bytes) -> str | None:
    """`json.Unmarshal(data, &map[string]interface{}{})`'s error text (Go's scanner wording for
    the common cases)."""
    try:
        value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return "invalid character looking for beginning of value"
    except json.JSONDecodeError as exc:
        return _go_json_syntax_error(exc)
    kinds = {str: "string", list: "array", bool: "bool", int: "number", float: "number"}
    if value is None or isinstance(value, dict):
        return None
    target = "Go value of type map[string]interface {}"
    return f"json: cannot unmarshal {kinds[type(value)]} into {target}"


_AFTER = {
    "Expecting ':' delimiter": "after object key",
    "Expecting ',' delimiter": "after object key:value pair",
    "Expecting property name enclosed in double quotes": (
        "looking for beginning of object key string"
    ),
    "Extra data": "after top-level value",
}


def _go_json_syntax_error(exc: json.JSONDecodeError) -> str:
    doc, pos = exc.doc, exc.pos
    if pos >= len(doc.rstrip()):
        return "unexpected end of JSON input"
    char = doc[pos]
    for literal in ("true", "false", "null"):
        if char == literal[0]:
            for k, want in enumerate(literal):
                if pos + k >= len(doc):
                    return "unexpected end of JSON input"
                if doc[pos + k] != want:
                    got = doc[pos + k]
                    return f"invalid character {got!r} in literal {literal} (expecting {want!r})"
    return f"invalid character {char!r} {_AFTER.get(exc.msg, 'looking for beginning of value')}"


# --- ConfigMap ---------------------------------------------------------------------------------


@validates("ConfigMap")
def validate_config_map(cm: Obj) -> list[FieldError]:
    """upstream `ValidateConfigMap`: key names, no key in both maps, 1 MiB in total."""
    errs = validate_core_object_meta(cm, True, name_is_dns_subdomain)
    data, binary = cm.get("data") or {}, cm.get("binaryData") or {}
    total = 0
    for key in sorted(data):
        errs += [invalid(Path("data").key(key), key, m) for m in is_config_map_key(key)]
        if key in binary:
            detail = "duplicate of key present in binaryData"
            errs.append(invalid(Path("data").key(key), key, detail))
        total += len(str(data[key]).encode())
    for key in sorted(binary):
        errs += [invalid(Path("binaryData").key(key), key, m) for m in is_config_map_key(key)]
        total += decoded_size(binary[key] or "")
    if total > MAX_SECRET_SIZE:
        errs.append(too_long(Path().key(""), "", MAX_SECRET_SIZE))  # "[]": the whole object
    return errs


@validates_update("ConfigMap")
def validate_config_map_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateConfigMapUpdate`: nothing changes once `immutable: true`."""
    errs = validate_meta_update(new, old)
    if old.get("immutable") is True:
        if new.get("immutable") is not True:
            errs.append(forbidden(Path("immutable"), IMMUTABLE_SET))
        for name in ("data", "binaryData"):
            if (new.get(name) or {}) != (old.get(name) or {}):
                errs.append(forbidden(Path(name), IMMUTABLE_SET))
    return errs


# --- Secret ------------------------------------------------------------------------------------


@validates("Secret")
def validate_secret(secret: Obj) -> list[FieldError]:
    """upstream `ValidateSecret`: key names, 1 MiB of decoded data, per-type required keys."""
    errs = validate_core_object_meta(secret, True, name_is_dns_subdomain)
    data = secret.get("data") or {}
    total = 0
    for key in sorted(data):
        errs += [invalid(Path("data").key(key), key, m) for m in is_config_map_key(key)]
        total += decoded_size(data[key] or "")
    if total > MAX_SECRET_SIZE:
        errs.append(too_long(Path("data"), "", MAX_SECRET_SIZE))
    return errs + _validate_secret_type(secret, data)


def _validate_secret_type(secret: Obj, data: dict[str, str]) -> list[FieldError]:
    kind = secret.get("type") or ""
    data_path = Path("data")
    if kind == "kubernetes.io/service-account-token":
        if not (meta_of(secret).get("annotations") or {}).get(SA_NAME_KEY):
            return [required(Path("metadata", "annotations").key(SA_NAME_KEY))]
    elif kind in ("kubernetes.io/dockercfg", "kubernetes.io/dockerconfigjson"):
        key = ".dockercfg" if kind.endswith("dockercfg") else ".dockerconfigjson"
        if key not in data:
            return [required(data_path.key(key))]
        error = go_json_object_error(go_base64_decode(data[key] or "")[0])
        if error:
            return [invalid(data_path.key(key), "<secret contents redacted>", error)]
    elif kind == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            return [required(data_path.key("username")), required(data_path.key("password"))]
    elif kind == "kubernetes.io/ssh-auth":
        if not decoded_size(data.get("ssh-privatekey") or ""):
            return [required(data_path.key("ssh-privatekey"))]
    elif kind == "kubernetes.io/tls":
        return [required(data_path.key(key)) for key in ("tls.crt", "tls.key") if key not in data]
    return []


@validates_update("Secret")
def validate_secret_update(new: Obj, old: Obj) -> list[FieldError]:
    """upstream `ValidateSecretUpdate`: `type` immutable; nothing changes once immutable."""
    errs = validate_meta_update(new, old)
    errs += validate_immutable_field(new.get("type") or "", old.get("type") or "", Path("type"))
    if old.get("immutable") is True:
        if new.get("immutable") is not True:
            errs.append(forbidden(Path("immutable"), IMMUTABLE_SET))
        if (new.get("data") or {}) != (old.get("data") or {}):
            errs.append(forbidden(Path("data"), IMMUTABLE_SET))
    return errs
