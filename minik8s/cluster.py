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
import random
from datetime import datetime
from os import PathLike
from typing import Any

from minik8s.api.kinds import lookup
from minik8s.apiserver import APIServer, service_alloc
from minik8s.apiserver.compactor import DEFAULT_INTERVAL as DEFAULT_COMPACTION_INTERVAL
from minik8s.apiserver.encryption import EncryptedStore, parse_encryption_config
from minik8s.client.client import Client
from minik8s.client.informer import SharedInformerFactory
from minik8s.cluster_bootstrap import (
    LEASE_EXPIRY_INTERVAL,
    NODE_CIDR_MASK_SIZE,
    NODE_NETWORK,
    POD_SUBNET,
    STANDARD_CLASS,
    SYSTEM_NAMESPACES,
    admission_chain,
    bootstrap,
    default_pod_subnet,
    expire_leases_periodically,
)
from minik8s.cluster_nodes import ClusterNodes, node_number
from minik8s.cni.network import Network
from minik8s.controllers.manager import ControllerManager
from minik8s.csi.deploy import csi_sidecars
from minik8s.csi.hostpath import HostPathDriver
from minik8s.csi.volume_data import PersistentVolumeData
from minik8s.etcd import Store
from minik8s.kubectl import kubectl as run_kubectl
from minik8s.kubectl.apply import apply_object
from minik8s.kubectl.manifest import load_manifests
from minik8s.machines import CONTROL_PLANE, Machine
from minik8s.machines import control_plane_node as control_plane_node_spec
from minik8s.proxy.network import ServiceNetwork, runtime_backend
from minik8s.proxy.request import Response
from minik8s.proxy.request import request as send_request
from minik8s.scheduler.plugins import REGISTRY
from minik8s.scheduler.scheduler import Scheduler
from minik8s.sim.loop import EPOCH, EventLoop
from minik8s.trace import Tracer

Obj = dict[str, Any]

__all__ = [
    "LEASE_EXPIRY_INTERVAL",
    "NODE_CIDR_MASK_SIZE",
    "NODE_NETWORK",
    "POD_SUBNET",
    "STANDARD_CLASS",
    "SYSTEM_NAMESPACES",
    "Cluster",
    "admission_chain",
    "default_pod_subnet",
    "node_number",
]


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
        bootstrap(self.apiserver, self.client_for("kube-apiserver"))  # kind's first objects
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
        self.cluster_nodes = ClusterNodes(self)  # add_node, remove_node... delegate to it
        self.machines: dict[str, Machine] = self.cluster_nodes.machines
        # kube-proxy on every node, cluster DNS and the ingress controller: the Service network.
        backend = runtime_backend(self.network, self.cluster_nodes.runtime_of)
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
        expire_leases_periodically(self.loop, self.store)
        self.settle()

    def __repr__(self) -> str:
        return f"<Cluster seed={self.seed} t={self.loop.now:g}s revision={self.store.revision}>"

    def client_for(self, component: str) -> Client:
        """A client for one component; its name appears in the trace."""
        return Client(self.apiserver, component)

    def _scheduling_decision(self, pod_key: str) -> str | None:
        return self.scheduler.explain(pod_key) if self.scheduler.decisions.get(pod_key) else None

    # -- nodes (the machines live in `cluster_nodes.ClusterNodes`) ------------------------------
    def add_node(
        self,
        name: str | None = None,
        *,
        labels: dict[str, str] | None = None,
        taints: list[Obj] | None = None,
        capacity: dict[str, str] | None = None,
    ) -> str:
        """Join a node (its kubelet registers it); returns its name (`node-N` by default)."""
        return self.cluster_nodes.add(name, labels=labels, taints=taints, capacity=capacity)

    def remove_node(self, name: str) -> None:
        """Drain nothing, power off and delete the Node object (like deleting a VM)."""
        self.cluster_nodes.remove(name)

    def fail_node(self, name: str) -> None:
        """Power loss: heartbeats stop and containers die; the control plane notices later."""
        self.machines[name].fail()

    def recover_node(self, name: str) -> None:
        """Power the node back on: its kubelet resumes heartbeats and restarts its pods."""
        self.machines[name].recover()

    def kubelet(self, node: str) -> Any:
        """The kubelet of `node` (for logs and exec)."""
        return self.cluster_nodes.kubelet(node)

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

    def trace(
        self, on: bool = True, *, echo: bool = True
    ) -> contextlib.AbstractContextManager[Tracer]:
        """Print each step of the control loop as it happens (also a context manager).

        `c.trace()` turns it on until `c.trace(False)`; `with c.trace(): ...` only inside.
        The lines are kept in `c.tracer.lines`.
        """
        return self.tracer.switch(on, echo)
