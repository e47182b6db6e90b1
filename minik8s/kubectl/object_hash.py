"""`--append-hash` names, mirroring `k8s.io/kubectl/pkg/util/hash/hash.go` (`ConfigMapHash`,
`SecretHash`): sha256 of a sorted-key JSON of the kind, name, data (and `binaryData`, `type`,
`immutable`), its first 10 hex digits with `0 1 3 a e` mapped to `g h k m t`.

The objects are in their v1 JSON form, whose `binaryData` / Secret `data` are already the
base64 strings Go's encoder writes for `[]byte`. Left out: nothing.
"""

from __future__ import annotations

import hashlib
from typing import Any

from minik8s.kubectl.secret_types import go_json

Obj = dict[str, Any]
_CONSONANTS = str.maketrans("013ae", "ghkmt")


def encode_hash(hex_digest: str) -> str:
    """`encodeHash`: the first 10 hex digits, vowel-like ones made consonants."""
    if len(hex_digest) < 10:
        raise ValueError("the hex string must contain at least 10 characters")
    return hex_digest[:10].translate(_CONSONANTS)


def _hash(fields: Obj) -> str:
    encoded = go_json(fields, sort_keys=True)  # Go sorts map keys
    return encode_hash(hashlib.sha256(encoded.encode()).hexdigest())


def config_map_hash(cm: Obj) -> str:
    """`ConfigMapHash` (`data` absent encodes as null, as a nil Go map)."""
    name = cm["metadata"].get("name", "")
    fields: Obj = {"kind": "ConfigMap", "name": name, "data": cm.get("data")}
    if cm.get("immutable") is not None:
        fields["immutable"] = cm["immutable"]
    if cm.get("binaryData"):
        fields["binaryData"] = cm["binaryData"]
    return _hash(fields)


def secret_hash(secret: Obj) -> str:
    """`SecretHash`."""
    name = secret["metadata"].get("name", "")
    fields: Obj = {"kind": "Secret", "type": secret.get("type", ""), "name": name}
    fields["data"] = secret.get("data")
    if secret.get("immutable") is not None:
        fields["immutable"] = secret["immutable"]
    return _hash(fields)
