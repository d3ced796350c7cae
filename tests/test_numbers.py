"""German and plain number notation (no database needed)."""

from decimal import Decimal

import pytest

from zielsteuerung.numbers import (
    NumberFormatError,
    format_decimal,
    parse_decimal,
    relative_change,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25,4", "25.4"),
        ("25.4", "25.4"),
        ("3.489", "3489"),
        ("1.234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1234,56", "1234.56"),
        ("12.345.678", "12345678"),
        ("-5,2", "-5.2"),
        ("\u22125,2", "-5.2"),
        ("+12,6", "12.6"),
        (" 0 ", "0"),
        ("0,5", "0.5"),
    ],
)
def test_parse_decimal_accepts_german_and_plain_notation(text, expected):
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1.2.3", "12,5%", "1.23,4", ","])
def test_parse_decimal_refuses_what_is_not_a_number(text):
    with pytest.raises(NumberFormatError):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (Decimal("3489"), {}, "3.489"),
        (Decimal("25.400"), {}, "25,4"),
        (Decimal("-5.2"), {"sign": True}, "\u22125,2"),
        (Decimal("12.6"), {"sign": True}, "+12,6"),
        (Decimal("0"), {"sign": True}, "0"),
        (Decimal("12.888"), {"places": 1}, "12,9"),
        (Decimal("1234.5"), {"grouping": False}, "1234,5"),
        (None, {}, ""),
    ],
)
def test_format_decimal_writes_german_notation(value, kwargs, expected):
    assert format_decimal(value, **kwargs) == expected


def test_relative_change_is_per_cent_not_points():
    # Coesfeld 2014: K2 from 22.5 % to 25.4 % is an increase of 12.9 per cent.
    change = relative_change(Decimal("22.5"), Decimal("25.4"))
    assert format_decimal(change, places=1) == "12,9"


def test_relative_change_of_zero_baseline_is_not_computable():
    assert relative_change(Decimal(0), Decimal(5)) is None
