"""Killing a pod's containers with the sidecar termination ordering, mirroring
`pkg/kubelet/kuberuntime/kuberuntime_termination_order.go` (`newTerminationOrdering`,
`waitForTurn`, `containerTerminated`) and `killContainersWithSyncResult` (1.31, SidecarContainers).

Every running container is killed at once (`killContainer` each): its `Killing` event and its
preStop hook come first, for sidecars too. Then a sidecar (a restartable init container) waits
for its turn, up to what is left of its grace period: until the regular containers and the
sidecar after it have terminated; only then is it stopped (SIGTERM, at least 2 s before SIGKILL),
so sidecars stop in reverse order after the regular containers. Upstream's goroutines block;
here a sidecar waiting for its turn is a `Turn`, checked whenever the pod syncs (a container's
exit brings a sync, so does the end of its wait).
Left out: the Killing events' order among themselves (upstream's goroutines race; here regular
containers first, then the sidecars in the order they stop).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from minik8s.kubelet import lifecycle
from minik8s.kubelet.ref import get_container_spec

if TYPE_CHECKING:
    from minik8s.kubelet.pod_state import PodState
    from minik8s.kubelet.pod_workers import PodWorkers

Obj = dict[str, Any]


@dataclass
class Turn:
    """A sidecar whose preStop hook is done, waiting to be stopped (`waitForTurn`)."""

    container_id: str
    since: float  # when it began to wait
    grace: float  # what was left of its grace period then: the longest it waits

    def __repr__(self) -> str:
        return f"<Turn {self.container_id[:12]} since={self.since:g} grace={self.grace:g}>"


@dataclass
class TerminationOrdering:
    """Who waits for whom (`prereqs`), who has terminated, who waits now."""

    prereqs: dict[str, list[str]]  # sidecar → the containers it waits for
    terminated: set[str]  # not running when the kill began, or stopped and exited since
    stopping: dict[str, str] = field(default_factory=dict)  # name → container id, stop sent
    waiting: dict[str, Turn] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"<TerminationOrdering waiting={sorted(self.waiting)}>"

    def wait(self, name: str, container_id: str, now: float, grace: float) -> bool:
        """Begin `name`'s wait for its turn (`waitForTurn`); False if it does not wait."""
        if grace <= 0 or not self.prereqs.get(name):
            return False
        self.waiting[name] = Turn(container_id, now, grace)
        return True

    def due(self, name: str, now: float) -> bool:
        """Whether waiting `name`'s turn has come: what it waits for has terminated, or it has
        waited as long as its grace period allows."""
        turn = self.waiting[name]
        done = all(p in self.terminated for p in self.prereqs[name])
        return done or now >= turn.since + turn.grace


def new_termination_ordering(pod: Obj, running: list[str]) -> TerminationOrdering:
    """`newTerminationOrdering`: each sidecar waits for every regular container and for the
    next sidecar in spec order; containers not running count as terminated."""
    spec = pod.get("spec") or {}
    names = [c["name"] for c in spec.get("containers") or []]
    ordering = TerminationOrdering({}, set())
    for name in names:
        if name not in running:
            ordering.terminated.add(name)
    previous = ""
    for c in reversed(spec.get("initContainers") or []):
        if c["name"] not in running:
            ordering.terminated.add(c["name"])
        if c.get("restartPolicy") == "Always":
            ordering.prereqs[c["name"]] = names + ([previous] if previous else [])
            previous = c["name"]
    return ordering


def kill_pod(w: PodWorkers, state: PodState, grace: float) -> None:
    """`killContainersWithSyncResult`: kill every running container, sidecars in their turn."""
    running = w.running(state)
    spec = state.pod.get("spec") or {}
    inits = spec.get("initContainers") or []
    sidecars = [c["name"] for c in inits if c.get("restartPolicy") == "Always"]
    ordering = None  # upstream: only for a pod with sidecars (`HasRestartableInitContainer`)
    if sidecars:
        ordering = new_termination_ordering(state.pod, [rec.name for rec, _ in running])
    state.ordering = ordering
    rank = {name: len(sidecars) - i for i, name in enumerate(sidecars)}  # regular first: 0
    for rec, current in sorted(running, key=lambda pair: rank.get(pair[0].name, 0)):
        message = f"Stopping container {rec.name}"
        container = get_container_spec(state.pod, rec.name)
        lifecycle.kill_container(w, state, container, current.id, grace, message, ordering)


def take_turns(w: PodWorkers, state: PodState) -> None:
    """Stop the sidecars whose turn has come: what they wait for has terminated, or their
    wait is over; each gets what is left of its grace period (whole seconds, at least 2 s)."""
    ordering = state.ordering
    if ordering is None:
        return
    for name, cid in list(ordering.stopping.items()):
        if name not in ordering.terminated and not lifecycle.is_running(w, cid):
            ordering.terminated.add(name)  # `containerTerminated`
    for name in sorted(ordering.waiting, key=list(ordering.prereqs).index):
        if not ordering.due(name, w.loop.now):
            continue
        turn = ordering.waiting.pop(name)
        left = turn.grace - int(w.loop.now - turn.since)  # Go truncates the seconds waited
        lifecycle.stop_container(w, state, name, turn.container_id, left, ordering)
