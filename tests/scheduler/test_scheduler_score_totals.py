"""`weigh_and_total` (NormalizeScore, range check, weights and totals by distinct score) gives
the numbers of upstream's node-by-node loop, whichever plugins normalize by value."""

from __future__ import annotations

from functools import partial

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.scheduler.framework import MAX_NODE_SCORE, CycleState
from minik8s.scheduler.plugins.helper import default_normalize_score
from minik8s.scheduler.plugins.interpodaffinity import InterPodAffinity
from minik8s.scheduler.plugins.podtopologyspread.scoring import normalize as spread_normalize
from minik8s.scheduler.score_totals import WeightedScores, weigh_and_total

NORMALIZERS = {
    "none": None,
    "default": partial(default_normalize_score, reverse=False),
    "reverse": partial(default_normalize_score, reverse=True),
    "spread": partial(spread_normalize, ignored=set()),
    "interpod": partial(InterPodAffinity({}, None).normalize_score, CycleState(), None),
}


def _reference(columns, normalizers, weights):
    """upstream `RunScorePlugins` after Score: normalize each list, check, weight, add."""
    weighted, totals = {}, [0] * len(next(iter(columns.values()), []))
    for name, scores in columns.items():
        scores = list(scores)
        if name in normalizers:
            normalizers[name](scores)
        for v in scores:
            if not 0 <= v <= MAX_NODE_SCORE:
                raise RuntimeError(f"plugin {name!r} returns an invalid score {v}")
        weighted[name] = [v * weights[name] for v in scores]
        totals = [t + v for t, v in zip(totals, weighted[name], strict=True)]
    return weighted, totals


@st.composite
def score_columns(draw):
    num_nodes = draw(st.integers(1, 30))
    plugins = draw(st.lists(st.sampled_from(sorted(NORMALIZERS)), min_size=1, max_size=5))
    columns, normalizers, weights = {}, {}, {}
    for i, kind in enumerate(plugins):
        name = f"p{i}-{kind}"
        high = 100 if kind == "none" else 40
        values = st.integers(0, high) if draw(st.booleans()) else st.sampled_from([0, 3, high])
        columns[name] = draw(st.lists(values, min_size=num_nodes, max_size=num_nodes))
        weights[name] = draw(st.integers(1, 5))
        if NORMALIZERS[kind] is not None:
            normalizers[name] = NORMALIZERS[kind]
    return columns, normalizers, weights, num_nodes


@settings(max_examples=300, deadline=None)
@given(score_columns())
def test_weigh_and_total_equals_the_node_by_node_loop(case):
    columns, normalizers, weights, num_nodes = case
    want_weighted, want_totals = _reference(columns, normalizers, weights)
    weighted, totals = weigh_and_total(columns, normalizers, weights, num_nodes)
    assert totals == want_totals
    assert dict(weighted) == want_weighted
    assert list(weighted) == list(columns)


def test_no_score_plugin_totals_zero():
    weighted, totals = weigh_and_total({}, {}, {}, 3)
    assert totals == [0, 0, 0] and dict(weighted) == {}


def test_every_node_alike_adds_one_number():
    columns = {"a": [7, 7, 7], "b": [0, 0, 0], "c": [5, 9, 5]}
    normalizers = {"b": partial(default_normalize_score, reverse=True)}
    weighted, totals = weigh_and_total(columns, normalizers, {"a": 1, "b": 3, "c": 2}, 3)
    assert totals == [7 + 300 + 10, 7 + 300 + 18, 7 + 300 + 10]
    assert weighted["b"] == [300, 300, 300]


def test_an_out_of_range_score_is_upstreams_error_for_the_first_bad_node():
    columns = {"ok": [1, 2, 3], "bad": [5, 101, 300]}
    with pytest.raises(RuntimeError) as err:
        weigh_and_total(columns, {}, {"ok": 1, "bad": 1}, 3)
    assert str(err.value) == (
        "plugin 'bad' returns an invalid score 101, "
        "it should in the range of [0, 100] after normalizing"
    )


def test_weighted_scores_are_built_when_read_and_compare_like_a_dict():
    scores = WeightedScores({"p": [1, 2, 1]}, {"p": {1: 10, 2: 20}})
    assert len(scores) == 1 and "p" in scores and "q" not in scores
    assert scores["p"] is scores["p"] == [10, 20, 10]
    assert scores == {"p": [10, 20, 10]} and {"p": [10, 20, 10]} == scores
    assert repr(scores) == "WeightedScores({'p': [10, 20, 10]})"
