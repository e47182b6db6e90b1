"""The simulated runtime's records of sandboxes and containers (containerd's metadata store).

Each record turns itself into the CRI messages (`status()`, `summary()`). A container keeps its
log in memory as (virtual time, stream, text) entries and its filesystem as path → content.
A sandbox keeps its /etc/resolv.conf, written from the config's DNSConfig as containerd's
`parseDNSOptions` does (the node's own file when the config gives nothing), which every container
of the pod mounts.
Left out: everything a real runtime keeps on disk, /etc/hosts.
"""

from __future__ import annotations

from collections.abc import Generator, MutableMapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from minik8s.cri.api import (
    Container,
    ContainerConfig,
    ContainerState,
    ContainerStatus,
    DNSConfig,
    ImageSpec,
    PodSandbox,
    PodSandboxConfig,
    PodSandboxNetworkStatus,
    PodSandboxState,
    PodSandboxStatus,
)
from minik8s.cri.filesystem import FileSystem

if TYPE_CHECKING:
    from minik8s.sim.loop import Timer

NODE_RESOLV_CONF = "nameserver 172.18.0.1\noptions ndots:0\n"  # a kind node's /etc/resolv.conf


def resolv_conf(config: DNSConfig | None, host: str = NODE_RESOLV_CONF) -> str:
    """containerd's `parseDNSOptions`: `search`, `nameserver` and `options` lines, or the
    host's file when the config writes nothing."""
    if config is None:
        return host
    return _resolv_conf(tuple(config.servers), tuple(config.searches), tuple(config.options), host)


@lru_cache(maxsize=1024)  # pods of a namespace share one string
def _resolv_conf(
    servers: tuple[str, ...], searches: tuple[str, ...], options: tuple[str, ...], host: str
) -> str:
    text = f"search {' '.join(searches)}\n" if searches else ""
    text += "".join(f"nameserver {server}\n" for server in servers)
    text += f"options {' '.join(options)}\n" if options else ""
    return text or host


@dataclass(slots=True)
class Sandbox:
    id: str
    config: PodSandboxConfig
    created_at: float
    state: PodSandboxState = PodSandboxState.SANDBOX_READY
    ip: str = ""
    resolv_conf: dict[str, str] = field(default_factory=dict)  # a single-file mount: "" → text

    def __post_init__(self) -> None:
        self.resolv_conf[""] = resolv_conf(self.config.dns_config)

    def __repr__(self) -> str:
        meta = self.config.metadata
        return f"<Sandbox {meta.namespace}/{meta.name} {self.state.name}>"

    def status(self) -> PodSandboxStatus:
        return PodSandboxStatus(
            self.id,
            self.config.metadata,
            self.state,
            self.created_at,
            PodSandboxNetworkStatus(self.ip),
            dict(self.config.labels),
            dict(self.config.annotations),
        )

    def summary(self) -> PodSandbox:
        return PodSandbox(
            self.id,
            self.config.metadata,
            self.state,
            self.created_at,
            dict(self.config.labels),
            dict(self.config.annotations),
        )


@dataclass(slots=True)
class SimContainer:
    id: str
    sandbox_id: str
    config: ContainerConfig
    state: ContainerState = ContainerState.CONTAINER_CREATED
    created_at: float = 0.0
    started_at: float = 0.0
    finished_at: float = 0.0
    exit_code: int = 0
    reason: str = ""
    image_name: str = ""
    image_ref: str = ""
    argv: list[str] = field(default_factory=list)
    behaviour: str = "forever"  # script | web | exit0 | forever
    version: str = ""
    env: MutableMapping[str, str] = field(default_factory=dict)  # layered: see create_container
    files: FileSystem = field(default_factory=FileSystem)
    logs: list[tuple[float, str, str]] = field(default_factory=list)
    script: Generator[float, None, int] | None = None
    timer: Timer | None = None
    kill_timer: Timer | None = None

    def __repr__(self) -> str:
        return f"<SimContainer {self.name} {self.state.name}>"

    @property
    def name(self) -> str:
        return self.config.metadata.name

    def log(self, stream: str, text: str, now: float) -> None:
        """Append output to the container's log."""
        self.logs.append((now, stream, text))

    def status(self) -> ContainerStatus:
        return ContainerStatus(
            id=self.id,
            metadata=self.config.metadata,
            state=self.state,
            created_at=self.created_at,
            started_at=self.started_at,
            finished_at=self.finished_at,
            exit_code=self.exit_code,
            image=ImageSpec(self.image_name),
            image_ref=self.image_ref,
            reason=self.reason if self.state == ContainerState.CONTAINER_EXITED else "",
            labels=dict(self.config.labels),
            annotations=dict(self.config.annotations),
            mounts=list(self.config.mounts),
            log_path=self.config.log_path,
        )

    def summary(self) -> Container:
        return Container(
            self.id,
            self.sandbox_id,
            self.config.metadata,
            ImageSpec(self.image_name),
            self.image_ref,
            self.state,
            self.created_at,
            dict(self.config.labels),
            dict(self.config.annotations),
        )
