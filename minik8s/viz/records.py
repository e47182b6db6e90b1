"""Reading records that other modules produce, whether dicts or objects with attributes.

Not an upstream file. The diagram builders take plain data so they can be tested with hand-made
input and keep working as the components that produce the records change: `field(record, name)`
reads `record[name]` or `record.name`, trying a few aliases.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MISSING = object()


def field(record: Any, *names: str, default: Any = None) -> Any:
    """The first of `names` present on `record` (as a key, then as an attribute), or `default`."""
    for name in names:
        if isinstance(record, Mapping):
            if name in record:
                return record[name]
        else:
            value = getattr(record, name, MISSING)
            if value is not MISSING:
                return value
    return default
