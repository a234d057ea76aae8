"""The words of a page, a workbook or a document, by the name a template or a format uses for
them: names for messages of the one gettext catalogue (locale/zh/LC_MESSAGES/kpitrack.po), not a
second word table, so that the page, the ledger, the document and the Markdown report read the same
sentence the same way. The language is the page's own (a ledger may be Chinese under an English
interface), hence a translation per call rather than the interface's."""

from __future__ import annotations

from functools import lru_cache

from kpitrack.words.display import LIGHT_NAMES, STALE, STATUS_WORDS, VERDICT_WORDS, N_
from kpitrack.words.i18n import DOMAIN, LOCALE_DIR

def pgettext(context: str, message: str) -> tuple[str, str]:
    """A marker, not a translation: `message` in `context` (extracted like gettext's pgettext)."""
    return context, message


# The ledger's column headers are the office's form (单位, 更新日期, 截至日期), read back by `import`:
# they keep their own context where the terminal says 计量单位, 最近报送, 截至.
LABELS: dict[str, str | tuple[str, str]] = {
    "number": N_("No."), "id": N_("ID"), "title": N_("Target"), "owner": N_("Responsible unit"),
    "unit": pgettext("ledger", "Unit"), "target": N_("Target value"), "current": N_("Completed to date"),
    "completion": N_("Completion"), "stretch_completion": N_("Stretch completion"), "planned": N_("Time-elapsed progress"), "lag": N_("Progress gap"),
    "status": N_("Status"), "last_update": pgettext("ledger", "Updated"), "as_of": pgettext("ledger", "As of"), "grey": N_("no light"),
    "report_as_of": N_("Progress report as of {date}"), "attention": N_("Needing attention"),
    "plan": N_("plan"), "actual": N_("actual"), "target_line": N_("target"),
    "needs": N_("needs {pace} a month to finish by {due}"), "entries": N_("Progress entries"),
    "date": N_("Date"), "value": N_("Value"), "total": N_("Running total"), "note": N_("Note"),
    "source": N_("Source"), "no_entries": N_("no entries yet"), "yes": N_("yes"),
    "completion_vs_planned": N_("Completion against time-elapsed progress (%)"),
    "plan_completion": N_("of the plan to date"),
    "generated": N_("Made by kpitrack; print to PDF from the browser for the filed copy."),
    "stale": STALE,
    "co_owners": N_("Co-units"), "reading": N_("Reading"), "fill": N_("What to fill in"), "period": N_("This period"),
    "fill_running": N_("the running total to date in Completed to date"),
    "fill_reading": N_("the reading (a growth rate as a number: 5.9) in Reading"),
    "fill_done": N_("once done, done in Reading"), "fill_nothing": N_("nothing: summed from its parts"),
    "fill_node": N_("once node \"{node}\" is done, done in Reading (another node: done: its name)"),
    "period_month": N_("{year}-{month2}"), "period_quarter": N_("{year} Q{quarter}"),
    "period_year": pgettext("period", "{year}"), "period_days": N_("{first} to {last}"),
    **{status.value: message for status, message in STATUS_WORDS.items()},
    **{verdict.value: message for verdict, message in VERDICT_WORDS.items()},
    **{message: message for message in LIGHT_NAMES.values()},
}


@lru_cache(maxsize=None)
def _translation(lang: str):
    import gettext

    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def word(key: str, lang: str = "en", **values: str) -> str:
    """The catalogue's sentence named `key`, in `lang`, with `values` filled in."""
    label = LABELS[key]
    translation = _translation(lang)
    text = translation.pgettext(*label) if isinstance(label, tuple) else translation.gettext(label)
    return text.format(**values) if values else text


def report_as_of(as_of, lang: str = "en") -> str:
    """The heading of a page, a document or a slide: `Progress report as of 2025-08-31`, `进度报告（截至2025年8月31日）`."""
    from kpitrack.words.display import date_words

    return word("report_as_of", lang, date=date_words(as_of, lang))


def count_words(count: int, lang: str = "en") -> str:
    """`14 targets`, `共 14 个指标`: the count above a table, as every format gives it."""
    return _translation(lang).ngettext("{count} target", "{count} targets", count).format(count=count)


def period_words(period, lang: str = "en") -> str:
    """The period being collected (domain.periods.Period) in words: 2025年7月, 2025年第3季度; July 2025 is 2025-07."""
    first = period.first
    if period.cadence == "monthly":
        return word("period_month", lang, year=str(first.year), month=str(first.month), month2=f"{first.month:02d}")
    if period.cadence == "quarterly":
        return word("period_quarter", lang, year=str(first.year), quarter=str((first.month - 1) // 3 + 1))
    if period.cadence == "yearly":
        return word("period_year", lang, year=str(first.year))
    return word("period_days", lang, first=first.isoformat(), last=period.last.isoformat())


def in_period_words(day, words: str) -> bool:
    """Whether `day` lies in the period a ledger's 本期 cell names (as period_words wrote it, in
    either language): the date a returned figure is for, held against the period being collected."""
    from datetime import date

    from kpitrack.domain.periods import period_containing

    for lang in ("zh", "en"):
        for cadence in ("monthly", "quarterly", "yearly", "weekly"):
            if period_words(period_containing(day, cadence), lang) == words:
                return True
    for between in ("至", " to "):  # a number of days: first to last
        if between in words:
            try:
                first, last = (date.fromisoformat(part.strip()) for part in words.split(between, 1))
            except ValueError:
                return True  # not a period this tool wrote: nothing to hold the date against
            return first <= day <= last
    return False
