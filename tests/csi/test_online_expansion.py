"""Online expansion in a whole cluster: a claim in use by a running pod grows; the external
resizer expands the volume and leaves `FileSystemResizePending`; the kubelet's volume manager
(`ExpandInUseVolume` → `NodeExpandVolume`, `operation_generator.go`) finishes it at the pod's
resync: capacity, conditions and upstream's `FileSystemResizeSuccessful` events."""

from __future__ import annotations

import pytest

from minik8s.cluster import Cluster
from minik8s.csi.api import CSIError
from minik8s.csi.hostpath import DRIVER_NAME
from minik8s.kubelet import volume_refresh
from minik8s.kubelet.volumes import FS_RESIZE_SUCCESSFUL, expand_in_use_volumes, mounts_claim
from tests.csi.test_kubelet_volumes import CLAIM, pod


def running_claim_pod(c: Cluster, read_only: bool = False) -> tuple[dict, dict]:
    c.apply(CLAIM.format(name="data", mode="ReadWriteOnce"))
    manifest = pod("user")
    manifest["spec"]["volumes"][0]["persistentVolumeClaim"]["readOnly"] = read_only
    c.apply(manifest)
    c.settle()
    user = c.get("Pod", "user")
    assert user["status"]["phase"] == "Running"
    claim = c.get("PersistentVolumeClaim", "data")
    return user, c.get("PersistentVolume", claim["spec"]["volumeName"])


def grow(c: Cluster, size: str) -> dict:
    c.run(1)
    claim = c.get("PersistentVolumeClaim", "data")
    claim["spec"]["resources"]["requests"]["storage"] = size
    c.apply(claim)
    c.settle()
    return c.get("PersistentVolumeClaim", "data")


def events(c: Cluster, kind: str, name: str) -> list[tuple[str, str, str, str]]:
    return [
        (e["type"], e["reason"], e["message"], e["source"].get("component", ""))
        for e in c.get("events")
        if e["involvedObject"]["name"] == name and e["involvedObject"]["kind"] == kind
    ]


def kubelet_sync(c: Cluster, user: dict) -> list[str]:
    """What the kubelet's resync of the pod does for its volumes."""
    workers = c.kubelet(user["spec"]["nodeName"]).workers
    return expand_in_use_volumes(workers, workers.states[user["metadata"]["uid"]])


@pytest.fixture
def c() -> Cluster:
    return Cluster(nodes=2, seed=0)


def test_a_claim_in_use_waits_for_the_node(c):
    user, pv = running_claim_pod(c)
    assert mounts_claim(user)
    assert kubelet_sync(c, user) == []  # nothing grew: nothing to do, no event
    claim = grow(c, "2Gi")
    assert claim["status"]["capacity"] == {"storage": "1Gi"}
    (condition,) = claim["status"]["conditions"]
    assert (condition["type"], condition["status"]) == ("FileSystemResizePending", "True")
    assert c.get("PersistentVolume", pv["metadata"]["name"])["spec"]["capacity"] == {
        "storage": "2Gi"
    }


def test_the_kubelet_expands_a_volume_in_use_and_records_upstreams_events(c):
    user, pv = running_claim_pod(c)
    grow(c, "2Gi")
    node = user["spec"]["nodeName"]
    assert kubelet_sync(c, user) == ["data"]
    claim = c.get("PersistentVolumeClaim", "data")
    assert claim["status"]["capacity"] == {"storage": "2Gi"}
    assert "conditions" not in claim["status"]
    assert "allocatedResourceStatuses" not in claim["status"]
    message = f'MountVolume.NodeExpandVolume succeeded for volume "{pv["metadata"]["name"]}" {node}'
    expected = ("Normal", FS_RESIZE_SUCCESSFUL, message, "kubelet")
    assert [e for e in events(c, "Pod", "user") if e[1] == FS_RESIZE_SUCCESSFUL] == [expected]
    claim_events = events(c, "PersistentVolumeClaim", "data")
    assert [e for e in claim_events if e[1] == FS_RESIZE_SUCCESSFUL] == [expected]
    assert message == "MountVolume.NodeExpandVolume succeeded for volume " + (
        f'"{pv["metadata"]["name"]}" node-1'
    )
    assert kubelet_sync(c, user) == []  # done: the next resync does nothing


def test_a_read_only_mount_is_not_expanded(c):
    """upstream `checkVolumeFSResize`: read-only volumes are skipped, silently."""
    user, _ = running_claim_pod(c, read_only=True)
    assert not mounts_claim(user)
    grow(c, "2Gi")
    assert kubelet_sync(c, user) == []
    claim = c.get("PersistentVolumeClaim", "data")
    assert claim["status"]["capacity"] == {"storage": "1Gi"}
    assert [e for e in events(c, "Pod", "user") if "Resize" in e[1]] == []


def test_a_driver_failure_is_a_volume_resize_failed_warning_and_is_retried(c):
    user, pv = running_claim_pod(c)
    grow(c, "2Gi")
    csi = c.machines[user["spec"]["nodeName"]].disks.csi
    real = csi.drivers[DRIVER_NAME]

    class Failing:
        def __getattr__(self, name):
            return getattr(real, name)

        def node_expand_volume(self, *args, **kwargs):
            raise CSIError("Internal", "disk on fire")

    csi.drivers[DRIVER_NAME] = Failing()
    assert kubelet_sync(c, user) == []
    (failure,) = [e for e in events(c, "Pod", "user") if e[1] == "VolumeResizeFailed"]
    assert failure[0] == "Warning"
    assert failure[2].startswith(
        f'NodeExpandVolume.NodeExpandVolume failed for volume "{pv["metadata"]["name"]}" : '
    )
    assert "disk on fire" in failure[2]
    claim = c.get("PersistentVolumeClaim", "data")
    assert claim["status"]["conditions"][0]["type"] == "FileSystemResizePending"
    csi.drivers[DRIVER_NAME] = real
    assert kubelet_sync(c, user) == ["data"]  # the next resync succeeds


def test_a_claim_not_in_use_is_finished_by_the_resizer_not_the_kubelet(c):
    """notebook 15's case: no pod, so no NodeExpandVolume and no kubelet event."""
    c.apply(CLAIM.format(name="data", mode="ReadWriteOnce"))
    c.apply(pod("user"))
    c.settle()
    c.delete("Pod", "user")
    c.settle()
    claim = grow(c, "3Gi")
    assert claim["status"]["capacity"] == {"storage": "3Gi"}
    assert "conditions" not in claim["status"]
    assert FS_RESIZE_SUCCESSFUL not in [e[1] for e in events(c, "PersistentVolumeClaim", "data")]


def test_the_pod_resync_finishes_the_expansion_as_the_clock_runs(c):
    user, pv = running_claim_pod(c)
    grow(c, "2Gi")
    c.run(volume_refresh.SYNC_FREQUENCY + 1)
    claim = c.get("PersistentVolumeClaim", "data")
    assert claim["status"]["capacity"] == {"storage": "2Gi"}
    assert "conditions" not in claim["status"]
    reasons = [e[1] for e in events(c, "Pod", "user")]
    assert reasons.count(FS_RESIZE_SUCCESSFUL) == 1
    assert [e[1] for e in events(c, "PersistentVolumeClaim", "data")][-1] == FS_RESIZE_SUCCESSFUL
