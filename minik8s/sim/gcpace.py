"""Full garbage collections paced like Go's (`GOGC=100`) while the event loop runs.

Go, which upstream Kubernetes is written in, collects when the heap has doubled since the last
collection. CPython's cyclic collector runs a full collection whenever the objects promoted to its
oldest generation since the last one exceed a quarter of those that survived it, and every full
collection visits every tracked object. A simulated cluster keeps about 270 tracked objects per
node and replaces thousands of them every virtual second (each Lease renewal stores a new Lease
in the watch cache and in every informer), so with CPython's pacing a third of a 5,000-node
cluster's CPU time went to full collections that found almost nothing: minik8s's objects are
trees of dicts, freed by reference counting the moment they are replaced.

While `EventLoop.run` or `settle` runs, `GCPacer` turns CPython's automatic collections off, the
young generations' too, and runs a full collection itself when the interpreter's allocated
memory blocks have doubled since the last one: like Go's collector, which has no generations.
Young collections found nothing either (a rollout and an hour of steady state leave no cyclic
garbage), yet each one visits everything its young objects refer to, so on a heap of gigabytes
they cost about a tenth of the steady state's time. Cyclic garbage, should a run make some,
waits for the next full collection, as it would in Go. Unlike Go, a collection that found no
garbage at all doubles the growth the next one waits for (2×, then 4×, 8×, 16× the heap), and
one that found some goes back to 2×: at 150,000 pods a full collection visits 58 million blocks
for 16 s, and the four a rollout made found nothing. Counting the allocated blocks walks every
arena (about 1 ms at 1.5 GB), so on a large heap the pacer looks only every
`blocks / BLOCKS_PER_STEP` steps: a look costs a few ns per step at any size, and the heap grows
by a few percent at most between two looks. Leaving the outermost run turns the collector back
on. Garbage collection never changes what a simulation does, only when memory is given back
(minik8s keeps no weak references to live objects and defines no `__del__`).
"""

from __future__ import annotations

import gc
import sys

CHECK_EVERY = 4096  # loop steps between two looks at the heap (a look costs a few µs)
MIN_GOAL = 1 << 20  # blocks: small heaps are left to grow to this before a full collection
BLOCKS_PER_STEP = 256  # a heap of N blocks is looked at every N / 256 steps (at least 4096)
GROWTH, MAX_GROWTH = 2, 16  # the heap's growth before the next collection: GOGC=100 is 2


class GCPacer:
    """`with pacer:` around a run of the loop; `pacer.check()` every `CHECK_EVERY` steps."""

    __slots__ = ("_depth", "_paused", "goal", "growth", "collections", "skip")

    def __init__(self) -> None:
        self._depth = 0
        self._paused = False  # automatic collection was on, and is off while we pace
        self.goal = 0  # allocated blocks that trigger the next full collection
        self.growth = GROWTH  # the goal over the blocks left by the last collection
        self.collections = 0  # full collections this pacer ran
        self.skip = 0  # checks to pass over before the next look at the heap

    def __repr__(self) -> str:
        return f"<GCPacer collections={self.collections} active={self._depth > 0}>"

    def __enter__(self) -> GCPacer:
        self._depth += 1
        # (a first threshold of 0, or a disabled collector: automatic collection is off)
        if self._depth == 1 and gc.isenabled() and gc.get_threshold()[0] > 0:
            self._paused = True
            gc.disable()
            self.goal = max(MIN_GOAL, self.growth * sys.getallocatedblocks())
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth == 0 and self._paused:
            gc.enable()
            self._paused = False

    def check(self) -> None:
        """A full collection if the heap has grown `growth` times since the last one (while
        paced)."""
        if not self._paused:
            return
        if self.skip:
            self.skip -= 1
            return
        blocks = sys.getallocatedblocks()
        if blocks > self.goal:
            found = gc.collect()
            self.collections += 1
            self.growth = GROWTH if found else min(2 * self.growth, MAX_GROWTH)
            blocks = sys.getallocatedblocks()
            self.goal = max(MIN_GOAL, self.growth * blocks)
        self.skip = blocks // (BLOCKS_PER_STEP * CHECK_EVERY)


PACER = GCPacer()  # the collector is the process's: one pacer for every loop
