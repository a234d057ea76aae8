"""Output: one row of figures per target, shown as a Rich table, JSON, CSV or Markdown."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import unicodedata
from datetime import date
from decimal import Decimal
from typing import Any, Iterable

from kpitrack.compute import (ATTENTION, Figures, Summary, burnup_series, entries_as_of, is_flagged,
                              summarize, worst_lagging)
from kpitrack.model import Kind, Plan, Status, Target

Item = tuple[Target, Figures]

STATUS_STYLES = {
    Status.DONE: "bold green",
    Status.ON_TRACK: "green",
    Status.AT_RISK: "yellow",
    Status.BEHIND: "red",
    Status.OVERDUE: "bold red",
    Status.NOT_STARTED: "dim",
}

# The documented JSON/CSV fields of a status row, in order.
STATUS_FIELDS = (
    "id", "title", "group", "unit", "kind", "direction", "baseline", "target", "current",
    "completion", "planned", "lag", "lag_days", "projected", "required_per_month", "status",
    "stale", "start", "due", "last_update",
)


def status_row(target: Target, figures: Figures) -> dict[str, Any]:
    """The figures of one target as plain values: Decimals, ints, ISO dates, None for unknowns."""
    milestone = target.kind is Kind.MILESTONE
    return {
        "id": target.id,
        "title": target.title,
        "group": target.group,
        "unit": target.unit,
        "kind": target.kind.value,
        "direction": target.direction.value,
        "baseline": target.baseline,
        "target": target.target,
        "current": figures.current,
        "completion": figures.completion,
        "planned": figures.planned,
        "lag": figures.lag,
        "lag_days": figures.lag_days,
        "projected": None if milestone else figures.projected,
        "required_per_month": figures.required_per_month,
        "status": figures.status.value,
        "stale": figures.stale,
        "start": target.start.isoformat(),
        "due": target.due.isoformat(),
        "last_update": figures.last_update.isoformat() if figures.last_update else None,
    }


# --- JSON ----------------------------------------------------------------------------------


def to_json(value: Any, indent: str = "") -> str:
    """JSON with Decimals written as exact numbers (the json module would need floats)."""
    inner = indent + "  "
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = (f"{inner}{json.dumps(key, ensure_ascii=False)}: {to_json(item, inner)}"
                 for key, item in value.items())
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + to_json(item, inner) for item in value) + f"\n{indent}]"
    if isinstance(value, date):
        return json.dumps(value.isoformat())
    if isinstance(value, str):  # invisible characters as \u escapes: the same string, but seen
        return "".join(_json_escape(character) for character in json.dumps(value, ensure_ascii=False))
    return json.dumps(value, ensure_ascii=False)


def _json_escape(character: str) -> str:
    if unicodedata.category(character) not in _INVISIBLE:
        return character
    return json.dumps(character)[1:-1]  # ensure_ascii escapes it, astral characters as surrogate pairs


def status_json(as_of: date, items: Iterable[Item]) -> str:
    return to_json({"as_of": as_of, "targets": [status_row(*item) for item in items]}) + "\n"


def show_json(target: Target, figures: Figures) -> str:
    document = status_row(target, figures)
    document.update(
        as_of=figures.as_of,
        owner=target.owner,
        source=target.source,
        tags=list(target.tags),
        stretch=target.stretch,
        checkpoints=[{"date": cp.date, "value": cp.value} for cp in target.checkpoints],
        entries=[entry_fields(entry) for entry in target.entries],
    )
    return to_json(document) + "\n"


# --- CSV and Markdown ----------------------------------------------------------------------


def spreadsheet_safe(value: Any) -> str:
    """A CSV cell that a spreadsheet will show, not run: text starting like a formula gets a '."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):  # numbers stay numbers, negative ones included
        return str(value)
    text = visible(str(value))  # tabs and carriage returns become visible escapes first
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def entry_fields(entry) -> dict[str, Any]:
    """One progress entry as plain values, as `show --format json` and `export` give it."""
    return {"date": entry.date, "value": entry.value, "total": entry.total, "done": entry.done,
            "note": entry.note, "source": entry.source}


def to_csv(fields: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> str:
    """A header of `fields`, then a line per row; every cell made spreadsheet-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow(spreadsheet_safe(row[key]) for key in fields)
    return buffer.getvalue()


def status_csv(items: Iterable[Item]) -> str:
    return to_csv(STATUS_FIELDS, (status_row(*item) for item in items))


MARKDOWN_COLUMNS = ("id", "title", "current", "target", "unit", "completion", "planned", "lag",
                    "status", "stale", "due", "last_update")


def status_markdown(as_of: date, items: Iterable[Item]) -> str:
    lines = [f"Status as of {as_of.isoformat()}", "",
             "| " + " | ".join(MARKDOWN_COLUMNS) + " |",
             "|" + "|".join("---" for _ in MARKDOWN_COLUMNS) + "|"]
    for item in items:
        row = status_row(*item)
        cells = (_markdown_cell(row[key]) for key in MARKDOWN_COLUMNS)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _markdown_cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "stale" if value else ""
    text = visible(format(value, "f") if isinstance(value, Decimal) else str(value))
    return re.sub(r"([\\|*_`\[\]<>#])", r"\\\1", text)


# --- terminal ------------------------------------------------------------------------------

_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}  # control and format characters: escapes, RTL overrides, zero-width


def visible(text: str, multiline: bool = False) -> str:
    """Untrusted text made safe to print: control and invisible characters shown as \\x.. escapes
    (line breaks and tabs kept where the text may span lines)."""
    kept = "\n\t" if multiline else ""
    return "".join(
        character if unicodedata.category(character) not in _INVISIBLE or character in kept
        else _escape(character)
        for character in text
    )


def _escape(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def make_console():
    """A Rich console on stdout: colour only on a terminal and without NO_COLOR (Rich checks both);
    100 columns when not a terminal unless COLUMNS says otherwise."""
    from rich.console import Console

    width = 100 if not sys.stdout.isatty() and "COLUMNS" not in os.environ else None
    return Console(file=sys.stdout, width=width, highlight=False, emoji=False)


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


def status_parts(figures: Figures) -> list[tuple[str, str]]:
    """The status and its colour, then `stale` when the latest figure is overdue."""
    return [(figures.status.value, STATUS_STYLES[figures.status])] + ([("stale", "magenta")] if figures.stale else [])


def status_text(figures: Figures, separator: str = "\n"):
    from rich.text import Text

    text = Text()
    for index, (word, style) in enumerate(status_parts(figures)):
        text.append((separator if index else "") + word, style=style)
    return text


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


WIDE = 110  # from this many columns on, the table also shows the date of the last update


def tree_order(items: list[Item]) -> list[tuple[Item, int]]:
    """Items with their depth: each parent followed by its parts (indented), the rest as they come."""
    by_id = {target.id: (target, figures) for target, figures in items}
    part_ids = {part for target, _ in items for part in target.parts if part in by_id}
    ordered: list[tuple[Item, int]] = []
    placed: set[str] = set()

    def place(item: Item, depth: int) -> None:
        if item[0].id in placed:
            return
        placed.add(item[0].id)
        ordered.append((item, depth))
        for part in item[0].parts:
            if part in by_id:
                place(by_id[part], depth + 1)

    for item in items:
        if item[0].id not in part_ids:
            place(item, 0)
    for item in items:  # parts whose parents were filtered out
        place(item, 0)
    return ordered


def group_label(group: str, plans: dict[str, Plan] | None) -> str:
    """A folder's name, with its plan's title when it has a plan.toml."""
    plan = (plans or {}).get(group)
    return visible((group or "(workspace root)") + (f" — {plan.title}" if plan else ""))


# A cell is a list of (line, style) pairs. The status table is laid out here rather than by
# rich.table.Table, which takes about 0.6 ms a row: a second for a thousand targets.
Cell = list[tuple[str, str]]
_WIDE_CHARACTER = re.compile(r"[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60"
                             r"\uffe0-\uffe6\U00020000-\U0003fffd]|\S+?(?=[\u2e80-\ua4cf\uac00-\ud7a3\uff00-\uff60]|\s|$)\s*|\s+")


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` terminal cells: breaking at spaces, or between Chinese characters."""
    from rich.cells import cell_len

    lines, line = [], ""
    for token in _WIDE_CHARACTER.findall(text):
        if line and cell_len(line + token.rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        while cell_len(token.rstrip()) > width:  # a word longer than the column
            cut = max(1, next(i for i in range(len(token), 0, -1) if cell_len(token[:i]) <= width))
            lines.append(token[:cut])
            token = token[cut:]
        line += token
    return [*lines, line.rstrip()] if line.strip() or not lines else lines


def _status_cells(target: Target, figures: Figures, depth: int, width: int) -> list[Cell]:
    indent = "  " * depth + ("└ " if depth else "")
    progress = progress_cell(target, figures)
    if cell_len_of(progress) > (20 if width >= 100 else 14) and " / " in progress:  # current above target
        current, _, rest = progress.partition(" / ")
        progress_lines = [(current + " /", ""), (rest, "")]
    else:
        progress_lines = [(progress, "")]
    cells = [
        [(indent + target.id, "bold")],
        progress_lines,
        [((bar(figures.completion, 10 if width >= WIDE else 6) + " " if width >= 100 else "")
          + f"{figures.completion}%", "")],
        [(f"{figures.planned}%" if figures.planned is not None else "—", "")],
        [(line, "") for line in lag_cell(figures).split("\n")],
        status_parts(figures),
    ]
    if width >= WIDE:
        cells.append([(figures.last_update.isoformat() if figures.last_update else "—", "")])
    return cells


def cell_len_of(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def status_table(items: list[Item], as_of: date, width: int = WIDE, title: bool = True, tree: bool = False):
    """The status table as one Rich Text: a row per target (id, then its title wrapped below),
    grouped by folder; with `tree`, parents are followed by their parts, indented. Columns never
    drop out: on a screen too narrow, lines run long rather than lose the status."""
    from rich.text import Text

    headers = ["Target", "Progress", "Done", "Plan", "Lag", "Status"] + (["Updated"] if width >= WIDE else [])
    right = {1, 3, 4}
    ordered = tree_order(items) if tree else [(item, 0) for item in items]
    rows = [(item, depth, _status_cells(*item, depth, width)) for item, depth in ordered]
    widths = [max([cell_len_of(header)] + [cell_len_of(line) for _, _, cells in rows for line, _ in cells[column]])
              for column, header in enumerate(headers)]
    widths[0] = max(width - 1 - sum(widths[1:]) - 2 * (len(headers) - 1), 16)
    output = Text()
    if title:
        output.append(f"kpitrack status as of {as_of.isoformat()}\n", style="italic")

    def add_line(cells: list[tuple[str, str]]) -> None:
        output.append(" ")
        for column, (text, style) in enumerate(cells):
            pad = " " * max(widths[column] - cell_len_of(text), 0)
            output.append(pad if column in right else "")
            output.append(text, style=style or None)
            output.append("" if column in right else pad)
            output.append("  " if column < len(cells) - 1 else "")
        output.append("\n")

    add_line([(header, "bold") for header in headers])
    output.append(" " + "─" * (sum(widths) + 2 * (len(headers) - 1)) + "\n")
    group = None
    for (target, figures), depth, cells in rows:
        if target.group != group and not (tree and depth):
            group = target.group
            output.append(" " + group_label(group, None) + "\n", style="bold cyan")
        indent = " " * cell_len_of("  " * depth + ("└ " if depth else ""))
        id_lines = [(line, "bold") for line in wrap(cells[0][0][0], widths[0])]  # a long id folds on a narrow screen
        cells[0] = id_lines + [(indent + line, "") for line in wrap(visible(target.title), widths[0] - len(indent))]
        for index in range(max(len(cell) for cell in cells)):
            add_line([cell[index] if index < len(cell) else ("", "") for cell in cells])
    return output


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
    chart = [burnup_chart(target, figures, others=others), ""] if target.kind is not Kind.MILESTONE else []
    more = [Text(f"and {earlier:,} earlier entries: `show --all` lists every one", style="dim")] if earlier else []
    return [definition, "", result, "", *chart, entries, *more]


# --- check ---------------------------------------------------------------------------------


def check_lines(items: list[Item]) -> str:
    """One plain line per flagged target, for cron mail: id, status, completion, lag, due."""
    rows = []
    for target, figures in items:
        status = figures.status.value + (", stale" if figures.stale else "")
        lag = f"lag {figures.lag:+} pt" if figures.lag is not None else "lag —"
        rows.append((target.id, status, f"{figures.completion}% done", lag, f"due {target.due.isoformat()}"))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    return "".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + f"  {row[4]}\n"
                   for row in rows)


# --- report --------------------------------------------------------------------------------


def by_group(items: list[Item]) -> list[tuple[str, list[Item]]]:
    """Items in runs of one folder each, in the order given."""
    groups: dict[str, list[Item]] = {}
    for item in items:
        groups.setdefault(item[0].group, []).append(item)
    return list(groups.items())


def summary_line(summary: Summary) -> str:
    """`12 targets: 3 done, 5 on-track, 4 behind; 66.67% on track; 2 stale`."""
    counts = ", ".join(f"{count} {status.value}" for status, count in summary.counts.items() if count)
    share = f"; {summary.on_track_share}% on track (done or on-track)" if summary.on_track_share is not None else ""
    stale = f"; {summary.stale} stale" if summary.stale else ""
    noun = "target" if summary.targets == 1 else "targets"
    return f"{summary.targets} {noun}: {counts}{share}{stale}"


def attention_items(items: list[Item]) -> list[Item]:
    return [item for item in items if is_flagged(item[1], ATTENTION, stale=True)]


def attention_text(target: Target, figures: Figures, last: int = 3) -> str:
    """A few lines on a target that needs attention: where it stands, the pace needed, its last entries."""
    status = figures.status.value + (", stale" if figures.stale else "")
    lines = [f"{target.id} ({status}): {visible(target.title)}",
             f"  {progress_cell(target, figures)}, {figures.completion}% done"
             + (f", planned {figures.planned}%, lag {lag_cell(figures, ', ')}" if figures.planned is not None else "")]
    if figures.required_per_month:
        lines.append(f"  needs {with_unit(figures.required_per_month, target.unit)} a month "
                     f"to finish by {target.due.isoformat()}")
    known = entries_as_of(target, figures.as_of)
    for entry in known[-last:]:
        note = f" ({visible(entry.note)})" if entry.note else ""
        lines.append(f"  {entry.date.isoformat()}: {entry_value(entry)}{' (total)' if entry.total else ''}{note}")
    if not known:
        lines.append("  no entries yet")
    return "\n".join(lines)


def report_markdown(as_of: date, items: list[Item], plans: dict[str, Plan] | None = None) -> str:
    parts = [f"# kpitrack report as of {as_of.isoformat()}", ""]
    for group, members in by_group(items):
        parts += [f"## {_markdown_cell(group_label(group, plans))}", "",
                  summary_line(summarize([figures for _, figures in members])), "",
                  status_markdown(as_of, members).split("\n", 2)[2]]
    flagged = attention_items(items)
    parts += ["## Needing attention", ""]
    if not flagged:
        parts.append("Nothing is at risk, behind, overdue or stale.")
    for target, figures in flagged:
        lines = attention_text(target, figures).splitlines()
        parts.append(f"- **{_markdown_cell(lines[0])}**")
        parts += [f"  - {_markdown_cell(line.strip())}" for line in lines[1:]]
    return "\n".join(parts).rstrip("\n") + "\n"


def report_json(as_of: date, items: list[Item]) -> str:
    groups = []
    for group, members in by_group(items):
        summary = summarize([figures for _, figures in members])
        groups.append({"group": group, "targets": summary.targets,
                       "counts": {status.value: count for status, count in summary.counts.items()},
                       "stale": summary.stale, "on_track_share": summary.on_track_share})
    return to_json({"as_of": as_of, "groups": groups, "targets": [status_row(*item) for item in items],
                    "attention": [target.id for target, _ in attention_items(items)]}) + "\n"


def report_renderables(as_of: date, items: list[Item], width: int, plans: dict[str, Plan] | None = None) -> list:
    """The report as Rich renderables: for the terminal, and for HTML and SVG through Rich's export."""
    from rich.text import Text

    renderables: list = [Text(f"kpitrack report as of {as_of.isoformat()}", style="bold")]
    for group, members in by_group(items):
        summary = summarize([figures for _, figures in members])
        renderables += ["", Text(group_label(group, plans), style="bold cyan"),
                        Text(summary_line(summary)), status_table(members, as_of, width, title=False)]
    renderables += ["", Text("Needing attention", style="bold")]
    flagged = attention_items(items)
    renderables += [Text(attention_text(target, figures)) for target, figures in flagged] or [
        Text("Nothing is at risk, behind, overdue or stale.")]
    return renderables


def exported(renderables: list, kind: str, width: int = 120) -> str:
    """HTML or SVG that look like the terminal, from Rich's own console export."""
    from rich.console import Console

    console = Console(record=True, width=width, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", no_color=False, highlight=False, emoji=False)
    for renderable in renderables:
        console.print(renderable)
    if kind == "svg":
        return console.export_svg(title="kpitrack report")
    return console.export_html(inline_styles=True)


# --- export --------------------------------------------------------------------------------

ENTRY_FIELDS = ("id", "group", "unit", "date", "value", "total", "done", "note", "source")


def entry_rows(targets: list[Target]) -> list[dict[str, Any]]:
    return [{"id": target.id, "group": target.group, "unit": target.unit, **entry_fields(entry)}
            for target in targets for entry in target.entries]


def entries_csv(targets: list[Target]) -> str:
    return to_csv(ENTRY_FIELDS, entry_rows(targets))


def entries_json(targets: list[Target]) -> str:
    return to_json({"entries": entry_rows(targets)}) + "\n"


# --- burn-up chart -------------------------------------------------------------------------


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


# --- plans ---------------------------------------------------------------------------------


def plan_rows(items: list[Item], plans: dict[str, Plan]) -> list[dict[str, Any]]:
    """One row per folder of targets: its plan, counts by status, shares done and on track, and
    the pledge furthest behind."""
    rows = []
    for group, members in by_group(sorted(items, key=lambda item: item[0].group)):
        summary = summarize([figures for _, figures in members])
        worst = worst_lagging(members)
        plan = plans.get(group)
        rows.append({
            "group": group, "title": plan.title if plan else None, "issuer": plan.issuer if plan else None,
            "date": plan.date.isoformat() if plan and plan.date else None,
            "period": plan.period if plan else None, "source": plan.source if plan else None,
            "targets": summary.targets,
            "counts": {status.value: count for status, count in summary.counts.items()},
            "stale": summary.stale, "done_share": summary.done_share, "on_track_share": summary.on_track_share,
            "worst": {"id": worst[0].id, "lag": worst[1].lag} if worst else None,
        })
    return rows


def plans_json(as_of: date, items: list[Item], plans: dict[str, Plan]) -> str:
    return to_json({"as_of": as_of, "plans": plan_rows(items, plans)}) + "\n"


def plans_table(as_of: date, items: list[Item], plans: dict[str, Plan]):
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"kpitrack plans as of {as_of.isoformat()}", title_justify="left", header_style="bold",
                  box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Plan", ratio=1, min_width=16)
    table.add_column("Targets", justify="right")
    table.add_column("By status")
    table.add_column("Done", justify="right")
    table.add_column("On track", justify="right")
    table.add_column("Furthest behind")
    for row in plan_rows(items, plans):
        label = Text.assemble((visible(row["group"] or "(workspace root)"), "bold"),
                              "\n" + visible(row["title"]) if row["title"] else "")
        counts = Text()
        for status in Status:
            if row["counts"][status.value]:
                counts.append(f"{row['counts'][status.value]} {status.value}\n", style=STATUS_STYLES[status])
        worst = f"{row['worst']['id']}\n{row['worst']['lag']:+} pt" if row["worst"] else "—"
        table.add_row(label, str(row["targets"]), counts, f"{row['done_share']}%", f"{row['on_track_share']}%",
                      Text(worst))
    return table
