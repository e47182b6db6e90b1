"""Superseded versions kept small: a version of a key that a newer one replaced is kept as a
delta of that newer version (what differs between their common prefix and common suffix).

etcd keeps every revision until compaction in bbolt, on disk; here the history is in memory,
and consecutive versions of an object are mostly equal (a pod's status update leaves its
metadata and spec alone), so a delta is a few hundred bytes instead of a few KiB. A read of an
old version walks from it to the first whole value and patches its way back; every `MAX_RUN`th
superseded version is kept whole, so a read walks at most `MAX_RUN` deltas. Left out: etcd's
bbolt pages, freelist and defragmentation.
"""

from __future__ import annotations

from typing import Protocol

PACK_MIN_BYTES = 1024  # smaller values (Leases, most Events) are kept whole: too little to gain
MAX_RUN = 8  # consecutive deltas before a version is kept whole again


class Packable(Protocol):
    """What a delta's base is: a KeyValue (its `_value` whole bytes or a Delta)."""

    _value: bytes | Delta


class Delta:
    """A value as `base`'s value with bytes [prefix, len - suffix) replaced by `middle`."""

    __slots__ = ("base", "prefix", "middle", "suffix")

    def __init__(self, base: Packable, prefix: int, middle: bytes, suffix: int):
        self.base = base
        self.prefix = prefix
        self.middle = middle
        self.suffix = suffix

    def __repr__(self) -> str:
        return f"Delta(prefix={self.prefix}, middle={len(self.middle)} bytes, suffix={self.suffix})"


def common_prefix(a: bytes, b: bytes) -> int:
    """How many leading bytes `a` and `b` share (one XOR of two big integers, not a loop)."""
    n = min(len(a), len(b))
    differ = int.from_bytes(a[:n], "big") ^ int.from_bytes(b[:n], "big")
    return n - (differ.bit_length() + 7) // 8


def common_suffix(a: bytes, b: bytes, limit: int) -> int:
    """How many trailing bytes (at most `limit`) `a` and `b` share."""
    if limit <= 0:
        return 0
    differ = int.from_bytes(a[-limit:], "big") ^ int.from_bytes(b[-limit:], "big")
    if not differ:
        return limit
    return ((differ & -differ).bit_length() - 1) // 8  # the lowest differing byte, from the end


def diff(old: bytes, new: bytes, base: Packable) -> Delta | None:
    """`old` as a delta of `new` (whose holder is `base`), or None when that saves under half."""
    prefix = common_prefix(old, new)
    suffix = common_suffix(old, new, min(len(old), len(new)) - prefix)
    if 2 * (prefix + suffix) < len(old):
        return None
    return Delta(base, prefix, old[prefix : len(old) - suffix], suffix)


def resolve(delta: Delta) -> bytes:
    """The whole value a delta stands for."""
    chain = [delta]
    value = delta.base._value
    while isinstance(value, Delta):
        chain.append(value)
        value = value.base._value
    for step in reversed(chain):
        value = value[: step.prefix] + step.middle + value[len(value) - step.suffix :]
    return value
