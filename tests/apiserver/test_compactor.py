"""The API server's periodic etcd compaction (`--etcd-compaction-interval`)."""

import pytest

from minik8s.apiserver import APIServer
from minik8s.apiserver.compactor import Compactor
from minik8s.client.client import Client
from minik8s.etcd import Compacted, Store
from minik8s.sim import EventLoop


def test_compacts_one_interval_behind():
    loop = EventLoop()
    store = Store(clock=lambda: loop.now)
    server = APIServer(store, loop, compaction_interval=300)
    client = Client(server)
    client.create("namespaces", {"metadata": {"name": "default"}})
    first = store.revision
    loop.run(until=299)
    assert store.compact_revision == 0  # nothing before the first tick
    loop.run(until=301)
    assert store.compact_revision == 0  # the first tick only remembers the revision
    assert server.compactor is not None and server.compactor.last_revision == first
    cm = {"metadata": {"name": "a", "namespace": "default"}, "data": {"k": "v"}}
    client.create("configmaps", cm)
    loop.run(until=601)
    assert store.compact_revision == first  # one interval of history is kept
    with pytest.raises(Compacted):
        store.get("/registry/namespaces/default", revision=first - 1)
    assert store.get("/registry/configmaps/default/a") is not None
    assert not loop.busy()  # a background timer: settle() does not wait for it


def test_off_by_default_and_stoppable():
    loop = EventLoop()
    store = Store(clock=lambda: loop.now)
    assert APIServer(store, loop).compactor is None
    compactor = Compactor(store, loop, interval=10)
    store.put("/a", b"1")
    loop.run(until=25)
    assert store.compact_revision == 2 and compactor.compactions == 1
    compactor.stop()
    store.put("/a", b"2")
    loop.run(until=100)
    assert store.compact_revision == 2
    assert repr(compactor) == "<Compactor every 10s compactions=1 last_revision=2>"
    with pytest.raises(ValueError):
        Compactor(store, loop, interval=0)
