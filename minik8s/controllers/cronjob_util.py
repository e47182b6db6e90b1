"""CronJob schedule arithmetic and Job construction, mirroring upstream
`pkg/controller/cronjob/utils.go` and robfig/cron v3 `ParseStandard(...).Next`.

Schedules are parsed and stepped by `cron_parser`/`cron_spec`, ports of robfig's parser.go and
spec.go, in the CronJob's `timeZone` (as upstream's `formatSchedule` prefixes `TZ=`; UTC, the
simulated controller manager's local zone, without one). Times are aware `datetime`s.
"""

from __future__ import annotations

import copy
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import cached_property
from typing import Any

from minik8s.api.cron_parser import parse
from minik8s.api.cron_spec import Schedule
from minik8s.api.meta import owner_reference
from minik8s.api.validation.batch import parse_standard_schedule

Obj = dict[str, Any]

NEXT_SCHEDULE_DELTA = 0.1  # upstream nextScheduleDelta: 100 ms of padding for clock skew
MANY_MISSED = 100
SCHEDULED_TIMESTAMP_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp"


@dataclass(frozen=True)
class CronSchedule:
    """A parsed schedule: `next(t)` is robfig's `Schedule.Next` (None: no next time)."""

    spec: str
    tz: str = "UTC"

    @cached_property
    def schedule(self) -> Schedule:
        """robfig's parse of what upstream's `formatSchedule` builds: `TZ=<tz> <spec>`, or the
        spec as it is when it names a zone itself (then `tz` is ignored)."""
        return parse(self.spec if "TZ" in self.spec else f"TZ={self.tz} {self.spec}")

    def next(self, t: datetime) -> datetime | None:
        """The first activation strictly after `t` (None when there is none within 5 years)."""
        found = self.schedule.next(t)
        return None if found is None else found.astimezone(timezone.utc)


def parse_schedule(schedule: str, tz: str | None = "UTC") -> CronSchedule:
    """`cron.ParseStandard(formatSchedule(...))` for a CronJob: ValueError on bad syntax. A
    schedule with its own `TZ=`/`CRON_TZ=` runs in that zone (API validation rejects such
    schedules on create; robfig and the controller honour them)."""
    if "TZ" in schedule:
        CronSchedule(schedule, tz or "UTC").schedule  # noqa: B018 - parsed now: errors surface
        return CronSchedule(schedule, tz or "UTC")
    parse_standard_schedule(schedule)
    zone = tz or "UTC"
    if not known_time_zone(zone):
        raise ValueError(f"unknown time zone {zone}")
    return CronSchedule(schedule, zone)


def known_time_zone(zone: str) -> bool:
    """Whether Go's `time.LoadLocation(zone)` succeeds (the empty name is UTC)."""
    if zone == "":
        return True
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _aware(t: datetime) -> datetime:
    return t if t.tzinfo is not None else t.replace(tzinfo=timezone.utc)


def next_schedule_time(schedule: str, after: datetime, tz: str = "UTC") -> datetime:
    """The first time `schedule` fires strictly after `after`, in UTC (ValueError if invalid)."""
    found = parse_schedule(schedule, tz).next(_aware(after))
    if found is None:
        raise ValueError(f"schedule {schedule!r} never fires")
    return found


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@dataclass(frozen=True)
class ScheduleTimes:
    """What `mostRecentScheduleTime` returns."""

    earliest: datetime
    most_recent: datetime | None
    missed: str  # "none", "few" or "many"
    error: str | None = None


def most_recent_schedule_time(
    cronjob: Obj, now: datetime, schedule: CronSchedule, include_starting_deadline: bool
) -> ScheduleTimes:
    """`mostRecentScheduleTime`: the latest unmet schedule time, and how many were missed."""
    meta, spec = cronjob.get("metadata") or {}, cronjob.get("spec") or {}
    earliest = _time((cronjob.get("status") or {}).get("lastScheduleTime"))
    if earliest is None:
        earliest = _time(meta.get("creationTimestamp")) or now
    deadline = spec.get("startingDeadlineSeconds")
    if include_starting_deadline and deadline is not None:
        earliest = max(earliest, now - timedelta(seconds=deadline))
    t1 = schedule.next(earliest)
    t2 = schedule.next(t1) if t1 is not None else None
    if t1 is not None and now < t1:
        return ScheduleTimes(earliest, None, "none")
    if t1 is not None and t2 is not None and now < t2:
        return ScheduleTimes(earliest, t1, "none")
    between = round((t2 - t1).total_seconds()) if t1 is not None and t2 is not None else 0
    if t1 is None or between < 1:
        error = "time difference between two schedules is less than 1 second"
        return ScheduleTimes(earliest, None, "none", error)
    elapsed = int((now - t1).total_seconds())
    missed_count = elapsed // between + 1
    potential = t1 + timedelta(seconds=(missed_count - 2) * between)
    most_recent = None
    t = schedule.next(potential)
    while t is not None and t <= now:
        most_recent = t
        t = schedule.next(t)
    missed = "many" if missed_count > MANY_MISSED else "few" if missed_count > 0 else "none"
    return ScheduleTimes(earliest, most_recent, missed)


def next_schedule_time_duration(
    cronjob: Obj, now: datetime, schedule: CronSchedule, delta: float = NEXT_SCHEDULE_DELTA
) -> float:
    """`nextScheduleTimeDuration`: seconds until the next activation, plus `delta` padding."""
    times = most_recent_schedule_time(cronjob, now, schedule, False)
    if times.error is not None:
        base = now
    elif times.most_recent is None:
        base = times.earliest if times.missed == "none" else now
    else:
        base = times.most_recent
    following = schedule.next(base)
    if following is None:
        return 24 * 3600.0  # no activation at all: check again tomorrow
    return (following - now).total_seconds() + delta


def job_name(cronjob: Obj, scheduled: datetime) -> str:
    """`getJobName`: `<cronjob>-<scheduled time in minutes since the epoch>`."""
    return f"{cronjob['metadata']['name']}-{int(scheduled.timestamp()) // 60}"


def rfc3339(t: datetime, tz: str | None) -> str:
    """Go's `time.RFC3339` of `t` in zone `tz` (UTC is written `Z`)."""
    local = t.astimezone(zoneinfo.ZoneInfo(tz or "UTC"))
    text = local.strftime("%Y-%m-%dT%H:%M:%S%z")
    if text.endswith("+0000"):
        return text[:-5] + "Z"
    return f"{text[:-2]}:{text[-2:]}"


def job_from_template(cronjob: Obj, scheduled: datetime) -> Obj:
    """`getJobFromTemplate2`: the Job for one scheduled time, owned by the CronJob."""
    template = (cronjob.get("spec") or {}).get("jobTemplate") or {}
    tmeta = template.get("metadata") or {}
    annotations = dict(tmeta.get("annotations") or {})
    tz = (cronjob.get("spec") or {}).get("timeZone")
    annotations[SCHEDULED_TIMESTAMP_ANNOTATION] = rfc3339(scheduled, tz)
    meta: Obj = {
        "name": job_name(cronjob, scheduled),
        "namespace": cronjob["metadata"].get("namespace", "default"),
        "annotations": annotations,
        "ownerReferences": [owner_reference(cronjob)],
    }
    if tmeta.get("labels"):
        meta["labels"] = dict(tmeta["labels"])
    spec = copy.deepcopy(template.get("spec") or {})
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": spec}


def job_start_order(job: Obj) -> tuple:
    """`byJobStartTime`: jobs with a start time first, oldest first, then by name."""
    start = (job.get("status") or {}).get("startTime")
    return (start is None, start or "", job["metadata"]["name"])


def rfc1123z(t: datetime) -> str:
    """Go's `time.RFC1123Z` in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`."""
    return t.astimezone(timezone.utc).strftime("%a, %d %b %Y %H:%M:%S +0000")


def job_reference(job: Obj) -> Obj:
    """`ref.GetReference` of a Job, as the CronJob's `status.active` lists it."""
    meta = job["metadata"]
    return {
        "kind": "Job",
        "namespace": meta.get("namespace", ""),
        "name": meta["name"],
        "uid": meta["uid"],
        "apiVersion": "batch/v1",
        "resourceVersion": meta.get("resourceVersion", ""),
    }
