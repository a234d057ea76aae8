from datetime import date
from decimal import Decimal

import pytest

from kpitrack.domain.parse import parse_date, parse_value


@pytest.mark.parametrize("text, expected", [
    ("1200", Decimal("1200")),
    ("1,200", Decimal("1200")),
    ("1，200", Decimal("1200")),
    ("18.5万", Decimal("185000")),
    ("2.5亿", Decimal("250000000")),
    ("1万亿", Decimal("1000000000000")),
    ("0.75", Decimal("0.75")),
    ("-3", Decimal("-3")),
    (" 847.6 ", Decimal("847.6")),
    ("3295.3亿", Decimal("329530000000")),
])
def test_parse_value_accepts_the_forms_people_type(text, expected):
    value = parse_value(text)
    assert value == expected
    assert str(value) == str(expected)  # no stray exponent or trailing .0 from a scale


@pytest.mark.parametrize("text", ["", "  ", "12abc", "NaN", "inf", "-Infinity", "1e999", "1e3", "1,20", "万",
                                  "0." + "0" * 28 + "1",
                                  "1.2.3", "0x10", "1" * 29])
def test_parse_value_refuses_what_is_not_a_plain_number(text):
    with pytest.raises(ValueError):
        parse_value(text)


def test_parse_value_keeps_28_significant_digits_exactly():
    text = "1234567890123456789012345678"
    assert parse_value(text) == Decimal(text)


@pytest.mark.parametrize("text, expected", [
    ("2023-06-30", date(2023, 6, 30)),
    ("2023/6/30", date(2023, 6, 30)),
    ("2023.06.30", date(2023, 6, 30)),
    ("20230630", date(2023, 6, 30)),
    ("2023年6月30日", date(2023, 6, 30)),
    ("2023年6月30", date(2023, 6, 30)),
    ("30 June 2023", date(2023, 6, 30)),
    ("June 30, 2023", date(2023, 6, 30)),
    ("2024-02-29", date(2024, 2, 29)),
])
def test_parse_date_accepts_year_first_and_worded_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text, reason", [
    ("2023-02-30", "not a calendar date"),
    ("2023-02-29", "not a calendar date"),
    ("13/13/2023", "not an unambiguous date"),
    ("01/02/2023", "not an unambiguous date"),  # January 2 or February 1: refused, not guessed
    ("1/2/23", "not an unambiguous date"),
    ("June 2023", "with a day and a four-digit year"),
    ("30 June", "with a day and a four-digit year"),
    ("30 June 23", "with a day and a four-digit year"),  # dateutil would guess 2023
    ("5 6 June", "with a day and a four-digit year"),  # dateutil would read 2005-06-06
    ("June 5 6", "with a day and a four-digit year"),
    ("yesterday-ish", "not a date"),
    ("2023-06-30 14:00", "not a date"),
    ("", "not an unambiguous date"),
])
def test_parse_date_refuses_impossible_incomplete_and_ambiguous_dates(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_date(text)


@pytest.mark.parametrize("text, expected", [("1.8千", "1800"), ("3千", "3000"), ("1.2万亿", "1200000000000"),
                                            ("2千万", "20000000")])
def test_one_scale_table_serves_typed_figures_and_units(text, expected):
    from kpitrack.domain.units import split_unit

    assert parse_value(text) == Decimal(expected)
    assert split_unit("千元") == (Decimal(1000), "元")  # the same 千 in a unit name
