"""The 未报送 list (status --missing, the reports' missing section) in every format: the rows come
built from reports/chase.py; here they are only laid out."""

from __future__ import annotations

from datetime import date

from kpitrack.formats.machine import to_csv, to_json
from kpitrack.formats.markdown import _markdown_cell
from kpitrack.formats.terminal import as_of_words, cell_len_of as cell_len, owner_name
from kpitrack.reports.chase import MISSING_FIELDS, missing_flat
from kpitrack.words.display import N_, visible
from kpitrack.words.i18n import _

MISSING_COLUMNS = (N_("Responsible unit"), N_("ID"), N_("Title"), N_("Reporting period"), N_("Updated"))
MISSING_WORD = N_("not reported for the last period")
ROLES = {"lead": N_("lead unit"), "co": N_("co-unit")}


def missing_cells(row: dict) -> tuple[str, str, str, str]:
    """One missing target's cells after its unit: id, title (with the unit's role), period, last figure."""
    title = row["title"] + (" (" + _(ROLES["co"]) + ")" if row["role"] == "co" else "")
    return row["id"], title, row["period"], row["last_update"] or "—"


def missing_heading(as_of: date) -> str:
    return _("Not reported for the last period (未报送) {as_of}").format(as_of=as_of_words(as_of))


def missing_nothing() -> str:
    return _("Every chased target has a figure for its last period.")


def missing_table(as_of: date, rows: list[dict]):
    """status --missing: per 责任单位, its targets with no figure dated in their last ended period."""
    from rich import box
    from rich.table import Table

    table = Table(title=missing_heading(as_of), title_justify="left", header_style="bold",
                  box=box.SIMPLE_HEAD, pad_edge=False)
    for name in MISSING_COLUMNS:
        table.add_column(_(name))
    for row in rows:
        for number, target in enumerate(row["targets"]):
            table.add_row(visible(owner_name(row["owner"])) if number == 0 else "",
                          *(visible(cell) for cell in missing_cells(target)), end_section=number == len(row["targets"]) - 1)
    return table


def missing_json(as_of: date, rows: list[dict]) -> str:
    return to_json({"as_of": as_of, "missing": rows}) + "\n"


def missing_csv(rows: list[dict]) -> str:
    return to_csv(MISSING_FIELDS, missing_flat(rows))


def missing_markdown(as_of: date, rows: list[dict]) -> str:
    lines = ["## " + missing_heading(as_of), ""]
    for row in rows:
        lines += ["### " + _markdown_cell(owner_name(row["owner"])), "",
                  "| " + " | ".join(_(name) for name in MISSING_COLUMNS[1:]) + " |", "|---|---|---|---|"]
        lines += ["| " + " | ".join(_markdown_cell(cell) for cell in missing_cells(target)) + " |"
                  for target in row["targets"]]
        lines.append("")
    if not rows:
        lines += [missing_nothing(), ""]
    return "\n".join(lines)


def missing_lines(rows: list[dict]) -> str:
    """check --fail-on missing: one plain line per (unit, target), for cron mail: unit, id, title,
    period, last figure."""
    lines = [(visible(owner_name(row["owner"])), *(visible(cell) for cell in missing_cells(target)))
             for row in rows for target in row["targets"]]
    if not lines:
        return ""
    widths = [max(cell_len(line[column]) for line in lines) for column in range(4)]
    return "".join("  ".join(cell + " " * (width - cell_len(cell)) for cell, width in zip(line, widths))
                   + "  " + _("updated {date}").format(date=line[4]) + "\n" for line in lines)
