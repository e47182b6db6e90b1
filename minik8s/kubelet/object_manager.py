"""The kubelet's watch-based ConfigMap and Secret managers, mirroring
`pkg/kubelet/util/manager/watch_based_manager.go` (`objectCache`: one reflector per referenced
object, with the field selector `metadata.name=<name>` in the pod's namespace, started by the
object's first reference and stopped by its last; an immutable object stops its reflector and
keeps being served; a reflector nobody read for `maxIdleTime` is stopped by the idle recycler,
which runs every minute, and restarted by the next `Get`), `cache_based_manager.go`
(`RegisterPod` / `UnregisterPod` / `GetObject`) and `pkg/kubelet/configmap/configmap_manager.go`,
`pkg/kubelet/secret/secret_manager.go` (`NewWatchingConfigMapManager`,
`NewWatchingSecretManager`: the names come from `podutil`'s visitors).

Reads return the object the watch delivered (shared: do not mutate). The reflector's LIST is
synchronous, so the first `get` after `add_reference` needs no wait for `hasSynced`.
Left out: the TTL-based (`Cache`) and GET-per-read (`Get`) strategies, WatchList semantics.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import NotFound
from minik8s.api.podutil import pod_configmap_names, pod_secret_names
from minik8s.client.reflector import Reflector

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.sim.loop import Timer

Obj = dict[str, Any]
SYNC_FREQUENCY = 60.0  # the kubelet's resyncInterval (--sync-frequency)
MAX_IDLE_TIME = 5 * SYNC_FREQUENCY  # NewWatchBasedManager: resyncInterval * 5
RECYCLE_PERIOD = 60.0  # NewObjectCache: wait.Until(startRecycleIdleWatch, time.Minute)


class NotRegistered(Exception):
    """`Get` of an object no registered pod references."""

    def __init__(self, namespace: str, name: str):
        super().__init__(f'object "{namespace}"/"{name}" not registered')


def is_immutable(obj: Obj) -> bool:
    """`isImmutable`: `immutable: true`."""
    return obj.get("immutable") is True


class CacheStore:
    """The reflector's store (upstream's `cacheStore`): the watched object by name; `changed`
    is called after each LIST and watch event."""

    __slots__ = ("objects", "changed")  # (one per referenced object: compact)

    def __init__(self, changed: Callable[[], object] | None = None) -> None:
        self.objects: dict[str, Obj] = {}
        self.changed = changed

    def __repr__(self) -> str:
        return f"<CacheStore {sorted(self.objects)}>"

    def replace(self, items: Iterable[Obj]) -> None:
        """A LIST's items replace what the store held."""
        self.objects = {obj["metadata"]["name"]: obj for obj in items}
        if self.changed is not None:
            self.changed()

    def apply(self, event_type: str, obj: Obj) -> None:
        """A watch event."""
        name = obj["metadata"]["name"]
        if event_type == "DELETED":
            self.objects.pop(name, None)
        else:
            self.objects[name] = obj
        if self.changed is not None:
            self.changed()


class ObjectCacheItem:
    """One referenced object: who references it, its store and reflector (`objectCacheItem`)."""

    __slots__ = (
        "ref_map",
        "store",
        "reflector",
        "last_access_time",
        "stopped",
        "immutable",
        "readers",
    )

    def __init__(self, reflector: Reflector, store: CacheStore, now: float):
        self.ref_map: dict[str, int] = {}  # pod uid → references
        self.store = store
        self.reflector = reflector
        self.last_access_time = now  # upstream starts at zero time (stopped at the first check)
        self.stopped = False
        self.immutable = False
        self.readers = 0  # mounted volumes that read it at every resync: never idle

    def __repr__(self) -> str:
        state = "immutable" if self.immutable else "stopped" if self.stopped else "watching"
        return f"<ObjectCacheItem {self.reflector.field_selector} refs={len(self.ref_map)} {state}>"

    def stop(self) -> bool:
        """Stop the reflector; whether it was running."""
        if self.stopped:
            return False
        self.stopped = True
        self.reflector.stop()
        return True

    def restart_reflector_if_needed(self) -> None:
        """`restartReflectorIfNeeded`: an idle-stopped, mutable object is watched again."""
        if self.stopped and not self.immutable:
            self.stopped = False
            self.reflector.run()


class ObjectCache:
    """`objectCache`: reflectors per referenced (namespace, name) of one resource."""

    def __init__(self, client: Client, resource: str, group_resource: str):
        self.client = client
        self.loop = client.loop
        self.resource = resource
        self.group_resource = group_resource  # "configmap" / "secret", as upstream's
        self.items: dict[tuple[str, str], ObjectCacheItem] = {}
        self.max_idle_time = MAX_IDLE_TIME
        self._recycler: Timer | None = None
        # called with the uids of the pods that reference an object its watch just changed
        self.on_change: Callable[[Iterable[str]], object] | None = None

    def __repr__(self) -> str:
        watching = sum(not item.stopped for item in self.items.values())
        return f"<ObjectCache {self.resource} items={len(self.items)} watching={watching}>"

    def add_reference(self, namespace: str, name: str, uid: str) -> None:
        """`AddReference`: the first reference starts the object's reflector."""
        item = self.items.get((namespace, name))
        if item is None:
            item = self.items[(namespace, name)] = self._new_item(namespace, name)
        item.ref_map[uid] = item.ref_map.get(uid, 0) + 1

    def _new_item(self, namespace: str, name: str) -> ObjectCacheItem:
        store = CacheStore(partial(self._changed, (namespace, name)))
        reflector = Reflector(
            self.client, self.resource, store, namespace, field_selector=f"metadata.name={name}"
        )
        item = ObjectCacheItem(reflector, store, self.loop.now)
        reflector.run()
        self._start_recycler()
        return item

    def delete_reference(self, namespace: str, name: str, uid: str) -> None:
        """`DeleteReference`: the last reference stops the reflector and drops the item."""
        item = self.items.get((namespace, name))
        if item is None:
            return
        count = item.ref_map.get(uid, 0) - 1
        if count > 0:
            item.ref_map[uid] = count
        else:
            item.ref_map.pop(uid, None)
        if not item.ref_map:
            item.stop()
            del self.items[(namespace, name)]

    def _changed(self, key: tuple[str, str]) -> None:
        item = self.items.get(key)
        if item is not None and item.ref_map and self.on_change is not None:
            self.on_change(list(item.ref_map))

    def add_reader(self, namespace: str, name: str) -> None:
        """A mounted volume reads the object at every resync (about every minute, well within
        `max_idle_time`): its watch is never idle while the volume is mounted."""
        item = self.items.get((namespace, name))
        if item is not None:
            item.readers += 1

    def drop_reader(self, namespace: str, name: str) -> None:
        """That volume is unmounted: the object was last read now."""
        item = self.items.get((namespace, name))
        if item is not None and item.readers:
            item.readers -= 1
            item.last_access_time = max(item.last_access_time, self.loop.now)

    def get(self, namespace: str, name: str) -> Obj:
        """`Get`: the object from its store; raises `NotRegistered` or `NotFound`."""
        item = self.items.get((namespace, name))
        if item is None:
            raise NotRegistered(namespace, name)
        item.last_access_time = self.loop.now
        item.restart_reflector_if_needed()
        obj = item.store.objects.get(name)
        if obj is None:
            raise NotFound.for_resource(self.group_resource, name)
        if is_immutable(obj):
            item.immutable = True
            item.stop()
        return obj

    def stop(self) -> None:
        """Stop every reflector and the recycler (the kubelet stopped)."""
        for item in self.items.values():
            item.stop()
        self.items.clear()
        if self._recycler is not None:
            self._recycler.cancel()
            self._recycler = None

    def _start_recycler(self) -> None:
        if self._recycler is None:
            self._recycler = self.loop.call_later(
                RECYCLE_PERIOD,
                self._recycle_idle_watches,
                background=True,
                label="kubelet idle watch recycle",
                fifo=True,
            )

    def _recycle_idle_watches(self) -> None:
        """`startRecycleIdleWatch`: stop the reflectors not read for `max_idle_time`."""
        self._recycler = None
        now = self.loop.now
        for item in self.items.values():
            idle = not item.readers and now > item.last_access_time + self.max_idle_time
            if idle and not item.stopped:
                item.stop()
        if self.items:
            self._start_recycler()


class CacheBasedManager:
    """`cacheBasedManager`: the objects registered pods reference, served from a cache."""

    def __init__(self, cache: ObjectCache, referenced: Callable[[Obj], list[str]]):
        self.cache = cache
        self.referenced = referenced  # getReferencedObjects
        # pod key → (the registered version's spec, the names it references); upstream keeps
        # the pod itself, which here would pin a superseded version's status and metadata
        self.registered_pods: dict[tuple[str, str, str], tuple[Obj | None, list[str]]] = {}

    def __repr__(self) -> str:
        return f"<CacheBasedManager {self.cache.resource} pods={len(self.registered_pods)}>"

    def get_object(self, namespace: str, name: str) -> Obj:
        """`GetObject` (shared: do not mutate); raises `NotRegistered` or `NotFound`."""
        return self.cache.get(namespace, name)

    def register_pod(self, pod: Obj) -> None:
        """`RegisterPod`: reference the pod's objects, then drop its previous version's."""
        key, spec = _pod_key(pod), pod.get("spec")
        prev = self.registered_pods.get(key)
        if prev is not None and prev[0] is spec:
            return  # a status update (the watch shares the unchanged spec): the same names
        names = self.referenced(pod)
        self.registered_pods[key] = (spec, names)
        namespace, _, uid = key
        for name in names:
            self.cache.add_reference(namespace, name, uid)
        if prev is not None:
            for name in prev[1]:
                self.cache.delete_reference(namespace, name, uid)

    def unregister_pod(self, pod: Obj) -> None:
        """`UnregisterPod`: drop the registered version's references."""
        key = _pod_key(pod)
        prev = self.registered_pods.pop(key, None)
        if prev is not None:
            for name in prev[1]:
                self.cache.delete_reference(key[0], name, key[2])


def _pod_key(pod: Obj) -> tuple[str, str, str]:
    meta = pod["metadata"]
    return meta.get("namespace", ""), meta.get("name", ""), meta.get("uid", "")


class ObjectManagers:
    """A kubelet's watching ConfigMap and Secret managers (`NewWatchingConfigMapManager`,
    `NewWatchingSecretManager`), by the kind names volumes use ("configMap", "secret")."""

    def __init__(self, client: Client):
        self.configmaps = CacheBasedManager(
            ObjectCache(client, "configmaps", "configmap"), pod_configmap_names
        )
        self.secrets = CacheBasedManager(ObjectCache(client, "secrets", "secret"), pod_secret_names)

    def __repr__(self) -> str:
        cms, secrets = self.configmaps.cache, self.secrets.cache
        return f"<ObjectManagers configmaps={len(cms.items)} secrets={len(secrets.items)}>"

    def manager(self, kind: str) -> CacheBasedManager:
        """The manager of `kind` ("configMap" or "secret")."""
        return self.configmaps if kind == "configMap" else self.secrets

    def get(self, kind: str, namespace: str, name: str) -> Obj:
        """The ConfigMap (`kind` "configMap") or Secret; raises `NotRegistered` or `NotFound`."""
        return self.manager(kind).get_object(namespace, name)

    def on_change(self, listener: Callable[[Iterable[str]], object]) -> None:
        """Call `listener` with the uids of the pods referencing an object that changed."""
        self.configmaps.cache.on_change = self.secrets.cache.on_change = listener

    def register_pod(self, pod: Obj) -> None:
        """Register the pod with both managers (`SyncPod`, unless termination was requested)."""
        self.secrets.register_pod(pod)
        self.configmaps.register_pod(pod)

    def unregister_pod(self, pod: Obj) -> None:
        """Unregister it from both (`SyncTerminatedPod`)."""
        self.secrets.unregister_pod(pod)
        self.configmaps.unregister_pod(pod)

    def stop(self) -> None:
        """Stop every watch (the kubelet stopped)."""
        self.configmaps.cache.stop()
        self.secrets.cache.stop()
        self.configmaps.registered_pods.clear()
        self.secrets.registered_pods.clear()
