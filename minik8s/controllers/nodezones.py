"""Zones and their eviction rate limits for the node lifecycle controller, mirroring
`pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go` (`RateLimitedTimedQueue`,
client-go's token bucket) and the zone parts of `node_lifecycle_controller.go`
(`ComputeZoneState`, `setLimiterInZone`, `ReducedQPSFunc`, `HealthyQPSFunc`) and
component-helpers `node/topology.GetZoneKey`.

NoExecute taints are applied through one queue per zone, at `--node-eviction-rate` (0.1 node/s).
A zone where at least 55 % of more than two nodes are not Ready is partially disrupted: small
clusters (≤ 50 nodes) stop tainting there, large ones slow to 0.01 node/s. Left out: per-item
`processAt` retry delays (a failed item goes to the back of the queue).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Obj = dict[str, Any]
EVICTION_LIMITER_QPS = 0.1
SECONDARY_EVICTION_LIMITER_QPS = 0.01
LARGE_CLUSTER_THRESHOLD = 50
UNHEALTHY_ZONE_THRESHOLD = 0.55
INITIAL, NORMAL = "Initial", "Normal"
PARTIAL_DISRUPTION, FULL_DISRUPTION = "PartialDisruption", "FullDisruption"


def zone_key(node: Obj) -> str:
    """upstream `GetZoneKey`: region and zone labels, "" when neither is set."""
    labels = node["metadata"].get("labels") or {}
    region = labels.get("topology.kubernetes.io/region", "")
    zone = labels.get("topology.kubernetes.io/zone", "")
    return f"{region}:\x00:{zone}" if region or zone else ""


class TokenBucket:
    """client-go's token bucket limiter (`TryAccept` only); qps 0 never accepts."""

    def __init__(self, qps: float, burst: int = 1, now: float = 0.0):
        self.qps, self.burst = qps, burst
        self.tokens, self.last = float(burst), now

    def __repr__(self) -> str:
        return f"<TokenBucket qps={self.qps} burst={self.burst}>"

    def try_accept(self, now: float) -> bool:
        """Take a token if one is available at `now`."""
        if self.qps <= 0:
            return False
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.qps)
        self.last = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def next_token_at(self, now: float) -> float | None:
        """When the next token will be there (None: never)."""
        return None if self.qps <= 0 else now + max(0.0, (1 - self.tokens) / self.qps)


class RateLimitedTimedQueue:
    """A unique FIFO of node names behind a token bucket (upstream's UniqueQueue + limiter).

    As upstream, a name stays in the "seen" set after it is processed, so it is not queued again
    until `remove` (the node became reachable, or needs a different taint)."""

    def __init__(self, qps: float, now: float):
        self.limiter = TokenBucket(qps, 1, now)
        self.queue: list[str] = []
        self.seen: set[str] = set()

    def __repr__(self) -> str:
        return f"<RateLimitedTimedQueue qps={self.limiter.qps} queue={self.queue}>"

    def add(self, name: str) -> bool:
        """Queue `name` unless it was queued before; whether it was added."""
        if name in self.seen:
            return False
        self.seen.add(name)
        self.queue.append(name)
        return True

    def remove(self, name: str) -> bool:
        """Forget `name` entirely; whether it was known."""
        found = name in self.seen
        self.seen.discard(name)
        if name in self.queue:
            self.queue.remove(name)
        return found

    def swap_limiter(self, qps: float, now: float) -> None:
        """upstream `SwapLimiter`: a fresh bucket at the new rate."""
        if qps != self.limiter.qps:
            self.limiter = TokenBucket(qps, 1, now)


def compute_zone_state(ready_conditions: list[Obj | None]) -> tuple[int, str]:
    """upstream `ComputeZoneState`: how many nodes are not Ready, and the zone's state."""
    ready = sum(1 for c in ready_conditions if c is not None and c.get("status") == "True")
    not_ready = len(ready_conditions) - ready
    if ready == 0 and not_ready > 0:
        return not_ready, FULL_DISRUPTION
    if not_ready > 2 and not_ready / (not_ready + ready) >= UNHEALTHY_ZONE_THRESHOLD:
        return not_ready, PARTIAL_DISRUPTION
    return not_ready, NORMAL


def zone_qps(state: str, size: int) -> float:
    """upstream `setLimiterInZone` with `ReducedQPSFunc` / `HealthyQPSFunc`."""
    if state == PARTIAL_DISRUPTION:
        return SECONDARY_EVICTION_LIMITER_QPS if size > LARGE_CLUSTER_THRESHOLD else 0.0
    return EVICTION_LIMITER_QPS


ENTER_MASTER_DISRUPTION, EXIT_MASTER_DISRUPTION = "enter", "exit"


class Zones:
    """Zone states and their taint queues (upstream `zoneStates`, `zoneNoExecuteTainter`)."""

    def __init__(self) -> None:
        self.states: dict[str, str] = {}
        self.tainters: dict[str, RateLimitedTimedQueue] = {}

    def __repr__(self) -> str:
        return f"<Zones {dict(sorted(self.states.items()))}>"

    def tainter_for(self, node: Obj, now: float) -> RateLimitedTimedQueue:
        """The node's zone queue, made on first sight (upstream `addPodEvictorForNewZone`)."""
        zone = zone_key(node)
        if zone not in self.states:
            self.states[zone] = INITIAL
            self.tainters[zone] = RateLimitedTimedQueue(EVICTION_LIMITER_QPS, now)
        return self.tainters[zone]

    def handle_disruption(self, zone_conditions: dict[str, list[Obj | None]], now: float) -> str:
        """upstream `handleDisruption`: new zone states set the limiters. Returns
        `ENTER_MASTER_DISRUPTION` when every zone just went fully down (the caller then removes
        all NoExecute taints), `EXIT_MASTER_DISRUPTION` when that ends, else ""."""
        new_states = {zone: compute_zone_state(c)[1] for zone, c in zone_conditions.items()}
        for zone in [z for z in self.states if z not in zone_conditions]:
            del self.states[zone]
        all_are = bool(new_states) and all(s == FULL_DISRUPTION for s in new_states.values())
        all_were = bool(self.states) and all(s == FULL_DISRUPTION for s in self.states.values())
        if all_are and all_were:
            return ""
        if all_are:
            for zone in self.states:
                self.tainters[zone].swap_limiter(0, now)
                self.states[zone] = FULL_DISRUPTION
            return ENTER_MASTER_DISRUPTION
        for zone, state in new_states.items():
            if self.states.get(zone) != state or all_were:
                self.tainters[zone].swap_limiter(zone_qps(state, len(zone_conditions[zone])), now)
                self.states[zone] = state
        return EXIT_MASTER_DISRUPTION if all_were else ""

    def try_all(self, now: float, process: Callable[[str], bool]) -> float | None:
        """upstream `Try` on each zone queue, as its limiter allows; `process(name)` False puts
        the name back at the end. Returns when a waiting name can next be tried (None: never)."""
        wake: float | None = None
        for tainter in self.tainters.values():
            while tainter.queue and tainter.limiter.try_accept(now):
                name = tainter.queue.pop(0)
                if not process(name):
                    tainter.queue.append(name)
            at = tainter.limiter.next_token_at(now) if tainter.queue else None
            if at is not None and (wake is None or at < wake):
                wake = at
        return wake
