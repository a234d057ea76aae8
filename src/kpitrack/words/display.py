"""How figures and untrusted text look to a person: number style, units, bars, escapes. One place for display precision."""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from kpitrack.words.i18n import N_, _, in_language, language, pgettext
from kpitrack.domain.model import Kind, Qualifier, ReadingQualifier, Status, Target, Verdict
from kpitrack.domain.lights import LIGHT, NAMED_LIGHTS

if TYPE_CHECKING:  # the figures come from kpitrack.domain.compute, which `add` and `--version` never import
    from kpitrack.domain.compute import Figures
    from kpitrack.domain.plans import Plan  # built when first used: see the end of kpitrack.domain.model


# The status words as shown: the codes in English, the offices' words in Chinese (see the .po).
STATUS_WORDS = {Status.NOT_STARTED: N_("not-started"), Status.DONE: N_("done"), Status.ON_TRACK: N_("on-track"),
                Status.AT_RISK: N_("at-risk"), Status.BEHIND: N_("behind"), Status.OVERDUE: N_("overdue"),
                Status.NO_DATA: N_("no-data"), Status.TRACKED: N_("tracked")}
VERDICT_WORDS = {Verdict.DONE_EARLY: N_("done-early"), Verdict.ON_TIME: N_("on-time"),
                 Verdict.DONE_LATE: N_("done-late"), Verdict.MISSED: N_("missed"),
                 Verdict.NOT_REPORTED: N_("not-reported")}
LIGHT_WORDS = {"green": N_("green"), "yellow": N_("yellow"), "red": N_("red")}
LIGHT_NAMES = {status: LIGHT_WORDS[LIGHT[status]] for status in NAMED_LIGHTS}  # the domain's one table, worded
# The terminal's style of a status: its light's colour (bold for an end: done, overdue); the grey ones
# told apart in the terminal's own hues.
GREYS = {Status.NOT_STARTED: "dim", Status.NO_DATA: "magenta", Status.TRACKED: "cyan"}
LIGHT_STYLES = {status: GREYS[status] if LIGHT[status] == "grey" else
                ("bold " if status in (Status.DONE, Status.OVERDUE) else "") + LIGHT[status] for status in Status}
VERDICT_STYLES = {Verdict.DONE_EARLY: "bold green", Verdict.ON_TIME: "green", Verdict.DONE_LATE: "yellow",
                  Verdict.MISSED: "bold red", Verdict.NOT_REPORTED: "magenta"}
STALE = N_("stale")
DUE_SOON_WORD = N_("due soon")  # 临期: not done, within warn_days of due
# Words shown through `_()` from a value rather than a literal: kinds, directions, schedules.
SHOWN_VALUES = (N_("cumulative"), N_("level"), N_("milestone"), N_("indicator"), N_("growth"),
                N_("increase"), N_("decrease"), N_("daily"), N_("monthly"), N_("quarterly"), N_("none"),
                N_("over"), N_("at-least"), N_("about"), N_("at-most"), N_("nearly"))
TARGET_MARKS = {Qualifier.OVER: "超", Qualifier.AT_LEAST: "≥", Qualifier.ABOUT: "约", Qualifier.AT_MOST: "≤"}
READING_MARKS = {ReadingQualifier.NEARLY: "近", ReadingQualifier.OVER: "超", ReadingQualifier.ABOUT: "约"}
ESTIMATE_MARK = N_(" (est.)")


def status_word(status: Status) -> str:
    return _(STATUS_WORDS[status])


def verdict_word(verdict: Verdict) -> str:
    return _(VERDICT_WORDS[verdict])


def estimate_mark(estimate: bool) -> str:
    return _(ESTIMATE_MARK) if estimate else ""


def light_word(status: Status) -> str | None:
    """绿灯 / 黄灯 / 红灯 (green / yellow / red) for the three bands; None for the other statuses."""
    return _(LIGHT_NAMES[status]) if status in LIGHT_NAMES else None


EXCEEDED, DONE_EARLY = N_("exceeded"), N_("done early")


def done_message(target: Target, figures: Figures) -> str | None:
    """How a target that is done or has a verdict ended, as a message to translate: over its figure
    (超额完成), else the verdict (提前完成, 按时完成, 逾期完成, 未完成, 未报送), else done early or
    done; None while it has neither (its status and light say how it stands)."""
    if figures.status is not Status.DONE and figures.verdict is None:
        return None
    if exceeded(figures):
        return EXCEEDED
    if figures.verdict is not None:
        return VERDICT_WORDS[figures.verdict]
    if figures.last_update is not None and figures.last_update < target.due:
        return DONE_EARLY
    return STATUS_WORDS[figures.status]


def exceeded(figures: Figures) -> bool:
    """Done beyond its figure (超额完成): met, and its completion as shown past 100."""
    return figures.exceeded_points is not None and figures.exceeded_points > 0


def date_words(day, lang: str | None = None) -> str:
    """A date as a person reads it in `lang` (default: the interface's): `2025年8月31日`, `2025-08-31`."""
    if (lang or language()) == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def as_of_words(as_of, lang: str | None = None) -> str:
    """`as of 2024-06-30`; `截至2024年6月30日` in Chinese: the titles' as-of, in every output."""
    if (lang or language()) == "zh":
        return "截至" + date_words(as_of, "zh")
    return f"as of {as_of.isoformat()}"


AS_OF_LINE = N_("As of: {date}")  # 截至：2025年8月31日


def as_of_line(as_of, lang: str | None = None) -> str:
    """The as-of line of a page or a document (`As of: 2025-08-31`, `截至：2025年8月31日`), worded once."""
    return in_language(lang or None, AS_OF_LINE).format(date=date_words(as_of, lang))


def title_of(target: Target) -> str:
    """The title in the interface's language: `title_en` in English when given, else `title`."""
    return target.title_en if language() == "en" and target.title_en else target.title


_decimals = 2  # kpitrack.toml `decimals`: set once a run by the CLI (set_decimals), like the language
_step = Decimal("0.01")  # a unit of the last printed decimal: 10 ** -_decimals


def set_decimals(decimals: int) -> None:
    """Print every percentage and gap with `decimals` (1 or 2) decimals from now on."""
    global _decimals, _step
    _decimals, _step = decimals, Decimal(1).scaleb(-decimals)


def printed_decimals() -> int:
    """The decimals percentages and gaps are printed with (for a workbook's number formats)."""
    return _decimals


def printed(value: Decimal) -> Decimal:
    """`value` at the printed precision (kpitrack.toml `decimals`), half up as offices round: the one
    rounding of every percentage and gap a person reads, in every format, and of the class
    (超进度/达进度/欠进度) decided from it. A figure short of 100 is not rounded up to 100 (a
    target not done never shows as 100 %). Never -0: a gap that rounds to zero prints 0. A figure
    with fewer decimals (a growth rate's -1.9 points) is printed as it is."""
    # no more decimals than printed: as it is, never padded (same_quantum: the usual case, without
    # the tuple of digits as_tuple makes)
    if value.same_quantum(_step) or value.as_tuple().exponent >= -_decimals:
        return value.copy_abs() if value.is_zero() else value
    rounded = value.quantize(_step, rounding=ROUND_HALF_UP)
    if value < 100 <= rounded:
        rounded = value.quantize(_step, rounding=ROUND_DOWN)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def signed(value: Decimal) -> str:
    """A gap in points at the printed precision, with its sign: `+7.33`, `-0.2`, `+0.0`."""
    return f"{printed(value):+}"


def percent(value: Decimal | None, shown: bool = True) -> str:
    """`79.17%`, or `—` when there is no figure (not started, no data, no plan)."""
    return f"{printed(value)}%" if value is not None and shown else "—"


class Shown(NamedTuple):
    """A target's completion, plan and gap as every format gives them (None where people read `—`)."""

    completion: Decimal | None
    planned: Decimal | None
    lag: Decimal | None  # planned − completion: positive behind the calendar (the thresholds' lag)
    vs_plan: Decimal | None  # completion − planned: negative behind (低于序时进度), as the tables print it


def shown(figures: Figures) -> Shown:
    """The one rule of which of completion, plan and gap a target has, for people and scripts alike:
    none of them before its start (not-started: the computed zeros are no progress, just no period
    yet), as none exist without a figure or without a plan."""
    if figures.status is Status.NOT_STARTED:
        return Shown(None, None, None, None)
    lag = figures.lag
    return Shown(figures.completion, figures.planned, lag, None if lag is None else 0 - lag)  # never -0


def printed_gap(seen: Shown | None) -> Decimal | None:
    """Completion minus plan as people read it: the difference of the two figures as printed, so that
    with `decimals = 1` the gap of 99.9% and 83.3% reads +16.6 (the gap of the unrounded figures
    printed +16.7); with two decimals it is vs_plan itself. None where there is none (`—`). JSON
    and CSV keep vs_plan."""
    if seen is None or seen.vs_plan is None:
        return None
    if seen.completion is None or seen.planned is None:
        return printed(seen.vs_plan)
    gap = printed(seen.completion) - printed(seen.planned)
    return gap.copy_abs() if gap.is_zero() else gap


def printed_lag(figures: Figures) -> Decimal | None:
    """Plan minus completion as people read it (printed_gap's opposite): positive behind."""
    if figures.lag is None:
        return None
    gap = printed_gap(shown(figures))
    if gap is None:  # before its start the tables give no gap; a caller that asks gets the figure's
        return printed(figures.lag)
    return gap.copy_abs() if gap.is_zero() else -gap


def difference(figures: Figures) -> str:
    """Completion minus plan, signed: `+7.33` ahead of the calendar, `-49.73` below it; `—` without one."""
    gap = printed_gap(shown(figures))
    return "—" if gap is None else signed(gap)


INVISIBLE = {"Cc", "Cf", "Zl", "Zp", "Cn", "Cs"}  # control, format (RTL overrides, zero-width), unassigned, surrogates (bytes of a name in another encoding)
# Letters and marks that show as nothing (Unicode's default-ignorable code points and blank
# look-alikes): the Hangul fillers, variation selectors, Mongolian selectors, the braille blank.
BLANK = frozenset([0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0, *range(0x180B, 0x1810),
                   *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)])
SPACES = frozenset(" \u3000")  # the spaces that are text; every other space character is escaped


def plain_text(text: str) -> bool:
    """Whether `text` has nothing to escape: printable (no control, format or separator character
    but space) and none of the BLANK characters that print as nothing; a fast test for most text."""
    return text.isprintable() and (text.isascii() or _BLANK_CHARACTERS.isdisjoint(text))


_BLANK_CHARACTERS = frozenset(map(chr, BLANK))


def visible(text: str, multiline: bool = False) -> str:
    """Untrusted text made safe to print: control and invisible characters shown as \\x.. escapes
    (line breaks and tabs kept where the text may span lines). Every path and name printed goes
    through here too: a folder name can hold an escape sequence as well as a title can."""
    if plain_text(text):
        return text
    import unicodedata  # a library to load: only for text that is not plainly printable

    kept = "\n\t" if multiline else ""
    return "".join(
        _escape(character) if character not in kept and (
            unicodedata.category(character) in INVISIBLE or ord(character) in BLANK
            or (unicodedata.category(character) == "Zs" and character not in SPACES))
        else character
        for character in text
    )


def _escape(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def exact_digits(value: Decimal) -> str:
    """A Decimal's every digit, never in exponent notation (format "f"), as kpitrack's JSON and CSV
    write figures; str() writes the same three times as fast whenever it writes no exponent."""
    text = str(value)
    return text if "E" not in text else format(value, "f")


def number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value:,f}"


def entry_value(entry) -> str:
    """An entry's figure as shown: a number (近, 超 or 约 before a bound, `(est.)` after an
    estimate), or done / not done for a milestone."""
    if entry.done is not None:  # a node plan's entry names its node: 开工 已完成
        done = (_("done") if entry.done else _("not done")) + estimate_mark(entry.estimate)
        return f"{visible(entry.node)} {done}" if entry.node else done
    mark = READING_MARKS[entry.qualifier] if entry.qualifier else ""
    return mark + number(entry.value) + estimate_mark(entry.estimate)


def figure_as_understood(target: Target, entry) -> str:
    """An entry's figure as read, in its target's unit: 194.7 亿元 (running total); echoed by add,
    import and the import's dry run, so what was typed is seen as it was understood."""
    if entry.done is not None:
        return entry_value(entry)
    mark = READING_MARKS[entry.qualifier] if entry.qualifier else ""
    return (mark + number(entry.value) + (f" {visible(target.unit)}" if target.unit else "")
            + estimate_mark(entry.estimate) + (pgettext("understood", " (running total)") if entry.total else ""))


def target_value(target: Target, value=None) -> str:
    """The target as the report words it: 超5,000, ≥120, 约410, ≤…; no mark without a qualifier."""
    mark = TARGET_MARKS[target.qualifier] if target.qualifier else ""
    return mark + number(target.target if value is None else value)


def bar(completion: Decimal | None, width: int = 10) -> str:
    """A bar that reads without colour: █ for done, · for the rest."""
    completion = completion or Decimal(0)
    filled = int(max(Decimal(0), min(completion, Decimal(100))) * width / 100)
    return "█" * filled + "·" * (width - filled)


def progress_cell(target: Target, figures: Figures) -> str:
    """`650 / 1,200 家`; `— / 1,200 家` while nothing is recorded, so that no data is not read as no progress."""
    if target.kind is Kind.MILESTONE and target.nodes:  # a node plan: how many of its nodes are done
        return _("{done} / {count} nodes").format(done=int(figures.current), count=len(target.nodes))
    if target.kind is Kind.MILESTONE:
        return (_("done") if figures.current else _("not done")) + estimate_mark(figures.estimate)
    current = current_cell(target, figures)
    if target.kind is Kind.INDICATOR:
        return current + (f" {visible(target.unit)}" if target.unit and figures.last_update else "")
    return f"{current} / {target_value(target)}" + (f" {visible(target.unit)}" if target.unit else "")


def current_cell(target: Target, figures: Figures) -> str:
    """The current figure as printed, with the mark of a figure published as a bound (近, 超, 约) and
    (est.); `—` before the first figure."""
    if not figures.last_update:
        return "—"
    from kpitrack.domain.compute import latest_qualifier

    reading = latest_qualifier(target, figures.as_of)
    return (READING_MARKS[reading] if reading else "") + number(figures.current) + estimate_mark(figures.estimate)


def done_cell(figures: Figures) -> str:
    """Completion in per cent; for a growth rate the gap to the target in points; for an
    indicator the change since the previous reading; `—` before its start (`shown`)."""
    if figures.status is Status.NOT_STARTED:
        return "—"
    if figures.completion is not None:
        return percent(figures.completion)
    if figures.gap is not None:
        return _("{points} pt").format(points=signed(figures.gap))
    if figures.change is not None:
        return f"Δ{figures.change:+}"
    return "—"


def done_label(figures: Figures) -> str:
    """What done_cell gives, named (a message): completion (完成率); for a growth rate the difference
    from its target (与目标相差), for an indicator the change (变化), as `show` names them."""
    if figures.completion is None and figures.status is not Status.NOT_STARTED:
        if figures.gap is not None:
            return DIFFERENCE
        if figures.change is not None:
            return CHANGE
    return COMPLETION


COMPLETION, DIFFERENCE, CHANGE = N_("Completion"), N_("Difference"), N_("Change")


def verdict_text(figures: Figures) -> str:
    """`done-early on 2024-10-31, exceeded: 143.20%`, or "" before there is a verdict."""
    if figures.verdict is None:
        return ""
    text = verdict_word(figures.verdict) + (_(" on {date}").format(date=figures.done_on.isoformat())
                                            if figures.done_on else "")
    if figures.exceeded_points is not None and figures.exceeded_points > 0:
        text += _(", exceeded: {completion}%").format(completion=printed(figures.completion))
    elif figures.exceeded_by is not None and figures.exceeded_by > 0 and figures.completion is None:
        text += _(", exceeded by {points} pt").format(points=signed(figures.exceeded_by))
    return text


STRETCH_WORDS = N_("{completion} (stretch {stretch}%)")  # 70.00%（力争目标58.33%）


def with_stretch(completion: str, stretch: Decimal | None, lang: str | None = None) -> str:
    """A completion as shown (`70.00%`) with, for a 确保X、力争Y pledge, the completion of its
    stretch figure: `70.00% (stretch 58.33%)`, `70.00%（力争目标58.33%）`; as it is without one."""
    if stretch is None:
        return completion
    return in_language(lang or None, STRETCH_WORDS).format(
        completion=completion, stretch=printed(stretch))


def with_unit(value: Decimal | None, unit: str) -> str:
    return number(value) + (f" {visible(unit)}" if unit and value is not None else "")


def lag_cell(figures: Figures, separator: str = "\n") -> str:
    """Lag in points, then in days: `+16.3 pt` and `+59 d`."""
    if figures.lag is None:
        return "—"
    days = f"{separator}{figures.lag_days:+d} " + _("d") if figures.lag_days is not None else ""
    return lag_points(figures) + days


def lag_points(figures: Figures) -> str:
    """Lag in points: `+16.3 pt`."""
    return f"{signed(printed_lag(figures))} " + _("pt")


WORKSPACE_ROOT = N_("(workspace root)")  # the folder of the targets in no plan's folder: （工作区根目录）


def group_name(group: str, lang: str | None = None) -> str:
    """A folder as every output names it, the workspace root by the catalogue's name, in `lang`
    (default: the interface's); not yet made visible."""
    return group or in_language(lang or None, WORKSPACE_ROOT)


def group_label(group: str, plans: dict[str, Plan] | None, lang: str | None = None) -> str:
    """A folder's name (group_name), with its plan's title when it has a plan.toml."""
    plan = (plans or {}).get(group)
    return visible(group_name(group, lang) + (f" — {plan.title}" if plan else ""))


# What an XML document (Word, Excel) cannot hold: the C0 controls but tab, line feed and carriage
# return, lone surrogates, and U+FFFE/U+FFFF. lxml and openpyxl raise on them; a document shows
# them as the escapes the terminal shows. Compiled when a document is first written: compiling it
# (the surrogates make a large set) took 0.4 ms of every start, `add`'s too.
@cache
def _not_xml() -> re.Pattern:
    return re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` as a Word or Excel document can hold it: characters XML forbids as \\x.. escapes."""
    return _not_xml().sub(lambda match: _escape(match.group()), text)
