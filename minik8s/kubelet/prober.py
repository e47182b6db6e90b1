"""Liveness, readiness and startup probes, mirroring `pkg/kubelet/prober` (prober.go,
worker.go, prober_manager.go) and `pkg/probe/{exec,http,tcp}`.

One worker per container and probe type runs on a background timer: first at
`initialDelaySeconds` after the container started (foreground work, so `settle()` sees the
first result), then every `periodSeconds`. A result flips only after `successThreshold`
successes or `failureThreshold` failures in a row. Before a startup probe succeeds, liveness and
readiness do not run. Initial results are upstream's: readiness Failure, liveness Success,
startup Unknown. Each failure records an `Unhealthy` event ("Liveness probe failed: …"). Once a
liveness/startup probe reaches its failure threshold the worker is on hold (`onHold`) until the
next container instance. A container that is not running is not probed: its result is Failure,
silently. A probe that errors (an exec whose binary does not exist) records "Liveness probe
errored: …" and its result is thrown away. Exec commands are `$(VAR)`-expanded with the
container's static `env` (`ExpandContainerCommandOnlyStatic`); a timed-out exec fails with
`command "sleep 5" timed out`. `on_change(uid)` tells the kubelet a result changed.
Left out: gRPC probes, HTTPS, `terminationGracePeriodSeconds` on probes, probe jitter.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from minik8s.cri.api import ContainerState, CRIError
from minik8s.kubelet.expansion import expand_command_only_static

if TYPE_CHECKING:
    from minik8s.sim.loop import EventLoop, Timer

Obj = dict[str, Any]
PROBES = ("startupProbe", "livenessProbe", "readinessProbe")
INITIAL = {"startupProbe": None, "livenessProbe": True, "readinessProbe": False}
SUCCESS, FAILURE = "Success", "Failure"  # `probe.Result`
ERRORED = "Errored"  # the prober returned an error: an event, the result is thrown away
NOT_RUNNING = "NotRunning"  # the container is not running: Failure, not probed
RUNNING = ContainerState.CONTAINER_RUNNING
NAMES = {"startupProbe": "Startup", "livenessProbe": "Liveness", "readinessProbe": "Readiness"}


@dataclass
class ProbeTarget:
    """What a probe needs to reach a container: its id, the pod's IP, the pod's container ids."""

    container_id: str
    pod_ip: str
    pod_container_ids: list[str]
    node_ip: str = ""


class ProbeWorker:
    """Periodic probing of one container with one probe."""

    def __init__(self, manager: ProbeManager, uid: str, pod: Obj, container: Obj, kind: str):
        self.manager = manager
        self.uid = uid
        self.pod = pod
        self.container = container
        self.kind = kind
        self.spec: Obj = container[kind]
        self.result: bool | None = INITIAL[kind]
        self.last: bool | None = None
        self.run_count = 0
        self.on_hold = False
        self.container_id = ""
        self.timer: Timer | None = None

    def __repr__(self) -> str:
        return f"<ProbeWorker {self.kind} {self.container['name']} result={self.result}>"

    def start(self, container_id: str) -> None:
        """A new container instance started: reset and schedule the first probe."""
        self.stop()
        self.container_id = container_id
        self.result, self.last, self.run_count = INITIAL[self.kind], None, 0
        self.on_hold = False
        delay = float(self.spec.get("initialDelaySeconds") or 0)
        self._schedule(delay, background=False)  # the first probe is work `settle()` waits for

    def stop(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _schedule(self, delay: float, background: bool = True) -> None:
        label = f"{NAMES[self.kind].lower()} probe {self.container['name']}"
        loop = self.manager.loop
        self.timer = loop.call_later(  # (a period: probes of one period share a FIFO)
            delay, self._tick, label=label, background=background, fifo=background
        )

    def _tick(self) -> None:
        self.timer = None
        self._schedule(float(self.spec.get("periodSeconds") or 10))
        ok = self._probe()
        if ok is None:  # not probed, or the probe errored: nothing to count
            return
        self.run_count = self.run_count + 1 if ok == self.last else 1
        self.last = ok
        threshold = self.spec.get("successThreshold" if ok else "failureThreshold") or (
            1 if ok else 3
        )
        if self.run_count < threshold:
            return
        if self.kind != "readinessProbe" and not ok:  # `onHold` until the next container
            self.on_hold, self.run_count = True, 0
        if self.result != ok:
            self.result = ok
            self.manager.on_change(self.uid)

    def _probe(self) -> bool | None:
        """Probe once if it is time to (`doProbe` → `prober.probe`): the result, or None."""
        if self.on_hold:
            return None
        if self.kind != "startupProbe" and not self.manager.started(self.uid, self.container):
            return None
        if self.kind == "startupProbe" and self.result:
            return None
        target = self.manager.target(self.uid, self.container["name"])
        if target is None or target.container_id != self.container_id:
            return None
        result, output = self.manager.run_probe(self.spec, self.container, target)
        if result == NOT_RUNNING:  # "Non-running container probed": Failure, no event
            self._not_running()
            return None
        if result != SUCCESS:
            verb = "errored" if result == ERRORED else "failed"  # errored: result thrown away
            message = f"{NAMES[self.kind]} probe {verb}: {output}"
            self.manager.event(self.pod, "Warning", "Unhealthy", message, self.container)
        return None if result == ERRORED else result == SUCCESS

    def _not_running(self) -> None:
        if self.result is not False:
            self.result = False
            self.manager.on_change(self.uid)
        if self.pod.get("spec", {}).get("restartPolicy") == "Never":
            self.stop()  # it will not be restarted: the worker exits


class ProbeManager:
    """Probe workers of every pod on the node, and their latest results."""

    def __init__(
        self,
        loop: EventLoop,
        run_probe: Callable[[Obj, Obj, ProbeTarget], tuple[str, str]],
        target: Callable[[str, str], ProbeTarget | None],
        event: Callable[[Obj, str, str, str, Obj], None],
        on_change: Callable[[str], None],
    ):
        self.loop = loop
        self.run_probe = run_probe
        self.target = target
        self.event = event
        self.on_change = on_change
        self.workers: dict[tuple[str, str, str], ProbeWorker] = {}
        self.by_pod: dict[str, list[tuple[str, str, str]]] = {}  # uid → its workers' keys

    def __repr__(self) -> str:
        return f"<ProbeManager workers={len(self.workers)}>"

    def container_started(self, uid: str, pod: Obj, container: Obj, container_id: str) -> None:
        """Start (or restart) the probe workers of a container instance."""
        for kind in PROBES:
            if not container.get(kind):
                continue
            key = (uid, container["name"], kind)
            worker = self.workers.get(key)
            if worker is None:
                worker = self.workers[key] = ProbeWorker(self, uid, pod, container, kind)
                self.by_pod.setdefault(uid, []).append(key)
            worker.start(container_id)

    def stop_liveness_and_startup(self, uid: str) -> None:
        """`StopLivenessAndStartup` (+ worker.go on deletion): those workers stop and report
        Success; readiness keeps probing until the containers are stopped (`remove_pod`)."""
        for key in self.by_pod.get(uid, []):
            if key[2] != "readinessProbe":
                worker = self.workers[key]
                worker.stop()
                worker.result = True

    def remove_pod(self, uid: str) -> None:
        """Stop every worker of the pod."""
        for key in self.by_pod.pop(uid, []):
            self.workers.pop(key).stop()

    def _result(self, uid: str, name: str, kind: str) -> bool | None:
        worker = self.workers.get((uid, name, kind))
        return INITIAL[kind] if worker is None else worker.result

    def started(self, uid: str, container: Obj) -> bool:
        """Whether the startup probe (if any) succeeded."""
        if not container.get("startupProbe"):
            return True
        return bool(self._result(uid, container["name"], "startupProbe"))

    def ready(self, uid: str, container: Obj) -> bool:
        """The readiness result (True without a readiness probe once started)."""
        if not self.started(uid, container):
            return False
        if not container.get("readinessProbe"):
            return True
        return bool(self._result(uid, container["name"], "readinessProbe"))

    def failed(self, uid: str, container: Obj) -> str:
        """ "liveness" or "startup" when that probe says to restart the container, else ""."""
        if (
            container.get("startupProbe")
            and self._result(uid, container["name"], "startupProbe") is False
        ):
            return "startup"
        if (
            container.get("livenessProbe")
            and self._result(uid, container["name"], "livenessProbe") is False
        ):
            return "liveness"
        return ""


def resolve_port(port: Any, container: Obj) -> int | None:
    """A probe's port: a number, or the name of one of the container's ports."""
    if isinstance(port, int) or (isinstance(port, str) and port.isdigit()):
        return int(port)
    for p in container.get("ports") or []:
        if p.get("name") == port:
            return int(p["containerPort"])
    return None


def go_quote(text: str) -> str:
    """Go's `%q` of a string (as `json.dumps`, keeping non-ASCII characters)."""
    return json.dumps(text, ensure_ascii=False)


def run_probe(runtime: Any, spec: Obj, container: Obj, target: ProbeTarget) -> tuple[str, str]:
    """Run one probe (`prober.runProbe`): (SUCCESS, FAILURE, ERRORED or NOT_RUNNING, output);
    for ERRORED the output is the error."""
    try:
        running = runtime.container_status(target.container_id).state == RUNNING
    except CRIError:
        running = False
    if not running:
        return NOT_RUNNING, ""
    timeout = float(spec.get("timeoutSeconds") or 1)
    if "exec" in spec:
        command = expand_command_only_static(
            list(spec["exec"].get("command") or []), container.get("env") or []
        )
        try:
            stdout, stderr, code = runtime.exec_sync(target.container_id, command, timeout)
        except CRIError as err:
            if err.code == "DeadlineExceeded":  # remote_runtime.go `ExecSync`, exec.go Probe
                return FAILURE, f"command {go_quote(' '.join(command))} timed out"
            return ERRORED, f"rpc error: code = {err.code} desc = {err.message}"
        return (SUCCESS if code == 0 else FAILURE), stdout + stderr
    action = spec.get("httpGet") or spec.get("tcpSocket")
    if action is None:
        return SUCCESS, ""
    port = resolve_port(action.get("port"), container)
    host = action.get("host") or target.pod_ip
    address = f"{host}:{port}"
    refused = f"dial tcp {address}: connect: connection refused"
    if "tcpSocket" in spec:
        ok = any(runtime.tcp_open(cid, port) for cid in target.pod_container_ids)
        return (SUCCESS, "") if ok else (FAILURE, refused)
    path = action.get("path") or "/"
    headers = {h["name"]: h["value"] for h in action.get("httpHeaders") or []}
    headers.setdefault("User-Agent", "kube-probe/1.31")
    for cid in target.pod_container_ids:
        answer = runtime.handle_http(cid, port, "GET", path, headers, client_ip=target.node_ip)
        if answer is not None:
            status = answer[0]
            if 200 <= status < 400:
                return SUCCESS, ""
            return FAILURE, f"HTTP probe failed with statuscode: {status}"
    return FAILURE, f'Get "http://{address}{path}": {refused}'
