"""Encryption at rest, mirroring `staging/src/k8s.io/apiserver/pkg/storage/value` (the prefix
transformers), `.../value/encrypt/{aes,secretbox,identity}` and the `EncryptionConfiguration` of
`apis/apiserver/v1` with `pkg/server/options/encryptionconfig/config.go`.

An `EncryptionConfiguration` lists, per group of resources, providers: the first one encrypts
every write, all of them can decrypt a read. A stored value starts with the provider's prefix,
`k8s:enc:aescbc:v1:<keyname>:`, then the IV (aescbc) or nonce (aesgcm, secretbox) and the
ciphertext; `identity` stores the plaintext JSON. Upstream applies the transformer in the etcd3
store right below the watch cache, so here `EncryptedStore` wraps the `Store` the API server
talks to: puts are encrypted, gets, ranges and watch events decrypted. `stored_value` shows what
the store really holds; `rewrite_all` re-encrypts a resource with the current write key
(rotation). `secretbox` (XSalsa20-Poly1305, 32-byte keys) comes from PyNaCl.

Deterministic by design: IVs and nonces come from a seeded `random.Random`, never the OS (a real
server must use a CSPRNG). Left out: `kms` v1/v2 (rejected with a clear error), the config file
reload, the DEK cache, and `stale` detection inside the API server's GuaranteedUpdate.
"""

from __future__ import annotations

import base64
import binascii
import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from nacl.exceptions import CryptoError
from nacl.secret import SecretBox

from minik8s.api.errors import InternalError
from minik8s.api.kinds import RESOURCES, lookup
from minik8s.etcd import Compare, Event, KeyValue, Op, Store, TxnResult

ENCRYPTED_PREFIX = b"k8s:enc:"
AES_KEY_SIZES = (16, 24, 32)
SECRETBOX_KEY_SIZES = (32,)
PROVIDERS = ("aescbc", "aesgcm", "secretbox", "identity", "kms")


class TransformError(Exception):
    """A stored value that no configured provider can read (upstream's transformer errors)."""


class Transformer:
    """Turns stored bytes into plaintext and back; `key` is the etcd key (authenticated data)."""

    def transform_from_storage(self, data: bytes, key: str) -> bytes:
        raise NotImplementedError

    def transform_to_storage(self, data: bytes, key: str) -> bytes:
        raise NotImplementedError


class IdentityTransformer(Transformer):
    """`identity`: plaintext; refuses data carrying the reserved `k8s:enc:` prefix."""

    def __repr__(self) -> str:
        return "<IdentityTransformer>"

    def transform_from_storage(self, data: bytes, key: str) -> bytes:
        if data.startswith(ENCRYPTED_PREFIX):
            raise TransformError("identity transformer tried to read encrypted data")
        return data

    def transform_to_storage(self, data: bytes, key: str) -> bytes:
        return data


class CBCTransformer(Transformer):
    """`aescbc`: a random 16-byte IV, then AES-CBC of the PKCS#7-padded plaintext."""

    def __init__(self, secret: bytes, rng: random.Random):
        self.secret, self.rng = secret, rng

    def __repr__(self) -> str:
        return f"<CBCTransformer AES-{len(self.secret) * 8}>"

    def transform_from_storage(self, data: bytes, key: str) -> bytes:
        size = algorithms.AES.block_size // 8
        if len(data) < size:
            raise TransformError("the stored data was shorter than the required size")
        iv, body = data[:size], data[size:]
        if not body or len(body) % size:
            raise TransformError("the stored data is not a multiple of the block size")
        decryptor = Cipher(algorithms.AES(self.secret), modes.CBC(iv)).decryptor()
        padded = decryptor.update(body) + decryptor.finalize()
        unpadder = padding.PKCS7(algorithms.AES.block_size).unpadder()
        try:
            return unpadder.update(padded) + unpadder.finalize()
        except ValueError:
            raise TransformError("invalid PKCS7 data (empty or not padded)") from None

    def transform_to_storage(self, data: bytes, key: str) -> bytes:
        iv = self.rng.randbytes(algorithms.AES.block_size // 8)
        padder = padding.PKCS7(algorithms.AES.block_size).padder()
        padded = padder.update(data) + padder.finalize()
        encryptor = Cipher(algorithms.AES(self.secret), modes.CBC(iv)).encryptor()
        return iv + encryptor.update(padded) + encryptor.finalize()


class GCMTransformer(Transformer):
    """`aesgcm`: a 12-byte nonce, then AES-GCM sealed with the etcd key as authenticated data."""

    NONCE_SIZE = 12

    def __init__(self, secret: bytes, rng: random.Random):
        self.secret, self.rng = secret, rng

    def __repr__(self) -> str:
        return f"<GCMTransformer AES-{len(self.secret) * 8}>"

    def transform_from_storage(self, data: bytes, key: str) -> bytes:
        if len(data) < self.NONCE_SIZE:
            raise TransformError("the stored data was shorter than the required size")
        nonce, body = data[: self.NONCE_SIZE], data[self.NONCE_SIZE :]
        try:
            return AESGCM(self.secret).decrypt(nonce, body, key.encode())
        except InvalidTag:
            raise TransformError("cipher: message authentication failed") from None

    def transform_to_storage(self, data: bytes, key: str) -> bytes:
        nonce = self.rng.randbytes(self.NONCE_SIZE)
        return nonce + AESGCM(self.secret).encrypt(nonce, data, key.encode())


class SecretboxTransformer(Transformer):
    """`secretbox`: a 24-byte nonce, then XSalsa20-Poly1305 of the plaintext (no authenticated
    data: the etcd key is not bound), as `golang.org/x/crypto/nacl/secretbox.Seal` lays it out."""

    NONCE_SIZE = SecretBox.NONCE_SIZE

    def __init__(self, secret: bytes, rng: random.Random):
        self.box, self.rng = SecretBox(secret), rng

    def __repr__(self) -> str:
        return "<SecretboxTransformer XSalsa20-Poly1305>"

    def transform_from_storage(self, data: bytes, key: str) -> bytes:
        if len(data) < SecretBox.MACBYTES + self.NONCE_SIZE:
            raise TransformError("the stored data was shorter than the required size")
        nonce, body = data[: self.NONCE_SIZE], data[self.NONCE_SIZE :]
        try:
            return self.box.decrypt(body, nonce)
        except CryptoError:
            raise TransformError("output array was not large enough for encryption") from None

    def transform_to_storage(self, data: bytes, key: str) -> bytes:
        nonce = self.rng.randbytes(self.NONCE_SIZE)
        return bytes(self.box.encrypt(data, nonce))  # nonce + Poly1305 tag + ciphertext


@dataclass
class PrefixTransformer(Transformer):
    """upstream `value.NewPrefixTransformers`: the first entry writes; a read uses the entry
    whose prefix the data starts with (an empty prefix, identity, may fail over to the next)."""

    entries: list[tuple[bytes, Transformer]]
    no_match: str = "no matching prefix found"

    def __repr__(self) -> str:
        return f"<PrefixTransformer {[p.decode() for p, _ in self.entries]}>"

    def transform_from_storage(self, data: bytes, key: str) -> bytes:
        identity_error: TransformError | None = None
        for prefix, transformer in self.entries:
            if data.startswith(prefix):
                try:
                    return transformer.transform_from_storage(data[len(prefix) :], key)
                except TransformError as error:
                    if prefix:
                        raise
                    identity_error = error
        raise identity_error or TransformError(self.no_match)

    def transform_to_storage(self, data: bytes, key: str) -> bytes:
        prefix, transformer = self.entries[0]
        return prefix + transformer.transform_to_storage(data, key)


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


class EncryptedStore:
    """The `Store` as the API server sees it: values of configured resources are encrypted on
    the way in and decrypted on the way out (gets, ranges, watch events). Everything else is
    the wrapped store's (`inner`)."""

    def __init__(self, inner: Store, config: EncryptionConfig):
        self.inner = inner
        self.config = config
        self._by_plural: dict[str, Transformer | None] = {
            info.plural: config.transformer_for(info.group_resource) for info in RESOURCES
        }

    def __repr__(self) -> str:
        return f"<EncryptedStore {self.config!r} over {self.inner!r}>"

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def transformer_for_key(self, key: str) -> Transformer | None:
        """The transformer for `/registry/<plural>/...` (None: stored as plaintext)."""
        parts = key.split("/", 3)
        return self._by_plural.get(parts[2]) if len(parts) > 2 else None

    def _from_storage(self, kv: KeyValue | None) -> KeyValue | None:
        if kv is None or not kv.value:
            return kv
        transformer = self.transformer_for_key(kv.key)
        if transformer is None:
            return kv
        try:
            value = transformer.transform_from_storage(kv.value, kv.key)
        except TransformError as error:
            message = f'Internal error occurred: unable to transform key "{kv.key}": {error}'
            raise InternalError(message) from None
        return KeyValue(kv.key, value, kv.create_revision, kv.mod_revision, kv.version, kv.lease)

    def _to_storage(self, key: str, value: bytes) -> bytes:
        transformer = self.transformer_for_key(key)
        return value if transformer is None else transformer.transform_to_storage(value, key)

    def get(self, key: str, revision: int | None = None) -> KeyValue | None:
        return self._from_storage(self.inner.get(key, revision))

    def range(self, prefix: str, **kwargs: Any) -> list[KeyValue]:
        kvs = self.inner.range(prefix, **kwargs)
        return [kv for kv in map(self._from_storage, kvs) if kv is not None]

    def put(self, key: str, value: bytes, *, lease: int = 0) -> KeyValue:
        return self.inner.put(key, self._to_storage(key, value), lease=lease)

    def txn(
        self, compares: Iterable[Compare], success: Iterable[Op], failure: Iterable[Op] = ()
    ) -> TxnResult:
        def encrypt(ops: Iterable[Op]) -> list[Op]:
            return [
                Op(op.kind, op.key, self._to_storage(op.key, op.value), op.lease)
                if op.kind == "put"
                else op
                for op in ops
            ]

        return self.inner.txn(compares, encrypt(success), encrypt(failure))

    def watch(self, prefix: str, callback: Callable[[list[Event]], None], **kwargs: Any) -> Any:
        if self.transformer_for_key(prefix) is None:
            return self.inner.watch(prefix, callback, **kwargs)

        def decrypting(events: list[Event]) -> None:
            readable = [e for e in map(self._event_from_storage, events) if e is not None]
            if readable:
                callback(readable)

        return self.inner.watch(prefix, decrypting, **kwargs)

    def _event_from_storage(self, event: Event) -> Event | None:
        """The decrypted event; None (dropped) if this server's keys cannot read it."""
        try:
            kv = self._from_storage(event.kv)
            prev = self._from_storage(event.prev_kv)
        except InternalError:
            return None
        assert kv is not None
        return Event(event.type, kv, prev)


def raw_store(server: Any) -> Store:
    """The store under any encryption wrapper."""
    store = server.store
    return store.inner if isinstance(store, EncryptedStore) else store


def stored_value(server: Any, resource: str, namespace: str, name: str) -> bytes:
    """What etcd really holds for one object (ciphertext when encrypted, else plain JSON)."""
    info = lookup(resource)
    kv = raw_store(server).get(server.key(info, namespace if info.namespaced else "", name))
    if kv is None:
        raise KeyError(f"/registry/{info.plural}/{namespace}/{name}")
    return kv.value


def rewrite_all(server: Any, resource: str) -> int:
    """Re-write every object of `resource` so it is stored with the current write key, like
    `kubectl get secrets -A -o json | kubectl replace -f -`; returns how many were written."""
    info = lookup(resource)
    store = server.store
    count = 0
    for kv in store.range(f"/registry/{info.plural}/"):
        json.loads(kv.value)  # a value no provider can read fails above, like the API would
        guard = [Compare(kv.key, "mod", "=", kv.mod_revision)]
        if store.txn(guard, [Op("put", kv.key, kv.value, kv.lease)]).succeeded:
            count += 1
    return count
