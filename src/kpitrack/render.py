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

from kpitrack.compute import Figures
from kpitrack.model import Kind, Status, Target

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
        entries=[{"date": entry.date, "value": entry.value, "total": entry.total, "done": entry.done,
                  "note": entry.note, "source": entry.source} for entry in target.entries],
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
    text = visible(str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def status_csv(items: Iterable[Item]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(STATUS_FIELDS)
    for item in items:
        row = status_row(*item)
        writer.writerow(spreadsheet_safe(row[key]) for key in STATUS_FIELDS)
    return buffer.getvalue()


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


def make_console(stderr: bool = False):
    """A Rich console: colour only on a terminal and without NO_COLOR (Rich checks both);
    100 columns when not a terminal unless COLUMNS says otherwise."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = None
    if not stream.isatty() and "COLUMNS" not in os.environ:
        width = 100
    return Console(file=stream, width=width, highlight=False, emoji=False)


def number(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value:,f}"


def signed(value: Decimal | None, suffix: str = "") -> str:
    if value is None:
        return "—"
    return f"{value:+,f}{suffix}"


def bar(completion: Decimal, width: int = 10) -> str:
    """A bar that reads without colour: █ for done, · for the rest."""
    filled = int(max(Decimal(0), min(completion, Decimal(100))) * width / 100)
    return "█" * filled + "·" * (width - filled)


def status_text(figures: Figures, separator: str = "\n"):
    """The status in its colour, with `stale` after it when the latest figure is overdue."""
    from rich.text import Text

    text = Text(figures.status.value, style=STATUS_STYLES[figures.status])
    if figures.stale:
        text.append(separator + "stale", style="magenta")
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


def status_table(items: list[Item], as_of: date, width: int = WIDE):
    """The status table, one row per target (id above title), grouped by folder."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"kpitrack status as of {as_of.isoformat()}", title_justify="left",
                  header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    longest_id = max((len(target.id) for target, _ in items), default=0)
    table.add_column("Target", ratio=1, min_width=min(max(longest_id, 16), 40), overflow="fold")
    table.add_column("Progress", justify="right", max_width=16)
    table.add_column("Done", no_wrap=True)
    table.add_column("Plan", justify="right", no_wrap=True)
    table.add_column("Lag", justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    wide = width >= WIDE
    if wide:
        table.add_column("Updated", no_wrap=True)
    group = None
    for target, figures in items:
        if target.group != group:
            group = target.group
            table.add_row(Text(visible(group or "(workspace root)"), style="bold cyan"))
        cells = [
            Text.assemble((target.id, "bold"), "\n", visible(target.title)),
            Text(progress_cell(target, figures)),
            Text(f"{bar(figures.completion, 6 if not wide else 10)} {figures.completion}%"),
            Text(f"{figures.planned}%" if figures.planned is not None else "—"),
            Text(lag_cell(figures)),
            status_text(figures),
        ]
        if wide:
            cells.append(Text(figures.last_update.isoformat() if figures.last_update else "—"))
        table.add_row(*cells)
    return table


def show_renderables(target: Target, figures: Figures) -> list:
    """The definition, the figures and every entry of one target."""
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

    entries = Table(title="Progress entries", title_justify="left", header_style="bold")
    for name, justify in (("Date", "left"), ("Value", "right"), ("Total", "left"), ("Note", "left"),
                          ("Source", "left")):
        entries.add_column(name, justify=justify)
    for entry in sorted(target.entries, key=lambda entry: entry.date):
        value = ("done" if entry.done else "not done") if entry.done is not None else number(entry.value)
        entries.add_row(entry.date.isoformat(), value, "yes" if entry.total else "",
                        Text(visible(entry.note or "", multiline=True)), Text(visible(entry.source or "")))
    if not target.entries:
        entries.add_row("—", "", "", "no entries yet", "")
    return [definition, "", result, "", entries]
