"""The report as a Word document (python-docx): per plan the summary and the ledger table, then the
targets needing attention with their burn-up charts as pictures, for an office to edit and send."""

from __future__ import annotations

import io
from datetime import date, datetime

from kpitrack.formats.html import PAGE_COLUMNS, SUMMARY_ORDER, page_cells
from kpitrack.domain.lights import COLOURS
from kpitrack.words.labels import word
from kpitrack.words.i18n import in_language
from kpitrack.domain.model import Kind, Plan, Target
from kpitrack.words.display import xml_safe
from kpitrack.reports.ledger import ledger
from kpitrack.reports.report import ATTENTION, Item, is_flagged

# The house style of 公文 (GB/T 9704): body 仿宋 三号 (16 pt), headings 黑体, tables 宋体 (smaller, to
# fit ten columns). 仿宋 ships with every Chinese Windows (仿宋_GB2312 only where an office adds it).
BODY_FONT, HEADING_FONT, TABLE_FONT = "仿宋", "黑体", "宋体"
BODY_SIZE, TITLE_SIZE, HEADING_SIZE, TABLE_SIZE = 16, 22, 16, 10.5  # 三号, 二号, 三号, 五号
# Relative widths of the table's columns, by what they hold: the pledge's words get the room.
COLUMN_WEIGHTS = {"number": 1.1, "title": 8.0, "owner": 3.4, "target": 2.6, "current": 2.4, "completion": 2.0,
                  "planned": 2.0, "lag": 1.8, "status": 3.0, "last_update": 2.4}


def report_docx(as_of: date, items: list[Item], plans: dict[str, Plan] | None = None, lang: str = "en",
                others: dict[str, Target] | None = None, office: str | None = None, sections=()) -> bytes:
    """`office`: the author in the document's properties (the workspace's `office`; None: kpitrack)."""
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
    _house_style(document, qn, Pt)
    _header_and_footer(section, word("as_of", lang) + f": {as_of.isoformat()}", qn)
    properties = document.core_properties
    properties.title = word("report_as_of", lang, date=as_of.isoformat())
    properties.author = properties.last_modified_by = xml_safe(office or "kpitrack")
    properties.created = properties.modified = _now()
    properties.revision = 1
    width = section.page_width - section.left_margin - section.right_margin
    total = sum(COLUMN_WEIGHTS.get(key, 2.0) for key, _ in PAGE_COLUMNS)
    widths = [int(width * COLUMN_WEIGHTS.get(key, 2.0) / total) for key, _ in PAGE_COLUMNS]
    document.add_heading(word("report_as_of", lang, date=as_of.isoformat()), level=0)
    for sheet in ledger(items, plans):
        label = sheet["group"] + (f" — {sheet['title']}" if sheet["title"] else "")
        document.add_heading(xml_safe(label) or word("ledger", lang), level=1)
        summary = sheet["summary"]
        separator = in_language(lang, "; ")  # ；in Chinese
        document.add_paragraph(separator.join(f"{word(status.value, lang)} {summary.counts[status]}"
                                              for status in SUMMARY_ORDER)
                               + (f"{separator}{word('stale', lang)} {summary.stale}" if summary.stale else ""))
        table = document.add_table(rows=1, cols=len(PAGE_COLUMNS))
        table.style = "Table Grid"
        table.autofit = False
        for cell, (key, _) in zip(table.rows[0].cells, PAGE_COLUMNS):
            cell.text = word(key, lang)
            cell.paragraphs[0].runs[0].bold = True
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
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
        for line in table.rows:
            for cell, cell_width in zip(line.cells, widths):
                cell.width = cell_width
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        _font(run, TABLE_FONT, Pt(TABLE_SIZE), qn)
        flagged = [(target, figures) for target, figures in sheet["items"] if is_flagged(figures, ATTENTION, True)]
        if flagged:
            document.add_heading(word("attention", lang), level=2)
        for target, figures in flagged:
            document.add_paragraph(f"{xml_safe(target.title)} — {word(figures.status.value, lang)}", style="List Bullet")
            if target.kind is not Kind.MILESTONE:
                picture = burnup(target, figures, others, lang, small=True, kind="png")  # a parent sums its parts
                document.add_picture(io.BytesIO(picture), width=Cm(9))
    for heading, parts in sections:  # by owner, changed since, figures received (formats/chase.py)
        document.add_heading(xml_safe(heading), level=1)
        for subheading, lines in parts:
            if subheading:
                document.add_heading(xml_safe(subheading), level=2)
            for line in lines:
                document.add_paragraph(xml_safe(line), style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _font(holder, east_asian: str, size, qn) -> None:
    """A run's or a style's font: the East Asian face (w:eastAsia), Latin text in Times New Roman."""
    holder.font.size = size
    holder.font.name = "Times New Roman"
    holder.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def _house_style(document, qn, Pt) -> None:
    """仿宋 三号 body, 黑体 headings in black (not Word's blue theme), 二号 title."""
    from docx.shared import RGBColor

    _font(document.styles["Normal"], BODY_FONT, Pt(BODY_SIZE), qn)
    for name, size in (("Title", TITLE_SIZE), ("Heading 1", HEADING_SIZE), ("Heading 2", HEADING_SIZE),
                       ("Heading 3", HEADING_SIZE)):
        style = document.styles[name]
        _font(style, HEADING_FONT, Pt(size), qn)
        rfonts = style.element.rPr.rFonts
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(theme), None)  # a theme font would win over the named one
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.bold = name != "Title" or None
    document.styles["Title"].paragraph_format.alignment = 1  # centred


def _header_and_footer(section, as_of_text: str, qn) -> None:
    """The as-of date at the top right of every page, the page number centred at the bottom."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement

    header = section.header.paragraphs[0]
    header.text = as_of_text
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    footer._p.append(field)


def _repeat_header(row, qn) -> None:
    """The header row repeats on every page, and no row splits across pages."""
    from docx.oxml import OxmlElement

    properties = row._tr.get_or_add_trPr()
    for name in ("w:tblHeader", "w:cantSplit"):
        element = OxmlElement(name)
        element.set(qn("w:val"), "true")
        properties.append(element)


def _now() -> datetime:
    """When the document is made (UTC, to the second); SOURCE_DATE_EPOCH, where set, in its place, so
    that a build or a test can make the same document twice."""
    import os
    from datetime import timezone

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime.now(timezone.utc)
    return moment.replace(tzinfo=None, microsecond=0)


def report_docx_of(report, lang: str) -> bytes:
    from kpitrack.formats.chase import report_sections

    return report_docx(report.as_of, list(report.items), report.plans, lang, report.others,
                       office=report.office, sections=report_sections(report, lang))
