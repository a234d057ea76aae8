"""The report as a Word document (python-docx): per plan the summary and the ledger table, then the
targets needing attention with their burn-up charts as pictures, for an office to edit and send."""

from __future__ import annotations

import io
from datetime import date

from kpitrack.formats.html import PAGE_COLUMNS, SUMMARY_ORDER, page_cells
from kpitrack.domain.lights import COLOURS
from kpitrack.words.labels import word
from kpitrack.domain.model import Kind, Plan, Target
from kpitrack.words.display import xml_safe
from kpitrack.reports.report import ATTENTION, Item, is_flagged, ledger

CJK_FONT = "Microsoft YaHei"


def report_docx(as_of: date, items: list[Item], plans: dict[str, Plan] | None = None, lang: str = "en",
                others: dict[str, Target] | None = None) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    from kpitrack.formats.charts import burnup

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)  # A4, turned for the wide table
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.5))
    normal = document.styles["Normal"]
    normal.font.size = Pt(9)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)
    document.core_properties.title = word("report_as_of", lang, date=as_of.isoformat())
    document.add_heading(word("report_as_of", lang, date=as_of.isoformat()), level=0)
    for sheet in ledger(items, plans):
        label = sheet["group"] + (f" — {sheet['title']}" if sheet["title"] else "")
        document.add_heading(xml_safe(label) or word("ledger", lang), level=1)
        summary = sheet["summary"]
        document.add_paragraph("；".join(f"{word(status.value, lang)} {summary.counts[status]}"
                                        for status in SUMMARY_ORDER)
                               + (f"；{word('stale', lang)} {summary.stale}" if summary.stale else ""))
        table = document.add_table(rows=1, cols=len(PAGE_COLUMNS))
        table.style = "Table Grid"
        for cell, (key, _) in zip(table.rows[0].cells, PAGE_COLUMNS):
            cell.text = word(key, lang)
            cell.paragraphs[0].runs[0].bold = True
        _repeat_header(table.rows[0], qn)
        for row in sheet["rows"]:
            cells = page_cells(row, lang)
            line = table.add_row()
            for cell, (key, css) in zip(line.cells, PAGE_COLUMNS):
                cell.text = xml_safe(str(cells[key]))  # a title or unit may hold a control character
                if css == "num":
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if key == "status":
                    ink = COLOURS[row["light"]][1]
                    cell.paragraphs[0].runs[0].font.color.rgb = RGBColor.from_string(ink[1:].upper())
        flagged = [(target, figures) for target, figures in sheet["items"] if is_flagged(figures, ATTENTION, True)]
        if flagged:
            document.add_heading(word("attention", lang), level=2)
        for target, figures in flagged:
            document.add_paragraph(f"{xml_safe(target.title)} — {word(figures.status.value, lang)}", style="List Bullet")
            if target.kind is not Kind.MILESTONE:
                picture = burnup(target, figures, others, lang, small=True, kind="png")  # a parent sums its parts
                document.add_picture(io.BytesIO(picture), width=Cm(9))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _repeat_header(row, qn) -> None:
    """The header row repeats on every page, and no row splits across pages."""
    from docx.oxml import OxmlElement

    properties = row._tr.get_or_add_trPr()
    for name in ("w:tblHeader", "w:cantSplit"):
        element = OxmlElement(name)
        element.set(qn("w:val"), "true")
        properties.append(element)


def report_docx_of(report, lang: str) -> bytes:
    return report_docx(report.as_of, list(report.items), report.plans, lang, report.others)
