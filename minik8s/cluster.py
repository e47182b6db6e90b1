"""`Cluster`: a whole cluster wired in one object, the facade the notebooks use.

    >>> c = Cluster(seed=0)
    >>> c.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}})[0]["kind"]
    'ConfigMap'

Everything a notebook does goes through the API server, like `kubectl` does: `apply`, `get` and
`delete` use a client named `kubectl`; each component has a client of its own. Time is virtual:
nothing happens until `run(seconds)` or `settle()` advances the clock.
"""

from __future__ import annotations

import contextlib
import copy
import ipaddress
import random
import sys
from collections.abc import Iterator
from datetime import datetime
from os import PathLike
from typing import Any

from minik8s.api.kinds import lookup
from minik8s.apiserver import AdmissionChain, APIServer, NamespaceLifecycle, service_alloc
from minik8s.apiserver.compactor import DEFAULT_INTERVAL as DEFAULT_COMPACTION_INTERVAL
from minik8s.apiserver.encryption import EncryptedStore, parse_encryption_config
from minik8s.apiserver.plugins.defaultingressclass import DefaultIngressClass
from minik8s.apiserver.plugins.defaultstorageclass import DefaultStorageClass
from minik8s.apiserver.plugins.defaulttolerationseconds import DefaultTolerationSeconds
from minik8s.apiserver.plugins.nodetaint import TaintNodesByCondition
from minik8s.apiserver.plugins.priority import Priority
from minik8s.apiserver.plugins.pvcresize import PersistentVolumeClaimResize
from minik8s.apiserver.plugins.serviceaccount import ServiceAccount
from minik8s.apiserver.plugins.storageprotection import StorageObjectInUseProtection
from minik8s.client.client import Client
from minik8s.client.informer import SharedInformerFactory
from minik8s.cni.network import Network
from minik8s.controllers.manager import ControllerManager
from minik8s.csi.deploy import csi_sidecars
from minik8s.csi.hostpath import HostPathDriver
from minik8s.csi.volume_data import PersistentVolumeData
from minik8s.etcd import Store
from minik8s.kubectl import kubectl as run_kubectl
from minik8s.kubectl.apply import apply_object
from minik8s.kubectl.manifest import load_manifests
from minik8s.machines import CONTROL_PLANE, Machine, NodeAddresses
from minik8s.machines import control_plane_node as control_plane_node_spec
from minik8s.proxy.bootstrap import bootstrap_cluster_dns, bootstrap_service_networking
from minik8s.proxy.network import ServiceNetwork, runtime_backend
from minik8s.proxy.request import Response
from minik8s.proxy.request import request as send_request
from minik8s.scheduler.plugins import REGISTRY
from minik8s.scheduler.scheduler import Scheduler
from minik8s.sim.loop import EPOCH, EventLoop
from minik8s.trace import Tracer

Obj = dict[str, Any]
SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
LEASE_EXPIRY_INTERVAL = 1.0  # seconds between the store's lease expiry checks
POD_SUBNET = ipaddress.ip_network("10.244.0.0/16")  # kind's networking.podSubnet
NODE_CIDR_MASK_SIZE = 24  # kube-controller-manager --node-cidr-mask-size
NODE_NETWORK = ipaddress.ip_network("172.18.0.0/16")  # kind's docker network


def default_pod_subnet(nodes: int) -> str:
    """kind's pod subnet (10.244.0.0/16: 256 nodes of /24), widened around it for more nodes."""
    prefix = POD_SUBNET.prefixlen
    while 2 ** (NODE_CIDR_MASK_SIZE - prefix) < nodes:
        prefix -= 1
    return str(POD_SUBNET.supernet(new_prefix=prefix))


def node_number(name: str) -> int | None:
    """N for a machine named `node-N`, else None."""
    return int(name[5:]) if name[:5] == "node-" and name[5:].isdigit() else None


# kind's default class, backed by the built-in CSI host-path driver.
STANDARD_CLASS: Obj = {
    "apiVersion": "storage.k8s.io/v1",
    "kind": "StorageClass",
    "metadata": {
        "name": "standard",
        "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
    },
    "provisioner": "hostpath.csi.k8s.io",
    "reclaimPolicy": "Delete",
    "volumeBindingMode": "WaitForFirstConsumer",
    "allowVolumeExpansion": True,
}


def admission_chain() -> AdmissionChain:
    """kube-apiserver's default admission plugins that minik8s implements, in upstream's order."""
    return AdmissionChain(
        [
            NamespaceLifecycle(),
            ServiceAccount(),
            TaintNodesByCondition(),
            Priority(),
            DefaultTolerationSeconds(),
            DefaultStorageClass(),
            DefaultIngressClass(),
            StorageObjectInUseProtection(),
            PersistentVolumeClaimResize(),
        ]
    )


class Cluster:
    """A control plane (store, API server, scheduler, controller manager) on a virtual clock,
    a tainted control-plane node and `nodes` worker nodes `node-1` … `node-N`.

    `seed` fixes every random choice (UIDs, generated names, tie breaks); `data_dir` makes the
    store persistent (write-ahead log + snapshots) so a new `Cluster` on it recovers the state.
    `scheduler_profile` is a KubeSchedulerProfile (dict) or `minik8s.scheduler.profile.Profile`;
    `scheduler_registry` adds out-of-tree plugins (name → factory), like `app.WithPlugin`.
    `pod_subnet` is the cluster CIDR nodes get their /24 from (default: kind's 10.244.0.0/16,
    widened when there are more than 256 nodes). The API server compacts the store's history
    every `compaction_interval` virtual seconds (upstream's 5 minutes; None: never).
    `controller_options` passes settings to controllers by name, like kube-controller-manager's
    flags: `{"endpointslice-controller": {"endpoint_updates_batch_period": 1.0}}`.
    """

    def __init__(
        self,
        nodes: int = 0,
        seed: int = 0,
        *,
        data_dir: str | PathLike[str] | None = None,
        start: datetime = EPOCH,
        scheduler_profile: Any = None,
        scheduler_registry: dict[str, Any] | None = None,
        control_plane_node: bool = True,
        encryption_config: str | dict[str, Any] | None = None,
        pod_subnet: str | None = None,
        compaction_interval: float | None = DEFAULT_COMPACTION_INTERVAL,
        controller_options: dict[str, dict[str, Any]] | None = None,
    ):
        self.seed = seed
        self.pod_subnet = pod_subnet or default_pod_subnet(nodes + int(control_plane_node))
        self.loop = EventLoop(seed, start)
        self.tracer = Tracer(lambda: self.loop.now)
        self.store = Store(data_dir, clock=lambda: self.loop.now)
        storage: Any = self.store
        if encryption_config is not None:
            rng = random.Random(f"encryption-{seed}")
            storage = EncryptedStore(self.store, parse_encryption_config(encryption_config, rng))
        self.apiserver = APIServer(
            storage,
            self.loop,
            admission=admission_chain(),
            tracer=self.tracer,
            compaction_interval=compaction_interval,
        )
        service_alloc.configure(self.apiserver, seed=seed)  # --service-cluster-ip-range etc.
        self.client = self.client_for("kubectl")
        self._bootstrap()
        # One cache per resource, shared by every control-plane component (SharedInformerFactory).
        self.informers = SharedInformerFactory(self.client_for("informers"))
        self.controller_manager = ControllerManager(
            self.client_for("kube-controller-manager"),
            self.informers,
            self.tracer,
            options={
                "node-ipam-controller": {"cluster_cidr": self.pod_subnet},
                **(controller_options or {}),
            },
        )
        self.scheduler = Scheduler(
            self.client_for("kube-scheduler"),
            self.informers,
            profile=scheduler_profile,
            tracer=self.tracer,
            registry={**REGISTRY, **(scheduler_registry or {})},
        )
        self.csi = HostPathDriver()
        self.csi_sidecars = csi_sidecars(self.client_for, self.informers, self.csi, self.tracer)
        self.controller_manager.start()
        for sidecar in self.csi_sidecars:
            sidecar.start()
        self.scheduler.start()
        self.apiserver.explainers.append(self._scheduling_decision)
        self.network = Network(cluster_cidr=self.pod_subnet)
        self.persistent_volume_data = PersistentVolumeData(self.csi)  # PV name → files
        self.machines: dict[str, Machine] = {}
        # kube-proxy on every node, cluster DNS and the ingress controller: the Service network.
        backend = runtime_backend(self.network, self._runtime_of)
        self.service_network = ServiceNetwork(
            self.client_for("kube-proxy"),
            self.informers,
            backend,
            seed=seed,
            cluster_cidr=self.pod_subnet,
            tracer=self.tracer,
        )
        self.informers.start()
        if control_plane_node:
            self.add_node(CONTROL_PLANE, **control_plane_node_spec())
        for _ in range(nodes):
            self.add_node()
        self.loop.call_later(
            LEASE_EXPIRY_INTERVAL, self._expire_leases, background=True, label="etcd lease expiry"
        )
        self.settle()

    def __repr__(self) -> str:
        return f"<Cluster seed={self.seed} t={self.loop.now:g}s revision={self.store.revision}>"

    def client_for(self, component: str) -> Client:
        """A client for one component; its name appears in the trace."""
        return Client(self.apiserver, component)

    def _bootstrap(self) -> None:
        """What kubeadm/kind create: the system namespaces, the default StorageClass, the
        `kubernetes` Service and the default IngressClass (skipped when recovered from disk)."""
        client = self.client_for("kube-apiserver")
        for name in SYSTEM_NAMESPACES:
            if self.apiserver.cached("namespaces", name) is None:
                ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
                client.create("namespaces", ns)
        if self.apiserver.cached("storageclasses", STANDARD_CLASS["metadata"]["name"]) is None:
            client.create("storageclasses", STANDARD_CLASS)
        if self.apiserver.cached("services", "kubernetes", "default") is None:
            bootstrap_service_networking(client)  # the `kubernetes` Service, IngressClass nginx
        if self.apiserver.cached("services", "kube-dns", "kube-system") is None:
            bootstrap_cluster_dns(client)  # the DNS add-on's Service (no CoreDNS pods)

    def _expire_leases(self) -> None:
        self.store.expire_leases()
        self.loop.call_later(
            LEASE_EXPIRY_INTERVAL, self._expire_leases, background=True, label="etcd lease expiry"
        )

    # -- nodes ----------------------------------------------------------------------------------
    _highest_node: int | None = None  # cache of _highest_node_number(); None: to recompute
    _node_addresses: NodeAddresses | None = None  # the machines' IPs, made by the first add_node

    def add_node(
        self,
        name: str | None = None,
        *,
        labels: dict[str, str] | None = None,
        taints: list[Obj] | None = None,
        capacity: dict[str, str] | None = None,
    ) -> str:
        """Join a node (its kubelet registers it); returns its name (`node-N` by default)."""
        if name is None:
            name = f"node-{self._highest_node_number() + 1}"
        if name in self.machines:
            raise ValueError(f'node "{name}" already exists')
        if self._node_addresses is None:
            self._node_addresses = NodeAddresses(NODE_NETWORK)
        node_ip = self._node_addresses.allocate()  # kind: .2, .3, ...; a freed one first
        self.machines[name] = Machine(
            self, name, labels=labels, taints=taints, capacity=capacity, node_ip=node_ip
        )
        number = node_number(name)
        if number is not None and number > self._highest_node_number():
            self._highest_node = number
        return name

    def _highest_node_number(self) -> int:
        """The highest N of the `node-N` machines (0 if none), remembered between calls."""
        if self._highest_node is None:
            numbers = [n for name in self.machines if (n := node_number(name)) is not None]
            self._highest_node = max(numbers, default=0)
        return self._highest_node

    def remove_node(self, name: str) -> None:
        """Drain nothing, power off and delete the Node object (like deleting a VM)."""
        machine = self.machines.pop(name)
        machine.fail()
        if self._node_addresses is not None and machine.node_ip is not None:
            self._node_addresses.release(machine.node_ip)
        if node_number(name) == self._highest_node:
            self._highest_node = None
        self.client.delete("nodes", name)

    def fail_node(self, name: str) -> None:
        """Power loss: heartbeats stop and containers die; the control plane notices later."""
        self.machines[name].fail()

    def recover_node(self, name: str) -> None:
        """Power the node back on: its kubelet resumes heartbeats and restarts its pods."""
        self.machines[name].recover()

    def _scheduling_decision(self, pod_key: str) -> str | None:
        return self.scheduler.explain(pod_key) if self.scheduler.decisions.get(pod_key) else None

    def _runtime_of(self, node: str) -> Any:
        machine = self.machines.get(node)
        return machine.runtime if machine is not None and machine.running else None

    def kubelet(self, node: str) -> Any:
        """The kubelet of `node` (for logs and exec)."""
        kubelet = self.machines[node].kubelet
        if kubelet is None:
            raise KeyError(node)
        return kubelet

    # -- time -----------------------------------------------------------------------------------
    @property
    def now(self) -> datetime:
        """The cluster's current virtual time."""
        return self.loop.datetime()

    def run(self, seconds: float) -> None:
        """Advance virtual time by `seconds`, running everything due on the way."""
        self.loop.run_for(seconds)

    def settle(self, timeout: float = 3600.0) -> float:
        """Run until nothing but periodic work is pending; returns the virtual seconds it took."""
        return self.loop.settle(timeout)

    # -- objects --------------------------------------------------------------------------------
    def apply(self, source: Any, namespace: str | None = None) -> list[Obj]:
        """`kubectl apply`: create or update every object in `source` (YAML text with several
        documents, a path, a dict, or a list of those); returns the objects as stored. Like
        kubectl, sends `fieldValidation=Strict`: an unknown field is a `BadRequest`."""
        results = []
        for obj in load_manifests(source):
            if namespace and lookup(obj["kind"]).namespaced:
                obj.setdefault("metadata", {}).setdefault("namespace", namespace)
            stored, _word = apply_object(self.client, obj, field_validation="Strict")
            results.append(stored)
        return results

    def get(
        self,
        kind: str,
        name: str | None = None,
        namespace: str | None = None,
        *,
        all_namespaces: bool = False,
    ) -> Any:
        """One object (a dict), or without `name` a list of them; copies, yours to change.

        `namespace` defaults to `default` as in kubectl; `all_namespaces=True` lists them all.
        """
        info = lookup(kind)
        ns = (namespace or "default") if info.namespaced else None
        if name is not None:
            return self.client.get(info.plural, name, ns)
        items = self.client.list(info.plural, None if all_namespaces else ns)["items"]
        return copy.deepcopy(items)

    def delete(
        self,
        kind: str,
        name: str,
        namespace: str | None = None,
        *,
        propagation: str = "Background",
        grace_period_seconds: int | None = None,
    ) -> Obj:
        """Delete an object; its dependents follow through the garbage collector.

        `propagation` is the DeleteOptions propagationPolicy: `Background` (default: the
        object goes now, dependents after), `Foreground` (dependents first) or `Orphan`.
        """
        info = lookup(kind)
        ns = (namespace or "default") if info.namespaced else None
        return self.client.delete(
            info.plural,
            name,
            ns,
            propagation_policy=propagation,
            grace_period_seconds=grace_period_seconds,
        )

    def kubectl(self, command: str) -> str:
        """Run a kubectl command line (`get pods -o wide`, `describe deploy web`…); its output."""
        return run_kubectl(self.client, command)

    # -- traffic ---------------------------------------------------------------------------------
    def request(
        self,
        url: str,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        from_pod: str | None = None,
    ) -> Response:
        """Send an HTTP request through the cluster's network and return the response.

        Cluster names (`web.shop.svc.cluster.local`, `web.shop`, a ClusterIP) go through cluster
        DNS and the kube-proxy rules of the node the request starts on; any other host enters
        through the ingress controller, as if public DNS pointed there. `from_pod` ("name" in
        `default`, or "namespace/name") sends it from inside that pod. The response has
        `status`, `body`, `pod` (who answered) and `hops` (the path, for `viz.request_path`).
        """
        return send_request(self, url, method, headers, from_pod)

    # -- seeing the machinery ---------------------------------------------------------------------
    def diagram(self) -> Any:
        """The live architecture of this cluster as a Graphviz diagram (SVG in Jupyter)."""
        from minik8s.viz import architecture

        return architecture(self)

    @contextlib.contextmanager
    def _tracing(self) -> Iterator[Tracer]:
        try:
            yield self.tracer
        finally:
            self.tracer.enabled = False
            self.tracer.echo = None

    def trace(
        self, on: bool = True, *, echo: bool = True
    ) -> contextlib.AbstractContextManager[Tracer]:
        """Print each step of the control loop as it happens (also a context manager).

        `c.trace()` turns it on until `c.trace(False)`; `with c.trace(): ...` only inside.
        The lines are kept in `c.tracer.lines`.
        """
        self.tracer.enabled = on
        self.tracer.echo = sys.stdout if (on and echo) else None
        return self._tracing()
