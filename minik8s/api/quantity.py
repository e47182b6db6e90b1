"""Resource quantities, mirroring apimachinery `pkg/api/resource` (quantity.go, suffix.go).

A `Quantity` is an exact `decimal.Decimal` plus a format (DecimalSI, BinarySI, DecimalExponent).
Parsing follows `ParseQuantity` byte for byte: values round up (away from zero) to nano precision,
BinarySI is capped at 2^63-1, and a string already in canonical form is kept verbatim (upstream's
`s` cache). `str()` is `String()`, including the newest upstream fallbacks to exponent notation
past the last suffix ("1000E" -> "1e21", 2^70 -> "1180591620717411303424"). Left out: the int64
fast path as a representation (values are always exact here), so `value()` never wraps at int64.
"""

from __future__ import annotations

import decimal
import math
import re
from decimal import ROUND_UP, Decimal

DECIMAL_EXPONENT = "DecimalExponent"
BINARY_SI = "BinarySI"
DECIMAL_SI = "DecimalSI"

SPLIT_RE_STRING = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
ERR_FORMAT_WRONG = f"quantities must match the regular expression '{SPLIT_RE_STRING}'"
ERR_NUMERIC = "unable to parse numeric part of quantity"
ERR_SUFFIX = "unable to parse quantity's suffix"

_CTX = decimal.Context(
    prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN, traps=[]
)
_NANO = Decimal("1e-9")
_MAX_ALLOWED = Decimal(2**63 - 1)
_MAX_INT64 = 2**63 - 1
_MAX_INT32 = 2**31 - 1
_DIGITS = "0123456789"
_SUFFIX_CHARS = "eEinumkKMGTP"
_EXPONENT_RE = re.compile("[+-]?[0-9]+")  # what Go's strconv.ParseInt(s, 10, 64) accepts

_DEC_SUFFIXES = {
    "n": -9,
    "u": -6,
    "m": -3,
    "": 0,
    "k": 3,
    "M": 6,
    "G": 9,
    "T": 12,
    "P": 15,
    "E": 18,
}
_BIN_SUFFIXES = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DEC_BY_EXP = {e: s for s, e in _DEC_SUFFIXES.items()}
_BIN_BY_EXP = {e: s for s, e in _BIN_SUFFIXES.items()}


def _scan(text: str) -> tuple[bool, str, str, str]:
    """upstream `parseQuantityString`: (positive, num, denom, suffix); ValueError on bad form."""
    positive, pos, end = True, 0, len(text)
    if end and text[0] in "+-":
        positive, pos = text[0] == "+", 1
    while pos < end and text[pos] == "0":
        pos += 1
    if pos >= end:
        return positive, "0", "", ""
    start = pos
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    num, denom = text[start:pos] or "0", ""
    if pos < end and text[pos] == ".":
        pos += 1
        start = pos
        while pos < end and text[pos] in _DIGITS:
            pos += 1
        denom = text[start:pos]
    suffix_start = pos
    while pos < end and text[pos] in _SUFFIX_CHARS:
        pos += 1
    if pos < end and text[pos] in "+-":
        pos += 1
    while pos < end and text[pos] in _DIGITS:
        pos += 1
    if pos < end:
        raise ValueError(ERR_FORMAT_WRONG)
    return positive, num, denom, text[suffix_start:]


def _interpret(suffix: str) -> tuple[int, int, str]:
    """upstream `suffixHandler.interpret`: (base, exponent, format)."""
    if suffix in _DEC_SUFFIXES:
        return 10, _DEC_SUFFIXES[suffix], DECIMAL_SI
    if suffix in _BIN_SUFFIXES:
        return 2, _BIN_SUFFIXES[suffix], BINARY_SI
    if len(suffix) > 1 and suffix[0] in "eE" and _EXPONENT_RE.fullmatch(suffix[1:]):
        if abs(int(suffix[1:])) <= _MAX_INT32:  # newest upstream rejects what int32 can't hold
            return 10, int(suffix[1:]), DECIMAL_EXPONENT
    raise ValueError(ERR_SUFFIX)


def _keeps_string(fmt: str, exponent: int, num: str, denom: str) -> bool:
    """Whether upstream's int64 fast path takes the input as already canonical."""
    mantissa, scale = 1, exponent
    if fmt == BINARY_SI:
        if exponent < 0 or denom:
            return False
        mantissa, scale = 1 << exponent, 0
        precision = 15 - len(num) - exponent * 3 // 10 - 1
    else:
        precision = 18 - (len(num) + len(denom))
    scale -= len(denom)
    if precision < 0 or scale < -9 or int(num + denom) * mantissa > _MAX_INT64:
        return False
    shifted = num + denom
    if fmt == BINARY_SI:
        return exponent % 10 == 0 and int(shifted) & 0x07 != 0
    return scale % 3 == 0 and not shifted.endswith("000") and shifted[0] != "0"


# Parsed quantities by their text: Quantity is immutable, and a cluster parses the same few
# request strings ("100m", "128Mi") on every validation, scheduling cycle and kubelet admission.
_PARSED: dict[str, Quantity] = {}
_PARSED_MAX = 4096


def parse_quantity(text: str | int | float) -> Quantity:
    """upstream `ParseQuantity` (ints and floats are read as their JSON text)."""
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise TypeError(f"cannot parse {type(text).__name__} as a quantity")
    if not isinstance(text, str):
        text = str(text) if isinstance(text, int) else repr(text)
    quantity = _PARSED.get(text)
    if quantity is None:
        quantity = _parse(text)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[text] = quantity
    return quantity


def _parse(text: str) -> Quantity:
    if not text:
        raise ValueError(ERR_FORMAT_WRONG)
    if text == "0":
        return Quantity(0, DECIMAL_SI, _s="0")
    positive, num, denom, suffix = _scan(text)
    base, exponent, fmt = _interpret(suffix)
    keep = _keeps_string(fmt, exponent, num, denom)
    amount = Decimal(f"{num}.{denom or '0'}")
    if base == 10:
        amount = amount.scaleb(exponent, _CTX)
    else:
        amount = _CTX.multiply(amount, Decimal(2**exponent))
    if amount and amount.as_tuple().exponent < -9:  # type: ignore[operator]
        amount = amount.quantize(_NANO, ROUND_UP, _CTX)
    if fmt == BINARY_SI and amount > _MAX_ALLOWED:
        amount = _MAX_ALLOWED
    if fmt == BINARY_SI and 0 < amount < 1:
        fmt = DECIMAL_SI
    value = amount if positive else amount.copy_negate()
    return Quantity(value, fmt, _s=text if keep else None)


def _pow10(n: int) -> float:
    """Go's math.Pow10: 10^n as a float64, inf / 0 outside the float range."""
    if n > 308:
        return math.inf
    return 0.0 if n < -323 else float(f"1e{n}")


def _decimal_parts(value: Decimal) -> tuple[int, int]:
    """`AsCanonicalBytes`: mantissa without trailing zeros, exponent a multiple of 3 below."""
    sign, digits, exp = value.normalize(_CTX).as_tuple()
    mantissa = int("".join(map(str, digits)))
    shift = exp % 3  # type: ignore[operator]
    mantissa, exp = mantissa * 10**shift, exp - shift  # type: ignore[operator]
    return (-mantissa if sign else mantissa), exp


def _decimal_string(value: Decimal, fmt: str) -> str:
    mantissa, exp = _decimal_parts(value)
    suffix = _DEC_BY_EXP.get(exp) if fmt == DECIMAL_SI else None
    if suffix is None:  # DecimalExponent, or past the last DecimalSI suffix
        suffix = f"e{exp}" if exp else ""
    return f"{mantissa}{suffix}"


def _canonical(value: Decimal, fmt: str) -> str:
    """upstream `CanonicalizeBytes` + `String`."""
    if value == 0:
        return "0"
    if fmt not in (DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT):
        fmt = DECIMAL_EXPONENT
    if fmt == BINARY_SI:
        rounded = value
        if value.as_tuple().exponent < 0:  # type: ignore[operator]
            rounded = value.quantize(Decimal(1), ROUND_UP, _CTX)
        if -1024 < value < 1024 or rounded != value:
            return _decimal_string(value, DECIMAL_SI)
        mantissa, times = int(rounded), 0
        while abs(mantissa) >= 1024 and mantissa % 1024 == 0:
            mantissa, times = mantissa // 1024, times + 1
        if times == 0 or times * 10 in _BIN_BY_EXP:
            return f"{mantissa}{_BIN_BY_EXP.get(times * 10, '')}"
        return _decimal_string(value, DECIMAL_EXPONENT)
    return _decimal_string(value, fmt)


class Quantity:
    """An exact resource amount with a display format, like upstream `resource.Quantity`."""

    __slots__ = ("_d", "_format", "_s")

    def __init__(
        self, value: Decimal | int = 0, format: str = DECIMAL_SI, *, _s: str | None = None
    ) -> None:
        amount = Decimal(value)
        self._d = amount if amount else Decimal(0)  # no -0
        self._format = format
        self._s = _s

    @property
    def format(self) -> str:
        """DecimalSI, BinarySI or DecimalExponent (read-only; build a new Quantity instead)."""
        return self._format

    def __str__(self) -> str:
        if self._s is None:
            self._s = _canonical(self._d, self.format)
        return self._s

    def __repr__(self) -> str:
        return f"Quantity({str(self)!r})"

    def as_decimal(self) -> Decimal:
        """upstream `AsDec`: the exact value."""
        return self._d

    def as_approximate_float64(self) -> float:
        """upstream `AsApproximateFloat64`: mantissa * 10^exponent in float64 (inf on overflow)."""
        sign, digits, exp = self._d.as_tuple()
        base = float(int("".join(map(str, digits)))) * (-1.0 if sign else 1.0)
        return base * _pow10(exp) if exp else base  # type: ignore[arg-type]

    def as_float64_slow(self) -> float:
        """upstream `AsFloat64Slow`: the nearest float64 (inf on overflow)."""
        return float(self._d)

    def is_zero(self) -> bool:
        """upstream `IsZero`."""
        return self._d == 0

    def sign(self) -> int:
        """upstream `Sign`: -1, 0 or 1."""
        return (self._d > 0) - (self._d < 0)

    def scaled_value(self, scale: int) -> int:
        """upstream `ScaledValue`: value / 10^scale rounded away from zero."""
        return int(self._d.scaleb(-scale, _CTX).to_integral_value(ROUND_UP, _CTX))

    def value(self) -> int:
        """upstream `Value`: rounded up (away from zero) to an integer."""
        return self.scaled_value(0)

    def milli_value(self) -> int:
        """upstream `MilliValue`: ceil(q * 1000), away from zero."""
        return self.scaled_value(-3)

    def round_up(self, scale: int) -> tuple[Quantity, bool]:
        """upstream `RoundUp`: rounded away from zero to 10^scale, and whether it was exact."""
        if self._d.as_tuple().exponent >= scale:  # type: ignore[operator]
            return self, True
        rounded = self._d.quantize(Decimal(1).scaleb(scale), ROUND_UP, _CTX)
        return Quantity(rounded, self.format), rounded == self._d

    def cmp(self, other: Quantity) -> int:
        """upstream `Cmp`: -1, 0 or 1."""
        return (self._d > other._d) - (self._d < other._d)

    def __add__(self, other: Quantity) -> Quantity:
        fmt = other.format if self.is_zero() else self.format
        return Quantity(_CTX.add(self._d, other._d), fmt)

    def __sub__(self, other: Quantity) -> Quantity:
        fmt = other.format if self.is_zero() else self.format
        return Quantity(_CTX.subtract(self._d, other._d), fmt)

    def __neg__(self) -> Quantity:
        return Quantity(self._d.copy_negate(), self.format)

    def __mul__(self, factor: int) -> Quantity:
        return Quantity(_CTX.multiply(self._d, Decimal(factor)), self.format)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Quantity) and self._d == other._d

    def __hash__(self) -> int:
        return hash(self._d)

    def __lt__(self, other: Quantity) -> bool:
        return self._d < other._d

    def __le__(self, other: Quantity) -> bool:
        return self._d <= other._d

    def __gt__(self, other: Quantity) -> bool:
        return self._d > other._d

    def __ge__(self, other: Quantity) -> bool:
        return self._d >= other._d


def new_quantity(value: int, format: str = DECIMAL_SI) -> Quantity:
    """upstream `NewQuantity`."""
    return Quantity(value, format)


def new_milli_quantity(value: int, format: str = DECIMAL_SI) -> Quantity:
    """upstream `NewMilliQuantity`: value / 1000."""
    return Quantity(Decimal(value).scaleb(-3, _CTX), format)


def new_scaled_quantity(value: int, scale: int) -> Quantity:
    """upstream `NewScaledQuantity`: value * 10^scale, DecimalSI."""
    return Quantity(Decimal(value).scaleb(scale, _CTX), DECIMAL_SI)


def must_parse(text: str) -> Quantity:
    """upstream `MustParse` (raises ValueError)."""
    return parse_quantity(text)
