"""Stored bytes of an update that keeps the stored object's metadata, reusing the metadata's
encoded text (minik8s only: upstream encodes every write in full, in Go).

A Lease renewal sends back the stored Lease with one spec field changed: its metadata holds the
very values the stored object's metadata holds, in the same order. Encoding that metadata again
gives the text encoded last time, so `MetadataBytes` remembers, per key, the metadata dict last
written and its text; the next update whose metadata has the same keys in the same order, each
holding the same object, is encoded field by field with that text in place of a second encoding.
The bytes are exactly `prepare.encode`'s (a property test compares both).
"""

from __future__ import annotations

from operator import is_
from typing import Any

from minik8s.apiserver.prepare import encode, encode_json

Obj = dict[str, Any]
MAX_KEYS = 65_536  # remembered objects; when full it forgets everything at once


_KEY_TEXTS: dict[str, str] = {}  # a top-level field's name → its JSON text (a kind's fields)


def _key_text(key: str) -> str:
    text = _KEY_TEXTS.get(key)
    if text is None:
        if len(_KEY_TEXTS) >= MAX_KEYS:
            _KEY_TEXTS.clear()
        text = _KEY_TEXTS[key] = encode_json(key)
    return text


def same_items(new: Obj, old: Obj) -> bool:
    """Whether `new` has `old`'s keys in `old`'s order, each holding the very same object."""
    return (
        len(new) == len(old)
        and list(new) == list(old)
        and all(map(is_, new.values(), old.values()))
    )


class MetadataBytes:
    """Per key, (the metadata dict last written, its JSON text without resourceVersion)."""

    __slots__ = ("_texts",)

    def __init__(self) -> None:
        self._texts: dict[str, tuple[Obj, str]] = {}

    def __repr__(self) -> str:
        return f"<MetadataBytes {len(self._texts)} objects>"

    def encode_update(self, key: str, new: Obj, old: Obj) -> bytes:
        """`encode(new)` for `new` replacing `old` (the object stored under `key`)."""
        meta, old_meta = new["metadata"], old["metadata"]
        if not same_items(meta, old_meta):
            self._texts.pop(key, None)
            return encode(new)
        known = self._texts.get(key)
        if known is not None and known[0] is old_meta:
            text = known[1]
        else:
            text = encode_json({k: v for k, v in meta.items() if k != "resourceVersion"})
        if len(self._texts) >= MAX_KEYS:
            self._texts.clear()
        self._texts[key] = (meta, text)
        fields = (
            f"{_key_text(k)}:{text if k == 'metadata' else encode_json(v)}" for k, v in new.items()
        )
        return f"{{{','.join(fields)}}}".encode()

    def forget(self, key: str) -> None:
        """Drop what is remembered of `key` (its object was deleted or written otherwise)."""
        self._texts.pop(key, None)
