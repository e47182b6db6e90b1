"""HumanDuration (upstream's own test tables) and the tabwriter layout kubectl uses."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minik8s.kubectl.table import human_duration, short_human_duration, table, tabwrite

S, MS = 1.0, 0.001
M, H, D = 60.0, 3600.0, 86400.0

# apimachinery util/duration/duration_test.go: TestHumanDuration
HUMAN = [
    (S, "1s"),
    (70 * S, "70s"),
    (190 * S, "3m10s"),
    (70 * M, "70m"),
    (47 * H, "47h"),
    (49 * H, "2d1h"),
    ((8 * 24 + 2) * H, "8d"),
    (367 * D, "367d"),
    ((365 * 2 * 24 + 25) * H, "2y1d"),
    ((365 * 8 * 24 + 2) * H, "8y"),
]
# TestHumanDurationBoundaries (-2s+1ns written as -1.999999999s)
BOUNDARIES = [
    (-2 * S, "<invalid>"),
    (-2 * S + 1e-9, "0s"),
    (0, "0s"),
    (S - MS, "0s"),
    (2 * M - MS, "119s"),
    (2 * M, "2m"),
    (2 * M + S, "2m1s"),
    (10 * M - MS, "9m59s"),
    (10 * M, "10m"),
    (10 * M + S, "10m"),
    (3 * H - MS, "179m"),
    (3 * H, "3h"),
    (3 * H + M, "3h1m"),
    (8 * H - MS, "7h59m"),
    (8 * H, "8h"),
    (8 * H + 59 * M, "8h"),
    (2 * D - MS, "47h"),
    (2 * D, "2d"),
    (2 * D + H, "2d1h"),
    (8 * D - MS, "7d23h"),
    (8 * D, "8d"),
    (8 * D + 23 * H, "8d"),
    (2 * 365 * D - MS, "729d"),
    (2 * 365 * D, "2y"),
    (2 * 365 * D + 23 * H, "2y"),
    (2 * 365 * D + 23 * H + 59 * M, "2y"),
    (2 * 365 * D + D - MS, "2y"),
    (2 * 365 * D + D, "2y1d"),
    (3 * 365 * D, "3y"),
    (4 * 365 * D, "4y"),
    (5 * 365 * D, "5y"),
    (6 * 365 * D, "6y"),
    (7 * 365 * D, "7y"),
    (8 * 365 * D - MS, "7y364d"),
    (8 * 365 * D, "8y"),
    (8 * 365 * D + 364 * D, "8y"),
    (9 * 365 * D, "9y"),
]
# TestShortHumanDurationBoundaries
SHORT = [
    (-2 * S, "<invalid>"),
    (-2 * S + 1e-9, "0s"),
    (0, "0s"),
    (S - MS, "0s"),
    (S, "1s"),
    (2 * S - MS, "1s"),
    (M - MS, "59s"),
    (M, "1m"),
    (2 * M - MS, "1m"),
    (H - MS, "59m"),
    (H, "1h"),
    (2 * H - MS, "1h"),
    (D - MS, "23h"),
    (D, "1d"),
    (2 * D - MS, "1d"),
    (365 * D - MS, "364d"),
    (365 * D, "1y"),
    (2 * 365 * D - MS, "1y"),
    (2 * 365 * D, "2y"),
]


@pytest.mark.parametrize(("seconds", "want"), HUMAN + BOUNDARIES)
def test_human_duration(seconds, want):
    assert human_duration(seconds) == want


@pytest.mark.parametrize(("seconds", "want"), SHORT)
def test_short_human_duration(seconds, want):
    assert short_human_duration(seconds) == want


@given(st.floats(min_value=0, max_value=20 * 365 * 86400, allow_nan=False))
def test_human_duration_is_short_and_monotonic_in_its_unit(seconds):
    text = human_duration(seconds)
    assert 2 <= len(text) <= 7
    assert text[-1] in "smhdy"


def test_table_pads_columns_with_three_spaces_and_minwidth_six():
    text = table([["NAME", "READY", "AGE"], ["web-1", "1/1", "5s"], ["a", "0/1", "10m"]])
    assert text.split("\n") == [
        "NAME    READY   AGE",
        "web-1   1/1     5s",
        "a       0/1     10m",
    ]


def test_tabwriter_blocks_end_at_lines_without_the_column():
    text = tabwrite("Name:\tweb\nNamespace:\tdefault\nIPs:\n  IP:\t10.0.0.1\n", padding=2)
    assert text == "Name:       web\nNamespace:  default\nIPs:\n  IP:  10.0.0.1\n"


def test_tabwriter_last_cell_is_not_padded():
    assert tabwrite("a\tb\nlonger\tc", padding=1) == "a      b\nlonger c"


cells = st.text(alphabet="abcXYZ-/:.0123", min_size=1, max_size=12)


@given(
    st.integers(min_value=1, max_value=5).flatmap(
        lambda n: st.lists(st.lists(cells, min_size=n, max_size=n), min_size=1, max_size=6)
    )
)
def test_table_columns_start_at_the_same_offset_on_every_line(rows):
    lines = table(rows).split("\n")
    assert len(lines) == len(rows)
    start = 0
    for col in range(len(rows[0])):
        for line, row in zip(lines, rows, strict=True):
            assert line[start : start + len(row[col])] == row[col]
            if col == len(row) - 1:
                assert len(line) == start + len(row[col])  # the last cell is not padded
        # each column is as wide as its widest cell plus 3 spaces, and at least 6
        start += max(6, max(len(r[col]) for r in rows) + 3)
