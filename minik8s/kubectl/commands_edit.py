"""kubectl patch, set image, cordon, uncordon, drain and taint: the commands that edit objects
in place, one module per upstream command, re-exported here.

Mirrors `k8s.io/kubectl/pkg/cmd/{patch,set/set_image.go,drain,taint}`: see `commands_patch`,
`commands_set`, `commands_drain` and `commands_taint`. Importing this module registers them all.
"""

from __future__ import annotations

from minik8s.kubectl.commands_drain import (
    DAEMONSET_FATAL,
    DAEMONSET_WARNING,
    LOCAL_STORAGE_FATAL,
    MIRROR_ANNOTATION,
    UNMANAGED_FATAL,
    UNMANAGED_WARNING,
    cordon,
    drain,
    drain_status,
    uncordon,
)
from minik8s.kubectl.commands_patch import PATCH_TYPES, patch
from minik8s.kubectl.commands_set import pod_spec_of, set_cmd
from minik8s.kubectl.commands_taint import TAINT_EFFECTS, parse_taint, taint, taint_string

__all__ = [
    "DAEMONSET_FATAL",
    "DAEMONSET_WARNING",
    "LOCAL_STORAGE_FATAL",
    "MIRROR_ANNOTATION",
    "PATCH_TYPES",
    "TAINT_EFFECTS",
    "UNMANAGED_FATAL",
    "UNMANAGED_WARNING",
    "cordon",
    "drain",
    "drain_status",
    "parse_taint",
    "patch",
    "pod_spec_of",
    "set_cmd",
    "taint",
    "taint_string",
    "uncordon",
]
