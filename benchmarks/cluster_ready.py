"""Benchmark issue #10 target 1: `Cluster(nodes=5000)` with every node registered and Ready
in <= 20 s wall.

Run: python benchmarks/cluster_ready.py [--nodes 5000]
Prints the wall seconds until the constructor returns and every Node has Ready=True, and the
process's peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import time

from minik8s import Cluster

TARGET_SECONDS = 20.0


def all_ready(cluster: Cluster, expected: int) -> bool:
    """Whether `expected` Nodes exist and each has the Ready condition True."""
    nodes = cluster.client.list("nodes")["items"]
    ready = [
        n
        for n in nodes
        if any(
            c["type"] == "Ready" and c["status"] == "True"
            for c in n.get("status", {}).get("conditions") or []
        )
    ]
    return len(nodes) == expected and len(ready) == expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    start, cpu = time.perf_counter(), time.process_time()
    cluster = Cluster(nodes=args.nodes, seed=args.seed)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    ok = all_ready(cluster, args.nodes + 1)  # the workers and the control-plane node
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"nodes={args.nodes}: all Ready={ok} in {wall:.1f} s wall ({cpu:.1f} s CPU) "
        f"(target {TARGET_SECONDS:g} s, ratio {wall / TARGET_SECONDS:.2f}), peak RSS {rss:.0f} MiB"
    )


if __name__ == "__main__":
    main()
