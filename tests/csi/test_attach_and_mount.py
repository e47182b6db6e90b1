"""Attach/detach (VolumeAttachment + external attacher) and the kubelet's CSI node calls:
files written by one pod are read by the next; RWO volumes attach to one node only."""

from __future__ import annotations

import pytest

from minik8s.csi.attacher import attachment_name, finalizer_name, is_attached
from minik8s.csi.node import VolumeNotReady, mount_volume, unmount_volume

from .conftest import StorageEnv


def bound_pv(env, claim="data"):
    name = env.get("persistentvolumeclaims", claim)["spec"]["volumeName"]
    return env.get("persistentvolumes", name, None)


def attachments(env):
    return env.client.list("volumeattachments")["items"]


def test_attachment_name_is_upstreams():
    # sha256("vol-1" + "hostpath.csi.k8s.io" + "node-1"), as csi_attacher.go computes it
    import hashlib

    digest = hashlib.sha256(b"vol-1hostpath.csi.k8s.ionode-1").hexdigest()
    assert attachment_name("vol-1", "hostpath.csi.k8s.io", "node-1") == f"csi-{digest}"
    assert finalizer_name("hostpath.csi.k8s.io") == "external-attacher/hostpath-csi-k8s-io"


def test_a_pod_gets_its_volume_attached_mounted_and_detached(env):
    env.storage_class()
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    pv = bound_pv(env)
    node = env.driver.volume(pv["spec"]["csi"]["volumeHandle"]).node
    writer = env.pod("writer", "data", node)
    env.loop.settle()
    (va,) = attachments(env)
    assert va["spec"] == {
        "attacher": "hostpath.csi.k8s.io",
        "nodeName": node,
        "source": {"persistentVolumeName": pv["metadata"]["name"]},
    }
    assert va["status"]["attached"] is True
    assert va["metadata"]["finalizers"] == ["external-attacher/hostpath-csi-k8s-io"]
    assert is_attached(env.client, pv, node)
    files = mount_volume(env.client, env.driver.node(node), writer, pv)
    files["index.html"] = "hello from writer\n"
    unmount_volume(env.driver.node(node), writer, pv, last_on_node=True)
    env.client.delete("pods", "writer", "default", grace_period_seconds=0)
    env.loop.settle()
    assert attachments(env) == []
    handle = pv["spec"]["csi"]["volumeHandle"]
    assert env.driver.volume(handle).attached == set()
    reader = env.pod("reader", "data", node)
    env.loop.settle()
    files = mount_volume(env.client, env.driver.node(node), reader, pv)
    assert files["index.html"] == "hello from writer\n"
    assert env.driver.volume_files(handle) == {"index.html": "hello from writer\n"}


def test_mount_waits_for_the_attachment(env):
    env.storage_class()
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    pv = bound_pv(env)
    node = env.driver.volume(pv["spec"]["csi"]["volumeHandle"]).node
    pod = env.pod("early", "data", node)  # before the attacher ran
    with pytest.raises(VolumeNotReady) as info:
        mount_volume(env.client, env.driver.node(node), pod, pv)
    assert info.value.reason == "FailedMount"
    assert "MountVolume.WaitForAttach failed" in info.value.message


def test_a_local_volume_cannot_attach_to_another_node(env):
    env.storage_class()
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    pv = bound_pv(env)
    home = env.driver.volume(pv["spec"]["csi"]["volumeHandle"]).node
    other = "node-1" if home == "node-2" else "node-2"
    env.pod("lost", "data", other)
    env.loop.settle()
    (va,) = attachments(env)
    assert va["status"]["attached"] is False
    assert "Not matching Node ID" in va["status"]["attachError"]["message"]


def test_rwo_volume_attaches_to_one_node_only():
    env = StorageEnv(local=False)
    env.storage_class()
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    env.pod("one", "data", "node-1")
    env.loop.settle()
    env.pod("two", "data", "node-2")
    env.loop.settle()
    assert [va["spec"]["nodeName"] for va in attachments(env)] == ["node-1"]
    pv = bound_pv(env)
    message = (
        f'Multi-Attach error for volume "{pv["metadata"]["name"]}" Volume is already used by '
        "pod(s) one"
    )  # reportMultiAttachError names the pods of the namespace that hold the volume
    assert ("Warning", "FailedAttachVolume", message) in env.events("two")
    assert (
        "Normal",
        "SuccessfulAttachVolume",
        f'AttachVolume.Attach succeeded for volume "{pv["metadata"]["name"]}" ',
    ) in env.events("one")


def test_rwx_volume_is_shared_across_nodes():
    env = StorageEnv(local=False)
    env.storage_class()
    env.loop.settle()
    env.pvc("shared", modes=("ReadWriteMany",))
    env.loop.settle()
    pv = bound_pv(env, "shared")
    one, two = env.pod("one", "shared", "node-1"), env.pod("two", "shared", "node-2")
    env.loop.settle()
    assert sorted(va["spec"]["nodeName"] for va in attachments(env)) == ["node-1", "node-2"]
    mount_volume(env.client, env.driver.node("node-1"), one, pv)["log"] = "one\n"
    assert mount_volume(env.client, env.driver.node("node-2"), two, pv)["log"] == "one\n"


def test_the_provisioner_waits_until_the_volume_is_detached(env):
    env.storage_class()
    env.loop.settle()
    env.pvc("data")
    env.loop.settle()
    pv = bound_pv(env)
    node = env.driver.volume(pv["spec"]["csi"]["volumeHandle"]).node
    pod = env.pod("user", "data", node)
    env.loop.settle()
    mount_volume(env.client, env.driver.node(node), pod, pv)
    env.client.delete("persistentvolumeclaims", "data", "default")
    env.loop.settle()
    assert env.get("persistentvolumeclaims", "data")["metadata"]["deletionTimestamp"]
    unmount_volume(env.driver.node(node), pod, pv, last_on_node=True)
    env.client.delete("pods", "user", "default", grace_period_seconds=0)
    env.loop.settle()
    assert env.client.list("persistentvolumeclaims", "default")["items"] == []
    assert env.client.list("persistentvolumes")["items"] == []
    assert env.driver.volumes == {}


def test_multi_attach_message_counts_pods_of_other_namespaces():
    """upstream reportMultiAttachError: names only the pods of the waiting pod's namespace."""
    from minik8s.csi.attacher import multi_attach_message

    def holder(name, namespace):
        return {"metadata": {"name": name, "namespace": namespace}}

    assert multi_attach_message("default", []) == (
        "Volume is already exclusively attached to one node and can't be attached to another"
    )
    both = [holder("web-1", "default"), holder("web-0", "default"), holder("x", "other")]
    assert multi_attach_message("default", both) == (
        "Volume is already used by pod(s) web-0, web-1 and 1 pod(s) in different namespaces"
    )
    assert multi_attach_message("third", both) == (
        "Volume is already used by 3 pod(s) in different namespaces"
    )
