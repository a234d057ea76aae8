"""The 未报送 list (status --missing, the reports' missing section) in every format: the rows come
built from reports/chase.py; here they are only laid out."""

from __future__ import annotations

from datetime import date

from kpitrack.formats.machine import to_csv, to_json
from kpitrack.formats.markdown import _markdown_cell
from kpitrack.formats.terminal import cell_len_of as cell_len, owner_name
from kpitrack.reports.chase import MISSING_FIELDS, missing_flat
from kpitrack.words.display import N_, as_of_words, visible
from kpitrack.words.i18n import _

MISSING_COLUMNS = (N_("Responsible unit"), N_("ID"), N_("Title"), N_("Reporting period"), N_("Updated"))
MISSING_WORD = N_("not reported for the last period")
ROLES = {"lead": N_("lead unit"), "co": N_("co-unit")}


def missing_cells(row: dict) -> tuple[str, str, str, str]:
    """One missing target's cells after its unit: id, title (with the unit's role), period, last figure."""
    title = row["title"] + (" (" + _(ROLES["co"]) + ")" if row["role"] == "co" else "")
    return row["id"], title, row["period"], row["last_update"] or "—"


def missing_line(row: dict) -> str:
    """One missing target as a line of the page and the Word document: `id title: period (updated date)`."""
    target, title, period, updated = missing_cells(row)
    return f"{target} {title}: {period} (" + _("updated {date}").format(date=updated) + ")"


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


RECEIVED = {"received": N_("received"), "revised": N_("revised")}


def received_line(row: dict) -> str:
    """One figure received or revised: `2025-07-31 700 firms (received)`, `… 600 → 650 firms (revised)`."""
    old, new = row.get("words") or (row["old"], row["new"])  # as entries are worded (近60, 开工 已完成); a journal's as kept
    figure = (old + " → " if old is not None else "") + (new or "—")
    return _("{date} {figure} {unit} ({change})").format(
        date=row["date"] or "", figure=figure, unit=row["unit"], change=_(RECEIVED[row["change"]])).strip()


OUTSIDE_GIT = N_("This workspace is not in a git repository: only the revisions journalled by fix and import "
                 "(30 days) are known, not the figures received; keep it in git to see them.")


def received_markdown(since: date, rows: list[dict], in_git: bool = True) -> str:
    """report --since: per 责任单位, the figures received and revised since the date."""
    lines = ["## " + _("Figures received and revised since {since}").format(since=since.isoformat()), ""]
    lines += [] if in_git else [_(OUTSIDE_GIT), ""]
    for row in rows:
        lines += ["### " + _markdown_cell(owner_name(row["owner"])), ""]
        lines += [f"- **{_markdown_cell(figure['id'])}** {_markdown_cell(figure['title'])}: "
                  + _markdown_cell(received_line(figure)) for figure in row["figures"]]
        lines.append("")
    if not rows:
        lines += [_("No figure received or revised."), ""]
    return "\n".join(lines)


def report_sections(report, lang: str) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """The report's optional sections (by owner, changed since, figures received and revised) as
    (heading, [(sub-heading, lines)]) in `lang`, for the page and the Word document: the same rows
    as the Markdown and JSON, laid out as headings and lines."""
    from kpitrack.domain.model import Status
    from kpitrack.formats.terminal import OWNER_COLUMNS
    from kpitrack.words.display import status_word
    from kpitrack.words.i18n import speaking

    with speaking(lang):
        sections = []
        if report.owners is not None:
            names = [_(name) for name in OWNER_COLUMNS[1:]]
            sections.append((_("By owner"), [(owner_name(row["owner"]), [
                _("; ").join([f"{names[0]} {row['targets']}", f"{names[1]} {row['red']}",
                              f"{names[2]} {', '.join(row['unreported']) or '—'}",
                              f"{names[3]} {', '.join(row['stale']) or '—'}"])]) for row in report.owners]))
        if report.since and report.changes is not None:
            lines = [f"{_(row['change'])}: {row['id']} {row['title']} "
                     + (f"({status_word(Status(row['was']))} → {status_word(Status(row['now']))})" if row["was"]
                        else f"({row['now']})") for row in report.changes]
            sections.append((_("Changed since {since}").format(since=report.since.isoformat()),
                             [("", lines or [_("Nothing changed.")])]))
        if report.since and report.received is not None:
            sections.append((_("Figures received and revised since {since}").format(since=report.since.isoformat()),
                             ([] if report.received_in_git else [("", [_(OUTSIDE_GIT)])])
                             + ([(owner_name(row["owner"]), [f"{figure['id']} {figure['title']}: {received_line(figure)}"
                                                           for figure in row["figures"]]) for row in report.received]
                                or [("", [_("No figure received or revised.")])])))
        if report.missing is not None:
            sections.append((missing_heading(report.as_of), [
                (owner_name(row["owner"]), [missing_line(target) for target in row["targets"]])
                for row in report.missing] or [("", [missing_nothing()])]))
        return sections

