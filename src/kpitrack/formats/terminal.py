"""The terminal: the status table laid out line by line, the plans table, and check's plain lines."""

from __future__ import annotations

import os
import sys
from datetime import date
from kpitrack.words.display import (as_of_words, group_name, shown, signed, LIGHT_STYLES, N_, VERDICT_STYLES, bar, difference, done_cell, done_message,
                              group_label, light_word, percent, progress_cell, status_word, title_of, verdict_word,
                              visible)
from kpitrack.reports.build import Figures
from kpitrack.words.i18n import _, pgettext
from kpitrack.domain.model import Plan, Status, Target, Verdict
from kpitrack.reports.pace import cell_words, pace_class, status_flags, status_label
from kpitrack.reports.report import NO_OWNER, Item, done_phrase, lag_sentence, plan_rows, summary_line, tree_order

STATUS_STYLES = LIGHT_STYLES  # green / yellow / red, with the light as a word too (it survives NO_COLOR)


# The owner table's columns (status --by owner, and the report's section in Markdown).
OWNER_COLUMNS = (N_("Owner"), N_("Targets"), N_("Red"), N_("Not reported (未报送)"), N_("Stale"))


def owner_name(owner: str) -> str:
    """An owner as shown: the rows' stand-in for targets without one, in the interface's language."""
    return _(N_("(no owner)")) if owner == NO_OWNER else owner


def make_console():
    """A Rich console on stdout: colour only on a terminal and without NO_COLOR (Rich checks both);
    100 columns when not a terminal unless COLUMNS says otherwise."""
    from rich.console import Console

    width = 100 if not sys.stdout.isatty() and "COLUMNS" not in os.environ else None
    return Console(file=sys.stdout, width=width, highlight=False, emoji=False)


def status_parts(figures: Figures, target: Target | None = None, short: bool = False) -> list[tuple[str, str]]:
    """The status in words with its colour (the light too for the three bands; done in words: over
    target, early), then `stale` when the latest figure is overdue. `short`: the light alone."""
    status, light = figures.status, light_word(figures.status)
    done = done_message(target, figures) if target is not None else None
    if done:
        word = _(done)
    elif light:
        word = status_label(status, pace_class(figures), short=short)
    else:
        word = status_word(status)
    style = VERDICT_STYLES[figures.verdict] if figures.verdict is not None and target is not None \
        else STATUS_STYLES[status]
    flags = [(flag, "magenta") for flag in status_flags(stale=figures.stale)]
    flags += [(flag, "yellow") for flag in status_flags(due_soon=figures.due_soon)]
    return [(word, style)] + flags + [(flag, "red") for flag in status_flags(late_nodes=figures.late_nodes)]


def status_text(figures: Figures, separator: str = "\n", target: Target | None = None):
    from rich.text import Text

    text = Text()
    for index, (word, style) in enumerate(status_parts(figures, target)):
        text.append((separator if index else "") + word, style=style)
    return text


WIDE = 160  # from this many columns on (or with --wide), the table also shows title, owner and last update


def cell_len_of(text: str) -> int:
    if text.isascii() and text.isprintable():  # a cell each, as Rich counts them, without asking it
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def truncated(text: str, width: int) -> str:
    """`text` cut to `width` terminal cells with `…`: wide (Chinese) characters count as two."""
    if cell_len_of(text) <= width:
        return text
    cut = ""
    for character in text:
        if cell_len_of(cut + character) > width - 1:
            break
        cut += character
    return cut.rstrip() + "…"


def name_cell(target_id: str, title: str, width: int) -> str:
    """`id  title`, the title cut to fit; the id alone when no useful part of the title fits; the id
    cut when even it does not."""
    room = width - cell_len_of(target_id) - 2
    if room < 4:
        return truncated(target_id, width)
    return f"{target_id}  {truncated(title, room)}"


Cell = tuple[str, str]  # (text, style)


def _status_cells(target: Target, figures: Figures, depth: int, width: int, wide: bool) -> list[Cell]:
    indent = "  " * depth + ("└ " if depth else "")
    seen = shown(figures)  # never `0.00%` before the start (display.shown), nor without a figure
    started = figures.status is not Status.NOT_STARTED
    name = indent + target.id  # the title beside it is the table's to fit (name_cell), or a column of its own
    words = status_parts(figures, target, short=width < 100)
    cells = [
        (name, "bold"),
        (progress_cell(target, figures), ""),
        (bar(seen.completion, 10 if width >= 120 else 6 if width >= 100 else 5), ""),
        (percent(seen.completion) if seen.completion is not None or not started
         else signed(figures.gap) if figures.gap is not None and width < 100  # points, as in "vs plan"
         else done_cell(figures), ""),
        (percent(seen.planned), ""),
        (difference(figures), ""),
        (" ".join(word for word, _style in words), words[0][1]),
    ]
    if wide:
        cells += [(figures.last_update.isoformat() if figures.last_update else "—", ""),
                  (visible(target.owner or "—"), ""), (visible(title_of(target)), "")]
    return cells


def status_table(items: list[Item], as_of: date, width: int = 120, title: bool = True, tree: bool = False,
                 wide: bool = False):
    """The status table as one Rich Text: one line per target at 80 columns and at 120 (the id and
    title cut to fit with …), grouped by folder, under a title and a summary line; with `tree`,
    parents are followed by their parts, indented. From WIDE columns on, or `wide`, the last update,
    owner and full title follow. Laid out here rather than by rich.table.Table (0.6 ms a row)."""
    from rich.text import Text

    wide = wide or width >= WIDE
    headers = [_("Target"), _("Progress"), "", _("Done"), _("Plan"), _("vs plan"), _("Status")]
    headers += [_("Updated"), _("Owner"), _("Title")] if wide else []
    right = {1, 3, 4, 5}  # by header below, as the bar may go
    gap = 2 if width >= 120 else 1  # a column more for the name below 120: ids stay whole at 100
    ordered = tree_order(items) if tree else [(item, 0) for item in items]
    rows = [(item, depth, _status_cells(*item, depth, width, wide)) for item, depth in ordered]
    widths = [max([cell_len_of(header)] + [cell_len_of(cells[column][0]) for _, _, cells in rows])
              for column, header in enumerate(headers)]
    right_headers = {headers[column] for column in right}
    if not wide:  # the name takes what the other columns leave; titles are cut first, then the bar goes
        headers, rows, widths = _room_for_ids(headers, rows, widths, width, gap)
    output = Text()
    if title:
        output.append(_("kpitrack status {as_of}").format(as_of=as_of_words(as_of)) + "\n", style="italic")
        line = summary_line(items, share=False)
        if cell_len_of(line) >= width:  # one line: the statuses nobody has go; every other count stays
            line = summary_line(items, share=False, zeros=False)
        output.append("\n".join(_wrapped(line, width)) + "\n")

    def add_line(cells: list[Cell], title: str = "") -> None:
        output.append(" ")
        for column, (text, style) in enumerate(cells):
            last = column == len(cells) - 1
            if column == 0 and not wide:
                text = name_cell(text, title, widths[0])
            pad = " " * max(widths[column] - cell_len_of(text), 0)
            output.append(pad if headers[column] in right_headers else "")
            output.append(text, style=style or None)
            output.append("" if headers[column] in right_headers or last else pad)
            output.append(" " * gap if not last else "")
        output.append("\n")

    add_line([(header, "bold") for header in headers])
    output.append(" " + "─" * min(sum(widths) + gap * (len(headers) - 1), width - 1) + "\n")
    group = None
    for (target, _figures), depth, cells in rows:
        if target.group != group and not (tree and depth):
            group = target.group
            output.append(" " + truncated(group_label(group, None), width - 2) + "\n", style="bold cyan")
        add_line(cells, visible(title_of(target)))
    return output


def _wrapped(line: str, width: int) -> list[str]:
    """The summary line in lines shorter than `width`, broken after its separators (`, ` and `; `,
    `，` and `；` in Chinese) rather than a count dropped."""
    import re

    separators = "|".join(re.escape(separator.strip() or separator) for separator in {_(", "), _("; ")})
    lines = [""]
    for token in re.split(f"(?<={separators}) ?", line):
        if lines[-1] and cell_len_of(lines[-1] + token) >= width:
            lines.append("")
        lines[-1] += token if not lines[-1] or lines[-1].endswith(("，", "；")) else " " + token
    return [text.rstrip() for text in lines]


def _room_for_ids(headers: list[str], rows: list, widths: list[int], width: int, gap: int):
    """The name column's width from what the other columns leave. Ids are never cut while they can
    be kept: titles are cut first (to nothing), then the bar column goes, then the planned share; only an id wider than
    everything the other columns leave is cut, with …"""
    def room(widths: list[int]) -> int:
        return width - 1 - sum(widths[1:]) - gap * (len(widths) - 1)

    longest = max([cell_len_of(cells[0][0]) for _, _, cells in rows], default=0)
    for dropped in ("", _("Plan")):  # the bar, then the planned share (its gap stays in "vs plan")
        if room(widths) >= longest or dropped not in headers:
            continue
        keep = [column for column in range(len(headers)) if headers[column] != dropped]
        headers = [headers[column] for column in keep]
        rows = [(item, depth, [cells[column] for column in keep]) for item, depth, cells in rows]
        widths = [widths[column] for column in keep]
    widths[0] = max(room(widths), 9)  # "lh24-hig…"
    return headers, rows, widths


def check_lines(items: list[Item]) -> str:
    """One plain line per flagged target, for cron mail (read by people): id, title, status, completion, lag, due."""
    rows = []
    for target, figures in items:
        status = _(", ").join(cell_words(target, figures))  # as its status cell says
        lag = lag_sentence(figures, days=False)
        rows.append((target.id, visible(title_of(target)), status, done_phrase(figures),
                     lag or _("lag {lag}").format(lag="—"), _("due {date}").format(date=target.due.isoformat())))
    widths = [max(cell_len_of(row[column]) for row in rows) for column in range(5)]
    return "".join("  ".join(cell + " " * (width - cell_len_of(cell)) for cell, width in zip(row, widths))
                   + f"  {row[5]}\n" for row in rows)


def plans_table(as_of: date, items: list[Item], plans: dict[str, Plan], closed: set[str] = frozenset()):
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=_("kpitrack plans {as_of}").format(as_of=as_of_words(as_of)), title_justify="left",
                  header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column(pgettext("plans", "Plan"), ratio=1, min_width=16)
    table.add_column(_("Targets"), justify="right")
    table.add_column(_("By status"))
    # the targets done of the pledges (已完成指标 3/50, 6.00%), not 完成率, a target's own completion
    table.add_column(pgettext("plans", "Targets\ndone"), justify="right")  # two lines: the plan's words keep the width
    table.add_column(_("On track"), justify="right")
    table.add_column(_("Furthest behind"))
    for row in plan_rows(items, plans, closed):
        label = Text.assemble((visible(group_name(row["group"])), "bold"),
                              _(" (closed: final tally)") if row["closed"] else "",
                              "\n" + visible(row["title"]) if row["title"] else "")
        counts = Text()
        for status in Status:
            if row["counts"][status.value]:
                counts.append(f"{row['counts'][status.value]} {status_word(status)}\n", style=STATUS_STYLES[status])
        judged = [verdict for verdict in Verdict if row["verdicts"][verdict.value]]
        counts.append("\n" if judged else "")  # then how the judged pledges ended (verdicts)
        for verdict in judged:
            counts.append(f"{row['verdicts'][verdict.value]} {verdict_word(verdict)}\n", style=VERDICT_STYLES[verdict])
        # completion − plan, as status gives it: positive ahead, negative behind
        worst = f"{row['worst']['id']}\n{signed(row['worst']['vs_plan'])} " + _("pt") if row["worst"] else "—"
        done = f"{row['counts'][Status.DONE.value]}/{row['pledges']}\n{percent(row['done_share'])}" if row["pledges"] else "—"
        table.add_row(label, str(row["targets"]), counts, done, percent(row["on_track_share"]),
                      Text(worst))
    return table


def owner_table(as_of: date, rows: list[dict]):
    """status --by owner: per 责任单位, pledges, red, not reported (未报送) and stale, for the 催报."""
    from rich import box
    from rich.table import Table

    table = Table(title=_("kpitrack by owner {as_of}").format(as_of=as_of_words(as_of)), title_justify="left",
                  header_style="bold", box=box.SIMPLE_HEAD, pad_edge=False)
    for name, justify in zip(OWNER_COLUMNS, ("left", "right", "right", "left", "left")):
        table.add_column(_(name), justify=justify)  # type: ignore[arg-type]
    for row in rows:
        table.add_row(visible(owner_name(row["owner"])), str(row["targets"]) + (_(" ({lead} lead, {co} co-unit)").format(
            lead=row["targets"] - len(row["co"]), co=len(row["co"])) if row["co"] else ""), str(row["red"]),
                      "\n".join(row["unreported"]) or "—", "\n".join(row["stale"]) or "—")
    return table
