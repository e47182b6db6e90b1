"""PodInfo, NodeInfo and Resource, mirroring `pkg/scheduler/framework/types.go` and the request
helpers of `component-helpers/resource` (`PodRequests`) and `pkg/scheduler/util`
(`GetNonzeroRequests`).

A `PodInfo` is computed once per pod: its requests, its non-zero requests for scoring, its
host ports and its parsed affinity terms; a newer version of the pod (bound, status written)
reuses them (`PodInfo.updated`). A `NodeInfo` aggregates the pods on one node incrementally
(`add_pod` / `remove_pod`), never by re-summing, and keeps the numbers the filter and score
loops read as interned keys (`node_key`) that plugins memoize on. Left out: pod-level
resources, in-place resize (status resources), image states, PVC reference counts.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from minik8s.api.quantity import parse_quantity
from minik8s.scheduler.affinity import AffinityTerm, parse_pod_affinity

Obj = dict[str, Any]
DEFAULT_MILLI_CPU_REQUEST = 100  # upstream schedutil.DefaultMilliCPURequest (0.1 core)
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024  # upstream schedutil.DefaultMemoryRequest (200 MiB)
DEFAULT_BIND_ALL_HOST_IP = "0.0.0.0"
BASIC_RESOURCES = ("cpu", "memory", "ephemeral-storage", "pods")
RESOURCE_DEFAULT_NAMESPACE_PREFIX = "kubernetes.io/"
DEFAULT_RESOURCE_REQUESTS_PREFIX = "requests."
LabelsKey = tuple[tuple[str, str], ...]  # a pod's labels, sorted


@lru_cache(maxsize=4096)
def quantity_value(name: str, text: str) -> int:
    """A resource quantity in base units: millicores for cpu, rounded-up integers otherwise."""
    q = parse_quantity(text)
    return q.milli_value() if name == "cpu" else q.value()


class Resource:
    """upstream `framework.Resource`: cpu in millicores, memory/storage in bytes, scalars."""

    __slots__ = ("milli_cpu", "memory", "ephemeral_storage", "allowed_pod_number", "scalar")

    def __init__(self, milli_cpu: int = 0, memory: int = 0, ephemeral_storage: int = 0) -> None:
        self.milli_cpu = milli_cpu
        self.memory = memory
        self.ephemeral_storage = ephemeral_storage
        self.allowed_pod_number = 0
        self.scalar: dict[str, int] = {}

    def __repr__(self) -> str:
        extra = "".join(f" {k}={v}" for k, v in sorted(self.scalar.items()))
        return (
            f"Resource(cpu={self.milli_cpu}m memory={self.memory} "
            f"ephemeral-storage={self.ephemeral_storage} pods={self.allowed_pod_number}{extra})"
        )

    @classmethod
    def from_list(cls, resources: Obj | None) -> Resource:
        """upstream `NewResource(rl)`: a ResourceList (name → quantity) in base units."""
        r = cls()
        for name, value in (resources or {}).items():
            r.set(name, quantity_value(name, str(value)))
        return r

    def set(self, name: str, value: int) -> None:
        """Set one resource by its API name."""
        if name == "cpu":
            self.milli_cpu = value
        elif name == "memory":
            self.memory = value
        elif name == "ephemeral-storage":
            self.ephemeral_storage = value
        elif name == "pods":
            self.allowed_pod_number = value
        elif is_scalar_resource_name(name):
            self.scalar[name] = value

    def get(self, name: str) -> int:
        """One resource by its API name (0 when absent)."""
        if name == "cpu":
            return self.milli_cpu
        if name == "memory":
            return self.memory
        if name == "ephemeral-storage":
            return self.ephemeral_storage
        if name == "pods":
            return self.allowed_pod_number
        return self.scalar.get(name, 0)

    def add(self, other: Resource, sign: int = 1) -> None:
        """Add (or with sign=-1 subtract) another Resource in place."""
        self.milli_cpu += sign * other.milli_cpu
        self.memory += sign * other.memory
        self.ephemeral_storage += sign * other.ephemeral_storage
        for name, value in other.scalar.items():
            self.scalar[name] = self.scalar.get(name, 0) + sign * value


def is_prefixed_native_resource(name: str) -> bool:
    """upstream `IsPrefixedNativeResource`: the name contains `kubernetes.io/`."""
    return RESOURCE_DEFAULT_NAMESPACE_PREFIX in name


def is_extended_resource_name(name: str) -> bool:
    """upstream `IsExtendedResourceName`: `domain/name` outside `kubernetes.io/` (and not a
    `requests.` quota name; the name's syntax is left to API validation)."""
    if "/" not in name or is_prefixed_native_resource(name):
        return False
    return not name.startswith(DEFAULT_RESOURCE_REQUESTS_PREFIX)


def is_scalar_resource_name(name: str) -> bool:
    """upstream `IsScalarResourceName`: extended, hugepages-*, `kubernetes.io/`-prefixed native
    resources and attachable volumes: every resource besides cpu, memory, storage and pods."""
    if name.startswith(("hugepages-", "attachable-volumes-")):
        return True
    return is_extended_resource_name(name) or is_prefixed_native_resource(name)


def _container_requests(
    container: Obj, non_missing: bool
) -> tuple[dict[str, int], tuple[int, int]]:
    requests = (container.get("resources") or {}).get("requests") or {}
    values = {name: quantity_value(name, str(q)) for name, q in requests.items()}
    cpu = values.get("cpu", DEFAULT_MILLI_CPU_REQUEST if non_missing else 0)
    memory = values.get("memory", DEFAULT_MEMORY_REQUEST if non_missing else 0)
    return values, (cpu, memory)


def _add_into(total: dict[str, int], values: dict[str, int]) -> None:
    for name, value in values.items():
        total[name] = total.get(name, 0) + value


def _max_into(total: dict[str, int], values: dict[str, int]) -> None:
    for name, value in values.items():
        if value > total.get(name, 0):
            total[name] = value


def pod_requests(pod: Obj, non_missing: bool = False) -> dict[str, int]:
    """upstream `resourcehelper.PodRequests`: containers summed, init containers as max
    (restartable sidecars accumulate), plus overhead. With `non_missing`, a container that
    does not request cpu or memory counts 100m / 200Mi (`NonMissingContainerRequests`)."""
    spec = pod.get("spec") or {}
    total: dict[str, int] = {}
    for container in spec.get("containers") or []:
        values, (cpu, mem) = _container_requests(container, non_missing)
        if non_missing:
            values = {**values, "cpu": cpu, "memory": mem}
        _add_into(total, values)
    sidecars: dict[str, int] = {}
    init_max: dict[str, int] = {}
    for container in spec.get("initContainers") or []:
        values, (cpu, mem) = _container_requests(container, non_missing)
        if non_missing:
            values = {**values, "cpu": cpu, "memory": mem}
        if container.get("restartPolicy") == "Always":
            _add_into(sidecars, values)
            _add_into(total, values)
            continue
        combined = dict(sidecars)
        _add_into(combined, values)
        _max_into(init_max, combined)
    _max_into(total, init_max)
    for name, q in (spec.get("overhead") or {}).items():
        total[name] = total.get(name, 0) + quantity_value(name, str(q))
    return total


class PodInfo:
    """upstream `framework.PodInfo`: a pod plus what the scheduler derives from it, once."""

    __slots__ = (
        "pod", "key", "namespace", "name", "labels", "requests", "non_zero_cpu",
        "non_zero_memory", "host_ports", "required_affinity_terms",
        "required_anti_affinity_terms", "preferred_affinity_terms",
        "preferred_anti_affinity_terms", "priority", "labels_key",
    )  # fmt: skip

    def __init__(self, pod: Obj) -> None:
        meta, spec = pod.get("metadata") or {}, pod.get("spec") or {}
        self.pod = pod
        self.namespace: str = meta.get("namespace") or ""
        self.name: str = meta.get("name") or ""
        self.key = f"{self.namespace}/{self.name}"
        self.labels: dict[str, str] = meta.get("labels") or {}
        self.labels_key: LabelsKey = tuple(sorted(self.labels.items()))
        self.requests = Resource()
        for name, value in pod_requests(pod).items():
            self.requests.set(name, value)
        non_zero = pod_requests(pod, non_missing=True)
        self.non_zero_cpu = non_zero.get("cpu", 0)
        self.non_zero_memory = non_zero.get("memory", 0)
        self.host_ports = host_ports(pod)
        self.priority: int = spec.get("priority") or 0
        terms = parse_pod_affinity(pod)
        self.required_affinity_terms: list[AffinityTerm] = terms[0]
        self.required_anti_affinity_terms: list[AffinityTerm] = terms[1]
        self.preferred_affinity_terms: list[tuple[int, AffinityTerm]] = terms[2]
        self.preferred_anti_affinity_terms: list[tuple[int, AffinityTerm]] = terms[3]

    def __repr__(self) -> str:
        return f"PodInfo({self.key})"

    def updated(self, pod: Obj) -> PodInfo:
        """upstream `PodInfo.Update`: a PodInfo of a newer version of the same pod, reusing
        what was derived when nothing it is derived from changed (a binding, a status write)."""
        if _derived_from(pod) != _derived_from(self.pod):
            return PodInfo(pod)
        info = PodInfo.__new__(PodInfo)
        for name in PodInfo.__slots__:
            setattr(info, name, getattr(self, name))
        info.pod = pod
        return info

    @property
    def spec(self) -> Obj:
        return self.pod.get("spec") or {}

    def has_affinity(self) -> bool:
        """Any pod affinity or anti-affinity term (upstream `podWithAffinity`)."""
        return bool(
            self.required_affinity_terms
            or self.required_anti_affinity_terms
            or self.preferred_affinity_terms
            or self.preferred_anti_affinity_terms
        )


def _derived_from(pod: Obj) -> tuple[Any, ...]:
    """Everything `PodInfo` reads from a pod besides the pod object itself."""
    meta, spec = pod.get("metadata") or {}, pod.get("spec") or {}
    return (
        meta.get("namespace"), meta.get("name"), meta.get("labels"), spec.get("containers"),
        spec.get("initContainers"), spec.get("overhead"), spec.get("priority"),
        spec.get("affinity"),
    )  # fmt: skip


def host_ports(pod: Obj) -> list[tuple[str, str, int]]:
    """The (hostIP, protocol, hostPort) triples a pod holds (upstream `GetHostPorts`): its
    containers' and its sidecars' (`restartPolicy: Always` init containers); an ordinary init
    container has exited before the containers start, so its ports never count."""
    ports = []
    spec = pod.get("spec") or {}
    sidecars = [c for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"]
    for container in sidecars + list(spec.get("containers") or []):
        for port in container.get("ports") or []:
            if port.get("hostPort"):
                ip = port.get("hostIP") or DEFAULT_BIND_ALL_HOST_IP
                ports.append((ip, port.get("protocol") or "TCP", int(port["hostPort"])))
    return ports


NodeKey = tuple[int, ...]
_NODE_KEYS: dict[NodeKey, NodeKey] = {}
MAX_NODE_KEYS = 1 << 16


def node_key(*numbers: int) -> NodeKey:
    """Numbers a filter or score depends on, as one tuple shared by every node in the same
    state (interned: a memo lookup then touches one hot object instead of several cold ones)."""
    if len(_NODE_KEYS) >= MAX_NODE_KEYS:
        _NODE_KEYS.clear()
    return _NODE_KEYS.setdefault(numbers, numbers)


class NodeInfo:
    """upstream `framework.NodeInfo`: a node and the aggregate of the pods assigned to it."""

    # the fields the filter and score loops read for hundreds of nodes per pod come first,
    # so they share the object's first cache line
    __slots__ = (
        "name", "unschedulable", "tainted", "free_key", "non_zero_key", "requested_key",
        "node", "labels", "taints", "allocatable", "requested", "non_zero_cpu",
        "non_zero_memory", "pods", "pods_with_affinity", "pods_with_required_anti_affinity",
        "used_ports", "generation", "alloc_cpu", "alloc_memory", "alloc_pods", "req_cpu",
        "req_memory", "pod_count",
    )  # fmt: skip

    def __init__(self, node: Obj | None = None) -> None:
        self.node: Obj | None = None
        self.name = ""
        self.labels: dict[str, str] = {}
        self.taints: list[Obj] = []
        self.unschedulable = False
        self.allocatable = Resource()
        self.requested = Resource()
        self.non_zero_cpu = 0
        self.non_zero_memory = 0
        self.pods: dict[str, PodInfo] = {}
        self.pods_with_affinity: dict[str, PodInfo] = {}
        self.pods_with_required_anti_affinity: dict[str, PodInfo] = {}
        self.used_ports: dict[tuple[str, int], set[str]] = {}
        self.generation = 0
        # flat copies of the hottest numbers, read by the filter/score loops (`_refresh`)
        self.alloc_cpu = self.alloc_memory = self.alloc_pods = 0
        self.req_cpu = self.req_memory = self.pod_count = 0
        self.tainted = False
        self.free_key = self.non_zero_key = self.requested_key = node_key(0, 0, 0, 0)
        if node is not None:
            self.set_node(node)

    def __repr__(self) -> str:
        return f"NodeInfo({self.name or '<no node>'} pods={len(self.pods)})"

    def set_node(self, node: Obj) -> None:
        """upstream `SetNode`: take the node's labels, taints and allocatable."""
        self.node = node
        self.name = node["metadata"]["name"]
        self.labels = node["metadata"].get("labels") or {}
        spec = node.get("spec") or {}
        self.taints = spec.get("taints") or []
        self.tainted = bool(self.taints)
        self.unschedulable = bool(spec.get("unschedulable"))
        self.allocatable = Resource.from_list((node.get("status") or {}).get("allocatable"))
        self.alloc_cpu = self.allocatable.milli_cpu
        self.alloc_memory = self.allocatable.memory
        self.alloc_pods = self.allocatable.allowed_pod_number
        self._refresh()

    def add_pod(self, info: PodInfo) -> None:
        """upstream `AddPodInfo`: count the pod's requests, ports and affinity."""
        self._update(info, 1)
        self.pods[info.key] = info
        if info.has_affinity():
            self.pods_with_affinity[info.key] = info
        if info.required_anti_affinity_terms:
            self.pods_with_required_anti_affinity[info.key] = info

    def remove_pod(self, key: str) -> bool:
        """upstream `RemovePod`: subtract what `add_pod` added; False when not here."""
        info = self.pods.pop(key, None)
        if info is None:
            return False
        self.pods_with_affinity.pop(key, None)
        self.pods_with_required_anti_affinity.pop(key, None)
        self._update(info, -1)
        return True

    def _update(self, info: PodInfo, sign: int) -> None:
        self.requested.add(info.requests, sign)
        self.pod_count += sign
        self.non_zero_cpu += sign * info.non_zero_cpu
        self.non_zero_memory += sign * info.non_zero_memory
        for ip, protocol, port in info.host_ports:
            ips = self.used_ports.setdefault((protocol, port), set())
            if sign > 0:
                ips.add(ip)
            else:
                ips.discard(ip)
                if not ips:
                    del self.used_ports[(protocol, port)]
        self._refresh()

    def _refresh(self) -> None:
        """Recompute the flat numbers after a change; a new generation."""
        self.req_cpu, self.req_memory = self.requested.milli_cpu, self.requested.memory
        free_pods = self.alloc_pods - self.pod_count
        self.free_key = node_key(
            self.alloc_cpu - self.req_cpu, self.alloc_memory - self.req_memory, free_pods
        )
        # what cpu/memory scores depend on: allocatable and the (non-zero) requests
        cpu, memory = self.alloc_cpu, self.alloc_memory
        self.non_zero_key = node_key(cpu, memory, self.non_zero_cpu, self.non_zero_memory)
        self.requested_key = node_key(cpu, memory, self.req_cpu, self.req_memory)
        self.generation += 1

    def ports_conflict(self, wanted: list[tuple[str, str, int]]) -> bool:
        """upstream `HostPortInfo.CheckConflict` for each wanted port (0.0.0.0 is every IP)."""
        for ip, protocol, port in wanted:
            ips = self.used_ports.get((protocol, port))
            if not ips:
                continue
            if ip == DEFAULT_BIND_ALL_HOST_IP or DEFAULT_BIND_ALL_HOST_IP in ips or ip in ips:
                return True
        return False
