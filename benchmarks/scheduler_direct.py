"""The scheduling algorithm alone, in `scheduler_perf.py`'s shapes: pods go straight through
`GenericScheduler.schedule_pod` on a scheduler cache, then are assumed and confirmed as
bound, with no API server, informers or events. The work per pod is deterministic, so an
instruction counter measures it on a loaded machine where wall and CPU time wander:

    PYTHONHASHSEED=0 valgrind --tool=cachegrind --cache-sim=no \\
        python benchmarks/scheduler_direct.py 5000 1000 300 --owned

minus the same with 0 measured pods, divided by 300. It prints the placement digest (the
chosen nodes in order), which a change that must not alter decisions must keep, and the CPU
time per measured pod. Usage: `python benchmarks/scheduler_direct.py [nodes] [init] [pods]
[--owned]`.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time
from typing import Any

from benchmarks.scheduler_perf import GROUP_SIZE, node, owned_pod, pod, replica_set
from minik8s.scheduler.cache import Cache
from minik8s.scheduler.decision import Attempt
from minik8s.scheduler.framework import CycleState
from minik8s.scheduler.plugins import REGISTRY
from minik8s.scheduler.profile import Profile
from minik8s.scheduler.runtime import Framework
from minik8s.scheduler.schedule_one import GenericScheduler
from minik8s.scheduler.types import PodInfo

Obj = dict[str, Any]


class Lister:
    """A namespaced lister over fixed objects (what PodTopologySpread's defaults read)."""

    def __init__(self, objects: list[Obj]) -> None:
        self.objects = {(o["metadata"]["namespace"], o["metadata"]["name"]): o for o in objects}

    def __repr__(self) -> str:
        return f"Lister({len(self.objects)} objects)"

    def list(self, namespace: str) -> list[Obj]:
        return [o for (ns, _), o in sorted(self.objects.items()) if ns == namespace]

    def get(self, namespace: str, name: str) -> Obj:
        return self.objects[(namespace, name)]


def run(nodes: int = 5000, init_pods: int = 1000, pods: int = 300, owned: bool = False) -> str:
    """Schedule `init_pods`, then `pods` measured ones; returns the placement digest."""
    cache = Cache()
    for i in range(nodes):
        cache.add_node(node(i, hostname=owned))
    groups = [replica_set(g) for g in range((init_pods + pods) // GROUP_SIZE + 1)]
    for g, rs in enumerate(groups):
        rs["metadata"]["uid"] = f"uid-{g}"
    snapshot, rng = cache.snapshot(), random.Random(0)
    listers = {"replicasets": Lister(groups), "services": Lister([])}
    framework = Framework(Profile(), REGISTRY, snapshot=snapshot, rng=rng, listers=listers)
    framework.selectors_version = 0  # no Service or ReplicaSet changes: memoize defaults
    algorithm = GenericScheduler(snapshot, rng)
    digest = hashlib.sha256()
    for made in range(init_pods + pods):
        if made == init_pods:
            started = time.process_time()
        group = made // GROUP_SIZE
        new = owned_pod(f"pod-{made}", group, f"uid-{group}") if owned else pod(f"pod-{made}")
        info = PodInfo(new)
        attempt = Attempt(info.key, 0, 0, 0)
        host = algorithm.schedule_pod(framework, CycleState(), info, attempt).suggested_host
        cache.assume_pod(info, host)
        cache.add_pod({**new, "spec": {**new["spec"], "nodeName": host}})
        digest.update(host.encode())
    if pods:
        cpu = (time.process_time() - started) / pods * 1e6
        print(f"{nodes} nodes, {init_pods} init pods, {pods} measured: {cpu:.0f} us CPU per pod")
    placement = digest.hexdigest()[:16]
    print(f"placement {placement}")
    return placement


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, help="nodes, init pods, measured pods")
    parser.add_argument("--owned", action="store_true", help="ReplicaSet pods in groups of 300")
    options = parser.parse_args()
    sizes = dict(zip(("nodes", "init_pods", "pods"), options.sizes, strict=False))
    run(**sizes, owned=options.owned)
