"""Candidate ranking of preemption, mirroring `pkg/scheduler/framework/preemption/preemption.go`
(`pickOneNodeForPreemption`) and `pkg/scheduler/util/utils.go` (`MoreImportantPod`,
`GetPodStartTime`, `GetEarliestPodStartTime`).

Left out: PodDisruptionBudgets (every candidate violates none, so the first criterion is a
tie), extender-supplied score functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from minik8s.scheduler.types import PodInfo

MAX_INT32 = 2**31 - 1
Candidate = tuple[str, Sequence["PodInfo"]]  # a node name and its victims


def pod_start_time(pod: PodInfo, now: datetime) -> datetime:
    """upstream `GetPodStartTime`: `status.startTime`, or now for a pod not started yet."""
    text = (pod.pod.get("status") or {}).get("startTime")
    if not text:
        return now
    return datetime.fromisoformat(str(text).replace("Z", "+00:00"))


def more_important_pod(a: PodInfo, b: PodInfo, now: datetime) -> bool:
    """upstream `MoreImportantPod`: higher priority, then the one that started earlier."""
    if a.priority != b.priority:
        return a.priority > b.priority
    return pod_start_time(a, now) < pod_start_time(b, now)


def importance_key(pod: PodInfo, now: datetime) -> tuple[int, datetime]:
    """A sort key putting more important pods first (`sort.Slice` with `MoreImportantPod`)."""
    return (-pod.priority, pod_start_time(pod, now))


def earliest_pod_start_time(victims: Sequence[PodInfo], now: datetime) -> datetime:
    """upstream `GetEarliestPodStartTime`: the earliest start among the highest-priority
    victims."""
    highest = max(v.priority for v in victims)
    return min(pod_start_time(v, now) for v in victims if v.priority == highest)


def pick_one_node_for_preemption(candidates: Sequence[Candidate], now: datetime) -> str:
    """upstream `pickOneNodeForPreemption`: the node whose victims hurt least — the lowest
    highest victim priority, then the smallest sum of priorities (each shifted by
    MaxInt32+1 so a negative priority never makes more victims look cheaper), the fewest
    victims, the latest start of the highest-priority victims; then the first."""
    if not candidates:
        return ""
    best: tuple[tuple[int, int, int, float], str] | None = None
    for name, victims in candidates:
        if not victims:
            return name  # upstream: a node needing no victims wins at once
        key = (
            max(v.priority for v in victims),
            sum(v.priority + MAX_INT32 + 1 for v in victims),
            len(victims),
            -earliest_pod_start_time(victims, now).timestamp(),
        )
        if best is None or key < best[0]:
            best = (key, name)
    assert best is not None
    return best[1]
