"""One target on the terminal: its definition, figures, burn-up chart and entries."""

from __future__ import annotations

from decimal import Decimal

from kpitrack.reports.build import Figures, chart_series, figure_on, known_entries, planned_on, latest, own_plan, qualifier_terms
from kpitrack.words.display import (printed, shown, group_name, bar, done_cell, entry_value, lag_cell, number, percent, progress_cell, target_value,
                              title_of, verdict_text, visible, with_unit)
from kpitrack.formats.terminal import STATUS_STYLES, status_text
from kpitrack.words.i18n import _, language, ngettext, pgettext
from kpitrack.reports.report import lag_sentence
from kpitrack.words.axes import axis_range
from kpitrack.domain.applies import applies
from kpitrack.domain.model import Kind, Target


def definition_rows(target: Target) -> list[tuple[str, str]]:
    """What a target's file defines, as (label, value) in the interface's language: `show` prints
    them, the site's target page lists them. The values are the file's text, not yet made visible."""
    rows = [
        (_("ID"), target.id), (_("Title"), title_of(target)), (_("Group"), group_name(target.group)),
        (_("Kind"), _(target.kind.value) + (_(", ") + _(target.direction.value) if applies(target.kind, "direction") else "")
         + (_(", ") + _("stretch (力争)") if target.stretch else "")),
        (_("Period"), _("{start} to {due}").format(start=target.start.isoformat(), due=target.due.isoformat())),
    ]
    if target.kind is Kind.GROWTH:
        rows.append((pgettext("show", "Target"), _("growth of {target} {unit} (year-to-date, 累计同比)").format(
            target=target_value(target), unit=target.unit)))
    elif target.kind not in (Kind.MILESTONE, Kind.INDICATOR):
        rows.append((pgettext("show", "Target"), _("{target} {unit} from baseline {baseline}").format(
            target=target_value(target), unit=target.unit, baseline=number(target.baseline))))
    if target.qualifier is not None:
        _qualifier, tolerance = qualifier_terms(target)
        rows.append((_("Qualifier"), _(target.qualifier.value) + (
            _(", tolerance {tolerance}").format(tolerance=number(tolerance)) if tolerance is not None else "")))
    if target.stretch_target is not None:
        rows.append((_("Stretch (力争)"), f"{number(target.stretch_target)} {target.unit}"))
    rows += [(label, value) for label, value in ((_("Owner"), target.owner), (_("Co-units"), "、".join(target.co_owners)),
                                                 (_("Source"), target.source),
                                                 (_("Tags"), ", ".join(target.tags))) if value]
    rows += [(_("Checkpoint"), f"{cp.date.isoformat()}: {number(cp.value)}") for cp in target.checkpoints]
    if target.parts:
        rows.append((_("Parts"), ", ".join(target.parts) + ("" if target.entries else _(" (its figure is their sum)"))))
    return rows


def show_renderables(target: Target, figures: Figures, others: dict[str, Target] | None = None,
                     last: int | None = 20) -> list:
    """The definition, the figures, the chart and the `last` entries of one target (None: all)."""
    from rich.table import Table
    from rich.text import Text

    definition = Table.grid(padding=(0, 2))
    definition.add_column(style="bold", no_wrap=True)
    definition.add_column()
    for label, value in definition_rows(target):
        definition.add_row(label, Text(visible(value)))

    result = Table.grid(padding=(0, 2))
    result.add_column(style="bold", no_wrap=True)
    result.add_column()
    rows = [(_("As of"), figures.as_of.isoformat()), (_("Current"), progress_cell(target, figures))]
    seen = shown(figures)  # before its start: no completion, plan or lag, as in status (`—`)
    if applies(target.kind, "completion"):
        rows.append((_("Completion"), f"{bar(seen.completion, 20)} {percent(seen.completion)}"))
    elif figures.gap is not None:
        rows.append((_("Difference"), _("{gap} (percentage points, reading - target)").format(gap=done_cell(figures))))
    if target.kind in (Kind.INDICATOR, Kind.GROWTH) and figures.last_update:
        rows.append((_("Reading of"), figures.last_update.isoformat()))
    if figures.change is not None and target.kind is not Kind.CUMULATIVE:
        rows.append((_("Change"), _("{change} since the previous reading").format(change=f"{figures.change:+}")))
    if figures.stretch_completion is not None:
        rows.append((_("Stretch completion"), _("{completion}% (of {stretch})").format(
            completion=printed(figures.stretch_completion), stretch=number(target.stretch_target))))
    if seen.planned is not None:
        rows += [(_("Planned"), percent(seen.planned))]
        if own_plan(target, figures):
            rows.append((_("Of the plan to date"), percent(figures.plan_completion)))
        rows.append((_("Lag"), lag_cell(figures, ", ") + "  (positive = behind the calendar)" if language() == "en"
                     else lag_sentence(figures) or "—"))  # in Chinese, the offices' own sentence
    if figures.planned is not None:  # before its start too: what the year will need
        rows += [(_("Projected at due"), with_unit(figures.projected, target.unit)),
                 (_("Required per month"), with_unit(figures.required_per_month, target.unit))]
    if applies(target.kind, "schedule"):
        rows.append((_("Schedule"), _(figures.schedule)))
    for label, value in rows:
        result.add_row(label, Text(value))  # Text: a unit like "[/]" is not markup
    result.add_row(_("Status"), status_text(figures, _(", "), target))
    if figures.verdict is not None:
        result.add_row(_("Verdict"), Text(verdict_text(figures)))

    listed, count, later = latest(target, last, figures.as_of)
    earlier = count - len(listed)
    entries = Table(title=_("Progress entries"), title_justify="left", header_style="bold")
    for name, justify in ((_("Date"), "left"), (_("Value"), "right"), (_("Total"), "left"), (_("Note"), "left"),
                          (_("Source"), "left")):
        entries.add_column(name, justify=justify)
    for entry in listed:
        entries.add_row(entry.date.isoformat(), entry_value(entry), _("yes") if entry.total else "",
                        Text(visible(entry.note or "", multiline=True)), Text(visible(entry.source or "")))
    if not listed:
        entries.add_row("—", "", "", _("no entries yet"), "")
    if applies(target.kind, "burnup"):
        chart = [burnup_chart(target, figures, others=others), ""]
    elif applies(target.kind, "readings") and known_entries(target, figures):
        chart = [readings_chart(target, figures), ""]
    else:
        chart = []
    more = [Text(ngettext("and {count} earlier entry: `show --all` lists every one",
                          "and {count} earlier entries: `show --all` lists every one", earlier).format(
        count=f"{earlier:,}"), style="dim")] if earlier else []
    more += [Text(ngettext("{count} entry dated after {date} is not shown: it counts from its day",
                           "{count} entries dated after {date} are not shown: they count from their days", later).format(
        count=f"{later:,}", date=figures.as_of.isoformat()), style="dim")] if later else []
    return [definition, "", result, "", *chart, entries, *more]


def burnup_chart(target: Target, figures: Figures, width: int = 60, height: int = 10,
                 others: dict[str, Target] | None = None):
    """The chart series (as the page draws it) in text: the planned path (·) and the actual figure
    (█) from start to due, with a │ just after the as-of day: readable without colour, since each
    is its own character. The as-of day's column shows the figure as of that day, an entry dated on
    it included; the marker never hides it."""
    series = chart_series(target, figures, others)
    days = _column_days(series, width)
    planned = [planned_on(series.planned, day) for day in days]
    low, high = axis_range([value for _, value in series.actual] + [value for value in planned if value is not None]
                            + [series.target])
    row_of = _rows(low, high, height)
    today = next((index for index, day in enumerate(days) if day >= figures.as_of), width - 1)
    grid = [[(" ", "") for _ in range(width + 1)] for _ in range(height)]
    for row in range(height):
        grid[row][today + 1] = ("│", "yellow")
    for column, day in enumerate(days):
        if planned[column] is not None:
            grid[row_of(planned[column])][column] = ("·", "dim")
        actual = figure_on(series.actual, min(day, figures.as_of)) if column <= today else None
        if actual is not None and actual > low:
            for row in range(row_of(actual) + 1):
                grid[row][column] = ("█", STATUS_STYLES[figures.status])
    return _drawn(grid, low, high, width, (series.start, series.end),
                  _("█ actual  · plan  │ {as_of}").format(as_of=figures.as_of.isoformat()), target.unit)


def readings_chart(target: Target, figures: Figures, width: int = 60, height: int = 8):
    """An indicator's or growth rate's readings (•) from start to due, on the days they were
    reported, with a growth rate's flat target (·): a rate is never prorated."""
    series = chart_series(target, figures)
    readings = [(day, value) for index, (day, value) in enumerate(series.actual)
                if index == 0 or value != series.actual[index - 1][1]]  # the as-of point repeats the last
    bar_line = series.target
    low, high = axis_range([value for _, value in readings] + ([bar_line] if bar_line is not None else []))
    row_of = _rows(low, high, height)
    span = max((series.end - series.start).days, 1)
    grid = [[(" ", "") for _ in range(width)] for _ in range(height)]
    if bar_line is not None:
        for column in range(width):
            grid[row_of(bar_line)][column] = ("·", "dim")
    for day, value in readings:
        column = min(max((day - series.start).days * (width - 1) // span, 0), width - 1)
        grid[row_of(value)][column] = ("•", STATUS_STYLES[figures.status])
    return _drawn(grid, low, high, width, (series.start, series.end),
                  _("• reading  · target") if bar_line is not None else _("• reading"), target.unit)


def _column_days(series, width: int) -> list:
    from datetime import timedelta

    span = (series.end - series.start).days
    return [series.start + timedelta(days=round(span * index / max(width - 1, 1))) for index in range(width)]


def _rows(low: Decimal, high: Decimal, height: int):
    scale = (high - low) or Decimal(1)
    return lambda value: int((value - low) / scale * (height - 1) + Decimal("0.5"))


def _drawn(grid, low: Decimal, high: Decimal, width: int, span: tuple, legend: str, unit: str | None):
    """The grid of a chart as text: the highest and lowest figures labelled on the left edge, the
    first and last dates under it, then the legend (and the unit)."""
    from rich.text import Text

    label_width = max(len(number(high)), len(number(low)))
    chart = Text()
    for row in range(len(grid) - 1, -1, -1):
        label = number(high) if row == len(grid) - 1 else number(low) if row == 0 else ""
        chart.append(label.rjust(label_width) + " ┤")
        for character, style in grid[row]:
            chart.append(character, style=style or None)
        chart.append("\n")
    start, end = span[0].isoformat(), span[1].isoformat()
    chart.append(" " * (label_width + 2) + start + end.rjust(width - len(start)) + "\n")
    chart.append(" " * (label_width + 2) + legend + (f"  ({visible(unit)})" if unit else ""))
    return chart
