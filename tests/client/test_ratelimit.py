"""Rate limiters: upstream's default_rate_limiters_test.go cases, the token bucket, the default."""

from __future__ import annotations

import pytest

from minik8s.client.ratelimit import (
    BucketRateLimiter,
    ItemExponentialFailureRateLimiter,
    ItemFastSlowRateLimiter,
    MaxOfRateLimiter,
    default_controller_rate_limiter,
)
from minik8s.client.workqueue import RateLimitingQueue
from minik8s.sim.loop import EventLoop

MS = 0.001


def test_item_exponential_failure_rate_limiter() -> None:
    limiter = ItemExponentialFailureRateLimiter(1 * MS, 1.0)
    assert [limiter.when("one") for _ in range(5)] == pytest.approx(
        [1 * MS, 2 * MS, 4 * MS, 8 * MS, 16 * MS]
    )
    assert limiter.num_requeues("one") == 5
    assert [limiter.when("two"), limiter.when("two")] == pytest.approx([1 * MS, 2 * MS])
    assert limiter.num_requeues("two") == 2
    limiter.forget("one")
    assert limiter.num_requeues("one") == 0
    assert limiter.when("one") == pytest.approx(1 * MS)


def test_item_exponential_failure_rate_limiter_overflow() -> None:
    limiter = ItemExponentialFailureRateLimiter(1 * MS, 1000.0)
    for _ in range(5):
        limiter.when("one")
    assert limiter.when("one") == pytest.approx(32 * MS)
    for _ in range(1000):
        limiter.when("overflow1")
    assert limiter.when("overflow1") == 1000.0
    limiter = ItemExponentialFailureRateLimiter(60.0, 1000 * 3600.0)
    limiter.when("two")
    limiter.when("two")
    assert limiter.when("two") == 4 * 60.0
    for _ in range(5000):
        limiter.when("overflow2")
    assert limiter.when("overflow2") == 1000 * 3600.0


def test_exponential_defaults_are_upstream_controller_values() -> None:
    limiter = ItemExponentialFailureRateLimiter()
    delays = [limiter.when("k") for _ in range(20)]
    assert delays[:5] == [0.005, 0.01, 0.02, 0.04, 0.08]
    assert delays[17] == 0.005 * 2**17  # 655.36s
    assert delays[18:] == [1000.0, 1000.0]  # 1310.72s capped


def test_item_fast_slow_rate_limiter() -> None:
    limiter = ItemFastSlowRateLimiter(5 * MS, 10.0, 3)
    assert [limiter.when("one") for _ in range(5)] == [5 * MS, 5 * MS, 5 * MS, 10.0, 10.0]
    assert limiter.num_requeues("one") == 5
    assert [limiter.when("two"), limiter.when("two")] == [5 * MS, 5 * MS]
    assert limiter.num_requeues("two") == 2
    limiter.forget("one")
    assert limiter.num_requeues("one") == 0
    assert limiter.when("one") == 5 * MS


def test_max_of_rate_limiter() -> None:
    limiter = MaxOfRateLimiter(
        ItemFastSlowRateLimiter(5 * MS, 3.0, 3), ItemExponentialFailureRateLimiter(1 * MS, 1.0)
    )
    assert [limiter.when("one") for _ in range(5)] == [5 * MS, 5 * MS, 5 * MS, 3.0, 3.0]
    assert limiter.num_requeues("one") == 5
    assert [limiter.when("two"), limiter.when("two")] == [5 * MS, 5 * MS]
    assert limiter.num_requeues("two") == 2
    limiter.forget("one")
    assert limiter.num_requeues("one") == 0
    assert limiter.when("one") == 5 * MS


def test_bucket_rate_limiter_burst_then_qps_on_virtual_time() -> None:
    loop = EventLoop()
    bucket = BucketRateLimiter(qps=1, burst=3, clock=loop)
    assert [bucket.when(i) for i in range(5)] == [0, 0, 0, 1.0, 2.0]
    loop.run(until=10)  # refills to the burst, not beyond
    assert [bucket.when(i) for i in range(4)] == [0, 0, 0, 1.0]
    loop.run(until=10.5)  # half a token back: still owed half a second
    assert bucket.when("x") == pytest.approx(1.5)
    assert bucket.num_requeues("x") == 0


def test_bucket_rate_limiter_defaults_and_needs_a_clock() -> None:
    bucket = BucketRateLimiter()
    assert (bucket.qps, bucket.burst) == (10, 100)
    with pytest.raises(RuntimeError):
        bucket.when("a")


def test_default_controller_rate_limiter() -> None:
    loop = EventLoop()
    queue = RateLimitingQueue(loop, name="default")  # binds the bucket to the loop's clock
    limiter = queue.rate_limiter
    assert repr(limiter) == (
        "<MaxOfRateLimiter <ItemExponentialFailureRateLimiter base=0.005s max=1000s> "
        "<BucketRateLimiter qps=10 burst=100 tokens=100>>"
    )
    # per-item exponential while the bucket has tokens
    assert [limiter.when("a") for _ in range(3)] == [0.005, 0.01, 0.02]
    # 100 distinct items at once: the bucket (100 burst, 3 used) makes the last ones wait 100ms each
    delays = [limiter.when(i) for i in range(100)]
    assert delays[96] == 0.005
    assert delays[97:] == pytest.approx([0.1, 0.2, 0.3])


def test_default_controller_rate_limiter_is_fresh_each_call() -> None:
    assert default_controller_rate_limiter() is not default_controller_rate_limiter()
