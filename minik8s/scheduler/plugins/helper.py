"""Shared plugin helpers, mirroring `pkg/scheduler/framework/plugins/helper`
(normalize_score.go, shape_score.go) plus Go's integer division."""

from __future__ import annotations

import math
from collections.abc import Callable

from minik8s.scheduler.framework import MAX_NODE_SCORE


def go_div(a: int, b: int) -> int:
    """Go's integer division: truncates toward zero (Python's `//` floors)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def go_round(x: float) -> int:
    """Go's math.Round: halves round away from zero (Python's round() rounds to even)."""
    return int(math.floor(x + 0.5)) if x >= 0 else -int(math.floor(-x + 0.5))


def default_normalize_score(
    scores: list[int], reverse: bool, max_priority: int = MAX_NODE_SCORE
) -> None:
    """upstream `DefaultNormalizeScore`: scale to 0..max by the highest score; `reverse` flips."""
    max_count = max(scores, default=0)
    if max_count <= 0:
        if reverse:
            scores[:] = [max_priority] * len(scores)
        return
    for i, score in enumerate(scores):
        score = go_div(max_priority * score, max_count)
        scores[i] = max_priority - score if reverse else score


def build_broken_linear_function(shape: list[tuple[int, int]]) -> Callable[[int], int]:
    """upstream `BuildBrokenLinearFunction`: (utilization, score) points, linear in between."""

    def f(p: int) -> int:
        for i, (utilization, score) in enumerate(shape):
            if p <= utilization:
                if i == 0:
                    return shape[0][1]
                prev_u, prev_s = shape[i - 1]
                return prev_s + go_div((score - prev_s) * (p - prev_u), utilization - prev_u)
        return shape[-1][1]

    return f
