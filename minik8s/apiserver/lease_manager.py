"""Objects that expire: etcd leases for a resource's TTL, mirroring
`staging/src/k8s.io/apiserver/pkg/storage/etcd3/lease_manager.go` and the registry's `TTLFunc`.

Events are the one resource with a TTL (kube-apiserver `--event-ttl`, default 1 hour,
`pkg/registry/core/event/storage`): every create and update of an Event attaches it to an etcd
lease, and etcd deletes it when the lease runs out. Granting a lease per write would be costly,
so writes within a short window share one: a lease is granted for the TTL plus a reuse period
(5 % of the TTL, at most 60 s) and reused while it still outlives the TTL, for at most 1,000
objects. An Event therefore lives between one hour and one hour and a minute after its last
write.
"""

from __future__ import annotations

from minik8s.etcd import Store

EVENT_TTL = 3600  # seconds: kube-apiserver --event-ttl
TTL_SECONDS: dict[str, int] = {"events": EVENT_TTL}  # resource → TTL of its objects
LEASE_REUSE_DURATION_SECONDS = 60
LEASE_REUSE_DURATION_PERCENT = 0.05
LEASE_MAX_OBJECT_COUNT = 1000


class LeaseManager:
    """Hands out the lease a write with a TTL attaches its key to (`GetLease`)."""

    def __init__(self, store: Store):
        self.store = store
        self.prev_lease_id = 0
        self.prev_lease_expiration = float("-inf")
        self.attached = 0  # objects given the previous lease

    def __repr__(self) -> str:
        return f"<LeaseManager lease={self.prev_lease_id} attached={self.attached}>"

    @staticmethod
    def reuse_duration(ttl: int) -> int:
        """How much longer than `ttl` a granted lease lives, so later writes can share it."""
        return min(int(LEASE_REUSE_DURATION_PERCENT * ttl), LEASE_REUSE_DURATION_SECONDS)

    def get_lease(self, ttl: int) -> int:
        """A lease that outlives `ttl` seconds from now by less than the reuse duration."""
        now = self.store.clock()
        reuse = self.reuse_duration(ttl)
        valid = now + ttl < self.prev_lease_expiration
        # (upstream's `After`: its clock has moved since the grant; here writes of one virtual
        # instant share the time, so equal counts as sufficient)
        sufficient = now + ttl + reuse >= self.prev_lease_expiration
        self.attached += 1
        if valid and sufficient and self.attached <= LEASE_MAX_OBJECT_COUNT:
            return self.prev_lease_id
        self.prev_lease_id = self.store.lease_grant(ttl + reuse)
        self.prev_lease_expiration = now + ttl + reuse
        self.attached = 1
        return self.prev_lease_id
