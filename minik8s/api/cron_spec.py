"""robfig/cron v3 schedules, mirroring `spec.go` (`SpecSchedule.Next`, `dayMatches`) and
`constantdelay.go`; the parser (`parser.go`) is `cron_parser`.

Go's time arithmetic is mirrored exactly: `t.Add` is absolute (done on Unix seconds), `AddDate`
and `time.Date` work on the wall clock and resolve a nonexistent or repeated local time the
way Go's `time.Date` does (the offset in effect at `wall - offset(wall)`), so daylight-saving
gaps and repeats behave as upstream's CronJob controller sees them. A schedule without a
location is robfig's `time.Local`: it runs in the zone of the time passed to `next`.
Left out: nanoseconds (times are whole seconds after the first step), the `L` (last day of
month) that some forks add (not in robfig v3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo

STAR_BIT = 1 << 63
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_EPOCH_DAY = date(1970, 1, 1).toordinal()


@dataclass(frozen=True)
class SpecSchedule:
    """robfig `SpecSchedule`: one bitset per field (bit 63 marks a `*`), and a location."""

    second: int
    minute: int
    hour: int
    dom: int
    month: int
    dow: int
    location: tzinfo | None = None  # None: robfig's time.Local, the zone of the time given

    def next(self, t: datetime) -> datetime | None:
        """`SpecSchedule.Next`: the first activation after `t` (None past five years)."""
        zone = self.location or t.tzinfo
        if zone is None:
            raise ValueError("next needs an aware datetime")
        found = _Search(self, zone, _unix(t) + 1).run()
        return None if found is None else datetime.fromtimestamp(found, t.tzinfo or zone)


@dataclass(frozen=True)
class ConstantDelaySchedule:
    """robfig `ConstantDelaySchedule` (`@every`): whole seconds, at least one."""

    delay: int

    def next(self, t: datetime) -> datetime | None:
        """`ConstantDelaySchedule.Next`: `t` rounded down to the second, plus the delay."""
        found = _unix(t) + self.delay
        return datetime.fromtimestamp(found, t.tzinfo or timezone.utc)


Schedule = SpecSchedule | ConstantDelaySchedule


# --- Go time -------------------------------------------------------------------------------------


def _unix(t: datetime) -> int:
    """Whole Unix seconds of an aware `t`, rounded down (Go drops the nanoseconds)."""
    return (t - _EPOCH) // timedelta(seconds=1)


def _wall(unix: int, zone: tzinfo) -> datetime:
    return datetime.fromtimestamp(unix, zone)


def _offset(unix: int, zone: tzinfo) -> int:
    offset = _wall(unix, zone).utcoffset()
    return 0 if offset is None else int(offset.total_seconds())


def go_date(year: int, month: int, day: int, hour: int, minute: int, sec: int, zone: tzinfo) -> int:
    """Go's `time.Date` as Unix seconds: fields normalised, gaps and repeats resolved as Go does."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    days = date(year, month, 1).toordinal() - _EPOCH_DAY + day - 1
    unix = days * 86400 + hour * 3600 + minute * 60 + sec
    # Go looks up the offset at `unix` read as UTC, then, unless `unix - offset` lies in that
    # same zone period, the offset at `unix - offset`; both cases equal this expression.
    return unix - _offset(unix - _offset(unix, zone), zone)


def _add_date(unix: int, zone: tzinfo, months: int = 0, days: int = 0) -> int:
    """Go's `t.AddDate(0, months, days)`: wall-clock arithmetic, renormalised by `time.Date`."""
    w = _wall(unix, zone)
    return go_date(w.year, w.month + months, w.day + days, w.hour, w.minute, w.second, zone)


def _weekday(w: datetime) -> int:
    return w.isoweekday() % 7  # Go's time.Weekday: Sunday is 0


def day_matches(s: SpecSchedule, w: datetime) -> bool:
    """`dayMatches`: dom and dow must both match if either has a star, otherwise either."""
    dom_match = bool(1 << w.day & s.dom)
    dow_match = bool(1 << _weekday(w) & s.dow)
    if s.dom & STAR_BIT or s.dow & STAR_BIT:
        return dom_match and dow_match
    return dom_match or dow_match


class _Search:
    """The state of one `Next` call; each field step returns True where Go does `goto WRAP`."""

    def __init__(self, spec: SpecSchedule, zone: tzinfo, unix: int) -> None:
        self.s, self.zone, self.unix, self.added = spec, zone, unix, False
        self.year_limit = self.wall.year + 5

    def __repr__(self) -> str:
        return f"_Search(unix={self.unix}, added={self.added})"

    @property
    def wall(self) -> datetime:
        return _wall(self.unix, self.zone)

    def run(self) -> int | None:
        while self.wall.year <= self.year_limit:
            if self._month() or self._day() or self._hour() or self._minute() or self._second():
                continue
            return self.unix
        return None

    def _reset(self, year: int, month: int, day: int, hour: int = 0) -> None:
        """On the first increment, start from the beginning of the current field."""
        if not self.added:
            self.added = True
            self.unix = go_date(year, month, day, hour, 0, 0, self.zone)

    def _month(self) -> bool:
        while not 1 << self.wall.month & self.s.month:
            w = self.wall
            self._reset(w.year, w.month, 1)
            self.unix = _add_date(self.unix, self.zone, months=1)
            if self.wall.month == 1:
                return True
        return False

    def _day(self) -> bool:
        while not day_matches(self.s, self.wall):
            w = self.wall
            self._reset(w.year, w.month, w.day)
            self.unix = _add_date(self.unix, self.zone, days=1)
            hour = self.wall.hour  # not midnight after a DST change: move to the nearest one
            if hour != 0:
                self.unix += (24 - hour) * 3600 if hour > 12 else -hour * 3600
            if self.wall.day == 1:
                return True
        return False

    def _hour(self) -> bool:
        while not 1 << self.wall.hour & self.s.hour:
            w = self.wall
            self._reset(w.year, w.month, w.day, w.hour)
            self.unix += 3600
            if self.wall.hour == 0:
                return True
        return False

    def _minute(self) -> bool:
        while not 1 << self.wall.minute & self.s.minute:
            if not self.added:
                self.added = True
                self.unix -= self.unix % 60  # t.Truncate(time.Minute): absolute time
            self.unix += 60
            if self.wall.minute == 0:
                return True
        return False

    def _second(self) -> bool:
        while not 1 << self.wall.second & self.s.second:
            self.added = True  # t.Truncate(time.Second) is a no-op on whole seconds
            self.unix += 1
            if self.wall.second == 0:
                return True
        return False
