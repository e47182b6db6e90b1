"""Helpers the ReplicaSet controller shares with upstream's `pkg/controller/controller_utils.go`
and `pkg/api/v1/pod/util.go`: pod activity/readiness/availability, the deletion ranking
(`ActivePodsWithRanks`), `slowStartBatch`, `ControllerExpectations` and the ControllerRef
claim decision (`ClaimPods` / `ClaimReplicaSets` in `controller_ref_manager.go`).

Times are floats (seconds since the Unix epoch) so the decisions stay pure and testable.
Left out: pod-deletion-cost feature-gate switches (both PodDeletionCost and
LogarithmicScaleDown are on, as by default upstream), sidecar restart counts, the
`canAdopt` re-read of the owner.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from minik8s.api.labels import Selector, label_selector_as_selector
from minik8s.api.podutil import is_pod_available, is_pod_ready, parse_time, ready_condition  # noqa: F401 (re-exported)

Obj = dict[str, Any]

SLOW_START_INITIAL_BATCH_SIZE = 1  # controller.SlowStartInitialBatchSize
BURST_REPLICAS = 500  # replicaset.BurstReplicas
EXPECTATIONS_TIMEOUT = 300.0  # controller.ExpectationsTimeout (5 minutes)
POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
_PHASE_ORDINAL = {"Pending": 0, "Unknown": 1, "Running": 2}


# -- pods ---------------------------------------------------------------------------------------
def is_pod_active(pod: Obj) -> bool:
    """`controller.IsPodActive`: not Succeeded/Failed and not being deleted."""
    phase = (pod.get("status") or {}).get("phase")
    return phase not in ("Succeeded", "Failed") and not pod["metadata"].get("deletionTimestamp")


def _ready_time(pod: Obj) -> float | None:
    cond = ready_condition(pod)
    if cond is None or cond.get("status") != "True":
        return None
    return parse_time(cond.get("lastTransitionTime"))


def _deletion_cost(pod: Obj) -> int:
    value = (pod["metadata"].get("annotations") or {}).get(POD_DELETION_COST)
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0


def _max_restarts(pod: Obj) -> int:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    return max((int(s.get("restartCount") or 0) for s in statuses), default=0)


def _after_or_zero(t1: float | None, t2: float | None) -> bool:
    if t1 is None or t2 is None:
        return t1 is None
    return t1 > t2


def _log_rank_diff(t1: float, t2: float, now: float) -> int:
    """`logarithmicRankDiff` over nanosecond durations (LogarithmicScaleDown)."""
    d1, d2 = (now - t1) * 1e9, (now - t2) * 1e9
    r1 = int(math.log2(d1)) if d1 > 0 else -1
    r2 = int(math.log2(d2)) if d2 > 0 else -1
    return r1 - r2


def _newer_first(a: Obj, b: Obj, t1: float | None, t2: float | None, now: float | None) -> bool:
    if now is None or t1 is None or t2 is None:
        return _after_or_zero(t1, t2)
    diff = _log_rank_diff(t1, t2, now)
    if diff == 0:
        return str(a["metadata"].get("uid", "")) < str(b["metadata"].get("uid", ""))
    return diff < 0


def pod_deletion_less(a: Obj, ra: int, b: Obj, rb: int, now: float | None) -> bool:
    """`ActivePodsWithRanks.Less`: whether `a` (rank `ra`) should be deleted before `b`."""
    na, nb = (
        (a.get("spec") or {}).get("nodeName") or "",
        (b.get("spec") or {}).get("nodeName") or "",
    )
    if na != nb and (not na or not nb):
        return not na  # 1. unassigned < assigned
    pa = _PHASE_ORDINAL.get((a.get("status") or {}).get("phase", ""), 0)
    pb = _PHASE_ORDINAL.get((b.get("status") or {}).get("phase", ""), 0)
    if pa != pb:
        return pa < pb  # 2. Pending < Unknown < Running
    if is_pod_ready(a) != is_pod_ready(b):
        return not is_pod_ready(a)  # 3. not ready < ready
    if _deletion_cost(a) != _deletion_cost(b):
        return _deletion_cost(a) < _deletion_cost(b)  # 4. lower pod-deletion-cost first
    if ra != rb:
        return ra > rb  # 5. more co-located related pods first
    ta, tb = _ready_time(a), _ready_time(b)
    if is_pod_ready(a) and is_pod_ready(b) and ta != tb:
        return _newer_first(a, b, ta, tb, now)  # 6. ready for less time first
    if _max_restarts(a) != _max_restarts(b):
        return _max_restarts(a) > _max_restarts(b)  # 7. more restarts first
    ca = parse_time(a["metadata"].get("creationTimestamp"))
    cb = parse_time(b["metadata"].get("creationTimestamp"))
    if ca != cb:
        return _newer_first(a, b, ca, cb, now)  # 8. newer first
    return False


def rank_pods_for_deletion(
    pods: Sequence[Obj], related: Sequence[Obj], now: float | None
) -> list[Obj]:
    """Pods in deletion order (`getPodsRankedByRelatedPodsOnSameNode` + sort), stable."""
    on_node: dict[str, int] = {}
    for pod in related:
        if is_pod_active(pod):
            node = (pod.get("spec") or {}).get("nodeName") or ""
            on_node[node] = on_node.get(node, 0) + 1
    ranked = [(pod, on_node.get((pod.get("spec") or {}).get("nodeName") or "", 0)) for pod in pods]

    def compare(x: tuple[Obj, int], y: tuple[Obj, int]) -> int:
        if pod_deletion_less(x[0], x[1], y[0], y[1], now):
            return -1
        return 1 if pod_deletion_less(y[0], y[1], x[0], x[1], now) else 0

    return [pod for pod, _ in sorted(ranked, key=functools.cmp_to_key(compare))]


def get_pods_to_delete(
    pods: Sequence[Obj], related: Sequence[Obj], diff: int, now: float | None
) -> list[Obj]:
    """`getPodsToDelete`: the first `diff` pods of the ranking (no sort when all go)."""
    if diff < len(pods):
        return rank_pods_for_deletion(pods, related, now)[:diff]
    return list(pods[:diff])


def slow_start_batch(
    count: int, initial: int, fn: Callable[[], None]
) -> tuple[int, Exception | None]:
    """`slowStartBatch`: call `fn` in batches 1, 2, 4…; stop after a batch with an error."""
    remaining, successes = count, 0
    batch = min(remaining, initial)
    while batch > 0:
        errors: list[Exception] = []
        for _ in range(batch):
            try:
                fn()
            except Exception as err:  # noqa: BLE001 - counted and returned, like upstream
                errors.append(err)
        successes += batch - len(errors)
        if errors:
            return successes, errors[0]
        remaining -= batch
        batch = min(2 * batch, remaining)
    return successes, None


# -- expectations -------------------------------------------------------------------------------
@dataclass
class _Expectee:
    add: int = 0
    dels: set[str] = field(default_factory=set)
    timestamp: float = 0.0


class ControllerExpectations:
    """`UIDTrackingControllerExpectations`: creations by count, deletions by pod key.

    A controller syncs a key only when what it asked for has been observed through its
    informer (or the expectation is older than 5 minutes).
    """

    def __init__(self, clock: Callable[[], float]):
        self.clock = clock
        self._store: dict[str, _Expectee] = {}

    def __repr__(self) -> str:
        return f"<ControllerExpectations {len(self._store)} keys>"

    def expect_creations(self, key: str, count: int) -> None:
        """`ExpectCreations`."""
        self._store[key] = _Expectee(add=count, timestamp=self.clock())

    def expect_deletions(self, key: str, pod_keys: Sequence[str]) -> None:
        """`ExpectDeletions` (by pod key, as UIDTrackingControllerExpectations)."""
        self._store[key] = _Expectee(dels=set(pod_keys), timestamp=self.clock())

    def creation_observed(self, key: str) -> None:
        """`CreationObserved`."""
        exp = self._store.get(key)
        if exp is not None:
            exp.add -= 1

    def deletion_observed(self, key: str, pod_key: str) -> None:
        """`DeletionObserved`."""
        exp = self._store.get(key)
        if exp is not None:
            exp.dels.discard(pod_key)

    def satisfied(self, key: str) -> bool:
        """`SatisfiedExpectations`: none recorded, all observed, or expired."""
        exp = self._store.get(key)
        if exp is None:
            return True
        if exp.add <= 0 and not exp.dels:
            return True
        return self.clock() - exp.timestamp > EXPECTATIONS_TIMEOUT

    def delete(self, key: str) -> None:
        """`DeleteExpectations`."""
        self._store.pop(key, None)


# -- selectors ----------------------------------------------------------------------------------
def selector_matcher(
    selector_spec: Obj | None,
) -> tuple[Selector, Callable[[dict[str, str]], bool]]:
    """The parsed selector and its `matches`; a plain `matchLabels` selector (the usual one)
    matches by a dict-items subset test, which is what its equality requirements mean."""
    selector = label_selector_as_selector(selector_spec)
    wanted = (selector_spec or {}).get("matchLabels")
    if wanted and not (selector_spec or {}).get("matchExpressions"):
        items = dict(wanted).items()
        return selector, lambda labels: items <= labels.items()
    return selector, selector.matches


def ready_condition_of(pod: Obj) -> Obj | None:
    """The pod's `Ready` condition itself (shared: do not mutate), without podutil's copy."""
    for condition in (pod.get("status") or {}).get("conditions") or ():
        if condition.get("type") == "Ready":
            return condition  # type: ignore[no-any-return]
    return None


# -- ControllerRef claiming ---------------------------------------------------------------------
def claim_decision(owner: Obj, obj: Obj, selector: Selector) -> str:
    """What `ClaimObject` does with `obj`: "own", "adopt", "release" or "ignore"."""
    owner_meta, meta = owner["metadata"], obj["metadata"]
    ref = next((r for r in meta.get("ownerReferences") or [] if r.get("controller")), None)
    matches = selector.matches(meta.get("labels") or {})
    if ref is not None:
        if ref.get("uid") != owner_meta.get("uid"):
            return "ignore"  # owned by someone else
        if matches:
            return "own"
        if owner_meta.get("deletionTimestamp"):
            return "ignore"
        return "release"
    if owner_meta.get("deletionTimestamp") or not matches or meta.get("deletionTimestamp"):
        return "ignore"
    return "adopt"
