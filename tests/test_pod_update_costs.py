"""Per-pod costs in the taint eviction and attach/detach controllers (issue #10): a pod update is
a cache lookup plus the node's taints (no scan of the node's pods or of all pods), and a pod
without claims costs the attach/detach controller nothing per pod; same decisions as before."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.client.cache import NODE_NAME_INDEX, Indexer, node_name_index
from minik8s.controllers import pv_util
from minik8s.csi.attachdetach import CLAIM_POD_NODE_INDEX, claim_pod_node_index
from tests.controllers.test_nodelifecycle import Env
from tests.csi.conftest import StorageEnv

NO_EXECUTE = {"key": "maintenance", "value": "true", "effect": "NoExecute"}


def taint(env: Env, name: str, taints: list[dict]) -> None:
    node = env.kubelet.get("nodes", name)
    node = {**node, "spec": {**node.get("spec", {}), "taints": taints}}
    env.kubelet.update("nodes", node)
    env.loop.run(until=env.loop.now + 1)


def pod(env: Env, name: str, node: str, seconds: int | None = None) -> None:
    tolerations = []
    if seconds is not None:
        tolerations = [{**NO_EXECUTE, "operator": "Equal", "tolerationSeconds": seconds}]
    spec = {
        "nodeName": node,
        "containers": [{"name": "c", "image": "busybox"}],
        "tolerations": tolerations,
    }
    env.kubelet.create("pods", {"metadata": {"name": name, "namespace": "shop"}, "spec": spec})


class NoScan:
    """Wraps the pods indexer: fails the test when a pod update lists or scans pods."""

    def __init__(self, indexer: Indexer):
        self.indexer = indexer

    def get_by_key(self, key: str):
        return self.indexer.get_by_key(key)

    def __getattr__(self, name: str):
        raise AssertionError(f"a pod update used indexer.{name}")


def test_a_pod_update_is_a_lookup_and_decides_as_upstream():
    env = Env(default_tolerations=False)
    eviction = env.eviction
    taint(env, "node-2", [NO_EXECUTE])
    pods_indexer = eviction.pods
    eviction.pods = NoScan(pods_indexer)
    pod(env, "short", "node-2", seconds=30)
    pod(env, "calm", "node-1")
    env.loop.run(until=env.loop.now + 1)  # the queue runs `handle_pod_update` for each add
    assert sorted(eviction.workers) == ["shop/short"]
    assert eviction.workers["shop/short"].fire_at == eviction.workers["shop/short"].created_at + 30
    env.kubelet.delete("pods", "short", "shop", grace_period_seconds=0)
    env.loop.run(until=env.loop.now + 1)  # the delete cancels the scheduled deletion
    assert eviction.workers == {}
    assert ("short", "Cancelling deletion of Pod shop/short") in env.events("TaintManagerEviction")
    eviction.pods = pods_indexer


def test_only_a_change_of_node_or_tolerations_queues_a_pod():
    env = Env(default_tolerations=False)
    pod(env, "web", "node-1")
    env.loop.run(until=env.loop.now + 1)
    queued: list[str] = []
    env.eviction.enqueue = queued.append  # type: ignore[method-assign]
    web = env.kubelet.get("pods", "web", "shop")
    env.kubelet.update_status("pods", {**web, "status": {"phase": "Running"}}, "shop")
    env.loop.run(until=env.loop.now + 1)
    assert queued == []
    web = env.kubelet.get("pods", "web", "shop")
    tolerations = [{**NO_EXECUTE, "operator": "Equal"}]
    env.kubelet.update("pods", {**web, "spec": {**web["spec"], "tolerations": tolerations}})
    env.loop.run(until=env.loop.now + 1)
    assert queued == ["pod:shop/web"]


def test_an_untolerated_taint_still_evicts_a_pod_that_arrives_after_it():
    env = Env(default_tolerations=False)
    taint(env, "node-2", [NO_EXECUTE])
    pod(env, "bare", "node-2")
    env.loop.run(until=env.loop.now + 2)
    assert env.events("TaintManagerEviction") == [("bare", "Marking for deletion Pod shop/bare")]


# -- attach/detach ----------------------------------------------------------------------------
def claimless(env: StorageEnv, name: str, node: str) -> None:
    spec = {"nodeName": node, "containers": [{"name": "c", "image": "busybox"}]}
    env.client.create("pods", {"metadata": {"name": name}, "spec": spec}, "default")


def env_with_claim() -> tuple[StorageEnv, str]:
    """A storage environment with claim `data` provisioned, and the node its volume is on."""
    env = StorageEnv()
    env.storage_class()
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    pv_name = env.get("persistentvolumeclaims", "data")["spec"]["volumeName"]
    handle = env.get("persistentvolumes", pv_name, None)["spec"]["csi"]["volumeHandle"]
    return env, env.driver.volume(handle).node


def test_pods_without_claims_are_not_visited_and_the_claim_pod_still_attaches(monkeypatch):
    env, node = env_with_claim()
    for i in range(20):
        claimless(env, f"plain-{i}", node)
    env.loop.settle()
    controller = next(c for c in env.controllers if c.name == "attachdetach-controller")
    seen: list[str] = []
    real = pv_util.pod_claim_names

    def spy(pod):
        seen.append(pod["metadata"]["name"])
        return real(pod)

    monkeypatch.setattr(pv_util, "pod_claim_names", spy)
    assert controller.desired(node) == {}
    assert seen == []  # the 20 pods without claims are not even looked at
    env.pod("user", "data", node)
    env.loop.settle()
    seen.clear()
    (name,) = controller.desired(node)
    assert seen == ["user"]
    assert [va["metadata"]["name"] for va in env.client.list("volumeattachments")["items"]] == [
        name
    ]


POD_OPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "delete"]),
        st.integers(0, 5),  # pod
        st.sampled_from(["", "node-1", "node-2"]),
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(POD_OPS)
def test_the_claim_pods_index_equals_a_scan_of_the_nodes_pods(ops):
    indexer = Indexer(
        {NODE_NAME_INDEX: node_name_index, CLAIM_POD_NODE_INDEX: claim_pod_node_index}
    )
    for op, i, node in ops:
        key = f"default/p{i}"
        if op == "delete":
            indexer.delete_key(key)
            continue
        volumes = [{"name": "token", "projected": {"sources": []}}]
        if i % 2 == 0:  # pod volumes are immutable: a pod has claims or never has
            volumes.append({"name": "data", "persistentVolumeClaim": {"claimName": f"c{i}"}})
        spec = {"nodeName": node, "volumes": volumes} if node else {"volumes": volumes}
        indexer.update({"metadata": {"name": f"p{i}", "namespace": "default"}, "spec": spec})
    for node in ("node-1", "node-2"):
        scan = [p for p in indexer.by_index(NODE_NAME_INDEX, node) if pv_util.pod_claim_names(p)]
        assert indexer.by_index(CLAIM_POD_NODE_INDEX, node) == scan  # same pods, same order


def test_only_pods_with_claims_wake_the_attach_detach_controller(monkeypatch):
    """upstream `podAdd`/`podUpdate`/`podDelete` act on attachable volumes only: a pod without
    claims queues nothing; a scheduled pod with a claim queues its node, also when deleted."""
    env, node = env_with_claim()
    controller = next(c for c in env.controllers if c.name == "attachdetach-controller")
    queued: list[str] = []
    monkeypatch.setattr(controller, "enqueue", queued.append)
    claimless(env, "plain", node)
    env.loop.settle()
    env.client.delete("pods", "plain", "default", grace_period_seconds=0)
    env.loop.settle()
    assert queued == []
    env.pod("user", "data", node)
    env.loop.settle()
    assert queued and set(queued) == {node}
    queued.clear()
    env.client.delete("pods", "user", "default", grace_period_seconds=0)
    env.loop.settle()
    assert queued and set(queued) == {node}
