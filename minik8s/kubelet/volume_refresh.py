"""Mounted ConfigMaps, Secrets and downward API files follow updates, mirroring the kubelet's
periodic pod resync (`syncFrequency`, 1 minute) re-running the configmap/secret/downwardapi/
projected volume plugins' `SetUp`, which writes through `pkg/volume/util/atomic_writer.go`: the
new payload replaces the old one at once, and only when it differs.

Only pods with such a volume get the timer (a background one: it never keeps `settle()` busy).
`items`, `defaultMode` and `optional` apply as at mount time; a source that is gone (and not
optional) is a `FailedMount` event and the old files stay. `subPath` mounts copy their file when
the container starts (`volumes.make_mounts`), so they keep it, and env vars are never re-read.
ConfigMaps and Secrets are read from the kubelet's watch-based managers (`object_manager.py`),
so a refresh sends no request to the API server. While every source and the labels and
annotations its downward API files read are what the files were last built from (the watch
delivers a new object for each change), the payload is not rebuilt, unless it holds
`resourceFieldRef`s, which follow the node. What cannot change (the pod's name, namespace and
service account) is not compared, so a status write, which replaces the pod object, rebuilds
nothing.
Left out: a configurable `--sync-frequency`, the `..data` symlink swap itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from minik8s.api.errors import StatusError
from minik8s.kubelet.object_manager import SYNC_FREQUENCY, NotRegistered
from minik8s.kubelet.projected_volumes import source_name
from minik8s.kubelet.sources import field_ref
from minik8s.kubelet.volumes import (
    Files,
    ProjectedFiles,
    VolumeSetupError,
    expand_in_use_volumes,
    mounts_claim,
    volume_files,
)

if TYPE_CHECKING:
    from minik8s.kubelet.object_manager import ObjectManagers
    from minik8s.kubelet.pod_state import PodState
    from minik8s.kubelet.pod_workers import PodWorkers

Obj = dict[str, Any]
KEYED = ("configMap", "secret", "downwardAPI")


def refreshable(volume: Obj) -> bool:
    """Whether the kubelet rewrites this volume's files when its sources change."""
    if any(kind in volume for kind in KEYED):
        return True
    sources = (volume.get("projected") or {}).get("sources") or []
    return any(kind in source for source in sources for kind in KEYED)


def needs_refresh(pod: Obj) -> bool:
    """Whether the pod mounts any volume that follows updates (or that may grow: a claim)."""
    volumes = pod.get("spec", {}).get("volumes") or []
    return any(refreshable(v) for v in volumes) or mounts_claim(pod)


class RefreshPlan(NamedTuple):
    """What a mounted volume's files are built from, read once: a pod's volumes are immutable."""

    namespace: str  # the pod's, where its sources are
    fields: tuple[str, ...]  # the downward API `fieldRef`s that may change: labels, annotations
    sources: tuple[tuple[str, str], ...]  # (kind, name) of each ConfigMap/Secret source
    memo: bool  # False with a `resourceFieldRef`: the node's allocatable counts too


# `fieldRef`s a downward API volume may hold whose value never changes (the rest are the pod's
# labels and annotations, whole or one key); the spec fields the files read (the service account
# for a token) cannot change either.
IMMUTABLE_FIELDS = frozenset({"metadata.name", "metadata.namespace", "metadata.uid"})


def refresh_plan(pod: Obj, volume: Obj) -> RefreshPlan:
    """The `RefreshPlan` of one of the pod's refreshable volumes."""
    sources = (volume.get("projected") or {}).get("sources") or [volume]
    fields, memo, refs = [], True, []
    for source in sources:
        for item in (source.get("downwardAPI") or {}).get("items") or []:
            memo = memo and "resourceFieldRef" not in item
            path = (item.get("fieldRef") or {}).get("fieldPath", "")
            if path and path not in IMMUTABLE_FIELDS:
                fields.append(path)
        for kind in ("configMap", "secret"):
            if kind in source:
                refs.append((kind, source_name(kind, source[kind])))
    namespace = pod["metadata"]["namespace"]
    return RefreshPlan(namespace, tuple(fields), tuple(refs), memo)


def field_value(pod: Obj, path: str) -> Any:
    """What a `fieldRef` reads of the pod: a whole label/annotation map, or `field_ref`'s text."""
    if path in ("metadata.labels", "metadata.annotations"):
        return pod["metadata"].get(path[9:])
    return field_ref(pod, path)


def volume_inputs(pod: Obj, plan: RefreshPlan, objects: ObjectManagers) -> tuple[Any, ...] | None:
    """Everything a refreshable volume's files are built from that may change: the values of
    its labels/annotations `fieldRef`s, then each ConfigMap/Secret source (None when missing);
    None when the node's allocatable counts too."""
    if not plan.memo:
        return None
    inputs: list[Any] = [field_value(pod, path) for path in plan.fields]
    for kind, name in plan.sources:
        try:
            inputs.append(objects.get(kind, plan.namespace, name))
        except (StatusError, NotRegistered):
            inputs.append(None)
    return tuple(inputs)


def mounted_files(w: PodWorkers, pod: Obj, volume: Obj, files: Files) -> Files:
    """A volume's files as mounted: a refreshable one's as `ProjectedFiles` that know their
    volume, their plan and the inputs they were just built from, so the first refresh need not
    rebuild them."""
    if not refreshable(volume):
        return files
    plan = refresh_plan(pod, volume)
    mounted = ProjectedFiles(files)
    mounted.volume, mounted.plan = volume, plan
    mounted.inputs = volume_inputs(pod, plan, w.objects)
    return mounted


def refresh_volumes(w: PodWorkers, state: PodState) -> list[str]:
    """Rewrite the pod's refreshable volumes whose content changed; their names."""
    changed = []
    for files in (state.volumes or {}).values():
        if not isinstance(files, ProjectedFiles):
            continue  # (only refreshable volumes are mounted as ProjectedFiles, with their plan)
        inputs = volume_inputs(state.pod, files.plan, w.objects)
        if inputs is not None and inputs == files.inputs:  # (the same objects compare at once)
            files.inputs = inputs  # (equal, maybe not identical: compared cheaply next time)
            continue  # built from these very values: the same files
        volume = files.volume
        try:
            new = volume_files(w.client, state.pod, volume, w.stores, w.objects)
        except VolumeSetupError as err:
            w.event(state.pod, "Warning", "FailedMount", str(err))
            continue
        files.inputs = inputs
        if dict(new) != dict(files):
            files.clear()
            files.update(new)
            changed.append(volume["name"])
    return changed


def start_refresh(w: PodWorkers, state: PodState) -> None:
    """Re-read the pod's refreshable volumes every `SYNC_FREQUENCY` seconds while it runs."""
    if state.refresh is None and needs_refresh(state.pod):
        _arm(w, state)


def _arm(w: PodWorkers, state: PodState) -> None:
    state.refresh = w.loop.call_later(
        SYNC_FREQUENCY, _tick, w, state, background=True, label="kubelet volume resync", fifo=True
    )


def _tick(w: PodWorkers, state: PodState) -> None:
    state.refresh = None
    if w.stopped or w.states.get(state.uid) is not state or state.terminating or state.finished:
        return
    for name in refresh_volumes(w, state):
        w.trace(f"refresh volume {state.key} {name}")
    for name in expand_in_use_volumes(w, state):
        w.trace(f"expand volume {state.key} {name}")
    if state.refresh is None:  # (a pod's volumes are immutable: it still needs the refresh)
        _arm(w, state)


def stop_refresh(state: PodState) -> None:
    """Cancel the pod's refresh timer."""
    if state.refresh is not None:
        state.refresh.cancel()
        state.refresh = None
