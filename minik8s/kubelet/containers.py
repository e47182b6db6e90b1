"""Starting one container, mirroring `pkg/kubelet/kuberuntime/kuberuntime_container.go`
(`startContainer`) and the back-off check of `kuberuntime_manager.go` (`doBackOff`).

A container that exited before is restarted only when its back-off allows: the first restart is
immediate, then 10 s, 20 s, 40 s … up to 5 min (`backoff.py`), counted from when it exited (from
the instance before when the sync that killed it goes on to start it: `doBackOff` reads the
status that sync began with); while waiting its reason is `CrashLoopBackOff` and the sync has
failed (retried 10 s later, `requeue_after_error`). Then: image (`images.py`, with
`imagePullSecrets`), config (`CreateContainerConfigError` on a missing ConfigMap/Secret), create
(`Created` event), start (`Started` event), probes, the postStart hook (`lifecycle.py`).
Sidecars (init containers with `restartPolicy: Always`) restart whatever the pod's policy.
Left out: resources.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

from minik8s.cri.api import ContainerState, CRIError
from minik8s.kubelet import lifecycle
from minik8s.kubelet.container_config import ContainerConfigError, generate_container_config
from minik8s.kubelet.images import go_duration
from minik8s.kubelet.pull_secrets import missing_message, pull_auth

if TYPE_CHECKING:
    from minik8s.kubelet.pod_state import ContainerRecord, PodState
    from minik8s.kubelet.pod_workers import PodWorkers

Obj = dict[str, Any]


def backoff_key(pod: Obj, spec: Obj) -> str:
    """Upstream's `GetStableKey`: pod name, namespace, uid, container name and hash (a changed
    container does not wait out the old one's back-off)."""
    meta = pod["metadata"]
    uid = meta.get("uid", "")
    return f"{meta['name']}_{meta['namespace']}_{uid}_{spec['name']}_{container_hash(spec)}"


pod_full_name = lifecycle.pod_full_name


def start_container(w: PodWorkers, state: PodState, rec: ContainerRecord, spec: Obj) -> str:
    """Try to (re)start a container: `started`, `hold` (its postStart hook holds the sync),
    `wait` (a pull holds it) or `error` (CrashLoopBackOff too: the sync goes on with the next
    container, as upstream's `SyncPod` does)."""
    pod = state.pod
    name = spec["name"]
    current = w.cri_status(rec.previous if rec.resume == rec.current else rec.current)
    if current is not None and current.state == ContainerState.CONTAINER_EXITED:
        if rec.restarting != current.id:
            key = backoff_key(pod, spec)
            if w.backoff.in_backoff_since(key, current.finished_at):
                delay = w.backoff.get(key)
                rec.waiting = (
                    "CrashLoopBackOff",
                    f"back-off {go_duration(delay)} restarting failed container={name} "
                    f"pod={pod_full_name(pod)}",
                )
                w.event(
                    pod,
                    "Warning",
                    "BackOff",
                    f"Back-off restarting failed container {name} in pod {pod_full_name(pod)}",
                    spec,
                )
                w.requeue_after_error(state)  # ErrCrashLoopBackOff fails the sync too
                return "error"  # ErrCrashLoopBackOff: the next containers still start
            w.backoff.next(key, current.finished_at)
            rec.restarting = current.id
    auth, missing = pull_auth(w.client, pod, spec["image"], w.objects)
    if missing:
        w.event(pod, "Warning", "FailedToRetrieveImagePullSecret", missing_message(missing))
    result = w.images.ensure(pod, spec, lambda t, r, m: w.event(pod, t, r, m, spec), auth)
    if result.state == "wait":  # upstream's SyncPod waits for the pull: no status until it ends
        if result.retry_at is not None:
            state.pulling_until = max(state.pulling_until, result.retry_at)
        w.schedule(state, result.retry_at or w.loop.now, background=False)
        return "wait"
    if result.state == "error":
        rec.waiting = (result.reason, result.message)
        w.event(pod, "Warning", "Failed", f"Error: {result.reason}", spec)
        w.requeue_after_error(state)  # ImagePullBackOff too: the next pull waits for its back-off
        return "error"
    try:
        config = generate_container_config(
            w.client,
            pod,
            spec,
            rec.attempt + 1,
            state.volumes or {},
            w.service_env(pod) if w.service_env is not None else None,
            w.objects,
        )
    except ContainerConfigError as err:
        rec.waiting = ("CreateContainerConfigError", str(err))
        w.event(pod, "Warning", "Failed", f"Error: {err}", spec)
        w.requeue_after_error(state)
        return "error"
    assert state.sandbox_config is not None
    try:
        container_id = w.runtime.create_container(state.sandbox_id, config, state.sandbox_config)
    except CRIError as err:
        rec.waiting = ("CreateContainerError", err.message)
        w.event(pod, "Warning", "Failed", f"Error: {err.message}", spec)
        w.requeue_after_error(state)
        return "error"
    w.trace(f"CRI CreateContainer {state.key} {name} attempt={rec.attempt + 1}")
    w.event(pod, "Normal", "Created", f"Created container {name}", spec)
    try:
        w.runtime.start_container(container_id)
    except CRIError as err:
        rec.waiting = ("RunContainerError", err.message)
        w.event(pod, "Warning", "Failed", f"Error: {err.message}", spec)
        w.requeue_after_error(state)
        return "error"
    w.trace(f"CRI StartContainer {state.key} {name}")
    w.event(pod, "Normal", "Started", f"Started container {name}", spec)
    if rec.previous:
        w.remove_container(rec.previous)  # keep one dead container per name, like the GC
    rec.previous, rec.current = rec.current, container_id
    rec.attempt += 1
    rec.spec_hash, rec.hashed = container_hash(spec), spec
    rec.restart_count += 1 if rec.has_run else 0
    rec.has_run, rec.waiting, rec.killing, rec.restarting = True, None, "", ""
    w.probes.container_started(state.uid, pod, spec, container_id)
    lifecycle.post_start(w, state, spec, container_id)
    return "hold" if lifecycle.held(w, state) else "started"


def container_hash(spec: Obj) -> str:
    """A hash of the container spec (`kubecontainer.HashContainer`): a change means restart."""
    return hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:16]


def spec_changed(rec: ContainerRecord, spec: Obj) -> bool:
    """Whether `spec` differs from the one the record's container was started from; hashed
    only when it is not that spec (informer objects are never mutated in place, and a pod
    update that left the container alone brings an equal copy)."""
    if not rec.spec_hash or spec is rec.hashed or spec == rec.hashed:
        return False
    if container_hash(spec) != rec.spec_hash:
        return True
    rec.hashed = spec
    return False


def is_sidecar(spec: Obj) -> bool:
    """A restartable init container (`restartPolicy: Always`, KEP-753 sidecars)."""
    return spec.get("restartPolicy") == "Always"


def should_restart(policy: str, exit_code: int, init: bool) -> bool:
    """Whether an exited container runs again under the pod's restartPolicy."""
    if init:
        return exit_code != 0 and policy != "Never"
    return policy == "Always" or (policy == "OnFailure" and exit_code != 0)
