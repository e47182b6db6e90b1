"""The CronJob controller: upstream's utils_test.go cases (mostRecentScheduleTime,
nextScheduleTime, nextScheduleTimeDuration, byJobStartTime, getJobFromTemplate2), pure `plan`
cases, scenarios through the Cluster facade, and the concurrency-policy properties."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.cluster import Cluster
from minik8s.controllers.cronjob import next_schedule_time, plan
from minik8s.controllers.cronjob_util import (
    SCHEDULED_TIMESTAMP_ANNOTATION,
    job_from_template,
    job_start_order,
    most_recent_schedule_time,
    next_schedule_time_duration,
    parse_schedule,
)

UTC = timezone.utc
T0 = datetime(2016, 5, 19, 10, 0, tzinfo=UTC)  # upstream's topOfTheHour (a Thursday)


def at(**delta):
    return T0 + timedelta(**delta)


def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def cronjob(schedule="0 * * * *", created=T0, last=None, deadline=None, **spec):
    cj = {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {
            "name": "mycronjob",
            "namespace": "default",
            "uid": "1a2b3c",
            "creationTimestamp": stamp(created),
        },
        "spec": {
            "schedule": schedule,
            "concurrencyPolicy": "Allow",
            "suspend": False,
            "successfulJobsHistoryLimit": 3,
            "failedJobsHistoryLimit": 1,
            "jobTemplate": {
                "metadata": {"labels": {"a": "b"}},
                "spec": {"template": {"spec": {"containers": [{"image": "foo/bar"}]}}},
            },
            **spec,
        },
        "status": {},
    }
    if last is not None:
        cj["status"]["lastScheduleTime"] = stamp(last)
    if deadline is not None:
        cj["spec"]["startingDeadlineSeconds"] = deadline
    return cj


# -- next_schedule_time (the public helper) --------------------------------------------------------
@pytest.mark.parametrize(
    ("schedule", "after", "tz", "expected"),
    [
        ("*/5 * * * *", at(minutes=2), "UTC", at(minutes=5)),
        ("*/5 * * * *", at(minutes=5), "UTC", at(minutes=10)),
        ("0 * * * ?", at(seconds=1), "UTC", at(hours=1)),
        ("@hourly", at(minutes=30), "UTC", at(hours=1)),
        ("@daily", at(), "UTC", datetime(2016, 5, 20, tzinfo=UTC)),
        ("@weekly", at(), "UTC", datetime(2016, 5, 22, tzinfo=UTC)),
        ("@monthly", at(), "UTC", datetime(2016, 6, 1, tzinfo=UTC)),
        ("@yearly", at(), "UTC", datetime(2017, 1, 1, tzinfo=UTC)),
        ("@every 1h30m", at(seconds=10), "UTC", at(hours=1, minutes=30, seconds=10)),
        ("30 6-16/4 * * 1-5", at(minutes=31), "UTC", at(hours=4, minutes=30)),
        ("0 9 * * *", at(), "Europe/Rome", datetime(2016, 5, 20, 7, tzinfo=UTC)),
        ("0 0 * * mon", at(), "UTC", datetime(2016, 5, 23, tzinfo=UTC)),
    ],
)
def test_next_schedule_time(schedule, after, tz, expected):
    assert next_schedule_time(schedule, after, tz) == expected


def test_next_schedule_time_accepts_naive_datetimes_as_utc():
    assert next_schedule_time("0 * * * *", datetime(2016, 5, 19, 10, 0)) == at(hours=1)


@pytest.mark.parametrize(
    "schedule",
    [
        "",
        "* * * *",
        "61 * * * *",
        "@fortnightly",
        "TZ=Mars/Olympus 0 * * * *",
        "CRON_TZ=UTC 61 * * * *",
        "59 23 31 2 *",
    ],
)
def test_next_schedule_time_rejects_invalid_schedules(schedule):
    with pytest.raises(ValueError):
        next_schedule_time(schedule, T0)


@pytest.mark.parametrize(
    ("schedule", "tz", "expected"),
    [
        # robfig parser_test.go TestParseSchedule: "CRON_TZ=UTC  5 * * * *" is every5min(UTC)
        ("CRON_TZ=UTC  5 * * * *", "UTC", datetime(2025, 1, 1, 0, 5, tzinfo=timezone.utc)),
        # a zone in the schedule wins over the CronJob's timeZone (upstream formatSchedule)
        ("CRON_TZ=Asia/Tokyo 0 9 * * *", "UTC", datetime(2025, 1, 2, tzinfo=timezone.utc)),
        (
            "TZ=America/New_York 30 2 * * *",
            "Europe/Paris",
            datetime(2025, 1, 1, 7, 30, tzinfo=timezone.utc),
        ),
    ],
)
def test_a_zone_in_the_schedule_is_honoured(schedule, tz, expected):
    assert next_schedule_time(schedule, datetime(2025, 1, 1, tzinfo=timezone.utc), tz) == expected


def test_unknown_time_zone_is_rejected():
    with pytest.raises(ValueError, match="unknown time zone Mars/Olympus"):
        next_schedule_time("0 * * * *", T0, "Mars/Olympus")


# -- TestMostRecentScheduleTime --------------------------------------------------------------------
MRST_CASES = [
    # name, cronjob, include deadline, now, earliest, most recent, missed, error
    ("now before next schedule", cronjob(), False, at(seconds=30), T0, None, "none", False),
    (
        "now just after next schedule",
        cronjob(),
        False,
        at(minutes=61),
        T0,
        at(minutes=60),
        "none",
        False,
    ),
    (
        "missed 5 schedules",
        cronjob(created=at(seconds=10)),
        False,
        at(minutes=301),
        at(seconds=10),
        at(minutes=300),
        "few",
        False,
    ),
    (
        "complex schedule",
        cronjob("30 6-16/4 * * 1-5", last=at(minutes=30)),
        False,
        at(hours=24, minutes=31),
        at(minutes=30),
        at(hours=24, minutes=30),
        "few",
        False,
    ),
    (
        "another complex schedule",
        cronjob("30 10,11,12 * * 1-5", last=at(minutes=30)),
        False,
        at(hours=30, minutes=30),
        at(minutes=30),
        None,
        "few",
        False,
    ),
    (
        "complex schedule with longer diff between executions",
        cronjob("30 6-16/4 * * 1-5", last=at(minutes=30)),
        False,
        at(hours=96, minutes=31),
        at(minutes=30),
        at(hours=96, minutes=30),
        "few",
        False,
    ),
    (
        "complex schedule with shorter diff between executions",
        cronjob("30 6-16/4 * * 1-5"),
        False,
        at(hours=24, minutes=31),
        T0,
        at(hours=24, minutes=30),
        "few",
        False,
    ),
    (
        "@every schedule",
        cronjob("@every 1h", created=at(minutes=-59), last=at(minutes=1), deadline=10),
        False,
        at(days=7),
        at(minutes=1),
        at(days=6, hours=23, minutes=1),
        "many",
        False,
    ),
    (
        "rogue cronjob",
        cronjob("59 23 31 2 *", created=at(seconds=10)),
        False,
        at(hours=1),
        at(seconds=10),
        None,
        "none",
        True,
    ),
    (
        "earliestTime being CreationTimestamp and LastScheduleTime",
        cronjob(last=T0),
        False,
        at(seconds=30),
        T0,
        None,
        "none",
        False,
    ),
    (
        "earliestTime being LastScheduleTime",
        cronjob("*/5 * * * *", last=at(minutes=30)),
        False,
        at(minutes=31),
        at(minutes=30),
        None,
        "none",
        False,
    ),
    (
        "earliestTime being LastScheduleTime (within StartingDeadlineSeconds)",
        cronjob("*/5 * * * *", last=at(minutes=30), deadline=60),
        False,
        at(minutes=31),
        at(minutes=30),
        None,
        "none",
        False,
    ),
    (
        "earliestTime being LastScheduleTime (outside StartingDeadlineSeconds)",
        cronjob("*/5 * * * *", last=at(minutes=30), deadline=60),
        True,
        at(minutes=32),
        at(minutes=31),
        None,
        "none",
        False,
    ),
]


@pytest.mark.parametrize(
    ("cj", "include", "now", "earliest", "recent", "missed", "error"),
    [case[1:] for case in MRST_CASES],
    ids=[case[0] for case in MRST_CASES],
)
def test_most_recent_schedule_time(cj, include, now, earliest, recent, missed, error):
    times = most_recent_schedule_time(cj, now, parse_schedule(cj["spec"]["schedule"]), include)
    if error:
        assert times.error is not None and times.most_recent is None
        return
    assert times.error is None
    assert times.earliest == earliest
    assert times.most_recent == recent
    assert times.missed == missed


# -- TestNextScheduleTime (nextScheduleTime = mostRecentScheduleTime with the deadline) ------------
def unmet(cj, now, schedule=None):
    sched = parse_schedule(schedule or cj["spec"]["schedule"])
    times = most_recent_schedule_time(cj, now, sched, True)
    return times.most_recent, times.error


T1, T2 = T0, at(hours=1)


@pytest.mark.parametrize(
    ("cj", "now", "expected"),
    [
        (cronjob("0 * * * ?", created=T1 - timedelta(minutes=10)), T1 - timedelta(minutes=7), None),
        (cronjob("0 * * * ?", created=T1 - timedelta(minutes=10)), T1 + timedelta(seconds=2), T1),
        (
            cronjob("0 * * * ?", created=T1 - timedelta(minutes=10), last=T1),
            T1 + timedelta(minutes=2),
            None,
        ),
        (
            cronjob("0 * * * ?", created=T1 - timedelta(minutes=10), last=T1),
            T2 + timedelta(minutes=5),
            T2,
        ),
        (
            cronjob("0 * * * ?", created=T1 - timedelta(hours=2), last=T1 - timedelta(hours=1)),
            T2 + timedelta(minutes=5),
            T2,
        ),
    ],
    ids=["case 1", "case 2", "case 3", "case 4", "case 5"],
)
def test_next_schedule_time_cases(cj, now, expected):
    assert unmet(cj, now) == (expected, None)


def test_next_schedule_time_far_behind_with_and_without_deadline():
    cj = cronjob("0 * * * ?", created=T1 - timedelta(hours=2), last=T1 - timedelta(hours=1))
    now = T2 + timedelta(days=10)
    assert unmet(cj, now)[0] is not None  # case 6
    cj["spec"]["startingDeadlineSeconds"] = 2 * 3600
    assert unmet(cj, now)[0] is not None  # case 7


def test_next_schedule_time_error_is_reported():
    cj = cronjob(created=T1 + timedelta(seconds=10))
    recent, error = unmet(cj, T2, "59 23 31 2 *")  # case 8
    assert recent is None and error


# -- TestNextScheduleTimeDuration ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cj", "now", "expected"),
    [
        (
            cronjob("30 6-16/4 * * 1-5", last=at(minutes=30)),
            at(hours=24, minutes=31),
            3 * 3600 + 59 * 60,
        ),
        (cronjob("30 10,11,12 * * 1-5", last=at(minutes=30)), at(hours=30, minutes=30), 66 * 3600),
        (
            cronjob("0 12 * * 4", last=at(hours=2)),
            at(days=19, hours=1, minutes=30),
            48 * 3600 + 30 * 60,
        ),
        (cronjob("0 12 * * 5"), at(hours=6), 20 * 3600),
    ],
    ids=["skipping weekend", "another skipping weekend", "weekly missed two", "no previous run"],
)
def test_next_schedule_time_duration(cj, now, expected):
    sched = parse_schedule(cj["spec"]["schedule"])
    assert next_schedule_time_duration(cj, now, sched) == pytest.approx(expected + 0.1)


# -- TestByJobStartTime and TestGetJobFromTemplate2 ------------------------------------------------
def test_by_job_start_time():
    def j(name, start=None):
        return {"metadata": {"name": name}, "status": {"startTime": start} if start else {}}

    a_nil, b_nil = j("a"), j("b")
    a_set, b_set = j("a", "2018-01-01T02:03:04Z"), j("b", "2018-01-01T02:03:04Z")
    a_later = j("a", "2019-01-01T02:03:04Z")
    for given_, expected in [
        ([b_nil, a_nil], [a_nil, b_nil]),
        ([a_nil, b_set], [b_set, a_nil]),
        ([a_set, b_nil], [a_set, b_nil]),
        ([b_set, a_set], [a_set, b_set]),
        ([a_later, b_set], [b_set, a_later]),
    ]:
        assert sorted(given_, key=job_start_order) == expected


@pytest.mark.parametrize(
    ("tz", "annotations", "expected"),
    [
        ("UTC", {"x": "y"}, "2016-05-19T10:00:00Z"),
        (None, {"x": "y"}, "2016-05-19T10:00:00Z"),
        ("Europe/Rome", {"x": "y", "z": "x"}, "2016-05-19T12:00:00+02:00"),
    ],
)
def test_job_from_template(tz, annotations, expected):
    cj = cronjob("* * * * ?")
    cj["spec"]["jobTemplate"]["metadata"]["annotations"] = annotations
    if tz:
        cj["spec"]["timeZone"] = tz
    job = job_from_template(cj, T0)
    meta = job["metadata"]
    assert meta["name"] == f"mycronjob-{int(T0.timestamp()) // 60}"
    assert meta["labels"] == {"a": "b"}
    assert len(meta["annotations"]) == len(annotations) + 1
    assert meta["annotations"][SCHEDULED_TIMESTAMP_ANNOTATION] == expected
    assert meta["ownerReferences"][0]["kind"] == "CronJob"
    assert meta["ownerReferences"][0]["controller"] is True
    assert job["spec"] == cj["spec"]["jobTemplate"]["spec"]


# -- plan ------------------------------------------------------------------------------------------
def job(name, uid=None, finished=None, start=None, completion=None):
    status = {}
    if start:
        status["startTime"] = start
    if finished:
        status["conditions"] = [{"type": finished, "status": "True"}]
    if completion:
        status["completionTime"] = completion
    meta = {"name": name, "namespace": "default", "uid": uid or f"uid-{name}"}
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "status": status}


def ref(j):
    return {"kind": "Job", "name": j["metadata"]["name"], "uid": j["metadata"]["uid"]}


def reasons(result):
    return [r for _, r, _ in result.events]


def test_plan_allow_creates_the_most_recent_schedule():
    result = plan(cronjob(), [], at(minutes=61))
    assert result.create["metadata"]["name"] == f"mycronjob-{int(at(hours=1).timestamp()) // 60}"
    assert result.status["lastScheduleTime"] == "2016-05-19T11:00:00Z"
    assert result.requeue_after == 59 * 60
    assert result.delete == [] and result.events == []
    assert repr(result) == (
        "CronJobPlan(delete=[], create='mycronjob-24394260', "
        "status_changed=True, events=[], requeue_after=3540)"
    )


def test_plan_waits_until_the_next_schedule():
    result = plan(cronjob(), [], at(minutes=20))
    assert result.create is None and result.status is None
    assert result.requeue_after == 40 * 60


def test_plan_already_processed_schedule_is_not_run_twice():
    result = plan(cronjob(last=at(hours=1)), [], at(minutes=61))
    assert result.create is None and result.requeue_after == 59 * 60


def test_plan_forbid_skips_while_a_job_is_active():
    running = job("mycronjob-1")
    cj = cronjob(last=T0, concurrencyPolicy="Forbid")
    cj["status"]["active"] = [ref(running)]
    result = plan(cj, [running], at(minutes=61))
    assert result.create is None
    message = "Not starting job because prior execution is running and concurrency policy is Forbid"
    assert result.events == [("Normal", "JobAlreadyActive", message)]


def test_plan_replace_deletes_the_active_job_then_creates():
    running = job("mycronjob-1")
    cj = cronjob(last=T0, concurrencyPolicy="Replace")
    cj["status"]["active"] = [ref(running)]
    result = plan(cj, [running], at(minutes=61))
    assert result.delete == ["mycronjob-1"] and result.create is not None
    assert result.events == [("Normal", "SuccessfulDelete", "Deleted job mycronjob-1")]
    assert "active" not in result.status


def test_plan_suspended_does_nothing():
    result = plan(cronjob(suspend=True), [], at(minutes=61))
    assert result.create is None and result.requeue_after is None and result.status is None


def test_plan_too_many_missed_start_times_warns_and_runs_the_latest():
    cj = cronjob(created=T0 - timedelta(days=10))
    result = plan(cj, [], at(minutes=1))
    assert reasons(result) == ["TooManyMissedTimes"]
    assert result.events[0][2] == (
        "too many missed start times. Set or decrease .spec.startingDeadlineSeconds "
        "or check clock skew"
    )
    assert result.status["lastScheduleTime"] == "2016-05-19T10:00:00Z"


def test_plan_starting_deadline_bounds_the_window():
    cj = cronjob(created=T0 - timedelta(days=10), deadline=120)
    assert plan(cj, [], at(minutes=1)).create is not None  # 10:00 is within 120 s
    assert plan(cj, [], at(minutes=3)).create is None  # too late for 10:00


def test_plan_saw_completed_job_and_last_successful_time():
    done = job("mycronjob-1", finished="Complete", completion="2016-05-19T10:05:00Z")
    cj = cronjob(last=T0)
    cj["status"]["active"] = [ref(done)]
    result = plan(cj, [done], at(minutes=10))
    assert result.status == {
        "lastScheduleTime": "2016-05-19T10:00:00Z",
        "lastSuccessfulTime": "2016-05-19T10:05:00Z",
    }
    message = "Saw completed job: mycronjob-1, status: Complete"
    assert result.events == [("Normal", "SawCompletedJob", message)]


def test_plan_missing_and_unexpected_jobs():
    gone, stranger = job("mycronjob-1"), job("mycronjob-2")
    cj = cronjob(last=T0)
    cj["status"]["active"] = [ref(gone)]
    result = plan(cj, [stranger], at(minutes=10))
    assert reasons(result) == ["UnexpectedJob", "MissingJob"]
    assert result.events[0] == (
        "Warning",
        "UnexpectedJob",
        "Saw a job that the controller did not create or forgot: mycronjob-2",
    )
    assert result.events[1][2] == "Active job went missing: mycronjob-1"
    assert "active" not in result.status


def test_plan_history_limits_delete_the_oldest_finished_jobs():
    complete = [
        job(f"ok-{i}", finished="Complete", start=f"2016-05-19T0{i}:00:00Z") for i in range(5)
    ]
    failed = [job(f"bad-{i}", finished="Failed", start=f"2016-05-19T0{i}:00:00Z") for i in range(2)]
    result = plan(cronjob(last=T0), complete + failed, at(minutes=10))
    assert result.delete == ["ok-0", "ok-1", "bad-0"]
    assert reasons(result) == ["SuccessfulDelete"] * 3


def test_plan_bad_schedule_and_time_zone_events():
    result = plan(cronjob("0 * * *"), [], at(minutes=61))
    assert reasons(result) == ["UnparseableSchedule"] and result.create is None
    result = plan(cronjob(timeZone="Mars/Olympus"), [], at(minutes=61))
    assert result.events == [
        (
            "Warning",
            "UnknownTimeZone",
            'invalid timeZone: "Mars/Olympus": unknown time zone Mars/Olympus',
        )
    ]
    # upstream checks the zone before `suspend`: a suspended CronJob still reports it
    result = plan(cronjob(timeZone="Mars/Olympus", suspend=True), [], at(minutes=61))
    assert reasons(result) == ["UnknownTimeZone"]
    assert reasons(plan(cronjob(suspend=True), [], at(minutes=61))) == []


# -- scenarios through the Cluster facade ----------------------------------------------------------
def hello(schedule="*/1 * * * *", **spec):
    template = {"spec": {"restartPolicy": "OnFailure", "containers": [{"name": "c", "image": "x"}]}}
    spec = {"schedule": schedule, "jobTemplate": {"spec": {"template": template}}, **spec}
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": "hello"},
        "spec": spec,
    }


def complete_jobs(c, names=None):
    for p in c.get("pods"):
        if p["status"].get("phase") in ("Succeeded", "Failed"):
            continue
        if names is None or p["metadata"]["labels"]["job-name"] in names:
            p["status"] = {"phase": "Succeeded"}
            c.client.update_status("pods", p)
    c.settle()


def test_cronjob_creates_jobs_on_schedule():
    c = Cluster(seed=0)
    c.apply(hello())
    assert c.settle() == 0  # the schedule wake-up is a background timer
    c.run(60)
    (j,) = c.get("jobs")
    # 2025-01-01T00:01:00Z is 28928161 minutes after the epoch
    assert j["metadata"]["name"] == "hello-28928161"
    assert j["metadata"]["creationTimestamp"] == "2025-01-01T00:01:00Z"  # exactly on schedule
    assert j["metadata"]["annotations"][SCHEDULED_TIMESTAMP_ANNOTATION] == "2025-01-01T00:01:00Z"
    assert j["metadata"]["ownerReferences"][0]["name"] == "hello"
    status = c.get("cronjobs", "hello")["status"]
    assert status["lastScheduleTime"] == "2025-01-01T00:01:00Z"
    assert [(a["kind"], a["name"]) for a in status["active"]] == [("Job", "hello-28928161")]
    msgs = [e["message"] for e in c.get("events") if e["involvedObject"]["name"] == "hello"]
    assert msgs == ["Created job hello-28928161"]
    complete_jobs(c)
    status = c.get("cronjobs", "hello")["status"]
    # the Job controller syncs 1 s after the pod event (upstream syncJobBatchPeriod)
    assert "active" not in status and status["lastSuccessfulTime"] == "2025-01-01T00:01:01Z"
    reasons_seen = [e["reason"] for e in c.get("events") if e["involvedObject"]["name"] == "hello"]
    assert "SawCompletedJob" in reasons_seen


def test_cronjob_history_limit_keeps_three_successful_jobs():
    c = Cluster(seed=0)
    c.apply(hello())
    for _ in range(5):
        c.run(60)
        complete_jobs(c)
    c.run(1)
    names = sorted(j["metadata"]["name"] for j in c.get("jobs"))
    assert names == ["hello-28928163", "hello-28928164", "hello-28928165"]


def test_cronjob_in_a_time_zone():
    c = Cluster(seed=0)
    c.apply(hello("0 9 * * *", timeZone="Asia/Tokyo"))  # 09:00 in Tokyo is 00:00 UTC
    c.run(24 * 3600)
    (j,) = c.get("jobs")
    assert j["metadata"]["annotations"][SCHEDULED_TIMESTAMP_ANNOTATION] == (
        "2025-01-02T09:00:00+09:00"
    )
    assert j["metadata"]["creationTimestamp"] == "2025-01-02T00:00:00Z"


# -- properties over a virtual day -----------------------------------------------------------------
@settings(max_examples=10)
@given(
    policy=st.sampled_from(["Allow", "Forbid", "Replace"]),
    schedule=st.sampled_from(["*/30 * * * *", "0 * * * *", "15,45 */2 * * *"]),
    steps=st.lists(st.tuples(st.integers(5, 180), st.booleans()), min_size=1, max_size=20),
)
def test_cronjob_concurrency_policies_over_a_day(policy, schedule, steps):
    c = Cluster(seed=0)
    created, unfinished, peak = [], set(), [0]

    def on_job(event_type, obj):
        name = obj["metadata"]["name"]
        if event_type == "ADDED":
            created.append(name)
        finished = any(
            x["type"] in ("Complete", "Failed") and x["status"] == "True"
            for x in (obj.get("status") or {}).get("conditions") or []
        )
        if event_type == "DELETED" or finished:
            unfinished.discard(name)
        else:
            unfinished.add(name)
        peak[0] = max(peak[0], len(unfinished))

    c.client.watch("jobs", on_job, "default")
    c.apply(hello(schedule, concurrencyPolicy=policy, successfulJobsHistoryLimit=100))
    start = c.now
    for minutes, complete in steps:
        c.run(minutes * 60)
        if complete:
            complete_jobs(c)
        if c.now - start >= timedelta(days=1):
            break
    c.run(1)
    c.settle()
    if policy in ("Forbid", "Replace"):
        assert peak[0] <= 1
    expected, t = [], start
    while (t := next_schedule_time(schedule, t)) <= c.now:
        expected.append(f"hello-{int(t.timestamp()) // 60}")
    if policy in ("Allow", "Replace"):
        assert created == expected
    else:
        assert set(created) <= set(expected) and len(created) == len(set(created))
