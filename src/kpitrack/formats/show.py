"""One target on the terminal: its definition, figures, burn-up chart and entries."""

from __future__ import annotations

from decimal import Decimal

from kpitrack.compute import Figures, burnup_series, entries_as_of
from kpitrack.display import (bar, done_cell, entry_value, lag_cell, number, progress_cell, target_value, verdict_text,
                              visible, with_unit)
from kpitrack.qualifiers import qualifier_of, tolerance_of
from kpitrack.formats.terminal import STATUS_STYLES, status_text
from kpitrack.model import Kind, Target


def show_renderables(target: Target, figures: Figures, others: dict[str, Target] | None = None,
                     last: int | None = 20) -> list:
    """The definition, the figures, the chart and the `last` entries of one target (None: all)."""
    from rich.table import Table
    from rich.text import Text

    definition = Table.grid(padding=(0, 2))
    definition.add_column(style="bold", no_wrap=True)
    definition.add_column()
    rows = [
        ("ID", target.id), ("Title", target.title), ("Group", target.group or "(root)"),
        ("Kind", target.kind.value + (f", {target.direction.value}" if target.kind is not Kind.INDICATOR else "")
         + (", stretch (力争)" if target.stretch else "")),
        ("Period", f"{target.start.isoformat()} to {target.due.isoformat()}"),
    ]
    if target.kind is Kind.GROWTH:
        rows.append(("Target", f"growth of {target_value(target)} {target.unit} (year-to-date, 累计同比)"))
    elif target.kind not in (Kind.MILESTONE, Kind.INDICATOR):
        rows.append(("Target", f"{target_value(target)} {target.unit} from baseline {number(target.baseline)}"))
    if target.qualifier is not None:
        about = qualifier_of(target).value == "about"
        rows.append(("Qualifier", target.qualifier.value + (f", tolerance {number(tolerance_of(target))}"
                                                            if about else "")))
    if target.stretch_target is not None:
        rows.append(("Stretch (力争)", f"{number(target.stretch_target)} {target.unit}"))
    rows += [(label, value) for label, value in (("Owner", target.owner), ("Source", target.source),
                                                 ("Tags", ", ".join(target.tags))) if value]
    rows += [("Checkpoint", f"{cp.date.isoformat()}: {number(cp.value)}") for cp in target.checkpoints]
    if target.parts:
        rows.append(("Parts", ", ".join(target.parts) + ("" if target.entries else " (its figure is their sum)")))
    for label, value in rows:
        definition.add_row(label, Text(visible(value)))

    result = Table.grid(padding=(0, 2))
    result.add_column(style="bold", no_wrap=True)
    result.add_column()
    rows = [("As of", figures.as_of.isoformat()), ("Current", progress_cell(target, figures))]
    if figures.completion is not None:
        rows.append(("Completion", f"{bar(figures.completion, 20)} {figures.completion}%"))
    elif figures.gap is not None:
        rows.append(("Difference", f"{done_cell(figures)} (percentage points, reading - target)"))
    if target.kind in (Kind.INDICATOR, Kind.GROWTH) and figures.last_update:
        rows.append(("Reading of", figures.last_update.isoformat()))
    if figures.change is not None and target.kind is not Kind.CUMULATIVE:
        rows.append(("Change", f"{figures.change:+} since the previous reading"))
    if figures.stretch_completion is not None:
        rows.append(("Stretch completion", f"{figures.stretch_completion}% of {number(target.stretch_target)}"))
    if figures.planned is not None:
        rows += [("Planned", f"{figures.planned}%"),
                 ("Lag", lag_cell(figures, ", ") + "  (positive = behind the calendar)"),
                 ("Projected at due", with_unit(figures.projected, target.unit)),
                 ("Required per month", with_unit(figures.required_per_month, target.unit))]
    for label, value in rows:
        result.add_row(label, Text(value))  # Text: a unit like "[/]" is not markup
    result.add_row("Status", status_text(figures, ", "))
    if figures.verdict is not None:
        result.add_row("Verdict", Text(verdict_text(figures)))

    shown = sorted(target.entries, key=lambda entry: entry.date)
    earlier = len(shown) - last if last is not None and len(shown) > last else 0
    entries = Table(title="Progress entries", title_justify="left", header_style="bold")
    for name, justify in (("Date", "left"), ("Value", "right"), ("Total", "left"), ("Note", "left"),
                          ("Source", "left")):
        entries.add_column(name, justify=justify)
    for entry in shown[earlier:]:
        entries.add_row(entry.date.isoformat(), entry_value(entry), "yes" if entry.total else "",
                        Text(visible(entry.note or "", multiline=True)), Text(visible(entry.source or "")))
    if not target.entries:
        entries.add_row("—", "", "", "no entries yet", "")
    if target.kind in (Kind.CUMULATIVE, Kind.LEVEL):
        chart = [burnup_chart(target, figures, others=others), ""]
    elif target.kind in (Kind.INDICATOR, Kind.GROWTH) and entries_as_of(target, figures.as_of):
        chart = [readings_chart(target, figures), ""]
    else:
        chart = []
    more = [Text(f"and {earlier:,} earlier entries: `show --all` lists every one", style="dim")] if earlier else []
    return [definition, "", result, "", *chart, entries, *more]


def burnup_chart(target: Target, figures: Figures, width: int = 60, height: int = 10,
                 others: dict[str, Target] | None = None):
    """The planned path (·) and the actual figure (█) from start to due, with a │ on the as-of
    day: readable without colour, since each is its own character."""
    from rich.text import Text

    series = burnup_series(target, figures.as_of, width, others)
    values = [value for _, planned, actual in series for value in (planned, actual)] + [target.target]
    low, high = min(values), max(values)
    scale = (high - low) or Decimal(1)

    def row_of(value: Decimal) -> int:
        return int((value - low) / scale * (height - 1) + Decimal("0.5"))

    today = next((index for index, (day, _, _) in enumerate(series) if day >= figures.as_of), width - 1)
    grid = [[(" ", "") for _ in range(width)] for _ in range(height)]
    for column, (day, planned, actual) in enumerate(series):
        if column == today:
            for row in range(height):
                grid[row][column] = ("│", "yellow")
        grid[row_of(planned)][column] = ("·", "dim")
        if day <= figures.as_of and actual > low:
            for row in range(row_of(actual) + 1):
                grid[row][column] = ("█", STATUS_STYLES[figures.status])
    label_width = max(len(number(high)), len(number(low)))
    chart = Text()
    for row in range(height - 1, -1, -1):
        label = number(high) if row == height - 1 else number(low) if row == 0 else ""
        chart.append(label.rjust(label_width) + " ┤")
        for character, style in grid[row]:
            chart.append(character, style=style or None)
        chart.append("\n")
    start, end = series[0][0].isoformat(), series[-1][0].isoformat()
    chart.append(" " * (label_width + 2) + start + end.rjust(width - len(start)) + "\n")
    chart.append(" " * (label_width + 2) + f"█ actual  · plan  │ {figures.as_of.isoformat()}"
                 + (f"  ({visible(target.unit)})" if target.unit else ""))
    return chart


def readings_chart(target: Target, figures: Figures, width: int = 60, height: int = 8):
    """An indicator's or growth rate's readings (•) from start to due, with the target (·) of a
    growth rate: a line of readings, since there is no path to burn up."""
    from rich.text import Text

    readings = [(entry.date, entry.value) for entry in entries_as_of(target, figures.as_of)]
    bar_line = target.target if target.kind is Kind.GROWTH else None
    values = [value for _, value in readings] + ([bar_line] if bar_line is not None else [])
    low, high = min(values), max(values)
    scale = (high - low) or Decimal(1)
    first, last = target.start, max(target.due, figures.as_of)
    span = max((last - first).days, 1)

    def row_of(value: Decimal) -> int:
        return int((value - low) / scale * (height - 1) + Decimal("0.5"))

    grid = [[(" ", "") for _ in range(width)] for _ in range(height)]
    if bar_line is not None:
        for column in range(width):
            grid[row_of(bar_line)][column] = ("·", "dim")
    for day, value in readings:
        column = min(max((day - first).days * (width - 1) // span, 0), width - 1)
        grid[row_of(value)][column] = ("•", STATUS_STYLES[figures.status])
    label_width = max(len(number(high)), len(number(low)))
    chart = Text()
    for row in range(height - 1, -1, -1):
        label = number(high) if row == height - 1 else number(low) if row == 0 else ""
        chart.append(label.rjust(label_width) + " ┤")
        for character, style in grid[row]:
            chart.append(character, style=style or None)
        chart.append("\n")
    start, end = first.isoformat(), last.isoformat()
    chart.append(" " * (label_width + 2) + start + end.rjust(width - len(start)) + "\n")
    chart.append(" " * (label_width + 2) + "• reading" + ("  · target" if bar_line is not None else "")
                 + (f"  ({visible(target.unit)})" if target.unit else ""))
    return chart
