"""Encryption at rest, mirroring apiserver `pkg/storage/value` (the prefix transformers),
`.../value/encrypt/{aes,secretbox,identity}` and the `EncryptionConfiguration` of
`apis/apiserver/v1` with `pkg/server/options/encryptionconfig/config.go`.

Upstream applies the transformer in the etcd3 store right below the watch cache, so here
`EncryptedStore` wraps the `Store` the API server talks to: puts are encrypted, gets, ranges and
watch events decrypted. `stored_value` shows what the store really holds; `rewrite_all`
re-encrypts a resource with the current write key (rotation). The transformers live in
`encryption_transformers.py`, the configuration parser in `encryption_config.py`; both stay
importable from here. Left out: `stale` detection inside the API server's GuaranteedUpdate.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from minik8s.api.errors import InternalError
from minik8s.api.kinds import RESOURCES, lookup
from minik8s.apiserver.encryption_config import (
    AES_KEY_SIZES,
    PROVIDERS,
    SECRETBOX_KEY_SIZES,
    EncryptionConfig,
    parse_encryption_config,
)
from minik8s.apiserver.encryption_transformers import (
    ENCRYPTED_PREFIX,
    CBCTransformer,
    GCMTransformer,
    IdentityTransformer,
    PrefixTransformer,
    SecretboxTransformer,
    Transformer,
    TransformError,
)
from minik8s.etcd import Compare, Event, KeyValue, Op, Store, TxnResult

__all__ = [
    "AES_KEY_SIZES",
    "ENCRYPTED_PREFIX",
    "PROVIDERS",
    "SECRETBOX_KEY_SIZES",
    "CBCTransformer",
    "EncryptedStore",
    "EncryptionConfig",
    "GCMTransformer",
    "IdentityTransformer",
    "PrefixTransformer",
    "SecretboxTransformer",
    "TransformError",
    "Transformer",
    "parse_encryption_config",
    "raw_store",
    "rewrite_all",
    "stored_value",
]


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
