"""The informer and work queue against the real API server (store + watch cache)."""

from __future__ import annotations

from collections import deque
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

server_module = pytest.importorskip("minik8s.apiserver.server")

from minik8s.client.cache import DeletedFinalStateUnknown, meta_namespace_key  # noqa: E402
from minik8s.client.client import Client  # noqa: E402
from minik8s.client.informer import SharedInformerFactory  # noqa: E402
from minik8s.client.workqueue import RateLimitingQueue  # noqa: E402
from minik8s.etcd import Store  # noqa: E402
from minik8s.sim.loop import EventLoop  # noqa: E402


def config_map(name: str, ns: str = "default", **data: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": ns},
        "data": data,
    }


def make_cluster(history: int | None = None) -> tuple[EventLoop, Any, Client]:
    loop = EventLoop()
    server = server_module.APIServer(Store(), loop)
    client = Client(server, "test")
    for ns in ("default", "shop"):
        client.create(
            "namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}}
        )
    if history is not None:  # a tiny watch-cache window, so resourceVersions expire quickly
        server.cachers["configmaps"].history = deque(maxlen=history)
    loop.settle()
    return loop, server, client


def names(objs: list[dict]) -> list[str]:
    return [meta_namespace_key(o) for o in objs]


def server_state(client: Client) -> dict[str, str]:
    items = client.list("configmaps")["items"]
    return {meta_namespace_key(o): o["metadata"]["resourceVersion"] for o in items}


def test_informer_follows_the_api_server() -> None:
    loop, _, client = make_cluster()
    client.create("configmaps", config_map("a", x="1"))
    factory = SharedInformerFactory(Client(client.server, "controller-manager"))
    informer = factory.informer_for("cm")
    seen: list[str] = []
    informer.add_event_handler(
        on_add=lambda o: seen.append(f"add {meta_namespace_key(o)}"),
        on_update=lambda old, new: seen.append(f"update {new['data']}"),
        on_delete=lambda o: seen.append(f"delete {meta_namespace_key(o)}"),
    )
    factory.start()
    assert factory.wait_for_cache_sync() == {"configmaps": True}
    a = client.get("configmaps", "a", "default")
    client.update("configmaps", dict(a, data={"x": "2"}))
    client.create("configmaps", config_map("b", "shop"))
    client.delete("configmaps", "a", "default")
    loop.settle()
    assert seen == ["add default/a", "update {'x': '2'}", "add shop/b", "delete default/a"]
    assert names(informer.lister().list()) == ["shop/b"]
    assert names(informer.lister().list("shop")) == ["shop/b"]
    assert {
        meta_namespace_key(o): o["metadata"]["resourceVersion"] for o in informer.indexer.list()
    } == server_state(client)


def test_expired_watch_relists_against_the_real_watch_cache() -> None:
    loop, _, client = make_cluster(history=2)
    for name in ("a", "b", "c"):
        client.create("configmaps", config_map(name))
    factory = SharedInformerFactory(Client(client.server, "kcm"))
    informer = factory.informer_for("configmaps")
    seen: list[str] = []
    informer.add_event_handler(
        on_update=lambda old, new: seen.append(f"update {meta_namespace_key(new)}"),
        on_delete=lambda o: seen.append(
            f"tombstone {o.key}"
            if isinstance(o, DeletedFinalStateUnknown)
            else f"delete {meta_namespace_key(o)}"
        ),
    )
    factory.start()
    informer.reflector._stop_watch()  # the connection drops; meanwhile the window moves on
    b = client.get("configmaps", "b", "default")
    client.update("configmaps", dict(b, data={"v": "2"}))
    client.delete("configmaps", "c", "default")
    client.create("configmaps", config_map("d"))
    informer.reflector.restart_watch()
    loop.settle()
    assert informer.reflector.watch_errors[0]["reason"] == "Expired"
    assert informer.reflector.list_count == 2
    assert seen == ["update default/b", "tombstone default/c"]
    assert names(informer.indexer.list()) == ["default/a", "default/b", "default/d"]


def test_controller_pattern_informer_to_workqueue() -> None:
    loop, _, client = make_cluster()
    factory = SharedInformerFactory(Client(client.server, "kcm"))
    informer = factory.informer_for("configmaps")
    queue = RateLimitingQueue(loop, name="cm-controller")
    informer.add_event_handler(
        on_add=lambda o: queue.add(meta_namespace_key(o)),
        on_update=lambda old, new: queue.add(meta_namespace_key(new)),
    )
    lister = informer.lister()
    reconciled: list[str] = []

    def sync(key: str) -> None:
        ns, name = key.split("/")
        cm = lister.get(ns, name)
        reconciled.append(f"{key} {cm['data']}")
        if "seen" not in cm["data"]:
            client.patch("configmaps", name, {"data": {"seen": "yes"}}, ns)

    queue.process(sync)
    factory.start()
    client.create("configmaps", config_map("a", x="1"))
    loop.settle()
    assert reconciled == ["default/a {'x': '1'}", "default/a {'x': '1', 'seen': 'yes'}"]


NAMES = [("default", "a"), ("default", "b"), ("shop", "a"), ("shop", "c")]


@settings(max_examples=100, deadline=None)
@given(
    script=st.lists(
        st.one_of(
            st.tuples(st.just("write"), st.sampled_from(NAMES)),
            st.tuples(st.just("delete"), st.sampled_from(NAMES)),
            st.tuples(st.just("step"), st.integers(1, 3)),
            st.tuples(st.just("reconnect"), st.none()),
        ),
        max_size=30,
    )
)
def test_cache_converges_to_the_api_server(script: list) -> None:
    loop, _, client = make_cluster(history=1)
    informer = SharedInformerFactory(Client(client.server, "p")).informer_for("configmaps")
    informer.start()
    for op, arg in script:
        if op == "write":
            ns, name = arg
            try:
                cm = client.get("configmaps", name, ns)
                client.update("configmaps", dict(cm, data={"n": str(int(cm["data"]["n"]) + 1)}))
            except Exception:
                client.create("configmaps", config_map(name, ns, n="0"))
        elif op == "delete":
            if f"{arg[0]}/{arg[1]}" in server_state(client):
                client.delete("configmaps", arg[1], arg[0])
        elif op == "step":
            loop.run(max_steps=arg)
        else:
            informer.reflector.restart_watch()
    loop.settle()
    cached = {
        meta_namespace_key(o): o["metadata"]["resourceVersion"] for o in informer.indexer.list()
    }
    assert cached == server_state(client)
    event(f"re-lists: {min(informer.reflector.list_count - 1, 2)}")
