"""Compact JSON encode and decode with orjson, giving what the stdlib `json` gives (the
role of apimachinery `pkg/runtime/serializer/json/json.go` and `pkg/util/json/json.go`: the JSON
every stored object goes through). Left out: YAML, pretty printing, strict decoding
(`apiserver/decode.py` does the API's decode checks).

orjson writes the stdlib's compact text (`separators=(",", ":")`, `ensure_ascii=False`) byte for
byte for str keys and str/int/bool/None/list/tuple/dict values, with four exceptions, handled so:

- ints outside [-2**63, 2**64), non-str keys, lone surrogates and types orjson does not take
  raise `TypeError` (subclasses, datetimes and dataclasses are made to): the stdlib writes them
  (or raises its own `TypeError`);
- floats of magnitude 1e-9 to 1e-4: the stdlib writes `1e-05`, orjson `0.00001` (and `1e-7`
  for `1e-07`); a text with such a number (`_orjson` looks) is written again by the stdlib;
- NaN and ±Infinity (not JSON, and refused by upstream's encoder): orjson writes `null`, the
  stdlib `NaN`; kept as orjson writes them (the API's decode refuses them in every typed field
  and drops unknown fields, so no stored object holds one);
- `enum.Enum` and `uuid.UUID` values: orjson writes their value where the stdlib raises.

Decoding, orjson reads ints outside [-2**63, 2**64) as floats (as apimachinery's
`convertNumber` turns a number that is no int64 into a float64) where the stdlib keeps them;
text orjson refuses (`NaN`, escaped lone surrogates) is read by the stdlib.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

__all__ = ["dumps", "dumps_text", "loads"]

# Compact JSON as the stdlib writes it, for what orjson does not write the same.
_STDLIB = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
# Subclasses, datetimes and dataclasses raise TypeError instead of being written natively.
_OPTIONS = (
    orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
)
# orjson's text of a float in [1e-9, 1e-4) (the stdlib's `1e-05` ... `9.9e-09`): `…e-6` to
# `…e-9` ending a number, or `0.0000…` starting one (`_small_float`). A string that looks like
# one only costs a second encoding.
_ORJSON_EXPONENT = re.compile(rb"e-[5-9](?:[,\]}]|\Z)").search
_NUMBER_STARTS = frozenset(b":,[-")  # what a number in orjson's text follows


def _small_float(data: bytes) -> bool:
    """Whether orjson's `data` may hold a float the stdlib writes otherwise (`1e-05`)."""
    i = data.find(b"0.0000")
    while i >= 0:
        if i == 0 or data[i - 1] in _NUMBER_STARTS:  # (not a MicroTime's `00.000000Z`)
            return True
        i = data.find(b"0.0000", i + 6)
    return _ORJSON_EXPONENT(data) is not None


def _orjson(obj: Any) -> bytes | None:
    """orjson's compact text of `obj`, or None where it differs from the stdlib's."""
    try:
        data = orjson.dumps(obj, option=_OPTIONS)
    except TypeError:
        return None
    if _small_float(data):
        return None
    return data


def dumps(obj: Any) -> bytes:
    """Compact JSON bytes of a JSON-shaped value, as `json.dumps(obj, separators=(",", ":"),
    ensure_ascii=False).encode()` writes them."""
    data = _orjson(obj)
    if data is None:
        return _STDLIB.encode(obj).encode()
    # A copy of exactly its size: orjson's own bytes keep the slack of the buffer it grew (a
    # store of 3 KiB pods took 8 KiB a pod).
    return bytes(memoryview(data))


def dumps_text(obj: Any) -> str:
    """Compact JSON text of a JSON-shaped value (`dumps`, as a str)."""
    data = _orjson(obj)
    return _STDLIB.encode(obj) if data is None else data.decode()


def loads(data: bytes | str) -> Any:
    """The value a JSON text holds (`json.loads`, by orjson)."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)
