"""The event correlator's aggregation and spam filter, mirroring client-go
`tools/record/events_cache.go` (`EventAggregator`, `EventSourceObjectSpamFilter`) with upstream's
defaults; `record.py` runs them as `EventCorrelate` does: aggregate, observe, then filter.

- **Aggregation.** Events about one object with the same type and reason but different messages
  are "similar". Once 10 different messages were seen for one object, type and reason, each
  with less than 10 minutes since the one before, the next similar events all go into one Event
  whose message reads `(combined from similar events): <the latest message>`.
- **Spam filter.** Each source and object (and event type) has a token bucket of 25 events that
  refills at one event per 5 minutes; an event that finds it empty is not written (its count
  still goes up in the recorder's cache, so the next one written carries it).

Both remember at most 4,096 keys, the least recently used forgotten first. Left out: Go's
`PopAny` picks a random message to forget when the aggregation set is full; here the oldest.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

MAX_LRU_CACHE_ENTRIES = 4096  # maxLruCacheEntries
MAX_EVENTS = 10  # defaultAggregateMaxEvents
MAX_INTERVAL_SECONDS = 600.0  # defaultAggregateIntervalInSeconds
SPAM_BURST = 25  # defaultSpamBurst
SPAM_QPS = 1.0 / 300.0  # defaultSpamQPS
COMBINED_PREFIX = "(combined from similar events): "  # EventAggregatorByReasonMessageFunc


def lru_put(
    cache: OrderedDict, key: Hashable, value: object, limit: int = MAX_LRU_CACHE_ENTRIES
) -> None:
    """Put `value` as the most recent entry, forgetting the oldest beyond `limit` (an LRU)."""
    cache[key] = value
    cache.move_to_end(key)
    if len(cache) > limit:
        cache.popitem(last=False)


class EventAggregator:
    """`EventAggregator` keyed by `EventAggregatorByReasonFunc` (the message is the local key)."""

    def __init__(self) -> None:
        # aggregate key → (the messages seen, in order; when the last was seen)
        self._records: OrderedDict[Hashable, tuple[dict[str, None], float]] = OrderedDict()

    def __repr__(self) -> str:
        return f"<EventAggregator keys={len(self._records)}>"

    def aggregate(self, key: Hashable, message: str, now: float) -> bool:
        """Note `message` under `key` at virtual time `now`; True when the event goes into the
        aggregate Event (10 different messages seen within the interval)."""
        record = self._records.get(key)
        messages = {} if record is None or now - record[1] > MAX_INTERVAL_SECONDS else record[0]
        messages[message] = None
        lru_put(self._records, key, (messages, now))
        if len(messages) < MAX_EVENTS:
            return False
        del messages[next(iter(messages))]  # PopAny: the set stays below the threshold
        return True


class TokenBucket:
    """golang.org/x/time/rate as `NewTokenBucketPassiveRateLimiter` uses it: full at first."""

    __slots__ = ("tokens", "last")

    def __init__(self, now: float):
        self.tokens = float(SPAM_BURST)
        self.last = now

    def __repr__(self) -> str:
        return f"<TokenBucket tokens={self.tokens:.2f}>"

    def try_accept(self, now: float) -> bool:
        """Take a token if one is there (tokens come back at `SPAM_QPS`, up to the burst)."""
        self.tokens = min(float(SPAM_BURST), self.tokens + (now - self.last) * SPAM_QPS)
        self.last = now
        if self.tokens < 1.0:
            return False
        self.tokens -= 1.0
        return True


class SpamFilter:
    """`EventSourceObjectSpamFilter`: one token bucket per `getSpamKey`."""

    def __init__(self) -> None:
        self._buckets: OrderedDict[Hashable, TokenBucket] = OrderedDict()

    def __repr__(self) -> str:
        return f"<SpamFilter keys={len(self._buckets)}>"

    def filter(self, key: Hashable, now: float) -> bool:
        """True when the event must be dropped: its source and object are out of tokens."""
        bucket = self._buckets.get(key) or TokenBucket(now)
        accepted = bucket.try_accept(now)
        lru_put(self._buckets, key, bucket)
        return not accepted
