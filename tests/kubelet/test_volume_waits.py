"""The kubelet's wait for claims and attachments (`WaitForAttachAndMount`): quiet polling every
0.3 s that keeps `settle()` busy, upstream's `Unable to attach or mount volumes` event after
2 min 3 s, then background retries."""

from __future__ import annotations

from minik8s.csi.attacher import volume_attachment
from minik8s.csi.hostpath import HostPathDriver
from minik8s.csi.node import NodeVolumes
from minik8s.kubelet.volumes import ATTACH_AND_MOUNT_TIMEOUT, ATTACH_RETRY_INTERVAL

from .conftest import Node

BUSYBOX = "busybox:1.36"


def claim_pod(node: Node, claim: str = "data") -> None:
    container = {
        "name": "web",
        "image": BUSYBOX,
        "command": ["sh", "-c", "cat /data/f; sleep 3600"],
        "volumeMounts": [{"name": "data", "mountPath": "/data"}],
    }
    volumes = [{"name": "data", "persistentVolumeClaim": {"claimName": claim}}]
    node.pod(containers=[container], volumes=volumes)


def claim(node: Node, volume_name: str = "") -> None:
    spec = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    if volume_name:
        spec["volumeName"] = volume_name
    obj = {"metadata": {"name": "data", "namespace": "shop"}, "spec": spec}
    node.client.create("persistentvolumeclaims", obj)


def csi_pv(node: Node, handle: str) -> dict:
    pv = {
        "metadata": {"name": "pv-1"},
        "spec": {
            "capacity": {"storage": "1Gi"},
            "accessModes": ["ReadWriteOnce"],
            "csi": {"driver": "hostpath.csi.k8s.io", "volumeHandle": handle},
        },
    }
    return node.client.create("persistentvolumes", pv)


def test_an_unbound_claim_is_waited_for_quietly():
    node = Node()
    claim(node)
    claim_pod(node)
    node.loop.run_for(5)
    assert node.events() == []  # upstream's scheduler would not have bound the pod yet
    node.client.create(
        "persistentvolumes",
        {
            "metadata": {"name": "pv-1"},
            "spec": {
                "capacity": {"storage": "1Gi"},
                "accessModes": ["ReadWriteOnce"],
                "hostPath": {"path": "/mnt/data"},
            },
        },
    )
    node.kubelet.volume_stores.host_paths["/mnt/data"] = {"f": "kept\n"}
    data = node.client.get("persistentvolumeclaims", "data", "shop")
    data["spec"]["volumeName"] = "pv-1"
    node.client.update("persistentvolumeclaims", data)
    node.loop.settle()  # the foreground poll: settle() returns once the pod runs
    assert node.status()["phase"] == "Running"
    assert node.kubelet.logs("shop", "web") == "kept\n"
    assert node.kubelet.volume_stores.attach_waits == {}


def test_a_csi_volume_never_attached_times_out_with_upstreams_event():
    node = Node()
    driver = HostPathDriver(local=False)
    node.kubelet.volume_stores.csi = NodeVolumes("node-1", {driver.name: driver.node("node-1")})
    handle = driver.create_volume("pv-1").volume_id
    pv = csi_pv(node, handle)
    claim(node, "pv-1")
    claim_pod(node)
    waited = node.loop.settle()
    assert ATTACH_AND_MOUNT_TIMEOUT <= waited < ATTACH_AND_MOUNT_TIMEOUT + ATTACH_RETRY_INTERVAL
    assert node.events() == [
        (
            "FailedMount",
            "Unable to attach or mount volumes: unmounted volumes=[data], unattached "
            "volumes=[data], failed to process volumes=[]: context deadline exceeded",
        )
    ]
    # the attacher's work, by hand: the next background retry (10 s) mounts
    driver.controller_publish_volume(handle, "node-1")
    va = node.client.create("volumeattachments", volume_attachment(pv, "node-1"))
    node.client.update_status("volumeattachments", dict(va, status={"attached": True}))
    driver.volume(handle).files["f"] = "attached\n"
    node.loop.run_for(12)
    assert node.status()["phase"] == "Running"
    assert node.kubelet.logs("shop", "web") == "attached\n"
    assert set(driver.volume(handle).staged) == {"node-1"}
    node.client.delete("pods", "web", "shop", grace_period_seconds=0)
    node.loop.settle()
    assert (driver.volume(handle).staged, driver.volume(handle).published) == ({}, {})
    assert node.kubelet.volume_stores.attach_waits == {}
