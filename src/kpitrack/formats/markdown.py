"""Markdown: the status table and the report, for e-mail and wikis."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, Iterable

from kpitrack.display import done_cell, group_label, progress_cell, target_value, visible
from kpitrack.model import Plan
from kpitrack.report import Item, attention_items, attention_text, by_group, status_row, summarize, summary_line


MARKDOWN_COLUMNS = ("id", "title", "current", "target", "unit", "completion", "planned", "lag",
                    "status", "stale", "due", "last_update", "verdict")


def status_markdown(as_of: date, items: Iterable[Item]) -> str:
    lines = [f"Status as of {as_of.isoformat()}", "",
             "| " + " | ".join(MARKDOWN_COLUMNS) + " |",
             "|" + "|".join("---" for _ in MARKDOWN_COLUMNS) + "|"]
    for target, figures in items:
        row = status_row(target, figures)
        if target.qualifier is not None:  # the target as worded: 超5,000, ≥120, 约410
            row["target"] = target_value(target)
        if figures.last_update and target.kind.value != "milestone":  # 近, 超, 约 and (est.) beside the figure
            row["current"] = progress_cell(target, figures).split(" / ")[0].removesuffix(f" {target.unit}")
        if figures.completion is None:  # a growth rate's gap in points, an indicator's change
            row["completion"] = done_cell(figures)
        elif figures.stretch_completion is not None:  # 力争: the completion of the stretch figure too
            row["completion"] = f"{figures.completion} (stretch {figures.stretch_completion})"
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
