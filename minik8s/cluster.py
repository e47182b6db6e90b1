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
import sys
from collections.abc import Iterator
from datetime import datetime
from os import PathLike
from typing import Any

from minik8s.api.kinds import lookup
from minik8s.apiserver import AdmissionChain, APIServer, NamespaceLifecycle
from minik8s.apiserver.plugins.defaulttolerationseconds import DefaultTolerationSeconds
from minik8s.client.client import Client
from minik8s.client.informer import SharedInformerFactory
from minik8s.controllers.manager import ControllerManager
from minik8s.etcd import Store
from minik8s.kubectl import kubectl as run_kubectl
from minik8s.kubectl.apply import apply_object
from minik8s.kubectl.manifest import load_manifests
from minik8s.sim.loop import EPOCH, EventLoop
from minik8s.trace import Tracer

Obj = dict[str, Any]
SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
LEASE_EXPIRY_INTERVAL = 1.0  # seconds between the store's lease expiry checks


class Cluster:
    """A control plane (store + API server) on a virtual clock, with `nodes` worker nodes.

    `seed` fixes every random choice (UIDs, generated names, tie breaks); `data_dir` makes the
    store persistent (write-ahead log + snapshots) so a new `Cluster` on it recovers the state.
    """

    def __init__(
        self,
        nodes: int = 0,
        seed: int = 0,
        *,
        data_dir: str | PathLike[str] | None = None,
        start: datetime = EPOCH,
    ):
        self.seed = seed
        self.loop = EventLoop(seed, start)
        self.tracer = Tracer(lambda: self.loop.now)
        self.store = Store(data_dir, clock=lambda: self.loop.now)
        admission = AdmissionChain([NamespaceLifecycle(), DefaultTolerationSeconds()])
        self.apiserver = APIServer(self.store, self.loop, admission=admission, tracer=self.tracer)
        self.client = self.client_for("kubectl")
        self.node_count = nodes  # node components (kubelet, kube-proxy) arrive with issue 4
        self._bootstrap()
        # One cache per resource, shared by every control-plane component (SharedInformerFactory).
        self.informers = SharedInformerFactory(self.client_for("informers"))
        self.controller_manager = ControllerManager(
            self.client_for("kube-controller-manager"), self.informers, self.tracer
        )
        self.controller_manager.start()
        self.informers.start()
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
        for name in SYSTEM_NAMESPACES:
            if self.apiserver.cached("namespaces", name) is None:
                ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
                self.client_for("kube-apiserver").create("namespaces", ns)

    def _expire_leases(self) -> None:
        self.store.expire_leases()
        self.loop.call_later(
            LEASE_EXPIRY_INTERVAL, self._expire_leases, background=True, label="etcd lease expiry"
        )

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
        documents, a path, a dict, or a list of those); returns the objects as stored."""
        results = []
        for obj in load_manifests(source):
            if namespace and lookup(obj["kind"]).namespaced:
                obj.setdefault("metadata", {}).setdefault("namespace", namespace)
            stored, _word = apply_object(self.client, obj)
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
        propagation_policy: str = "Background",
    ) -> Obj:
        """Delete an object; dependents follow through the garbage collector."""
        info = lookup(kind)
        ns = (namespace or "default") if info.namespaced else None
        return self.client.delete(info.plural, name, ns, propagation_policy=propagation_policy)

    def kubectl(self, command: str) -> str:
        """Run a kubectl command line (`get pods -o wide`, `describe deploy web`…); its output."""
        return run_kubectl(self.client, command)

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
