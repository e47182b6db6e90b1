"""`select_host` draws ties like upstream's reservoir sampling, number for number: the same
node and the same random numbers consumed as the loop of `selectHost`."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.scheduler.schedule_one import select_host
from minik8s.scheduler.types import NodeInfo
from tests.scheduler.helpers import make_node


def _reservoir(totals: list[int], rng: random.Random) -> int:
    """upstream `selectHost`'s loop, as written there."""
    best, selected, count = max(totals), 0, 0
    for i, total in enumerate(totals):
        if total == best:
            count += 1
            if rng.random() * count < 1.0:
                selected = i
    return selected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=1, max_size=40), st.integers(0, 2**32))
def test_select_host_equals_the_reservoir_loop(totals, seed):
    nodes = [NodeInfo(make_node(f"n{i}")) for i in range(len(totals))]
    ours, theirs = random.Random(seed), random.Random(seed)
    assert select_host(nodes, totals, ours) == nodes[_reservoir(totals, theirs)].name
    assert ours.random() == theirs.random()  # as many numbers drawn
