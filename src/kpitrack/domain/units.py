"""Units with a scale: 亿元 is 10^8 元, 万套 is 10^4 套, "k firms" is 1,000 firms."""

from __future__ import annotations

from decimal import Decimal

# The one table of Chinese scales, for typed figures (1.8千, 18.5万, 2.5亿, 1.2万亿) and unit
# names (千元, 万套, 亿元, 万亿元) alike; 万亿 is 万 times 亿.
CHINESE_SCALES = {"千": Decimal(10) ** 3, "万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}
SI_SCALES = {"k": Decimal(10) ** 3, "M": Decimal(10) ** 6}
# A figure typed in a unit this many times (or more) smaller than its target's is taken for a slip,
# not converted: 2600元 on a 亿元 target would be 0.000026 亿元, a figure no report prints; the
# typist meant 2600万元 or 2600亿元. One scale apart converts (36421万元 is 3.6421亿元, 18000个 is
# 1.8万个): offices do type a figure in 万元 against a 亿元 pledge.
IMPLAUSIBLE_GAP = Decimal(10) ** 8


def split_unit(unit: str) -> tuple[Decimal, str]:
    """(scale, base unit): 亿元 -> (10^8, 元), 万亿元 -> (10^12, 元), "k firms" -> (1000, firms).

    An SI scale counts only as a word of its own ("k firms", "M"), so that km stays kilometres.
    """
    scale, rest = Decimal(1), unit.strip()
    while rest[:1] in CHINESE_SCALES:
        scale, rest = scale * CHINESE_SCALES[rest[0]], rest[1:].strip()
    word, _, remainder = rest.partition(" ")
    if word in SI_SCALES:
        scale, rest = scale * SI_SCALES[word], remainder.strip()
    return scale, rest


def conversion(from_unit: str, to_unit: str) -> Decimal | None:
    """The exact factor taking a figure in `from_unit` to `to_unit`, or None when their bases differ."""
    from_scale, from_base = split_unit(from_unit)
    to_scale, to_base = split_unit(to_unit)
    if from_base != to_base:
        return None
    return from_scale / to_scale


def tidy(value: Decimal) -> Decimal:
    """`value` without the trailing zeros that scaling leaves (185000.0 -> 185000, 0.0000 -> 0),
    and never in exponent notation."""
    tidied = value.normalize()
    return tidied.quantize(Decimal(1)) if tidied.as_tuple().exponent > 0 else tidied


def split_scale_suffix(text: str) -> tuple[str, Decimal]:
    """(number text, scale) of a typed figure: 18.5万 -> ("18.5", 10^4), 1.2万亿 -> ("1.2", 10^12)."""
    scale, rest = Decimal(1), text.strip()
    while rest[-1:] in CHINESE_SCALES:
        scale, rest = scale * CHINESE_SCALES[rest[-1]], rest[:-1].strip()
    return rest, scale
