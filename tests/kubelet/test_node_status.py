"""Node status and the node Lease, as upstream's kubelet posts them since the Lease went GA:
status every 10 s only when it changed (heartbeat times aside) or every 5 min; the Lease renewed
every 10 s with one PUT and no GET; heartbeats of many kubelets share timers (`periodic.py`)."""

from __future__ import annotations

import pytest

from minik8s.apiserver import APIServer
from minik8s.client.client import Client
from minik8s.cri.simulated import SimulatedRuntime
from minik8s.etcd import Store
from minik8s.kubelet import Kubelet
from minik8s.kubelet.node_status import node_status_has_changed
from minik8s.kubelet.periodic import ticker
from minik8s.sim import EventLoop


class CountingClient(Client):
    """A client that records its verbs (the kubelet's side of the API audit log)."""

    def __init__(self, server: APIServer, user_agent: str):
        super().__init__(server, user_agent)
        self.calls: list[tuple[str, str]] = []

    def get(self, resource, name, namespace=None):
        self.calls.append(("get", resource))
        return super().get(resource, name, namespace)

    def create(self, resource, obj, namespace=None, **kwargs):
        self.calls.append(("create", resource))
        return super().create(resource, obj, namespace, **kwargs)

    def update(self, resource, obj, namespace=None, **kwargs):
        self.calls.append(("update", resource))
        return super().update(resource, obj, namespace, **kwargs)


class Env:
    """An API server and kubelets on the simulated runtime; `admin` plays other components."""

    def __init__(self, nodes=("node-1",)):
        self.loop = EventLoop(seed=0)
        self.server = APIServer(Store(clock=lambda: self.loop.now), self.loop)
        self.admin = Client(self.server, "admin")
        for name in ("default", "kube-node-lease"):
            self.admin.create("namespaces", {"metadata": {"name": name}})
        self.clients: dict[str, CountingClient] = {}
        self.kubelets: dict[str, Kubelet] = {}
        for name in nodes:
            self.add(name)
        self.loop.settle()

    def add(self, name):
        client = self.clients[name] = CountingClient(self.server, f"kubelet {name}")
        runtime = SimulatedRuntime(self.loop, name)
        self.kubelets[name] = Kubelet(name, client, runtime=runtime, loop=self.loop)
        self.kubelets[name].start()

    def node(self, name="node-1"):
        return self.admin.get("nodes", name)

    def lease(self, name="node-1"):
        return self.admin.get("leases", name, "kube-node-lease")

    def ready(self, name="node-1"):
        return next(c for c in self.node(name)["status"]["conditions"] if c["type"] == "Ready")


@pytest.fixture
def env():
    return Env()


def test_lease_is_renewed_every_ten_seconds_with_one_put_and_no_get(env):
    client = env.clients["node-1"]
    client.calls.clear()
    for second in (10, 20, 30):
        env.loop.run(until=second)
        assert env.lease()["spec"]["renewTime"] == f"2025-01-01T00:00:{second}.000000Z"
    assert [c for c in client.calls if c[1] == "leases"] == [("update", "leases")] * 3
    assert ("get", "nodes") not in client.calls  # node status reads the watch cache
    lease = env.lease()
    assert lease["spec"]["holderIdentity"] == "node-1"
    assert lease["spec"]["leaseDurationSeconds"] == 40
    assert lease["metadata"]["ownerReferences"][0]["uid"] == env.node()["metadata"]["uid"]


def test_a_lease_changed_by_someone_else_is_read_again_and_renewed(env):
    lease = env.lease()
    lease["spec"]["holderIdentity"] = "intruder"
    env.admin.update("leases", lease)
    client = env.clients["node-1"]
    client.calls.clear()
    env.loop.run(until=10)
    # the PUT from the last written Lease conflicts, a GET follows, then a PUT that succeeds
    leases = [c for c in client.calls if c[1] == "leases"]
    assert leases == [("update", "leases"), ("get", "leases"), ("update", "leases")]
    assert env.lease()["spec"]["holderIdentity"] == "node-1"


def test_a_deleted_lease_is_created_again(env):
    env.admin.delete("leases", "node-1", "kube-node-lease")
    env.loop.run(until=10)
    lease = env.lease()
    assert lease["spec"]["renewTime"] == "2025-01-01T00:00:10.000000Z"
    assert lease["metadata"]["ownerReferences"][0]["name"] == "node-1"


def test_unchanged_status_is_posted_only_every_five_minutes(env):
    versions = set()
    while env.loop.now < 610:
        env.loop.run(until=env.loop.now + 10)
        versions.add(env.node()["metadata"]["resourceVersion"])
    assert len(versions) == 3  # the registration's, then at 300 s and 600 s
    assert env.ready()["lastHeartbeatTime"] == "2025-01-01T00:10:00Z"
    assert env.ready()["lastTransitionTime"] == "2025-01-01T00:00:00Z"


def test_status_changed_by_someone_else_is_corrected_at_the_next_update(env):
    env.loop.run(until=15)
    node = env.node()
    for c in node["status"]["conditions"]:
        if c["type"] == "Ready":
            c.update(status="Unknown", reason="NodeStatusUnknown", lastTransitionTime="x")
            c["lastTransitionTime"] = "2025-01-01T00:00:15Z"
    env.admin.update_status("nodes", node)
    env.loop.run(until=19)
    assert env.ready()["status"] == "Unknown"
    env.loop.run(until=20)  # the next nodeStatusUpdateFrequency tick, not 5 min later
    ready = env.ready()
    assert (ready["status"], ready["reason"]) == ("True", "KubeletReady")
    assert ready["lastTransitionTime"] == ready["lastHeartbeatTime"] == "2025-01-01T00:00:20Z"


def test_a_stopped_kubelet_neither_renews_nor_posts(env):
    env.loop.run(until=10)
    env.kubelets["node-1"].stop()
    env.loop.run(until=400)
    assert env.lease()["spec"]["renewTime"] == "2025-01-01T00:00:10.000000Z"
    assert env.ready()["lastHeartbeatTime"] == "2025-01-01T00:00:00Z"
    env.kubelets["node-1"].start()
    env.loop.run(until=410)
    assert env.lease()["spec"]["renewTime"] == "2025-01-01T00:06:50.000000Z"
    assert env.ready()["lastHeartbeatTime"] == "2025-01-01T00:06:40Z"


def test_kubelets_started_at_different_times_keep_their_own_cadence():
    env = Env(nodes=("node-1", "node-2"))
    env.loop.run(until=3)
    env.add("node-3")
    env.loop.run(until=25)
    renewed = {n: env.lease(n)["spec"]["renewTime"][17:19] for n in ("node-1", "node-3")}
    assert renewed == {"node-1": "20", "node-3": "23"}


def test_heartbeats_due_together_share_one_timer_and_keep_join_order():
    loop = EventLoop(seed=0)
    ran: list[str] = []
    tick = ticker(loop, 10.0)
    members = [tick.every(lambda n=n: ran.append(n), n) for n in "abc"]
    loop.run(until=2)
    tick.every(lambda: ran.append("d"), "d")  # due at 12, 22, ...
    assert loop.pending() == 2  # one timer per instant: t=10 (a, b, c) and t=12 (d)
    loop.run(until=10)
    assert ran == ["a", "b", "c"]
    members[1].cancel()
    loop.run(until=22)
    assert ran == ["a", "b", "c", "d", "a", "c", "d"]
    assert ticker(loop, 10.0) is tick
    assert repr(tick) == "<Ticker kubelet heartbeats every 10s members=3>"


def test_node_status_has_changed_ignores_heartbeats_only():
    def cond(kind, status="False", beat="t1", moved="t0"):
        return {
            "type": kind,
            "status": status,
            "lastHeartbeatTime": beat,
            "lastTransitionTime": moved,
        }

    base = {"capacity": {"cpu": "4"}, "conditions": [cond("Ready", "True"), cond("PIDPressure")]}
    beats = {**base, "conditions": [cond("PIDPressure", beat="t2"), cond("Ready", "True", "t2")]}
    assert not node_status_has_changed(base, beats)  # heartbeat times and order do not count
    flipped = {**base, "conditions": [cond("Ready", "False"), cond("PIDPressure")]}
    assert node_status_has_changed(base, flipped)
    moved = {**base, "conditions": [cond("Ready", "True", moved="t1"), cond("PIDPressure")]}
    assert node_status_has_changed(base, moved)
    assert node_status_has_changed(base, {**base, "conditions": [cond("Ready", "True")]})
    assert node_status_has_changed(base, {**base, "capacity": {"cpu": "8"}})
    assert not node_status_has_changed({}, {})


def test_same_seed_same_heartbeats():
    def run():
        env = Env(nodes=("node-1", "node-2", "node-3"))
        env.loop.run(until=330)
        return env.server.store.revision, [env.node(n)["metadata"] for n in env.kubelets]

    assert run() == run()
