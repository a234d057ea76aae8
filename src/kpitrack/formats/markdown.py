"""Markdown: the status table and the report, for e-mail and wikis."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, Iterable

from kpitrack.display import group_label, visible
from kpitrack.model import Plan
from kpitrack.report import Item, attention_items, attention_text, by_group, status_row, summarize, summary_line


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


def owners_markdown(rows: list[dict]) -> str:
    """The report's section per owner (责任单位), for the monthly 催报."""
    lines = ["## By owner", "", "| Owner | Targets | Red | Not reported (未报送) | Stale |", "|---|--:|--:|---|---|"]
    for row in rows:
        lines.append(f"| {_markdown_cell(row['owner'])} | {row['targets']} | {row['red']} | "
                     f"{', '.join(row['unreported']) or '—'} | {', '.join(row['stale']) or '—'} |")
    return "\n".join(lines) + "\n"


def since_markdown(since: date, rows: list[dict]) -> str:
    lines = [f"## Changed since {since.isoformat()}", ""]
    for row in rows:
        was = f" (was {row['was']}, now {row['now']})" if row["was"] else f" ({_markdown_cell(row['now'])})"
        lines.append(f"- {row['change']}: **{row['id']}** {_markdown_cell(row['title'])}{was}")
    if not rows:
        lines.append("Nothing changed.")
    return "\n".join(lines) + "\n"
