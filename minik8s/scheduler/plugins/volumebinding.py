"""VolumeBinding, a stub for `pkg/scheduler/framework/plugins/volumebinding`.

PersistentVolumeClaim binding arrives with the storage issue; until then the plugin is
registered under its upstream name and lets every node pass, so profiles can name it.
"""

from __future__ import annotations

from typing import Any

from minik8s.scheduler.framework import SKIP, CycleState, Status
from minik8s.scheduler.types import NodeInfo, PodInfo

NAME = "VolumeBinding"


class VolumeBinding:
    """PreFilter that skips every pod (no PVC support yet)."""

    name = NAME

    def __repr__(self) -> str:
        return NAME

    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[set[str] | None, Status | None]:
        return None, SKIP

    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None:
        return None


def new(args: dict[str, Any], handle: Any) -> VolumeBinding:
    return VolumeBinding()
