"""How figures and untrusted text look to a person: number style, units, bars, escapes. One place for display precision."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from kpitrack.compute import Figures
from kpitrack.model import Kind, Plan, Target


INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}  # control and format characters: escapes, RTL overrides, zero-width


def visible(text: str, multiline: bool = False) -> str:
    """Untrusted text made safe to print: control and invisible characters shown as \\x.. escapes
    (line breaks and tabs kept where the text may span lines)."""
    if text.isprintable():  # no control, format or separator character (but space): nothing to escape
        return text
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
    """An entry's figure as shown: a number, or done / not done for a milestone."""
    if entry.done is not None:
        return "done" if entry.done else "not done"
    return number(entry.value)


def bar(completion: Decimal, width: int = 10) -> str:
    """A bar that reads without colour: █ for done, · for the rest."""
    filled = int(max(Decimal(0), min(completion, Decimal(100))) * width / 100)
    return "█" * filled + "·" * (width - filled)


def progress_cell(target: Target, figures: Figures) -> str:
    """`650 / 1,200 家`; `— / 1,200 家` while nothing is recorded, so that no data is not read as no progress."""
    if target.kind is Kind.MILESTONE:
        return "done" if figures.current else "not done"
    current = number(figures.current) if figures.last_update else "—"
    return f"{current} / {with_unit(target.target, target.unit)}"


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
