"""Reflector + SharedIndexInformer + SharedInformerFactory against the fake API server."""

from __future__ import annotations

from typing import Any

import pytest

from minik8s.api.errors import Expired, InternalError
from minik8s.client.cache import NODE_NAME_INDEX, DeletedFinalStateUnknown, node_name_index
from minik8s.client.client import Client
from minik8s.client.informer import SharedIndexInformer, SharedInformerFactory

from .fake import FakeAPIServer


def pod(name: str, ns: str = "default", **spec: Any) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": ns},
        "spec": spec,
    }


class Recorder:
    """Event handlers that log what they receive as short strings."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def on_add(self, obj: dict) -> None:
        self.events.append(f"add {obj['metadata']['name']}@{obj['metadata']['resourceVersion']}")

    def on_update(self, old: dict, new: dict) -> None:
        old_rv, new = old["metadata"]["resourceVersion"], new["metadata"]
        self.events.append(f"update {new['name']}@{old_rv}->{new['resourceVersion']}")

    def on_delete(self, obj: Any) -> None:
        if isinstance(obj, DeletedFinalStateUnknown):
            self.events.append(
                f"delete tombstone {obj.key}@{obj.obj['metadata']['resourceVersion']}"
            )
        else:
            self.events.append(
                f"delete {obj['metadata']['name']}@{obj['metadata']['resourceVersion']}"
            )

    def register(self, informer: SharedIndexInformer, **kwargs: Any) -> None:
        informer.add_event_handler(self.on_add, self.on_update, self.on_delete, **kwargs)


def setup(*names: str) -> tuple[FakeAPIServer, Client, SharedIndexInformer, Recorder]:
    server = FakeAPIServer()
    for name in names:
        server.create("pods", pod(name))
    client = Client(server, "test")  # type: ignore[arg-type]
    informer = SharedIndexInformer(client, "pods")
    recorder = Recorder()
    recorder.register(informer)
    return server, client, informer, recorder


def test_start_lists_then_watches_from_the_list_resource_version() -> None:
    server, _, informer, rec = setup("a", "b")
    assert not informer.has_synced()
    informer.start()
    assert informer.has_synced()
    assert server.calls == ["list pods", "watch pods rv=3"]
    assert rec.events == ["add a@2", "add b@3"]
    assert informer.last_sync_resource_version == "3"
    informer.start()  # idempotent
    assert server.calls == ["list pods", "watch pods rv=3"]


def test_watch_events_reach_cache_and_handlers_in_order() -> None:
    server, _, informer, rec = setup("a")
    informer.start()
    a = server.get("pods", "a", "default")
    server.create("pods", pod("b"))
    server.update("pods", a)
    server.delete("pods", "a", "default")
    assert rec.events == ["add a@2"]  # delivery is asynchronous
    server.loop.run()
    assert rec.events == ["add a@2", "add b@3", "update a@2->4", "delete a@5"]
    assert informer.indexer.list_keys() == ["default/b"]
    assert informer.last_sync_resource_version == "5"


def test_a_stopped_informer_hears_nothing() -> None:
    server, _, informer, rec = setup("a")
    informer.start()
    server.create("pods", pod("b"))
    informer.stop()
    server.loop.run()
    assert rec.events == ["add a@2"]  # a stopped informer hears nothing more
    assert server.watches == []


def test_relist_after_expired_emits_only_the_differences() -> None:
    server, _, informer, rec = setup("a", "b", "c")
    informer.start()
    rec.events.clear()
    server.expire_watches()  # the watch falls behind: ERROR 410 Expired is on its way
    b = server.get("pods", "b", "default")
    b["spec"] = {"nodeName": "node-1"}
    server.update("pods", b)
    server.delete("pods", "c", "default")
    server.create("pods", pod("d"))
    server.loop.run()
    assert informer.reflector.watch_errors[0]["reason"] == "Expired"
    assert informer.reflector.watch_errors[0]["code"] == 410
    assert server.calls == ["list pods", "watch pods rv=4", "list pods", "watch pods rv=7"]
    # a is unchanged: a resync, no handler; b changed; d is new; c vanished → tombstone
    assert rec.events == ["update b@3->5", "add d@7", "delete tombstone default/c@4"]
    assert informer.indexer.list_keys() == ["default/a", "default/b", "default/d"]
    server.create("pods", pod("e"))  # the new watch works
    server.loop.run()
    assert rec.events[-1] == "add e@8"


def test_watch_from_a_compacted_resource_version_relists() -> None:
    server, client, _, _ = setup("a")

    real_list = server.list

    def list_then_compact(*args: Any, **kwargs: Any) -> dict:
        result = real_list(*args, **kwargs)
        if len(server.calls) == 1:
            server.create("pods", pod("b"))
            server.compact()
        return result

    server.list = list_then_compact  # type: ignore[method-assign]
    informer = SharedIndexInformer(client, "pods")
    rec = Recorder()
    rec.register(informer)
    informer.start()
    server.loop.run()
    assert server.calls == ["list pods", "watch pods rv=2", "list pods", "watch pods rv=3"]
    assert rec.events == ["add a@2", "add b@3"]


def test_watch_raising_expired_synchronously_relists() -> None:
    server, _, informer, rec = setup("a")
    real_watch = server.watch
    attempts: list[str | None] = []

    def watch(*args: Any, resource_version: str | None = None, **kwargs: Any) -> Any:
        attempts.append(resource_version)
        if len(attempts) == 1:
            raise Expired("too old resource version: 2 (3)")
        return real_watch(*args, resource_version=resource_version, **kwargs)

    server.watch = watch  # type: ignore[method-assign]
    informer.start()
    server.loop.run()
    assert attempts == ["2", "2"]
    assert server.calls == ["list pods", "list pods", "watch pods rv=2"]
    assert rec.events == ["add a@2"]


def test_failed_list_is_retried_after_a_second() -> None:
    server, _, informer, rec = setup("a")
    real_list = server.list
    failures = [InternalError("etcd is down")]

    def flaky_list(*args: Any, **kwargs: Any) -> dict:
        if failures:
            raise failures.pop()
        return real_list(*args, **kwargs)

    server.list = flaky_list  # type: ignore[method-assign]
    informer.start()
    assert not informer.has_synced()
    server.loop.run()
    assert informer.has_synced() and server.loop.now == 1.0
    assert rec.events == ["add a@2"]


def test_bookmark_moves_the_resource_version_only() -> None:
    server, _, informer, rec = setup("a")
    informer.start()
    informer.reflector._on_event(
        informer.reflector._generation, "BOOKMARK", {"metadata": {"resourceVersion": "42"}}
    )
    assert informer.last_sync_resource_version == "42"
    assert rec.events == ["add a@2"]


def test_delete_of_an_unknown_object_is_ignored() -> None:
    _, _, informer, rec = setup()
    informer.start()
    informer.apply(
        "DELETED",
        pod("ghost")
        | {"metadata": {"name": "ghost", "namespace": "default", "resourceVersion": "9"}},
    )
    assert rec.events == []


def test_late_handlers_get_synthetic_adds() -> None:
    server, _, informer, _ = setup("a", "b")
    informer.start()
    late = Recorder()
    late.register(informer)
    assert late.events == ["add a@2", "add b@3"]
    server.create("pods", pod("c"))
    server.loop.run()
    assert late.events[-1] == "add c@4"


def test_remove_event_handler() -> None:
    server, _, informer, rec = setup()
    informer.start()
    other: list[str] = []
    handle = informer.add_event_handler(on_add=lambda o: other.append(o["metadata"]["name"]))
    informer.remove_event_handler(handle)
    server.create("pods", pod("a"))
    server.loop.run()
    assert other == [] and rec.events == ["add a@2"]


def test_resync_calls_on_update_with_the_same_object() -> None:
    server, client, _, _ = setup("a")
    informer = SharedIndexInformer(client, "pods", resync_period=30)
    seen: list[tuple[float, bool]] = []
    informer.add_event_handler(
        on_update=lambda old, new: seen.append((server.loop.now, old is new))
    )
    fast: list[float] = []
    informer.add_event_handler(
        on_update=lambda old, new: fast.append(server.loop.now), resync_period=10
    )
    informer.start()
    server.loop.run(until=65)
    assert seen == [(30, True), (60, True)]
    assert fast == [10, 20, 30, 40, 50, 60]
    informer.stop()
    assert server.loop.pending() == 0
    informer.add_event_handler(on_update=lambda old, new: None, resync_period=5)
    informer.start()  # a stopped informer stays stopped
    assert server.loop.pending() == 0


def test_indexers_and_lister_follow_the_watch() -> None:
    server, _, informer, _ = setup()
    informer.add_indexers({NODE_NAME_INDEX: node_name_index})
    informer.start()
    server.create("pods", pod("a", nodeName="node-1"))
    server.create("pods", pod("b", "shop"))
    server.loop.run()
    assert [
        p["metadata"]["name"] for p in informer.indexer.by_index(NODE_NAME_INDEX, "node-1")
    ] == ["a"]
    lister = informer.lister()
    assert [p["metadata"]["name"] for p in lister.list("shop")] == ["b"]
    assert lister.get("default", "a")["spec"] == {"nodeName": "node-1"}
    with pytest.raises(Exception, match='pod "nope" not found'):
        lister.get("default", "nope")


def test_handlers_and_cache_share_one_object() -> None:
    server, _, informer, _ = setup()
    received: list[dict] = []
    informer.add_event_handler(on_add=received.append)
    informer.start()
    server.create("pods", pod("a"))
    server.loop.run()
    assert received[0] is informer.indexer.get_by_key("default/a")


# -- the factory ----------------------------------------------------------------------------------
def test_factory_shares_one_informer_per_resource() -> None:
    server = FakeAPIServer()
    server.create("pods", pod("a"))
    server.create("nodes", {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1"}})
    factory = SharedInformerFactory(Client(server, "kcm"))  # type: ignore[arg-type]
    pods = factory.informer_for("pods")
    assert factory.informer_for("po") is pods and factory.informer_for("Pod") is pods
    assert factory.informer_for("pods", namespace="shop") is not pods
    nodes = factory.informer_for("nodes", namespace="ignored")
    assert nodes is factory.informer_for("no")
    assert nodes.namespace is None
    deployments = factory.informer_for("deploy")
    assert deployments.resource == "deployments.apps"
    assert factory.wait_for_cache_sync() == {
        "pods": False,
        "pods/shop": False,
        "nodes": False,
        "deployments.apps": False,
    }
    factory.start()
    assert all(factory.wait_for_cache_sync().values())
    assert [o["metadata"]["name"] for o in factory.lister_for("nodes").list()] == ["node-1"]
    assert factory.informer_for("pods", "shop").lister().list() == []
    assert repr(factory) == "<SharedInformerFactory [pods, pods/shop, nodes, deployments.apps]>"
    assert repr(pods) == "<SharedIndexInformer pods synced objects=1 handlers=0>"
    with pytest.raises(Exception, match='deployment.apps "web" not found'):
        deployments.lister().get("default", "web")
    factory.shutdown()
    assert server.watches == []


def test_factory_default_resync_and_namespace() -> None:
    server = FakeAPIServer()
    server.create("pods", pod("a", "shop"))
    server.create("pods", pod("b", "other"))
    factory = SharedInformerFactory(Client(server, "x"), default_resync=5, namespace="shop")  # type: ignore[arg-type]
    informer = factory.informer_for("pods")
    assert informer.resync_period == 5 and informer.namespace == "shop"
    factory.start()
    assert informer.indexer.list_keys() == ["shop/a"]


def test_resync_timers_are_background_work() -> None:
    server, client, _, _ = setup("a")
    informer = SharedIndexInformer(client, "pods", resync_period=30)
    informer.add_event_handler(on_update=lambda old, new: None)
    informer.start()
    assert server.loop.settle() == 0
    assert server.loop.pending() == 1


def test_restart_watch_resumes_from_the_last_resource_version() -> None:
    server, _, informer, rec = setup("a")
    informer.start()
    server.create("pods", pod("b"))
    server.loop.run()
    informer.reflector.restart_watch()
    server.create("pods", pod("c"))
    server.loop.run()
    assert server.calls == ["list pods", "watch pods rv=2", "watch pods rv=3"]
    assert rec.events == ["add a@2", "add b@3", "add c@4"]
    server.create("pods", pod("d"))  # not yet delivered when the connection drops
    server.compact()
    informer.reflector.restart_watch()  # rv=4 is now too old → 410 → re-list
    server.loop.run()
    assert server.calls[-3:] == ["watch pods rv=4", "list pods", "watch pods rv=5"]
    assert rec.events[-1] == "add d@5"
