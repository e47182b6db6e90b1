"""Indexed Jobs, mirroring upstream's `pkg/controller/job/indexed_job_utils.go`.

Completed indexes are kept as ordered intervals and written as upstream's compact string
(`"1-3,5"`, two neighbours as `"1,2"`). Each pod of an Indexed Job carries its index in the
`batch.kubernetes.io/job-completion-index` annotation and label, in `JOB_COMPLETION_INDEX`, and in
its hostname `<job>-<index>`. Failed indexes (`backoffLimitPerIndex`) are in
`job_backoff_per_index`, the success policy in `job_success_policy`.
"""

from __future__ import annotations

import copy
from typing import Any

from minik8s.controllers.job_util import active_pods_order, has_tracking_finalizer, phase

Obj = dict[str, Any]
Intervals = list[tuple[int, int]]

COMPLETION_INDEX_KEY = "batch.kubernetes.io/job-completion-index"
COMPLETION_INDEX_ENV = "JOB_COMPLETION_INDEX"
MAX_GENERATED_NAME_LENGTH = 58  # upstream names.MaxGeneratedNameLength


def is_indexed_job(job: Obj) -> bool:
    return (job.get("spec") or {}).get("completionMode") == "Indexed"


def completion_index(pod: Obj) -> int | None:
    """`getCompletionIndex`: the annotation as a non-negative int, else None."""
    value = (pod["metadata"].get("annotations") or {}).get(COMPLETION_INDEX_KEY)
    try:
        index = int(value) if value is not None else -1
    except ValueError:
        return None
    return index if index >= 0 else None


def parse_indexes(text: str | None, completions: int) -> Intervals:
    """`parseIndexesFromString`: intervals below `completions`; corrupt parts are skipped."""
    result: Intervals = []
    for part in (text or "").split(","):
        if not part:
            continue
        limits = part.split("-")
        try:
            first = int(limits[0])
            last = int(limits[1]) if len(limits) > 1 else first
        except ValueError:
            continue
        if first >= completions:
            break
        last = min(last, completions - 1)
        if result and result[-1][1] == first - 1:
            result[-1] = (result[-1][0], last)
        else:
            result.append((first, last))
    return result


def merge_intervals(old: Intervals, new: Intervals) -> Intervals:
    """`orderedIntervals.merge`: the union, adjacent intervals joined."""
    result: Intervals = []
    for first, last in sorted(old + new):
        if not result or first > result[-1][1] + 1:
            result.append((first, last))
        elif result[-1][1] < last:
            result[-1] = (result[-1][0], last)
    return result


def with_indexes(old: Intervals, indexes: list[int]) -> Intervals:
    """`withOrderedIndexes`."""
    return merge_intervals(old, [(i, i) for i in sorted(indexes)])


def format_intervals(intervals: Intervals) -> str:
    """`orderedIntervals.String`: `"1-3,5"`; two neighbours are written `"1,2"`."""
    parts = []
    for first, last in intervals:
        if last == first:
            parts.append(str(first))
        elif last == first + 1:
            parts.append(f"{first},{last}")
        else:
            parts.append(f"{first}-{last}")
    return ",".join(parts)


def total(intervals: Intervals) -> int:
    return sum(last - first + 1 for first, last in intervals)


def has_index(intervals: Intervals, index: int) -> bool:
    return any(first <= index <= last for first, last in intervals)


def succeeded_indexes(job: Obj, pods: list[Obj]) -> tuple[Intervals, Intervals]:
    """`calculateSucceededIndexes`: (from status, status plus newly succeeded tracked pods)."""
    completions = int(job["spec"].get("completions") or 0)
    previous = parse_indexes((job.get("status") or {}).get("completedIndexes"), completions)
    new = set()
    for pod in pods:
        index = completion_index(pod)
        if phase(pod) == "Succeeded" and index is not None and index < completions:
            if has_tracking_finalizer(pod):
                new.add(index)
    return previous, with_indexes(previous, sorted(new))


def first_pending_indexes(
    succeeded: Intervals,
    active: list[Obj],
    terminating: list[Obj],
    count: int,
    completions: int,
    failed: Intervals | None = None,
) -> list[int]:
    """`firstPendingIndexes`: the `count` lowest indexes nobody holds, completed or failed."""
    held = [i for i in (completion_index(p) for p in active + terminating) if i is not None]
    taken = merge_intervals(with_indexes(succeeded, held), failed or [])
    return [i for i in range(completions) if not has_index(taken, i)][:count]


def duplicated_index_pods_for_removal(pods: list[Obj], completions: int) -> tuple[list, list]:
    """`appendDuplicatedIndexPodsForRemoval`: (to remove, to keep) — pods without an index or
    out of range go, and of pods sharing an index only the best (last in ActivePods order) stays."""
    remove: list[Obj] = []
    keep: list[Obj] = []
    by_index: dict[int, list[Obj]] = {}
    for pod in pods:
        index = completion_index(pod)
        if index is None or index >= completions:
            remove.append(pod)
        else:
            by_index.setdefault(index, []).append(pod)
    for index in sorted(by_index):
        group = sorted(by_index[index], key=active_pods_order)
        remove.extend(group[:-1])
        keep.append(group[-1])
    return remove, keep


def pod_generate_name(job_name: str, index: int | None) -> str:
    """`podGenerateNameWithIndex` (`<job>-<index>-`) or `<job>-` for NonIndexed Jobs."""
    prefix = f"{job_name}-" if index is None else f"{job_name}-{index}-"
    if len(prefix) > MAX_GENERATED_NAME_LENGTH:
        suffix = "-" if index is None else f"-{index}-"
        prefix = job_name[: MAX_GENERATED_NAME_LENGTH - len(suffix)] + suffix
    return prefix


def add_completion_index(template: Obj, job_name: str, index: int) -> Obj:
    """A copy of the pod template with the index annotation, label, env and hostname."""
    template = copy.deepcopy(template)
    meta = template.setdefault("metadata", {})
    meta.setdefault("annotations", {})[COMPLETION_INDEX_KEY] = str(index)
    meta.setdefault("labels", {})[COMPLETION_INDEX_KEY] = str(index)
    spec = template.setdefault("spec", {})
    spec["hostname"] = f"{job_name}-{index}"
    source = {"fieldRef": {"fieldPath": f"metadata.labels['{COMPLETION_INDEX_KEY}']"}}
    for key in ("initContainers", "containers"):
        for container in spec.get(key) or []:
            env = container.setdefault("env", [])
            if not any(e.get("name") == COMPLETION_INDEX_ENV for e in env):
                env.append({"name": COMPLETION_INDEX_ENV, "valueFrom": source})
    return template
