"""`k8s.io/kubectl/pkg/cmd/wait` (`RunWait`, `IsDeleted`) as `kubectl delete` uses it to wait until
the deleted objects are gone.

As in `delete.go`: `RunWait` with `ConditionFn: IsDeleted`, a `UIDMap` from the DELETE responses (an
object of the same name with another UID counts as gone), one deadline shared by all objects
(`--timeout`, 0 meaning a week), the objects visited in order and the first timeout ending the wait
with `timed out waiting for the condition on pods/web`. `IsDeleted` GETs the object, then watches it
by `metadata.name` until a `DELETED` event.

Time is virtual: waiting runs the cluster's event loop (every timer, background ones too, since the
kubelet's grace-period timers are background) until the object is gone or the deadline. Leaves out
the `Interrupted` path and the printing of watch `ERROR` events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from minik8s.api import errors
from minik8s.kubectl.flag_values import duration_flag
from minik8s.sim.gcpace import CHECK_EVERY, PACER

if TYPE_CHECKING:
    from minik8s.client.client import Client
    from minik8s.kubectl.cli import Args
    from minik8s.sim.loop import EventLoop

Obj = dict[str, Any]
WEEK = 168 * 3600.0  # delete.go: "if we requested to wait forever, set it to a week"


@dataclass(frozen=True)
class Deleted:
    """One object a DELETE was sent for: where it lives and the UID the response carried."""

    plural: str
    name: str
    namespace: str | None
    uid: str | None

    def __repr__(self) -> str:
        return f"<Deleted {self.plural}/{self.name} uid={self.uid}>"


def parse_timeout(args: Args) -> float:
    """`--timeout` (a Go duration flag) in seconds; 0 when absent."""
    return duration_flag(args, "timeout")


def effective_timeout(timeout: float) -> float:
    """delete.go: a zero `--timeout` waits a week."""
    return WEEK if timeout == 0 else timeout


def wait_for_deletion(client: Client, deleted: list[Deleted], timeout: float) -> str:
    """`RunWait` with `IsDeleted`: "" once every object is gone, else the timeout error line."""
    deadline = client.loop.now + timeout
    for item in deleted:
        if not _wait_gone(client, item, deadline):
            return f"error: timed out waiting for the condition on {item.plural}/{item.name}\n"
    return ""


def is_gone(client: Client, item: Deleted) -> tuple[bool, Obj | None]:
    """`IsDeleted`'s first GET: (gone, the live object): NotFound or another UID means gone."""
    try:
        live = client.get(item.plural, item.name, item.namespace)
    except errors.NotFound:
        return True, None
    if item.uid and (live.get("metadata") or {}).get("uid") != item.uid:
        return True, live
    return False, live


def _wait_gone(client: Client, item: Deleted, deadline: float) -> bool:
    """Watch one object until its `DELETED` event, running the loop up to `deadline`."""
    gone, live = is_gone(client, item)
    if gone:
        return True
    loop = client.loop
    if live is None or loop.now >= deadline:
        return False
    seen: list[str] = []

    def on_event(event_type: str, obj: Obj) -> None:
        if event_type == "DELETED":
            seen.append(event_type)

    watch = client.watch(
        item.plural,
        on_event,
        item.namespace,
        resource_version=live["metadata"].get("resourceVersion"),
        field_selector=f"metadata.name={item.name}",
    )
    try:
        return _run_until(loop, deadline, seen)
    finally:
        watch.stop()


def _run_until(loop: EventLoop, deadline: float, seen: list[str]) -> bool:
    """Step the loop until `seen` has an event (True) or the deadline passes (False)."""
    count = 0
    with PACER:  # full collections paced as in `EventLoop.run`
        while not seen:
            if loop.now >= deadline:
                return False
            if loop.step(until=deadline) is None:
                loop.run(until=deadline)
            count += 1
            if not count % CHECK_EVERY:
                PACER.check()
    return True
