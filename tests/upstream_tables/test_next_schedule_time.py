"""robfig/cron v3 `spec_test.go` / `parser_test.go` rows through the public helper
`next_schedule_time(schedule, after, tz)`, the way the CronJob controller uses robfig
(`cron.ParseStandard(formatSchedule(cj))`, then `Next`).

tests/controllers/test_cron_spec.py runs the same tables against the parser and `SpecSchedule`
directly (including six-field specs). Here only what `ParseStandard` accepts can go through:
TestNext rows whose seconds field is "0" lose it; rows with other seconds are left out. robfig's
`time.Local` is the helper's `tz` (UTC unless the row names a zone). An unsatisfiable schedule
is upstream's zero time; the helper raises ValueError instead (DESIGN.md).
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta, timezone

import pytest

from minik8s.controllers.cronjob import next_schedule_time
from tests.robfig_tables import ACTIVATION

UTC = timezone.utc


def get_time(value: str, zone: str = "UTC") -> datetime:
    """robfig's `getTime`: an optional `TZ=<zone> ` prefix, then one of three layouts."""
    if value.startswith("TZ="):
        prefix, value = value.split()
        zone = prefix[len("TZ=") :]
    location = zoneinfo.ZoneInfo(zone)
    for layout in ("%a %b %d %H:%M %Y", "%a %b %d %H:%M:%S %Y"):
        try:
            return datetime.strptime(value, layout).replace(tzinfo=location)
        except ValueError:
            pass
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")


@pytest.mark.parametrize(("time", "spec", "expected"), ACTIVATION)
def test_activation(time: str, spec: str, expected: bool) -> None:
    """TestActivation: Next(t - 1s) == t exactly when the schedule fires at t."""
    t = get_time(time)
    assert (next_schedule_time(spec, t - timedelta(seconds=1)) == t) is expected


NY = "TZ=America/New_York "
NEXT = [
    ("Mon Jul 9 14:45 2012", "0/15 * * * *", "Mon Jul 9 15:00 2012"),
    ("Mon Jul 9 14:59 2012", "0/15 * * * *", "Mon Jul 9 15:00 2012"),
    ("Mon Jul 9 14:59:59 2012", "0/15 * * * *", "Mon Jul 9 15:00 2012"),
    ("Mon Jul 9 15:45 2012", "20-35/15 * * * *", "Mon Jul 9 16:20 2012"),
    ("Mon Jul 9 23:46 2012", "*/15 * * * *", "Tue Jul 10 00:00 2012"),
    ("Mon Jul 9 23:45 2012", "20-35/15 * * * *", "Tue Jul 10 00:20 2012"),
    ("Mon Jul 9 23:35 2012", "0 0 9 Apr-Oct ?", "Thu Aug 9 00:00 2012"),
    ("Mon Jul 9 23:35 2012", "0 0 */5 Apr,Aug,Oct Mon", "Tue Aug 1 00:00 2012"),
    ("Mon Jul 9 23:35 2012", "0 0 */5 Oct Mon", "Mon Oct 1 00:00 2012"),
    ("Mon Jul 9 23:35 2012", "0 0 * Feb Mon", "Mon Feb 4 00:00 2013"),
    ("Mon Jul 9 23:35 2012", "0 0 * Feb Mon/2", "Fri Feb 1 00:00 2013"),
    ("Mon Jul 9 23:35 2012", "0 0 29 Feb ?", "Mon Feb 29 00:00 2016"),
    ("2012-03-11T00:00:00-0500", NY + "30 2 11 Mar ?", "2013-03-11T02:30:00-0400"),
    ("2012-03-11T00:00:00-0500", NY + "0 * * * ?", "2012-03-11T01:00:00-0500"),
    ("2012-03-11T01:00:00-0500", NY + "0 * * * ?", "2012-03-11T03:00:00-0400"),
    ("2012-03-11T03:00:00-0400", NY + "0 * * * ?", "2012-03-11T04:00:00-0400"),
    ("2012-03-11T04:00:00-0400", NY + "0 * * * ?", "2012-03-11T05:00:00-0400"),
    ("2012-03-11T00:00:00-0500", "CRON_TZ=America/New_York 0 * * * ?", "2012-03-11T01:00:00-0500"),
    ("2012-03-11T01:00:00-0500", "CRON_TZ=America/New_York 0 * * * ?", "2012-03-11T03:00:00-0400"),
    ("2012-03-11T03:00:00-0400", "CRON_TZ=America/New_York 0 * * * ?", "2012-03-11T04:00:00-0400"),
    ("2012-03-11T04:00:00-0400", "CRON_TZ=America/New_York 0 * * * ?", "2012-03-11T05:00:00-0400"),
    ("2012-03-11T00:00:00-0500", NY + "0 1 * * ?", "2012-03-11T01:00:00-0500"),
    ("2012-03-11T01:00:00-0500", NY + "0 1 * * ?", "2012-03-12T01:00:00-0400"),
    ("2012-03-11T00:00:00-0500", NY + "0 2 * * ?", "2012-03-12T02:00:00-0400"),
    ("2012-11-04T00:00:00-0400", NY + "30 2 04 Nov ?", "2012-11-04T02:30:00-0500"),
    ("2012-11-04T01:45:00-0400", NY + "30 1 04 Nov ?", "2012-11-04T01:30:00-0500"),
    ("2012-11-04T00:00:00-0400", NY + "0 * * * ?", "2012-11-04T01:00:00-0400"),
    ("2012-11-04T01:00:00-0400", NY + "0 * * * ?", "2012-11-04T01:00:00-0500"),
    ("2012-11-04T01:00:00-0500", NY + "0 * * * ?", "2012-11-04T02:00:00-0500"),
    ("2012-11-04T00:00:00-0400", NY + "0 1 * * ?", "2012-11-04T01:00:00-0400"),
    ("2012-11-04T01:00:00-0400", NY + "0 1 * * ?", "2012-11-04T01:00:00-0500"),
    ("2012-11-04T01:00:00-0500", NY + "0 1 * * ?", "2012-11-05T01:00:00-0500"),
    ("2012-11-04T00:00:00-0400", NY + "0 2 * * ?", "2012-11-04T02:00:00-0500"),
    ("2012-11-04T02:00:00-0500", NY + "0 2 * * ?", "2012-11-05T02:00:00-0500"),
    ("2012-11-04T00:00:00-0400", NY + "0 3 * * ?", "2012-11-04T03:00:00-0500"),
    ("2012-11-04T03:00:00-0500", NY + "0 3 * * ?", "2012-11-05T03:00:00-0500"),
    ("2018-10-17T05:00:00-0400", "TZ=America/Sao_Paulo 0 9 10 * ?", "2018-11-10T06:00:00-0500"),
    ("2018-02-14T05:00:00-0500", "TZ=America/Sao_Paulo 0 9 22 * ?", "2018-02-22T07:00:00-0500"),
]  # fmt: skip


@pytest.mark.parametrize(("time", "spec", "expected"), NEXT)
def test_next(time: str, spec: str, expected: str) -> None:
    """TestNext rows with a zero seconds field (compared as instants)."""
    assert next_schedule_time(spec, get_time(time)) == get_time(expected).astimezone(UTC)


# TestNext rows where robfig's time.Local is New York: the CronJob's timeZone.
NEXT_LOCAL_NEW_YORK = [
    ("2012-11-04T00:00:00-0400", "0 * * * ?", "2012-11-04T01:00:00-0400"),
    ("2012-11-04T01:00:00-0400", "0 * * * ?", "2012-11-04T01:00:00-0500"),
    ("2012-11-04T01:00:00-0500", "0 * * * ?", "2012-11-04T02:00:00-0500"),
    ("2012-11-04T00:00:00-0400", "0 1 * * ?", "2012-11-04T01:00:00-0400"),
    ("2012-11-04T01:00:00-0400", "0 1 * * ?", "2012-11-04T01:00:00-0500"),
    ("2012-11-04T01:00:00-0500", "0 1 * * ?", "2012-11-05T01:00:00-0500"),
    ("2012-11-04T00:00:00-0400", "0 2 * * ?", "2012-11-04T02:00:00-0500"),
    ("2012-11-04T02:00:00-0500", "0 2 * * ?", "2012-11-05T02:00:00-0500"),
    ("2012-11-04T00:00:00-0400", "0 3 * * ?", "2012-11-04T03:00:00-0500"),
    ("2012-11-04T03:00:00-0500", "0 3 * * ?", "2012-11-05T03:00:00-0500"),
    ("2012-11-04T00:00:00-0400", "0 3 3 * ?", "2012-12-03T03:00:00-0500"),  # Monthly job
]


@pytest.mark.parametrize(("time", "spec", "expected"), NEXT_LOCAL_NEW_YORK)
def test_next_in_local_new_york(time: str, spec: str, expected: str) -> None:
    """TestNext rows with `TZ=America/New_York` on the time (robfig's Local)."""
    found = next_schedule_time(spec, get_time(time), "America/New_York")
    assert found == get_time(expected).astimezone(UTC)


@pytest.mark.parametrize(
    ("time", "spec"),
    [("Mon Jul 9 23:35 2012", "0 0 30 Feb ?"), ("Mon Jul 9 23:35 2012", "0 0 31 Apr ?")],
)
def test_next_unsatisfiable(time: str, spec: str) -> None:
    """TestNext "Unsatisfiable": upstream's zero time is a ValueError here."""
    with pytest.raises(ValueError):
        next_schedule_time(spec, get_time(time))


@pytest.mark.parametrize(
    ("time", "spec", "expected"),
    [
        ("2016-01-03T13:09:03+0530", "14 14 * * *", "2016-01-03T14:14:00+0530"),
        ("2016-01-03T04:09:03+0530", "14 14 * * ?", "2016-01-03T14:14:00+0530"),
        ("2016-01-03T14:09:03+0530", "14 14 * * *", "2016-01-03T14:14:00+0530"),
        ("2016-01-03T14:00:00+0530", "14 14 * * ?", "2016-01-03T14:14:00+0530"),
    ],
)
def test_next_with_tz(time: str, spec: str, expected: str) -> None:
    """TestNextWithTz: the schedule runs in the +05:30 zone of the time (Asia/Kolkata)."""
    found = next_schedule_time(spec, get_time(time), "Asia/Kolkata")
    assert found == get_time(expected).astimezone(UTC)


@pytest.mark.parametrize(
    "spec",
    [
        "xyz", "60 0 * * *", "0 60 * * *", "0 0 * * XYZ",  # TestErrors
        "TZ=America/New_York 15/0 * * * *",  # TestSlash0NoHang
        "5 j * * *", "* * * *",  # TestStandardSpecSchedule errors
        "* 5 j * * *", "@every Xm", "@unrecognized", "",  # TestParseScheduleErrors
    ],
)  # fmt: skip
def test_errors(spec: str) -> None:
    """robfig's error rows: ValueError from the helper."""
    with pytest.raises(ValueError):
        next_schedule_time(spec, datetime(2025, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("now", "spec", "expected"),
    [
        ("2025-01-01T18:00:00+0000", "5 * * * *", "2025-01-01T18:05:00+0000"),
        ("2025-01-01T18:02:00+0000", "@every 5m", "2025-01-01T18:07:00+0000"),
        ("2025-01-01T18:02:00+0000", "CRON_TZ=UTC  5 * * * *", "2025-01-01T18:05:00+0000"),
        ("2025-01-01T18:02:00+0000", "CRON_TZ=Asia/Tokyo 5 * * * *", "2025-01-01T18:05:00+0000"),
        ("2025-01-01T18:02:00+0000", "TZ=Asia/Tokyo @midnight", "2025-01-02T15:00:00+0000"),
        ("2025-01-01T18:02:00+0000", "@yearly", "2026-01-01T00:00:00+0000"),
        ("2025-01-01T18:02:00+0000", "@annually", "2026-01-01T00:00:00+0000"),
    ],
)
def test_standard_spec_schedule(now: str, spec: str, expected: str) -> None:
    """TestStandardSpecSchedule (newer form, with `now`); TestParseSchedule's standard specs,
    whose expected times here are worked out by hand (upstream compares parsed schedules)."""
    assert next_schedule_time(spec, get_time(now)) == get_time(expected)


@pytest.mark.parametrize(
    ("time", "delay", "expected"),
    [
        ("Mon Jul 9 14:45 2012", "15m50ns", "Mon Jul 9 15:00 2012"),
        ("Mon Jul 9 14:59 2012", "15m", "Mon Jul 9 15:14 2012"),
        ("Mon Jul 9 14:59:59 2012", "15m", "Mon Jul 9 15:14:59 2012"),
        ("Mon Jul 9 15:45 2012", "35m", "Mon Jul 9 16:20 2012"),
        ("Mon Jul 9 23:46 2012", "14m", "Tue Jul 10 00:00 2012"),
        ("Mon Jul 9 23:45 2012", "35m", "Tue Jul 10 00:20 2012"),
        ("Mon Jul 9 23:35:51 2012", "44m24s", "Tue Jul 10 00:20:15 2012"),
        ("Mon Jul 9 23:35:51 2012", "25h44m24s", "Thu Jul 11 01:20:15 2012"),
        ("Mon Jul 9 23:35 2012", "2184h25m", "Thu Oct 9 00:00 2012"),
        ("Mon Dec 31 23:59:45 2012", "15s", "Tue Jan 1 00:00:00 2013"),
        ("Mon Jul 9 14:45:00 2012", "15ms", "Mon Jul 9 14:45:01 2012"),
    ],
)
def test_constant_delay_next(time: str, delay: str, expected: str) -> None:
    """constantdelay_test.go TestConstantDelayNext, as `@every <delay>` schedules."""
    assert next_schedule_time(f"@every {delay}", get_time(time)) == get_time(expected)


@pytest.mark.parametrize("delay", ["15m", "15m50ns"])
def test_constant_delay_rounds_the_time_to_the_second(delay: str) -> None:
    """TestConstantDelayNext "Mon Jul 9 14:45:00.005 2012" rows: the time's fraction is dropped."""
    after = get_time("Mon Jul 9 14:45 2012") + timedelta(milliseconds=5)
    assert next_schedule_time(f"@every {delay}", after) == get_time("Mon Jul 9 15:00 2012")
