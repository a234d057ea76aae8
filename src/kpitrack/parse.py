"""Values and dates as people type them on the command line."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

MAX_SIGNIFICANT_DIGITS = 28  # what decimal's default context holds exactly

_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")


def parse_value(text: str) -> Decimal:
    """`1,200`, `1.8千`, `18.5万`, `2.5亿`, `-3`, `0.75` -> an exact Decimal; ValueError says what is wrong."""
    from kpitrack.units import split_scale_suffix

    cleaned, scale = split_scale_suffix(text.replace("，", ","))
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(
            f"{text!r} is not a number; write digits like 1200, 1,200, 18.5万 or 2.5亿"
        )
    number = Decimal(cleaned.replace(",", ""))
    problem = size_problem(number)
    if problem:
        raise ValueError(f"{text!r} {problem}")
    if scale == 1:
        return number
    from decimal import localcontext

    from kpitrack.units import tidy

    with localcontext() as context:
        context.prec = 2 * MAX_SIGNIFICANT_DIGITS  # exact for any scale of any accepted number
        scaled = number * scale
    problem = size_problem(scaled)
    if problem:
        raise ValueError(f"{text!r} is {scaled:f}, which {problem}")
    return tidy(scaled)  # 18.5万 is 185000, not 185000.0: a scale adds no precision


def size_problem(number: Decimal) -> str | None:
    """Why `number` is too long or too small to keep exactly, or None: at most 28 significant
    digits, at most 28 decimal places, and no exponent."""
    sign, digits, exponent = number.as_tuple()
    if len(digits) > MAX_SIGNIFICANT_DIGITS:
        return f"has more than {MAX_SIGNIFICANT_DIGITS} significant digits"
    if exponent > 0:
        return "is written with an exponent; write the digits (1000, not 1e3)"
    if exponent < -MAX_SIGNIFICANT_DIGITS:
        return f"has more than {MAX_SIGNIFICANT_DIGITS} decimal places"
    return None


def scale_clash(text: str, unit: str) -> str | None:
    """Why `text` would scale twice in `unit` (1.8万 in a unit of 万个 is 18,000 万个), or None."""
    from kpitrack.units import split_scale_suffix, split_unit

    number, scale = split_scale_suffix(text)
    suffix = text.strip()[len(number):].strip()
    if scale != 1 and split_unit(unit)[0] != 1:
        return (f"the unit is already {unit}: write the figure in it without {suffix} "
                f"(1.8, not 1.8{suffix})")
    return None


_ISO_LIKE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
_ALL_NUMERIC = re.compile(r"[\d\s/.,-]+")

DATE_RULE = (
    "write the year first (2023-06-30, 2023/6/30, 20230630, 2023年6月30日) "
    "or the month as a word (30 June 2023)"
)


def parse_date(text: str) -> date:
    """A calendar date, year first or with the month in words; never a guess.

    Forms like 01/02/2023 are refused: whether that is January or February
    depends on the writer's country, and a wrong guess would silently misdate an entry.
    """
    cleaned = text.strip()
    for pattern in (_ISO_LIKE, _COMPACT, _CHINESE):
        match = pattern.fullmatch(cleaned)
        if match:
            return _calendar_date(text, *(int(part) for part in match.groups()))
    if not cleaned or _ALL_NUMERIC.fullmatch(cleaned):
        raise ValueError(f"{text!r} is not an unambiguous date; {DATE_RULE}")
    return _worded_date(text, cleaned)


def _calendar_date(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ValueError(f"{text!r} is not a calendar date ({error})") from None


def _worded_date(text: str, cleaned: str) -> date:
    from dateutil import parser  # only the rare worded date pays for importing dateutil

    numbers = re.findall(r"\d+", cleaned)
    if sorted(len(number) for number in numbers) not in ([1, 4], [2, 4]):
        # dateutil would guess a year from "23" or read "5 6 June" as 2005: refuse instead.
        raise ValueError(f"{text!r} is not a date with a day and a four-digit year; {DATE_RULE}")

    # Parsing against two different defaults shows whether any part was missing.
    try:
        first = parser.parse(cleaned, default=datetime(2000, 1, 1))
        second = parser.parse(cleaned, default=datetime(2004, 2, 2))
    except (ValueError, OverflowError, parser.ParserError):
        raise ValueError(f"{text!r} is not a date; {DATE_RULE}") from None
    if first != second:
        raise ValueError(f"{text!r} is not a whole date (year, month and day); {DATE_RULE}")
    if (first.hour, first.minute, first.second, first.microsecond) != (0, 0, 0, 0):
        raise ValueError(f"{text!r} has a time of day; give a date only")
    return first.date()
