"""Mounted ConfigMaps, Secrets and downward API files follow updates, mirroring the kubelet's
periodic pod resync (`syncFrequency`, 1 minute) re-running the configmap/secret/downwardapi/
projected volume plugins' `SetUp`, which writes through `pkg/volume/util/atomic_writer.go`: the
new payload replaces the old one at once, and only when it differs.

Only pods with such a volume resync them, each on its own minute grid from the mount. A resync
that could find nothing new is skipped: a pod's next one is armed (a background timer: it never
keeps `settle()` busy) only when the watch delivers a change of a ConfigMap or Secret the pod
references or the pod's labels or annotations change, and then runs at the same instant as the
periodic one would, and sees the same. Volumes whose every resync may find something (a source
that failed, a `resourceFieldRef`, a claim that may grow) resync every minute. While a volume is
mounted, the objects it reads count as read (`ObjectCache.add_reader`): their watches stay.
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

from collections.abc import Iterable
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


def refresh_volumes(w: PodWorkers, state: PodState, failed: list[str]) -> list[str]:
    """Rewrite the pod's refreshable volumes whose content changed; their names (those that
    could not be built go to `failed`)."""
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
            failed.append(volume["name"])
            continue
        files.inputs = inputs
        if dict(new) != dict(files):
            files.clear()
            files.update(new)
            changed.append(volume["name"])
    return changed


def start_refresh(w: PodWorkers, state: PodState) -> None:
    """Resync the pod's refreshable volumes every `SYNC_FREQUENCY` seconds from now on while it
    runs; a resync that could find nothing new is skipped (`wake_refresh`)."""
    if state.refresh_next or not needs_refresh(state.pod):
        return
    state.refresh_next = w.loop.now + SYNC_FREQUENCY
    for kind, namespace, name in _sources(state):
        w.objects.manager(kind).cache.add_reader(namespace, name)
    if _periodic(state, False):
        _arm(w, state)


def _sources(state: PodState) -> list[tuple[str, str, str]]:
    """(kind, namespace, name) of each ConfigMap/Secret the pod's mounted volumes read."""
    return [
        (kind, files.plan.namespace, name)
        for files in (state.volumes or {}).values()
        if isinstance(files, ProjectedFiles)
        for kind, name in files.plan.sources
    ]


def _periodic(state: PodState, failed: bool) -> bool:
    """Whether every resync may find something new, however quiet the API: a volume whose
    source could not be read (its `FailedMount` repeats), a `resourceFieldRef` (the node's
    allocatable), a claim (it may grow)."""
    if failed or mounts_claim(state.pod):
        return True
    volumes = (state.volumes or {}).values()
    return any(isinstance(f, ProjectedFiles) and not f.plan.memo for f in volumes)


def wake_refresh(w: PodWorkers, state: PodState) -> None:
    """Something the pod's volumes read may have changed: its watch delivered a new ConfigMap
    or Secret, or the pod's labels or annotations changed. The pod's next resync (the first
    instant on its minute grid after now) runs, and sees it."""
    if not state.refresh_next or state.refresh is not None or w.stopped:
        return
    while state.refresh_next <= w.loop.now:  # (the skipped resyncs: each found nothing)
        state.refresh_next += SYNC_FREQUENCY
    state.refresh = w.loop.call_at(
        state.refresh_next, _tick, w, state, background=True, label="kubelet volume resync"
    )


def referenced_objects_changed(w: PodWorkers, uids: Iterable[str]) -> None:
    """A ConfigMap or Secret these pods reference changed: their volumes may show it."""
    for uid in uids:
        state = w.states.get(uid)
        if state is not None:
            wake_refresh(w, state)


def pod_updated(w: PodWorkers, state: PodState, old: Obj) -> None:
    """The API sent a new version of the pod: wake its resync if its labels or annotations
    changed (the downward API files may read them)."""
    if not state.refresh_next:
        return
    meta, old_meta = state.pod["metadata"], old["metadata"]
    for field in ("labels", "annotations"):
        if meta.get(field) != old_meta.get(field):
            wake_refresh(w, state)
            return


def _arm(w: PodWorkers, state: PodState) -> None:
    state.refresh = w.loop.call_later(
        SYNC_FREQUENCY, _tick, w, state, background=True, label="kubelet volume resync", fifo=True
    )


def _tick(w: PodWorkers, state: PodState) -> None:
    state.refresh = None
    if w.stopped or w.states.get(state.uid) is not state or state.terminating or state.finished:
        return
    state.refresh_next = w.loop.now + SYNC_FREQUENCY
    failed: list[str] = []
    for name in refresh_volumes(w, state, failed):
        w.trace(f"refresh volume {state.key} {name}")
    for name in expand_in_use_volumes(w, state):
        w.trace(f"expand volume {state.key} {name}")
    if state.refresh is None and _periodic(state, bool(failed)):
        _arm(w, state)


def stop_refresh(w: PodWorkers, state: PodState) -> None:
    """The pod stops resyncing its volumes (it terminates, or the kubelet stopped)."""
    if state.refresh is not None:
        state.refresh.cancel()
        state.refresh = None
    if state.refresh_next:
        state.refresh_next = 0.0
        for kind, namespace, name in _sources(state):
            w.objects.manager(kind).cache.drop_reader(namespace, name)
