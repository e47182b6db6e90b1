"""The API server's etcd compactor, mirroring
`staging/src/k8s.io/apiserver/pkg/storage/etcd3/compact.go` (`--etcd-compaction-interval`).

Every interval (upstream's default: 5 minutes) the store is compacted at the revision seen one
interval earlier, so at least one interval of history stays for watchers that fall behind while
the store's memory stays bounded however long the cluster runs. Left out: the `compact_rev_key`
transaction that lets several API servers share the work (there is one server here).
"""

from __future__ import annotations

from typing import Any

from minik8s.sim.loop import EventLoop, Timer

DEFAULT_INTERVAL = 300.0  # seconds, kube-apiserver --etcd-compaction-interval=5m


class Compactor:
    """Compacts `store` every `interval` virtual seconds, keeping one interval of history."""

    def __init__(self, store: Any, loop: EventLoop, interval: float = DEFAULT_INTERVAL):
        if interval <= 0:
            raise ValueError("compaction interval must be positive")
        self.store = store
        self.loop = loop
        self.interval = interval
        self.last_revision = 0  # the revision seen at the previous tick
        self.compactions = 0
        self.timer: Timer | None = None
        self._schedule()

    def __repr__(self) -> str:
        return (
            f"<Compactor every {self.interval:g}s compactions={self.compactions} "
            f"last_revision={self.last_revision}>"
        )

    def _schedule(self) -> None:
        self.timer = self.loop.call_later(
            self.interval, self._tick, label="etcd compactor", background=True
        )

    def _tick(self) -> None:
        """Compact at the revision of the previous tick, then remember today's."""
        if self.store.compact_revision < self.last_revision <= self.store.revision:
            self.store.compact(self.last_revision)
            self.compactions += 1
        self.last_revision = self.store.revision
        self._schedule()

    def stop(self) -> None:
        """No more compactions."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
