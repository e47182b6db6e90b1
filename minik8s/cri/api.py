"""The CRI, mirroring `k8s.io/cri-api/pkg/apis/runtime/v1/api.proto` (RuntimeService, ImageService).

The kubelet talks to a container runtime only through these calls, named after the real RPCs in
snake_case. Messages are dataclasses with the proto's field names, in slots (the kubelet keeps
several per pod: no instance dicts at 150,000 pods). Times (`created_at`, `started_at`,
`finished_at`) are virtual seconds (floats) instead of Unix nanoseconds.

Left out: streaming (Attach/PortForward; `exec_sync` only), stats, checkpointing, runtime
config/handlers, the Linux/Windows security contexts, and gRPC itself (plain method calls; errors
are `CRIError` with a gRPC-like code). Deviation: a `Mount` may carry `files` (relative path →
content) because the simulated runtime has no host filesystem to bind-mount from.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable


class ContainerState(enum.Enum):
    """`runtime.v1.ContainerState`."""

    CONTAINER_CREATED = 0
    CONTAINER_RUNNING = 1
    CONTAINER_EXITED = 2
    CONTAINER_UNKNOWN = 3


class PodSandboxState(enum.Enum):
    """`runtime.v1.PodSandboxState`."""

    SANDBOX_READY = 0
    SANDBOX_NOTREADY = 1


class ContainerEventType(enum.Enum):
    """`runtime.v1.ContainerEventType` (Evented PLEG)."""

    CONTAINER_CREATED_EVENT = 0
    CONTAINER_STARTED_EVENT = 1
    CONTAINER_STOPPED_EVENT = 2
    CONTAINER_DELETED_EVENT = 3


class CRIError(Exception):
    """A failed RPC; `code` is the gRPC status code name (`NotFound`, `Unknown`…)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class ImagePullError(CRIError):
    """PullImage failed (the kubelet reports `ErrImagePull`)."""

    def __init__(self, message: str):
        super().__init__("Unknown", message)


@dataclass(slots=True)
class KeyValue:
    key: str
    value: str


@dataclass(slots=True)
class ImageSpec:
    image: str
    annotations: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class AuthConfig:
    username: str = ""
    password: str = field(default="", repr=False)  # never shown
    auth: str = field(default="", repr=False)
    server_address: str = ""


@dataclass(slots=True)
class Mount:
    container_path: str
    host_path: str = ""
    readonly: bool = False
    # deviation: the files to show there (relative path → content; "" = the mount is one file);
    # the kubelet shares one dict between containers for an emptyDir
    files: MutableMapping[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class PortMapping:
    container_port: int
    protocol: str = "TCP"
    host_port: int = 0
    host_ip: str = ""


@dataclass(slots=True)
class PodSandboxMetadata:
    name: str
    uid: str
    namespace: str
    attempt: int = 0


@dataclass(slots=True)
class DNSConfig:
    """runtime.v1 DNSConfig: what the runtime writes into the sandbox's /etc/resolv.conf."""

    servers: list[str] = field(default_factory=list)
    searches: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)


@dataclass(slots=True)
class PodSandboxConfig:
    metadata: PodSandboxMetadata
    hostname: str = ""
    log_directory: str = ""
    port_mappings: list[PortMapping] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    dns_config: DNSConfig | None = None


@dataclass(slots=True)
class PodSandboxNetworkStatus:
    ip: str = ""
    additional_ips: list[str] = field(default_factory=list)


@dataclass(slots=True)
class PodSandboxStatus:
    id: str
    metadata: PodSandboxMetadata
    state: PodSandboxState
    created_at: float
    network: PodSandboxNetworkStatus = field(default_factory=PodSandboxNetworkStatus)
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class PodSandbox:
    id: str
    metadata: PodSandboxMetadata
    state: PodSandboxState
    created_at: float
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class PodSandboxFilter:
    id: str = ""
    state: PodSandboxState | None = None
    label_selector: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ContainerMetadata:
    name: str
    attempt: int = 0


@dataclass(slots=True)
class LinuxContainerResources:
    """cgroup settings the kubelet derives from requests and limits."""

    cpu_period: int = 0
    cpu_quota: int = 0
    cpu_shares: int = 0
    memory_limit_in_bytes: int = 0


@dataclass(slots=True)
class LinuxContainerConfig:
    resources: LinuxContainerResources = field(default_factory=LinuxContainerResources)


@dataclass(slots=True)
class ContainerConfig:
    metadata: ContainerMetadata
    image: ImageSpec
    command: list[str] = field(default_factory=list)
    args: list[str] = field(default_factory=list)
    working_dir: str = ""
    envs: list[KeyValue] = field(default_factory=list)
    mounts: list[Mount] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    log_path: str = ""
    stdin: bool = False
    tty: bool = False
    linux: LinuxContainerConfig | None = None


@dataclass(slots=True)
class ContainerStatus:
    id: str
    metadata: ContainerMetadata
    state: ContainerState
    created_at: float
    started_at: float = 0.0
    finished_at: float = 0.0
    exit_code: int = 0
    image: ImageSpec = field(default_factory=lambda: ImageSpec(""))
    image_ref: str = ""
    reason: str = ""
    message: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    mounts: list[Mount] = field(default_factory=list)
    log_path: str = ""


@dataclass(slots=True)
class Container:
    id: str
    pod_sandbox_id: str
    metadata: ContainerMetadata
    image: ImageSpec
    image_ref: str
    state: ContainerState
    created_at: float
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ContainerFilter:
    id: str = ""
    state: ContainerState | None = None
    pod_sandbox_id: str = ""
    label_selector: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ContainerEventResponse:
    container_id: str
    container_event_type: ContainerEventType
    created_at: float
    pod_sandbox_id: str = ""


@dataclass(slots=True)
class VersionResponse:
    version: str
    runtime_name: str
    runtime_version: str
    runtime_api_version: str


@dataclass(slots=True)
class Image:
    id: str
    repo_tags: list[str]
    repo_digests: list[str] = field(default_factory=list)
    size: int = 0


@dataclass(slots=True)
class ExecSyncResponse:
    """stdout, stderr, exit_code (unpacks like a 3-tuple). Deviation: `seconds` says how much
    virtual time the command took (0 for a runtime that really waits)."""

    stdout: str
    stderr: str
    exit_code: int
    seconds: float = 0.0

    def __iter__(self) -> Iterator[Any]:
        return iter((self.stdout, self.stderr, self.exit_code))


ContainerEventCallback = Callable[[ContainerEventResponse], None]


def matches_labels(labels: dict[str, str], selector: dict[str, str]) -> bool:
    """Whether `labels` has every key/value of a CRI filter's `label_selector`."""
    return all(labels.get(k) == v for k, v in selector.items())


@runtime_checkable
class RuntimeService(Protocol):
    """`runtime.v1.RuntimeService`: sandboxes and containers."""

    def version(self, version: str = "v1") -> VersionResponse: ...
    def run_pod_sandbox(self, config: PodSandboxConfig, runtime_handler: str = "") -> str: ...
    def stop_pod_sandbox(self, pod_sandbox_id: str) -> None: ...
    def remove_pod_sandbox(self, pod_sandbox_id: str) -> None: ...
    def pod_sandbox_status(self, pod_sandbox_id: str) -> PodSandboxStatus: ...
    def list_pod_sandbox(self, filter: PodSandboxFilter | None = None) -> list[PodSandbox]: ...
    def create_container(
        self, pod_sandbox_id: str, config: ContainerConfig, sandbox_config: PodSandboxConfig
    ) -> str: ...
    def start_container(self, container_id: str) -> None: ...
    def stop_container(self, container_id: str, timeout: float) -> None:
        """SIGTERM, then SIGKILL after `timeout` seconds.

        Deviation: returns at once; the container reaches CONTAINER_EXITED (and a
        CONTAINER_STOPPED_EVENT is sent) when it exits, at most `timeout` virtual seconds later.
        """
        ...

    def remove_container(self, container_id: str) -> None: ...
    def list_containers(self, filter: ContainerFilter | None = None) -> list[Container]: ...
    def container_status(self, container_id: str) -> ContainerStatus: ...
    def exec_sync(self, container_id: str, cmd: list[str], timeout: float = 0) -> ExecSyncResponse:
        """Run `cmd` in the container; (stdout, stderr, exit_code)."""
        ...

    def get_container_events(self, callback: ContainerEventCallback) -> None:
        """Subscribe to container lifecycle events (GetContainerEvents stream)."""
        ...

    def read_logs(self, container_id: str) -> str:
        """The container's log (stdout and stderr, in order) as the kubelet reads its log file."""
        ...

    def set_pod_sandbox_ip(self, pod_sandbox_id: str, ip: str) -> None:
        """Record the IP CNI gave the sandbox (upstream: the runtime calls CNI itself)."""
        ...


@runtime_checkable
class ImageService(Protocol):
    """`runtime.v1.ImageService`."""

    def pull_image(
        self,
        image: ImageSpec,
        auth: AuthConfig | None = None,
        sandbox_config: PodSandboxConfig | None = None,
    ) -> str:
        """Pull `image`; returns its image_ref (`docker.io/library/nginx@sha256:…`).

        Raises `ImagePullError` when the image cannot be pulled. A real runtime blocks while it
        pulls; a virtual-time runtime returns at once and says how long the pull took through
        `pull_seconds`, which the kubelet waits before it goes on.
        """
        ...

    def pull_seconds(self, image: ImageSpec) -> float:
        """Virtual seconds the last pull of `image` took (0 for a runtime that blocks)."""
        ...

    def image_status(self, image: ImageSpec) -> Image | None: ...
    def list_images(self, filter: ImageSpec | None = None) -> list[Image]: ...
    def remove_image(self, image: ImageSpec) -> None: ...
