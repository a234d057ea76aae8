"""The report as pages: Rich renderables for the terminal, exported to HTML and SVG."""

from __future__ import annotations

import io
from datetime import date

from kpitrack.display import group_label
from kpitrack.formats.terminal import as_of_words, status_table
from kpitrack.i18n import _
from kpitrack.model import Plan
from kpitrack.report import Item, attention_items, attention_text, by_group, summarize, summary_line


def report_renderables(as_of: date, items: list[Item], width: int, plans: dict[str, Plan] | None = None) -> list:
    """The report as Rich renderables: for the terminal, and for HTML and SVG through Rich's export."""
    from rich.text import Text

    renderables: list = [Text(_("kpitrack report {as_of}").format(as_of=as_of_words(as_of)), style="bold")]
    for group, members in by_group(items):
        summary = summarize([figures for _, figures in members])
        renderables += ["", Text(group_label(group, plans), style="bold cyan"),
                        Text(summary_line(summary)), status_table(members, as_of, width, title=False)]
    renderables += ["", Text(_("Needing attention"), style="bold")]
    flagged = attention_items(items)
    renderables += [Text(attention_text(target, figures)) for target, figures in flagged] or [
        Text(_("Nothing is at risk, behind, overdue or stale."))]
    return renderables


def exported(renderables: list, kind: str, width: int = 120) -> str:
    """HTML or SVG that look like the terminal, from Rich's own console export."""
    from rich.console import Console

    console = Console(record=True, width=width, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", no_color=False, highlight=False, emoji=False)
    for renderable in renderables:
        console.print(renderable)
    if kind == "svg":
        return console.export_svg(title=_("kpitrack report"))
    return console.export_html(inline_styles=True)
