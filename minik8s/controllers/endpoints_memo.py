"""One pod event's answers, computed once for both endpoint controllers. No upstream counterpart:
upstream's Endpoints and EndpointSlice controllers each work them out for themselves
(`GetServicesToUpdateOnPodChange` in `pkg/controller/util/endpoint/controller_utils.go`).

Both controllers register pod handlers on the same shared informer, which hands each of them the
same (old, new) objects in turn. `PodAnswers` keeps the last answer to "what changed between
these two pods" (pure: informer objects are replaced on change, never mutated) and to "which
services select this pod" (valid until a Service changes: a handler on the services informer
counts the changes), so the second controller reuses what the first computed.
Left out: nothing; with a single controller it only adds two identity checks per question.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

Obj = dict[str, Any]
Changed = tuple[bool, bool]


class PodAnswers:
    """The last `changed(old, new)` and `service_keys(pod)` answers, shared read-only."""

    def __init__(
        self,
        services_informer: Any,
        service_keys: Callable[[Obj], set[str]],
        changed: Callable[[Obj, Obj], Changed],
    ):
        self._service_keys = service_keys
        self._changed = changed
        self.services_changes = 0  # Service events seen: a new one invalidates the keys
        self._keys: tuple[Obj | None, int, frozenset[str]] = (None, -1, frozenset())
        self._pair: tuple[Obj | None, Obj | None, Changed] = (None, None, (False, False))
        services_informer.add_event_handler(
            on_add=self._service_event,
            on_update=lambda _old, new: self._service_event(new),
            on_delete=self._service_event,
            resync_period=0,  # a resync changes nothing: no timer
        )

    def __repr__(self) -> str:
        return f"<PodAnswers services_changes={self.services_changes}>"

    def _service_event(self, _svc: Any) -> None:
        self.services_changes += 1

    def service_keys(self, pod: Obj) -> set[str]:
        """Keys of the services selecting `pod` (a fresh set the caller may change)."""
        last, changes, keys = self._keys
        if last is not pod or changes != self.services_changes:
            keys = frozenset(self._service_keys(pod))
            self._keys = (pod, self.services_changes, keys)
        return set(keys)

    def changed(self, old: Obj, new: Obj) -> Changed:
        """`pod_endpoints_changed(old, new)`, once per pair of objects."""
        last_old, last_new, answer = self._pair
        if last_old is not old or last_new is not new:
            answer = self._changed(old, new)
            self._pair = (old, new, answer)
        return answer


_shared: WeakKeyDictionary[Any, PodAnswers] = WeakKeyDictionary()


def pod_answers(
    informers: Any,
    service_keys: Callable[[Obj], set[str]],
    changed: Callable[[Obj, Obj], Changed],
) -> PodAnswers:
    """The `PodAnswers` of the informer factory `informers`, made by its first caller."""
    answers = _shared.get(informers)
    if answers is None:
        services = informers.informer_for("services")
        answers = _shared[informers] = PodAnswers(services, service_keys, changed)
    return answers
