"""Benchmark issue #10 target 4: one virtual hour of a cluster at steady state in <= 60 s wall.

Run: python benchmarks/steady_state.py [--nodes 5000] [--hours 1] [--churn 20]
Builds `Cluster(nodes=N)` (not timed), then runs `c.run(3600)` once per hour: every kubelet
renews its Lease every 10 s and computes node status every 10 s (written when it changed or
every 5 min), the node lifecycle controller monitors every 5 s, the store expires leases every
1 s, and `--churn` ConfigMap mutations per second (create, updates, delete, round robin over a
pool) come from a client. Prints wall seconds per virtual hour and the API writes it made
(store revisions, which count every create, update and delete). `--gc-freeze` moves the built
cluster out of the cyclic garbage collector's sight (it saved about 20 % of the CPU at 2,000
nodes before the event loop paced full collections itself, `minik8s/sim/gcpace.py`).
"""

from __future__ import annotations

import argparse
import gc
import time
from typing import Any

from minik8s import Cluster

TARGET_SECONDS = 60.0
POOL = 100  # ConfigMaps the churn cycles through
ROUNDS = 10  # a ConfigMap's life: create, updates, delete


class Churn:
    """`rate` object mutations per virtual second, spread evenly, through the API."""

    def __init__(self, cluster: Cluster, rate: float, namespace: str = "churn"):
        self.cluster = cluster
        self.client = cluster.client_for("churn")
        self.namespace = namespace
        self.period = 1.0 / rate if rate > 0 else 0.0
        self.count = 0
        ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
        self.client.create("namespaces", ns)
        if self.period:
            cluster.loop.call_later(self.period, self.tick, background=True, label="churn")

    def __repr__(self) -> str:
        return f"<Churn {self.count} mutations>"

    def tick(self) -> None:
        """One mutation, then the next one a period later."""
        self.cluster.loop.call_later(self.period, self.tick, background=True, label="churn")
        index, round_ = self.count % POOL, (self.count // POOL) % ROUNDS
        self.count += 1
        name = f"churn-{index}"
        if round_ == 0:
            cm: dict[str, Any] = {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": name},
                "data": {"round": "0"},
            }
            self.client.create("configmaps", cm, self.namespace)
        elif round_ == ROUNDS - 1:
            self.client.delete("configmaps", name, self.namespace)
        else:
            self.client.patch("configmaps", name, {"data": {"round": str(round_)}}, self.namespace)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--hours", type=float, default=1.0)
    parser.add_argument("--churn", type=float, default=20.0, help="mutations per second")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() the built cluster, so the cyclic GC stops re-scanning it",
    )
    args = parser.parse_args()
    start = time.perf_counter()
    cluster = Cluster(nodes=args.nodes, seed=args.seed)
    print(f"cluster of {args.nodes} nodes ready in {time.perf_counter() - start:.1f} s")
    Churn(cluster, args.churn)
    if args.gc_freeze:
        gc.collect()
        gc.freeze()
    hours, whole = args.hours, int(args.hours)
    spans = [3600.0] * whole + ([(hours - whole) * 3600.0] if hours > whole else [])
    total_wall, total_cpu, total_writes = 0.0, 0.0, 0
    for span in spans:
        revision = cluster.store.revision
        start, cpu = time.perf_counter(), time.process_time()
        cluster.run(span)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        writes = cluster.store.revision - revision
        total_wall, total_cpu, total_writes = (
            total_wall + wall,
            total_cpu + cpu,
            total_writes + writes,
        )
        print(f"virtual {span:g} s: {wall:.1f} s wall ({cpu:.1f} s CPU), {writes} API writes")
    per_hour, cpu_per_hour = total_wall / (hours or 1.0), total_cpu / (hours or 1.0)
    ratio = per_hour / TARGET_SECONDS
    print(
        f"nodes={args.nodes} churn={args.churn:g}/s: {per_hour:.1f} s wall per virtual hour "
        f"({cpu_per_hour:.1f} s CPU; target {TARGET_SECONDS:g} s, ratio {ratio:.2f}), "
        f"{total_writes} API writes"
    )


if __name__ == "__main__":
    main()
