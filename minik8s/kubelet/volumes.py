"""Pod volumes as in-memory file trees, mirroring the volume plugins of `pkg/volume`
(configmap, secret, emptydir, hostpath, downwardapi, projected, csi, the PVC indirection) and
`pkg/kubelet/volumemanager` (a volume is set up before the pod's containers start; a failure is
a `FailedMount` event and the pod stays ContainerCreating).

A volume is a dict of relative path → content. The containers of a pod share the same dict
(an emptyDir written by one container is read by another); hostPath dicts live per node. A claim
bound to a CSI PersistentVolume goes through the node's CSI drivers (`stores.csi`,
`minik8s.csi.node.NodeVolumes`): wait until the VolumeAttachment is attached, NodeStage once per
node, NodePublish per pod; the driver keeps the files, so data outlives pods and follows the
claim to another node. While a claim is unbound (the scheduler here binds the pod before its
claims are Bound) or its attachment pending, the kubelet polls every 0.3 s
(`podAttachAndMountRetryInterval`, foreground: `settle()` waits for it) and after 2 min 3 s
(`podAttachAndMountTimeout`) records upstream's `Unable to attach or mount volumes` event, then
retries in the background. Other PersistentVolumes (local, nfs…) keep their files in
`stores.persistent` (share one mapping between kubelets to model network storage). Once a pod's
containers have all stopped (a terminal phase, or a deletion) its CSI volumes are unpublished
(and unstaged after the node's last user), as the volume manager drops pods whose runtime
should be removed (`ShouldPodRuntimeBeRemoved`).
`expand_in_use_volumes` is the volume manager's online expansion (`checkVolumeFSResize`, then
the reconciler's `ExpandInUseVolume`): at a running pod's periodic resync, a writable claim
volume whose PV grew beyond the claim's `status.capacity` gets NodeExpandVolume; the claim's
capacity follows, its `FileSystemResizePending` condition goes, and the kubelet records
`FileSystemResizeSuccessful` on the pod and the claim (`VolumeResizeFailed` on the pod when the
driver fails; retried at the next resync, upstream backs off exponentially from 500 ms).
Left out: file modes, sizes and quotas, `subPathExpr`, expansion of block volumes, of read-only
mounts (upstream skips them too) and of claims mounted only offline. ConfigMap, Secret,
downward API and projected volumes (their payloads: `projected_volumes.py`) are
`ProjectedFiles`, which `volume_refresh.py` rewrites in place when their sources change; a
`subPath` mount of one copies its file at container start, so it never changes.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import StatusError
from minik8s.cri.api import Mount
from minik8s.csi.node import NodeVolumes, VolumeNotAttached, VolumeNotReady, is_attached
from minik8s.kubelet.backoff import RETRY_AFTER_ERROR
from minik8s.kubelet.projected_volumes import SourceError, downward, keyed, projected

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.kubelet.object_manager import ObjectManagers
    from minik8s.kubelet.pod_state import PodState
    from minik8s.kubelet.pod_workers import PodWorkers

Obj = dict[str, Any]
Files = MutableMapping[str, str]
ATTACH_RETRY_INTERVAL = 0.3  # podAttachAndMountRetryInterval
ATTACH_AND_MOUNT_TIMEOUT = 123.0  # podAttachAndMountTimeout: 2 min + 3 s


class ProjectedFiles(dict[str, str]):
    """The files of a ConfigMap/Secret/downward API/projected volume (refreshed by the kubelet);
    `volume` and `plan`: the volume and what its files are built from, `inputs`: the values they
    were last built from (`volume_refresh.py`, which sets all three at the mount)."""

    __slots__ = ("volume", "plan", "inputs")  # (no `__dict__`: one per mounted volume)

    def __init__(self, files: Files) -> None:
        super().__init__(files)
        self.volume: Obj = {}
        self.plan: Any = None  # volume_refresh.RefreshPlan
        self.inputs: tuple[Any, ...] | None = None


class VolumeSetupError(Exception):
    """A volume cannot be set up (event `FailedMount`; the pod stays ContainerCreating)."""


class VolumePending(VolumeSetupError):
    """A claim not bound yet, or a CSI volume not attached yet: polled quietly until the
    wait times out (upstream's scheduler binds the pod only once its claims are bound)."""

    def __init__(self, volume: str, message: str):
        super().__init__(message)
        self.volume = volume


@dataclass
class AttachWait:
    """A pod volume waiting for its claim to bind or its CSI volume to attach: since when, and
    whether `settle()` waits for it (until the first timeout)."""

    since: float
    foreground: bool = True


@dataclass
class VolumeStores:
    """Where volumes that outlive a pod keep their files, and the node's CSI drivers."""

    host_paths: dict[str, dict[str, str]] = field(default_factory=dict)  # node-local
    persistent: dict[str, dict[str, str]] = field(default_factory=dict)  # PV name → files
    csi: NodeVolumes | None = None
    attach_waits: dict[tuple[str, str], AttachWait] = field(default_factory=dict)  # (uid, volume)


def _failed(volume: Obj, why: str) -> VolumeSetupError:
    return VolumeSetupError(f'MountVolume.SetUp failed for volume "{volume["name"]}" : {why}')


def _bound_pv(client: Client, volume: Obj, namespace: str) -> Obj:
    claim_name = volume["persistentVolumeClaim"]["claimName"]
    try:
        claim = client.get("persistentvolumeclaims", claim_name, namespace)
    except StatusError as err:
        raise _failed(volume, f'persistentvolumeclaim "{claim_name}" not found') from err
    pv_name = claim.get("spec", {}).get("volumeName")
    if not pv_name:
        error = _failed(volume, f'PersistentVolumeClaim is not bound: "{claim_name}"')
        raise VolumePending(volume["name"], str(error))
    try:
        pv: Obj = client.get("persistentvolumes", pv_name)
    except StatusError:
        pv = {"metadata": {"name": pv_name}, "spec": {}}
    return pv


def _claim(client: Client, pod: Obj, volume: Obj, stores: VolumeStores) -> Files:
    files = _claim_files(client, pod, volume, stores)
    stores.attach_waits.pop((pod["metadata"]["uid"], volume["name"]), None)
    return files


def _claim_files(client: Client, pod: Obj, volume: Obj, stores: VolumeStores) -> Files:
    pv = _bound_pv(client, volume, pod["metadata"]["namespace"])
    spec = pv.get("spec", {})
    if spec.get("csi"):
        if stores.csi is None:
            stores.csi = NodeVolumes(pod.get("spec", {}).get("nodeName", ""))
        readonly = bool(volume["persistentVolumeClaim"].get("readOnly"))
        try:
            return stores.csi.mount(client, pod, pv, readonly)
        except VolumeNotAttached as err:
            raise VolumePending(volume["name"], err.message) from None
        except VolumeNotReady as err:
            raise VolumeSetupError(err.message) from None
    host_path = (spec.get("hostPath") or {}).get("path")
    if host_path:
        return stores.host_paths.setdefault(host_path, {})
    return stores.persistent.setdefault(pv["metadata"]["name"], {})


def volume_files(
    client: Client,
    pod: Obj,
    volume: Obj,
    stores: VolumeStores,
    objects: ObjectManagers | None = None,
) -> Files:
    """A pod volume's files (relative path → content), ConfigMaps and Secrets read through the
    kubelet's managers (`objects`; GETs without them); raises `VolumeSetupError`."""
    namespace = pod["metadata"]["namespace"]
    for kind in ("configMap", "secret"):
        if kind in volume:
            try:
                return keyed(client, kind, volume[kind], namespace, objects)
            except SourceError as err:
                raise _failed(volume, str(err)) from None
    if "hostPath" in volume:
        return stores.host_paths.setdefault(volume["hostPath"]["path"], {})
    if "persistentVolumeClaim" in volume:
        return _claim(client, pod, volume, stores)
    if "downwardAPI" in volume:
        return downward(client, pod, volume["downwardAPI"].get("items") or [])
    if "projected" in volume:
        try:
            return projected(client, pod, volume, objects)
        except SourceError as err:
            raise _failed(volume, str(err)) from None
    return {}  # emptyDir and anything else: a fresh, empty directory


def pending_volumes(client: Client, pod: Obj) -> tuple[list[str], list[str]]:
    """The pod's claim volumes not attached to its node, and those whose claim is unbound."""
    unattached, unbound = [], []
    for volume in pod.get("spec", {}).get("volumes") or []:
        if "persistentVolumeClaim" not in volume:
            continue
        try:
            pv = _bound_pv(client, volume, pod["metadata"]["namespace"])
        except VolumePending:
            unbound.append(volume["name"])
            continue
        except VolumeSetupError:
            continue
        if pv["spec"].get("csi") and not is_attached(client, pv, pod["spec"]["nodeName"]):
            unattached.append(volume["name"])
    return sorted(unattached), sorted(unbound)


def mount_failed(w: PodWorkers, state: PodState, err: VolumeSetupError) -> None:
    """The event and the retry after a volume failed to set up (`WaitForAttachAndMount`)."""
    if not isinstance(err, VolumePending):
        w.event(state.pod, "Warning", "FailedMount", str(err))
        w.schedule(state, w.loop.now + RETRY_AFTER_ERROR, background=True)
        return
    wait = w.stores.attach_waits.setdefault((state.uid, err.volume), AttachWait(w.loop.now))
    if w.loop.now - wait.since >= ATTACH_AND_MOUNT_TIMEOUT:
        unattached, unbound = pending_volumes(w.client, state.pod)
        unmounted = " ".join(sorted(unattached + unbound))
        w.event(
            state.pod,
            "Warning",
            "FailedMount",
            f"Unable to attach or mount volumes: unmounted volumes=[{unmounted}], "
            f"unattached volumes=[{' '.join(unattached)}], failed to process volumes="
            f"[{' '.join(unbound)}]: context deadline exceeded",
        )
        wait.since, wait.foreground = w.loop.now, False
    delay = ATTACH_RETRY_INTERVAL if wait.foreground else RETRY_AFTER_ERROR
    w.trace(f"wait for volume {state.key}: {err}")
    w.schedule(state, w.loop.now + delay, background=not wait.foreground)


FS_RESIZE_SUCCESSFUL = "FileSystemResizeSuccessful"  # kubelet events: FileSystemResizeSuccess


def mounts_claim(pod: Obj) -> bool:
    """Whether the pod mounts a claim writable (the volumes `expand_in_use_volumes` checks)."""
    return any(
        "persistentVolumeClaim" in v and not v["persistentVolumeClaim"].get("readOnly")
        for v in pod.get("spec", {}).get("volumes") or []
    )


def _claim_and_pv(client: Client, volume: Obj, namespace: str) -> tuple[Obj, Obj] | None:
    claim_name = volume["persistentVolumeClaim"]["claimName"]
    try:
        claim = client.get("persistentvolumeclaims", claim_name, namespace)
        pv = client.get("persistentvolumes", claim.get("spec", {}).get("volumeName") or "")
    except StatusError:
        return None
    return (claim, pv) if (pv.get("spec") or {}).get("csi") else None


def expand_in_use_volumes(w: PodWorkers, state: PodState) -> list[str]:
    """`ExpandInUseVolume` for the running pod's mounted, writable CSI claims whose PV grew:
    NodeExpandVolume, the claim's status, and the events; the names of the volumes expanded."""
    csi = w.stores.csi
    mounted = csi.published.get(state.uid) if csi is not None else None
    if csi is None or not mounted or state.volumes is None:
        return []
    expanded = []
    for volume in state.pod.get("spec", {}).get("volumes") or []:
        if not mounts_claim({"spec": {"volumes": [volume]}}):
            continue  # upstream `checkVolumeFSResize`: read-only volumes are never resized
        found = _claim_and_pv(w.client, volume, state.pod["metadata"]["namespace"])
        if found is None or found[1]["metadata"]["name"] not in mounted:
            continue
        claim, pv = found
        try:
            message = csi.expand_in_use(w.client, claim, pv)
        except VolumeNotReady as err:
            w.event(state.pod, "Warning", err.reason, err.message)
            continue
        if message is None:
            continue
        w.event(state.pod, "Normal", FS_RESIZE_SUCCESSFUL, message)
        if not w.stopped:
            w.recorder.event(claim, "Normal", FS_RESIZE_SUCCESSFUL, message)
        expanded.append(volume["name"])
    return expanded


def release_volumes(w: PodWorkers, state: PodState) -> None:
    """The pod's containers are stopped: NodeUnpublish its CSI volumes, NodeUnstage those no pod
    here uses (again when the pod is forgotten: a no-op then)."""
    for key in [k for k in w.stores.attach_waits if k[0] == state.uid]:
        del w.stores.attach_waits[key]
    if w.stores.csi is not None:
        for name in w.stores.csi.unmount_pod(state.uid):
            w.trace(f"unmount volume {state.key} {name}")


class SubPath(MutableMapping[str, str]):
    """One entry of a volume mounted on its own (`subPath`): the key "" is that file."""

    def __init__(self, files: Files, sub_path: str):
        self.files = files
        self.sub_path = sub_path.strip("/")

    def __repr__(self) -> str:
        return f"<SubPath {self.sub_path}>"

    def _key(self, rel: str) -> str:
        return f"{self.sub_path}/{rel}" if rel else self.sub_path

    def __getitem__(self, rel: str) -> str:
        return self.files[self._key(rel)]

    def __setitem__(self, rel: str, content: str) -> None:
        self.files[self._key(rel)] = content

    def __delitem__(self, rel: str) -> None:
        del self.files[self._key(rel)]

    def __iter__(self) -> Iterator[str]:
        prefix = self.sub_path + "/"
        for key in list(self.files):
            if key == self.sub_path:
                yield ""
            elif key.startswith(prefix):
                yield key[len(prefix) :]

    def __len__(self) -> int:
        return sum(1 for _ in self)


def make_mounts(container: Obj, volumes: dict[str, Files], host_dir: str = "") -> list[Mount]:
    """The container's `volumeMounts` as CRI mounts sharing the pod's volume dicts."""
    mounts = []
    for vm in container.get("volumeMounts") or []:
        files = volumes.get(vm["name"], {})
        if vm.get("subPath"):
            if isinstance(files, ProjectedFiles):
                files = dict(files)  # upstream: a subPath mount never receives updates
            files = SubPath(files, vm["subPath"])
        host_path = f"{host_dir}/volumes/{vm['name']}" if host_dir else ""
        mounts.append(Mount(vm["mountPath"], host_path, bool(vm.get("readOnly")), files))
    return mounts
