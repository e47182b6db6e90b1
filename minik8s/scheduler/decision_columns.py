"""Compact score columns for decision records (`minik8s.scheduler.decision`): no upstream
counterpart (upstream keeps no records). A column of small scores is `bytes`, else the smallest
signed `array` that holds it, else a tuple; a column of one distinct score is that score repeated.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from minik8s.scheduler.score_totals import ScoreLists, WeightedScores

Column = Sequence[int]  # bytes, array('h'/'i'/'q') or tuple
MAX_WEIGHT_MAP = 16  # distinct scores above which a weighted column is stored, not mapped


def compact(values: Sequence[int]) -> Column:
    """The values as `bytes` when they fit, else the smallest signed array, else a tuple."""
    if isinstance(values, (bytes, array, tuple)):
        return values
    try:
        return bytes(values)
    except (ValueError, TypeError):
        pass
    for code in "hiq":
        try:
            return array(code, values)
        except (OverflowError, TypeError):
            pass
    return tuple(values)


def repeated(value: int, count: int) -> Column:
    """`count` copies of `value`, compactly."""
    if 0 <= value < 256:
        return bytes((value,)) * count
    return compact([value]) * count  # type: ignore[operator,return-value]


def score_column(values: Sequence[int], weights: dict[int, int]) -> Column:
    """A score column, compactly; one of a single distinct value (`weights` says) repeated."""
    if len(weights) == 1 and values:
        return repeated(values[0], len(values))
    return compact(values)


def weight_maps(weighted: WeightedScores) -> tuple[ScoreLists, dict[str, dict[int, int]]]:
    """The columns weighted scores are read from and each plugin's score → weighted map
    (`weigh_and_total`'s own, read from its result: the totals are their sums)."""
    return weighted.parts()
