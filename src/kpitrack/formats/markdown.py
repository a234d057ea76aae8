"""Markdown: the status table and the report, for e-mail and wikis."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, Iterable

from kpitrack.words.display import (STALE, N_, as_of_words, difference, done_cell, group_label, percent, current_cell, progress_cell,
                              status_word, target_value, title_of, verdict_text, visible, with_stretch)
from kpitrack.formats.terminal import OWNER_COLUMNS, owner_name
from kpitrack.words.i18n import _, pgettext
from kpitrack.domain.model import Kind, Plan, Status
from kpitrack.reports.pace import cell_words
from kpitrack.reports.report import Item, attention_items, attention_lines, by_group, status_row, summary_line


# The columns of the Markdown table: the status row's fields, shown in the interface's language.
MARKDOWN_COLUMNS = (("id", N_("ID")), ("title", N_("Title")), ("current", N_("Current")), ("target", N_("Target")),
                    ("unit", N_("Unit")), ("completion", N_("Done")), ("planned", N_("Plan")),
                    ("lag", N_("vs plan")), ("status", N_("Status")), ("stale", N_("Stale")), ("due", N_("Due")),
                    ("last_update", N_("Updated")), ("verdict", N_("Verdict")))


def status_markdown(as_of: date, items: Iterable[Item]) -> str:
    return _("Status {as_of}").format(as_of=as_of_words(as_of)) + "\n\n" + status_table(items)


def status_table(items: Iterable[Item]) -> str:
    """The Markdown table of the items' status, one row a target."""
    lines = ["| " + " | ".join(pgettext("show", header) if key == "target" else _(header)  # 目标值, not 指标
                               for key, header in MARKDOWN_COLUMNS) + " |",
             "|" + "|".join("---" for _key in MARKDOWN_COLUMNS) + "|"]
    for item in items:
        row = status_row(*item)
        target, figures = item
        row.update(title=title_of(target), completion=percent(row["completion"]),
                   planned=percent(row["planned"]), lag=difference(figures),
                   status=" ".join(cell_words(target, figures, stale=False)),  # stale has its column
                   verdict=verdict_text(figures) or None)
        if row["target"] is not None:  # the target as worded, in the shared number style: 1,200, 超5,000, ≥120
            row["target"] = target_value(target, row["target"])
        if target.kind is Kind.MILESTONE:  # done / not done (尚未完成) or nodes done, as the terminal: never `0 / 1`
            row.update(current=progress_cell(target, figures), target=None)
        elif figures.last_update:  # 近, 超, 约 and (est.) beside the figure
            row["current"] = current_cell(target, figures)
        if figures.completion is None:  # a growth rate's gap in points, an indicator's change (`—` before its start)
            row["completion"] = done_cell(figures)
        elif figures.stretch_completion is not None:  # 力争: the completion of the stretch figure too
            row["completion"] = with_stretch(row["completion"], figures.stretch_completion)
        cells = (_markdown_cell(row[key]) for key, _header in MARKDOWN_COLUMNS)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _markdown_cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _(STALE) if value else ""
    text = visible(format(value, "f") if isinstance(value, Decimal) else str(value))
    return re.sub(r"([\\|*_`\[\]<>#])", r"\\\1", text)


def report_markdown(as_of: date, items: list[Item], plans: dict[str, Plan] | None = None) -> str:
    parts = ["# " + _("kpitrack report {as_of}").format(as_of=as_of_words(as_of)), ""]
    for group, members in by_group(items):
        parts += [f"## {_markdown_cell(group_label(group, plans))}", "",
                  summary_line(members), "",
                  status_table(members)]
    flagged = attention_items(items)
    parts += ["## " + _("Needing attention"), ""]
    if not flagged:
        parts.append(_("Nothing is at risk, behind, overdue or stale."))
    for target, figures in flagged:
        lines = attention_lines(target, figures)
        parts.append(f"- **{_markdown_cell(lines[0])}**")
        parts += [f"  - {_markdown_cell(line.strip())}" for line in lines[1:]]
    return "\n".join(parts).rstrip("\n") + "\n"


CHANGES = (N_("newly done"), N_("turned red"), N_("recovered"), N_("revised"))  # since a date, as shown


def owners_markdown(rows: list[dict]) -> str:
    """The report's section per owner (责任单位), for the monthly 催报."""
    lines = ["## " + _("By owner"), "", "| " + " | ".join(_(name) for name in OWNER_COLUMNS) + " |",
             "|---|--:|--:|---|---|"]
    for row in rows:
        lines.append(f"| {_markdown_cell(owner_name(row['owner']))} | {row['targets']} | {row['red']} | "
                     f"{', '.join(row['unreported']) or '—'} | {', '.join(row['stale']) or '—'} |")
    return "\n".join(lines) + "\n"


def since_markdown(since: date, rows: list[dict]) -> str:
    lines = ["## " + _("Changed since {since}").format(since=since.isoformat()), ""]
    for row in rows:
        if row["was"]:
            line = _("- {change}: **{id}** {title} (was {was}, now {now})").format(
                was=status_word(Status(row["was"])), now=status_word(Status(row["now"])), change=_(row["change"]), id=row["id"],
                title=_markdown_cell(row["title"]))
        else:
            line = _("- {change}: **{id}** {title} ({summary})").format(
                summary=_markdown_cell(row["now"]), change=_(row["change"]), id=row["id"],
                title=_markdown_cell(row["title"]))
        lines.append(line)
    if not rows:
        lines.append(_("Nothing changed."))
    return "\n".join(lines) + "\n"


def report_markdown_of(report, lang: str) -> str:
    """The `report` command's Markdown: the report, then its sections (by owner, since a date)."""
    text = report_markdown(report.as_of, list(report.items), report.plans)
    if report.owners is not None:
        text += "\n" + owners_markdown(list(report.owners))
    if report.since and report.changes is not None:
        text += "\n" + since_markdown(report.since, list(report.changes))
    if report.since and report.received is not None:
        from kpitrack.formats.chase import received_markdown
        text += "\n" + received_markdown(report.since, list(report.received), report.received_in_git)
    if report.missing is not None:
        from kpitrack.formats.chase import missing_markdown
        text += "\n" + missing_markdown(report.as_of, list(report.missing))
    return text
