"""The records kept per pod or per container (the kubelet's, the CRI's and CNI's, the garbage
collector's graph node) hold no instance dict: at 150,000 pods each `__dict__` costs about
15 MiB, and every pod's resync reads some of them."""

from __future__ import annotations

import gc

import pytest

from minik8s import Cluster
from minik8s.cni.api import CNIResult, Interface, IPConfig
from minik8s.cni.bridge import Veth
from minik8s.cni.network import Endpoint
from minik8s.controllers.garbagecollector_graph import Node
from minik8s.cri.api import (
    ContainerConfig,
    ContainerMetadata,
    DNSConfig,
    ImageSpec,
    LinuxContainerConfig,
    LinuxContainerResources,
    Mount,
    PodSandboxConfig,
    PodSandboxMetadata,
)
from minik8s.cri.filesystem import FileSystem
from minik8s.cri.sandbox import Sandbox, SimContainer
from minik8s.kubelet.object_manager import CacheStore, ObjectCacheItem
from minik8s.kubelet.pod_state import ContainerRecord, PodState
from minik8s.kubelet.volumes import ProjectedFiles

RECORDS = [
    PodState,
    ContainerRecord,
    ProjectedFiles,
    ObjectCacheItem,
    CacheStore,
    Sandbox,
    SimContainer,
    PodSandboxConfig,
    PodSandboxMetadata,
    DNSConfig,
    ContainerConfig,
    ContainerMetadata,
    ImageSpec,
    LinuxContainerConfig,
    LinuxContainerResources,
    Mount,
    FileSystem,
    Node,  # the garbage collector's graph: one per object
    Veth,
    Endpoint,
    CNIResult,
    Interface,
    IPConfig,
]


@pytest.fixture(scope="module")
def running():
    """A cluster running one pod with a ConfigMap volume and a container."""
    c = Cluster(nodes=1, seed=0)
    c.apply({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {}})
    volume = {"name": "cfg", "configMap": {"name": "cfg"}}
    container = {"name": "app", "image": "nginx:1.27"}
    spec = {"containers": [container], "volumes": [volume]}
    c.apply({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "app"}, "spec": spec})
    c.settle()
    return c


@pytest.mark.parametrize("cls", RECORDS, ids=lambda cls: cls.__name__)
def test_per_pod_records_keep_no_instance_dict(running, cls):
    live = [o for o in gc.get_objects() if type(o) is cls]  # (the running cluster's among them)
    assert live, f"no live {cls.__name__}: the scenario no longer makes one"
    assert not any(hasattr(record, "__dict__") for record in live)
