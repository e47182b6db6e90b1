"""`kubectl describe` for Deployment, ReplicaSet, StatefulSet, DaemonSet, Job and CronJob.

Mirrors the `DeploymentDescriber`, `ReplicaSetDescriber`, `StatefulSetDescriber`,
`DaemonSetDescriber`, `JobDescriber` and `CronJobDescriber` of
`k8s.io/kubectl/pkg/describe/describe.go`, including `getPodStatusForController` (pods counted by
phase among those the object controls) and `printReplicaSetsByLabels`. Leaves out indexed-job
details and pod-failure policies.
"""

from __future__ import annotations

from typing import Any

from minik8s.kubectl.describe_base import (
    PrefixWriter,
    annotations_multiline,
    controller_of,
    describe_events,
    header,
    labels_multiline,
    rfc1123z,
)
from minik8s.kubectl.describe_containers import describe_pod_template
from minik8s.kubectl.printers import format_label_selector, format_labels
from minik8s.kubectl.table import human_duration, parse_time

Obj = dict[str, Any]


def _selector(selector: Obj | None) -> str:
    text = format_label_selector(selector)
    return "" if text == "<none>" and selector is not None else text


def controlled(client: Any, resource: str, owner: Obj) -> list[Obj]:
    """Objects of `resource` in the owner's namespace whose controller is `owner`."""
    meta = owner.get("metadata") or {}
    items = client.list(resource, meta.get("namespace")).get("items") or []
    return [
        o
        for o in items
        if any(
            r.get("controller") and r.get("uid") == meta.get("uid")
            for r in (o.get("metadata") or {}).get("ownerReferences") or []
        )
    ]


def _pods_status(client: Any, owner: Obj) -> str:
    phases = [(p.get("status") or {}).get("phase") for p in controlled(client, "pods", owner)]
    counts = [phases.count(p) for p in ("Running", "Pending", "Succeeded", "Failed")]
    return "{} Running / {} Waiting / {} Succeeded / {} Failed".format(*counts)


def _conditions(w: PrefixWriter, conditions: list[Obj] | None) -> None:
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for c in conditions:
            w.write(1, f"{c.get('type')} \t{c.get('status')}\t{c.get('reason', '')}\n")


def _replica_sets(rss: list[Obj]) -> str:
    parts = [
        f"{(rs.get('metadata') or {}).get('name')} ({(rs.get('status') or {}).get('replicas', 0)}"
        f"/{(rs.get('spec') or {}).get('replicas', 0)} replicas created)"
        for rs in rss
    ]
    return ", ".join(parts) or "<none>"


def _strip_hash(template: Obj) -> Obj:
    meta = dict(template.get("metadata") or {})
    labels = {k: v for k, v in (meta.get("labels") or {}).items() if k != "pod-template-hash"}
    return {**template, "metadata": {**meta, "labels": labels}}


def describe_deployment(w: PrefixWriter, d: Obj, events: list[Obj] | None, client: Any) -> None:
    """`DeploymentDescriber`."""
    meta, spec, status = d.get("metadata") or {}, d.get("spec") or {}, d.get("status") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Selector:\t{_selector(spec.get('selector'))}\n")
    w.write(
        0,
        "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n".format(
            spec.get("replicas", 0),
            status.get("updatedReplicas", 0),
            status.get("replicas", 0),
            status.get("availableReplicas", 0),
            status.get("unavailableReplicas", 0),
        ),
    )
    strategy = spec.get("strategy") or {}
    w.write(0, f"StrategyType:\t{strategy.get('type', '')}\n")
    w.write(0, f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}\n")
    if strategy.get("rollingUpdate"):
        ru = strategy["rollingUpdate"]
        w.write(
            0,
            f"RollingUpdateStrategy:\t{ru.get('maxUnavailable', '')} max unavailable, "
            f"{ru.get('maxSurge', '')} max surge\n",
        )
    describe_pod_template(w, spec.get("template"))
    _conditions(w, status.get("conditions"))
    rss = controlled(client, "replicasets", d)
    template = _strip_hash(spec.get("template") or {})
    new = [
        rs for rs in rss if _strip_hash((rs.get("spec") or {}).get("template") or {}) == template
    ]
    old = [rs for rs in rss if rs not in new and ((rs.get("spec") or {}).get("replicas") or 0) > 0]
    w.write(0, f"OldReplicaSets:\t{_replica_sets(old)}\n")
    w.write(0, f"NewReplicaSet:\t{_replica_sets(new[:1])}\n")
    describe_events(w, events)


def describe_replicaset(w: PrefixWriter, rs: Obj, events: list[Obj] | None, client: Any) -> None:
    """`ReplicaSetDescriber`."""
    meta, spec, status = rs.get("metadata") or {}, rs.get("spec") or {}, rs.get("status") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"Selector:\t{format_label_selector(spec.get('selector'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    if controller_of(rs):
        w.write(0, f"Controlled By:\t{controller_of(rs)}\n")
    w.write(
        0, f"Replicas:\t{status.get('replicas', 0)} current / {spec.get('replicas', 0)} desired\n"
    )
    w.write(0, f"Pods Status:\t{_pods_status(client, rs)}\n")
    describe_pod_template(w, spec.get("template"))
    _conditions(w, status.get("conditions"))
    describe_events(w, events)


def describe_statefulset(w: PrefixWriter, s: Obj, events: list[Obj] | None, client: Any) -> None:
    """`StatefulSetDescriber`."""
    meta, spec, status = s.get("metadata") or {}, s.get("spec") or {}, s.get("status") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp'))}\n")
    w.write(0, f"Selector:\t{_selector(spec.get('selector'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    w.write(
        0, f"Replicas:\t{spec.get('replicas', 0)} desired | {status.get('replicas', 0)} total\n"
    )
    strategy = spec.get("updateStrategy") or {}
    w.write(0, f"Update Strategy:\t{strategy.get('type', '')}\n")
    rolling = strategy.get("rollingUpdate") or {}
    if rolling.get("partition") is not None:
        w.write(1, f"Partition:\t{rolling['partition']}\n")
        if rolling.get("maxUnavailable") is not None:
            w.write(1, f"MaxUnavailable:\t{rolling['maxUnavailable']}\n")
    w.write(0, f"Pods Status:\t{_pods_status(client, s)}\n")
    describe_pod_template(w, spec.get("template"))
    claims = spec.get("volumeClaimTemplates") or []
    if not claims:
        w.write(0, "Volume Claims:\t<none>\n")
    else:
        w.write(0, "Volume Claims:\n")
        for pvc in claims:
            pmeta, pspec = pvc.get("metadata") or {}, pvc.get("spec") or {}
            w.write(1, f"Name:\t{pmeta.get('name', '')}\n")
            w.write(1, f"StorageClass:\t{pspec.get('storageClassName', '')}\n")
            labels_multiline(w, "Labels", pmeta.get("labels"), initial="  ")
            labels_multiline(w, "Annotations", pmeta.get("annotations"), initial="  ")
            storage = ((pspec.get("resources") or {}).get("requests") or {}).get("storage")
            w.write(1, f"Capacity:\t{storage or '<default>'}\n")
            w.write(1, f"Access Modes:\t[{' '.join(pspec.get('accessModes') or [])}]\n")
    describe_events(w, events)


def describe_daemonset(w: PrefixWriter, ds: Obj, events: list[Obj] | None, client: Any) -> None:
    """`DaemonSetDescriber`."""
    meta, spec, status = ds.get("metadata") or {}, ds.get("spec") or {}, ds.get("status") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Selector:\t{_selector(spec.get('selector'))}\n")
    node_selector = ((spec.get("template") or {}).get("spec") or {}).get("nodeSelector")
    w.write(0, f"Node-Selector:\t{format_labels(node_selector)}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    for label, field in (
        ("Desired Number of Nodes Scheduled", "desiredNumberScheduled"),
        ("Current Number of Nodes Scheduled", "currentNumberScheduled"),
        ("Number of Nodes Scheduled with Up-to-date Pods", "updatedNumberScheduled"),
        ("Number of Nodes Scheduled with Available Pods", "numberAvailable"),
        ("Number of Nodes Misscheduled", "numberMisscheduled"),
    ):
        w.write(0, f"{label}: {status.get(field, 0)}\n")
    w.write(0, f"Pods Status:\t{_pods_status(client, ds)}\n")
    describe_pod_template(w, spec.get("template"))
    describe_events(w, events)


def describe_job(w: PrefixWriter, job: Obj, events: list[Obj] | None, client: Any) -> None:
    """`JobDescriber`."""
    meta, spec, status = job.get("metadata") or {}, job.get("spec") or {}, job.get("status") or {}
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"Selector:\t{_selector(spec.get('selector'))}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    if controller_of(job):
        w.write(0, f"Controlled By:\t{controller_of(job)}\n")
    if spec.get("parallelism") is not None:
        w.write(0, f"Parallelism:\t{spec['parallelism']}\n")
    w.write(0, f"Completions:\t{spec.get('completions', '<unset>')}\n")
    if spec.get("completionMode"):
        w.write(0, f"Completion Mode:\t{spec['completionMode']}\n")
    if spec.get("suspend") is not None:
        w.write(0, f"Suspend:\t{'true' if spec['suspend'] else 'false'}\n")
    if spec.get("backoffLimit") is not None:
        w.write(0, f"Backoff Limit:\t{spec['backoffLimit']}\n")
    if spec.get("ttlSecondsAfterFinished") is not None:
        w.write(0, f"TTL Seconds After Finished:\t{spec['ttlSecondsAfterFinished']}\n")
    start, end = status.get("startTime"), status.get("completionTime")
    if start:
        w.write(0, f"Start Time:\t{rfc1123z(start)}\n")
    if end:
        w.write(0, f"Completed At:\t{rfc1123z(end)}\n")
    t0, t1 = parse_time(start), parse_time(end)
    if t0 and t1:
        w.write(0, f"Duration:\t{human_duration((t1 - t0).total_seconds())}\n")
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s\n")
    counts = (status.get("active", 0), status.get("succeeded", 0), status.get("failed", 0))
    if status.get("ready") is None:
        w.write(0, "Pods Statuses:\t{} Active / {} Succeeded / {} Failed\n".format(*counts))
    else:
        w.write(
            0,
            "Pods Statuses:\t{} Active ({} Ready) / {} Succeeded / {} Failed\n".format(
                counts[0], status["ready"], *counts[1:]
            ),
        )
    describe_pod_template(w, spec.get("template"))
    describe_events(w, events)


def _unset(value: Any, suffix: str = "") -> str:
    return "<unset>" if value is None else f"{value}{suffix}"


def describe_cronjob(w: PrefixWriter, cj: Obj, events: list[Obj] | None, client: Any) -> None:
    """`CronJobDescriber` (with `describeJobTemplate` and `printActiveJobs`)."""
    spec, status = cj.get("spec") or {}, cj.get("status") or {}
    header(w, cj)
    w.write(0, f"Schedule:\t{spec.get('schedule', '')}\n")
    w.write(0, f"Concurrency Policy:\t{spec.get('concurrencyPolicy', '')}\n")
    suspend = spec.get("suspend")
    w.write(0, f"Suspend:\t{'<unset>' if suspend is None else ('True' if suspend else 'False')}\n")
    w.write(0, f"Successful Job History Limit:\t{_unset(spec.get('successfulJobsHistoryLimit'))}\n")
    w.write(0, f"Failed Job History Limit:\t{_unset(spec.get('failedJobsHistoryLimit'))}\n")
    w.write(0, f"Starting Deadline Seconds:\t{_unset(spec.get('startingDeadlineSeconds'), 's')}\n")
    job_spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    selector = job_spec.get("selector")
    w.write(0, f"Selector:\t{_selector(selector) if selector is not None else '<unset>'}\n")
    w.write(0, f"Parallelism:\t{_unset(job_spec.get('parallelism'))}\n")
    w.write(0, f"Completions:\t{_unset(job_spec.get('completions'))}\n")
    if job_spec.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{job_spec['activeDeadlineSeconds']}s\n")
    describe_pod_template(w, job_spec.get("template"))
    last = status.get("lastScheduleTime")
    w.write(0, f"Last Schedule Time:\t{rfc1123z(last) if last else '<unset>'}\n")
    active = [a.get("name", "") for a in status.get("active") or []]
    w.write(0, f"Active Jobs:\t{', '.join(active) if active else '<none>'}\n")
    describe_events(w, events)
