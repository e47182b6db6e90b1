"""The host-path driver's Identity, Controller and Node services (after csi-sanity's cases)."""

from __future__ import annotations

import pytest

from minik8s.csi.api import (
    ALREADY_EXISTS,
    FAILED_PRECONDITION,
    INVALID_ARGUMENT,
    NOT_FOUND,
    CSIError,
    volume_capability,
)
from minik8s.csi.hostpath import DRIVER_NAME, TOPOLOGY_KEY, HostPathDriver

GIB = 1 << 30
RWO = volume_capability("ReadWriteOnce")
RWOP = volume_capability("ReadWriteOncePod")


def on(node):
    return {"requisite": [{TOPOLOGY_KEY: node}], "preferred": [{TOPOLOGY_KEY: node}]}


def test_identity():
    driver = HostPathDriver()
    assert driver.get_plugin_info().name == DRIVER_NAME and driver.probe()
    info = driver.node("node-1").node_get_info()
    assert (info.node_id, info.accessible_topology) == ("node-1", {TOPOLOGY_KEY: "node-1"})
    assert HostPathDriver(local=False).node("n").node_get_info().accessible_topology is None


def test_create_is_idempotent_by_name():
    driver = HostPathDriver()
    a = driver.create_volume("pvc-1", {"required_bytes": GIB}, [RWO], {}, on("node-1"))
    b = driver.create_volume("pvc-1", {"required_bytes": GIB}, [RWO], {}, on("node-1"))
    assert a == b and a.accessible_topology == [{TOPOLOGY_KEY: "node-1"}]
    assert driver.create_volume("pvc-2").capacity_bytes == GIB  # default size
    with pytest.raises(CSIError) as info:
        driver.create_volume("pvc-1", {"required_bytes": 2 * GIB})
    assert info.value.code == ALREADY_EXISTS
    with pytest.raises(CSIError) as info:
        driver.create_volume("")
    assert info.value.code == INVALID_ARGUMENT


def test_stage_publish_order_and_deletion_guard():
    driver = HostPathDriver()
    vol = driver.create_volume("pvc-1", {"required_bytes": GIB}, [RWO], {}, on("node-1"))
    node = driver.node("node-1")
    with pytest.raises(CSIError) as info:
        node.node_stage_volume(vol.volume_id, "/stage", RWO)
    assert info.value.code == FAILED_PRECONDITION  # not attached yet
    driver.controller_publish_volume(vol.volume_id, "node-1", RWO)
    with pytest.raises(CSIError) as info:
        node.node_publish_volume(vol.volume_id, "/pod-a", "/stage", RWO)
    assert info.value.code == FAILED_PRECONDITION  # not staged yet
    node.node_stage_volume(vol.volume_id, "/stage", RWO)
    node.node_publish_volume(vol.volume_id, "/pod-a", "/stage", RWO)
    node.files_at("/pod-a")["f"] = "x"
    with pytest.raises(CSIError) as info:
        driver.delete_volume(vol.volume_id)
    assert info.value.code == FAILED_PRECONDITION
    node.node_unpublish_volume(vol.volume_id, "/pod-a")
    node.node_unstage_volume(vol.volume_id, "/stage")
    driver.controller_unpublish_volume(vol.volume_id, "node-1")
    driver.delete_volume(vol.volume_id)
    driver.delete_volume(vol.volume_id)  # idempotent
    with pytest.raises(CSIError) as info:
        driver.volume_files(vol.volume_id)
    assert info.value.code == NOT_FOUND


def test_single_writer_modes():
    driver = HostPathDriver(local=False)
    vol = driver.create_volume("pvc-1")
    driver.controller_publish_volume(vol.volume_id, "node-1", RWO)
    with pytest.raises(CSIError) as info:
        driver.controller_publish_volume(vol.volume_id, "node-2", RWO)
    assert info.value.code == FAILED_PRECONDITION
    node = driver.node("node-1")
    node.node_stage_volume(vol.volume_id, "/stage", RWOP)
    node.node_publish_volume(vol.volume_id, "/pod-a", "/stage", RWOP)
    with pytest.raises(CSIError):
        node.node_publish_volume(vol.volume_id, "/pod-b", "/stage", RWOP)
    node.node_publish_volume(vol.volume_id, "/pod-b", "/stage", RWO)  # RWO: same node is fine


def test_expand_reports_node_expansion_only_when_in_use():
    driver = HostPathDriver(local=False, attach_required=False)
    vol = driver.create_volume("pvc-1")
    assert driver.controller_expand_volume(vol.volume_id, {"required_bytes": 2 * GIB}) == (
        2 * GIB,
        False,
    )
    driver.node("n").node_stage_volume(vol.volume_id, "/s")
    assert driver.controller_expand_volume(vol.volume_id, {"required_bytes": GIB}) == (
        2 * GIB,
        True,
    )
    assert repr(driver) == "<HostPathDriver hostpath.csi.k8s.io volumes=1 local=False>"


def test_persistent_volume_data_views_driver_volumes_by_pv_name():
    from minik8s.csi.hostpath import HostPathDriver
    from minik8s.csi.volume_data import PersistentVolumeData

    driver = HostPathDriver()
    other = {"nfs-pv": {"a": "1"}}
    view = PersistentVolumeData(driver, other)
    vol = driver.volume(driver.create_volume("pvc-1").volume_id)
    vol.files["f"] = "hi\n"
    assert view["pvc-1"] is vol.files
    assert view["nfs-pv"] == {"a": "1"}
    assert list(view) == ["pvc-1", "nfs-pv"] and len(view) == 2
    view.setdefault("local-pv", {})["x"] = "y"
    assert other["local-pv"] == {"x": "y"}
    assert driver.volume_named("missing") is None
    assert repr(view) == "<PersistentVolumeData 3 volumes>"
