"""`kubectl get` table rows for every kind minik8s serves.

Mirrors `pkg/printers/internalversion/printers.go` (`AddHandlers` column definitions, with
priority-1 columns shown only by `-o wide`, and the `print<Kind>` row functions). Kinds without a
handler (Binding) get the default `NAME AGE` table like `printObjectMeta`. Leaves out the server's
Table API (kubectl here formats the objects itself) and kinds minik8s does not serve.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from minik8s.api.labels import label_selector_as_selector
from minik8s.kubectl import pod_status
from minik8s.kubectl.table import cell, human_duration, parse_time, since

Obj = dict[str, Any]
Row = Callable[[Obj, datetime], list[Any]]
Column = tuple[str, int]  # (header, priority)

_TEMPLATE_WIDE: list[Column] = [("CONTAINERS", 1), ("IMAGES", 1), ("SELECTOR", 1)]


def object_meta(obj: Obj) -> Obj:
    """The object's `metadata` (empty when absent)."""
    return obj.get("metadata") or {}


def object_age(obj: Obj, now: datetime) -> str:
    """The AGE column: `translateTimestampSince(obj.CreationTimestamp)`."""
    return since(now, object_meta(obj).get("creationTimestamp"))


def format_labels(labels: dict[str, str] | None) -> str:
    """`labels.FormatLabels`: `k=v,k2=v2` sorted by key, `<none>` when empty."""
    if not labels:
        return "<none>"
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()))


def format_label_selector(selector: Obj | None) -> str:
    """`metav1.FormatLabelSelector`: requirements sorted by key, `<none>` when empty."""
    try:
        text = str(label_selector_as_selector(selector))
    except ValueError:
        return "<error>"
    return text or "<none>"


def _containers(template_spec: Obj) -> list[str]:
    containers = template_spec.get("containers") or []
    names = ",".join(c.get("name", "") for c in containers)
    images = ",".join(c.get("image", "") for c in containers)
    return [names, images]


def _pod_template_spec(obj: Obj) -> Obj:
    return ((obj.get("spec") or {}).get("template") or {}).get("spec") or {}


def list_with_more_string(items: list[str], count: int, maximum: int = 3) -> str:
    """`listWithMoreString`: the first `maximum` items, then `+ N more...`; `<unset>` if none."""
    ret = ",".join(items[:maximum])
    if count > maximum:
        return f"{ret} + {count - maximum} more..."
    return ret or "<unset>"


# -- workloads ---------------------------------------------------------------------------------
def _pod(obj: Obj, now: datetime) -> list[Any]:
    return pod_status.pod_row(obj, now)


def _deployment(obj: Obj, now: datetime) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    ready = f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 0)}"
    return [
        object_meta(obj).get("name", ""),
        ready,
        status.get("updatedReplicas", 0),
        status.get("availableReplicas", 0),
        object_age(obj, now),
        *_containers(_pod_template_spec(obj)),
        format_label_selector(spec.get("selector")),
    ]


def _replicaset(obj: Obj, now: datetime) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    return [
        object_meta(obj).get("name", ""),
        spec.get("replicas", 0),
        status.get("replicas", 0),
        status.get("readyReplicas", 0),
        object_age(obj, now),
        *_containers(_pod_template_spec(obj)),
        format_label_selector(spec.get("selector")),
    ]


def _statefulset(obj: Obj, now: datetime) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    ready = f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 0)}"
    return [
        object_meta(obj).get("name", ""),
        ready,
        object_age(obj, now),
        *_containers(_pod_template_spec(obj)),
    ]


def _daemonset(obj: Obj, now: datetime) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    counts = [
        status.get(k, 0)
        for k in (
            "desiredNumberScheduled",
            "currentNumberScheduled",
            "numberReady",
            "updatedNumberScheduled",
            "numberAvailable",
        )
    ]
    node_selector = format_labels(_pod_template_spec(obj).get("nodeSelector"))
    return [
        object_meta(obj).get("name", ""),
        *counts,
        node_selector,
        object_age(obj, now),
        *_containers(_pod_template_spec(obj)),
        format_label_selector(spec.get("selector")),
    ]


def _has_condition(status: Obj, ctype: str) -> bool:
    for cond in status.get("conditions") or []:
        if cond.get("type") == ctype:
            return cond.get("status") == "True"
    return False


def _job_status(obj: Obj) -> str:
    status = obj.get("status") or {}
    if _has_condition(status, "Complete"):
        return "Complete"
    if _has_condition(status, "Failed"):
        return "Failed"
    if object_meta(obj).get("deletionTimestamp"):
        return "Terminating"
    if _has_condition(status, "Suspended"):
        return "Suspended"
    if _has_condition(status, "FailureTarget"):
        return "FailureTarget"
    return "Running"


def _job(obj: Obj, now: datetime) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    succeeded = status.get("succeeded", 0)
    if spec.get("completions") is not None:
        completions = f"{succeeded}/{spec['completions']}"
    elif (spec.get("parallelism") or 0) > 1:
        completions = f"{succeeded}/1 of {spec['parallelism']}"
    else:
        completions = f"{succeeded}/1"
    start, end = parse_time(status.get("startTime")), parse_time(status.get("completionTime"))
    duration = ""
    if start is not None:
        duration = human_duration(((end or now) - start).total_seconds())
    return [
        object_meta(obj).get("name", ""),
        _job_status(obj),
        completions,
        duration,
        object_age(obj, now),
        *_containers(_pod_template_spec(obj)),
        format_label_selector(spec.get("selector")),
    ]


def _bool_ptr(value: Any) -> str:
    return "<unset>" if value is None else ("True" if value else "False")


def _cronjob(obj: Obj, now: datetime) -> list[Any]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    last = status.get("lastScheduleTime")
    job_spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    template = (job_spec.get("template") or {}).get("spec") or {}
    return [
        object_meta(obj).get("name", ""),
        spec.get("schedule", ""),
        spec.get("timeZone") or "<none>",
        _bool_ptr(spec.get("suspend")),
        len(status.get("active") or []),
        since(now, last) if last else "<none>",
        object_age(obj, now),
        *_containers(template),
        format_label_selector(job_spec.get("selector")),
    ]


def _controllerrevision(obj: Obj, now: datetime) -> list[Any]:
    controller, meta = "<none>", object_meta(obj)
    for ref in meta.get("ownerReferences") or []:
        if ref.get("controller"):
            group = ref.get("apiVersion", "").rpartition("/")[0]
            kind = ref.get("kind", "") + (f".{group}" if group else "")
            controller = f"{kind.lower()}/{ref.get('name', '')}"
    return [meta.get("name", ""), controller, obj.get("revision", 0), object_age(obj, now)]


WORKLOADS: dict[str, tuple[list[Column], Row]] = {
    "Pod": (
        [
            ("NAME", 0),
            ("READY", 0),
            ("STATUS", 0),
            ("RESTARTS", 0),
            ("AGE", 0),
            ("IP", 1),
            ("NODE", 1),
            ("NOMINATED NODE", 1),
            ("READINESS GATES", 1),
        ],
        _pod,
    ),
    "Deployment": (
        [
            ("NAME", 0),
            ("READY", 0),
            ("UP-TO-DATE", 0),
            ("AVAILABLE", 0),
            ("AGE", 0),
            *_TEMPLATE_WIDE,
        ],
        _deployment,
    ),
    "ReplicaSet": (
        [("NAME", 0), ("DESIRED", 0), ("CURRENT", 0), ("READY", 0), ("AGE", 0), *_TEMPLATE_WIDE],
        _replicaset,
    ),
    "StatefulSet": (
        [("NAME", 0), ("READY", 0), ("AGE", 0), ("CONTAINERS", 1), ("IMAGES", 1)],
        _statefulset,
    ),
    "DaemonSet": (
        [
            ("NAME", 0),
            ("DESIRED", 0),
            ("CURRENT", 0),
            ("READY", 0),
            ("UP-TO-DATE", 0),
            ("AVAILABLE", 0),
            ("NODE SELECTOR", 0),
            ("AGE", 0),
            *_TEMPLATE_WIDE,
        ],
        _daemonset,
    ),
    "Job": (
        [
            ("NAME", 0),
            ("STATUS", 0),
            ("COMPLETIONS", 0),
            ("DURATION", 0),
            ("AGE", 0),
            *_TEMPLATE_WIDE,
        ],
        _job,
    ),
    "CronJob": (
        [
            ("NAME", 0),
            ("SCHEDULE", 0),
            ("TIMEZONE", 0),
            ("SUSPEND", 0),
            ("ACTIVE", 0),
            ("LAST SCHEDULE", 0),
            ("AGE", 0),
            *_TEMPLATE_WIDE,
        ],
        _cronjob,
    ),
    "ControllerRevision": (
        [("NAME", 0), ("CONTROLLER", 0), ("REVISION", 0), ("AGE", 0)],
        _controllerrevision,
    ),
}


def columns_for(kind: str) -> tuple[list[Column], Row]:
    """The column definitions and row function for a kind (default `NAME AGE`)."""
    from minik8s.kubectl.printers_misc import OTHERS
    from minik8s.kubectl.printers_network import NETWORK

    handlers = {**WORKLOADS, **NETWORK, **OTHERS}
    if kind in handlers:
        return handlers[kind]
    return [("NAME", 0), ("AGE", 0)], _object_meta_row


def row_cells(kind: str, obj: Obj, now: datetime, wide: bool) -> tuple[list[str], list[str]]:
    """Headers and string cells of one object's row (priority-1 columns only when `wide`)."""
    columns, row = columns_for(kind)
    values = row(obj, now)
    headers, cells = [], []
    for (header, priority), value in zip(columns, values, strict=False):
        if priority == 0 or wide:
            headers.append(header)
            cells.append(cell(value))
    return headers, cells


def _object_meta_row(obj: Obj, now: datetime) -> list[Any]:
    """`printObjectMeta`: the default `NAME AGE` row."""
    return [object_meta(obj).get("name", ""), object_age(obj, now)]
