"""The ordered key index: mirrors etcd `server/mvcc/index.go` (treeIndex, a B-tree of keys).

Here it is a list of sorted chunks (the idea of `sortedcontainers.SortedList`): insert and remove
cost O(log n) plus a memmove of one small chunk, and a prefix range is two bisections plus slices,
so LIST never scans keys outside its prefix. It holds the LIVE keys only; the per-key revision
history (etcd's keyIndex generations) lives in the store.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort

CHUNK = 1000


def prefix_end(prefix: str) -> str | None:
    """The first key after every key starting with `prefix` (clientv3.GetPrefixRangeEnd)."""
    for i in range(len(prefix) - 1, -1, -1):
        if ord(prefix[i]) < 0x10FFFF:
            return prefix[:i] + chr(ord(prefix[i]) + 1)
    return None  # empty prefix (or all max chars): range to the end


class KeyIndex:
    """A sorted set of keys with O(log n) add/remove and prefix ranges."""

    __slots__ = ("_chunks", "_maxes", "_len")

    def __init__(self) -> None:
        self._chunks: list[list[str]] = []
        self._maxes: list[str] = []
        self._len = 0

    def __len__(self) -> int:
        return self._len

    def __repr__(self) -> str:
        return f"KeyIndex(keys={self._len}, chunks={len(self._chunks)})"

    def add(self, key: str) -> None:
        """Insert `key` (callers add each key once)."""
        if not self._chunks:
            self._chunks.append([key])
            self._maxes.append(key)
            self._len = 1
            return
        i = bisect_left(self._maxes, key)
        if i == len(self._maxes):
            i -= 1
            self._chunks[i].append(key)
            self._maxes[i] = key
        else:
            insort(self._chunks[i], key)
        self._len += 1
        chunk = self._chunks[i]
        if len(chunk) > 2 * CHUNK:
            self._chunks[i : i + 1] = [chunk[:CHUNK], chunk[CHUNK:]]
            self._maxes[i : i + 1] = [chunk[CHUNK - 1], chunk[-1]]

    def remove(self, key: str) -> None:
        """Remove `key`; it must be present."""
        i = bisect_left(self._maxes, key)
        chunk = self._chunks[i]
        del chunk[bisect_left(chunk, key)]
        self._len -= 1
        if not chunk:
            del self._chunks[i]
            del self._maxes[i]
        else:
            self._maxes[i] = chunk[-1]

    def prefix(self, prefix: str) -> list[str]:
        """All keys starting with `prefix`, sorted."""
        return self.between(prefix, prefix_end(prefix))

    def between(self, start: str, end: str | None) -> list[str]:
        """Keys k with start <= k < end (end None: to the last key), sorted."""
        maxes, chunks = self._maxes, self._chunks
        i = bisect_left(maxes, start)
        out: list[str] = []
        while i < len(chunks):
            chunk = chunks[i]
            lo = bisect_left(chunk, start) if chunk[0] < start else 0
            if end is not None and maxes[i] >= end:
                out.extend(chunk[lo : bisect_left(chunk, end)])
                break
            out.extend(chunk[lo:] if lo else chunk)
            i += 1
        return out

    def count(self, prefix: str) -> int:
        """How many keys start with `prefix`, without materializing them."""
        return self._position(prefix_end(prefix)) - self._position(prefix)

    def _position(self, key: str | None) -> int:
        if key is None:
            return self._len
        i = bisect_left(self._maxes, key)
        before = sum(len(c) for c in self._chunks[:i])
        return before + (bisect_left(self._chunks[i], key) if i < len(self._chunks) else 0)

    def __iter__(self):
        for chunk in self._chunks:
            yield from chunk

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        i = bisect_left(self._maxes, key)
        if i == len(self._maxes):
            return False
        chunk = self._chunks[i]
        j = bisect_right(chunk, key)
        return j > 0 and chunk[j - 1] == key
