"""Benchmark issue #10 target 2: from empty to N Deployments × R replicas Running, each behind a
Service whose endpoints are complete (default 500 × 300 = 150,000 pods on 5,000 nodes) in
<= 150 s wall (>= 1,000 pods/s end to end), peak RSS <= 2 GiB.

Run: python benchmarks/workload.py [--nodes 5000] [--deployments 500] [--replicas 300] [--json]
Builds `Cluster(nodes=N)` (timed apart), then applies a namespace, the Deployments and their
Services through the API server like `kubectl apply`, and runs virtual time in `--step` slices
until every pod is Running and every Service's Endpoints and EndpointSlices list all replicas
as ready. Prints the wall seconds from the first apply to that moment, pods/s, the virtual
seconds it took, the API writes (store revisions) and the process's peak RSS. Like upstream's
density tests (test/e2e/scalability), the pods are pause containers with small requests.
Run from the repository root: `PYTHONPATH=. python benchmarks/workload.py --nodes 50 ...`.
`--tracemalloc 10` also prints where the memory the rollout added went, in KiB per pod by the
minik8s package that allocated it (tracemalloc, 10 frames deep; it runs several times slower).
`--steady-hours 0.05` then runs that many virtual hours of steady state on the full cluster
(the pods in place, Lease heartbeats, node status, `--churn` mutations per second: target 4's
load, `steady_state.py`, which measures it on a cluster without pods) and prints the wall seconds
per virtual hour.
"""

from __future__ import annotations

import argparse
import collections
import gc
import hashlib
import json
import resource
import time
import tracemalloc
from dataclasses import asdict, dataclass, field
from typing import Any

from minik8s import Cluster
from minik8s.progress import progress_to

Obj = dict[str, Any]
NAMESPACE = "scale"
TARGET_SECONDS = 150.0  # for 150,000 pods
TARGET_PODS_PER_SECOND = 1000.0
TARGET_RSS_MIB = 2048.0
SERVICE_NAME_LABEL = "kubernetes.io/service-name"


def deployment(index: int, replicas: int) -> Obj:
    """Deployment `app-<index>`: `replicas` pause pods with small requests."""
    labels = {"app": f"app-{index}"}
    container = {
        "name": "app",
        "image": "registry.k8s.io/pause:3.10",
        "ports": [{"containerPort": 80}],
        "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}},
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": f"app-{index}", "namespace": NAMESPACE},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [container]}},
        },
    }


def service(index: int) -> Obj:
    """Service `app-<index>` selecting the pods of Deployment `app-<index>`."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": f"app-{index}", "namespace": NAMESPACE},
        "spec": {"selector": {"app": f"app-{index}"}, "ports": [{"port": 80}]},
    }


def manifests(deployments: int, replicas: int) -> list[Obj]:
    """The namespace, then each Deployment followed by its Service."""
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}}
    objects = [namespace]
    for i in range(deployments):
        objects += [deployment(i, replicas), service(i)]
    return objects


class Readiness:
    """Counts, from watch events, pods Running and Services whose endpoints are complete."""

    def __init__(self, cluster: Cluster, replicas: int):
        self.replicas = replicas
        self.running: set[str] = set()
        self.endpoints: dict[str, int] = {}  # Service → ready addresses in its Endpoints
        self.slices: dict[str, tuple[str, int]] = {}  # slice → (Service, ready endpoints)
        client = cluster.client_for("workload-benchmark")
        client.watch("pods", self._on_pod, NAMESPACE)
        client.watch("endpoints", self._on_endpoints, NAMESPACE)
        client.watch("endpointslices", self._on_slice, NAMESPACE)

    def __repr__(self) -> str:
        return f"<Readiness running={len(self.running)} complete={self.complete_services()}>"

    def _on_pod(self, event: str, pod: Obj) -> None:
        name = pod["metadata"]["name"]
        if event != "DELETED" and pod.get("status", {}).get("phase") == "Running":
            self.running.add(name)
        else:
            self.running.discard(name)

    def _on_endpoints(self, event: str, endpoints: Obj) -> None:
        name = endpoints["metadata"]["name"]
        subsets = [] if event == "DELETED" else endpoints.get("subsets") or []
        self.endpoints[name] = sum(len(s.get("addresses") or []) for s in subsets)

    def _on_slice(self, event: str, slice_: Obj) -> None:
        meta = slice_["metadata"]
        if event == "DELETED":
            self.slices.pop(meta["name"], None)
            return
        ready = [e for e in slice_.get("endpoints") or [] if e["conditions"].get("ready")]
        self.slices[meta["name"]] = (meta.get("labels", {}).get(SERVICE_NAME_LABEL, ""), len(ready))

    def complete_services(self) -> int:
        """Services whose Endpoints and EndpointSlices both list every replica as ready."""
        per_service: dict[str, int] = {}
        for svc, ready in self.slices.values():
            per_service[svc] = per_service.get(svc, 0) + ready
        return sum(
            1
            for svc, ready in self.endpoints.items()
            if ready == self.replicas and per_service.get(svc) == self.replicas
        )


@dataclass
class Result:
    """What one run measured; `complete` is False when the virtual timeout came first."""

    nodes: int
    deployments: int
    replicas: int
    pods: int
    complete: bool
    cluster_seconds: float
    seconds: float
    cpu_seconds: float
    pods_per_second: float
    virtual_seconds: float
    api_writes: int
    peak_rss_mib: float
    placement: str  # digest of every pod's name and node: equal for equal seeds
    kib_per_pod: dict[str, float] = field(default_factory=dict)  # with --tracemalloc
    steady_seconds_per_hour: float = 0.0  # with --steady-hours: wall seconds per virtual hour
    steady_writes: int = 0


def placement_digest(cluster: Cluster) -> str:
    """A short SHA-256 of the sorted `pod=node` pairs of the workload's pods."""
    pods = cluster.client.list("pods", NAMESPACE)["items"]
    pairs = sorted(f"{p['metadata']['name']}={p['spec'].get('nodeName', '')}" for p in pods)
    return hashlib.sha256("\n".join(pairs).encode()).hexdigest()[:16]


def subsystem(trace: tracemalloc.Traceback) -> str:
    """The minik8s package (or top-level module) of the innermost minik8s frame."""
    for frame in reversed(trace):  # oldest first: the innermost is last
        if "/minik8s/" in frame.filename:
            return frame.filename.split("/minik8s/", 1)[1].split("/")[0]
    return "other"


def kib_per_pod(before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, pods: int) -> Obj:
    """Memory still held that was allocated between two snapshots, KiB per pod by subsystem."""
    held: collections.Counter[str] = collections.Counter()
    for sign, snapshot in ((-1, before), (1, after)):
        for stat in snapshot.statistics("traceback"):
            held[subsystem(stat.traceback)] += sign * stat.size
    return {name: round(size / 1024 / max(pods, 1), 2) for name, size in held.most_common()}


def peak_rss_mib() -> float:
    """This process's peak resident set size (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(
    nodes: int,
    deployments: int,
    replicas: int,
    *,
    seed: int = 0,
    step: float = 1.0,
    timeout: float = 3600.0,
    progress: bool | None = None,
    batch_period: float = 0.0,
    tracemalloc_frames: int = 0,
    steady_hours: float = 0.0,
    churn: float = 20.0,
) -> Result:
    """Build the cluster, apply the workload and run until it is Running and reachable."""
    pods = deployments * replicas
    if pods > nodes * 110:
        raise ValueError(f"{pods} pods do not fit on {nodes} nodes of 110 pods")
    if tracemalloc_frames:
        tracemalloc.start(tracemalloc_frames)
    started = time.perf_counter()
    batching = {"endpoint_updates_batch_period": batch_period}
    options = {"endpoints-controller": batching, "endpointslice-controller": batching}
    cluster = Cluster(nodes=nodes, seed=seed, controller_options=options)
    cluster_seconds = time.perf_counter() - started
    readiness = Readiness(cluster, replicas)
    before = after = None
    if tracemalloc_frames:
        gc.collect()
        before = tracemalloc.take_snapshot()
    virtual_start, revision = cluster.loop.now, cluster.store.revision
    started, cpu_started = time.perf_counter(), time.process_time()
    cluster.apply(manifests(deployments, replicas))
    with progress_to(pods, "pods Running", unit="pod", progress=progress) as bar:
        while cluster.loop.now - virtual_start < timeout:
            done = len(readiness.running) == pods and readiness.complete_services() == deployments
            if done:
                break
            cluster.run(step)
            bar.set(len(readiness.running))
            bar.note(t=f"{cluster.loop.now - virtual_start:g}s")
    seconds = time.perf_counter() - started
    if before is not None:
        gc.collect()
        after = tracemalloc.take_snapshot()
        tracemalloc.stop()
    cpu_seconds = time.process_time() - cpu_started
    virtual_seconds, writes = cluster.loop.now - virtual_start, cluster.store.revision - revision
    placement, peak = placement_digest(cluster), peak_rss_mib()
    steady = steady_state(cluster, steady_hours, churn) if steady_hours > 0 else (0.0, 0)
    return Result(
        nodes=nodes,
        deployments=deployments,
        replicas=replicas,
        pods=pods,
        complete=done,
        cluster_seconds=round(cluster_seconds, 3),
        seconds=round(seconds, 3),
        cpu_seconds=round(cpu_seconds, 3),
        pods_per_second=round(pods / seconds, 1),
        virtual_seconds=round(virtual_seconds, 3),
        api_writes=writes,
        peak_rss_mib=round(peak, 1),
        placement=placement,
        kib_per_pod=kib_per_pod(before, after, pods) if before and after else {},
        steady_seconds_per_hour=round(steady[0], 1),
        steady_writes=steady[1],
    )


def steady_state(cluster: Cluster, hours: float, rate: float) -> tuple[float, int]:
    """Wall seconds per virtual hour, and API writes, of `hours` of steady state with `rate`
    mutations per second of churn (`steady_state.Churn`)."""
    try:
        from benchmarks.steady_state import Churn
    except ImportError:  # run as a script: benchmarks/ itself is on sys.path
        from steady_state import Churn  # type: ignore[no-redef]
    Churn(cluster, rate)
    revision, started = cluster.store.revision, time.perf_counter()
    cluster.run(hours * 3600)
    return (time.perf_counter() - started) / hours, cluster.store.revision - revision


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000)
    parser.add_argument("--deployments", type=int, default=500)
    parser.add_argument("--replicas", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--step", type=float, default=1.0, help="virtual seconds per check")
    parser.add_argument("--timeout", type=float, default=3600.0, help="virtual seconds")
    parser.add_argument("--progress", action="store_true", help="show a progress bar")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument(
        "--batch-period",
        type=float,
        default=0.0,
        help="--endpoint(slice)-updates-batch-period in seconds (upstream default 0)",
    )
    parser.add_argument(
        "--tracemalloc",
        type=int,
        default=0,
        metavar="FRAMES",
        help="also measure the memory the rollout added, KiB per pod by subsystem",
    )
    parser.add_argument(
        "--steady-hours",
        type=float,
        default=0.0,
        help="then run this many virtual hours of steady state (target 4's load) on the cluster",
    )
    parser.add_argument("--churn", type=float, default=20.0, help="mutations/s in steady state")
    args = parser.parse_args()
    result = run(
        args.nodes,
        args.deployments,
        args.replicas,
        seed=args.seed,
        step=args.step,
        timeout=args.timeout,
        progress=True if args.progress else None,
        batch_period=args.batch_period,
        tracemalloc_frames=args.tracemalloc,
        steady_hours=args.steady_hours,
        churn=args.churn,
    )
    if args.json:
        print(json.dumps(asdict(result)))
        return
    state = "all Running and reachable" if result.complete else "NOT complete (virtual timeout)"
    print(
        f"nodes={result.nodes} deployments={result.deployments} replicas={result.replicas}: "
        f"{result.pods} pods {state} in {result.seconds:.1f} s wall "
        f"({result.pods_per_second:,.0f} pods/s, target {TARGET_PODS_PER_SECOND:,.0f}; "
        f"{result.virtual_seconds:g} virtual s, {result.api_writes} API writes), "
        f"cluster built in {result.cluster_seconds:.1f} s, peak RSS {result.peak_rss_mib:.0f} MiB "
        f"(target {TARGET_RSS_MIB:.0f}), placement {result.placement}"
    )
    for name, kib in result.kib_per_pod.items():
        print(f"  {kib:8.2f} KiB/pod  {name}")
    if result.steady_writes:
        print(
            f"steady state with the {result.pods} pods in place, churn {args.churn:g}/s: "
            f"{result.steady_seconds_per_hour:.1f} s wall per virtual hour "
            f"({result.steady_writes} API writes in {args.steady_hours:g} virtual h)"
        )


if __name__ == "__main__":
    main()
