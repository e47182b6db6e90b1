"""Scheduler throughput, shaped like upstream's scheduler_perf `SchedulingBasic`
(`test/integration/scheduler_perf/config/performance-config.yaml`, 5000Nodes_10000Pods):
5,000 nodes (4 CPU, 32Gi, 110 pods), 1,000 pods scheduled first (not measured), then
10,000 measured pods requesting 100m / 500Mi, default plugins.

Pods are created in the API server before the scheduler starts; the figure is measured pods
per second of wall-clock time spent running the scheduler (binding through the API server
included, as upstream); it also prints the rate per CPU-second, which is steadier on a
shared machine. Usage: `python benchmarks/scheduler_perf.py [nodes] [init] [pods] [--owned]`.

`--owned` is the shape of issue #10 target 2 (Deployment pods): pods come in groups of
`GROUP_SIZE` with the same labels and a controller reference to their ReplicaSet (which exists,
so PodTopologySpread's system-default constraints select the group: hostname maxSkew 3 and
zone maxSkew 5, ScheduleAnyway, as for every Deployment pod upstream); nodes then carry the
`kubernetes.io/hostname` label, as a kubelet registers them, so the hostname constraint scores.
It prints `OwnedPods ...` instead of `SchedulingBasic ...`.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import time
from collections.abc import Callable

from minik8s.apiserver import APIServer
from minik8s.client.client import Client
from minik8s.client.informer import SharedInformerFactory
from minik8s.etcd import Store
from minik8s.scheduler import Scheduler
from minik8s.sim import EventLoop


def node(i: int, hostname: bool = False) -> dict:
    """A node; with `hostname`, the `kubernetes.io/hostname` label every kubelet sets."""
    resources = {"pods": "110", "cpu": "4", "memory": "32Gi"}
    name = f"scheduler-perf-{i:05d}"
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name} if hostname else {}},
        "spec": {},
        "status": {
            "capacity": dict(resources),
            "allocatable": resources,
            "conditions": [{"type": "Ready", "status": "True"}],
            "phase": "Running",
        },
    }


GROUP_SIZE = 300  # replicas per ReplicaSet in `--owned` (workload.py's default)


def replica_set(group: int) -> dict:
    """ReplicaSet `rs-<group>` selecting `app=rs-<group>` (no controller runs: only listed)."""
    labels = {"app": f"rs-{group}"}
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": f"rs-{group}", "namespace": "default"},
        "spec": {
            "replicas": GROUP_SIZE,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": pod("t")["spec"]},
        },
    }


def owned_pod(name: str, group: int, uid: str) -> dict:
    """A pod of ReplicaSet `rs-<group>`: its labels and a controller owner reference."""
    result = pod(name)
    owner = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": f"rs-{group}", "uid": uid}
    result["metadata"]["labels"] = {"app": f"rs-{group}"}
    result["metadata"]["ownerReferences"] = [{**owner, "controller": True}]
    return result


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


def run(
    nodes: int = 5000,
    init_pods: int = 1000,
    pods: int = 10000,
    owned: bool = False,
    profile: str | None = None,
) -> float:
    """Returns measured pods per second; with `profile`, cProfile stats go to that file."""
    loop = EventLoop(seed=0)
    server = APIServer(Store(clock=lambda: loop.now), loop)
    client = Client(server, "scheduler-perf")
    client.create("namespaces", {"metadata": {"name": "default"}})
    for i in range(nodes):
        client.create("nodes", node(i, hostname=owned))
    informers = SharedInformerFactory(Client(server, "informers"))
    scheduler = Scheduler(Client(server, "default-scheduler"), informers)
    scheduler.start()
    informers.start()
    make = _owned_pods(client, init_pods + pods) if owned else pod
    for i in range(init_pods):
        client.create("pods", make(f"init-pod-{i:05d}"), "default")
    loop.settle()
    assert scheduler.scheduled == init_pods, scheduler
    for i in range(pods):
        client.create("pods", make(f"pod-{i:05d}"), "default")
    gc.collect()
    gc.freeze()  # the pre-created cluster is long-lived: keep the cyclic GC off it
    profiler = cProfile.Profile() if profile else None
    started, cpu_started = time.perf_counter(), time.process_time()
    if profile and profiler is not None:
        profiler.runcall(loop.settle)
        profiler.dump_stats(profile)
    else:
        loop.settle()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    assert scheduler.scheduled == init_pods + pods, scheduler
    rate = pods / elapsed
    shape = "OwnedPods" if owned else "SchedulingBasic"
    print(
        f"{shape} {nodes} nodes, {init_pods} init pods, {pods} measured pods: "
        f"{elapsed:.2f} s wall, {rate:.0f} pods/s ({pods / cpu:.0f} pods/s of CPU time)"
    )
    return rate


def _owned_pods(client: Client, total: int) -> Callable[[str], dict]:
    """Create the ReplicaSets for `total` pods; returns a maker of their pods, in order."""
    uids = []
    for group in range((total + GROUP_SIZE - 1) // GROUP_SIZE):
        created = client.create("replicasets", replica_set(group), "default")
        uids.append(created["metadata"]["uid"])
    made = 0

    def make(name: str) -> dict:
        nonlocal made
        group = made // GROUP_SIZE
        made += 1
        return owned_pod(name, group, uids[group])

    return make


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, help="nodes, init pods, measured pods")
    parser.add_argument("--owned", action="store_true", help="ReplicaSet pods in groups of 300")
    parser.add_argument("--profile", metavar="FILE", help="cProfile the measured part into FILE")
    options = parser.parse_args()
    sizes = dict(zip(("nodes", "init_pods", "pods"), options.sizes, strict=False))
    run(**sizes, owned=options.owned, profile=options.profile)
