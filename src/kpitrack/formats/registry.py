"""The formats of `report`, by name: what each writes (text or bytes), whether it needs --out,
its file extension, and its renderer (imported when used, so that start-up stays light). A
command builds the report, looks its format up here, renders and writes: no if/elif over formats."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from kpitrack.reports.build import Report


@dataclass(frozen=True)
class Format:
    name: str
    module: str  # kpitrack.formats.<module>
    function: str  # its renderer: (report, lang) -> str | bytes
    binary: bool = False  # writes bytes
    out_only: bool = False  # a file, never stdout: needs --out
    extension: str = ""
    sections: bool = False  # renders the per-owner and since-a-date sections too
    default_lang: str | None = None  # the language when none was chosen (the ledger: the office's Chinese)
    encodable: bool = False  # --encoding applies (CSV for Excel on Chinese Windows)

    @property
    def render(self) -> Callable[[Report, str], str | bytes]:
        return getattr(import_module(f"kpitrack.formats.{self.module}"), self.function)


REPORT_FORMATS = {format.name: format for format in (
    Format("markdown", "markdown", "report_markdown_of", extension="md", sections=True),
    Format("html", "html", "report_html_of", extension="html", sections=True),
    Format("svg", "charts", "plan_bars_of", extension="svg"),
    Format("json", "machine", "report_json_of", extension="json", sections=True),
    Format("csv", "machine", "report_csv_of", extension="csv", encodable=True),
    Format("xlsx", "workbook", "ledger_workbook_of", binary=True, out_only=True, extension="xlsx", default_lang="zh"),
    Format("docx", "docx_report", "report_docx_of", binary=True, out_only=True, extension="docx", sections=True),
)}
