import pytest

from minik8s.apiserver import APIServer
from minik8s.client.client import Client
from minik8s.cri.simulated import SimulatedRuntime
from minik8s.etcd import Store
from minik8s.kubelet import Kubelet
from minik8s.sim import EventLoop


class Node:
    """A control plane plus one kubelet on the simulated runtime."""

    def __init__(self, network=None, runtime=None, node="node-1"):
        """`runtime` is a factory `loop -> runtime` (default: the simulated runtime)."""
        self.loop = EventLoop(seed=0)
        self.store = Store(clock=lambda: self.loop.now)
        self.server = APIServer(self.store, self.loop)
        self.client = Client(self.server, "test")
        for name in ("default", "shop", "kube-node-lease"):
            self.client.create("namespaces", {"metadata": {"name": name}})
        self.runtime = (runtime or (lambda loop: SimulatedRuntime(loop, node)))(self.loop)
        self.kubelet = Kubelet(
            node,
            Client(self.server, "kubelet"),
            runtime=self.runtime,
            network=network,
            loop=self.loop,
        )
        self.kubelet.start()
        self.loop.settle()

    def pod(self, name="web", namespace="shop", **spec):
        spec.setdefault("containers", [{"name": "web", "image": "nginx:1.27"}])
        spec.setdefault("nodeName", "node-1")
        obj = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace},
            "spec": spec,
        }
        return self.client.create("pods", obj)

    def get(self, name="web", namespace="shop"):
        return self.client.get("pods", name, namespace)

    def status(self, name="web", namespace="shop"):
        return self.get(name, namespace)["status"]

    def events(self, name="web", namespace="shop"):
        items = self.client.list("events", namespace)["items"]
        items = [e for e in items if e["involvedObject"]["name"] == name]
        return [(e["reason"], e["message"]) for e in items]

    def container(self, name="web", pod="web", namespace="shop"):
        for s in self.status(pod, namespace).get("containerStatuses", []):
            if s["name"] == name:
                return s
        return None


@pytest.fixture
def node():
    return Node()
