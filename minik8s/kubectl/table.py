"""Text layout shared by kubectl's printers: Go's `text/tabwriter` and `duration.HumanDuration`.

Mirrors `text/tabwriter` (column blocks, `minwidth`, `padding`, left alignment) and the
`RememberWidths` flag of kubectl's fork (`github.com/liggitt/tabwriter`, `TabWriter`: a column
never narrows from one flush to the next, so `get --watch` rows stay aligned), apimachinery
`util/duration/duration.go` (`HumanDuration`, `ShortHumanDuration`) and the timestamp helpers of
`pkg/printers/internalversion/printers.go` (`translateTimestampSince`).
Leaves out tabwriter's escapes, HTML filtering and right alignment.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

_SECOND = 1_000_000_000
_MINUTE = 60 * _SECOND
_HOUR = 60 * _MINUTE


def _go_div(a: int, b: int) -> int:
    """Go's integer division: truncates toward zero."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def _nanos(seconds: float) -> int:
    return int(round(seconds * _SECOND))


def human_duration(seconds: float) -> str:
    """`duration.HumanDuration`: `5s`, `119s`, `2m1s`, `10m`, `3h1m`, `47h`, `2d1h`, `2y1d`."""
    d = _nanos(seconds)
    secs = _go_div(d, _SECOND)
    if secs < -1:
        return "<invalid>"
    if secs < 0:
        return "0s"
    if secs < 60 * 2:
        return f"{secs}s"
    minutes = d // _MINUTE
    if minutes < 10:
        s = (d // _SECOND) % 60
        return f"{minutes}m" if s == 0 else f"{minutes}m{s}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = d // _HOUR
    if hours < 8:
        m = (d // _MINUTE) % 60
        return f"{hours}h" if m == 0 else f"{hours}h{m}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        h = hours % 24
        return f"{hours // 24}d" if h == 0 else f"{hours // 24}d{h}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if dy == 0 else f"{hours // 24 // 365}y{dy}d"
    return f"{hours // 24 // 365}y"


def short_human_duration(seconds: float) -> str:
    """`duration.ShortHumanDuration`: one unit only (`59s`, `1m`, `23h`, `364d`, `1y`)."""
    d = _nanos(seconds)
    secs = _go_div(d, _SECOND)
    if secs < -1:
        return "<invalid>"
    if secs < 0:
        return "0s"
    if secs < 60:
        return f"{secs}s"
    if d // _MINUTE < 60:
        return f"{d // _MINUTE}m"
    hours = d // _HOUR
    if hours < 24:
        return f"{hours}h"
    if hours < 24 * 365:
        return f"{hours // 24}d"
    return f"{hours // 24 // 365}y"


def parse_time(value: str | None) -> datetime | None:
    """An RFC 3339 `metav1.Time` / `MicroTime` string as an aware datetime (None if unset)."""
    if not value:
        return None
    text = value.replace("Z", "+00:00")
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def since(now: datetime, value: str | None) -> str:
    """`translateTimestampSince`: HumanDuration of now - value, `<unknown>` when unset."""
    then = parse_time(value)
    if then is None:
        return "<unknown>"
    return human_duration((now - then).total_seconds())


def cell(value: Any) -> str:
    """How the table printer prints a cell: Go's `%v` (booleans as `true`/`false`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def tabwrite(text: str, minwidth: int = 0, padding: int = 1) -> str:
    """Align tab-separated cells like Go's `tabwriter.Writer` (padchar ' ', no flags), then Flush.

    A cell is text terminated by a tab; the last cell of a line is not part of any column. Column
    widths are computed per block of consecutive lines that have a cell in that column.
    """
    lines = [line.split("\t") for line in text.split("\n")]
    out: list[str] = []
    _format(lines, 0, len(lines), [], minwidth, padding, out)
    return "\n".join(out)


def _format(
    lines: list[list[str]],
    line0: int,
    line1: int,
    widths: list[int],
    minwidth: int,
    padding: int,
    out: list[str],
    remembered: list[int] | None = None,
) -> None:
    column = len(widths)
    this = line0
    while this < line1:
        if column >= len(lines[this]) - 1:
            this += 1
            continue
        _write_lines(lines, line0, this, widths, out)
        line0 = this
        width = minwidth
        while this < line1 and column < len(lines[this]) - 1:
            width = max(width, len(lines[this][column]) + padding)
            this += 1
        if remembered is not None:
            width = _remember(remembered, widths, width)
        _format(lines, line0, this, [*widths, width], minwidth, padding, out, remembered)
        line0 = this
    _write_lines(lines, line0, line1, widths, out)


def _remember(remembered: list[int], widths: list[int], width: int) -> int:
    """`RememberWidths`: the widest this column has been (its widths in `remembered`, by
    nesting depth, as the fork keeps `maxwidths`)."""
    if len(remembered) < len(widths):
        remembered.extend(widths[len(remembered) :])
    column = len(widths)
    if len(remembered) == column:
        remembered.append(width)
    elif remembered[column] > width:
        width = remembered[column]
    else:
        remembered[column] = width
    return width


def _write_lines(
    lines: list[list[str]], line0: int, line1: int, widths: list[int], out: list[str]
) -> None:
    for cells in lines[line0:line1]:
        parts = []
        for j, text in enumerate(cells):
            if j < len(widths):
                parts.append(text.ljust(widths[j]))
            else:
                parts.append(text)
        out.append("".join(parts))


def table(rows: list[list[str]]) -> str:
    """kubectl's table layout: `tabwriter.NewWriter(out, 6, 4, 3, ' ', 0)`; no trailing newline."""
    text = "\n".join("\t".join(row) for row in rows)
    return tabwrite(text, minwidth=6, padding=3)


class TabWriter:
    """kubectl's `printers.GetNewTabWriter`: minwidth 6, padding 3, `RememberWidths`. Lines
    are written, then `flush()` lays out what was written since the last flush."""

    def __init__(self, minwidth: int = 6, padding: int = 3):
        self.minwidth = minwidth
        self.padding = padding
        self.remembered: list[int] = []
        self._lines: list[list[str]] = []

    def __repr__(self) -> str:
        return f"<TabWriter widths={self.remembered} buffered={len(self._lines)}>"

    def write(self, cells: list[str]) -> None:
        """One line of tab-terminated cells (the last one ends the line)."""
        self._lines.append(cells)

    def flush(self) -> str:
        """The buffered lines laid out, each ending in a newline."""
        lines, self._lines = self._lines, []
        out: list[str] = []
        _format(lines, 0, len(lines), [], self.minwidth, self.padding, out, self.remembered)
        return "".join(line + "\n" for line in out)
