"""How figures and untrusted text look to a person: number style, units, bars, escapes. One place for display precision."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from kpitrack.compute import Figures
from kpitrack.i18n import _, in_language, language
from kpitrack.model import Kind, Plan, Status, Target


def N_(message: str) -> str:
    """Marks a message for the catalogue; translated where it is shown."""
    return message


# The status words as shown: the codes in English, the offices' words in Chinese (see the .po).
STATUS_WORDS = {Status.NOT_STARTED: N_("not-started"), Status.DONE: N_("done"), Status.ON_TRACK: N_("on-track"),
                Status.AT_RISK: N_("at-risk"), Status.BEHIND: N_("behind"), Status.OVERDUE: N_("overdue"),
                Status.NO_DATA: N_("no-data")}
LIGHTS = {Status.ON_TRACK: N_("green"), Status.AT_RISK: N_("yellow"), Status.BEHIND: N_("red")}
LIGHT_STYLES = {Status.DONE: "bold green", Status.ON_TRACK: "green", Status.AT_RISK: "yellow",
                Status.BEHIND: "red", Status.OVERDUE: "bold red", Status.NOT_STARTED: "dim", Status.NO_DATA: "magenta"}
STALE = N_("stale")
# Words shown through `_()` from a value rather than a literal: kinds, directions, schedules.
SHOWN_VALUES = (N_("cumulative"), N_("level"), N_("milestone"), N_("increase"), N_("decrease"),
                N_("daily"), N_("monthly"), N_("quarterly"), N_("none"))


def status_word(status: Status) -> str:
    return _(STATUS_WORDS[status])


def light_word(status: Status) -> str | None:
    """绿灯 / 黄灯 / 红灯 (green / yellow / red) for the three bands; None for the other statuses."""
    return _(LIGHTS[status]) if status in LIGHTS else None


def done_word(target: Target, figures: Figures) -> str:
    """A done target in words: over its figure (超额完成), done before due (提前完成), or done."""
    if figures.completion is not None and figures.completion > 100:
        return _("exceeded")
    if figures.last_update is not None and figures.last_update < target.due:
        return _("done early")
    return _("done")


def typed_status(word: str) -> str | None:
    """The status code (or "stale") a typed word names, in either language: `behind`, `严重滞后`,
    `红灯`; None for a word that names none."""
    word = word.strip()
    for status, message in STATUS_WORDS.items():
        if word in (status.value, in_language("zh", message)):
            return status.value
    for status, message in LIGHTS.items():
        if word in (message, in_language("zh", message)):
            return status.value
    return "stale" if word in (STALE, in_language("zh", STALE)) else None


def title_of(target: Target) -> str:
    """The title in the interface's language: `title_en` in English when given, else `title`."""
    return target.title_en if language() == "en" and target.title_en else target.title


def percent(value: Decimal | None, shown: bool = True) -> str:
    """`79.17%`, or `—` when there is no figure (not started, no data, no plan)."""
    return f"{value}%" if value is not None and shown else "—"


def difference(figures: Figures) -> str:
    """Completion minus plan, signed: `+7.33` ahead of the calendar, `-49.73` below it; `—` without one."""
    if figures.lag is None or figures.status is Status.NOT_STARTED:
        return "—"
    ahead = -figures.lag
    return f"{ahead.copy_abs() if ahead.is_zero() else ahead:+}"


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
    """An entry's figure as shown: a number, or done / not done for a milestone."""
    if entry.done is not None:
        return _("done") if entry.done else _("not done")
    return number(entry.value)


def bar(completion: Decimal | None, width: int = 10) -> str:
    """A bar that reads without colour: █ for done, · for the rest."""
    completion = completion or Decimal(0)
    filled = int(max(Decimal(0), min(completion, Decimal(100))) * width / 100)
    return "█" * filled + "·" * (width - filled)


def progress_cell(target: Target, figures: Figures) -> str:
    """`650 / 1,200 家`; `— / 1,200 家` while nothing is recorded, so that no data is not read as no progress."""
    if target.kind is Kind.MILESTONE:
        return _("done") if figures.current else _("not done")
    current = number(figures.current) if figures.last_update else "—"
    return f"{current} / {with_unit(target.target, target.unit)}"


def with_unit(value: Decimal | None, unit: str) -> str:
    return number(value) + (f" {visible(unit)}" if unit and value is not None else "")


def lag_cell(figures: Figures, separator: str = "\n") -> str:
    """Lag in points, then in days: `+16.3 pt` and `+59 d`."""
    if figures.lag is None:
        return "—"
    days = f"{separator}{figures.lag_days:+d} " + _("d") if figures.lag_days is not None else ""
    return f"{figures.lag:+} " + _("pt") + days


def group_label(group: str, plans: dict[str, Plan] | None) -> str:
    """A folder's name, with its plan's title when it has a plan.toml."""
    plan = (plans or {}).get(group)
    return visible((group or _("(workspace root)")) + (f" — {plan.title}" if plan else ""))
