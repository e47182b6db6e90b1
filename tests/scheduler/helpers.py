"""Builders for scheduler tests (upstream's `st.MakePod()` / `st.MakeNode()` in spirit)."""

from __future__ import annotations

from typing import Any

from minik8s.apiserver import APIServer
from minik8s.client.client import Client
from minik8s.client.informer import SharedInformerFactory
from minik8s.etcd import Store
from minik8s.scheduler import Scheduler
from minik8s.scheduler.cache import Cache
from minik8s.scheduler.types import NodeInfo, PodInfo
from minik8s.sim import EventLoop

Obj = dict[str, Any]


def make_node(
    name: str,
    cpu: str | int = "4",
    memory: str | int = "32Gi",
    pods: int = 110,
    labels: dict[str, str] | None = None,
    taints: list[Obj] | None = None,
    unschedulable: bool = False,
    extra: dict[str, str] | None = None,
) -> Obj:
    allocatable = {"cpu": str(cpu), "memory": str(memory), "pods": str(pods), **(extra or {})}
    spec: Obj = {}
    if taints:
        spec["taints"] = taints
    if unschedulable:
        spec["unschedulable"] = True
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": {"kubernetes.io/hostname": name, **(labels or {})},
        },
        "spec": spec,
        "status": {
            "capacity": dict(allocatable),
            "allocatable": allocatable,
            "conditions": [{"type": "Ready", "status": "True"}],
        },
    }


def make_pod(
    name: str,
    namespace: str = "default",
    requests: list[dict[str, str]] | dict[str, str] | None = None,
    node: str = "",
    labels: dict[str, str] | None = None,
    **spec: Any,
) -> Obj:
    if isinstance(requests, dict):
        requests = [requests]
    containers = [
        {"name": f"c{i}", "image": "busybox:1.36", "resources": {"requests": r}}
        for i, r in enumerate(requests or [{}])
    ]
    for c in containers:
        if not c["resources"]["requests"]:
            c["resources"] = {}
    body: Obj = {"containers": containers, **spec}
    if node:
        body["nodeName"] = node
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": labels or {}},
        "spec": body,
    }


def node_info(node: Obj, pods: list[Obj] = ()) -> NodeInfo:  # type: ignore[assignment]
    info = NodeInfo(node)
    for pod in pods:
        info.add_pod(PodInfo(pod))
    return info


def cache_with(nodes: list[Obj], pods: list[Obj] = ()) -> Cache:  # type: ignore[assignment]
    cache = Cache()
    for node in nodes:
        cache.add_node(node)
    for pod in pods:
        cache.add_pod(pod)
    return cache


class Env:
    """A control plane plus a scheduler, on a virtual clock."""

    def __init__(self, seed: int = 0, **scheduler_args: Any) -> None:
        self.loop = EventLoop(seed=seed)
        self.store = Store(clock=lambda: self.loop.now)
        self.server = APIServer(self.store, self.loop)
        self.client = Client(self.server, "test")
        for name in ("default", "shop", "kube-system"):
            self.client.create("namespaces", {"metadata": {"name": name}})
        self.informers = SharedInformerFactory(Client(self.server, "informers"))
        self.scheduler = Scheduler(
            Client(self.server, "default-scheduler"), self.informers, **scheduler_args
        )
        self.scheduler.start()
        self.informers.start()
        self.loop.settle()

    def add_node(self, *args: Any, **kwargs: Any) -> Obj:
        return self.client.create("nodes", make_node(*args, **kwargs))

    def add_pod(self, *args: Any, **kwargs: Any) -> Obj:
        pod = make_pod(*args, **kwargs)
        return self.client.create("pods", pod, pod["metadata"]["namespace"])

    def pod(self, name: str, namespace: str = "default") -> Obj:
        return self.client.get("pods", name, namespace)

    def node_of(self, name: str, namespace: str = "default") -> str:
        return self.pod(name, namespace)["spec"].get("nodeName", "")

    def events(self, reason: str | None = None) -> list[Obj]:
        items = self.client.list("events")["items"]
        return [e for e in items if reason is None or e["reason"] == reason]

    def finish_terminating(self) -> None:
        """Play the kubelet: pods marked for graceful deletion go away now."""
        for pod in self.client.list("pods")["items"]:
            if pod["metadata"].get("deletionTimestamp"):
                meta = pod["metadata"]
                self.client.delete("pods", meta["name"], meta["namespace"], grace_period_seconds=0)

    def settle(self) -> None:
        self.loop.settle()
