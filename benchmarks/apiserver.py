"""API server figures: creates/s through the whole request path, LIST from the watch cache,
and indexed watch fan-out to 5,000 node watchers.

    python benchmarks/apiserver.py [--pods N]

Each create is decoded, defaulted, admitted, validated, stored and fanned out, as in the
cluster. The LIST is served from the watch cache (objects shared, not copied).
"""

from __future__ import annotations

import argparse
import gc
import time

from minik8s.apiserver import APIServer
from minik8s.client.client import Client
from minik8s.etcd import Store
from minik8s.sim import EventLoop


def pod(i: int) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": f"web-{i}",
            "namespace": "default",
            "labels": {"app": f"app-{i % 500}"},
        },
        "spec": {
            "containers": [
                {
                    "name": "web",
                    "image": "nginx:1.27",
                    "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
                }
            ]
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pods", type=int, default=150_000)
    args = parser.parse_args()
    loop = EventLoop()
    server = APIServer(Store(), loop)
    client = Client(server, "bench")
    client.create("namespaces", {"metadata": {"name": "default"}})
    delivered = [0]

    def count(_type: str, _obj: dict) -> None:
        delivered[0] += 1

    for n in range(5000):
        client.watch("pods", count, field_selector=f"spec.nodeName=node-{n}")
    gc.collect()
    start = time.process_time()
    for i in range(args.pods):
        client.create("pods", pod(i))
    loop.settle()
    create_s = time.process_time() - start
    start = time.perf_counter()
    items = client.list("pods")["items"]
    list_s = time.perf_counter() - start
    start = time.process_time()
    bound = min(args.pods, 10_000)
    for i in range(bound):
        binding = {
            "metadata": {"name": f"web-{i}"},
            "target": {"kind": "Node", "name": f"node-{i % 5000}"},
        }
        client.create("pods", binding, "default", subresource="binding")
    loop.settle()
    bind_s = time.process_time() - start
    rows = [
        ("pods created/s through the API server", f"{args.pods / create_s:,.0f}", ""),
        (f"LIST {len(items):,} pods from the watch cache", f"{list_s * 1000:,.0f} ms", "< 1000 ms"),
        ("bindings/s with 5,000 node watchers", f"{bound / bind_s:,.0f}", ""),
        ("events delivered to node watchers", f"{delivered[0]:,}", f"= {bound:,}"),
    ]
    print(f"{'benchmark':<44}{'result':>12}  target")
    for name, value, target in rows:
        print(f"{name:<44}{value:>12}  {target}")


if __name__ == "__main__":
    main()
