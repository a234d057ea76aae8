"""One target on the terminal: its definition, figures, burn-up chart and entries."""

from __future__ import annotations

from decimal import Decimal
from operator import attrgetter

from kpitrack.compute import Figures, burnup_series
from kpitrack.display import bar, entry_value, lag_cell, number, progress_cell, visible, with_unit
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
        ("Kind", f"{target.kind.value}, {target.direction.value}" + (", stretch (力争)" if target.stretch else "")),
        ("Period", f"{target.start.isoformat()} to {target.due.isoformat()}"),
    ]
    if target.kind is not Kind.MILESTONE:
        rows.append(("Target", f"{number(target.target)} {target.unit} from baseline {number(target.baseline)}"))
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
    rows = [("As of", figures.as_of.isoformat()), ("Current", progress_cell(target, figures)),
            ("Completion", f"{bar(figures.completion, 20)} {figures.completion}%")]
    if figures.planned is not None:
        rows += [("Planned", f"{figures.planned}%"),
                 ("Lag", lag_cell(figures, ", ") + "  (positive = behind the calendar)"),
                 ("Projected at due", with_unit(figures.projected, target.unit)),
                 ("Required per month", with_unit(figures.required_per_month, target.unit))]
    for label, value in rows:
        result.add_row(label, Text(value))  # Text: a unit like "[/]" is not markup
    result.add_row("Status", status_text(figures, ", "))

    shown = sorted(target.entries, key=attrgetter("date"))
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
    chart = [burnup_chart(target, figures, others=others), ""] if target.kind is not Kind.MILESTONE else []
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
