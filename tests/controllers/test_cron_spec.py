"""robfig/cron v3's own tables (spec_test.go: TestActivation, TestNext, TestNextWithTz,
TestErrors, TestSlash0NoHang; parser_test.go: TestRange, TestField, TestAll, TestBits,
TestParseScheduleErrors, TestParseSchedule, TestStandardSpecSchedule) run against the port,
the CronJob helper on daylight-saving days, and a property test against croniter where both
must agree. robfig's tests run in `time.Local`; here Local is UTC."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta, timezone

import pytest
from croniter import croniter
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.api.cron_parser import (
    DOM,
    DOW,
    HOURS,
    MINUTES,
    MONTHS,
    SECONDS,
    Bounds,
    get_bits,
    get_field,
    get_range,
    parse,
    parse_duration,
)
from minik8s.api.cron_spec import STAR_BIT, ConstantDelaySchedule, SpecSchedule, go_date
from minik8s.controllers.cronjob import next_schedule_time
from tests.robfig_tables import ACTIVATION

UTC = timezone.utc
NY = zoneinfo.ZoneInfo("America/New_York")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def get_time(value: str) -> datetime | None:
    """robfig's `getTime`: an optional `TZ=<zone> ` prefix, then one of three layouts."""
    if not value:
        return None
    location: zoneinfo.ZoneInfo | None = None
    if value.startswith("TZ="):
        zone, value = value.split()
        location = zoneinfo.ZoneInfo(zone[len("TZ=") :])
    for layout in ("%a %b %d %H:%M %Y", "%a %b %d %H:%M:%S %Y"):
        try:
            return datetime.strptime(value, layout).replace(tzinfo=location or UTC)
        except ValueError:
            pass
    parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    return parsed.astimezone(location) if location else parsed


def instant(t: datetime | None) -> datetime | None:
    """In UTC: Python never finds a time in a repeated hour equal to one in another zone."""
    return None if t is None else t.astimezone(UTC)


# --- spec_test.go --------------------------------------------------------------------------------


@pytest.mark.parametrize(("time", "spec", "expected"), ACTIVATION)
def test_activation(time: str, spec: str, expected: bool) -> None:
    t = get_time(time)
    assert t is not None
    assert (parse(spec).next(t - timedelta(seconds=1)) == t) is expected


NY_NOV = "TZ=America/New_York 2012-11-04T"
NEXT = [
    ("Mon Jul 9 14:45 2012", "0 0/15 * * * *", "Mon Jul 9 15:00 2012"),
    ("Mon Jul 9 14:59 2012", "0 0/15 * * * *", "Mon Jul 9 15:00 2012"),
    ("Mon Jul 9 14:59:59 2012", "0 0/15 * * * *", "Mon Jul 9 15:00 2012"),
    # Wrap around hours
    ("Mon Jul 9 15:45 2012", "0 20-35/15 * * * *", "Mon Jul 9 16:20 2012"),
    # Wrap around days
    ("Mon Jul 9 23:46 2012", "0 */15 * * * *", "Tue Jul 10 00:00 2012"),
    ("Mon Jul 9 23:45 2012", "0 20-35/15 * * * *", "Tue Jul 10 00:20 2012"),
    ("Mon Jul 9 23:35:51 2012", "15/35 20-35/15 * * * *", "Tue Jul 10 00:20:15 2012"),
    ("Mon Jul 9 23:35:51 2012", "15/35 20-35/15 1/2 * * *", "Tue Jul 10 01:20:15 2012"),
    ("Mon Jul 9 23:35:51 2012", "15/35 20-35/15 10-12 * * *", "Tue Jul 10 10:20:15 2012"),
    ("Mon Jul 9 23:35:51 2012", "15/35 20-35/15 1/2 */2 * *", "Thu Jul 11 01:20:15 2012"),
    ("Mon Jul 9 23:35:51 2012", "15/35 20-35/15 * 9-20 * *", "Wed Jul 10 00:20:15 2012"),
    ("Mon Jul 9 23:35:51 2012", "15/35 20-35/15 * 9-20 Jul *", "Wed Jul 10 00:20:15 2012"),
    # Wrap around months
    ("Mon Jul 9 23:35 2012", "0 0 0 9 Apr-Oct ?", "Thu Aug 9 00:00 2012"),
    ("Mon Jul 9 23:35 2012", "0 0 0 */5 Apr,Aug,Oct Mon", "Tue Aug 1 00:00 2012"),
    ("Mon Jul 9 23:35 2012", "0 0 0 */5 Oct Mon", "Mon Oct 1 00:00 2012"),
    # Wrap around years
    ("Mon Jul 9 23:35 2012", "0 0 0 * Feb Mon", "Mon Feb 4 00:00 2013"),
    ("Mon Jul 9 23:35 2012", "0 0 0 * Feb Mon/2", "Fri Feb 1 00:00 2013"),
    # Wrap around minute, hour, day, month, and year
    ("Mon Dec 31 23:59:45 2012", "0 * * * * *", "Tue Jan 1 00:00:00 2013"),
    # Leap year
    ("Mon Jul 9 23:35 2012", "0 0 0 29 Feb ?", "Mon Feb 29 00:00 2016"),
    # Daylight savings time 2am EST (-5) -> 3am EDT (-4)
    (
        "2012-03-11T00:00:00-0500",
        "TZ=America/New_York 0 30 2 11 Mar ?",
        "2013-03-11T02:30:00-0400",
    ),
    # hourly job
    ("2012-03-11T00:00:00-0500", "TZ=America/New_York 0 0 * * * ?", "2012-03-11T01:00:00-0500"),
    ("2012-03-11T01:00:00-0500", "TZ=America/New_York 0 0 * * * ?", "2012-03-11T03:00:00-0400"),
    ("2012-03-11T03:00:00-0400", "TZ=America/New_York 0 0 * * * ?", "2012-03-11T04:00:00-0400"),
    ("2012-03-11T04:00:00-0400", "TZ=America/New_York 0 0 * * * ?", "2012-03-11T05:00:00-0400"),
    # hourly job using CRON_TZ
    (
        "2012-03-11T00:00:00-0500",
        "CRON_TZ=America/New_York 0 0 * * * ?",
        "2012-03-11T01:00:00-0500",
    ),
    (
        "2012-03-11T01:00:00-0500",
        "CRON_TZ=America/New_York 0 0 * * * ?",
        "2012-03-11T03:00:00-0400",
    ),
    (
        "2012-03-11T03:00:00-0400",
        "CRON_TZ=America/New_York 0 0 * * * ?",
        "2012-03-11T04:00:00-0400",
    ),
    (
        "2012-03-11T04:00:00-0400",
        "CRON_TZ=America/New_York 0 0 * * * ?",
        "2012-03-11T05:00:00-0400",
    ),
    # 1am nightly job
    ("2012-03-11T00:00:00-0500", "TZ=America/New_York 0 0 1 * * ?", "2012-03-11T01:00:00-0500"),
    ("2012-03-11T01:00:00-0500", "TZ=America/New_York 0 0 1 * * ?", "2012-03-12T01:00:00-0400"),
    # 2am nightly job (skipped)
    ("2012-03-11T00:00:00-0500", "TZ=America/New_York 0 0 2 * * ?", "2012-03-12T02:00:00-0400"),
    # Daylight savings time 2am EDT (-4) => 1am EST (-5)
    ("2012-11-04T00:00:00-0400", "TZ=America/New_York 0 30 2 04 Nov ?", "2012-11-04T02:30:00-0500"),
    ("2012-11-04T01:45:00-0400", "TZ=America/New_York 0 30 1 04 Nov ?", "2012-11-04T01:30:00-0500"),
    # hourly job
    ("2012-11-04T00:00:00-0400", "TZ=America/New_York 0 0 * * * ?", "2012-11-04T01:00:00-0400"),
    ("2012-11-04T01:00:00-0400", "TZ=America/New_York 0 0 * * * ?", "2012-11-04T01:00:00-0500"),
    ("2012-11-04T01:00:00-0500", "TZ=America/New_York 0 0 * * * ?", "2012-11-04T02:00:00-0500"),
    # 1am nightly job (runs twice)
    ("2012-11-04T00:00:00-0400", "TZ=America/New_York 0 0 1 * * ?", "2012-11-04T01:00:00-0400"),
    ("2012-11-04T01:00:00-0400", "TZ=America/New_York 0 0 1 * * ?", "2012-11-04T01:00:00-0500"),
    ("2012-11-04T01:00:00-0500", "TZ=America/New_York 0 0 1 * * ?", "2012-11-05T01:00:00-0500"),
    # 2am nightly job
    ("2012-11-04T00:00:00-0400", "TZ=America/New_York 0 0 2 * * ?", "2012-11-04T02:00:00-0500"),
    ("2012-11-04T02:00:00-0500", "TZ=America/New_York 0 0 2 * * ?", "2012-11-05T02:00:00-0500"),
    # 3am nightly job
    ("2012-11-04T00:00:00-0400", "TZ=America/New_York 0 0 3 * * ?", "2012-11-04T03:00:00-0500"),
    ("2012-11-04T03:00:00-0500", "TZ=America/New_York 0 0 3 * * ?", "2012-11-05T03:00:00-0500"),
    # the same, with the location on the time instead of the schedule (robfig's time.Local)
    (NY_NOV + "00:00:00-0400", "0 0 * * * ?", "2012-11-04T01:00:00-0400"),
    (NY_NOV + "01:00:00-0400", "0 0 * * * ?", "2012-11-04T01:00:00-0500"),
    (NY_NOV + "01:00:00-0500", "0 0 * * * ?", "2012-11-04T02:00:00-0500"),
    (NY_NOV + "00:00:00-0400", "0 0 1 * * ?", "2012-11-04T01:00:00-0400"),
    (NY_NOV + "01:00:00-0400", "0 0 1 * * ?", "2012-11-04T01:00:00-0500"),
    (NY_NOV + "01:00:00-0500", "0 0 1 * * ?", "2012-11-05T01:00:00-0500"),
    (NY_NOV + "00:00:00-0400", "0 0 2 * * ?", "2012-11-04T02:00:00-0500"),
    (NY_NOV + "02:00:00-0500", "0 0 2 * * ?", "2012-11-05T02:00:00-0500"),
    (NY_NOV + "00:00:00-0400", "0 0 3 * * ?", "2012-11-04T03:00:00-0500"),
    (NY_NOV + "03:00:00-0500", "0 0 3 * * ?", "2012-11-05T03:00:00-0500"),
    # Unsatisfiable
    ("Mon Jul 9 23:35 2012", "0 0 0 30 Feb ?", ""),
    ("Mon Jul 9 23:35 2012", "0 0 0 31 Apr ?", ""),
    # Monthly job
    (NY_NOV + "00:00:00-0400", "0 0 3 3 * ?", "2012-12-03T03:00:00-0500"),
    # DST resulting in midnight not being a valid time (robfig/cron#157)
    ("2018-10-17T05:00:00-0400", "TZ=America/Sao_Paulo 0 0 9 10 * ?", "2018-11-10T06:00:00-0500"),
    ("2018-02-14T05:00:00-0500", "TZ=America/Sao_Paulo 0 0 9 22 * ?", "2018-02-22T07:00:00-0500"),
]


@pytest.mark.parametrize(("time", "spec", "expected"), NEXT)
def test_next(time: str, spec: str, expected: str) -> None:
    t = get_time(time)
    assert t is not None
    assert instant(parse(spec, seconds=True).next(t)) == instant(get_time(expected))


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
    found = parse(spec).next(datetime.strptime(time, "%Y-%m-%dT%H:%M:%S%z"))
    assert found == datetime.strptime(expected, "%Y-%m-%dT%H:%M:%S%z")
    assert found is not None and found.utcoffset() == timedelta(hours=5, minutes=30)


@pytest.mark.parametrize(
    "spec",
    ["xyz", "60 0 * * *", "0 60 * * *", "0 0 * * XYZ", "TZ=America/New_York 15/0 * * * *"],
)
def test_errors(spec: str) -> None:
    with pytest.raises(ValueError):
        parse(spec)


# --- parser_test.go ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "low", "high", "expected", "error"),
    [
        ("5", 0, 7, 1 << 5, ""),
        ("0", 0, 7, 1 << 0, ""),
        ("7", 0, 7, 1 << 7, ""),
        ("5-5", 0, 7, 1 << 5, ""),
        ("5-6", 0, 7, 1 << 5 | 1 << 6, ""),
        ("5-7", 0, 7, 1 << 5 | 1 << 6 | 1 << 7, ""),
        ("5-6/2", 0, 7, 1 << 5, ""),
        ("5-7/2", 0, 7, 1 << 5 | 1 << 7, ""),
        ("5-7/1", 0, 7, 1 << 5 | 1 << 6 | 1 << 7, ""),
        ("*", 1, 3, 1 << 1 | 1 << 2 | 1 << 3 | STAR_BIT, ""),
        ("*/2", 1, 3, 1 << 1 | 1 << 3, ""),
        ("*/1", 1, 3, 1 << 1 | 1 << 2 | 1 << 3 | STAR_BIT, ""),  # a step of 1 keeps the star
        ("5--5", 0, 0, 0, "too many hyphens"),
        ("jan-x", 0, 0, 0, "failed to parse int from"),
        ("2-x", 1, 5, 0, "failed to parse int from"),
        ("*/-12", 0, 0, 0, "negative number"),
        ("*//2", 0, 0, 0, "too many slashes"),
        ("1", 3, 5, 0, "below minimum"),
        ("6", 3, 5, 0, "above maximum"),
        ("5-3", 3, 5, 0, "beyond end of range"),
        ("*/0", 0, 0, 0, "should be a positive number"),
    ],
)
def test_range(expr: str, low: int, high: int, expected: int, error: str) -> None:
    if error:
        with pytest.raises(ValueError, match=error):
            get_range(expr, Bounds(low, high))
    else:
        assert get_range(expr, Bounds(low, high)) == expected


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("5", 1 << 5),
        ("5,6", 1 << 5 | 1 << 6),
        ("5,6,7", 1 << 5 | 1 << 6 | 1 << 7),
        ("1,5-7/2,3", 1 << 1 | 1 << 5 | 1 << 7 | 1 << 3),
    ],
)
def test_field(expr: str, expected: int) -> None:
    assert get_field(expr, Bounds(1, 7)) == expected


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [(MINUTES, 0xFFFFFFFFFFFFFFF), (HOURS, 0xFFFFFF), (DOM, 0xFFFFFFFE), (MONTHS, 0x1FFE)]
    + [(DOW, 0x7F)],
)
def test_all(bounds: Bounds, expected: int) -> None:
    assert get_field("*", bounds) == expected | STAR_BIT


@pytest.mark.parametrize(
    ("low", "high", "step", "expected"),
    [(0, 0, 1, 0x1), (1, 1, 1, 0x2), (1, 5, 2, 0x2A), (1, 4, 2, 0xA)],
)
def test_bits(low: int, high: int, step: int, expected: int) -> None:
    assert get_bits(low, high, step) == expected


@pytest.mark.parametrize(
    ("expr", "error"),
    [
        ("* 5 j * * *", "failed to parse int from"),
        ("@every Xm", "failed to parse duration"),
        ("@unrecognized", "unrecognized descriptor"),
        ("* * * *", "fields, found 4"),  # robfig's secondParser: "expected 5 to 6 fields"
        ("", "empty spec string"),
    ],
)
def test_parse_schedule_errors(expr: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        parse(expr, seconds=True)


def star(bounds: Bounds) -> int:
    return get_field("*", bounds)


def every5min(loc: zoneinfo.ZoneInfo | None) -> SpecSchedule:
    return SpecSchedule(1, 1 << 5, star(HOURS), star(DOM), star(MONTHS), star(DOW), loc)


def midnight(loc: zoneinfo.ZoneInfo | None) -> SpecSchedule:
    return SpecSchedule(1, 1, 1, star(DOM), star(MONTHS), star(DOW), loc)


ANNUAL = SpecSchedule(1, 1, 1, 1 << 1, 1 << 1, star(DOW))
ZUTC = zoneinfo.ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("seconds", "expr", "expected"),
    [
        (True, "0 5 * * * *", every5min(None)),
        (False, "5 * * * *", every5min(None)),
        (True, "CRON_TZ=UTC  0 5 * * * *", every5min(ZUTC)),
        (False, "CRON_TZ=UTC  5 * * * *", every5min(ZUTC)),
        (True, "CRON_TZ=Asia/Tokyo 0 5 * * * *", every5min(TOKYO)),
        (True, "@every 5m", ConstantDelaySchedule(300)),
        (True, "@midnight", midnight(None)),
        (True, "TZ=UTC  @midnight", midnight(ZUTC)),
        (True, "TZ=Asia/Tokyo @midnight", midnight(TOKYO)),
        (True, "@yearly", ANNUAL),
        (True, "@annually", ANNUAL),
        (
            True,
            "* 5 * * * *",
            SpecSchedule(star(SECONDS), 1 << 5, star(HOURS), star(DOM), star(MONTHS), star(DOW)),
        ),
        # TestStandardSpecSchedule
        (False, "5 * * * *", every5min(None)),
        (False, "@every 5m", ConstantDelaySchedule(300)),
    ],
)
def test_parse_schedule(seconds: bool, expr: str, expected: object) -> None:
    assert parse(expr, seconds=seconds) == expected


@pytest.mark.parametrize(
    ("expr", "error"),
    [
        ("5 j * * *", "failed to parse int from j: strconv.Atoi"),
        ("* * * *", r"expected exactly 5 fields, found 4: \[\* \* \* \*\]"),
        ("TZ=Bogus * * * * *", "provided bad location Bogus: unknown time zone Bogus"),
    ],
)
def test_standard_spec_schedule_errors(expr: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        parse(expr)


@pytest.mark.parametrize(
    ("text", "nanos"),
    [("0", 0), ("5m", 300 * 10**9), ("1h30m", 5400 * 10**9), ("1.5s", 1_500_000_000)]
    + [("-2s", -2 * 10**9), ("100ms", 10**8), ("1µs", 1000), ("+.5h", 1800 * 10**9)],
)
def test_parse_duration(text: str, nanos: int) -> None:
    assert parse_duration(text) == nanos


@pytest.mark.parametrize(
    ("text", "error"),
    [("", "invalid duration"), ("X", "invalid duration"), ("5", "missing unit")]
    + [("5d", 'unknown unit "d"'), (".s", "invalid duration")],
)
def test_parse_duration_errors(text: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        parse_duration(text)


@pytest.mark.parametrize(("spec", "delay"), [("@every 1.5s", 1), ("@every 100ms", 1)])
def test_every_rounds_down_to_whole_seconds_of_at_least_one(spec: str, delay: int) -> None:
    schedule = parse(spec)
    assert schedule == ConstantDelaySchedule(delay)
    t = datetime(2020, 1, 1, 0, 0, 0, 700_000, tzinfo=UTC)
    assert schedule.next(t) == datetime(2020, 1, 1, 0, 0, delay, tzinfo=UTC)


# --- Go's time.Date and the CronJob helper on daylight-saving days --------------------------------


def utc(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("wall", "expected"),
    [
        ((2025, 3, 9, 2, 30), utc(2025, 3, 9, 6, 30)),  # nonexistent: 01:30 EST, as Go
        ((2025, 11, 2, 1, 30), utc(2025, 11, 2, 5, 30)),  # repeated: the first, 01:30 EDT
        ((2025, 7, 1, 12, 0), utc(2025, 7, 1, 16, 0)),
        ((2025, 13, 32, 25, 0), utc(2026, 2, 2, 6, 0)),  # fields normalised like time.Date
    ],
)
def test_go_date(wall: tuple[int, ...], expected: datetime) -> None:
    year, month, day, hour, minute = wall
    found = go_date(year, month, day, hour, minute, 0, NY)
    assert datetime.fromtimestamp(found, UTC) == expected


@pytest.mark.parametrize(
    ("schedule", "after", "tz", "expected"),
    [
        # spring forward: 02:30 does not exist on 2025-03-09, robfig skips the day
        ("30 2 * * *", utc(2025, 3, 9, 6), "America/New_York", utc(2025, 3, 10, 6, 30)),
        # fall back: 01:30 happens twice on 2025-11-02 and runs twice
        ("30 1 * * *", utc(2025, 11, 2, 4), "America/New_York", utc(2025, 11, 2, 5, 30)),
        ("30 1 * * *", utc(2025, 11, 2, 5, 30), "America/New_York", utc(2025, 11, 2, 6, 30)),
        ("30 1 * * *", utc(2025, 11, 2, 6, 30), "America/New_York", utc(2025, 11, 3, 6, 30)),
        ("0 * * * *", utc(2025, 3, 9, 6), "America/New_York", utc(2025, 3, 9, 7)),
        # `*/1` keeps the star: day-of-month counts as `*`, so Mondays only
        ("0 0 */1 * 1", utc(2025, 1, 1), "UTC", utc(2025, 1, 6)),
        ("0 0 */2 * 1", utc(2025, 1, 1), "UTC", utc(2025, 1, 3)),  # restricted: either
        ("0 0 1-31 * 1", utc(2025, 1, 1), "UTC", utc(2025, 1, 2)),
    ],
)
def test_next_schedule_time_follows_robfig(
    schedule: str, after: datetime, tz: str, expected: datetime
) -> None:
    assert next_schedule_time(schedule, after, tz) == expected


# --- agreement with croniter where both implement the same rules --------------------------------


def _values(low: int, high: int) -> st.SearchStrategy[str]:
    """A restricted field: values, ranges and steps above 1 (robfig and croniter agree)."""
    number = st.integers(low, high)
    single = number.map(str)
    # `N-N` is left out: croniter reads `0-0` as `*` (robfig: minute 0 only)
    pairs = st.tuples(number, number).filter(lambda p: p[0] != p[1])
    span = pairs.map(lambda p: f"{min(p)}-{max(p)}")
    stepped = st.tuples(st.sampled_from(["*", f"{low}"]), st.integers(2, 9)).map(
        lambda p: f"{p[0]}/{p[1]}"
    )
    return st.lists(st.one_of(single, span, stepped), min_size=1, max_size=3).map(",".join)


def _field(low: int, high: int) -> st.SearchStrategy[str]:
    return st.one_of(st.just("*"), _values(low, high))


@st.composite
def schedules(draw: st.DrawFn) -> str:
    """Standard schedules with at most one of day-of-month and day-of-week restricted."""
    minute, hour = draw(_field(0, 59)), draw(_field(0, 23))
    month = draw(_field(1, 12))
    dom, dow = "*", "*"
    which = draw(st.sampled_from(["none", "dom", "dow"]))
    if which == "dom":  # days every month has, unless the month is `*`
        dom = draw(_values(1, 31 if month == "*" else 28))
    elif which == "dow":
        dow = draw(_values(0, 6))
    return f"{minute} {hour} {dom} {month} {dow}"


@settings(max_examples=300, deadline=None)
@given(
    schedule=schedules(),
    after=st.datetimes(datetime(2000, 1, 1), datetime(2030, 1, 1)).map(
        lambda t: t.replace(microsecond=0)
    ),
    zone=st.sampled_from(["UTC", "Asia/Tokyo", "Asia/Kolkata"]),
)
def test_agrees_with_croniter_without_daylight_saving(
    schedule: str, after: datetime, zone: str
) -> None:
    local = zoneinfo.ZoneInfo(zone)
    start = after.replace(tzinfo=local)
    expected = croniter(schedule, start).get_next(datetime)
    assert instant(parse(f"TZ={zone} {schedule}").next(start)) == instant(expected)


@settings(max_examples=200, deadline=None)
@given(
    schedule=schedules(),
    after=st.datetimes(datetime(2010, 1, 1), datetime(2030, 1, 1), timezones=st.just(UTC)),
    zone=st.sampled_from(["America/New_York", "Europe/London", "America/Sao_Paulo"]),
)
def test_next_is_strictly_later_in_any_zone(schedule: str, after: datetime, zone: str) -> None:
    found = parse(f"TZ={zone} {schedule}").next(after)
    assert found is not None and found > after
