"""The report as a Word document (python-docx): per plan the summary and the ledger table, then the
targets needing attention with their burn-up charts as pictures, for an office to edit and send."""

from __future__ import annotations

import io
from datetime import date, datetime
from functools import lru_cache

from kpitrack.formats.html import PAGE_COLUMNS, attention_card, page_cells
from kpitrack.reports.pace import cell_counts, count_phrase
from kpitrack.domain.lights import COLOURS
from kpitrack.words.labels import report_as_of, word
from kpitrack.words.i18n import in_language
from kpitrack.domain.model import Kind, Plan, Target
from kpitrack.words.display import as_of_line, group_label, xml_safe
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
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    from kpitrack.formats.pngchart import burnup_png

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)  # A4, turned for the wide table
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.5))
    _house_style(document, qn, Pt)
    _header_and_footer(section, as_of_line(as_of, lang), qn)
    properties = document.core_properties
    properties.title = report_as_of(as_of, lang)
    properties.author = properties.last_modified_by = xml_safe(office or "kpitrack")
    properties.created = properties.modified = _now()
    properties.revision = 1
    width = section.page_width - section.left_margin - section.right_margin
    total = sum(COLUMN_WEIGHTS.get(key, 2.0) for key, _ in PAGE_COLUMNS)
    widths = [int(width * COLUMN_WEIGHTS.get(key, 2.0) / total) for key, _ in PAGE_COLUMNS]
    styles = {name: document.styles[name].style_id for name in ("Title", "Heading 1", "Heading 2", "List Bullet",
                                                                 "Table Grid")}
    body = _Body(document, styles, widths, width // len(PAGE_COLUMNS))
    body.heading(report_as_of(as_of, lang), "Title")
    for sheet in ledger(items, plans):
        body.heading(xml_safe(group_label(sheet["group"], plans, lang)), "Heading 1")
        summary = sheet["summary"]
        separator = in_language(lang, "; ")  # ；in Chinese
        body.paragraph(separator.join(count_phrase(count, lang) for count in cell_counts(sheet["items"], lang))
                       + (f"{separator}{word('stale', lang)} {summary.stale}" if summary.stale else ""))
        header = [(word(key, lang), "center", None) for key, _ in PAGE_COLUMNS]
        rows = []
        for row in sheet["rows"]:
            cells = page_cells(row, lang)
            rows.append([(xml_safe(str(cells[key])),  # a title or unit may hold a control character
                          "right" if css == "num" else None,
                          COLOURS[row["light"]][1][1:].upper() if key == "status" else None)
                         for key, css in PAGE_COLUMNS])
        body.table(header, rows)
        flagged = [(target, figures) for target, figures in sheet["items"] if is_flagged(figures, ATTENTION, True)]
        if flagged:
            body.heading(word("attention", lang), "Heading 2")
        for target, figures in flagged:  # as the page's cards: the status cell and the figures
            card = attention_card(target, figures, lang)
            body.paragraph(xml_safe(f"{card['title']} — {card['status']}"), "List Bullet")
            for line in card["lines"]:
                body.paragraph(xml_safe(line))
            if target.kind is not Kind.MILESTONE:
                body.picture(burnup_png(target, figures, others, lang), Cm(9))  # a parent sums its parts
    for heading, parts in sections:  # by owner, changed since, figures received (formats/chase.py)
        body.heading(xml_safe(heading), "Heading 1")
        for subheading, lines in parts:
            if subheading:
                body.heading(xml_safe(subheading), "Heading 2")
            for line in lines:
                body.paragraph(xml_safe(line), "List Bullet")
    body.close()
    return _saved(document)


def _saved(document) -> bytes:
    """The document's package as python-docx saves it (its parts, their relationships and content
    types, by its own PackageWriter steps), but the pictures stored in the zip as they are: a PNG is
    deflated already, and deflating 906 of them again took 0.08 s to save a sixth of their size."""
    from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile

    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    buffer = io.BytesIO()
    with ZipFile(buffer, "w", compression=ZIP_DEFLATED) as archive:
        class Writer:  # python-docx's zip writer's one method
            @staticmethod
            def write(pack_uri, blob: bytes) -> None:
                archive.writestr(pack_uri.membername, blob, compress_type=ZIP_STORED if pack_uri.ext == "png" else None)

        parts = list(package.parts)
        for part in parts:
            part.before_marshal()
        PackageWriter._write_content_types_stream(Writer, parts)
        PackageWriter._write_pkg_rels(Writer, package.rels)
        PackageWriter._write_parts(Writer, parts)
    return buffer.getvalue()


class _Body:
    """The document's body written as WordprocessingML text and parsed once, as python-docx would
    make it element by element (the same XML: its add_table, cell.text, add_picture), in a fraction
    of the time: python-docx looks up a cell's or a picture's neighbours on every call, which on a
    thousand rows and pictures took most of a minute. The pictures' parts are added to the package
    directly, numbered as python-docx numbers them."""

    def __init__(self, document, styles: dict[str, str], widths: list[int], column: int) -> None:
        self.document, self.styles, self.parts = document, styles, []
        self.widths = [_twips(cell_width) for cell_width in widths]
        self.column = _twips(column)
        self.pictures = 0
        self.images: dict[bytes, str] = {}  # the same picture twice is one part, as python-docx does
        self.rels = document.part.rels
        self.next_rid = 1

    def paragraph(self, text: str, style: str | None = None) -> None:
        style_xml = f'<w:pPr><w:pStyle w:val="{self.styles[style]}"/></w:pPr>' if style else ""
        self.parts.append(f"<w:p>{style_xml}{_run(text) if text else ''}</w:p>")

    def heading(self, text: str, style: str) -> None:
        self.paragraph(text, style)

    def table(self, header: list, rows: list[list]) -> None:
        """`header` and `rows`: (text, alignment or None, colour or None) for each cell."""
        font = (f'<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{TABLE_FONT}"/>')
        size = f'<w:sz w:val="{round(TABLE_SIZE * 2)}"/>'

        def cells(line: list, bold: bool) -> str:
            out = []
            for (text, align, colour), twips in zip(line, self.widths):
                properties = (font + ("<w:b/>" if bold else "") + (f'<w:color w:val="{colour}"/>' if colour else "")
                              + size)
                out.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips}"/></w:tcPr><w:p>'
                           + (f'<w:pPr><w:jc w:val="{align}"/></w:pPr>' if align else "")
                           + _run(text, properties) + "</w:p></w:tc>")
            return "".join(out)

        grid = "".join(f'<w:gridCol w:w="{self.column}"/>' for _ in self.widths)
        self.parts.append(
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.styles["Table Grid"]}"/><w:tblW w:type="auto" w:w="0"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" '
            'w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>"
            # the header row repeats on every page, and no row splits across pages
            '<w:tr><w:trPr><w:tblHeader w:val="true"/><w:cantSplit w:val="true"/></w:trPr>'
            + cells(header, True) + "</w:tr>"
            + "".join(f"<w:tr>{cells(line, False)}</w:tr>" for line in rows) + "</w:tbl>")

    def picture(self, png: bytes, cx: int) -> None:
        """A PNG (PNG_SIZE pixels) in a paragraph of its own, `cx` EMU wide."""
        from kpitrack.formats.pngchart import PNG_SIZE

        rid = self.images.get(png)
        if rid is None:
            rid = self.images[png] = self._add_image(png)
        self.pictures += 1
        number = self.pictures
        cy = int(round(cx * PNG_SIZE[1] / PNG_SIZE[0]))
        self.parts.append(
            '<w:p><w:r><w:drawing><wp:inline xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
            'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{number}" name="Picture {number}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
            '<pic:nvPicPr><pic:cNvPr id="0" name="image.png"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"/>'
            "</pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>")

    def _add_image(self, png: bytes) -> str:
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.opc.packuri import PackURI
        from docx.parts.image import ImagePart

        while f"rId{self.next_rid}" in self.rels:  # the first free rId, as python-docx takes it
            self.next_rid += 1
        rid = f"rId{self.next_rid}"
        part = ImagePart(PackURI(f"/word/media/image{len(self.images) + 1}.png"), "image/png", png)
        self.rels.add_relationship(RELATIONSHIP_TYPE.IMAGE, part, rid)
        return rid

    def close(self) -> None:
        """The paragraphs and tables put before the section's properties, at the end of the body, in
        the document part's XML as python-docx serializes it: the part then writes these bytes as its
        own, and the body is never a tree of 100,000 elements (40 MB and a parse and a serializing:
        lxml moving them one by one into the document took seconds)."""
        from docx.opc.oxml import serialize_part_xml

        part = self.document.part
        text = serialize_part_xml(part.element)
        at = text.rindex(b"<w:sectPr")
        part.__class__ = _written_part()  # the part's blob is the bytes written here
        part.written = text[:at] + "".join(self.parts).encode("utf-8") + text[at:]


@lru_cache(maxsize=1)
def _written_part():
    from docx.parts.document import DocumentPart

    class WrittenDocumentPart(DocumentPart):
        """python-docx's document part whose XML was written as text (_Body.close)."""

        @property
        def blob(self) -> bytes:
            return self.written

    return WrittenDocumentPart


def _twips(emu: int) -> int:
    return int(round(emu / 635))  # python-docx's Length.twips


def _run(text: str, properties: str = "") -> str:
    """A run of `text` as python-docx writes one: a tab is <w:tab/>, a line break <w:br/>, text
    with spaces at an end keeps them."""
    from xml.sax.saxutils import escape

    parts = []
    for index, piece in enumerate(text.replace("\r", "\n").split("\n")):
        if index:
            parts.append("<w:br/>")
        for place, chunk in enumerate(piece.split("\t")):
            if place:
                parts.append("<w:tab/>")
            if chunk:
                space = ' xml:space="preserve"' if len(chunk.strip()) < len(chunk) else ""
                parts.append(f"<w:t{space}>{escape(chunk)}</w:t>")
    return f"<w:r>{f'<w:rPr>{properties}</w:rPr>' if properties else ''}{''.join(parts)}</w:r>"


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
