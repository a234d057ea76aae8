"""Units: scales and exact conversions."""

from decimal import Decimal

import pytest

from kpitrack.domain.units import conversion, split_unit


@pytest.mark.parametrize("unit, scale, base", [
    ("亿元", Decimal(10) ** 8, "元"), ("万套", Decimal(10) ** 4, "套"), ("万平方米", Decimal(10) ** 4, "平方米"),
    ("万亿元", Decimal(10) ** 12, "元"), ("k firms", Decimal(1000), "firms"), ("M", Decimal(10) ** 6, ""),
    ("km", Decimal(1), "km"), ("家", Decimal(1), "家"), ("亿美元", Decimal(10) ** 8, "美元"),
])
def test_units_split_into_scale_and_base(unit, scale, base):
    assert split_unit(unit) == (scale, base)


def test_conversion_is_exact_and_refuses_different_bases():
    assert conversion("万元", "亿元") == Decimal("0.0001")
    assert Decimal("1234.5678") * conversion("万元", "亿元") == Decimal("0.12345678")
    assert conversion("k firms", "firms") == 1000
    assert conversion("个", "家") is None


def test_units_with_a_space_after_the_scale_convert():
    assert conversion("万 套", "套") == 10000
