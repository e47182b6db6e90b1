"""The CronJob controller, mirroring upstream `pkg/controller/cronjob/cronjob_controllerv2.go`
(`sync`, `syncCronJob`, `cleanupFinishedJobs`); schedule arithmetic is in `cronjob_util`.

`plan(cronjob, jobs, now)` is the pure decision: which Jobs to delete (history limits, the
`Replace` policy), which Job to create (named `<cronjob>-<minutes since epoch>`, so a schedule
never runs twice), the new status (`active`, `lastScheduleTime`, `lastSuccessfulTime`), the
events, and when to look again. The controller wakes exactly at the next schedule time (upstream
pads 100 ms for clock skew; the virtual clock has none) on a background timer, so `settle()`
does not jump to it while `run(seconds)` does. Left out: metrics, the `UnsupportedSchedule`
warning for `TZ=` schedules (validation rejects them).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from minik8s.api.errors import AlreadyExists, NotFound, StatusError
from minik8s.client.cache import CONTROLLER_UID_INDEX, controller_of, ensure_index, owner_uid_index
from minik8s.controllers.base import Controller
from minik8s.controllers.cronjob_util import (
    job_from_template,
    job_name,
    job_reference,
    job_start_order,
    known_time_zone,
    most_recent_schedule_time,
    next_schedule_time,
    next_schedule_time_duration,
    parse_schedule,
    rfc1123z,
)
from minik8s.controllers.job_util import finished_condition

Obj = dict[str, Any]
Event = tuple[str, str, str]

__all__ = ["CronJobController", "CronJobPlan", "next_schedule_time", "plan"]


@dataclass
class CronJobPlan:
    """One sync: delete these Jobs, maybe create one, write `status`, requeue after seconds."""

    delete: list[str] = field(default_factory=list)
    create: Obj | None = None
    status: Obj | None = None
    events: list[Event] = field(default_factory=list)
    requeue_after: float | None = None

    def __repr__(self) -> str:
        create = self.create["metadata"]["name"] if self.create else None
        after = None if self.requeue_after is None else f"{self.requeue_after:g}"
        reasons = [reason for _, reason, _ in self.events]
        return (
            f"CronJobPlan(delete={self.delete}, create={create!r}, "
            f"status_changed={self.status is not None}, events={reasons}, requeue_after={after})"
        )


def plan(cronjob: Obj, jobs: list[Obj], now: datetime) -> CronJobPlan:
    """What `sync` does for `cronjob` owning `jobs` at `now` (the create's ref comes later)."""
    result = CronJobPlan()
    cj = copy.deepcopy(cronjob)
    status = cj.setdefault("status", {})
    original = copy.deepcopy(status)
    _cleanup_finished_jobs(cj, jobs, result)
    _observe_jobs(cj, jobs, result)
    _schedule(cj, now, result)
    if status != original or result.create is not None:
        result.status = status
    return result


def _remove_active(status: Obj, uid: str) -> None:
    status["active"] = [r for r in status.get("active") or [] if r.get("uid") != uid]
    if not status["active"]:
        del status["active"]


def _delete_job(cj: Obj, job: Obj, result: CronJobPlan) -> None:
    name = job["metadata"]["name"]
    if name not in result.delete:
        result.delete.append(name)
        result.events.append(("Normal", "SuccessfulDelete", f"Deleted job {name}"))
    _remove_active(cj["status"], job["metadata"]["uid"])


def _cleanup_finished_jobs(cj: Obj, jobs: list[Obj], result: CronJobPlan) -> None:
    """`cleanupFinishedJobs`: keep the newest `successful/failedJobsHistoryLimit` Jobs."""
    spec = cj["spec"]
    for kind, limit_field in (
        ("Complete", "successfulJobsHistoryLimit"),
        ("Failed", "failedJobsHistoryLimit"),
    ):
        limit = spec.get(limit_field)
        if limit is None:
            continue
        finished = sorted((j for j in jobs if finished_condition(j) == kind), key=job_start_order)
        for job in finished[: max(len(finished) - limit, 0)]:
            _delete_job(cj, job, result)


def _observe_jobs(cj: Obj, jobs: list[Obj], result: CronJobPlan) -> None:
    """The first half of `syncCronJob`: reconcile `status.active` with the Jobs seen."""
    status = cj["status"]
    active_uids = {r.get("uid") for r in status.get("active") or []}
    for job in jobs:
        name, uid = job["metadata"]["name"], job["metadata"]["uid"]
        finished = finished_condition(job)
        if uid not in active_uids and finished is None:
            message = f"Saw a job that the controller did not create or forgot: {name}"
            result.events.append(("Warning", "UnexpectedJob", message))
        elif uid in active_uids and finished is not None:
            _remove_active(status, uid)
            message = f"Saw completed job: {name}, status: {finished}"
            result.events.append(("Normal", "SawCompletedJob", message))
        if finished == "Complete":
            done = (job.get("status") or {}).get("completionTime")
            if done and (
                not status.get("lastSuccessfulTime") or done > status["lastSuccessfulTime"]
            ):
                status["lastSuccessfulTime"] = done
    seen = {j["metadata"]["uid"] for j in jobs}
    for ref in list(status.get("active") or []):
        if ref.get("uid") not in seen and ref.get("name") not in result.delete:
            result.events.append(
                ("Normal", "MissingJob", f"Active job went missing: {ref['name']}")
            )
            _remove_active(status, ref.get("uid", ""))


def _schedule(cj: Obj, now: datetime, result: CronJobPlan) -> None:
    """The second half of `syncCronJob`: start the Job of the most recent unmet schedule."""
    spec, status = cj["spec"], cj["status"]
    if cj["metadata"].get("deletionTimestamp"):
        return
    zone = spec.get("timeZone")
    if zone is not None and not known_time_zone(zone):  # checked before `suspend`, as upstream
        message = f'invalid timeZone: "{zone}": unknown time zone {zone}'
        result.events.append(("Warning", "UnknownTimeZone", message))
        return
    if spec.get("suspend"):
        return
    try:
        sched = parse_schedule(spec["schedule"], zone or "UTC")
    except ValueError as err:
        message = f'unparseable schedule: "{spec["schedule"]}" : {err}'
        result.events.append(("Warning", "UnparseableSchedule", message))
        return
    times = most_recent_schedule_time(cj, now, sched, True)
    scheduled = times.most_recent
    if scheduled is not None and times.missed == "many":
        message = (
            "too many missed start times. Set or decrease .spec.startingDeadlineSeconds "
            "or check clock skew"
        )
        result.events.append(("Warning", "TooManyMissedTimes", message))
    if times.error is not None:
        message = f"invalid schedule: {spec['schedule']} : {times.error}"
        result.events.append(("Warning", "InvalidSchedule", message))
        return
    result.requeue_after = next_schedule_time_duration(cj, now, sched, delta=0.0)
    if scheduled is None:
        return
    deadline = spec.get("startingDeadlineSeconds")
    if deadline is not None and (now - scheduled).total_seconds() > deadline:
        message = f"Missed scheduled time to start a job: {rfc1123z(scheduled)}"
        result.events.append(("Warning", "MissSchedule", message))
        return
    name = job_name(cj, scheduled)
    last = status.get("lastScheduleTime")
    if any(r.get("name") == name for r in status.get("active") or []) or (
        last and last == scheduled.strftime("%Y-%m-%dT%H:%M:%SZ")
    ):
        return
    if spec.get("concurrencyPolicy") == "Forbid" and status.get("active"):
        message = (
            "Not starting job because prior execution is running and concurrency policy is Forbid"
        )
        result.events.append(("Normal", "JobAlreadyActive", message))
        return
    if spec.get("concurrencyPolicy") == "Replace":
        for ref in list(status.get("active") or []):
            _delete_job(cj, {"metadata": {"name": ref["name"], "uid": ref.get("uid")}}, result)
    result.create = job_from_template(cj, scheduled)
    status["lastScheduleTime"] = scheduled.strftime("%Y-%m-%dT%H:%M:%SZ")
    result.requeue_after = next_schedule_time_duration(cj, now, sched, delta=0.0)


class CronJobController(Controller):
    """Starts Jobs on a cron schedule (`cronjob-controller`, upstream's ControllerV2)."""

    name = "cronjob-controller"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.cronjobs = self.informers.lister_for("cronjobs")
        jobs = self.informers.informer_for("jobs")
        ensure_index(jobs.indexer, CONTROLLER_UID_INDEX, owner_uid_index)
        self.jobs = jobs.indexer
        self.watch("cronjobs")
        self.watch("jobs", self._owner_key)

    def _owner_key(self, job: Obj) -> str | None:
        ref = controller_of(job)
        if ref is None or ref.get("kind") != "CronJob":
            return None
        return f"{job['metadata'].get('namespace', '')}/{ref['name']}"

    def reconcile(self, key: str) -> float | None:
        namespace, name = key.split("/", 1)
        try:
            cronjob = self.cronjobs.get(namespace, name)
        except NotFound:
            return None
        uid = cronjob["metadata"]["uid"]
        jobs = [
            j
            for j in self.jobs.by_index(CONTROLLER_UID_INDEX, uid)
            if j["metadata"].get("namespace") == namespace
        ]
        cronjob = self._fresh_if_unknown_jobs(cronjob, jobs)
        jobs += self._active_missing_from_cache(cronjob, jobs)
        result = plan(cronjob, jobs, self.loop.datetime())
        self._execute(cronjob, result)
        if result.requeue_after is not None:
            self.queue.add_after(key, max(result.requeue_after, 0.0), background=True)
        return None

    def _fresh_if_unknown_jobs(self, cronjob: Obj, jobs: list[Obj]) -> Obj:
        """Upstream re-reads the CronJob when it owns an unfinished Job it does not list."""
        active = {r.get("uid") for r in (cronjob.get("status") or {}).get("active") or []}
        if all(j["metadata"]["uid"] in active or finished_condition(j) for j in jobs):
            return cronjob
        meta = cronjob["metadata"]
        try:
            return self.client.get("cronjobs", meta["name"], meta["namespace"])
        except NotFound:
            return cronjob

    def _active_missing_from_cache(self, cronjob: Obj, jobs: list[Obj]) -> list[Obj]:
        """Active Jobs the cache does not have yet, read from the API server (as upstream)."""
        known = {j["metadata"]["uid"] for j in jobs}
        found = []
        for ref in (cronjob.get("status") or {}).get("active") or []:
            if ref.get("uid") in known:
                continue
            try:
                job = self.client.get("jobs", ref["name"], ref.get("namespace"))
            except NotFound:
                continue
            if job["metadata"]["uid"] == ref.get("uid"):
                found.append(job)
        return found

    def _execute(self, cronjob: Obj, result: CronJobPlan) -> None:
        namespace = cronjob["metadata"]["namespace"]
        status = result.status
        for name in result.delete:
            try:
                self.client.delete("jobs", name, namespace, propagation_policy="Background")
            except NotFound:
                pass
        error: StatusError | None = None
        if result.create is not None and status is not None:
            try:
                ref = self._create(cronjob, result.create)
            except StatusError as err:
                ref, error = None, err
            if ref is None:
                status.pop("lastScheduleTime", None)
                if (cronjob.get("status") or {}).get("lastScheduleTime"):
                    status["lastScheduleTime"] = cronjob["status"]["lastScheduleTime"]
            elif all(r.get("uid") != ref["uid"] for r in status.get("active") or []):
                status.setdefault("active", []).append(ref)
        for event_type, reason, message in result.events:
            self.recorder.event(cronjob, event_type, reason, message)
        if status is not None and status != (cronjob.get("status") or {}):
            self.client.update_status("cronjobs", {**cronjob, "status": status}, namespace)
        if error is not None:
            raise error

    def _create(self, cronjob: Obj, job: Obj) -> Obj | None:
        """Create the Job (an existing one of ours counts); its reference, or None."""
        namespace = cronjob["metadata"]["namespace"]
        try:
            created = self.client.create("jobs", job, namespace)
        except AlreadyExists:
            created = self.client.get("jobs", job["metadata"]["name"], namespace)
            ref = controller_of(created)
            if ref is None or ref.get("uid") != cronjob["metadata"]["uid"]:
                return None
            return job_reference(created)
        except StatusError as err:
            self.recorder.event(cronjob, "Warning", "FailedCreate", f"Error creating job: {err}")
            raise
        name = created["metadata"]["name"]
        self.recorder.event(cronjob, "Normal", "SuccessfulCreate", f"Created job {name}")
        return job_reference(created)
