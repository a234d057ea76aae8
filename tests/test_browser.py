"""The HTML report as a person sees it: opened in headless Chromium (Debian's chromium, with
fonts-noto-cjk; .ci/run installs both), its DOM read back, its width measured, screenshots taken."""

import html.parser
import json
import os
import shutil
import struct
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kpitrack.cli import app
from kpitrack.words.display import as_of_line

ROOT = Path(__file__).parents[1]
AS_OF = "2024-06-30"
pytestmark = pytest.mark.slow  # each page load starts a browser: seconds each

BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
needs_browser = pytest.mark.skipif(BROWSER is None, reason="no chromium here: `apt-get install chromium "
                                   "fonts-noto-cjk` (.ci/run does it when it runs as root)")


def kpitrack(*args):
    result = CliRunner().invoke(app, ["--dir", str(ROOT / "targets"), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def chromium(tmp_path, page: Path, *flags, width=1280, height=900) -> subprocess.CompletedProcess:
    """One headless run with a profile of its own and nothing reaching the network."""
    command = [BROWSER, "--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--hide-scrollbars",
               f"--user-data-dir={tmp_path / f'profile-{width}'}", f"--window-size={width},{height}", *flags,
               page.as_uri()]
    if os.geteuid() == 0:
        command.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


class Cells(html.parser.HTMLParser):
    """The ledger tables' rows as {data-label: text}, and the charts on the page."""

    def __init__(self):
        super().__init__()
        self.rows, self.cell, self.svgs, self.figures, self.width = [], None, 0, [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            self.rows.append({})
        elif tag == "td" and "data-label" in attrs:
            self.cell = attrs["data-label"]
            self.rows[-1][self.cell] = ""
        elif tag == "div" and attrs.get("class") == "id" and self.cell:
            self.rows[-1]["id"] = ""
            self.cell = "id"
        elif tag == "svg":
            self.svgs += 1
        elif tag == "figure" and attrs.get("class") == "attention":
            self.figures.append(attrs["data-id"])
        elif tag == "body" and "data-scroll-width" in attrs:
            self.width = int(attrs["data-scroll-width"])

    def handle_endtag(self, tag):
        if tag == "td":
            self.cell = None

    def handle_data(self, data):
        if self.cell:
            self.rows[-1][self.cell] += data


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    folder = tmp_path_factory.mktemp("page")
    path = folder / "report.html"
    kpitrack("report", "--as-of", AS_OF, "--format", "html", "--out", str(path))
    return path


def measured(page: Path, width: int) -> Path:
    """A harness holding the page in a frame exactly `width` px wide (headless Chromium's window is
    never narrower than 500 px) that writes the page's scroll width into its own DOM; the report
    itself has no script."""
    from html import escape

    harness = page.with_name(f"measured-{width}.html")
    harness.write_text(
        f'<!DOCTYPE html><html><body style="margin:0"><iframe id="page" style="border:0;width:{width}px;'
        f'height:900px" srcdoc="{escape(page.read_text(encoding="utf-8"), quote=True)}" onload="'
        "document.body.setAttribute('data-scroll-width', "
        "this.contentDocument.documentElement.scrollWidth)\"></iframe></body></html>", encoding="utf-8")
    return harness


@needs_browser
def test_the_tables_the_browser_builds_hold_the_figures_of_status_json(page, tmp_path):
    dom = chromium(tmp_path, page, "--dump-dom").stdout
    cells = Cells()
    cells.feed(dom)
    rows = {row["id"]: row for row in cells.rows if "id" in row}
    status = json.loads(kpitrack("status", "--as-of", AS_OF, "--format", "json", "--all"), parse_float=Decimal)["targets"]
    assert set(rows) == {target["id"] for target in status}
    for target in status:
        row = rows[target["id"]]
        completion = (f"{target['completion']}%" if target["completion"] is not None
                      else f"{target['gap']:+} pt" if target["gap"] is not None  # a growth rate, as in status
                      else f"Δ{target['change']:+}" if target["change"] is not None else "—")  # an indicator
        assert row["Completion"] == completion
        assert row["Time-elapsed progress"] == (f"{target['planned']}%" if target["planned"] is not None else "—")
        assert row["Progress gap"] == (f"{-target['lag']:+}" if target["lag"] is not None else "—")  # completion − plan
        pace = {"ahead": "ahead of plan", "at": "at plan", "behind": "behind plan", None: ""}[target["pace_class"]]
        worded = pace if target["status"] == "on-track" and pace else target["status"]  # never on-track below plan
        if (target["exceeded_points"] or 0) > 0:  # ended: how, as every status cell words it
            worded = "exceeded"
        elif target["verdict"]:
            worded = target["verdict"]
        assert row["Status"].startswith(worded) and pace in row["Status"], row["Status"]  # the codes in English
        if target["kind"] != "milestone" and target["last_update"]:  # 近, 超, 约 before a bound, as status gives it
            figure = row["Completed to date"].replace(",", "").lstrip("近超约").removesuffix(" (est.)")
            assert Decimal(figure) == target["current"]
    attention = json.loads(kpitrack("report", "--as-of", AS_OF, "--format", "json"))["attention"]
    assert cells.figures == attention  # each target needing attention has its figure
    kinds = {target["id"]: target["kind"] for target in status}
    charted = [target_id for target_id in attention if kinds[target_id] != "milestone"]
    assert cells.svgs == len(charted) > 0  # and a burn-up chart, unless it is a milestone
    assert "Needing attention" in dom


@needs_browser
@pytest.mark.parametrize("width", [375, 1280])
def test_nothing_overflows_the_screen(page, tmp_path, width):
    dom = chromium(tmp_path, measured(page, width), "--dump-dom", width=max(width, 500) + 100).stdout
    cells = Cells()
    cells.feed(dom)
    assert cells.width is not None, "the measuring script did not run"
    assert cells.width <= width, f"the page is {cells.width} px wide on a {width} px screen"


@needs_browser
def test_the_chinese_page_renders_and_screenshots_have_the_screens_width(tmp_path):
    path = tmp_path / "报告.html"
    kpitrack("report", "--as-of", AS_OF, "--format", "html", "--lang", "zh", "--out", str(path))
    assert "序时进度" in chromium(tmp_path, path, "--dump-dom").stdout
    for width in (375, 1280):
        shot = tmp_path / f"report-{width}.png"
        chromium(tmp_path, path, f"--screenshot={shot}", width=width, height=1200)
        header = shot.read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", header[16:24]) == (width, 1200)


def printed(tmp_path, page: Path) -> bytes:
    """The page printed to PDF beside it (page.pdf), each of its pages checked to be A4 landscape."""
    import re

    pdf = page.with_suffix(".pdf")
    chromium(tmp_path, page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    data = pdf.read_bytes()
    boxes = {tuple(round(float(number)) for number in box.split())
             for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)}
    assert boxes == {(0, 0, 842, 595)}  # A4 landscape in points
    return data


@needs_browser
def test_printed_to_pdf_the_report_is_on_a4_pages(page, tmp_path):
    """What an office files: the browser's print to PDF, on A4 landscape (the page's @page rule) over several pages."""
    import re

    data = printed(tmp_path, page)
    assert len(re.findall(rb"/Type\s*/Page\b", data)) > 2


PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="no pdftotext here to read the PDF back: "
                                     "`apt-get install poppler-utils`")


def twenty_targets(folder: Path) -> Path:
    """A 20-target plan: the shipped settings, the Luohu plan and its first 20 (real, sourced) targets."""
    root = folder / "twenty"
    plan = root / "luohu-2024"
    plan.mkdir(parents=True)
    shutil.copy(ROOT / "targets" / "kpitrack.toml", root)
    shutil.copy(ROOT / "targets" / "luohu-2024" / "plan.toml", plan)
    for path in sorted((ROOT / "targets" / "luohu-2024").glob("lh24-*.toml"))[:20]:
        shutil.copy(path, plan)
    return root


@needs_browser
@needs_pdftotext
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_twenty_target_plan_prints_on_three_a4_landscape_pages_that_read_whole(tmp_path, lang):
    """The filed copy: at most 3 landscape pages, each title on whole lines (not a character a line),
    the figures' headers each on one line (a new user's trial found 累计完成, 序时进度, 进度差 and
    Time-elapsed progress squeezed onto two), nothing cut at the right edge, the page number and
    the as-of date in the margin."""
    import re

    from kpitrack.words.labels import word

    root = twenty_targets(tmp_path)
    page = tmp_path / "twenty.html"
    result = CliRunner().invoke(app, ["--dir", str(root), "report", "--as-of", AS_OF, "--format", "html",
                                      "--lang", lang, "--out", str(page)])
    assert result.exit_code == 0, result.output
    printed(tmp_path, page)
    pdf = page.with_suffix(".pdf")
    pages = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")[:-1]
    assert len(pages) <= 3, f"{len(pages)} pages for 20 targets"
    lines = [line for text in pages for line in text.splitlines()]
    titles = [row["指标" if lang == "zh" else "Target"] for row in ledger_rows(page)]
    assert len(titles) == 20
    for title in titles:  # its first words on one line: a title squeezed to a character a line fails
        start = title[:6] if lang == "zh" else " ".join(title.split()[:2])
        assert any(start in line for line in lines), f"{title!r} is not on whole lines"
    first = pages[0].splitlines()
    for key in ("number", "target", "current", "completion", "planned", "lag", "last_update"):
        assert any(word(key, lang) in line for line in first), f"{word(key, lang)!r} is not on one line"
    for number, text in enumerate(pages, 1):  # the margin: the page's number and the as-of date
        assert re.search(rf"\b{number}\s*/\s*{len(pages)}\b", text) and as_of_line(date.fromisoformat(AS_OF), lang) in text
    words = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', words))
    assert right < 842 - 20, f"text reaches {right} pt on an 842 pt wide page: cut at the right edge"


def ledger_rows(page: Path) -> list[dict]:
    cells = Cells()
    cells.feed(page.read_text(encoding="utf-8"))
    return [row for row in cells.rows if "id" in row]
