"""The correlator's aggregation of similar events and its spam filter (client-go
`events_cache.go`), alone and as the recorder runs them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from minik8s import Cluster
from minik8s.client.correlator import (
    COMBINED_PREFIX,
    MAX_INTERVAL_SECONDS,
    SPAM_BURST,
    EventAggregator,
    SpamFilter,
    TokenBucket,
)
from minik8s.client.record import EventRecorder
from tests.client.test_record import events_about, pod


def test_the_tenth_different_message_goes_to_the_aggregate():
    agg = EventAggregator()
    assert [agg.aggregate("k", f"m{i}", float(i)) for i in range(12)] == [False] * 9 + [True] * 3
    # the set is kept one short of full: each new message aggregates, a remembered one does not
    assert agg.aggregate("k", "m12", 20.0)
    assert not agg.aggregate("k", "m12", 21.0)
    assert not agg.aggregate("other", "m0", 20.0)  # another object, type or reason


def test_a_gap_of_more_than_ten_minutes_starts_over():
    agg = EventAggregator()
    for i in range(9):
        assert not agg.aggregate("k", f"m{i}", 0.0)
    assert agg.aggregate("k", "m9", MAX_INTERVAL_SECONDS)  # exactly ten minutes: still similar
    assert not agg.aggregate("k", "m10", 2 * MAX_INTERVAL_SECONDS + 0.5)  # over: a new record


def test_repeats_of_one_message_never_aggregate():
    agg = EventAggregator()
    assert not any(agg.aggregate("k", "same", float(i)) for i in range(50))


def test_the_spam_filter_lets_a_burst_through_then_one_per_five_minutes():
    spam = SpamFilter()
    assert [spam.filter("obj", 0.0) for _ in range(SPAM_BURST + 2)] == [False] * SPAM_BURST + [
        True,
        True,
    ]
    assert spam.filter("obj", 299.0)  # not yet a whole token back
    assert not spam.filter("obj", 300.0)
    assert spam.filter("obj", 300.0)
    assert not spam.filter("another", 300.0)  # one bucket per source and object


@given(st.lists(st.floats(min_value=0, max_value=5000, allow_nan=False), max_size=60))
def test_a_bucket_never_lets_through_more_than_burst_plus_refill(times):
    bucket, accepted = TokenBucket(0.0), 0
    times = sorted(times)
    for t in times:
        accepted += bucket.try_accept(t)
    horizon = times[-1] if times else 0.0
    assert accepted <= SPAM_BURST + int(horizon / 300.0)


def test_the_recorder_combines_similar_events_into_one():
    cluster = Cluster()
    recorder = EventRecorder(cluster.client_for("test"), "test")
    for i in range(12):
        recorder.event(pod("a"), "Warning", "FailedSync", f"attempt {i}")
        cluster.run(1)
    events = events_about(cluster, "a")
    combined = [e for e in events if e["message"].startswith(COMBINED_PREFIX)]
    assert len(events) == 10 and len(combined) == 1
    assert combined[0]["message"] == COMBINED_PREFIX + "attempt 11"
    assert combined[0]["count"] == 3


def test_the_recorder_drops_spam_but_keeps_counting():
    cluster = Cluster()
    recorder = EventRecorder(cluster.client_for("test"), "test")
    for _ in range(SPAM_BURST + 5):  # one instant: the bucket runs dry after 25
        recorder.event(pod("a"), "Normal", "Pinged", "hello")
    [event] = events_about(cluster, "a")
    assert event["count"] == SPAM_BURST
    cluster.run(300)
    recorder.event(pod("a"), "Normal", "Pinged", "hello")  # a token is back: written
    [event] = events_about(cluster, "a")
    assert event["count"] == SPAM_BURST + 6  # the dropped five were counted
    recorder.event(pod("a"), "Warning", "Pinged", "hello")  # another type: its own bucket
    assert len(events_about(cluster, "a")) == 2
