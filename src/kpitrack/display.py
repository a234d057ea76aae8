"""How figures and untrusted text look to a person: number style, units, bars, escapes. One place for display precision."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from kpitrack.compute import Figures, latest_qualifier
from kpitrack.model import Kind, Plan, Qualifier, ReadingQualifier, Target

TARGET_MARKS = {Qualifier.OVER: "超", Qualifier.AT_LEAST: "≥", Qualifier.ABOUT: "约", Qualifier.AT_MOST: "≤"}
READING_MARKS = {ReadingQualifier.NEARLY: "近", ReadingQualifier.OVER: "超", ReadingQualifier.ABOUT: "约"}
ESTIMATE_MARK = " (est.)"


INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}  # control and format characters: escapes, RTL overrides, zero-width


def visible(text: str, multiline: bool = False) -> str:
    """Untrusted text made safe to print: control and invisible characters shown as \\x.. escapes
    (line breaks and tabs kept where the text may span lines)."""
    kept = "\n\t" if multiline else ""
    return "".join(
        character if unicodedata.category(character) not in INVISIBLE or character in kept
        else _escape(character)
        for character in text
    )


def _escape(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value:,f}"


def entry_value(entry) -> str:
    """An entry's figure as shown: a number (近, 超 or 约 before a bound, `(est.)` after an
    estimate), or done / not done for a milestone."""
    if entry.done is not None:
        return ("done" if entry.done else "not done") + (ESTIMATE_MARK if entry.estimate else "")
    mark = READING_MARKS[entry.qualifier] if entry.qualifier else ""
    return mark + number(entry.value) + (ESTIMATE_MARK if entry.estimate else "")


def target_value(target: Target, value=None) -> str:
    """The target as the report words it: 超5,000, ≥120, 约410, ≤…; no mark without a qualifier."""
    mark = TARGET_MARKS[target.qualifier] if target.qualifier else ""
    return mark + number(target.target if value is None else value)


def bar(completion: Decimal, width: int = 10) -> str:
    """A bar that reads without colour: █ for done, · for the rest."""
    filled = int(max(Decimal(0), min(completion, Decimal(100))) * width / 100)
    return "█" * filled + "·" * (width - filled)


def progress_cell(target: Target, figures: Figures) -> str:
    """`650 / 1,200 家`; `— / 1,200 家` while nothing is recorded, so that no data is not read as no progress."""
    if target.kind is Kind.MILESTONE:
        return ("done" if figures.current else "not done") + (ESTIMATE_MARK if figures.estimate else "")
    current = "—"
    if figures.last_update:
        reading = latest_qualifier(target, figures.as_of)
        current = ((READING_MARKS[reading] if reading else "") + number(figures.current)
                   + (ESTIMATE_MARK if figures.estimate else ""))
    if target.kind is Kind.INDICATOR:
        return current + (f" {visible(target.unit)}" if target.unit and figures.last_update else "")
    return f"{current} / {target_value(target)}" + (f" {visible(target.unit)}" if target.unit else "")


def done_cell(figures: Figures) -> str:
    """Completion in per cent; for a growth rate the gap to the target in points; for an
    indicator the change since the previous reading."""
    if figures.completion is not None:
        return f"{figures.completion}%"
    if figures.gap is not None:
        return f"{figures.gap:+} pt"
    if figures.change is not None:
        return f"Δ{figures.change:+}"
    return "—"


def verdict_text(figures: Figures) -> str:
    """`done-early on 2024-10-31, exceeded: 143.20%`, or "" before there is a verdict."""
    if figures.verdict is None:
        return ""
    text = figures.verdict.value + (f" on {figures.done_on.isoformat()}" if figures.done_on else "")
    if figures.exceeded_points is not None and figures.exceeded_points > 0:
        text += f", exceeded: {figures.completion}%"
    elif figures.exceeded_by is not None and figures.exceeded_by > 0 and figures.completion is None:
        text += f", exceeded by {figures.exceeded_by:+} pt"
    return text


def with_unit(value: Decimal | None, unit: str) -> str:
    return number(value) + (f" {visible(unit)}" if unit and value is not None else "")


def lag_cell(figures: Figures, separator: str = "\n") -> str:
    """Lag in points, then in days: `+16.3 pt` and `+59 d`."""
    if figures.lag is None:
        return "—"
    days = f"{separator}{figures.lag_days:+d} d" if figures.lag_days is not None else ""
    return f"{figures.lag:+} pt{days}"


def group_label(group: str, plans: dict[str, Plan] | None) -> str:
    """A folder's name, with its plan's title when it has a plan.toml."""
    plan = (plans or {}).get(group)
    return visible((group or "(workspace root)") + (f" — {plan.title}" if plan else ""))
