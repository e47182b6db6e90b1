"""Which pod `kubectl logs|exec TYPE/NAME` talks to, and what `kubectl expose` copies.

Mirrors `k8s.io/kubectl/pkg/polymorphichelpers` (`SelectorsForObject`, `GetFirstPod`,
`attachablePodForObject` for exec, `logsForObject` for logs with its `Found N pods, using pod/X`
notice; for expose `MapBasedSelectorForObject`, `PortsForObject`, `ProtocolsForObject`) and
`pkg/util/podutils/podutils.go` (`ActivePods` reversed for exec, `ByLogging` for logs). Ties
keep the API server's (name) order, as Go's `sort.Sort` does for up to 12 pods (an insertion
sort); for more, Go's pdqsort order of equal pods is not reproduced. Leaves out
ReplicationControllers and waiting for a first pod to appear (upstream watches until
`--pod-running-timeout`; here no pod is an error).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from functools import cmp_to_key
from typing import TYPE_CHECKING, Any

from minik8s.api import kinds
from minik8s.api.labels import label_selector_as_selector
from minik8s.kubectl.table import parse_time

if TYPE_CHECKING:
    from minik8s.client.client import Client

Obj = dict[str, Any]
_ZERO = datetime.min.replace(tzinfo=timezone.utc)
_SELECTOR_KINDS = ("ReplicaSet", "StatefulSet", "DaemonSet", "Deployment", "Job")


def selector_for_object(obj: Obj) -> str:
    """upstream `SelectorsForObject`: the pods' label selector in its string form."""
    kind = obj.get("kind", "")
    spec = obj.get("spec") or {}
    if kind == "Service":
        selector = spec.get("selector") or {}
        if not selector:
            name = obj["metadata"]["name"]
            raise ValueError(f"invalid service '{name}': Service is defined without a selector")
        return ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
    if kind in _SELECTOR_KINDS:
        return str(label_selector_as_selector(spec.get("selector")))
    raise ValueError(f"selector for *v1.{kind} not implemented")


def is_pod_ready(pod: Obj) -> bool:
    """podutils `IsPodReady`."""
    return any(
        c.get("type") == "Ready" and c.get("status") == "True"
        for c in (pod.get("status") or {}).get("conditions") or []
    )


def _ready_time(pod: Obj) -> datetime:
    for c in (pod.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready" and c.get("status") == "True":
            return parse_time(c.get("lastTransitionTime")) or _ZERO
    return _ZERO


def _created(pod: Obj) -> datetime:
    return parse_time(pod["metadata"].get("creationTimestamp")) or _ZERO


def _restarts(pod: Obj) -> int:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    return max([s.get("restartCount", 0) for s in statuses] + [0])


def _after_or_zero(t1: datetime, t2: datetime) -> bool:
    """podutils `afterOrZero`: t1 after t2, a zero time counting as the latest."""
    if t1 == _ZERO or t2 == _ZERO:
        return t1 == _ZERO
    return t1 > t2


def _phase_rank(pod: Obj, ranks: dict[str, int]) -> int:
    return ranks.get((pod.get("status") or {}).get("phase", ""), 0)


_ACTIVE = {"Pending": 0, "Unknown": 1, "Running": 2}
_LOGGING = {"Running": 0, "Unknown": 1, "Pending": 2}


def active_pods_less(a: Obj, b: Obj) -> bool:
    """podutils `ActivePods.Less`: the less active pod (the one to delete first) first."""
    na, nb = a["spec"].get("nodeName", ""), b["spec"].get("nodeName", "")
    if na != nb and (not na or not nb):
        return not na
    if _phase_rank(a, _ACTIVE) != _phase_rank(b, _ACTIVE):
        return _phase_rank(a, _ACTIVE) < _phase_rank(b, _ACTIVE)
    if is_pod_ready(a) != is_pod_ready(b):
        return not is_pod_ready(a)
    if is_pod_ready(a) and is_pod_ready(b) and _ready_time(a) != _ready_time(b):
        return _after_or_zero(_ready_time(a), _ready_time(b))
    if _restarts(a) != _restarts(b):
        return _restarts(a) > _restarts(b)
    if _created(a) != _created(b):
        return _after_or_zero(_created(a), _created(b))
    return False


def by_logging_less(a: Obj, b: Obj) -> bool:
    """podutils `ByLogging.Less`: the pod whose logs are most worth reading first."""
    na, nb = a["spec"].get("nodeName", ""), b["spec"].get("nodeName", "")
    if na != nb and (not na or not nb):
        return bool(na)
    if _phase_rank(a, _LOGGING) != _phase_rank(b, _LOGGING):
        return _phase_rank(a, _LOGGING) < _phase_rank(b, _LOGGING)
    if is_pod_ready(a) != is_pod_ready(b):
        return is_pod_ready(a)
    if is_pod_ready(a) and is_pod_ready(b) and _ready_time(a) != _ready_time(b):
        return _after_or_zero(_ready_time(b), _ready_time(a))
    if _restarts(a) != _restarts(b):
        return _restarts(a) > _restarts(b)
    if _created(a) != _created(b):
        return _after_or_zero(_created(b), _created(a))
    return False


Less = Callable[[Obj, Obj], bool]


def sort_pods(pods: list[Obj], less: Less, reverse: bool = False) -> list[Obj]:
    """Stable sort by a Go `Less` (`sort.Reverse` when `reverse`)."""

    def compare(a: Obj, b: Obj) -> int:
        x, y = (b, a) if reverse else (a, b)
        return -1 if less(x, y) else (1 if less(y, x) else 0)

    return sorted(pods, key=cmp_to_key(compare))


def get_first_pod(
    client: Client, namespace: str, selector: str, less: Less, reverse: bool = False
) -> tuple[Obj, int]:
    """upstream `GetFirstPod`: the best pod for `selector` and how many pods matched."""
    pods = client.list("pods", namespace, label_selector=selector).get("items") or []
    if not pods:
        raise ValueError("error: timed out waiting for the condition")
    return sort_pods(pods, less, reverse)[0], len(pods)


def pod_for_object(client: Client, target: str, namespace: str, for_logs: bool) -> tuple[Obj, str]:
    """`POD` or `TYPE/NAME` → (the pod, a `Found N pods, using pod/X` notice or "")."""
    if "/" not in target:
        return client.get("pods", target, namespace), ""
    kind, _, name = target.partition("/")
    info = kinds.lookup(kind)
    obj = client.get(info.plural, name, namespace if info.namespaced else None)
    if info.kind == "Pod":
        return obj, ""
    obj.setdefault("kind", info.kind)
    try:
        selector = selector_for_object(obj)
    except ValueError as err:
        verb = "get the logs from" if for_logs else "attach to"
        raise ValueError(f"error: cannot {verb} *v1.{info.kind}: {err}") from None
    if for_logs:
        pod, count = get_first_pod(client, namespace, selector, by_logging_less)
        notice = f"Found {count} pods, using pod/{pod['metadata']['name']}\n" if count > 1 else ""
        return pod, notice
    pod, _ = get_first_pod(client, namespace, selector, active_pods_less, reverse=True)
    return pod, ""


def make_labels(labels: dict[str, str]) -> str:
    """`MakeLabels`: `a=1,b=2` (keys sorted here: Go's map order is random)."""
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


def map_based_selector(obj: Obj) -> str:
    """polymorphichelpers `MapBasedSelectorForObject`."""
    kind, spec = obj["kind"], obj.get("spec") or {}
    if kind == "Pod":
        labels = obj["metadata"].get("labels") or {}
        if not labels:
            raise ValueError("the pod has no labels and cannot be exposed")
        return make_labels(labels)
    if kind == "Service":
        if spec.get("selector") is None:
            raise ValueError("the service has no pod selector set")
        return make_labels(spec["selector"])
    if kind == "ReplicationController":
        return make_labels(spec.get("selector") or {})
    selector = spec.get("selector") or {}
    if not selector.get("matchLabels"):
        word = kind.lower()
        raise ValueError(f"invalid {word}: no selectors, therefore cannot be exposed")
    if selector.get("matchExpressions"):
        raise ValueError(
            f'couldn\'t convert expressions - "{selector["matchExpressions"]}" to map-based '
            "selector format"
        )
    return make_labels(selector["matchLabels"])


def _pod_spec(obj: Obj) -> Obj:
    spec = obj.get("spec") or {}
    return spec if obj["kind"] == "Pod" else (spec.get("template") or {}).get("spec") or {}


def ports_and_protocols(obj: Obj) -> tuple[list[str], dict[str, str]]:
    """`PortsForObject` and `ProtocolsForObject`: the ports a new Service copies."""
    if obj["kind"] == "Service":
        ports = (obj.get("spec") or {}).get("ports") or []
        return [str(p["port"]) for p in ports], {
            str(p["port"]): p.get("protocol", "TCP") for p in ports
        }
    container_ports = [
        p for c in _pod_spec(obj).get("containers") or [] for p in c.get("ports") or []
    ]
    return [str(p["containerPort"]) for p in container_ports], {
        str(p["containerPort"]): p.get("protocol", "TCP") for p in container_ports
    }
