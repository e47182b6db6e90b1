"""The `volumeMounts` of a container status, mirroring the RecursiveReadOnlyMounts part of
`pkg/kubelet/kubelet_pods.go` (`convertToAPIContainerStatuses`, `resolveRecursiveReadOnly`);
the gate is beta and on by default in v1.31.

The mounts are taken from the container spec every time: upstream copies them from the previous
status, which has them from the first (waiting) status on, and a pod's mounts are immutable.
The simulated runtime does not support recursive read-only mounts, like containerd 1.7 (the
runtime handler features `runtimeClassSupportsRecursiveReadOnlyMounts` reads). Left out: the
error log of an invalid mode (it reads as not recursive, as upstream's status does).
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]


def resolve_recursive_read_only(mount: Obj, runtime_supports_rro: bool) -> bool:
    """upstream `resolveRecursiveReadOnly`: whether a mount is recursively read-only (an
    invalid combination, which upstream returns as an error, counts as not)."""
    mode = mount.get("recursiveReadOnly")
    if mode in (None, "Disabled") or not mount.get("readOnly"):
        return False
    return mode in ("IfPossible", "Enabled") and runtime_supports_rro


def volume_mount_statuses(spec: Obj, runtime_supports_rro: bool = False) -> list[Obj]:
    """`ContainerStatus.volumeMounts` (feature RecursiveReadOnlyMounts, beta and on in v1.31):
    each mount of the container spec; a read-only one with its resolved mode."""
    out = []
    for mount in spec.get("volumeMounts") or []:
        entry: Obj = {"name": mount.get("name", ""), "mountPath": mount.get("mountPath", "")}
        if mount.get("readOnly"):
            enabled = resolve_recursive_read_only(mount, runtime_supports_rro)
            entry |= {"readOnly": True, "recursiveReadOnly": "Enabled" if enabled else "Disabled"}
        out.append(entry)
    return out
