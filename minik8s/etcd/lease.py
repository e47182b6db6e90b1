"""Leases: mirrors etcd `server/lease/lessor.go` (Lessor, Lease, Grant/Renew/Revoke/Lookup).

A lease has a TTL and a deadline on the injected clock; keys attached to it are deleted when it is
revoked or expires. The store owns key deletion (one revision per revoke); the lessor only keeps
leases and their key sets. Left out: checkpointing remaining TTLs, the minimum TTL derived from
the election timeout, leader promotion (on recovery every lease gets a full TTL again, which is
what etcd's `Promote` does on a new leader), and random lease ids (ids count up from 1).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

from minik8s.etcd.kv import LeaseExists, LeaseNotFound

MAX_LEASE_TTL = 9_000_000_000  # lessor.go MaxLeaseTTL


class LeaseTTLTooLarge(Exception):
    """lease.ErrLeaseTTLTooLarge."""

    def __init__(self) -> None:
        super().__init__("etcdserver: too large lease TTL")


@dataclass(slots=True)
class Lease:
    """One granted lease (lessor.go Lease)."""

    id: int
    ttl: int
    deadline: float
    keys: set[str] = field(default_factory=set)

    def remaining(self, now: float) -> int:
        """Whole seconds left, never negative (Lease.Remaining, truncated like etcd's int64())."""
        return max(0, math.floor(self.deadline - now))


class Lessor:
    """The set of live leases and the keys attached to each."""

    def __init__(self) -> None:
        self.leases: dict[int, Lease] = {}
        self.next_id = 1
        self._heap: list[tuple[float, int]] = []  # (deadline, id); stale entries skipped lazily

    def __repr__(self) -> str:
        return f"Lessor(leases={len(self.leases)}, next_id={self.next_id})"

    def grant(self, lease_id: int | None, ttl: int, now: float) -> Lease:
        """Create a lease; `lease_id` None picks the next free id."""
        if ttl > MAX_LEASE_TTL:
            raise LeaseTTLTooLarge()
        if lease_id is None or lease_id == 0:
            while self.next_id in self.leases:
                self.next_id += 1
            lease_id = self.next_id
        if lease_id in self.leases:
            raise LeaseExists()
        self.next_id = max(self.next_id, lease_id + 1)
        lease = Lease(lease_id, ttl, now + ttl)
        self.leases[lease_id] = lease
        heapq.heappush(self._heap, (lease.deadline, lease_id))
        return lease

    def lookup(self, lease_id: int) -> Lease:
        """The lease or LeaseNotFound."""
        lease = self.leases.get(lease_id)
        if lease is None:
            raise LeaseNotFound()
        return lease

    def renew(self, lease_id: int, now: float) -> int:
        """Push the deadline to now + TTL and return the TTL (an expired lease is not found)."""
        lease = self.lookup(lease_id)
        if lease.deadline <= now:
            raise LeaseNotFound()
        if now + lease.ttl != lease.deadline:  # the heap has an entry for an unchanged one
            lease.deadline = now + lease.ttl
            heapq.heappush(self._heap, (lease.deadline, lease_id))
        return lease.ttl

    def remove(self, lease_id: int) -> Lease:
        """Forget the lease (the store deletes its keys first)."""
        lease = self.lookup(lease_id)
        del self.leases[lease_id]
        return lease

    def attach(self, lease_id: int, key: str) -> None:
        """Record that `key` belongs to the lease."""
        self.leases[lease_id].keys.add(key)

    def detach(self, lease_id: int, key: str) -> None:
        """Forget that `key` belongs to the lease (no-op if either is gone)."""
        lease = self.leases.get(lease_id)
        if lease is not None:
            lease.keys.discard(key)

    def expired(self, now: float) -> list[int]:
        """Ids of leases whose deadline has passed, earliest deadline first."""
        heap = self._heap
        due: dict[int, None] = {}  # each lease once, in deadline order
        while heap and heap[0][0] <= now:
            deadline, lease_id = heapq.heappop(heap)
            lease = self.leases.get(lease_id)
            if lease is not None and lease.deadline == deadline:
                due[lease_id] = None
        return list(due)

    def refresh(self, now: float) -> None:
        """Give every lease a full TTL from `now` (lessor.Promote, used after recovery)."""
        self._heap = []
        for lease in self.leases.values():
            lease.deadline = now + lease.ttl
            heapq.heappush(self._heap, (lease.deadline, lease.id))
