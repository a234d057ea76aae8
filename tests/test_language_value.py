"""The language is a value (issue 22 item 4): a format renders in the language it is given and
gives the interface's back; a thread or a run speaks its own language, never another's. On the
shipped pledges (real data, read only)."""

from __future__ import annotations

import threading
from datetime import date

from helpers import SHIPPED_TARGETS
from kpitrack.files.workspace import load_workspace
from kpitrack.formats.registry import REPORT_FORMATS, STATUS_FORMATS
from kpitrack.reports.build import build_report
from kpitrack.reports.reading import status_report
from kpitrack.words.i18n import _, language, set_language, speaking

MESSAGE = "no targets match"  # any message of the catalogue


def chinese(message: str) -> str:
    with speaking("zh"):
        return _(message)


def test_speaking_gives_the_language_back():
    assert chinese(MESSAGE) != MESSAGE
    assert language() == "en" and _(MESSAGE) == MESSAGE


def test_a_thread_speaks_its_own_language():
    heard = {}
    started, spoken = threading.Event(), threading.Event()

    def chinese_thread():
        set_language("zh")
        started.set()
        spoken.wait(5)
        heard["thread"] = _(MESSAGE)

    thread = threading.Thread(target=chinese_thread)
    thread.start()
    started.wait(5)
    heard["main"] = _(MESSAGE)
    spoken.set()
    thread.join(5)
    assert heard == {"main": MESSAGE, "thread": chinese(MESSAGE)}


def test_a_format_renders_in_its_language_and_the_interface_keeps_its_own():
    workspace = load_workspace(SHIPPED_TARGETS)
    report = build_report(workspace, date(2024, 6, 30))
    page = REPORT_FORMATS["markdown"].render(report, "zh")
    assert "截至" in page and language() == "en" and _(MESSAGE) == MESSAGE
    assert "截至" not in REPORT_FORMATS["markdown"].render(report, "en")


def test_a_reading_command_renders_in_its_language_too():
    workspace = load_workspace(SHIPPED_TARGETS)
    rows = STATUS_FORMATS["markdown"].render(status_report(workspace, date(2024, 6, 30)), "zh")
    text = "".join(rows) if not isinstance(rows, str) else rows
    assert "指标" in text and language() == "en"
