"""The kubelet, mirroring `pkg/kubelet/kubelet.go` (`NewMainKubelet`, `Run`, `syncLoop`).

One per node. It watches only the pods bound to its node (an informer with the field selector
`spec.nodeName=<node>`, which the API server indexes), runs them through a CRI runtime
(`minik8s.cri`) and a CNI plugin (`minik8s.cni`), reports pod status through the API server,
registers its Node and keeps its Lease and node status fresh (`node_status.py`). Container
events come from the runtime's event stream (Evented PLEG). `logs` and `exec` serve
`kubectl logs` / `kubectl exec` as the kubelet's streaming server does. Services (for the
containers' service variables) come from a services informer, upstream's `serviceLister`: the
cluster's shared one when `informers` is given, else the kubelet's own.
`stop()` is a power loss: timers stop, containers die, nothing more reaches the API.
Left out: static pods, the eviction manager, cgroups/QoS enforcement, volume plugins beyond
configMap/secret/emptyDir, image GC, the kubelet's HTTP API.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import InternalError
from minik8s.client.informer import SharedIndexInformer, SharedInformerFactory
from minik8s.client.record import EventRecorder
from minik8s.cri.api import ContainerEventResponse, CRIError
from minik8s.kubelet.envvars import ServiceEnvCache
from minik8s.kubelet.node_status import NodeStatusManager
from minik8s.kubelet.pod_workers import PodWorkers
from minik8s.kubelet.sandbox import DEFAULT_CIDR, FakeIPAM, network_ready, remove_dead_sandboxes
from minik8s.kubelet.volumes import VolumeStores

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.kubelet.config import KubeletConfiguration
    from minik8s.sim.loop import EventLoop

Obj = dict[str, Any]


def default_node_ip(node_name: str) -> str:
    """A stable address on kind's docker network (`node-3` → 172.18.0.4)."""
    match = re.search(r"(\d+)$", node_name)
    number = int(match.group(1)) if match else sum(node_name.encode()) % 200
    return f"172.18.{(number + 1) // 254}.{(number + 1) % 254 + 1}"


IGNORED_METADATA = frozenset({"resourceVersion", "managedFields"})
STATUS_AND_METADATA = frozenset({"status", "metadata"})


def _same_except(a: Obj, b: Obj, ignored: frozenset[str]) -> bool:
    """Whether `a` and `b` hold equal values under the same keys, `ignored` keys aside."""
    if a.keys() - ignored != b.keys() - ignored:
        return False
    return all(b[k] == v for k, v in a.items() if k not in ignored)


def only_status_changed(old: Obj, new: Obj) -> bool:
    """Whether an update changed nothing but status (upstream's pod config then skips a sync);
    compared key by key, without building stripped copies of both pods."""
    return _same_except(old, new, STATUS_AND_METADATA) and _same_except(
        old.get("metadata", {}), new.get("metadata", {}), IGNORED_METADATA
    )


class Kubelet:
    """The node agent for `node_name`."""

    def __init__(
        self,
        node_name: str,
        client: Client,
        *,
        runtime: Any,
        network: Any = None,
        loop: EventLoop | None = None,
        tracer: Any = None,
        capacity: dict[str, str] | None = None,
        labels: dict[str, str] | None = None,
        taints: list[Obj] | None = None,
        pod_cidr: str | None = None,
        node_ip: str | None = None,
        volume_stores: VolumeStores | None = None,
        config: KubeletConfiguration | None = None,
        informers: SharedInformerFactory | None = None,
    ):
        self.node_name = node_name
        self.informers = informers  # the cluster's shared informers; None: the kubelet's own
        self.config = config  # None: kubeadm's DNS settings (`dns.py`)
        self.client = client
        self.runtime = runtime
        self.network = network
        self.loop = loop or client.loop
        self.tracer = tracer
        self.node_ip = node_ip or default_node_ip(node_name)
        self.pod_cidr = pod_cidr
        self.volume_stores = volume_stores or VolumeStores()  # survives power loss, like disks
        version = runtime.version()
        self.node_status = NodeStatusManager(
            client,
            self.loop,
            node_name,
            self.node_ip,
            capacity=dict(capacity or {}),
            labels=dict(labels or {}),
            taints=list(taints or []),
            runtime_version=f"{version.runtime_name}://{version.runtime_version}",
            network_ready=self._network_ready,
        )
        self.recorder = EventRecorder(client, "kubelet", node_name)
        self.workers: PodWorkers | None = None
        self.informer: SharedIndexInformer | None = None
        self.services: SharedIndexInformer | None = None  # upstream's serviceLister
        self.running = False
        runtime.get_container_events(self._on_container_event)

    def __repr__(self) -> str:
        pods = len(self.workers.states) if self.workers else 0
        state = "running" if self.running else "stopped"
        return f"<Kubelet {self.node_name} {state} pods={pods}>"

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self) -> None:
        """Register the node, start heartbeats, and run the pods bound to it."""
        if self.running:
            return
        self.running = True
        remove_dead_sandboxes(self.runtime, self.network)  # what a power loss left behind
        self.node_status.start()
        cidr = self.pod_cidr or self._node_pod_cidr() or DEFAULT_CIDR
        self.services = (self.informers or SharedInformerFactory(self.client)).informer_for(
            "services"
        )
        self.services.start()  # no-op when the cluster's factory started it
        self.workers = PodWorkers(
            self.client,
            self.runtime,
            self.network,
            self.loop,
            self.recorder,
            self.node_ip,
            FakeIPAM(cidr),
            self.tracer,
            f"kubelet/{self.node_name}",
            self.volume_stores,
            self._node,
            self.config,
            ServiceEnvCache.for_informer(self.services).env,
        )
        self.informer = SharedIndexInformer(
            self.client, "pods", field_selector=f"spec.nodeName={self.node_name}"
        )
        self.informer.add_event_handler(
            on_add=self._on_pod,
            on_update=self._on_pod_update,
            on_delete=self._on_pod_delete,
        )
        self.informer.start()

    def stop(self) -> None:
        """Power loss: no more heartbeats or status; every container dies silently."""
        if not self.running:
            return
        self.running = False
        self.node_status.stop()
        if self.informer is not None:
            self.informer.stop()
        if self.services is not None and self.informers is None:
            self.services.stop()  # our own: a shared one serves the other kubelets
        if self.workers is not None:
            self.workers.stop()
        if hasattr(self.runtime, "power_off"):
            self.runtime.power_off()

    def _node(self) -> Obj | None:
        """Our Node as the API server's watch cache has it (upstream's node lister); read only."""
        return self.node_status.get_node(from_cache=True)

    def _network_ready(self) -> bool:
        return network_ready(self.network)

    def _node_pod_cidr(self) -> str | None:
        node = self._node()
        return node.get("spec", {}).get("podCIDR") if node is not None else None

    # -- events ------------------------------------------------------------------------------------
    def _on_pod(self, pod: Obj) -> None:
        if self.workers is not None and self.running:
            self.workers.update(pod)

    def _on_pod_update(self, old: Obj, new: Obj) -> None:
        if self.workers is not None and self.running:
            self.workers.update(new, sync=not only_status_changed(old, new))

    def _on_pod_delete(self, obj: Any) -> None:
        pod = getattr(obj, "obj", obj)
        if self.workers is not None and self.running and isinstance(pod, dict):
            self.workers.delete(pod)

    def _on_container_event(self, event: ContainerEventResponse) -> None:
        if self.workers is None or not self.running:
            return
        uid = self.workers.sandboxes.get(event.pod_sandbox_id)
        if uid is not None:
            self.workers.queue(uid)

    # -- kubectl logs / exec -----------------------------------------------------------------------
    def _record(self, namespace: str, pod: str, container: str | None) -> Any:
        if self.workers is None:
            raise KeyError(f'pod "{pod}" not found on node {self.node_name}')
        for state in self.workers.states.values():
            meta = state.pod["metadata"]
            if meta["namespace"] == namespace and meta["name"] == pod:
                names = [c["name"] for c in state.pod["spec"].get("containers") or []]
                name = container or names[0]
                if name not in state.records:
                    raise KeyError(
                        f'container "{name}" in pod "{pod}" is waiting to start: ContainerCreating'
                    )
                return state.records[name]
        raise KeyError(f'pods "{pod}" not found')

    def logs(
        self, namespace: str, pod: str, container: str | None = None, previous: bool = False
    ) -> str:
        """The container's log (`kubectl logs [--previous]`)."""
        rec = self._record(namespace, pod, container)
        container_id = rec.previous if previous else rec.current
        if not container_id:
            if previous:
                raise KeyError(
                    f'previous terminated container "{rec.name}" in pod "{pod}" not found'
                )
            raise KeyError(f'container "{rec.name}" in pod "{pod}" is waiting to start')
        return self.runtime.read_logs(container_id)

    def exec(
        self, namespace: str, pod: str, container: str | None, command: list[str]
    ) -> tuple[str, int]:
        """Run `command` in the container (`kubectl exec`): (output, exit code). A command the
        runtime cannot start is no exit code: the streaming server's `ServeExec` answers
        InternalError "error executing command in container: …"."""
        rec = self._record(namespace, pod, container)
        try:
            stdout, stderr, code = self.runtime.exec_sync(rec.current, command, 0)
        except CRIError as err:
            raise InternalError(
                f"Internal error occurred: error executing command in container: {err.message}"
            ) from None
        return stdout + stderr, code
