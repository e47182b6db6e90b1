"""apimachinery `pkg/api/resource/quantity_test.go` rows not already in tests/api/test_quantity.py.

Each table names the upstream test it ports. Rows that need upstream's private int64Amount are
rewritten as the exact decimal they stand for (`intQuantity(v, s, f)` is `v * 10^s` in format f).
"""

from __future__ import annotations

from decimal import Context, Decimal, localcontext

import pytest

from minik8s.api.quantity import (
    BINARY_SI,
    DECIMAL_EXPONENT,
    DECIMAL_SI,
    Quantity,
    must_parse,
    parse_quantity,
)

SI, BIN, EXP = DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT
MOST_POSITIVE, MOST_NEGATIVE = 2**63 - 1, -(2**63)


def q(value: int, exponent: int = 0, fmt: str = SI) -> Quantity:
    """upstream's decQuantity / intQuantity(value, exponent, format)."""
    return Quantity(Decimal(value).scaleb(exponent), fmt)


# TestParseQuantity: (input, AsDec, canonical String(); "" means the input itself).
PARSE_QUANTITY = [
    ("-999999999999999999", "-999999999999999999", ""),
    ("999999999999999999", "999999999999999999", ""),
    ("-999999999999999999.0", "-999999999999999999", "-999999999999999999"),
    ("999999999999999999.0", "999999999999999999", "999999999999999999"),
    ("-999999999999999999.1", "-999999999999999999.1", "-999999999999999999100m"),
    ("999999999999999999.1", "999999999999999999.1", "999999999999999999100m"),
    ("-9999999999999999999", "-9999999999999999999", ""),
    ("9999999999999999999", "9999999999999999999", ""),
    ("-1E", "-1000000000000000000", ""),
    ("1E", "1000000000000000000", ""),
    ("-1000000000000000000", "-1000000000000000000", "-1E"),
    ("1000000000000000000", "1000000000000000000", "1E"),
    ("-9999999999999999999.0", "-9999999999999999999", "-9999999999999999999"),
    ("9999999999999999999.0", "9999999999999999999", "9999999999999999999"),
    ("-1.0E", "-1000000000000000000", "-1E"),
    ("1.0E", "1000000000000000000", "1E"),
    ("-1000000000000000000.0", "-1000000000000000000", "-1E"),
    ("1000000000000000000.0", "1000000000000000000", "1E"),
    ("-9999999999999999999000m", "-9999999999999999999", "-9999999999999999999"),
    ("9999999999999999999000m", "9999999999999999999", "9999999999999999999"),
    ("-9999999999999999999.1", "-9999999999999999999.1", "-9999999999999999999100m"),
    ("9999999999999999999.1", "9999999999999999999.1", "9999999999999999999100m"),
    ("-1.0000000000000000001E", "-1000000000000000000.1", "-1000000000000000000100m"),
    ("1.0000000000000000001E", "1000000000000000000.1", "1000000000000000000100m"),
    ("-1000000000000000000.1", "-1000000000000000000.1", "-1000000000000000000100m"),
    ("1000000000000000000.1", "1000000000000000000.1", "1000000000000000000100m"),
    ("-1.000000000000000001E", "-1000000000000000001", "-1000000000000000001"),
    ("1.000000000000000001E", "1000000000000000001", "1000000000000000001"),
    ("-1000000000000000001", "-1000000000000000001", ""),
    ("1000000000000000001", "1000000000000000001", ""),
    ("-10E", "-10000000000000000000", ""),
    ("10E", "10000000000000000000", ""),
    ("-10000000000000000000", "-10000000000000000000", "-10E"),
    ("10000000000000000000", "10000000000000000000", "10E"),
    ("-10.0E", "-10000000000000000000", "-10E"),
    ("10.0E", "10000000000000000000", "10E"),
    ("-10000000000000000000.0", "-10000000000000000000", "-10E"),
    ("10000000000000000000.0", "10000000000000000000", "10E"),
    ("-10000000000000000000000m", "-10000000000000000000", "-10E"),
    ("10000000000000000000000m", "10000000000000000000", "10E"),
    ("-10.0000000000000000001E", "-10000000000000000000.1", "-10000000000000000000100m"),
    ("10.0000000000000000001E", "10000000000000000000.1", "10000000000000000000100m"),
    ("-10000000000000000000.1", "-10000000000000000000.1", "-10000000000000000000100m"),
    ("10000000000000000000.1", "10000000000000000000.1", "10000000000000000000100m"),
    ("-10.000000000000000001E", "-10000000000000000001", "-10000000000000000001"),
    ("10.000000000000000001E", "10000000000000000001", "10000000000000000001"),
    ("-10000000000000000001", "-10000000000000000001", ""),
    ("10000000000000000001", "10000000000000000001", ""),
    ("-9223372036854775809", "-9223372036854775809", ""),
    ("9223372036854775806", "9223372036854775806", ""),
    ("-9223372036854775809.0", "-9223372036854775809", "-9223372036854775809"),
    ("9223372036854775806.0", "9223372036854775806", "9223372036854775806"),
    ("-9223372036854775809000m", "-9223372036854775809", "-9223372036854775809"),
    ("9223372036854775806000m", "9223372036854775806", "9223372036854775806"),
    ("-9223372036854775809.1", "-9223372036854775809.1", "-9223372036854775809100m"),
    ("9223372036854775806.1", "9223372036854775806.1", "9223372036854775806100m"),
    ("-9223372036854775808", "-9223372036854775808", ""),
    ("9223372036854775807", "9223372036854775807", ""),
    ("-9223372036854775808.0", "-9223372036854775808", "-9223372036854775808"),
    ("9223372036854775807.0", "9223372036854775807", "9223372036854775807"),
    ("-9223372036854775808000m", "-9223372036854775808", "-9223372036854775808"),
    ("9223372036854775807000m", "9223372036854775807", "9223372036854775807"),
    ("-9223372036854775808.1", "-9223372036854775808.1", "-9223372036854775808100m"),
    ("9223372036854775807.1", "9223372036854775807.1", "9223372036854775807100m"),
    ("-9223372036854775807", "-9223372036854775807", ""),
    ("9223372036854775808", "9223372036854775808", ""),
    ("-9223372036854775807.0", "-9223372036854775807", "-9223372036854775807"),
    ("9223372036854775808.0", "9223372036854775808", "9223372036854775808"),
    ("-9223372036854775807000m", "-9223372036854775807", "-9223372036854775807"),
    ("9223372036854775808000m", "9223372036854775808", "9223372036854775808"),
    ("-9223372036854775807.1", "-9223372036854775807.1", "-9223372036854775807100m"),
    ("9223372036854775808.1", "9223372036854775808.1", "9223372036854775808100m"),
]


@pytest.mark.parametrize(("text", "as_dec", "canonical"), PARSE_QUANTITY)
def test_parse_quantity(text: str, as_dec: str, canonical: str) -> None:
    """TestParseQuantity: exact AsDec and the reserialized String()."""
    got = parse_quantity(text)
    assert got.as_decimal() == Decimal(as_dec)
    assert str(got) == (canonical or text)


# TestParseQuantityString: (input, value of the parsed number).
PARSE_QUANTITY_STRING = [
    ("0.025Ti", Decimal("0.025") * 2**40),
    ("1.025Ti", Decimal("1.025") * 2**40),
    ("-1.025Ti", Decimal("-1.025") * 2**40),
    (".", Decimal(0)),
    ("-.", Decimal(0)),
    ("1E-3", Decimal("0.001")),
]


@pytest.mark.parametrize(("text", "value"), PARSE_QUANTITY_STRING)
def test_parse_quantity_string(text: str, value: Decimal) -> None:
    """TestParseQuantityString, through the public ParseQuantity."""
    assert parse_quantity(text).as_decimal() == value


def test_parse_zero_and_canonicalize_zero() -> None:
    """TestQuantityParseZero, TestQuantityCanocicalizeZero, TestQuantityParseNonNumericPanic."""
    assert str(must_parse("0")) == "0"
    assert str(parse_quantity("1000m") - parse_quantity("1")) == "0"
    with pytest.raises(ValueError):
        must_parse("Non-Numeric")
    with pytest.raises(ValueError):
        parse_quantity("")


def test_quantity_value_set() -> None:
    """TestQuantityValueSet: "invalid" fails, 1Mi is 1048576 and prints as 1Mi."""
    with pytest.raises(ValueError):
        parse_quantity("invalid")
    mebi = parse_quantity("1Mi")
    assert mebi.value() == 1024 * 1024 and str(mebi) == "1Mi"


@pytest.mark.parametrize(
    ("x", "y", "expect"),
    [
        ((0, 0), (0, 0), 0), (None, (0, 0), 0), ((0, 0), None, 0), (None, None, 0),
        (None, (10, 0), -1), (None, (-10, 0), 1), ((10, 0), None, 1), ((-10, 0), None, -1),
    ],
)  # fmt: skip
def test_cmp_nil_dec(x: tuple[int, int] | None, y: tuple[int, int] | None, expect: int) -> None:
    """TestQuantityCmp table2: a nil inf.Dec is zero."""
    a, b = q(*x) if x else Quantity(), q(*y) if y else Quantity()
    assert a.cmp(b) == expect


E18 = 10**18
CMP_INT64_AND_DEC = [
    (q(901, -2), q(901, -2), 0), (q(90, -1), q(901, -2), -1), (q(901, -2), q(900, -2), 1),
    (q(0, 0), q(0, 0), 0), (q(0, 1), q(0, -1), 0), (q(0, -1), q(0, 1), 0),
    (q(800, -3), q(1, 0), -1), (q(800, -3), q(79, -2), 1),
    (q(MOST_POSITIVE, 0), q(1, -1), 1), (q(MOST_POSITIVE, 1), q(1, 0), 1),
    (q(MOST_POSITIVE, 1), q(1, 1), 1), (q(MOST_POSITIVE, 1), q(0, 1), 1),
    (q(MOST_POSITIVE, -16), q(1, 3), -1),
    (q(MOST_NEGATIVE, 0), q(0, 0), -1), (q(MOST_NEGATIVE, -18), q(-1, 0), -1),
    (q(MOST_NEGATIVE, -19), q(-1, 0), 1),
    (q(E18, -17), q(1, 1), 0), (q(E18, -17), q(-10, 0), 1), (q(-E18, -17), q(-10, 0), 0),
    (q(E18, -17), q(1, 0), 1), (q(E18 + 1, -17), q(1, 1), 1), (q(E18 - 1, -17), q(1, 1), -1),
]  # fmt: skip


@pytest.mark.parametrize(("a", "b", "expect"), CMP_INT64_AND_DEC)
def test_cmp_int64_and_dec(a: Quantity, b: Quantity, expect: int) -> None:
    """TestQuantityCmpInt64AndDec."""
    assert a.cmp(b) == expect and b.cmp(a) == -expect


@pytest.mark.parametrize(
    ("a", "expected"),
    [
        (q(0, 0), q(0, 0)), (Quantity(), Quantity()), (q(10, 0, BIN), q(-10, 0, BIN)),
        (q(-10, 0, BIN), q(10, 0, BIN)), (q(0, 0), q(0, 0)), (q(10, 0, BIN), q(-10, 0, BIN)),
        (q(-10, 0, BIN), q(10, 0, BIN)),
    ],
)  # fmt: skip
def test_neg(a: Quantity, expected: Quantity) -> None:
    """TestNeg and TestQuantityNeg (negation leaves the source alone)."""
    before = str(a)
    assert (-a).cmp(expected) == 0 and str(a) == before
    assert str(-q(901, -2)) == "-9010m"


def test_neg_and_sub_at_most_negative() -> None:
    """TestNegAndSubAtMostNegative, TestSubMostNegativeCrossScale, ...InheritsFormat."""
    want = must_parse("9223372036854775808")
    for got in (-q(MOST_NEGATIVE), Quantity() - q(MOST_NEGATIVE)):
        assert got.sign() == 1 and str(got) == "9223372036854775808" and got.cmp(want) == 0
    one_sub = q(1) - q(MOST_NEGATIVE)
    assert str(one_sub) == "9223372036854775809"
    assert (-q(MOST_NEGATIVE + 1)).as_decimal() == MOST_POSITIVE
    assert (Quantity() - q(MOST_NEGATIVE + 1)).as_decimal() == MOST_POSITIVE
    assert str(-q(MOST_NEGATIVE, -3)) == "9223372036854775808m"
    assert str(q(1, -3) - q(MOST_NEGATIVE, -3)) == "9223372036854775809m"
    assert str(Quantity() - q(MOST_NEGATIVE, -3)) == "9223372036854775808m"
    assert str(q(1, 1) - q(MOST_NEGATIVE)) == "9223372036854775818"
    binary = Quantity() - q(MOST_NEGATIVE, 0, BIN)
    assert binary.format == BIN and str(binary) == "8Ei" and binary.cmp(want) == 0


def test_zero_sub_most_negative_preserves_scale() -> None:
    """TestZeroSubMostNegativePreservesScale: 0 - mostNegative*10^100 is 2^63 * 10^100."""
    got = Quantity() - q(MOST_NEGATIVE, 100)
    assert got.as_decimal() == Decimal(2**63).scaleb(100)


MUL = [
    (q(10), 10, q(100)), (q(10), 1, q(10)), (q(10, 0, BIN), 1, q(10, 0, BIN)),
    (Quantity(), 50, q(0)), (q(50), 0, q(0)), (Quantity(), 0, q(0)),
    (q(10), -10, q(-100)), (q(-10), 1, q(-10)), (q(10, 0, BIN), -1, q(-10, 0, BIN)),
    (q(-50), 0, q(0)), (q(-50), -50, q(2500)), (Quantity(), -50, q(0)),
    (q(MOST_POSITIVE), 0, q(0, 1)), (q(MOST_POSITIVE), 1, q(MOST_POSITIVE)),
    (q(MOST_POSITIVE), -1, q(-MOST_POSITIVE)),
    (q(MOST_POSITIVE // 2), 2, q((MOST_POSITIVE // 2) * 2)),
    (q(-(MOST_POSITIVE // 2)), -2, q((MOST_POSITIVE // 2) * 2)),
    (q(MOST_POSITIVE), 2, q(MOST_POSITIVE * 2)), (q(MOST_POSITIVE), 10, q(MOST_POSITIVE, 1)),
    (q(MOST_POSITIVE), -10, q(-MOST_POSITIVE, 1)),
    (q(MOST_NEGATIVE), 0, q(0, 1)), (q(MOST_NEGATIVE), 1, q(MOST_NEGATIVE)),
    (q(MOST_NEGATIVE), -1, q(MOST_POSITIVE + 1)),
    (q(MOST_NEGATIVE // 2), 2, q(MOST_NEGATIVE)), (q(-(MOST_NEGATIVE // 2)), -2, q(MOST_NEGATIVE)),
    (q(MOST_NEGATIVE), 2, q(MOST_NEGATIVE * 2)), (q(MOST_NEGATIVE), 10, q(MOST_NEGATIVE, 1)),
    (q(MOST_NEGATIVE), -10, q(MOST_POSITIVE + 1, 1)),
]  # fmt: skip


@pytest.mark.parametrize(("a", "factor", "expected"), MUL)
def test_mul(a: Quantity, factor: int, expected: Quantity) -> None:
    """TestMul (every row; the int64 overflow flag has no counterpart, values are exact)."""
    assert (a * factor).cmp(expected) == 0


SEVEN_MI = 7 * 1024 * 1024


def _float_rows(slow: bool) -> list[tuple[Quantity, float]]:
    """TestQuantityAsApproximateFloat64 / TestQuantityAsFloat64Slow (kept in sync upstream)."""
    rows: list[tuple[Quantity, float]] = []
    tenth = SEVEN_MI / 10.0 if slow else SEVEN_MI * 0.1  # '* Pow10' and '/ 10' round differently
    for fmt in (SI, EXP, BIN):
        rows += [(q(0, 0, fmt), 0.0), (q(1, 0, fmt), 1.0)]
    for fmt in (BIN, SI, EXP):
        rows += [
            (q(1024, 0, fmt), 1024.0), (q(8 * 1024, 0, fmt), 8 * 1024.0),
            (q(SEVEN_MI, 0, fmt), float(SEVEN_MI)), (q(SEVEN_MI, 1, fmt), SEVEN_MI * 10.0),
            (q(SEVEN_MI, 4, fmt), SEVEN_MI * 10000.0),
            (q(SEVEN_MI, 8, fmt), SEVEN_MI * 100000000.0), (q(SEVEN_MI, -1, fmt), tenth),
            (q(SEVEN_MI, -8, fmt), SEVEN_MI / 100000000.0),
        ]  # fmt: skip
    rows += [
        (Quantity(MOST_POSITIVE, SI), float(MOST_POSITIVE)),
        (Quantity(MOST_POSITIVE, BIN), float(MOST_POSITIVE)),
        (q(12, 18), 1.2e19),
        (q(12, 500), float("inf")),
        (q(-12, 500), float("-inf")),
    ]
    return rows


@pytest.mark.parametrize(("value", "out"), _float_rows(slow=False))
def test_as_approximate_float64(value: Quantity, out: float) -> None:
    """TestQuantityAsApproximateFloat64 (every row)."""
    assert value.as_approximate_float64() == out


@pytest.mark.parametrize(("value", "out"), _float_rows(slow=True))
def test_as_float64_slow(value: Quantity, out: float) -> None:
    """TestQuantityAsFloat64Slow (every row)."""
    assert value.as_float64_slow() == out


@pytest.mark.parametrize("text", ["0", "100m", "50m", "10000T"])
def test_deep_copy_values(text: str) -> None:
    """TestQuantityDeepCopy: two parses of one text are equal and print alike."""
    assert parse_quantity(text) == parse_quantity(text)
    assert str(parse_quantity(text)) == str(must_parse(text))


def test_uninitialized_no_crash() -> None:
    """TestUninitializedNoCrash: the zero Quantity answers every accessor."""
    zero = Quantity()
    assert (zero.value(), zero.milli_value(), str(zero)) == (0, 0, "0")


# --- amount_test.go and scale_int_test.go, through the public Quantity -----------------------


@pytest.mark.parametrize(
    ("value", "scale", "text"),
    [(100, 0, "100"), (100, 1, "1k"), (100, -1, "10"), (10800, -10, "1080n")],
)
def test_int64_as_canonical_string(value: int, scale: int, text: str) -> None:
    """TestInt64AsCanonicalString: mantissa "100"/"1"/"10"/"1080" with exponent 0/3/0/-9."""
    assert str(q(value, scale)) == text


@pytest.mark.parametrize(
    ("value", "scale", "sign"),
    [
        (-50, 1, -1), (0, 1, 0), (300, 1, 1), (-50, -8, -1), (50, -8, 1), (0, -8, 0),
        (-50, 0, -1), (50, 0, 1), (0, 0, 0),
    ],
)  # fmt: skip
def test_amount_sign(value: int, scale: int, sign: int) -> None:
    """TestAmountSign."""
    assert q(value, scale).sign() == sign


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ((100, 1), (10, 2)), ((100, 1), (1, 2)), ((100, 1), (1, 100)), ((-5, 2), (50, 1)),
        ((-5, 2), (5, 2)), ((MOST_POSITIVE, -1), (1, -1)), ((MOST_POSITIVE, -1), (0, -1)),
        ((MOST_POSITIVE // 10, 1), (10, 0)),
    ],
)  # fmt: skip
def test_int64_amount_add(a: tuple[int, int], b: tuple[int, int]) -> None:
    """TestInt64AmountAdd: every row is the exact sum here (int64 overflow rows included)."""
    with localcontext(Context(prec=400)):
        exact = Decimal(a[0]).scaleb(a[1]) + Decimal(b[0]).scaleb(b[1])
    assert (q(*a) + q(*b)).as_decimal() == exact == (q(*b) + q(*a)).as_decimal()


@pytest.mark.parametrize(
    ("a", "factor"),
    [
        ((100, 1), 1000), ((100, -1), 1000), ((1, 100), 10), ((1, -100), 10), ((-5, 2), 500),
        ((-5, -2), 500), ((0, 1), 0), ((MOST_POSITIVE, -1), 10), ((MOST_POSITIVE, -1), 0),
        ((MOST_POSITIVE, 0), 1), ((MOST_POSITIVE // 10, 1), 10), ((MOST_POSITIVE, 0), -1),
        ((MOST_NEGATIVE, 0), 1), ((MOST_NEGATIVE, 1), 0), ((MOST_NEGATIVE, 1), 1),
    ],
)  # fmt: skip
def test_int64_amount_mul(a: tuple[int, int], factor: int) -> None:
    """TestInt64AmountMul: every row is the exact product here."""
    with localcontext(Context(prec=400)):
        exact = Decimal(a[0]).scaleb(a[1]) * factor
    assert (q(*a) * factor).as_decimal() == exact


@pytest.mark.parametrize(
    ("value", "scale", "scaled", "result"),
    [
        (100, 0, 5, 1), (100, 1, 1, 100), (100, 5, 2, 100000), (93, -1, 0, 10),
        (100, -1, 0, 10), (-1932, 2, 4, -20), (-1900, 2, 4, -19),
    ],
)  # fmt: skip
def test_int64_amount_as_scaled_int64(value: int, scale: int, scaled: int, result: int) -> None:
    """TestInt64AmountAsScaledInt64 (the int64-overflow row has no counterpart), via ScaledValue."""
    assert q(value, scale).scaled_value(scaled) == result


@pytest.mark.parametrize(
    ("unscaled", "scale", "new_scale", "want"),
    [
        (1000, 0, 0, 1000), (1000, 0, -3, 1), (1000, 3, 0, 1), (0, 3, 0, 0), (999, 3, 0, 1),
        (500, 3, 0, 1), (499, 3, 0, 1), (1, 3, 0, 1),
        (MOST_POSITIVE - 1, 1, 0, (MOST_POSITIVE - 1) // 10 + 1), (10**100, 100, 0, 1),
        (0, 0, 3, 0), (1, 0, 3, 1000), (1, -3, 0, 1000), (1000, -3, 2, 100000000),
        (MOST_POSITIVE // 1000, 0, 3, (MOST_POSITIVE // 1000) * 1000),
    ],
)  # fmt: skip
def test_scaled_value_internal(unscaled: int, scale: int, new_scale: int, want: int) -> None:
    """scale_int_test.go TestScaledValueInternal: inf.Dec scales, always rounding up."""
    assert q(unscaled, -scale).scaled_value(-new_scale) == want
