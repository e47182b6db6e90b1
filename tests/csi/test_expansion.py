"""Volume expansion through the external-resizer: offline (capacity at once) and online
(`FileSystemResizePending` until the kubelet's NodeExpandVolume)."""

from __future__ import annotations

from minik8s.csi.node import mount_volume
from minik8s.csi.resizer import FS_RESIZE_PENDING, ExpandController, mark_fs_resize_finished


def grow(env, claim, size):
    env.loop.run_for(1)  # recorders of different components name events by time + a serial
    obj = env.get("persistentvolumeclaims", claim)
    obj["spec"]["resources"]["requests"]["storage"] = size
    env.client.update("persistentvolumeclaims", obj)
    env.loop.settle()
    return env.get("persistentvolumeclaims", claim)


def provisioned(env):
    env.storage_class(allowVolumeExpansion=True)
    env.loop.settle()
    env.pvc("data", "1Gi")
    env.loop.settle()
    claim = env.get("persistentvolumeclaims", "data")
    return claim, env.get("persistentvolumes", claim["spec"]["volumeName"], None)


def test_offline_expansion_updates_volume_pv_and_claim(env):
    claim, pv = provisioned(env)
    claim = grow(env, "data", "3Gi")
    pv = env.get("persistentvolumes", pv["metadata"]["name"], None)
    assert env.driver.volume(pv["spec"]["csi"]["volumeHandle"]).capacity_bytes == 3 << 30
    assert pv["spec"]["capacity"] == {"storage": "3Gi"}
    assert claim["status"]["capacity"] == {"storage": "3Gi"}
    assert "conditions" not in claim["status"]
    assert ("Normal", "VolumeResizeSuccessful", "Resize volume succeeded") in env.events("data")


def test_online_expansion_waits_for_the_node(env):
    claim, pv = provisioned(env)
    node_name = env.driver.volume(pv["spec"]["csi"]["volumeHandle"]).node
    pod = env.pod("user", "data", node_name)
    env.loop.settle()
    node = env.driver.node(node_name)
    mount_volume(env.client, node, pod, pv)
    claim = grow(env, "data", "2Gi")
    (condition,) = claim["status"]["conditions"]
    assert condition["type"] == FS_RESIZE_PENDING and condition["status"] == "True"
    assert claim["status"]["capacity"] == {"storage": "1Gi"}
    assert env.get("persistentvolumes", pv["metadata"]["name"], None)["spec"]["capacity"] == {
        "storage": "2Gi"
    }
    # the kubelet: NodeExpandVolume, then the claim's status
    size = node.node_expand_volume(pv["spec"]["csi"]["volumeHandle"], "/mnt")
    assert size == 2 << 30
    claim = mark_fs_resize_finished(env.client, claim, "2Gi")
    assert claim["status"]["capacity"] == {"storage": "2Gi"}
    assert "conditions" not in claim["status"]
    env.loop.settle()
    assert env.driver.volume(pv["spec"]["csi"]["volumeHandle"]).capacity_bytes == 2 << 30


def test_expansion_beyond_the_driver_limit_is_reported(env):
    provisioned(env)
    claim = grow(env, "data", "2Ti")
    assert claim["status"]["capacity"] == {"storage": "1Gi"}
    (message,) = [m for _, r, m in env.events("data") if r == "VolumeResizeFailed"]
    assert "code = OutOfRange" in message


def test_a_failing_expansion_keeps_the_resizing_condition_and_names_the_resizer(env):
    """external-resizer: `markPVCResizeInProgress` first; its recorder is
    `external-resizer <driver>`; the failure names the volume and the resizer."""
    claim, pv = provisioned(env)
    claim = grow(env, "data", "2Ti")
    (condition,) = claim["status"]["conditions"]
    assert (condition["type"], condition["status"]) == ("Resizing", "True")
    name = pv["metadata"]["name"]
    failures = [
        e
        for e in env.client.list("events", "default")["items"]
        if e["reason"] == "VolumeResizeFailed"
    ]
    assert failures[0]["source"]["component"] == "external-resizer hostpath.csi.k8s.io"
    assert failures[0]["message"].startswith(
        f'resize volume "{name}" by resizer "hostpath.csi.k8s.io" failed: rpc error: code = '
        "OutOfRange"
    )
    assert ("Normal", "Resizing", f"External resizer is resizing volume {name}") in env.events(
        "data"
    )


def test_the_expand_controller_leaves_csi_volumes_to_the_external_resizer():
    """kube-controller-manager's expand controller: `ExternalExpanding` from `volume_expand`,
    only when a bound claim grows."""
    from tests.csi.conftest import StorageEnv

    env = StorageEnv(extra_controllers=(ExpandController,))
    provisioned(env)
    assert not [e for e in env.events("data") if e[1] == "ExternalExpanding"]
    grow(env, "data", "2Gi")
    (event,) = [
        e
        for e in env.client.list("events", "default")["items"]
        if e["reason"] == "ExternalExpanding"
    ]
    assert (event["type"], event["message"], event["source"]["component"]) == (
        "Warning",
        "waiting for an external controller to expand this PVC",
        "volume_expand",
    )


def test_the_node_finishes_an_online_expansion(env):
    """The kubelet's `nodeExpandVolume` via `NodeVolumes.expand_in_use`: NodeExpandVolume,
    `MarkFSResizeFinished`, and the `FileSystemResizeSuccessful` message."""
    from minik8s.csi.node import NodeVolumes

    claim, pv = provisioned(env)
    node_name = env.driver.volume(pv["spec"]["csi"]["volumeHandle"]).node
    pod = env.pod("user", "data", node_name)
    env.loop.settle()
    volumes = NodeVolumes(node_name, {pv["spec"]["csi"]["driver"]: env.driver.node(node_name)})
    volumes.mount(env.client, pod, pv)
    assert volumes.expand_in_use(env.client, claim, pv) is None  # nothing pending
    claim = grow(env, "data", "2Gi")
    pv = env.get("persistentvolumes", pv["metadata"]["name"], None)
    message = volumes.expand_in_use(env.client, claim, pv)
    assert message == (
        f'MountVolume.NodeExpandVolume succeeded for volume "{pv["metadata"]["name"]}" {node_name}'
    )
    claim = env.get("persistentvolumeclaims", "data")
    assert claim["status"]["capacity"] == {"storage": "2Gi"}
    assert "conditions" not in claim["status"]
