"""A second CRI runtime that runs containers as real local processes (POSIX only).

It proves the CRI in `api.py` is a real seam: the same kubelet drives it unchanged. Each
container is one `subprocess.Popen` of its command + args (images are not pulled or unpacked:
the command must exist on the host), started in its own session, with the container's env,
its output appended to a log file, and its working directory a per-container directory where
mounts are written as files (`<dir>/<mountPath>/…`). A background timer polls for exits every
`poll_interval` virtual seconds and sends CONTAINER_STOPPED_EVENTs. `stop_container` sends
SIGTERM, then SIGKILL after the timeout; exit codes of signalled processes are 128 + signal, as
shells and runtimes report them.
Left out: namespaces, cgroups, images, chroot (absolute paths are the host's), IPs (the kubelet's
IPAM hands them out; servers are reached on 127.0.0.1).
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from minik8s.cri.api import (
    AuthConfig,
    Container,
    ContainerConfig,
    ContainerEventType,
    ContainerFilter,
    ContainerState,
    ContainerStatus,
    CRIError,
    ExecSyncResponse,
    Image,
    ImageSpec,
    PodSandboxConfig,
    PodSandboxState,
)
from minik8s.cri.process_container import ProcContainer, local_http, local_tcp_open
from minik8s.cri.records import RuntimeRecords
from minik8s.cri.shell import exec_not_found

if TYPE_CHECKING:
    from minik8s.sim.loop import EventLoop, Timer

EXEC_TIMEOUT = 10.0  # wall seconds an exec may take when the caller gives no timeout


class ProcessRuntime(RuntimeRecords):
    """CRI RuntimeService + ImageService over local processes."""

    runtime_name = "process"
    id_prefix = "process/"

    def __init__(
        self,
        loop: EventLoop,
        node_name: str = "",
        root: str | None = None,
        poll_interval: float = 0.1,
    ):
        self.loop = loop
        self.node_name = node_name
        self.root = Path(root or tempfile.mkdtemp(prefix="minik8s-process-"))
        self.poll_interval = poll_interval
        self._init_records()
        self.containers: dict[str, ProcContainer] = {}
        self.images: dict[str, Image] = {}
        self._poller: Timer | None = None

    def __repr__(self) -> str:
        return f"<ProcessRuntime {self.node_name or '-'} containers={len(self.containers)}>"

    def _get(self, container_id: str) -> ProcContainer:
        if container_id not in self.containers:
            raise CRIError("NotFound", f'container "{container_id}" not found')
        return self.containers[container_id]

    # -- sandboxes ---------------------------------------------------------------------------------
    def stop_pod_sandbox(self, pod_sandbox_id: str) -> None:
        """Kill the sandbox's processes."""
        for c in [c for c in self.containers.values() if c.sandbox_id == pod_sandbox_id]:
            self._signal(c, signal.SIGKILL)
            self._reap(c, wait=True)
        if pod_sandbox_id in self.sandboxes:
            self.sandboxes[pod_sandbox_id].state = PodSandboxState.SANDBOX_NOTREADY

    def remove_pod_sandbox(self, pod_sandbox_id: str) -> None:
        """Remove the sandbox and its containers."""
        self.stop_pod_sandbox(pod_sandbox_id)
        for c in [c for c in self.containers.values() if c.sandbox_id == pod_sandbox_id]:
            self.remove_container(c.id)
        self.sandboxes.pop(pod_sandbox_id, None)

    # -- containers --------------------------------------------------------------------------------
    def create_container(
        self, pod_sandbox_id: str, config: ContainerConfig, sandbox_config: PodSandboxConfig
    ) -> str:
        """Prepare the working directory, mounts and log file."""
        if not config.command and not config.args:
            raise CRIError(
                "InvalidArgument", "the process runtime needs a command (images are not unpacked)"
            )
        container_id = self._new_id(config.metadata.name)
        workdir = self.root / container_id[:12]
        workdir.mkdir(parents=True, exist_ok=True)
        for mount in config.mounts:
            base = workdir / mount.container_path.lstrip("/")
            for rel, content in mount.files.items():
                target = base / rel if rel else base
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content)
        c = ProcContainer(
            container_id, pod_sandbox_id, config, workdir, workdir / "container.log", self.loop.now
        )
        c.log_path.touch()
        self.containers[container_id] = c
        self._emit(c, ContainerEventType.CONTAINER_CREATED_EVENT)
        return container_id

    def _env(self, c: ProcContainer) -> dict[str, str]:
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(c.workdir)}
        env["HOSTNAME"] = (
            self.sandboxes[c.sandbox_id].config.hostname if c.sandbox_id in self.sandboxes else ""
        )
        env.update({kv.key: kv.value for kv in c.config.envs})
        return env

    def start_container(self, container_id: str) -> None:
        """Start the process."""
        c = self._get(container_id)
        argv = c.config.command + c.config.args
        with open(c.log_path, "ab") as log:
            try:
                c.process = subprocess.Popen(
                    argv,
                    cwd=c.workdir,
                    env=self._env(c),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            except OSError as err:
                raise CRIError("Unknown", f"failed to start containerd task: {err}") from err
        c.state, c.started_at = ContainerState.CONTAINER_RUNNING, self.loop.now
        self._emit(c, ContainerEventType.CONTAINER_STARTED_EVENT)
        self._ensure_poller()

    def _ensure_poller(self) -> None:
        if self._poller is None or self._poller.state != "pending":
            self._poller = self.loop.call_later(
                self.poll_interval, self._poll, background=True, label="process runtime poll"
            )

    def _poll(self) -> None:
        self._poller = None
        running = [
            c for c in self.containers.values() if c.state == ContainerState.CONTAINER_RUNNING
        ]
        for c in running:
            self._reap(c)
        if any(c.state == ContainerState.CONTAINER_RUNNING for c in self.containers.values()):
            self._ensure_poller()

    def _reap(self, c: ProcContainer, wait: bool = False, silent: bool = False) -> None:
        if c.process is None or c.state != ContainerState.CONTAINER_RUNNING:
            return
        code = c.process.wait(timeout=5) if wait else c.process.poll()
        if code is None:
            return
        if c.kill_timer is not None:
            c.kill_timer.cancel()
        c.state, c.finished_at = ContainerState.CONTAINER_EXITED, self.loop.now
        c.exit_code = 128 - code if code < 0 else code
        if not silent:
            self._emit(c, ContainerEventType.CONTAINER_STOPPED_EVENT)

    def _signal(self, c: ProcContainer, sig: int) -> None:
        if c.process is not None and c.process.poll() is None:
            try:
                os.killpg(c.process.pid, sig)
            except ProcessLookupError:
                pass

    def stop_container(self, container_id: str, timeout: float) -> None:
        """SIGTERM now, SIGKILL after `timeout` virtual seconds."""
        c = self._get(container_id)
        if c.state != ContainerState.CONTAINER_RUNNING:
            return
        self._signal(c, signal.SIGTERM)
        c.kill_timer = self.loop.call_later(max(timeout, 0), self._kill, c, label="SIGKILL")

    def _kill(self, c: ProcContainer) -> None:
        self._signal(c, signal.SIGKILL)
        self._reap(c, wait=True)

    def remove_container(self, container_id: str) -> None:
        """Kill and forget the container."""
        c = self.containers.get(container_id)
        if c is None:
            return
        self._signal(c, signal.SIGKILL)
        self._reap(c, wait=True, silent=True)
        del self.containers[container_id]
        self._emit(c, ContainerEventType.CONTAINER_DELETED_EVENT)

    def list_containers(self, filter: ContainerFilter | None = None) -> list[Container]:
        """All containers (filters by id, state, sandbox)."""
        out = [
            Container(
                c.id,
                c.sandbox_id,
                c.config.metadata,
                c.config.image,
                f"process://{c.config.image.image}",
                c.state,
                c.created_at,
            )
            for c in self.containers.values()
        ]
        if filter is not None:
            out = [
                c
                for c in out
                if (not filter.id or c.id == filter.id)
                and (filter.state is None or c.state == filter.state)
                and (not filter.pod_sandbox_id or c.pod_sandbox_id == filter.pod_sandbox_id)
            ]
        return out

    def container_status(self, container_id: str) -> ContainerStatus:
        """The container's state (polled first)."""
        c = self._get(container_id)
        self._reap(c)
        return c.status()

    def exec_sync(self, container_id: str, cmd: list[str], timeout: float = 0) -> ExecSyncResponse:
        """Run `cmd` next to the container (same env and working directory)."""
        c = self._get(container_id)
        if c.state != ContainerState.CONTAINER_RUNNING:
            raise CRIError("Unknown", f"container {container_id} is not running")
        try:
            done = subprocess.run(
                cmd,
                cwd=c.workdir,
                env=self._env(c),
                capture_output=True,
                text=True,
                timeout=timeout or EXEC_TIMEOUT,
            )
        except subprocess.TimeoutExpired as err:
            raise CRIError("DeadlineExceeded", f"command {cmd!r} timed out") from err
        except FileNotFoundError as err:  # runc cannot start it: an error, not an exit code
            raise CRIError("Unknown", exec_not_found(container_id, cmd)) from err
        except OSError as err:
            return ExecSyncResponse("", f"{err}\n", 126)
        return ExecSyncResponse(done.stdout, done.stderr, done.returncode)

    def read_logs(self, container_id: str) -> str:
        """The process's output so far."""
        return self._get(container_id).log_path.read_text(errors="replace")

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
        """A real HTTP request to 127.0.0.1:`port`; None when the connection is refused."""
        return local_http(port, method, path, headers or {})

    def tcp_open(self, container_id: str, port: int) -> bool:
        """Whether something accepts connections on 127.0.0.1:`port`."""
        return local_tcp_open(port)

    def power_off(self) -> None:
        """Kill every process without telling anyone."""
        for c in self.containers.values():
            self._signal(c, signal.SIGKILL)
            self._reap(c, wait=True, silent=True)
        for sandbox in self.sandboxes.values():
            sandbox.state = PodSandboxState.SANDBOX_NOTREADY

    # -- images: nothing to pull -------------------------------------------------------------------
    def pull_image(
        self,
        image: ImageSpec,
        auth: AuthConfig | None = None,
        sandbox_config: PodSandboxConfig | None = None,
    ) -> str:
        """Images are not used: record the name."""
        self.images[image.image] = Image(
            f"process://{image.image}", [image.image], [f"process://{image.image}"]
        )
        return f"process://{image.image}"

    def pull_seconds(self, image: ImageSpec) -> float:
        """A real runtime blocks while pulling: no virtual time."""
        return 0.0

    def image_status(self, image: ImageSpec) -> Image | None:
        return self.images.get(image.image)

    def list_images(self, filter: ImageSpec | None = None) -> list[Image]:
        return list(self.images.values())

    def remove_image(self, image: ImageSpec) -> None:
        self.images.pop(image.image, None)
