"""The scheduling framework's vocabulary, mirroring `k8s.io/kube-scheduler/framework`
(interface.go, cycle_state.go, events.go) and `pkg/scheduler/framework/types.go`.

Extension points are `typing.Protocol`s; a plugin implements the methods of the points it
takes part in (`filter`, `score`…) and the framework (`runtime.py`) finds them by name.
A plugin method returns `None` for success, like upstream's nil `*Status`.

Left out: PreEnqueue/QueueingHint callbacks (events are matched coarsely by resource and action,
upstream's EnqueueExtensions without hints), PreBind/PostBind, waiting pods, metrics.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from minik8s.scheduler.types import NodeInfo, PodInfo

MAX_NODE_SCORE = 100
MIN_NODE_SCORE = 0
MAX_TOTAL_SCORE = 2**63 - 1


class Code(enum.IntEnum):
    """upstream `framework.Code`."""

    Success = 0
    Error = 1
    Unschedulable = 2
    UnschedulableAndUnresolvable = 3
    Wait = 4
    Skip = 5
    Pending = 6


class Status:
    """upstream `framework.Status`: a code, reasons, and the plugin that produced it."""

    __slots__ = ("code", "reasons", "plugin")

    def __init__(self, code: Code, *reasons: str, plugin: str = "") -> None:
        self.code = code
        self.reasons = list(reasons)
        self.plugin = plugin

    def __repr__(self) -> str:
        plugin = f" plugin={self.plugin}" if self.plugin else ""
        return f"Status({self.code.name}{plugin} {self.reasons!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Status):
            return NotImplemented
        return (self.code, self.reasons) == (other.code, other.reasons)

    def message(self) -> str:
        """upstream `Status.Message`: the reasons joined by ", "."""
        return ", ".join(self.reasons)

    def is_success(self) -> bool:
        return self.code == Code.Success

    def is_rejected(self) -> bool:
        """Unschedulable, UnschedulableAndUnresolvable or Pending."""
        return self.code in (Code.Unschedulable, Code.UnschedulableAndUnresolvable, Code.Pending)

    def with_plugin(self, plugin: str) -> Status:
        """Set the failing plugin (upstream `WithPlugin`) and return self."""
        self.plugin = plugin
        return self


def unschedulable(*reasons: str) -> Status:
    return Status(Code.Unschedulable, *reasons)


def unresolvable(*reasons: str) -> Status:
    return Status(Code.UnschedulableAndUnresolvable, *reasons)


SKIP = Status(Code.Skip)


class CycleState:
    """upstream `CycleState`: per-attempt data written by PreFilter/PreScore, read later."""

    __slots__ = ("data", "skip_filter_plugins", "skip_score_plugins")

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.skip_filter_plugins: set[str] = set()
        self.skip_score_plugins: set[str] = set()

    def __repr__(self) -> str:
        return f"CycleState(keys={sorted(self.data)})"

    def write(self, key: str, value: Any) -> None:
        self.data[key] = value

    def read(self, key: str) -> Any:
        """The value under `key`; KeyError when nothing wrote it (upstream ErrNotFound)."""
        return self.data[key]


# -- cluster events (upstream events.go) ----------------------------------------------------
class ActionType(enum.IntFlag):
    """upstream `framework.ActionType`: what happened to an object."""

    Add = 1
    Delete = 2
    UpdateNodeAllocatable = 4
    UpdateNodeLabel = 8
    UpdateNodeTaint = 16
    UpdateNodeCondition = 32
    UpdateNodeAnnotation = 64
    UpdatePodLabel = 128
    UpdatePodScaleDown = 256
    UpdatePodToleration = 512
    UpdatePodSchedulingGatesEliminated = 1024
    UpdatePodGeneratedResourceClaim = 2048
    UpdatePodOther = 4096
    Update = 8188  # every Update* bit
    All = 8191


NODE, POD, UNSCHEDULED_POD, WILDCARD = "Node", "Pod", "UnscheduledPod", "*"


@dataclass(frozen=True)
class ClusterEvent:
    """upstream `ClusterEvent`: a resource (`Node`, `Pod` = assigned pods…) and actions."""

    resource: str
    action: ActionType
    label: str = ""

    def __str__(self) -> str:
        return self.label or f"{self.resource}{self.action.name or int(self.action)}"

    def match(self, incoming: ClusterEvent) -> bool:
        """upstream `ClusterEvent.Match`: same resource (or wildcard) and overlapping actions."""
        if self.resource == WILDCARD and self.action == ActionType.All:
            return True
        resource_ok = self.resource in (WILDCARD, incoming.resource)
        return resource_ok and bool(self.action & incoming.action)


EVENT_UNSCHEDULABLE_TIMEOUT = ClusterEvent(WILDCARD, ActionType.All, "UnschedulableTimeout")
EVENT_FORCE_ACTIVATE = ClusterEvent(WILDCARD, ActionType.All, "ForceActivate")


# -- extension points -------------------------------------------------------------------------
@runtime_checkable
class Plugin(Protocol):
    name: str


class QueueSortPlugin(Plugin, Protocol):
    def less(self, a: Any, b: Any) -> bool: ...


class PreFilterPlugin(Plugin, Protocol):
    def pre_filter(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> tuple[set[str] | None, Status | None]: ...


class FilterPlugin(Plugin, Protocol):
    def filter(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> Status | None: ...


class PostFilterPlugin(Plugin, Protocol):
    def post_filter(
        self, state: CycleState, pod: PodInfo, statuses: dict[str, Status]
    ) -> tuple[str | None, Status]: ...


class PreScorePlugin(Plugin, Protocol):
    def pre_score(
        self, state: CycleState, pod: PodInfo, nodes: list[NodeInfo]
    ) -> Status | None: ...


class ScorePlugin(Plugin, Protocol):
    def score(self, state: CycleState, pod: PodInfo, node: NodeInfo) -> int: ...


class NormalizeScorePlugin(Plugin, Protocol):
    """Optionally also `normalizes_by_value(state) -> bool`: True when `normalize_score` maps
    each score by a function of the set of scores, so it may be given the distinct ones."""

    def normalize_score(self, state: CycleState, pod: PodInfo, scores: list[int]) -> None: ...


class ReservePlugin(Plugin, Protocol):
    def reserve(self, state: CycleState, pod: PodInfo, node_name: str) -> Status | None: ...

    def unreserve(self, state: CycleState, pod: PodInfo, node_name: str) -> None: ...


class PermitPlugin(Plugin, Protocol):
    def permit(self, state: CycleState, pod: PodInfo, node_name: str) -> Status | None: ...


class BindPlugin(Plugin, Protocol):
    def bind(self, state: CycleState, pod: PodInfo, node_name: str) -> Status | None: ...


class EnqueueExtensions(Plugin, Protocol):
    def events_to_register(self) -> list[ClusterEvent]: ...


EXTENSION_POINTS = (
    "pre_filter", "filter", "post_filter", "pre_score", "score", "normalize_score",
    "reserve", "permit", "bind",
)  # fmt: skip
