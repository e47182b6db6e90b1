"""kube-controller-manager, mirroring `cmd/kube-controller-manager`: one process running every
controller, each a level-based loop over the shared informers (`--controllers` picks them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minik8s.controllers.base import Controller
from minik8s.controllers.cronjob import CronJobController
from minik8s.controllers.daemonset import DaemonSetsController
from minik8s.controllers.deployment import DeploymentController
from minik8s.controllers.endpoints import EndpointsController
from minik8s.controllers.endpointslice import EndpointSliceController
from minik8s.controllers.garbagecollector import GarbageCollector
from minik8s.controllers.job import JobController
from minik8s.controllers.namespace import NamespaceController
from minik8s.controllers.nodeipam import NodeIpamController
from minik8s.controllers.nodelifecycle import NodeLifecycleController
from minik8s.controllers.persistentvolume import PersistentVolumeController
from minik8s.controllers.podgc import PodGCController
from minik8s.controllers.pvprotection import PVCProtectionController, PVProtectionController
from minik8s.controllers.replicaset import ReplicaSetController
from minik8s.controllers.rootcacert import RootCACertPublisher
from minik8s.controllers.serviceaccount import ServiceAccountsController
from minik8s.controllers.statefulset import StatefulSetController
from minik8s.controllers.tainteviction import TaintEvictionController
from minik8s.controllers.ttlafterfinished import TTLAfterFinishedController
from minik8s.csi.attacher import AttachDetachController
from minik8s.csi.resizer import ExpandController

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.client.informer import SharedInformerFactory
    from minik8s.trace import Tracer

# name → controller class, in upstream's naming (`kube-controller-manager --controllers=...`).
CONTROLLERS: dict[str, type[Controller]] = {
    "namespace-controller": NamespaceController,
    "replicaset-controller": ReplicaSetController,
    "deployment-controller": DeploymentController,
    "job-controller": JobController,
    "cronjob-controller": CronJobController,
    "ttl-after-finished-controller": TTLAfterFinishedController,
    "garbage-collector-controller": GarbageCollector,
    "node-ipam-controller": NodeIpamController,
    "node-lifecycle-controller": NodeLifecycleController,
    "taint-eviction-controller": TaintEvictionController,
    "persistentvolume-binder-controller": PersistentVolumeController,
    "persistentvolume-protection-controller": PVProtectionController,
    "persistentvolumeclaim-protection-controller": PVCProtectionController,
    "statefulset-controller": StatefulSetController,
    "daemonset-controller": DaemonSetsController,
    "endpoints-controller": EndpointsController,
    "endpointslice-controller": EndpointSliceController,
    "persistentvolume-attach-detach-controller": AttachDetachController,
    "persistentvolume-expander-controller": ExpandController,
    "pod-garbage-collector": PodGCController,
    "serviceaccount-controller": ServiceAccountsController,
    "root-ca-certificate-publisher-controller": RootCACertPublisher,
}


class ControllerManager:
    """Runs the enabled controllers; `controllers["namespace-controller"]` to reach one."""

    def __init__(
        self,
        client: Client,
        informers: SharedInformerFactory,
        tracer: Tracer | None = None,
        enabled: list[str] | None = None,
        options: dict[str, dict[str, Any]] | None = None,
    ):
        names = enabled if enabled is not None else list(CONTROLLERS)
        options = options or {}
        self.controllers: dict[str, Controller] = {
            name: CONTROLLERS[name](client, informers, tracer, **options.get(name, {}))
            for name in names
        }

    def __repr__(self) -> str:
        return f"<ControllerManager {', '.join(self.controllers)}>"

    def start(self) -> None:
        for controller in self.controllers.values():
            controller.start()
