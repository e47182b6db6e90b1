"""The informer's local cache, mirroring client-go `tools/cache` (store.go, index.go,
thread_safe_store.go, listers.go) and the index functions controllers register upstream.

An `Indexer` keeps objects by `namespace/name` key plus secondary indices (`by_index`). Objects
are stored and handed out as they came from the API server, never deep-copied per reader: the
cache is shared by every component (DESIGN.md, shared informers). **Do not mutate an object you
got from an indexer, lister or event handler**; copy it first (`copy.deepcopy`).

Left out: locking (one thread), `ListIndexFuncValues`, typed listers (one generic `Lister`).
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from minik8s.api.errors import NotFound

Obj = dict[str, Any]
IndexFunc = Callable[[Obj], list[str]]

NAMESPACE_INDEX = "namespace"
NODE_NAME_INDEX = "spec.nodeName"
CONTROLLER_UID_INDEX = "controllerUID"
ORPHAN_INDEX_KEY = "_ORPHAN_POD"


def meta_namespace_key(obj: Obj | DeletedFinalStateUnknown) -> str:
    """`namespace/name`, or `name` if cluster-scoped (`MetaNamespaceKeyFunc`); a tombstone's key.

    Accepting tombstones makes it upstream's `DeletionHandlingMetaNamespaceKeyFunc` as well.
    """
    if isinstance(obj, DeletedFinalStateUnknown):
        return obj.key
    meta = obj.get("metadata") or {}
    namespace, name = meta.get("namespace") or "", meta.get("name") or ""
    return f"{namespace}/{name}" if namespace else name


def split_meta_namespace_key(key: str) -> tuple[str, str]:
    """`(namespace, name)` of a key; namespace "" for cluster-scoped (`SplitMetaNamespaceKey`)."""
    parts = key.split("/")
    if len(parts) == 1:
        return "", parts[0]
    if len(parts) == 2:
        return parts[0], parts[1]
    raise ValueError(f'unexpected key format: "{key}"')


@dataclass(frozen=True)
class DeletedFinalStateUnknown:
    """A tombstone: deleted while the watch was down; `obj` is its last known state."""

    key: str
    obj: Obj

    def __repr__(self) -> str:
        return f"DeletedFinalStateUnknown({self.key!r})"


# -- index functions ------------------------------------------------------------------------------
def namespace_index(obj: Obj) -> list[str]:
    """`MetaNamespaceIndexFunc`: the object's namespace ("" when cluster-scoped)."""
    return [(obj.get("metadata") or {}).get("namespace") or ""]


def node_name_index(pod: Obj) -> list[str]:
    """Pods by `spec.nodeName` (unscheduled pods are not indexed), as `AddPodNodeNameIndexer`."""
    node_name = (pod.get("spec") or {}).get("nodeName")
    return [node_name] if node_name else []


def controller_of(obj: Obj) -> Obj | None:
    """The ownerReference with `controller: true`, if any (`metav1.GetControllerOf`)."""
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def owner_uid_index(obj: Obj) -> list[str]:
    """The controller ownerReference's uid; orphans under `_ORPHAN_POD/<namespace>`.

    Mirrors `AddPodControllerUIDIndexer` (pkg/controller/controller_utils.go).
    """
    ref = controller_of(obj)
    if ref is not None:
        return [ref["uid"]]
    return [f"{ORPHAN_INDEX_KEY}/{(obj.get('metadata') or {}).get('namespace') or ''}"]


def label_index(label_key: str) -> IndexFunc:
    """An index function by the value of label `label_key` (unlabelled objects not indexed)."""

    def index(obj: Obj) -> list[str]:
        labels = (obj.get("metadata") or {}).get("labels") or {}
        return [labels[label_key]] if label_key in labels else []

    index.__qualname__ = f"label_index({label_key!r})"
    return index


def ensure_index(indexer: Indexer, name: str, func: IndexFunc) -> None:
    """Add index `name` unless it exists (the guard of upstream's `AddPodNodeNameIndexer`)."""
    if name not in indexer.indexers():
        indexer.add_indexers({name: func})


# -- the indexer ----------------------------------------------------------------------------------
class Indexer:
    """Objects by key plus named indices (`cache.Indexer` over a `threadSafeMap`).

    Iteration order is insertion order (deterministic, no sort per call).
    """

    def __init__(self, indexers: Mapping[str, IndexFunc] | None = None):
        self._items: dict[str, Obj] = {}
        self._indexers: dict[str, IndexFunc] = {}
        self._indices: dict[str, dict[str, dict[str, None]]] = {}
        if indexers:
            self.add_indexers(indexers)

    def __repr__(self) -> str:
        return f"<Indexer {len(self._items)} objects indices={sorted(self._indexers)}>"

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    # -- writes -------------------------------------------------------------------------------
    def add(self, obj: Obj) -> None:
        """Insert or replace `obj` under its key."""
        self.update(obj)

    def update(self, obj: Obj) -> None:
        """Insert or replace `obj` under its key, moving it between index buckets."""
        self.put(meta_namespace_key(obj), obj)

    def put(self, key: str, obj: Obj) -> Obj | None:
        """Store `obj` under `key` (already computed); returns the object it replaced."""
        old = self._items.get(key)
        self._items[key] = obj
        self._update_indices(key, old, obj)
        return old

    def delete(self, obj: Obj | DeletedFinalStateUnknown) -> None:
        """Remove the object with `obj`'s key (no error if absent)."""
        self.delete_key(meta_namespace_key(obj))

    def delete_key(self, key: str) -> None:
        """Remove the object stored under `key` (no error if absent)."""
        old = self._items.pop(key, None)
        if old is not None:
            self._update_indices(key, old, None)

    def add_indexers(self, indexers: Mapping[str, IndexFunc]) -> None:
        """Register more index functions and index the objects already stored."""
        conflict = sorted(set(indexers) & set(self._indexers))
        if conflict:
            raise ValueError(f"indexer conflict: {conflict}")
        for name, func in indexers.items():
            self._indexers[name] = func
            self._indices[name] = {}
            for key, obj in self._items.items():
                self._index_one(name, key, func(obj))

    def _update_indices(self, key: str, old: Obj | None, new: Obj | None) -> None:
        for name, func in self._indexers.items():
            new_values = func(new) if new is not None else []
            if old is None:
                self._index_one(name, key, new_values)
                continue
            old_values = func(old)
            if old_values == new_values:
                continue
            index = self._indices[name]
            for value in old_values:
                bucket = index.get(value)
                if bucket is not None:
                    bucket.pop(key, None)
                    if not bucket:
                        del index[value]
            self._index_one(name, key, new_values)

    def _index_one(self, name: str, key: str, values: Iterable[str]) -> None:
        index = self._indices[name]
        for value in values:
            index.setdefault(value, {})[key] = None

    # -- reads --------------------------------------------------------------------------------
    def get_by_key(self, key: str) -> Obj | None:
        """The object stored under `key`, or None. Do not mutate it."""
        return self._items.get(key)

    def get(self, obj: Obj) -> Obj | None:
        """The stored object with the same key as `obj`, or None."""
        return self._items.get(meta_namespace_key(obj))

    def list(self) -> builtins.list[Obj]:
        """Every stored object. Do not mutate them."""
        return list(self._items.values())

    def list_keys(self) -> builtins.list[str]:
        """Every stored key."""
        return list(self._items)

    def indexers(self) -> dict[str, IndexFunc]:
        """The registered index functions by name."""
        return dict(self._indexers)

    def index_keys(self, index_name: str, value: str) -> builtins.list[str]:
        """Keys of the objects whose `index_name` function yields `value`."""
        if index_name not in self._indexers:
            raise KeyError(f"Index with name {index_name} does not exist")
        return list(self._indices[index_name].get(value, ()))

    def list_index_func_values(self, index_name: str) -> builtins.list[str]:
        """The values index `index_name` holds objects under (`ListIndexFuncValues`)."""
        if index_name not in self._indexers:
            raise KeyError(f"Index with name {index_name} does not exist")
        return list(self._indices[index_name])

    def by_index(self, index_name: str, value: str) -> builtins.list[Obj]:
        """The objects whose `index_name` function yields `value` (`ByIndex`)."""
        index = self._indices.get(index_name)
        if index is None:
            raise KeyError(f"Index with name {index_name} does not exist")
        items = self._items
        return [items[key] for key in index.get(value, ())]

    def index(self, index_name: str, obj: Obj) -> builtins.list[Obj]:
        """The objects sharing any `index_name` value with `obj` (`Index`)."""
        if index_name not in self._indexers:
            raise KeyError(f"Index with name {index_name} does not exist")
        keys: dict[str, None] = {}
        for value in self._indexers[index_name](obj):
            keys.update(self._indices[index_name].get(value, {}))
        return [self._items[key] for key in keys]

    def replace(self, objs: Iterable[Obj]) -> None:
        """Swap the whole content for `objs` (rebuilding every index)."""
        self._items = {meta_namespace_key(obj): obj for obj in objs}
        self._indices = {name: {} for name in self._indexers}
        for name, func in self._indexers.items():
            for key, obj in self._items.items():
                self._index_one(name, key, func(obj))


# -- listers --------------------------------------------------------------------------------------
Selector = Any  # `.matches(labels)`, a selector string, or a `{key: value}` set of labels


def _matcher(selector: Selector) -> Callable[[dict[str, str]], bool] | None:
    if selector is None:
        return None
    if isinstance(selector, str):
        from minik8s.api.labels import parse_selector

        selector = parse_selector(selector)
    if isinstance(selector, Mapping):
        wanted = dict(selector)
        return lambda labels: all(labels.get(k) == v for k, v in wanted.items())
    return selector.matches


class Lister:
    """A read-only view of an indexer, like the generated listers (`PodLister`...).

    `resource` ("pod", "deployment.apps") words the NotFound error as upstream's listers do.
    """

    def __init__(self, indexer: Indexer, resource: str = "object"):
        self.indexer = indexer
        self.resource = resource

    def __repr__(self) -> str:
        return f"<Lister {self.resource} {len(self.indexer)} objects>"

    def list(self, namespace: str | None = None, selector: Selector = None) -> list[Obj]:
        """Objects in `namespace` (all when None) whose labels match `selector`."""
        if namespace is None:
            objs = self.indexer.list()
        elif NAMESPACE_INDEX in self.indexer.indexers():
            objs = self.indexer.by_index(NAMESPACE_INDEX, namespace)
        else:
            objs = [o for o in self.indexer.list() if namespace_index(o) == [namespace]]
        matches = _matcher(selector)
        if matches is None:
            return objs
        return [o for o in objs if matches((o.get("metadata") or {}).get("labels") or {})]

    def get(self, namespace: str | None, name: str) -> Obj:
        """One object (namespace None or "" for cluster-scoped); raises `NotFound`."""
        key = f"{namespace}/{name}" if namespace else name
        obj = self.indexer.get_by_key(key)
        if obj is None:
            raise NotFound.for_resource(self.resource, name)
        return obj
