"""Scheduler throughput, shaped like upstream's scheduler_perf `SchedulingBasic`
(`test/integration/scheduler_perf/config/performance-config.yaml`, 5000Nodes_10000Pods):
5,000 nodes (4 CPU, 32Gi, 110 pods), 1,000 pods scheduled first (not measured), then
10,000 measured pods requesting 100m / 500Mi, default plugins.

Pods are created in the API server before the scheduler starts; the figure is measured pods
per second of wall-clock time spent running the scheduler (binding through the API server
included, as upstream); it also prints the rate per CPU-second, which is steadier on a
shared machine. Usage: `python benchmarks/scheduler_perf.py [nodes] [init] [pods]`.
"""

from __future__ import annotations

import gc
import sys
import time

from minik8s.apiserver import APIServer
from minik8s.client.client import Client
from minik8s.client.informer import SharedInformerFactory
from minik8s.etcd import Store
from minik8s.scheduler import Scheduler
from minik8s.sim import EventLoop


def node(i: int) -> dict:
    resources = {"pods": "110", "cpu": "4", "memory": "32Gi"}
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": f"scheduler-perf-{i:05d}"},
        "spec": {},
        "status": {
            "capacity": dict(resources),
            "allocatable": resources,
            "conditions": [{"type": "Ready", "status": "True"}],
            "phase": "Running",
        },
    }


def pod(name: str) -> dict:
    resources = {"cpu": "100m", "memory": "500Mi"}
    container = {
        "name": "pause",
        "image": "registry.k8s.io/pause:3.10",
        "ports": [{"containerPort": 80}],
        "resources": {"limits": dict(resources), "requests": resources},
    }
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"containers": [container]},
    }


def run(nodes: int = 5000, init_pods: int = 1000, pods: int = 10000) -> float:
    """Returns measured pods per second."""
    loop = EventLoop(seed=0)
    server = APIServer(Store(clock=lambda: loop.now), loop)
    client = Client(server, "scheduler-perf")
    client.create("namespaces", {"metadata": {"name": "default"}})
    for i in range(nodes):
        client.create("nodes", node(i))
    informers = SharedInformerFactory(Client(server, "informers"))
    scheduler = Scheduler(Client(server, "default-scheduler"), informers)
    scheduler.start()
    informers.start()
    for i in range(init_pods):
        client.create("pods", pod(f"init-pod-{i:05d}"), "default")
    loop.settle()
    assert scheduler.scheduled == init_pods, scheduler
    for i in range(pods):
        client.create("pods", pod(f"pod-{i:05d}"), "default")
    gc.collect()
    gc.freeze()  # the pre-created cluster is long-lived: keep the cyclic GC off it
    started, cpu_started = time.perf_counter(), time.process_time()
    loop.settle()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    assert scheduler.scheduled == init_pods + pods, scheduler
    rate = pods / elapsed
    print(
        f"SchedulingBasic {nodes} nodes, {init_pods} init pods, {pods} measured pods: "
        f"{elapsed:.2f} s wall, {rate:.0f} pods/s ({pods / cpu:.0f} pods/s of CPU time)"
    )
    return rate


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    run(*args)
