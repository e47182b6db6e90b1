"""KeyIndex (the sorted live-key index) against a sorted-list model."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.etcd import index
from minik8s.etcd.index import KeyIndex, prefix_end


@pytest.mark.parametrize(
    ("prefix", "end"),
    [("/a/", "/a0"), ("a", "b"), ("", None), ("/r/pods", "/r/podt"), ("x\U0010ffff", "y")],
)
def test_prefix_end(prefix, end):
    assert prefix_end(prefix) == end


keys = st.text(alphabet="ab/", max_size=5)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.booleans(), keys)), st.lists(keys, max_size=5))
def test_index_matches_sorted_set(ops, prefixes):
    old = index.CHUNK
    index.CHUNK = 2  # force many small chunks, splits and empty-chunk removal
    try:
        idx, model = KeyIndex(), set()
        for add, key in ops:
            if add and key not in model:
                idx.add(key)
                model.add(key)
            elif not add and key in model:
                idx.remove(key)
                model.discard(key)
            assert len(idx) == len(model)
        assert list(idx) == sorted(model)
        for p in prefixes + [""]:
            expected = sorted(k for k in model if k.startswith(p))
            assert idx.prefix(p) == expected
            assert idx.count(p) == len(expected)
            assert (p in idx) == (p in model)
    finally:
        index.CHUNK = old


def test_repr():
    idx = KeyIndex()
    idx.add("/a")
    assert repr(idx) == "KeyIndex(keys=1, chunks=1)"
