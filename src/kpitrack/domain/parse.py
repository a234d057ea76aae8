"""Values and dates as people type them on the command line."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from kpitrack.domain.errors import Sentence, Worded

MAX_SIGNIFICANT_DIGITS = 28  # what decimal's default context holds exactly

_NUMBER = re.compile(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?", re.ASCII)
# The last year a file may hold (kpitrack.files.schema_kinds keeps the same limit for what it reads):
# a date past it leaves no room for the next expected figure.
LAST_YEAR = 2999


def parse_value(text: str) -> Decimal:
    """`1,200`, `1.8千`, `18.5万`, `2.5亿`, `-3`, `0.75` -> an exact Decimal; ValueError says what is wrong."""
    from kpitrack.domain.units import split_scale_suffix

    cleaned, scale = split_scale_suffix(typed_digits(text).replace("，", ","))
    if not _NUMBER.fullmatch(cleaned):
        raise Worded("{text} is not a number; write digits like 1200, 1,200, 18.5万 or 2.5亿", text=repr(text))
    number = Decimal(cleaned.replace(",", ""))
    problem = size_problem(number)
    if problem:
        raise Worded("{text} {problem}", text=repr(text), problem=problem)
    if scale == 1:
        return number
    from decimal import localcontext

    from kpitrack.domain.units import tidy

    with localcontext() as context:
        context.prec = 2 * MAX_SIGNIFICANT_DIGITS  # exact for any scale of any accepted number
        scaled = number * scale
    problem = size_problem(scaled)
    if problem:
        raise Worded("{text} is {figure}, which {problem}", text=repr(text), figure=f"{scaled:f}", problem=problem)
    return tidy(scaled)  # 18.5万 is 185000, not 185000.0: a scale adds no precision


def normalized(text: str) -> str:
    """What was typed, with full-width digits, points and letters made plain (NFKC): １９４．７ is 194.7."""
    if text.isascii():  # NFKC leaves ASCII as it is; unicodedata (a library to load) only for the rest
        return text.strip()
    import unicodedata

    return unicodedata.normalize("NFKC", text).strip()


def typed_digits(text: str) -> str:
    """`normalized(text)` when its digits are digits as typed: ASCII or full-width (１９４．７).
    A superscript, subscript, circled or another script's digit is refused: NFKC would make `10²`
    102 and `①` 1, a footnote mark copied from a report turned into a figure."""
    odd = next((character for character in text if character.isdigit()
                and not ("0" <= character <= "9" or "０" <= character <= "９")), None)
    if odd is not None:
        raise Worded("{text}: {character} is not a digit; type the figure with the digits 0-9 only",
                     text=repr(text), character=repr(odd))
    return normalized(text)


_LEADING_NUMBER = re.compile(r"[+-]?[\d,.]+", re.ASCII)


def parse_figure(text: str, unit: str) -> Decimal:
    """A figure typed for a target counted in `unit`, in that unit: the target's own unit, or its
    scale, may follow the number. On a 亿元 target `194.7`, `194.7亿` and `194.7亿元` are 194.7;
    on a 套 target `3.5万套` is 35000; on a 万个 target `1.8万` and `18000个` are 1.8; `4.1%` on a % target is 4.1.
    Another unit is refused, naming the expected one, and so is the base unit typed on a target
    counted in 亿 or more of it (`2600元` on a 亿元 target: units.IMPLAUSIBLE_GAP)."""
    from kpitrack.domain.units import CHINESE_SCALES, IMPLAUSIBLE_GAP, split_scale_suffix, split_unit, tidy

    raw_unit = unit.strip()
    cleaned = normalized(text)
    if raw_unit and text.strip().endswith(raw_unit):  # a unit may hold a superscript (m²): the figure may not
        typed_digits(text.strip()[: -len(raw_unit)])
    else:
        typed_digits(text)
    unit_scale, base = split_unit(normalized(unit))
    number_part = cleaned
    if base and cleaned.endswith(base) and _LEADING_NUMBER.match(cleaned) and cleaned != base:
        number_part = cleaned[: -len(base)].strip()
    rest = number_part.rstrip("".join(CHINESE_SCALES)).strip()
    match = _LEADING_NUMBER.match(rest)
    if match and match.end() < len(rest):  # letters that are neither the unit nor a scale
        expected = (Sentence("write the figure in {unit} (or with {unit} after it)", unit=unit) if unit
                    else Sentence("write the figure without a unit"))
        raise Worded("{text} is not a number in this target's unit: {word} is not its unit; {expected}",
                     text=repr(text), word=repr(rest[match.end():].strip()), expected=expected)
    value = parse_value(number_part)
    typed_scale = split_scale_suffix(number_part)[1]
    if number_part != cleaned and unit_scale / typed_scale >= IMPLAUSIBLE_GAP:  # 2600元 on 亿元: a slip
        raise Worded("{text} would be {figure} {unit}, which no report means: did you mean {scaled} or {own}? "
                     "Write the figure in {unit}, or with its scale before {base}", text=repr(text),
                     figure=f"{tidy(value / unit_scale):f}", unit=unit, base=base,
                     scaled=f"{rest}{'万' if typed_scale < CHINESE_SCALES['万'] else '亿'}{base}", own=f"{rest}{unit}")
    if (number_part.strip() != rest or number_part != cleaned) and unit_scale != 1:
        # a scale or the base unit was typed (1.8万, 18000个): the figure in the base unit, then in the target's
        return tidy(value / unit_scale)
    return value


# The words a pledge or a published figure is worded with, as typed beside the number: a target's
# 超1200, 1200以上, 6.0%左右, 3%以内; a figure's 近50, 超50, 约50 or 50左右 (the codes of model.Qualifier and
# model.ReadingQualifier).
TARGET_WORDS = (("超", "", "over"), ("", "以上", "at-least"), ("", "左右", "about"), ("", "以内", "at-most"))
FIGURE_WORDS = (("近", "", "nearly"), ("超", "", "over"), ("约", "", "about"), ("", "左右", "about"))


def worded_figure(text: str, words=TARGET_WORDS) -> tuple[str, str | None]:
    """`text` without the wording typed around its number, and the wording's code (None: none):
    `超1200` is ("1200", "over"), `6.0%左右` ("6.0%", "about")."""
    stripped = normalized(text)
    for prefix, suffix, code in words:
        if prefix and stripped.startswith(prefix) and len(stripped) > len(prefix):
            return stripped[len(prefix):].strip(), code
        if suffix and stripped.endswith(suffix) and len(stripped) > len(suffix):
            return stripped[: -len(suffix)].strip(), code
    return text, None


def size_problem(number: Decimal) -> Sentence | None:
    """Why `number` is too long or too small to keep exactly, or None: at most 28 significant
    digits, at most 28 decimal places, and no exponent."""
    sign, digits, exponent = number.as_tuple()
    if len(digits) > MAX_SIGNIFICANT_DIGITS:
        return Sentence("has more than {count} significant digits", count=MAX_SIGNIFICANT_DIGITS)
    if exponent > 0:
        return Sentence("is written with an exponent; write the digits (1000, not 1e3)")
    if exponent < -MAX_SIGNIFICANT_DIGITS:
        return Sentence("has more than {count} decimal places", count=MAX_SIGNIFICANT_DIGITS)
    return None


_ISO_LIKE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
# The other forms are patterns as text, compiled (and kept by `re`) when a date is not ISO-like:
# compiling them all took a millisecond and more of every start.
_COMPACT = r"(\d{4})(\d{2})(\d{2})"
_CHINESE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"
_MONTH = r"(\d{4})\s*(?:[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*[末底]?)"
_QUARTER = r"(\d{4})\s*(?:[-\s]?[Qq]\s*([1-4])|年\s*第?\s*([1-4一二三四])\s*季度\s*[末底]?)"
_QUARTER_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4}
_ALL_NUMERIC = r"[\d\s/.,-]+"

DATE_RULE = Sentence(
    "write the year first (2023-06-30, 2023/6/30, 20230630, 2023年6月30日) "
    "or the month as a word (30 June 2023); a month (2023-06, 2023年6月) or a quarter "
    "(2023Q2, 2023年二季度) is its last day"
)


def parse_date(text: str) -> date:
    """A calendar date, year first or with the month in words; never a guess.

    Forms like 01/02/2023 are refused: whether that is January or February
    depends on the writer's country, and a wrong guess would silently misdate an entry.
    """
    cleaned = typed_digits(text)
    for pattern in (_ISO_LIKE, _COMPACT, _CHINESE):
        match = re.fullmatch(pattern, cleaned)
        if match:
            return _calendar_date(text, *(int(part) for part in match.groups()))
    period_end = _period_end(cleaned)
    if period_end:
        return period_end
    if not cleaned or re.fullmatch(_ALL_NUMERIC, cleaned):
        raise Worded("{text} is not an unambiguous date; {rule}", text=repr(text), rule=DATE_RULE)
    return _worded_date(text, cleaned)


def _period_end(cleaned: str) -> date | None:
    """The last day of a month (2024-06, 2024年6月, 2024年6月末) or a quarter (2024Q2, 2024年二季度):
    the day a monthly or quarterly figure is dated by."""
    month = re.fullmatch(_MONTH, cleaned)
    if month:
        year, number = int(month.group(1)), int(month.group(2) or month.group(3))
    else:
        quarter = re.fullmatch(_QUARTER, cleaned)
        if not quarter:
            return None
        word = quarter.group(2) or quarter.group(3)
        year, number = int(quarter.group(1)), 3 * _QUARTER_WORDS.get(word, int(word) if word.isdigit() else 0)
    if not 1 <= number <= 12:
        raise Worded("{text} is not a calendar month", text=repr(cleaned))
    import calendar  # only a month or a quarter pays for it

    return date(year, number, calendar.monthrange(year, number)[1])


def _calendar_date(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise Worded("{text} is not a calendar date", text=repr(text)) from None


def recordable(day: date) -> date:
    """`day`, when a file may hold it; else ValueError: what a door says before anything is written."""
    if day.year > LAST_YEAR:
        raise Worded("{date} is past {last}, the last date kpitrack keeps", date=day.isoformat(),
                     last=f"{LAST_YEAR}-12-31")
    return day


def _worded_date(text: str, cleaned: str) -> date:
    from dateutil import parser  # only the rare worded date pays for importing dateutil

    numbers = re.findall(r"\d+", cleaned)
    if sorted(len(number) for number in numbers) not in ([1, 4], [2, 4]):
        # dateutil would guess a year from "23" or read "5 6 June" as 2005: refuse instead.
        raise Worded("{text} is not a date with a day and a four-digit year; {rule}", text=repr(text), rule=DATE_RULE)

    # Parsing against two different defaults shows whether any part was missing.
    try:
        first = parser.parse(cleaned, default=datetime(2000, 1, 1))
        second = parser.parse(cleaned, default=datetime(2004, 2, 2))
    except (ValueError, OverflowError, parser.ParserError):
        raise Worded("{text} is not a date; {rule}", text=repr(text), rule=DATE_RULE) from None
    if first != second:
        raise Worded("{text} is not a whole date (year, month and day); {rule}", text=repr(text), rule=DATE_RULE)
    if (first.hour, first.minute, first.second, first.microsecond) != (0, 0, 0, 0):
        raise Worded("{text} has a time of day; give a date only", text=repr(text))
    return first.date()
