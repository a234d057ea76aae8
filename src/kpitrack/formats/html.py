"""The report and one target as a web page: a Jinja2 template (package data), real tables, lights,
and inline SVG charts; one self-contained file to e-mail, open offline, print to PDF."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from kpitrack.reports.build import Figures, last_known_entries, own_plan, recorded_by
from kpitrack.words.display import (as_of_line, done_cell, done_label, entry_value, group_label, percent, printed_gap, progress_cell, shown,
                                    signed, title_of, visible, with_stretch, with_unit)
from kpitrack.words.i18n import in_language
from kpitrack.words.labels import count_words, report_as_of, word
from kpitrack.domain.model import Kind, Plan, Target
from kpitrack.domain.lights import COLOURS, LIGHT
from kpitrack.reports.ledger import ledger, row_status_words
from kpitrack.reports.pace import cell_counts, cell_words, count_label
from kpitrack.reports.report import ATTENTION, Item, is_flagged

# The columns of the page's table, in the ledger's order, and how each is aligned.
PAGE_COLUMNS = (("number", "num"), ("title", "title"), ("owner", "owner"), ("target", "num"), ("current", "num"),
                ("completion", "num"), ("planned", "num"), ("lag", "num"), ("status", ""), ("last_update", "date"))

@lru_cache(maxsize=None)  # one compile of the templates a run: a site renders a thousand pages
def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    return Environment(loader=PackageLoader("kpitrack", "templates"), autoescape=select_autoescape(["j2", "html"]),
                       undefined=StrictUndefined, trim_blocks=False)


def page_cells(row: dict[str, Any], lang: str) -> dict[str, Any]:
    """A ledger row as the page shows it: numbers with separators and units, the status in words."""
    status = " · ".join(row_status_words(row, lang))
    return {**row, "title": visible(row["title"]), "owner": visible(row["owner"] or ""),
            "target": row["target_words"] + (f" {visible(row['unit'])}" if row["unit"] else "")
            if row["target"] is not None else "—",
            # the figure as the tables word it: 近60, 尚未完成
            "current": visible(row["progress"] or row["current_words"]), "completion": completion_cell(row, lang),
            "planned": percent(row["planned"]), "lag": "—" if row["lag"] is None else signed(row["lag"]),
            "status": status, "last_update": row["last_update"].isoformat() if row["last_update"] else "—"}


def completion_cell(row: dict[str, Any], lang: str) -> str:
    """`47.49%`; for a growth rate its gap to the target (`-0.2 pt`, `-0.2个百分点`), for an indicator
    its change since the reading before (`Δ+0.3`), as the terminal and Markdown give them; else `—`."""
    if row["completion"] is not None:  # with a 力争 pledge's stretch completion, as Markdown gives it
        return with_stretch(percent(row["completion"]), row.get("stretch_completion"), lang)
    if row.get("gap") is not None:
        return in_language(lang, "{points} pt").format(points=signed(row["gap"]))
    if row.get("change") is not None:
        return f"Δ{row['change']:+}"
    return "—"


def _attention(target: Target, figures: Figures, others: dict[str, Target] | None, lang: str) -> dict[str, Any]:
    from markupsafe import Markup

    from kpitrack.formats.svgchart import burnup_svg

    card = attention_card(target, figures, lang)
    card["chart"] = Markup(burnup_svg(target, figures, others, lang)) if target.kind is not Kind.MILESTONE else ""
    return card


def attention_card(target: Target, figures: Figures, lang: str) -> dict[str, Any]:
    """A target that needs attention as the page and the Word document list it: its title, its status
    cell as the table words it, and its figures in lines (completion, plan and gap as every table
    gives them; what it needs a month; its last three figures)."""
    seen = shown(figures)
    completion = (with_stretch(percent(seen.completion), figures.stretch_completion, lang)
                  if figures.completion is not None else done_cell(figures))  # a growth rate's gap: points
    # the figure against the target as the table words it (95 / ≥120 家, not done): progress_cell
    label = in_language(lang, done_label(figures))  # 完成率; a growth rate's 与目标相差, an indicator's 变化
    lines = [f"{word('current', lang)} {progress_cell(target, figures)} · {label} {completion}"
             + (f" · {word('planned', lang)} {percent(seen.planned)} · {word('lag', lang)} {signed(printed_gap(seen))}"
                if seen.vs_plan is not None else "")
             + (f" · {word('plan_completion', lang)} {percent(figures.plan_completion)}" if own_plan(target, figures) else "")]
    if figures.required_per_month:
        lines.append(word("needs", lang, pace=with_unit(figures.required_per_month, target.unit),
                          due=target.due.isoformat()))
    for entry in last_known_entries(target, figures, 3):
        note = f" ({visible(entry.note)})" if entry.note else ""
        lines.append(f"{entry.date.isoformat()}: {entry_value(entry)}{note}")
    status = cell_words(target, figures, lang)
    return {"id": target.id, "title": visible(title_of(target)), "light": LIGHT[figures.status],
            "status": " · ".join(status), "lines": lines}


def _plans(items: list[Item], plans: dict[str, Plan] | None, others: dict[str, Target] | None, lang: str,
           charts: bool = True) -> list[dict[str, Any]]:
    pages = []
    for index, sheet in enumerate(ledger(items, plans)):
        summary = sheet["summary"]
        counts = [{"count": count.count, "light": LIGHT[count.status], "word": count_label(count, lang)}
                  for count in cell_counts(sheet["items"], lang)]  # what the rows' status cells say
        if summary.stale:
            counts.append({"count": summary.stale, "light": "grey", "word": word("stale", lang)})
        label = group_label(sheet["group"], plans, lang)
        attention = [_attention(target, figures, others, lang) for target, figures in sheet["items"]
                     if charts and is_flagged(figures, ATTENTION, stale=True)]
        pages.append({"anchor": f"plan-{index + 1}", "label": label, "summary": summary, "counts": counts,
                      "rows": [page_cells(row, lang) for row in sheet["rows"]], "attention": attention})
    return pages


def ledger_rows(rows: list[dict[str, Any]], columns: list[dict[str, str]]):
    """The ledger table's rows as the page shows them (a cell per column, the status with its light,
    the title with its id and, on the site, its link): written here rather than by the template, which
    took a third of the page's time on 1,000 rows looking up each cell's fields."""
    from markupsafe import Markup, escape

    heads = [(column["key"], f'<td data-label="{escape(column["label"])}" class="{escape(column["css"])}')
             for column in columns]
    parts = []
    for row in rows:
        parts.append("<tr>\n")
        for key, head in heads:
            cell = escape(row[key])
            if key == "status":
                light = escape(row["light"])
                parts.append(f'{head} status {light}"><span class="light {light}"></span>{cell}</td>\n')
            elif key == "title":
                shown = f'<a href="{escape(row["href"])}">{cell}</a>' if "href" in row else cell
                parts.append(f'{head}">{shown}<div class="id">{escape(row["id"])}</div></td>\n')
            else:
                parts.append(f'{head}">{cell}</td>\n')
        parts.append("</tr>\n")
    return Markup("".join(parts))


def entry_rows(entries: list[tuple]):
    """A target's entries as its page's table rows (the figure's cell aligned as a number): written
    here rather than by the template, whose loop over 100,000 cells was a third of the site's time."""
    from markupsafe import Markup, escape

    return Markup("".join("<tr>" + "".join(f'<td class="num">{escape(cell)}</td>' if place == 1 else
                                           f"<td>{escape(cell)}</td>" for place, cell in enumerate(entry)) + "</tr>\n"
                          for entry in entries))


def _columns(lang: str) -> list[dict[str, str]]:
    return [{"key": key, "label": word(key, lang), "css": css} for key, css in PAGE_COLUMNS]


def _render(template: str, lang: str, heading: str, as_of: date, plans: list[dict[str, Any]],
            target: dict[str, Any] | None = None, **more: Any) -> str:
    return _environment().get_template(template).render(
        lang=lang, w=lambda key, **values: word(key, lang, **values), count_words=lambda count: count_words(count, lang),
        heading=heading, as_of=as_of.isoformat(), as_of_line=as_of_line(as_of, lang), plans=plans, columns=_columns(lang), target=target,
        ledger_rows=ledger_rows, entry_rows=entry_rows,
        inks={light: ink for light, (_fill, ink) in COLOURS.items()}, **more) + "\n"  # a light's ink: domain.lights'


def report_html(as_of: date, items: list[Item], plans: dict[str, Plan] | None = None,
                others: dict[str, Target] | None = None, lang: str = "en", sections=()) -> str:
    heading = report_as_of(as_of, lang)
    return _render("page.html.j2", lang, heading, as_of, _plans(items, plans, others, lang), sections=sections)


# A web address inside a source's text: http or https only (never javascript: or file:), up to a
# space, a bracket, a quote or Chinese punctuation; trailing full stops and commas are not part of it.
WEB_ADDRESS = re.compile(r"https?://[^\s<>\"'()（）“”‘’，。、；]+", re.IGNORECASE)


def linked(text: str):
    """`text` escaped for a page, each http(s) address in it a link (Markup)."""
    from markupsafe import Markup, escape

    if "://" not in text:  # no address (most notes and sources): the text escaped
        return escape(text)
    from urllib.parse import urlsplit

    pieces, last = [], 0
    for found in WEB_ADDRESS.finditer(text):
        address = found.group().rstrip(".,;:!?")
        if not urlsplit(address).netloc:
            continue
        pieces += [escape(text[last:found.start()]), Markup('<a href="{0}">{0}</a>').format(address)]
        last = found.start() + len(address)
    return Markup("").join([*pieces, escape(text[last:])])


def target_section(target: Target, figures: Figures, others: dict[str, Target] | None, lang: str) -> dict[str, Any]:
    """A target's own part of its page: its chart (none for a milestone) and every entry, its source linked."""
    from markupsafe import Markup

    from kpitrack.formats.svgchart import burnup_svg

    chart = Markup(burnup_svg(target, figures, others, lang, small=False)) if target.kind is not Kind.MILESTONE else ""
    entries = [(entry.date.isoformat(), entry_value(entry), word("yes", lang) if entry.total else "",
                visible(entry.note or ""), linked(visible(entry.source or "")))
               for entry in sorted(recorded_by(target, figures.as_of), key=lambda entry: entry.date)]
    labels = [word(key, lang) for key in ("date", "value", "total", "note", "source")]
    return {"chart": chart, "entries": entries, "entry_labels": labels}


def show_html(target: Target, figures: Figures, others: dict[str, Target] | None = None, lang: str = "en") -> str:
    return _render("page.html.j2", lang, visible(title_of(target)), figures.as_of,
                   _plans([(target, figures)], None, others, lang, charts=False),
                   target_section(target, figures, others, lang))


def report_html_of(report, lang: str) -> str:
    from kpitrack.formats.chase import report_sections

    return report_html(report.as_of, list(report.items), report.plans, report.others, lang,
                       report_sections(report, lang))
