"""`EncryptionConfiguration` parsing, mirroring `apis/apiserver/v1` and apiserver
`pkg/server/options/encryptionconfig/config.go`.

The configuration lists, per group of resources, providers: the first one encrypts every write,
all of them can decrypt a read (one `PrefixTransformer` per rule). Errors carry upstream's field
paths and words. Left out: `kms` v1/v2 (rejected with a clear error), the config file reload and
the `apiserver.config.k8s.io` validation beyond what parsing needs.
"""

from __future__ import annotations

import base64
import binascii
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from minik8s.apiserver.encryption_transformers import (
    CBCTransformer,
    GCMTransformer,
    IdentityTransformer,
    PrefixTransformer,
    SecretboxTransformer,
    Transformer,
)

AES_KEY_SIZES = (16, 24, 32)
SECRETBOX_KEY_SIZES = (32,)
PROVIDERS = ("aescbc", "aesgcm", "secretbox", "identity", "kms")


@dataclass
class EncryptionConfig:
    """A parsed `EncryptionConfiguration`: (resource patterns, transformer) in file order."""

    rules: list[tuple[list[str], Transformer]] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"<EncryptionConfig {[patterns for patterns, _ in self.rules]}>"

    def transformer_for(self, group_resource: str) -> Transformer | None:
        """The transformer of the first rule matching `secrets` / `deployments.apps` (None:
        plaintext). Patterns: exact names, `*.<group>`, `*.` (core group), `*.*` (all)."""
        plural, _, group = group_resource.partition(".")
        for patterns, transformer in self.rules:
            for pattern in patterns:
                if pattern in (group_resource, "*.*") or pattern == f"*.{group}":
                    return transformer
        return None


def _invalid(path: str, detail: str) -> ValueError:
    return ValueError(f"{path}: {detail}")


def _keys(
    spec: Any,
    path: str,
    make: Callable[[bytes, random.Random], Transformer],
    rng: random.Random,
    sizes: tuple[int, ...] = AES_KEY_SIZES,
) -> Transformer:
    keys = (spec or {}).get("keys") or []
    if not keys:
        raise _invalid(f"{path}.keys", "Required value: keys list cannot be empty")
    entries: list[tuple[bytes, Transformer]] = []
    for i, item in enumerate(keys):
        name, secret = item.get("name") or "", item.get("secret") or ""
        if not name:
            raise _invalid(f"{path}.keys[{i}].name", "Required value: key name is required")
        if ":" in name:
            raise _invalid(
                f"{path}.keys[{i}].name",
                f'Invalid value: "{name}": key name must not contain ":"',
            )
        try:
            raw = base64.b64decode(secret, validate=True)
        except (binascii.Error, ValueError):
            raise _invalid(
                f"{path}.keys[{i}].secret",
                'Invalid value: "REDACTED": secrets must be base64 encoded',
            ) from None
        if len(raw) not in sizes:
            raise _invalid(
                f"{path}.keys[{i}].secret",
                f'Invalid value: "REDACTED": secret is not of the expected length, got '
                f"{len(raw)}, expected one of [{' '.join(map(str, sizes))}]",
            )
        entries.append((f"{name}:".encode(), make(raw, rng)))
    return PrefixTransformer(entries)


def _provider(spec: dict, path: str, rng: random.Random) -> tuple[bytes, Transformer]:
    names = [name for name in PROVIDERS if name in spec]
    if len(names) != 1:
        detail = "provider does not contain any of the expected providers: KMS, AESGCM, AESCBC, "
        raise _invalid(path, f"Invalid value: {spec!r}: {detail}Secretbox, Identity")
    name = names[0]
    if name == "identity":
        return b"", IdentityTransformer()
    if name == "aescbc":
        return b"k8s:enc:aescbc:v1:", _keys(spec[name], f"{path}.aescbc", CBCTransformer, rng)
    if name == "aesgcm":
        return b"k8s:enc:aesgcm:v1:", _keys(spec[name], f"{path}.aesgcm", GCMTransformer, rng)
    if name == "secretbox":
        box = _keys(spec[name], f"{path}.secretbox", SecretboxTransformer, rng, SECRETBOX_KEY_SIZES)
        return b"k8s:enc:secretbox:v1:", box
    raise _invalid(
        f"{path}.{name}",
        f"Unsupported value: {name!r}: minik8s supports aescbc, aesgcm, secretbox and identity "
        "(kms needs a plugin)",
    )


def parse_encryption_config(
    source: str | dict, rng: random.Random | None = None
) -> EncryptionConfig:
    """Parse an `EncryptionConfiguration` (YAML text or dict); ValueError on bad input."""
    doc = yaml.safe_load(source) if isinstance(source, str) else source
    if not isinstance(doc, dict) or doc.get("kind") != "EncryptionConfiguration":
        raise ValueError("invalid configuration: kind must be EncryptionConfiguration")
    if doc.get("apiVersion") not in ("apiserver.config.k8s.io/v1", "apiserver.k8s.io/v1"):
        raise ValueError(f"invalid configuration: unsupported apiVersion {doc.get('apiVersion')!r}")
    rng = rng or random.Random(0)
    config = EncryptionConfig()
    for i, rule in enumerate(doc.get("resources") or []):
        patterns = [str(r) for r in rule.get("resources") or []]
        if not patterns:
            raise _invalid(f"resources[{i}].resources", "Required value: resource is required")
        providers = rule.get("providers") or []
        if not providers:
            raise _invalid(f"resources[{i}].providers", "Required value: provider is required")
        entries = [
            _provider(p, f"resources[{i}].providers[{j}]", rng) for j, p in enumerate(providers)
        ]
        config.rules.append((patterns, PrefixTransformer(entries)))
    return config
