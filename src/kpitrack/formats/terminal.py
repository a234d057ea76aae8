"""The terminal: the status table laid out line by line, the plans table, and check's plain lines."""

from __future__ import annotations

import os
import re
import sys
from datetime import date
from kpitrack.display import bar, group_label, lag_cell, progress_cell, visible
from kpitrack.compute import Figures
from kpitrack.model import Plan, Status, Target
from kpitrack.report import Item, plan_rows, tree_order


STATUS_STYLES = {
    Status.DONE: "bold green",
    Status.ON_TRACK: "green",
    Status.AT_RISK: "yellow",
    Status.BEHIND: "red",
    Status.OVERDUE: "bold red",
    Status.NOT_STARTED: "dim",
}


def make_console():
    """A Rich console on stdout: colour only on a terminal and without NO_COLOR (Rich checks both);
    100 columns when not a terminal unless COLUMNS says otherwise."""
    from rich.console import Console

    width = 100 if not sys.stdout.isatty() and "COLUMNS" not in os.environ else None
    return Console(file=sys.stdout, width=width, highlight=False, emoji=False)


def status_parts(figures: Figures) -> list[tuple[str, str]]:
    """The status and its colour, then `stale` when the latest figure is overdue."""
    return [(figures.status.value, STATUS_STYLES[figures.status])] + ([("stale", "magenta")] if figures.stale else [])


def status_text(figures: Figures, separator: str = "\n"):
    from rich.text import Text

    text = Text()
    for index, (word, style) in enumerate(status_parts(figures)):
        text.append((separator if index else "") + word, style=style)
    return text


WIDE = 110  # from this many columns on, the table also shows the date of the last update


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
    if text.isascii() and text.isprintable():  # a cell each, as Rich counts them, without asking it
        return len(text)
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
        plain = " "  # unstyled pieces are gathered and appended at once: the same text, fewer appends
        for column, (text, style) in enumerate(cells):
            pad = " " * max(widths[column] - cell_len_of(text), 0)
            plain += pad if column in right else ""
            if style:
                output.append(plain)
                output.append(text, style=style)
                plain = ""
            else:
                plain += text
            plain += ("" if column in right else pad) + ("  " if column < len(cells) - 1 else "")
        output.append(plain + "\n")

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
