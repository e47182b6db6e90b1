"""Per-pod sync, mirroring `pkg/kubelet/pod_workers.go` + `kubelet.go` (`SyncPod`,
`SyncTerminatingPod`) + `kuberuntime_manager.go` (`computePodActions`, `SyncPod`).

Level-based: whenever something about a pod changes (its spec, a container event, a probe
result, a timer the sync itself asked for) the pod is queued and `sync` compares what should run
with what runs: volumes, sandbox + network, init containers one at a time, then the containers;
liveness/startup failures kill a container so it restarts; a terminal phase stops the sandbox;
graceful deletion stops containers with the grace period (sidecars last, readiness still
probed), then deletes the pod with grace 0; past `activeDeadlineSeconds` the pod is Failed
(`DeadlineExceeded`) and its containers are stopped the same way. A sync writes the status as
it begins (`SyncPod`: what the runtime shows, with the reasons the last sync's container starts
failed for, upstream's `reasonCache`), so what it starts shows with the next sync, which the
runtime's events bring (PLEG); a crashed container shows `Error` before `CrashLoopBackOff`. A
failed sync (CrashLoopBackOff and ImagePullBackOff too) is retried 10 s later (`completeWork`);
what comes in while a hook or a pull holds a sync is synced once it ends. A stopped pod's last
write has the sandbox down. Status goes to the API server through `update_status`, only when
it changed.
Left out: admission (resources, node affinity), static pods, pod resize, in-place updates of
container specs (a changed image is not rolled), the housekeeping of orphaned pods.
A new pod's intake is in `pod_additions.py`, termination in `pod_termination.py`. Each sync of a
running pod registers it with the ConfigMap/Secret managers (`object_manager.py`, as `SyncPod`
does), and the end of its termination unregisters it (`SyncTerminatedPod`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from minik8s.api.errors import StatusError
from minik8s.cri.api import ContainerStatus, CRIError
from minik8s.kubelet import admission, lifecycle, pod_additions, pod_termination, sandbox, sync_pod
from minik8s.kubelet.backoff import RETRY_AFTER_ERROR, Backoff
from minik8s.kubelet.dns import Configurer
from minik8s.kubelet.images import ImageManager
from minik8s.kubelet.object_manager import ObjectManagers
from minik8s.kubelet.pod_state import ContainerRecord, PodState
from minik8s.kubelet.pod_termination import MINIMUM_GRACE_PERIOD
from minik8s.kubelet.prober import ProbeManager, ProbeTarget, run_probe
from minik8s.kubelet.ref import container_field_path
from minik8s.kubelet.sandbox import FakeIPAM
from minik8s.kubelet.status import TERMINAL, generate_pod_status
from minik8s.kubelet.status_manager import StatusManager
from minik8s.kubelet.volume_refresh import (
    mounted_files,
    pod_updated,
    referenced_objects_changed,
    start_refresh,
    stop_refresh,
)
from minik8s.kubelet.volumes import (
    VolumeSetupError,
    VolumeStores,
    mount_failed,
    release_volumes,
    volume_files,
)

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.client.record import EventRecorder
    from minik8s.kubelet.config import KubeletConfiguration
    from minik8s.sim.loop import EventLoop

__all__ = ["MINIMUM_GRACE_PERIOD", "PodWorkers"]

Obj = dict[str, Any]


class PodWorkers:
    """The pods this kubelet runs and the machinery that syncs them."""

    def __init__(
        self,
        client: Client,
        runtime: Any,
        network: Any,
        loop: EventLoop,
        recorder: EventRecorder,
        node_ip: str,
        ipam: FakeIPAM,
        tracer: Any = None,
        name: str = "kubelet",
        stores: VolumeStores | None = None,
        get_node: Callable[[], Obj | None] | None = None,
        config: KubeletConfiguration | None = None,
        service_env: Callable[[Obj], Mapping[str, str]] | None = None,
    ):
        self.client = client
        self.service_env = service_env  # a pod's service variables; None: LIST them (`envvars`)
        self.runtime = runtime
        self.network = network
        self.loop = loop
        self.recorder = recorder
        self.node_ip = node_ip
        self.ipam = ipam
        self.states: dict[str, PodState] = {}
        self.sandboxes: dict[str, str] = {}  # sandbox id → pod uid
        self.backoff = Backoff(lambda: loop.now)
        self.images = ImageManager(runtime, Backoff(lambda: loop.now), lambda: loop.now)
        self.probes = ProbeManager(
            loop,
            lambda spec, c, t: run_probe(runtime, spec, c, t),
            self.probe_target,
            self.event,
            self.queue,
        )
        self.status_manager = StatusManager(client, loop)
        self.objects = ObjectManagers(client)  # the configmap and secret managers
        self.objects.on_change(partial(referenced_objects_changed, self))
        self._queued: set[str] = set()
        self.stopped = False
        self.tracer = tracer
        self.name = name
        self.stores = stores or VolumeStores()
        self.get_node = get_node
        node = name.rpartition("/")[2]  # upstream's node reference: the name is also the uid
        node_ref = {"kind": "Node", "apiVersion": "v1", "metadata": {"name": node, "uid": node}}
        # the pods' DNS (kubeadm's --cluster-dns 10.96.0.10, --cluster-domain cluster.local)
        settings = () if config is None else config.dns_settings()  # None: kubeadm's
        self.dns = Configurer(self.event, node_ref, [node_ip], *settings)

    def __repr__(self) -> str:
        return f"<PodWorkers pods={len(self.states)}>"

    # -- plumbing ----------------------------------------------------------------------------------
    def event(
        self, pod: Obj, event_type: str, reason: str, message: str, container: Obj | None = None
    ) -> None:
        """Record an event about the pod, or about one of its containers (`recordContainerEvent`:
        the reference's fieldPath names it, `ref.py`)."""
        if not self.stopped:
            path = container_field_path(pod, container) if container is not None else ""
            self.recorder.event(pod, event_type, reason, message, path)

    def trace(self, text: str) -> None:
        """A line in the cluster trace (`Cluster.trace()`), if tracing."""
        if self.tracer is not None and self.tracer.enabled:
            self.tracer.emit(self.name, text)

    def queue(self, uid: str) -> None:
        """Sync the pod at this instant once nothing else is due (once, however often it is
        asked): a pod worker, like a controller's worker, runs after the watch events of the
        instant, so the kube-root-ca.crt ConfigMap a new namespace gets is there for the pod
        created with it, as in a real cluster where the kubelet hears of the pod last."""
        if uid not in self._queued and not self.stopped:
            self._queued.add(uid)
            self.loop.call_idle(self.sync, uid, label="kubelet syncPod")

    def schedule(self, state: PodState, when: float, background: bool) -> None:
        """Sync the pod again at virtual time `when`."""
        timer = state.timers.get(when)
        if timer is not None and timer.state == "pending":
            return
        state.timers = {t: tm for t, tm in state.timers.items() if tm.state == "pending"}
        state.timers[when] = self.loop.call_at(
            when, self._resync, state, when, background=background, label="kubelet resync"
        )

    def _resync(self, state: PodState, when: float) -> None:
        state.timers.pop(when, None)  # a timer that ran is not kept (one per pod otherwise)
        self.queue(state.uid)

    def cri_status(self, container_id: str) -> ContainerStatus | None:
        """The runtime's status of a container, None if it has none."""
        if not container_id:
            return None
        try:
            return self.runtime.container_status(container_id)
        except CRIError:
            return None

    def remove_container(self, container_id: str) -> None:
        try:
            self.runtime.remove_container(container_id)
        except CRIError:
            pass

    def probe_target(self, uid: str, name: str) -> ProbeTarget | None:
        """Where to probe container `name`; None while unknown: no such container, or the
        status manager has not seen it yet (a postStart hook holds the sync)."""
        state = self.states.get(uid)
        if state is None or name not in state.records or self.loop.now < state.busy_until:
            return None
        ids = [r.current for r in state.records.values() if r.current]
        return ProbeTarget(state.records[name].current, state.ip, ids, self.node_ip)

    # -- pods coming and going ---------------------------------------------------------------------
    def update(self, pod: Obj, sync: bool = True) -> None:
        """The API object changed (or appeared); `sync=False` when only its status changed."""
        uid = pod["metadata"].get("uid", "")
        state = self.states.get(uid)
        if state is None:
            state = self.states[uid] = PodState(uid, pod)
            self._remember(state)
            self._admit(state)
            sync = True
        old, state.pod = state.pod, pod
        if old is not pod:
            pod_updated(self, state, old)
        if sync:
            self.queue(uid)

    def _remember(self, state: PodState) -> None:
        """Take over what the API says already happened (after a kubelet restart)."""
        pod_additions.remember(state, self.loop)

    def _admit(self, state: PodState) -> None:
        """Reject a pod that does not fit the node (`canAdmitPod`)."""
        pod_additions.admit(self, state)

    def delete(self, pod: Obj) -> None:
        """The API object is gone."""
        state = self.states.get(pod["metadata"].get("uid", ""))
        if state is not None:
            state.deleted = True
            self.queue(state.uid)

    # -- the sync ----------------------------------------------------------------------------------
    def sync(self, uid: str) -> None:
        """Report the pod's status and bring its containers in line with its spec."""
        self._queued.discard(uid)
        state = self.states.get(uid)
        if state is None or self.stopped:
            return
        self.trace(f"syncPod {state.key}")
        if state.deleted or state.pod["metadata"].get("deletionTimestamp"):
            self._terminate(state)
        elif not state.finished and sync_pod.past_active_deadline(self, state):
            self._terminate(state)  # Failed at once; its containers are stopped with grace
        elif not state.finished:
            if lifecycle.held(self, state):
                state.pending = True  # upstream keeps the update for when the worker is free
                return  # the sync a hook or a pull holds goes on (`SyncPod` is still running)
            if self._sync_running(state):
                return
        status = self._write_status(state)
        if state.terminating and self._all_stopped(state):
            self._finish_termination(state)
        elif state.terminating:
            return  # containers still stopping (with their grace period)
        elif not state.finished and status is not None and status["phase"] in TERMINAL:
            # two writes, as upstream: the terminal phase (SyncPod), then the stopped sandbox
            # (SyncTerminatingPod) — watchers and the course see both versions
            state.finished = True
            sandbox.teardown_sandbox(self, state)
            self._release(state)  # a terminal pod's volumes are unmounted at once
            self._write_status(state)

    def _sync_running(self, state: PodState) -> bool:
        """`SyncPod`: write the status as it begins (what the runtime shows, with the reasons the
        last sync's container starts failed for), then start what should run; False when the
        status says the pod is terminal (`SyncTerminatingPod` follows). The changes this sync
        makes reach the API server with the next sync, which the runtime's events bring; a
        failed sync is retried after the pod worker's back-off (`requeue_after_error`)."""
        self.objects.register_pod(state.pod)  # SyncPod: termination not requested
        resumes = sync_pod.resumes(self, state)
        if state.continuing or resumes:
            status = self._pod_status(state)  # the held sync goes on: it wrote as it began
        else:
            status = self._write_status(state)
        state.continuing = False
        if status is not None and status["phase"] in TERMINAL:
            return False
        requeue = state.requeue
        sync_pod.sync_running(self, state)
        if resumes:
            sync_pod.resumed(state)
        if lifecycle.held(self, state):
            state.continuing, state.pending = True, state.pending or resumes
            return True  # no status while a hook or a pull holds the sync
        if requeue is not None and state.requeue is requeue:  # no error this time: upstream
            requeue.cancel()  # requeues at the resync interval instead (left out)
            state.requeue = None
        if state.pending or resumes:  # what came in meanwhile (the killed container's exit
            state.pending = False  # too: PLEG sees it once the sync is done) is synced now
            self.queue(state.uid)
        return True

    def requeue_after_error(self, state: PodState, delay: float = RETRY_AFTER_ERROR) -> None:
        """`completeWork` after a failed sync (a container in CrashLoopBackOff or
        ImagePullBackOff counts too, as upstream's `SyncPod` returns their error): the pod is
        synced again after `backOffPeriod` (10 s; 1 s when the network is not ready; upstream
        adds up to 50 % jitter), replacing the retry already due (its work queue)."""
        if state.requeue is not None:
            state.requeue.cancel()
        state.requeue = self.loop.call_at(
            self.loop.now + delay,
            self._requeued,
            state,
            background=True,
            label="kubelet resync",
        )

    def _requeued(self, state: PodState) -> None:
        state.requeue = None
        self.queue(state.uid)

    def _cancel_timers(self, state: PodState) -> None:
        pod_termination.cancel_timers(state)

    def ensure_volumes(self, state: PodState) -> bool:
        if state.volumes is not None:
            return True
        volumes = {}
        for volume in state.pod.get("spec", {}).get("volumes") or []:
            try:
                files = volume_files(self.client, state.pod, volume, self.stores, self.objects)
            except VolumeSetupError as err:
                mount_failed(self, state, err)  # FailedMount event and retry (volumes.py)
                return False
            volumes[volume["name"]] = mounted_files(self, state.pod, volume, files)
        state.volumes = dict(volumes)
        start_refresh(self, state)
        return True

    # -- termination -------------------------------------------------------------------------------
    def running(self, state: PodState) -> list[tuple[ContainerRecord, ContainerStatus]]:
        """The pod's running containers with their runtime status."""
        return pod_termination.running(self, state)

    def _all_stopped(self, state: PodState) -> bool:
        return not self.running(state)

    def _terminate(self, state: PodState) -> None:
        """`SyncTerminatingPod`: stop liveness/startup probing (readiness goes on until the
        containers are stopped), kill the containers; sidecars wait for their turn."""
        pod_termination.terminate(self, state)

    def _finish_termination(self, state: PodState) -> None:
        self.probes.remove_pod(state.uid)  # containers stopped: readiness probing ends too
        if not state.finished:
            state.finished = True
            sandbox.teardown_sandbox(self, state)
            self._write_status(state)  # the stopped sandbox, as `SyncTerminatingPod` writes it
        self._release(state)  # containers stopped: unmount before the pod object goes
        if state.deleted:
            self.forget(state.uid)
            return
        meta = state.pod["metadata"]
        if not meta.get("deletionTimestamp"):
            return  # terminal, not deleted (an active deadline): the pod object stays
        self.trace(f"delete pod {state.key} (grace 0)")
        try:
            self.client.delete(
                "pods",
                meta["name"],
                meta["namespace"],
                grace_period_seconds=0,
                preconditions={"uid": state.uid},
            )
        except StatusError:
            pass

    def _release(self, state: PodState) -> None:
        """`SyncTerminatedPod`: unmount the pod's volumes, unregister it from the configmap and
        secret managers (their watches stop with the last pod that references them)."""
        stop_refresh(self, state)
        release_volumes(self, state)
        self.objects.unregister_pod(state.pod)

    def forget(self, uid: str) -> None:
        """Drop everything about a pod that is gone (its containers too)."""
        state = self.states.get(uid)
        if state is not None:
            self.objects.unregister_pod(state.pod)
        pod_termination.forget(self, uid)

    # -- status ------------------------------------------------------------------------------------
    def _pod_status(self, state: PodState) -> Obj | None:
        """The status to report now; None once the pod is gone."""
        if state.deleted:
            return None
        if state.frozen:
            return state.pod.get("status", {})
        if state.rejected is not None:
            reason, message = state.rejected
            return admission.rejected_status(state.pod, reason, message, state.start_time)
        return generate_pod_status(state, self.runtime, self.probes, self.loop, self.node_ip)

    def _write_status(self, state: PodState, status: Obj | None = None) -> Obj | None:
        """Hand the pod's status (`status`, or the one now) to the status manager (which
        writes only a change)."""
        status = self._pod_status(state) if status is None else status
        if status is None or state.frozen:
            return status
        if self.status_manager.set_pod_status(state.pod, status):
            self.trace(f"update status {state.key}: {status['phase']}")
        return status

    def stop(self) -> None:
        """Power loss: forget everything, write nothing."""
        self.stopped = True
        for state in self.states.values():
            stop_refresh(self, state)
            self._cancel_timers(state)
            self.probes.remove_pod(state.uid)
        self.states.clear()
        self.objects.stop()
