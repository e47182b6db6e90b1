import pytest

from minik8s.apiserver import APIServer
from minik8s.client.client import Client
from minik8s.etcd import Store
from minik8s.sim import EventLoop


class Env:
    """A bare control plane: store + API server on a virtual clock, plus a client."""

    def __init__(self):
        self.loop = EventLoop(seed=0)
        self.store = Store(clock=lambda: self.loop.now)
        self.server = APIServer(self.store, self.loop)
        self.client = Client(self.server, "test")
        for name in ("default", "shop"):
            self.client.create("namespaces", {"metadata": {"name": name}})
        self.loop.settle()

    def events(self, resource, **kwargs):
        seen = []
        self.client.watch(resource, lambda t, o: seen.append((t, o["metadata"]["name"])), **kwargs)
        return seen


@pytest.fixture
def env():
    return Env()


def configmap(name, namespace=None, **data):
    meta = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data}


def deployment(name, replicas=1, labels=None):
    labels = labels or {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "shop"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
            },
        },
    }


def pod(name, node="", labels=None, namespace="shop"):
    spec = {"containers": [{"name": "c", "image": "busybox:1.36"}]}
    if node:
        spec["nodeName"] = node
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": labels or {}},
        "spec": spec,
    }
