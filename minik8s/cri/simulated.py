"""The default container runtime: containers simulated in virtual time (a containerd stand-in).

Implements `RuntimeService` and `ImageService` (minik8s.cri.api) on the event loop. Any image
runs; what it does comes from its argv (the container's command/args merged with the image's
ENTRYPOINT/CMD, as containerd does) and `catalog`: `sh -c` scripts and plain commands run in the
simulated shell (sleeps take virtual time, output goes to the log, the exit code is the shell's);
a shell image without a command exits 0 at once; web servers answer `handle_http`; anything else
runs until stopped. On stop, servers exit 0 at SIGTERM; scripts (a shell as PID 1 ignores
SIGTERM) are killed with SIGKILL after the timeout (exit 137). `power_off()` kills everything
silently, like a node losing power.
`stress --vm-bytes N` above the memory limit is OOMKilled. A container's env is layered (what
its process sets → the config's env, shared among containers → the image's), so 150,000
containers do not each copy their namespace's service variables.
Left out: cgroups/CPU, namespaces, images' layers, logs on disk.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Generator, MutableMapping
from typing import TYPE_CHECKING

from minik8s.cri import catalog, webservers
from minik8s.cri.api import (
    ContainerConfig,
    ContainerEventType,
    ContainerFilter,
    ContainerState,
    ContainerStatus,
    CRIError,
    ExecSyncResponse,
    PodSandboxConfig,
    PodSandboxState,
    matches_labels,
)
from minik8s.cri.behaviour import classify, env_mapping, memory_limit, resolve_argv, stress_bytes
from minik8s.cri.filesystem import FileSystem
from minik8s.cri.records import RuntimeRecords
from minik8s.cri.sandbox import SimContainer
from minik8s.cri.shell import Context, exec_not_found, is_executable, run_argv, run_to_end
from minik8s.cri.simulated_images import SimulatedImageService

if TYPE_CHECKING:
    from minik8s.sim.loop import EventLoop

SIGKILL_EXIT = 137
OOM_AFTER = 1.0  # virtual seconds a memory hog runs before the OOM killer stops it


class SimulatedRuntime(RuntimeRecords, SimulatedImageService):
    """A CRI runtime whose containers live on the virtual clock `loop`."""

    runtime_name = "sim"

    def __init__(self, loop: EventLoop, node_name: str = ""):
        self.loop = loop
        self.node_name = node_name
        self._init_records()
        self.containers: dict[str, SimContainer] = {}
        self.by_sandbox: dict[str, dict[str, SimContainer]] = {}  # sandbox id → its containers
        self.resolve: Callable[[str, str], tuple[str, bool]] | None = None  # DNS, for nslookup
        super().__init__()

    def __repr__(self) -> str:
        running = sum(c.state == ContainerState.CONTAINER_RUNNING for c in self.containers.values())
        return f"<SimulatedRuntime {self.node_name or '-'} containers={running} running>"

    def _container(self, container_id: str) -> SimContainer:
        if container_id not in self.containers:
            raise CRIError(
                "NotFound",
                f'an error occurred when try to find container "{container_id}": not found',
            )
        return self.containers[container_id]

    # -- RuntimeService: sandboxes -----------------------------------------------------------------
    def stop_pod_sandbox(self, pod_sandbox_id: str) -> None:
        """Kill the sandbox's containers at once and mark it NOTREADY."""
        sandbox = self.sandboxes.get(pod_sandbox_id)
        if sandbox is None:
            return
        for container in self._in_sandbox(pod_sandbox_id):
            if container.state == ContainerState.CONTAINER_RUNNING:
                self._exit(container, SIGKILL_EXIT)
        sandbox.state = PodSandboxState.SANDBOX_NOTREADY

    def remove_pod_sandbox(self, pod_sandbox_id: str) -> None:
        """Remove a sandbox and its containers."""
        self.stop_pod_sandbox(pod_sandbox_id)
        for container in self._in_sandbox(pod_sandbox_id):
            self.remove_container(container.id)
        self.sandboxes.pop(pod_sandbox_id, None)
        self.by_sandbox.pop(pod_sandbox_id, None)

    def _in_sandbox(self, pod_sandbox_id: str) -> list[SimContainer]:
        return list(self.by_sandbox.get(pod_sandbox_id, {}).values())

    # -- RuntimeService: containers ----------------------------------------------------------------
    def create_container(
        self, pod_sandbox_id: str, config: ContainerConfig, sandbox_config: PodSandboxConfig
    ) -> str:
        """Create a container (not started) from `config` in the sandbox."""
        sandbox = self.sandboxes.get(pod_sandbox_id)
        if sandbox is None or sandbox.state != PodSandboxState.SANDBOX_READY:
            raise CRIError(
                "Unknown",
                f'failed to create containerd container: sandbox "{pod_sandbox_id}" is not ready',
            )
        image = config.image.image
        entry = catalog.lookup(image)
        container = SimContainer(self._new_id(config.metadata.name), pod_sandbox_id, config)
        container.created_at = self.loop.now
        container.image_name = catalog.parse_image(image).name
        container.image_ref = catalog.image_ref(image)
        container.argv = resolve_argv(config, entry)
        container.behaviour = classify(container.argv, entry, config)
        container.version = catalog.version_of(image, entry.env.get("NGINX_VERSION", "2.4.62"))
        hostname = sandbox.config.hostname or sandbox.config.metadata.name
        image_env = {"PATH": catalog.PATH, "HOSTNAME": hostname, **entry.env}
        # the config's env over the image's; what the process sets goes to the first layer
        container.env = ChainMap({}, env_mapping(config.envs), image_env)
        container.files = FileSystem({"/etc/hostname": hostname + "\n"})
        container.files.mount("/etc/resolv.conf", sandbox.resolv_conf)  # the pod's, shared
        container.files.update(webservers.default_files(entry.behaviour))
        for mount in config.mounts:
            container.files.mount(mount.container_path, mount.files)
        self.containers[container.id] = container
        self.by_sandbox.setdefault(pod_sandbox_id, {})[container.id] = container
        self._emit(container, ContainerEventType.CONTAINER_CREATED_EVENT)
        return container.id

    def start_container(self, container_id: str) -> None:
        """Start a created container: its process begins in virtual time now."""
        container = self._container(container_id)
        if container.state != ContainerState.CONTAINER_CREATED:
            raise CRIError("Unknown", f"cannot start a container in state {container.state.name}")
        container.state = ContainerState.CONTAINER_RUNNING
        container.started_at = self.loop.now
        self._emit(container, ContainerEventType.CONTAINER_STARTED_EVENT)
        if container.behaviour == "web":
            stamp = self.loop.datetime().strftime("%Y/%m/%d %H:%M:%S")
            entry = catalog.lookup(container.config.image.image)
            for line in webservers.startup(
                entry.behaviour, container.argv, container.version, stamp
            ):
                container.log("stdout", line + "\n", self.loop.now)
        elif container.behaviour == "exit0":
            self._exit(container, 0)
        elif container.behaviour == "stress":
            limit = memory_limit(container.config)
            if limit and stress_bytes(container.argv) > limit:
                container.timer = self.loop.call_later(
                    OOM_AFTER, self._exit, container, SIGKILL_EXIT, "OOMKilled", background=True
                )
        elif container.behaviour == "script":
            container.script = run_argv(container.argv, self._context(container, container.env))
            self._advance(container)

    def _context(self, container: SimContainer, env: MutableMapping[str, str]) -> Context:
        return Context(
            env=env,
            files=container.files,
            write=lambda stream, text: container.log(stream, text, self.loop.now),
            date=lambda: self.loop.datetime().strftime("%a %b %e %H:%M:%S UTC %Y"),
            resolve=self.resolve,
        )

    def _advance(self, container: SimContainer) -> None:
        container.timer = None
        if container.script is None or container.state != ContainerState.CONTAINER_RUNNING:
            return
        try:
            delay = next(container.script)
        except StopIteration as stop:
            self._exit(container, int(stop.value or 0))
            return
        container.timer = self.loop.call_later(
            delay, self._advance, container, background=True, label=f"container {container.name}"
        )

    def _exit(
        self, container: SimContainer, code: int, reason: str = "", *, silent: bool = False
    ) -> None:
        if container.state == ContainerState.CONTAINER_EXITED:
            return
        for timer in (container.timer, container.kill_timer):
            if timer is not None:
                timer.cancel()
        if isinstance(container.script, Generator):
            container.script.close()
        container.script = None
        if container.state == ContainerState.CONTAINER_CREATED:
            container.started_at = 0.0
        container.state = ContainerState.CONTAINER_EXITED
        container.finished_at = self.loop.now
        container.exit_code = code
        container.reason = reason or ("Completed" if code == 0 else "Error")
        if not silent:
            self._emit(container, ContainerEventType.CONTAINER_STOPPED_EVENT)

    def stop_container(self, container_id: str, timeout: float) -> None:
        """SIGTERM now; SIGKILL (exit 137) after `timeout` if the process ignores SIGTERM."""
        container = self._container(container_id)
        if container.state != ContainerState.CONTAINER_RUNNING or container.kill_timer:
            if container.state == ContainerState.CONTAINER_CREATED:
                self._exit(container, 0)
            return
        if container.behaviour != "script":
            self._exit(container, 0)
        elif timeout <= 0:
            self._exit(container, SIGKILL_EXIT)
        else:
            container.kill_timer = self.loop.call_later(
                timeout, self._exit, container, SIGKILL_EXIT, label=f"SIGKILL {container.name}"
            )

    def remove_container(self, container_id: str) -> None:
        """Remove a container (killing it if it still runs)."""
        container = self.containers.get(container_id)
        if container is None:
            return
        self._exit(container, SIGKILL_EXIT, silent=True)
        del self.containers[container_id]
        self.by_sandbox.get(container.sandbox_id, {}).pop(container_id, None)
        self._emit(container, ContainerEventType.CONTAINER_DELETED_EVENT)

    def list_containers(self, filter: ContainerFilter | None = None):
        """Containers matching `filter` (by id or sandbox from the indexes, not a scan)."""
        if filter is None:
            return [c.summary() for c in self.containers.values()]
        if filter.id:
            found = self.containers.get(filter.id)
            candidates = [found] if found is not None else []
        elif filter.pod_sandbox_id:
            candidates = self._in_sandbox(filter.pod_sandbox_id)
        else:
            candidates = list(self.containers.values())
        return [
            c.summary()
            for c in candidates
            if (filter.state is None or c.state == filter.state)
            and (not filter.pod_sandbox_id or c.sandbox_id == filter.pod_sandbox_id)
            and matches_labels(c.config.labels, filter.label_selector)
        ]

    def container_status(self, container_id: str) -> ContainerStatus:
        """The container's state, times, exit code and reason."""
        return self._container(container_id).status()

    def exec_sync(self, container_id: str, cmd: list[str], timeout: float = 0) -> ExecSyncResponse:
        """Run `cmd` in the container's env and filesystem; sleeps count against `timeout`."""
        container = self._container(container_id)
        if container.state != ContainerState.CONTAINER_RUNNING:
            raise CRIError("Unknown", f"container {container_id} is not running")
        if not is_executable(cmd):  # runc cannot start the process: an error, not an exit code
            raise CRIError("Unknown", exec_not_found(container_id, cmd))
        out: list[str] = []
        err: list[str] = []
        ctx = self._context(container, dict(container.env))
        ctx.write = lambda stream, text: (out if stream == "stdout" else err).append(text)
        code, slept, timed_out = run_to_end(run_argv(cmd, ctx), timeout)
        if timed_out:
            raise CRIError("DeadlineExceeded", f"command {cmd!r} timed out")
        return ExecSyncResponse("".join(out), "".join(err), code, slept)

    def read_logs(self, container_id: str) -> str:
        """The container's stdout and stderr, interleaved in order."""
        return "".join(text for _, _, text in self._container(container_id).logs)

    # -- the network side (used by probes, kube-proxy's simulated network) -------------------------
    def handle_http(
        self,
        container_id: str,
        port: int,
        method: str = "GET",
        path: str = "/",
        headers: dict[str, str] | None = None,
        *,
        client_ip: str = "",
    ) -> tuple[int, dict[str, str], str] | None:
        """Send an HTTP request to a port of the container; None when nothing listens there."""
        container = self.containers.get(container_id)
        if container is None or container.state != ContainerState.CONTAINER_RUNNING:
            return None
        if container.behaviour != "web":
            return None
        entry = catalog.lookup(container.config.image.image)
        env = ChainMap({"__NOW__": self.loop.datetime().isoformat()}, container.env)
        log_time = self.loop.datetime().strftime("%d/%b/%Y:%H:%M:%S +0000")
        request = (port, method, path, headers or {})
        answer = webservers.serve(
            entry.behaviour,
            container.argv,
            env,
            container.files,
            request,
            container.version,
            log_time,
            client_ip,
        )
        if answer is None:
            return None
        status, head, body, line = answer
        if line:
            container.log("stdout", line + "\n", self.loop.now)
        return status, head, body

    def http_to_ip(
        self,
        ip: str,
        port: int,
        method: str = "GET",
        path: str = "/",
        headers: dict[str, str] | None = None,
        *,
        client_ip: str = "",
    ) -> tuple[int, dict[str, str], str] | None:
        """A request to a pod IP: the containers of the ready sandbox holding `ip` share its
        network namespace, so whichever listens on `port` answers; None if none does."""
        for sandbox in self.sandboxes.values():
            if sandbox.ip != ip or sandbox.state != PodSandboxState.SANDBOX_READY:
                continue
            for container in self._in_sandbox(sandbox.id):
                answer = self.handle_http(
                    container.id, port, method, path, headers, client_ip=client_ip
                )
                if answer is not None:
                    return answer
        return None

    def tcp_open(self, container_id: str, port: int) -> bool:
        """Whether the container accepts TCP connections on `port`."""
        container = self.containers.get(container_id)
        if container is None or container.state != ContainerState.CONTAINER_RUNNING:
            return False
        entry = catalog.lookup(container.config.image.image)
        return container.behaviour == "web" and port in webservers.ports(
            entry.behaviour, container.argv
        )

    def power_off(self) -> None:
        """Node power loss: every container dies at once, nobody is told."""
        for container in self.containers.values():
            self._exit(container, 255, silent=True)
            container.reason = "Unknown"
        for sandbox in self.sandboxes.values():
            sandbox.state = PodSandboxState.SANDBOX_NOTREADY
