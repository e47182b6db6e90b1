"""`Store.range_count`: etcd's RangeResponse.count, the keys a range holds without its limit."""

from hypothesis import given, settings
from hypothesis import strategies as st

from minik8s.etcd import Store


def test_range_count_now_and_at_a_past_revision():
    store = Store()
    for name in ("a", "b", "c", "d"):
        store.put(f"/p/{name}", b"x")
    store.put("/q/z", b"x")
    past = store.revision
    store.delete("/p/b")
    store.put("/p/e", b"x")
    assert store.range_count("/p/") == 4
    assert store.range_count("/p/", start_key="/p/c") == 3
    assert store.range_count("/p/", revision=past) == 4
    assert store.range_count("/p/", revision=past, start_key="/p/b\x00") == 2
    assert store.range_count("/q/") == 1


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.booleans(), st.sampled_from("abcdefgh")), max_size=30),
    st.sampled_from(["", "/p/c", "/p/d\x00"]),
)
def test_range_count_is_the_unlimited_range_length(ops, start):
    store = Store()
    revisions = []
    for put, name in ops:
        if put:
            store.put(f"/p/{name}", b"v")
        else:
            store.delete(f"/p/{name}")
        revisions.append(store.revision)
    for revision in [None, *revisions]:
        want = len(store.range("/p/", revision=revision, start_key=start))
        assert store.range_count("/p/", revision=revision, start_key=start) == want
        limited = store.range("/p/", revision=revision, start_key=start, limit=2)
        assert len(limited) == min(2, want)
