"""Mounted ConfigMaps, Secrets and downward API files follow updates, mirroring the kubelet's
periodic pod resync (`syncFrequency`, 1 minute) re-running the configmap/secret/downwardapi/
projected volume plugins' `SetUp`, which writes through `pkg/volume/util/atomic_writer.go`: the
new payload replaces the old one at once, and only when it differs.

Only pods with such a volume get the timer (a background one: it never keeps `settle()` busy).
`items`, `defaultMode` and `optional` apply as at mount time; a source that is gone (and not
optional) is a `FailedMount` event and the old files stay. `subPath` mounts copy their file when
the container starts (`volumes.make_mounts`), so they keep it, and env vars are never re-read.
ConfigMaps and Secrets are read from the kubelet's watch-based managers (`object_manager.py`),
so a refresh sends no request to the API server; while the pod and every source are the very
objects the files were last built from (the watch delivers a new object for each change), the
payload is not rebuilt (unless it holds `resourceFieldRef`s, which follow the node).
Left out: a configurable `--sync-frequency`, the `..data` symlink swap itself.
"""

from __future__ import annotations

from operator import is_
from typing import TYPE_CHECKING, Any, NamedTuple

from minik8s.api.errors import StatusError
from minik8s.kubelet.object_manager import SYNC_FREQUENCY, NotRegistered
from minik8s.kubelet.projected_volumes import source_name
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

    refreshable: bool  # `refreshable(volume)`
    whole_pod: bool  # a downward API source: any field of the pod may count, not only its spec
    sources: tuple[tuple[str, str], ...]  # (kind, name) of each ConfigMap/Secret source
    memo: bool  # False with a `resourceFieldRef`: the node's allocatable counts too


def refresh_plan(volume: Obj) -> RefreshPlan:
    """The volume's `RefreshPlan`."""
    sources = (volume.get("projected") or {}).get("sources") or [volume]
    whole_pod, memo, refs = False, True, []
    for source in sources:
        if "downwardAPI" in source:
            whole_pod = True
            items = source["downwardAPI"].get("items") or []
            memo = memo and not any("resourceFieldRef" in item for item in items)
        for kind in ("configMap", "secret"):
            if kind in source:
                refs.append((kind, source_name(kind, source[kind])))
    return RefreshPlan(refreshable(volume), whole_pod, tuple(refs), memo)


def volume_inputs(pod: Obj, plan: RefreshPlan, objects: ObjectManagers) -> tuple[Any, ...] | None:
    """The objects a refreshable volume's files are built from: the pod (only its spec without
    a downward API source), then each ConfigMap/Secret source (None when missing); None when
    the node's allocatable counts too."""
    if not plan.memo:
        return None
    namespace = pod["metadata"]["namespace"]
    inputs: list[Any] = [pod if plan.whole_pod else pod.get("spec")]
    for kind, name in plan.sources:
        try:
            inputs.append(objects.get(kind, namespace, name))
        except (StatusError, NotRegistered):
            inputs.append(None)
    return tuple(inputs)


def mounted_files(w: PodWorkers, pod: Obj, volume: Obj, files: Files) -> Files:
    """A volume's files as mounted: a refreshable one's as `ProjectedFiles` that know their plan
    and the objects they were just built from, so the first refresh need not rebuild them."""
    plan = refresh_plan(volume)
    if not plan.refreshable:
        return files
    mounted = ProjectedFiles(files)
    mounted.plan = plan
    mounted.inputs = volume_inputs(pod, plan, w.objects)
    return mounted


def _same(a: tuple[Any, ...] | None, b: tuple[Any, ...] | None) -> bool:
    return a is not None and b is not None and len(a) == len(b) and all(map(is_, a, b))


def refresh_volumes(w: PodWorkers, state: PodState) -> list[str]:
    """Rewrite the pod's refreshable volumes whose content changed; their names."""
    changed = []
    for volume in state.pod.get("spec", {}).get("volumes") or []:
        files = (state.volumes or {}).get(volume["name"])
        if not isinstance(files, ProjectedFiles):
            continue  # (only refreshable volumes are mounted as ProjectedFiles, with their plan)
        inputs = volume_inputs(state.pod, files.plan, w.objects)
        if _same(inputs, files.inputs):
            continue  # built from these very objects: the same files
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
