"""The kubelet's volume manager through the CSI driver, in a whole cluster: it waits for the
VolumeAttachment, stages once per node, publishes per pod, unpublishes and unstages when pods
go; what one pod writes through a claim, a later pod reads (also on another node when the access
mode allows); StatefulSet claims go the same way."""

from __future__ import annotations

import pytest

from minik8s.cluster import Cluster
from minik8s.csi.attacher import attachment_name
from minik8s.csi.hostpath import DRIVER_NAME
from minik8s.csi.volume_data import PersistentVolumeData

CLAIM = """
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {{name: {name}, namespace: default}}
spec:
  accessModes: [{mode}]
  resources: {{requests: {{storage: 1Gi}}}}
"""


def pod(name: str, claim: str = "data", node: str | None = None, script: str = "sleep 3600"):
    spec: dict = {
        "terminationGracePeriodSeconds": 0,
        "containers": [
            {
                "name": "c",
                "image": "busybox:1.36",
                "command": ["sh", "-c", script],
                "volumeMounts": [{"name": "data", "mountPath": "/data"}],
            }
        ],
        "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": claim}}],
    }
    if node:
        spec["nodeSelector"] = {"kubernetes.io/hostname": node}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


def events(c: Cluster, name: str) -> list[tuple[str, str]]:
    return [
        (e["reason"], e["message"])
        for e in c.get("events")
        if e["involvedObject"]["name"] == name and e["involvedObject"]["kind"] == "Pod"
    ]


def volume_of(c: Cluster, claim: str = "data"):
    pv = c.get("PersistentVolume", c.get("PersistentVolumeClaim", claim)["spec"]["volumeName"])
    return pv, c.csi.volume(pv["spec"]["csi"]["volumeHandle"])


class CountingNode:
    """A Node service that counts the RPCs the kubelet makes."""

    def __init__(self, inner):
        self.inner, self.calls = inner, []

    def __getattr__(self, name):
        method = getattr(self.inner, name)
        if not name.startswith("node_") or name in ("node_get_info", "node_get_capabilities"):
            return method

        def call(*args, **kwargs):
            self.calls.append(name)
            return method(*args, **kwargs)

        return call


@pytest.fixture
def cluster() -> Cluster:
    return Cluster(nodes=2, seed=0)


def test_a_pod_with_a_provisioned_claim_runs_after_attach_stage_and_publish(cluster):
    c = cluster
    c.apply(CLAIM.format(name="data", mode="ReadWriteOnce"))
    c.apply(pod("writer"))
    c.settle()  # the kubelet's attach wait keeps settle() busy until the pod runs
    writer = c.get("Pod", "writer")
    assert writer["status"]["phase"] == "Running"
    node = writer["spec"]["nodeName"]
    pv, vol = volume_of(c)
    va = c.get("VolumeAttachment", attachment_name(vol.volume_id, DRIVER_NAME, node))
    assert va["spec"]["source"] == {"persistentVolumeName": pv["metadata"]["name"]}
    assert va["status"]["attached"] is True
    assert set(vol.staged) == {node}
    assert vol.published == {
        f"/var/lib/kubelet/pods/{writer['metadata']['uid']}/volumes/kubernetes.io~csi/"
        f"{pv['metadata']['name']}/mount": node
    }
    assert [r for r, _ in events(c, "writer") if r == "FailedMount"] == []
    c.kubectl("exec writer -- sh -c 'echo hi > /data/f'")
    assert vol.files == {"f": "hi\n"}  # the driver holds the data, not the kubelet
    view = PersistentVolumeData(c.csi, {})
    assert view[pv["metadata"]["name"]] == {"f": "hi\n"}

    c.delete("Pod", "writer")
    c.settle()
    assert (vol.staged, vol.published, vol.attached) == ({}, {}, set())
    assert c.get("VolumeAttachment") == []
    assert repr(c.machines[node].disks.csi) == (
        f"<NodeVolumes {node} drivers=['hostpath.csi.k8s.io'] staged=0 published=0>"
    )

    c.apply(pod("reader"))
    c.settle()
    assert c.get("Pod", "reader")["spec"]["nodeName"] == node  # the local volume pins it
    assert c.kubectl("exec reader -- cat /data/f") == "hi\n"


def test_stage_once_per_node_publish_per_pod_unstage_after_the_last(cluster):
    c = cluster
    c.apply(CLAIM.format(name="data", mode="ReadWriteOnce"))
    c.apply(pod("one"))
    c.settle()
    node = c.get("Pod", "one")["spec"]["nodeName"]
    csi = c.machines[node].disks.csi
    spy = csi.drivers[DRIVER_NAME] = CountingNode(csi.drivers[DRIVER_NAME])
    c.apply(pod("two"))  # RWO: many pods, one node
    c.settle()
    assert c.get("Pod", "two")["status"]["phase"] == "Running"
    assert spy.calls == ["node_publish_volume"]
    _, vol = volume_of(c)
    assert len(vol.published) == 2 and set(vol.staged) == {node}
    c.delete("Pod", "one")
    c.settle()
    assert spy.calls[1:] == ["node_unpublish_volume"]
    assert len(vol.published) == 1 and set(vol.staged) == {node}
    c.delete("Pod", "two")
    c.settle()
    assert spy.calls[2:] == ["node_unpublish_volume", "node_unstage_volume"]
    assert (vol.staged, vol.published) == ({}, {})


def test_a_rwx_claim_is_read_on_another_node():
    c = Cluster(nodes=2, seed=0)
    c.csi.local = False  # network storage: no topology, every node reaches it
    c.apply(CLAIM.format(name="shared", mode="ReadWriteMany"))
    c.apply(pod("writer", "shared", "node-1", "echo from-1 > /data/f; sleep 3600"))
    c.settle()
    c.apply(pod("reader", "shared", "node-2"))
    c.settle()
    assert c.get("Pod", "reader")["status"]["phase"] == "Running"
    assert c.kubectl("exec reader -- cat /data/f") == "from-1\n"
    _, vol = volume_of(c, "shared")
    assert sorted(vol.staged) == sorted(vol.attached) == ["node-1", "node-2"]


def test_a_rwo_volume_attached_elsewhere_times_out_then_follows_the_claim():
    c = Cluster(nodes=2, seed=0)
    c.csi.local = False
    c.apply(CLAIM.format(name="data", mode="ReadWriteOnce"))
    c.apply(pod("one", node="node-1", script="echo one > /data/f; sleep 3600"))
    c.settle()
    c.apply(pod("two", node="node-2", script="cat /data/f; sleep 3600"))
    waited = c.settle()
    assert 123 <= waited < 124  # podAttachAndMountTimeout, then background retries
    assert c.get("Pod", "two")["status"]["phase"] == "Pending"
    pv, _ = volume_of(c)
    assert events(c, "two")[1:] == [
        (
            "FailedAttachVolume",
            f'Multi-Attach error for volume "{pv["metadata"]["name"]}" Volume is already used by '
            "pod(s) one",
        ),
        (
            "FailedMount",
            "Unable to attach or mount volumes: unmounted volumes=[data], unattached "
            "volumes=[data], failed to process volumes=[]: context deadline exceeded",
        ),
    ]
    c.delete("Pod", "one")
    c.run(30)  # detach from node-1, attach to node-2, the kubelet's next try
    assert c.get("Pod", "two")["status"]["phase"] == "Running"
    assert c.kubectl("logs two") == "one\n"


def test_a_node_without_the_driver_reports_it():
    c = Cluster(nodes=1, seed=0)
    c.machines["node-1"].disks.csi.drivers.clear()
    c.apply(CLAIM.format(name="data", mode="ReadWriteOnce"))
    c.apply(pod("lost"))
    c.settle()
    pv, _ = volume_of(c)
    assert (
        "FailedMount",
        f'MountVolume.MountDevice failed for volume "{pv["metadata"]["name"]}" : '
        "kubernetes.io/csi: attacher.MountDevice failed to create newCsiDriverClient: driver "
        "name hostpath.csi.k8s.io not found in the list of registered CSI drivers",
    ) in events(c, "lost")


def test_statefulset_claims_go_through_the_csi_driver():
    c = Cluster(nodes=2, seed=0)
    c.apply(
        """
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: default}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
      - name: db
        image: busybox:1.36
        command: [sh, -c, "sleep 3600"]
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
"""
    )
    c.settle()
    pods = {p["metadata"]["name"]: p for p in c.get("Pod")}
    assert [p["status"]["phase"] for p in pods.values()] == ["Running", "Running"]
    for name in pods:
        c.kubectl(f"exec {name} -- sh -c 'echo {name} > /data/who'")
    for name, p in pods.items():
        _, vol = volume_of(c, f"data-{name}")
        assert vol.files == {"who": f"{name}\n"}
        assert set(vol.staged) == set(vol.attached) == {p["spec"]["nodeName"]}
    assert len(c.get("VolumeAttachment")) == 2
    c.delete("Pod", "db-0")
    c.settle()
    again = c.get("Pod", "db-0")
    assert again["metadata"]["uid"] != pods["db-0"]["metadata"]["uid"]
    assert again["status"]["phase"] == "Running"
    assert c.kubectl("exec db-0 -- cat /data/who") == "db-0\n"


def test_volumes_of_pods_deleted_while_the_node_was_off_are_unmounted_at_boot(cluster):
    c = cluster
    c.apply(CLAIM.format(name="data", mode="ReadWriteOnce"))
    c.apply(pod("writer"))
    c.settle()
    node = c.get("Pod", "writer")["spec"]["nodeName"]
    _, vol = volume_of(c)
    c.fail_node(node)
    c.delete("Pod", "writer", grace_period_seconds=0)  # force-deleted: no kubelet saw it go
    c.run(1)
    assert set(vol.staged) == {node} and len(vol.published) == 1
    c.recover_node(node)
    c.settle()
    assert (vol.staged, vol.published) == ({}, {})
    c.delete("PersistentVolumeClaim", "data")
    c.settle()
    assert c.csi.volumes == {}  # reclaim policy Delete: the driver could delete the volume
