"""The formats of `report`, by name: what each writes (text or bytes), whether it needs --out,
its file extension, and its renderer (imported when used, so that start-up stays light). A
command builds the report, looks its format up here, renders and writes: no if/elif over formats."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from kpitrack.reports.build import Report


@dataclass(frozen=True)
class Format:
    name: str
    module: str  # kpitrack.formats.<module>
    function: str  # its renderer: (report, lang) -> str | bytes (for a folder, its pages' names and (name, text) pairs)
    binary: bool = False  # writes bytes
    out_only: bool = False  # a file, never stdout: needs --out
    extension: str = ""
    sections: bool = False  # renders the per-owner and since-a-date sections too
    default_lang: str | None = None  # the language when none was chosen (the ledger: the office's Chinese)
    encodable: bool = False  # --encoding applies (CSV for Excel on Chinese Windows)
    console: bool = False  # Rich renderables for the terminal, rendered at its width: (report, lang, width)
    soft_wrap: bool = False  # printed with Rich's soft wrap (lines as long as they are)
    streams: bool = False  # an iterator of lines, written as they are made
    folder: bool = False  # writes a folder of pages (formats.site.Site: names, then each page drawn): needs --out DIR

    @property
    def render(self) -> Callable[..., Any]:
        """The renderer, called as (report, lang[, width]): it speaks `lang` while it renders (lines it
        streams too), and the interface's language again after."""
        function = getattr(import_module(f"kpitrack.formats.{self.module}"), self.function)

        def in_its_language(report: Report, lang: str, *rest):
            from kpitrack.words.i18n import speaking

            with speaking(lang):
                made = function(report, lang, *rest)
            return _spoken_while_read(made, lang) if isinstance(made, Iterator) else made
        return in_its_language


def _spoken_while_read(lines: Iterator, lang: str) -> Iterator:
    from kpitrack.words.i18n import speaking

    with speaking(lang):
        yield from lines


REPORT_FORMATS = {format.name: format for format in (
    Format("markdown", "markdown", "report_markdown_of", extension="md", sections=True),
    Format("html", "html", "report_html_of", extension="html", sections=True),
    Format("svg", "slides", "report_slides_of", extension="svg"),
    Format("json", "machine", "report_json_of", extension="json", sections=True),
    Format("csv", "machine", "report_csv_of", extension="csv", encodable=True),
    Format("xlsx", "workbook", "ledger_workbook_of", binary=True, out_only=True, extension="xlsx", default_lang="zh"),
    Format("docx", "docx_report", "report_docx_of", binary=True, out_only=True, extension="docx", sections=True),
    Format("site", "site", "report_site_of", out_only=True, folder=True),
)}


def _views(*formats: Format) -> dict[str, Format]:
    return {format.name: format for format in formats}


# The reading commands' formats: renderers of their report values in formats.views.
STATUS_FORMATS = _views(
    Format("table", "views", "status_table_of", console=True, soft_wrap=True),
    Format("json", "views", "status_json_of", extension="json"),
    Format("csv", "views", "status_csv_of", extension="csv", encodable=True),
    Format("markdown", "views", "status_markdown_of", extension="md"),
)
OWNER_FORMATS = _views(  # status --by owner
    Format("table", "views", "owner_table_of", console=True),
    Format("json", "views", "owners_json_of", extension="json"),
    Format("markdown", "views", "owners_markdown_of", extension="md"),
)
SHOW_FORMATS = _views(
    Format("table", "views", "show_table_of", console=True),
    Format("json", "views", "show_json_of", extension="json"),
    Format("html", "views", "show_html_of", extension="html"),
    Format("svg", "views", "show_svg_of", extension="svg"),
)
PLANS_FORMATS = _views(
    Format("table", "views", "plans_table_of", console=True),
    Format("json", "views", "plans_json_of", extension="json"),
)
MISSING_FORMATS = _views(  # status --missing
    Format("table", "views", "missing_table_of", console=True),
    Format("json", "views", "missing_json_of", extension="json"),
    Format("csv", "views", "missing_csv_of", extension="csv", encodable=True),
    Format("markdown", "views", "missing_markdown_of", extension="md"),
)
CHECK_FORMATS = _views(Format("text", "views", "check_lines_of"))
EXPORT_FORMATS = _views(
    Format("csv", "views", "entries_csv_of", extension="csv", encodable=True, streams=True),
    Format("json", "views", "entries_json_of", extension="json", streams=True),
)
