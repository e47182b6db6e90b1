"""The process runtime's container record and its localhost network helpers.

A `ProcContainer` is one `subprocess.Popen` plus what the CRI reports about it. Servers in
process containers listen on the host, so probes and requests reach them on 127.0.0.1.
Left out: everything a real runtime isolates.
"""

from __future__ import annotations

import socket
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from minik8s.cri.api import ContainerConfig, ContainerState, ContainerStatus

if TYPE_CHECKING:
    from minik8s.sim.loop import Timer


@dataclass
class ProcContainer:
    id: str
    sandbox_id: str
    config: ContainerConfig
    workdir: Path
    log_path: Path
    created_at: float
    state: ContainerState = ContainerState.CONTAINER_CREATED
    started_at: float = 0.0
    finished_at: float = 0.0
    exit_code: int = 0
    process: subprocess.Popen | None = field(default=None, repr=False)
    kill_timer: Timer | None = field(default=None, repr=False)

    def status(self) -> ContainerStatus:
        reason = ""
        if self.state == ContainerState.CONTAINER_EXITED:
            reason = "Completed" if self.exit_code == 0 else "Error"
        return ContainerStatus(
            self.id,
            self.config.metadata,
            self.state,
            self.created_at,
            self.started_at,
            self.finished_at,
            self.exit_code,
            self.config.image,
            f"process://{self.config.image.image}",
            reason,
            log_path=str(self.log_path),
        )


def local_http(
    port: int, method: str, path: str, headers: dict[str, str]
) -> tuple[int, dict[str, str], str] | None:
    """One HTTP request to 127.0.0.1:`port` (1 s timeout); None if refused."""
    url = f"http://127.0.0.1:{port}{path}"
    request = urllib.request.Request(url, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=1) as response:  # noqa: S310 - localhost
            return response.status, dict(response.headers), response.read().decode(errors="replace")
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode(errors="replace")
    except OSError:
        return None


def local_tcp_open(port: int) -> bool:
    """Whether something accepts TCP connections on 127.0.0.1:`port`."""
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0
