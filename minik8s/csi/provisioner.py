"""The external-provisioner sidecar, mirroring `kubernetes-csi/external-provisioner`
(`pkg/controller/controller.go`) on `sig-storage-lib-external-provisioner` (`controller.go`).

It provisions claims the PV controller handed to its driver (annotation
`volume.kubernetes.io/storage-provisioner`) whose class names the driver: `create_volume` with
the claim's size, access modes and the class parameters, then a PV `pvc-<claim uid>` with
`spec.csi`, the capacity the driver returned, a `claimRef` to the claim (the PV controller then
binds them), the class's reclaim policy and mount options, and node affinity from the volume's
accessible topology. `WaitForFirstConsumer` claims wait for `volume.kubernetes.io/selected-node`
(set by the scheduler) and ask for that node's topology. Released PVs with reclaim policy
Delete that it provisioned are deleted: `delete_volume`, then the PV object. Left out: the PV
finalizer `external-provisioner.volume.kubernetes.io/finalizer`, secrets, data sources
(clone/snapshot), capacity tracking, leader election.
"""

from __future__ import annotations

import uuid
import zlib
from typing import Any

from minik8s.api.errors import AlreadyExists, NotFound
from minik8s.api.quantity import BINARY_SI, new_quantity
from minik8s.client.record import EventRecorder
from minik8s.controllers import pv_util as util
from minik8s.controllers.base import Controller
from minik8s.csi.api import (
    FINAL_CODES,
    VOLUME_ACCESSIBILITY_CONSTRAINTS,
    ControllerServer,
    CSIError,
    Obj,
    volume_capability,
)
from minik8s.csi.hostpath import TOPOLOGY_KEY

ANN_PROVISIONER_IDENTITY = "storage.kubernetes.io/csiProvisionerIdentity"
FS_TYPE_PARAM = "csi.storage.k8s.io/fstype"
CONTROLLER_HOST = "csi-hostpathplugin-0"  # the pod running the driver's controller sidecars


def provisioner_identity(driver_name: str, started: Any) -> str:
    """external-provisioner's identity `<start in ms>-<random 0..9999>-<provisioner>` (the
    random part derived from the name here), stored in each PV's volumeAttributes."""
    millis = int(started.timestamp() * 1000)
    return f"{millis}-{zlib.crc32(driver_name.encode()) % 10000}-{driver_name}"


def recorder_component(driver_name: str, host: str = CONTROLLER_HOST) -> str:
    """sig-storage-lib-external-provisioner names its events' source `<provisioner>_<host>_<uuid>`
    (the uuid is random upstream; here it is derived from the names, for determinism)."""
    unique = uuid.uuid5(uuid.NAMESPACE_DNS, f"{host}.{driver_name}")
    return f"{driver_name}_{host}_{unique}"


def pv_name(claim: Obj) -> str:
    """The name of the PV provisioned for a claim (`--volume-name-prefix=pvc`)."""
    return f"pvc-{claim['metadata']['uid']}"


def node_segment(node: Obj, key: str = TOPOLOGY_KEY) -> dict[str, str]:
    """A node's topology segment: its label for `key` (the driver registrar sets it), else
    its name."""
    meta = node["metadata"]
    return {key: (meta.get("labels") or {}).get(key) or meta["name"]}


def accessibility_requirements(claim: Obj, nodes: list[Obj], selected: Obj | None) -> Obj:
    """upstream `GenerateAccessibilityRequirements`: the selected node only, or every node
    in an order rotated by the claim's name (spreading volumes deterministically)."""
    if selected is not None:
        segment = node_segment(selected)
        return {"requisite": [segment], "preferred": [segment]}
    segments = [node_segment(n) for n in sorted(nodes, key=lambda n: n["metadata"]["name"])]
    if not segments:
        return {}
    start = zlib.crc32(claim["metadata"]["name"].encode()) % len(segments)
    return {"requisite": segments, "preferred": segments[start:] + segments[:start]}


def node_affinity(topology: list[dict[str, str]]) -> Obj | None:
    """PV node affinity: one term per accessible topology segment."""
    terms = [
        {"matchExpressions": [{"key": k, "operator": "In", "values": [v]} for k, v in seg.items()]}
        for seg in topology
    ]
    return {"required": {"nodeSelectorTerms": terms}} if terms else None


def schedulable_nodes(nodes: list[Obj]) -> list[Obj]:
    """Nodes a volume may be placed on: ready for pods (not cordoned, no NoSchedule taint)."""
    return [
        n
        for n in nodes
        if not n.get("spec", {}).get("unschedulable")
        and not any(t.get("effect") == "NoSchedule" for t in n.get("spec", {}).get("taints") or [])
    ]


class ExternalProvisioner(Controller):
    """The provisioner role for one CSI driver (keys: `claim/ns/name` and `volume/name`)."""

    def __init__(
        self, client: Any, informers: Any, driver: ControllerServer, tracer: Any = None
    ) -> None:
        self.driver = driver
        self.driver_name = driver.get_plugin_info().name  # type: ignore[attr-defined]
        self.name = f"csi-provisioner/{self.driver_name}"
        super().__init__(client, informers, tracer)
        self.recorder = EventRecorder(client, recorder_component(self.driver_name))
        self.identity = provisioner_identity(self.driver_name, self.loop.datetime())
        self.claims = self.informers.lister_for("persistentvolumeclaims")
        self.volumes = self.informers.lister_for("persistentvolumes")
        self.classes = self.informers.lister_for("storageclasses")
        self.nodes = self.informers.lister_for("nodes")
        self.watch("persistentvolumeclaims", lambda c: f"claim/{util.meta_key(c)}")
        self.watch("persistentvolumes", lambda v: f"volume/{v['metadata']['name']}")

    def __repr__(self) -> str:
        return f"<ExternalProvisioner {self.driver_name} queue={len(self.queue)}>"

    def reconcile(self, key: str) -> float | None:
        kind, _, rest = key.partition("/")
        try:
            if kind == "claim":
                namespace, _, name = rest.partition("/")
                claim = self.claims.get(namespace, name)
                return self.provision(claim) if self.should_provision(claim) else None
            volume = self.volumes.get(None, rest)
        except NotFound:
            return None
        if self.should_delete(volume):
            self.delete(volume)
        return None

    # -- provisioning ----------------------------------------------------------------------------
    def _class(self, claim: Obj) -> Obj | None:
        try:
            return self.classes.get(None, util.claim_class(claim))
        except NotFound:
            return None

    def should_provision(self, claim: Obj) -> bool:
        """upstream `shouldProvision`: handed to this driver, unbound, node chosen if needed."""
        if claim["metadata"].get("deletionTimestamp") or claim.get("spec", {}).get("volumeName"):
            return False
        ann = util.annotations_of(claim)
        wanted = ann.get(util.ANN_STORAGE_PROVISIONER) or ann.get(util.ANN_BETA_STORAGE_PROVISIONER)
        sc = self._class(claim)
        if wanted != self.driver_name or sc is None or sc.get("provisioner") != self.driver_name:
            return False
        if sc.get("volumeBindingMode") == util.BINDING_WAIT_FOR_FIRST_CONSUMER and not ann.get(
            util.ANN_SELECTED_NODE
        ):
            return False
        try:  # provisionClaimOperation: a PV of the claim's name means it was done already
            self.volumes.get(None, pv_name(claim))
            return False
        except NotFound:
            return True

    def _requirements(self, claim: Obj) -> Obj | None:
        caps = self.driver.get_plugin_capabilities()  # type: ignore[attr-defined]
        if VOLUME_ACCESSIBILITY_CONSTRAINTS not in caps:
            return None
        selected_name = util.annotations_of(claim).get(util.ANN_SELECTED_NODE)
        selected = None
        if selected_name:
            try:
                selected = self.nodes.get(None, selected_name)
            except NotFound:
                selected = {"metadata": {"name": selected_name}}
        return accessibility_requirements(claim, schedulable_nodes(self.nodes.list()), selected)

    def provision(self, claim: Obj) -> float | None:
        """Create the volume through the driver, then its PV."""
        sc = self._class(claim)
        assert sc is not None
        spec = claim.get("spec", {})
        message = f'External provisioner is provisioning volume for claim "{util.meta_key(claim)}"'
        self.recorder.event(claim, "Normal", "Provisioning", message)
        params = dict(sc.get("parameters") or {})
        fs_type = params.pop(FS_TYPE_PARAM, "ext4")
        mode = spec.get("volumeMode") or "Filesystem"
        capabilities = [volume_capability(m, mode, fs_type) for m in spec.get("accessModes") or []]
        try:
            volume = self.driver.create_volume(
                pv_name(claim),
                {"required_bytes": util.claim_request(claim).value()},
                capabilities,
                params,
                self._requirements(claim),
            )
        except CSIError as error:
            why = (
                f'failed to provision volume with StorageClass "{sc["metadata"]["name"]}": {error}'
            )
            self.recorder.event(claim, "Warning", "ProvisioningFailed", why)
            return None if error.code in FINAL_CODES else 10.0
        pv = self._new_pv(claim, sc, volume.volume_id, volume.capacity_bytes, fs_type)
        affinity = node_affinity(volume.accessible_topology)
        if affinity:
            pv["spec"]["nodeAffinity"] = affinity
        try:
            self.client.create("persistentvolumes", pv)
        except AlreadyExists:
            return None
        done = f"Successfully provisioned volume {pv['metadata']['name']}"
        self.recorder.event(claim, "Normal", "ProvisioningSucceeded", done)
        return None

    def _new_pv(self, claim: Obj, sc: Obj, volume_id: str, size: int, fs_type: str) -> Obj:
        spec = claim.get("spec", {})
        pv_spec: Obj = {
            "accessModes": list(spec.get("accessModes") or []),
            "capacity": {"storage": str(new_quantity(size, BINARY_SI))},
            "claimRef": util.claim_ref(claim),
            "persistentVolumeReclaimPolicy": sc.get("reclaimPolicy") or "Delete",
            "storageClassName": sc["metadata"]["name"],
            "volumeMode": spec.get("volumeMode") or "Filesystem",
            "csi": {
                "driver": self.driver_name,
                "volumeHandle": volume_id,
                "fsType": fs_type,
                "volumeAttributes": {ANN_PROVISIONER_IDENTITY: self.identity},
            },
        }
        if sc.get("mountOptions"):
            pv_spec["mountOptions"] = list(sc["mountOptions"])
        return {
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": {
                "name": pv_name(claim),
                "annotations": {util.ANN_DYNAMICALLY_PROVISIONED: self.driver_name},
            },
            "spec": pv_spec,
        }

    # -- deleting --------------------------------------------------------------------------------
    def should_delete(self, volume: Obj) -> bool:
        """upstream `shouldDelete`: a Released, Delete-policy PV this driver provisioned."""
        spec = volume.get("spec", {})
        return (
            (volume.get("status") or {}).get("phase") == "Released"
            and spec.get("persistentVolumeReclaimPolicy") == "Delete"
            and util.annotations_of(volume).get(util.ANN_DYNAMICALLY_PROVISIONED)
            == self.driver_name
            and (spec.get("csi") or {}).get("driver") == self.driver_name
            and not volume["metadata"].get("deletionTimestamp")
        )

    def delete(self, volume: Obj) -> None:
        """Delete the backing volume, then the PV (a failure is an event and a retry)."""
        try:
            self.driver.delete_volume(volume["spec"]["csi"]["volumeHandle"])
        except CSIError as error:
            self.recorder.event(volume, "Warning", "VolumeFailedDelete", str(error))
            raise
        try:
            self.client.delete("persistentvolumes", volume["metadata"]["name"])
        except NotFound:
            pass
