"""Pod volumes as in-memory file trees, mirroring the volume plugins of `pkg/volume`
(configmap, secret, emptydir, hostpath, downwardapi, projected, the PVC indirection) and
`pkg/kubelet/volumemanager` (a volume is set up before the pod's containers start; a failure is
a `FailedMount` event and the pod stays ContainerCreating).

A volume is a dict of relative path → content. The containers of a pod share the same dict
(an emptyDir written by one container is read by another); hostPath dicts live per node, and a
PersistentVolume's dict lives in `stores.persistent` (share one mapping between kubelets to model
network storage), so data outlives pods. Left out: file modes, sizes and quotas, CSI calls
(a later issue routes PVCs through `minik8s.csi`), `subPathExpr`. ConfigMap, Secret, downward API
and projected volumes are `ProjectedFiles`, which `volume_refresh.py` rewrites in place when their
sources change; a `subPath` mount of one copies its file at container start, so it never changes.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import StatusError
from minik8s.cri.api import Mount
from minik8s.kubelet.sources import field_ref, get_source, not_found, source_data

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
Files = MutableMapping[str, str]


class ProjectedFiles(dict[str, str]):
    """The files of a ConfigMap/Secret/downward API/projected volume (refreshed by the kubelet)."""


class VolumeSetupError(Exception):
    """A volume cannot be set up (event `FailedMount`; the pod stays ContainerCreating)."""


@dataclass
class VolumeStores:
    """Where volumes that outlive a pod keep their files."""

    host_paths: dict[str, dict[str, str]] = field(default_factory=dict)  # node-local
    persistent: dict[str, dict[str, str]] = field(default_factory=dict)  # PV name → files


def _failed(volume: Obj, why: str) -> VolumeSetupError:
    return VolumeSetupError(f'MountVolume.SetUp failed for volume "{volume["name"]}" : {why}')


def _keyed(client: Client, kind: str, source: Obj, namespace: str, volume: Obj) -> dict[str, str]:
    key = "name" if kind == "configMap" else "secretName"
    name = str(source.get(key) or source.get("name") or "")
    obj = get_source(client, kind, name, namespace)
    if obj is None:
        if source.get("optional"):
            return {}
        raise _failed(volume, not_found(kind, name))
    data = source_data(kind, obj)
    items = source.get("items")
    if not items:
        return data
    return {item["path"]: data[item["key"]] for item in items if item["key"] in data}


def _downward(pod: Obj, items: list[Obj]) -> dict[str, str]:
    out = {}
    for item in items:
        path = (item.get("fieldRef") or {}).get("fieldPath", "")
        if path in ("metadata.labels", "metadata.annotations"):
            values = pod["metadata"].get(path.split(".")[1]) or {}
            out[item["path"]] = "\n".join(f'{k}="{v}"' for k, v in sorted(values.items()))
        else:
            out[item["path"]] = field_ref(pod, path)
    return out


def _claim(client: Client, volume: Obj, namespace: str, stores: VolumeStores) -> Files:
    claim_name = volume["persistentVolumeClaim"]["claimName"]
    try:
        claim = client.get("persistentvolumeclaims", claim_name, namespace)
    except StatusError as err:
        raise _failed(volume, f'persistentvolumeclaim "{claim_name}" not found') from err
    pv_name = claim.get("spec", {}).get("volumeName")
    if not pv_name:
        raise _failed(volume, f'PersistentVolumeClaim is not bound: "{claim_name}"')
    try:
        pv = client.get("persistentvolumes", pv_name)
    except StatusError:
        pv = {}
    host_path = (pv.get("spec", {}).get("hostPath") or {}).get("path")
    if host_path:
        return stores.host_paths.setdefault(host_path, {})
    return stores.persistent.setdefault(pv_name, {})


def volume_files(client: Client, pod: Obj, volume: Obj, stores: VolumeStores) -> Files:
    """A pod volume's files (relative path → content); raises `VolumeSetupError`."""
    namespace = pod["metadata"]["namespace"]
    for kind in ("configMap", "secret"):
        if kind in volume:
            return _keyed(client, kind, volume[kind], namespace, volume)
    if "hostPath" in volume:
        return stores.host_paths.setdefault(volume["hostPath"]["path"], {})
    if "persistentVolumeClaim" in volume:
        return _claim(client, volume, namespace, stores)
    if "downwardAPI" in volume:
        return _downward(pod, volume["downwardAPI"].get("items") or [])
    if "projected" in volume:
        files: dict[str, str] = {}
        for source in volume["projected"].get("sources") or []:
            for kind in ("configMap", "secret"):
                if kind in source:
                    files.update(_keyed(client, kind, source[kind], namespace, volume))
            if "downwardAPI" in source:
                files.update(_downward(pod, source["downwardAPI"].get("items") or []))
            if "serviceAccountToken" in source:
                token = (
                    f"minik8s-token.{namespace}.{pod['spec'].get('serviceAccountName', 'default')}"
                )
                files[source["serviceAccountToken"].get("path", "token")] = token
        return files
    return {}  # emptyDir and anything else: a fresh, empty directory


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
