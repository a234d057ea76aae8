"""Issue 22: one figure, one word, one count at every door (synthetic data throughout)."""

from __future__ import annotations

import json

import pytest


from helpers import progress, run, target_toml, write

GROWTH = ('# synthetic test data\ntitle = "synthetic growth"\nunit = "%"\nkind = "growth"\ntarget = 6.0\n'
          'start = 2024-01-01\ndue = 2024-12-31\n\n[[progress]]\ndate = 2024-06-30\nvalue = 5.8\n')
INDICATOR = ('# synthetic test data\ntitle = "synthetic indicator"\nunit = "%"\nkind = "indicator"\n'
             'start = 2024-01-01\ndue = 2024-12-31\n\n[[progress]]\ndate = 2024-03-31\nvalue = 3.2\n')


def no_data_workspace(tmp_path):
    write(tmp_path / "p" / "empty.toml", target_toml(target=1200, start="2024-01-01", due="2024-12-31"))
    return tmp_path


def test_a_target_with_no_data_has_no_current_figure_in_json_csv_and_markdown(tmp_path):
    root = no_data_workspace(tmp_path)
    rows = json.loads(run(root, "status", "--as-of", "2024-06-30", "--format", "json").stdout)["targets"]
    assert rows[0]["current"] is None
    csv_text = run(root, "status", "--as-of", "2024-06-30", "--format", "csv").stdout
    header, line = csv_text.splitlines()[:2]
    assert dict(zip(header.split(","), line.split(",")))["current"] == ""
    table_row = next(line for line in run(root, "report", "--as-of", "2024-06-30").stdout.splitlines()
                     if line.startswith("| empty "))
    assert table_row.split(" | ")[2] == "—"


def test_plans_gives_the_most_behind_gap_with_the_sign_status_gives(tmp_path):
    write(tmp_path / "p" / "slow.toml", target_toml(target=100, extra=progress("2023-03-01", 1)))
    status = run(tmp_path, "status", "--as-of", "2023-06-30").stdout
    plans = run(tmp_path, "plans", "--as-of", "2023-06-30").stdout
    assert "-48.59" in status and "-48.59 pt" in plans and "+48.59" not in plans


def test_plans_of_only_indicators_never_print_none(tmp_path):
    write(tmp_path / "p" / "watch.toml", INDICATOR)
    for language in ("en", "zh"):
        shown = run(tmp_path, "--lang", language, "plans", "--as-of", "2024-06-30").stdout
        assert "None" not in shown and "—" in shown


def test_a_growth_gap_is_shown_on_the_page_the_ledger_and_the_document(tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    write(tmp_path / "p" / "gdp.toml", GROWTH)
    page = run(tmp_path, "report", "--as-of", "2024-06-30", "--format", "html").stdout
    assert "-0.2 pt" in page
    run(tmp_path, "report", "--as-of", "2024-06-30", "--format", "xlsx", "--out", str(tmp_path / "l.xlsx"))
    cells = [cell.value for row in load_workbook(tmp_path / "l.xlsx").active.iter_rows() for cell in row]
    assert "-0.2个百分点" in cells  # the ledger is the office's Chinese form by default
    run(tmp_path, "report", "--as-of", "2024-06-30", "--format", "docx", "--out", str(tmp_path / "r.docx"))
    texts = [cell.text for table in Document(tmp_path / "r.docx").tables for row in table.rows for cell in row.cells]
    assert "-0.2 pt" in texts


def test_counts_say_how_many_rows_follow(tmp_path):
    write(tmp_path / "p" / "watch.toml", INDICATOR)
    write(tmp_path / "p" / "gdp.toml", GROWTH)
    status = run(tmp_path, "status", "--as-of", "2024-06-30").stdout
    markdown = run(tmp_path, "report", "--as-of", "2024-06-30").stdout
    assert "2 targets:" in status and "2 targets:" in markdown
    zh = run(tmp_path, "--lang", "zh", "status", "--as-of", "2024-06-30").stdout
    assert "共 2 个指标" in zh
    page = run(tmp_path, "--lang", "zh", "report", "--as-of", "2024-06-30", "--format", "html").stdout
    assert "共 2 个指标" in page


def test_the_word_report_draws_a_roll_ups_actual_line_from_its_parts(tmp_path):
    """The document's chart of a parent is the chart the page draws: its parts summed, not a line at 0."""
    from docx import Document

    from kpitrack.files.workspace import load_workspace
    from kpitrack.formats.pngchart import burnup_png
    from kpitrack.reports.report import evaluate

    parent = target_toml(title="synthetic: all", target=100, extra='parts = ["east", "west"]\n')
    write(tmp_path / "p" / "all.toml", parent)
    write(tmp_path / "p" / "east.toml", target_toml(target=50, extra=progress("2023-03-31", 10)))
    write(tmp_path / "p" / "west.toml", target_toml(target=50, extra=progress("2023-03-31", 10)))
    run(tmp_path, "report", "--as-of", "2023-06-30", "--format", "docx", "--out", str(tmp_path / "r.docx"))
    pictures = [part.blob for part in Document(tmp_path / "r.docx").part.package.parts
                if part.content_type == "image/png"]
    workspace = load_workspace(tmp_path)
    item = next(item for item in evaluate(workspace, __import__("datetime").date(2023, 6, 30))
                if item[0].id == "all")
    assert burnup_png(*item, workspace.by_id(), "en") in pictures
    assert burnup_png(*item, None, "en") not in pictures


def test_status_to_light_is_one_table_that_every_output_reads():
    """The terminal's light word and style, the page's, the ledger's and the charts' colour agree for every status."""
    from kpitrack.domain.lights import LIGHT
    from kpitrack.domain.model import Status
    from kpitrack.reports.ledger import ledger_row
    from kpitrack.words.display import LIGHT_NAMES, LIGHT_STYLES

    assert set(LIGHT) == set(Status) == set(LIGHT_STYLES)
    assert all(LIGHT_NAMES[status] == LIGHT[status] for status in LIGHT_NAMES)  # `(green)` where the page paints green
    assert all(LIGHT_STYLES[status].split()[-1] == LIGHT[status] for status in Status if LIGHT[status] != "grey")
    assert ledger_row.__module__ == "kpitrack.reports.ledger"


def test_no_module_but_the_domains_lights_maps_a_status_to_a_colour():
    import re
    from pathlib import Path

    import kpitrack

    colour = re.compile(r"Status\.[A-Z_]+\s*:\s*\"(?:bold )?(?:green|yellow|red|grey)\"")
    source = Path(kpitrack.__file__).parent
    found = [str(path.relative_to(source)) for path in source.rglob("*.py") if colour.search(path.read_text("utf-8"))]
    assert found == ["domain/lights.py"]
    from kpitrack.domain.lights import COLOURS

    inks = re.compile("|".join(colour for fill_and_ink in COLOURS.values() for colour in fill_and_ink), re.IGNORECASE)
    assert [path.name for path in (source / "templates").iterdir() if inks.search(path.read_text("utf-8"))] == []


def test_the_report_command_offers_exactly_the_registered_formats():
    from kpitrack.cli.checks import ReportFormat
    from kpitrack.formats.registry import REPORT_FORMATS

    assert [choice.value for choice in ReportFormat] == list(REPORT_FORMATS)
    for chosen in REPORT_FORMATS.values():
        assert callable(chosen.render) and chosen.out_only == (chosen.binary or chosen.folder)
        assert bool(chosen.extension) != chosen.folder  # a file's extension, or a folder of pages


def test_the_chinese_page_and_markdown_read_a_sentence_the_same_way(tmp_path):
    write(tmp_path / "p" / "slow.toml", target_toml(target=100, extra=progress("2023-03-01", 1)))
    markdown = run(tmp_path, "--lang", "zh", "report", "--as-of", "2023-06-30").stdout
    page = run(tmp_path, "--lang", "zh", "report", "--as-of", "2023-06-30", "--format", "html").stdout
    from kpitrack.words.i18n import in_language

    for sentence in ("Needing attention", "{count} target"):
        assert in_language("zh", sentence).split("{")[0] in markdown
        assert in_language("zh", sentence).split("{")[0] in page


def test_no_layer_cuts_apart_a_text_that_a_function_made():
    """Layers hand each other small records, not sentences to cut apart (a lag sentence split at its
    comma, a rendered table cut below its title, an attention text split into its lines)."""
    import re
    from pathlib import Path

    import kpitrack

    cut = re.compile(r"(\w+)\([^()]*\)\.(?:split|splitlines|partition|rsplit)\(")
    allowed = {"repr", "replace", "read_text", "decode", "strip"}  # a number's digits, input typed, a file read
    source = Path(kpitrack.__file__).parent
    found = [f"{path.relative_to(source)}: {match.group(0)}" for layer in ("formats", "cli", "reports", "git", "writing")
             for path in sorted((source / layer).rglob("*.py"))
             for match in cut.finditer(path.read_text("utf-8")) if match.group(1) not in allowed]
    assert found == []
    joined = re.compile(r"""\.(?:partition|split)\(["']\\0["']\)""")  # two values joined by a NUL, cut apart again
    assert [str(path.relative_to(source)) for layer in ("formats", "cli", "reports")
            for path in sorted((source / layer).rglob("*.py")) if joined.search(path.read_text("utf-8"))] == []


def test_the_check_lines_lag_is_in_points_only_in_english():
    from datetime import date

    from helpers import make_target
    from kpitrack.domain.compute import figures as compute
    from kpitrack.reports.report import lag_sentence

    figures = compute(make_target(entries=[(date(2023, 3, 31), 100)]), date(2023, 6, 30))
    assert figures.lag is not None and figures.lag_days is not None
    assert lag_sentence(figures) == lag_sentence(figures, days=False) + f", {figures.lag_days:+d} d"


# --- One wording in every output (a new user's trial: synthetic data throughout) --------------

AGREE_AS_OF = "2025-08-31"
STRETCH = ('# synthetic test data\ntitle = "synthetic 确保1000、力争1200"\nunit = "家"\ntarget = 1000\n'
           'stretch_target = 1200\nstart = 2025-01-01\ndue = 2025-12-31\nowner = "甲局"\n'
           + progress("2025-08-31", 700))
DUE_SOON = ('# synthetic test data\ntitle = "synthetic due soon"\nunit = "个"\ntarget = 1200\nstart = 2025-01-01\n'
            'due = 2025-09-15\nwarn_days = 30\nowner = "乙局"\n' + progress("2025-08-31", 1100))
AT_ROOT = ('# synthetic test data\ntitle = "synthetic at the root"\nunit = "套"\ntarget = 5000\nstart = 2025-01-01\n'
           'due = 2025-12-31\nowner = "丁局"\n' + progress("2025-08-31", 3000))
NODES = ('# synthetic test data\ntitle = "synthetic node plan"\nkind = "milestone"\nstart = 2025-01-01\n'
         'due = 2025-12-31\n\n[[node]]\nname = "开工"\ndue = 2025-03-31\n\n[[node]]\nname = "完工"\ndue = 2025-12-31\n'
         '\n[[progress]]\ndate = 2025-03-20\nnode = "开工"\ndone = true\n')


def agree_workspace(tmp_path):
    write(tmp_path / "kpitrack.toml", 'schedule = "monthly"\n')
    write(tmp_path / "p" / "stretch.toml", STRETCH)
    write(tmp_path / "p" / "soon.toml", DUE_SOON)
    write(tmp_path / "p" / "nodes.toml", NODES)
    write(tmp_path / "root.toml", AT_ROOT)
    return tmp_path


def page_text(html: str) -> str:
    import re
    from html import unescape

    html = re.sub(r"<(style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def page_status_cells(html: str) -> dict[str, str]:
    """{id: status cell} of a page's ledger tables."""
    import re
    from html import unescape

    cells = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        found = re.search(r'<div class="id">([^<]*)</div>', row)
        status = re.search(r'class="[^"]*status[^"]*"><span[^>]*></span>([^<]*)</td>', row)
        if found and status:
            cells[unescape(found.group(1))] = unescape(status.group(1))
    return cells


def documents(root, lang="zh"):
    """The page, the Word document's table rows and header, the ledger's sheets, the site's plan
    pages and the slides, as of AGREE_AS_OF in `lang`."""
    from docx import Document
    from openpyxl import load_workbook

    at = ("--lang", lang, "report", "--as-of", AGREE_AS_OF)
    page = run(root, *at, "--format", "html").stdout
    run(root, *at, "--format", "docx", "--out", str(root / "r.docx"))
    document = Document(root / "r.docx")
    word_rows = {row.cells[1].text: [cell.text for cell in row.cells]
                 for table in document.tables for row in table.rows}
    run(root, *at, "--format", "xlsx", "--out", str(root / "l.xlsx"))
    book = load_workbook(root / "l.xlsx")
    run(root, *at, "--format", "site", "--out", str(root / "site"))
    site = "".join(path.read_text(encoding="utf-8") for path in sorted((root / "site").glob("plan-*.html")))
    slides = run(root, *at, "--format", "svg").stdout
    return {"page": page, "word": word_rows, "word_header": document.sections[0].header.paragraphs[0].text,
            "word_headings": [paragraph.text for paragraph in document.paragraphs], "book": book,
            "site": site, "slides": slides}


def sheet_rows(book) -> dict[str, dict]:
    """{id: {header: value}} over the ledger's sheets."""
    rows = {}
    for sheet in book.worksheets:
        lines = list(sheet.iter_rows(values_only=True))
        if lines and "编号" in lines[0]:
            for line in lines[1:]:
                row = dict(zip(lines[0], line))
                rows[row["编号"]] = row
    return rows


def markdown_cells(text: str) -> dict[str, dict]:
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    return {cells[0]: dict(zip(header, cells)) for line in lines[1:]
            for cells in [[cell.strip() for cell in line.strip("|").split("|")]] if cells[0] != header[0]}


def test_the_stretch_completion_is_shown_beside_the_completion_in_every_output(tmp_path):
    root = agree_workspace(tmp_path)
    row = json.loads(run(root, "status", "--as-of", AGREE_AS_OF, "--format", "json").stdout)["targets"]
    assert next(r for r in row if r["id"] == "stretch")["stretch_completion"] == 58.33
    markdown = markdown_cells(run(root, "--lang", "zh", "report", "--as-of", AGREE_AS_OF).stdout)
    cell = markdown["stretch"]["完成率"]
    assert cell == "70.00%（力争目标58.33%）"
    shown = documents(root)
    assert cell in page_text(shown["page"])
    assert cell in shown["word"]["synthetic 确保1000、力争1200"]
    assert cell in page_text(shown["site"])
    assert f">{cell}</text>" in shown["slides"]  # the bar's label
    ledger = sheet_rows(shown["book"])
    assert ledger["stretch"]["完成率"] == 0.7 and ledger["stretch"]["力争目标完成率"] == 0.5833
    assert ledger["soon"]["力争目标完成率"] is None
    english = run(root, "report", "--as-of", AGREE_AS_OF, "--format", "html").stdout
    assert "70.00% (stretch 58.33%)" in page_text(english)


def test_due_soon_is_said_the_same_way_in_every_output(tmp_path):
    root = agree_workspace(tmp_path)
    status = run(root, "--lang", "zh", "status", "--as-of", AGREE_AS_OF).stdout
    assert "临期" in next(line for line in status.splitlines() if " soon " in line)
    markdown = markdown_cells(run(root, "--lang", "zh", "report", "--as-of", AGREE_AS_OF).stdout)
    shown = documents(root)
    page = page_status_cells(shown["page"])
    ledger = sheet_rows(shown["book"])
    site = page_status_cells(shown["site"])
    for target_id, title in (("soon", "synthetic due soon"), ("stretch", "synthetic 确保1000、力争1200")):
        flagged = target_id == "soon"
        cells = {"markdown": markdown[target_id]["状态"], "page": page[target_id], "site": site[target_id],
                 "word": shown["word"][title][8], "ledger": ledger[target_id]["状态"]}
        for where, text in cells.items():
            assert ("临期" in text) == flagged, (where, text)


def test_the_workspace_root_has_one_name_in_every_output(tmp_path):
    root = agree_workspace(tmp_path)
    name = "（工作区根目录）"
    assert name in run(root, "--lang", "zh", "status", "--as-of", AGREE_AS_OF).stdout
    assert name in run(root, "--lang", "zh", "plans", "--as-of", AGREE_AS_OF).stdout
    assert name in run(root, "--lang", "zh", "report", "--as-of", AGREE_AS_OF).stdout
    assert name in run(root, "--lang", "zh", "show", "root", "--as-of", AGREE_AS_OF).stdout  # its 分组 line
    assert "(workspace root)" in run(root, "show", "root", "--as-of", AGREE_AS_OF).stdout
    shown = documents(root)
    assert name in page_text(shown["page"]) and name in shown["word_headings"]
    assert name in shown["book"].sheetnames
    for text in (page_text(shown["page"]), *shown["word_headings"], *shown["book"].sheetnames):
        assert "台账" not in text, text


def test_the_as_of_line_is_worded_once(tmp_path):
    from datetime import date

    from kpitrack.words.display import as_of_line

    root = agree_workspace(tmp_path)
    assert as_of_line(date(2025, 8, 31), "zh") == "截至：2025年8月31日"
    assert as_of_line(date(2025, 8, 31), "en") == "As of: 2025-08-31"
    shown = documents(root)
    assert "截至：2025年8月31日" in page_text(shown["page"]) and "截至日期: " not in shown["page"]
    assert shown["word_header"] == "截至：2025年8月31日"
    assert "截至2025年8月31日" in run(root, "--lang", "zh", "status", "--as-of", AGREE_AS_OF).stdout
    english = run(root, "report", "--as-of", AGREE_AS_OF, "--format", "html").stdout
    assert "As of: 2025-08-31" in page_text(english)


def test_markdown_gives_target_values_in_the_shared_number_style(tmp_path):
    root = agree_workspace(tmp_path)
    markdown = markdown_cells(run(root, "report", "--as-of", AGREE_AS_OF).stdout)
    status = run(root, "status", "--as-of", AGREE_AS_OF).stdout
    assert markdown["soon"]["Target"] == "1,200" and "1,100 / 1,200" in status
    assert markdown["root"]["Target"] == "5,000"


def test_the_readings_charts_legend_is_in_the_interfaces_language(tmp_path):
    write(tmp_path / "p" / "gdp.toml", GROWTH)
    chinese = run(tmp_path, "--lang", "zh", "show", "gdp", "--as-of", "2024-06-30").stdout
    assert "• 读数  · 目标值" in chinese and "reading" not in chinese
    assert "• reading  · target" in run(tmp_path, "show", "gdp", "--as-of", "2024-06-30").stdout


def test_a_milestone_has_no_direction_in_show(tmp_path):
    from kpitrack.domain.applies import applies
    from kpitrack.domain.model import Kind

    assert not applies(Kind.MILESTONE, "direction")
    root = agree_workspace(tmp_path)
    kind_line = next(line for line in run(root, "--lang", "zh", "show", "nodes", "--as-of", AGREE_AS_OF).stdout
                     .splitlines() if line.startswith("类型"))
    assert "节点" in kind_line and "增加" not in kind_line
    assert "增加" in next(line for line in run(root, "--lang", "zh", "show", "soon", "--as-of", AGREE_AS_OF).stdout
                        .splitlines() if line.startswith("类型"))


LATE_MILESTONE = ('# synthetic test data\ntitle = "synthetic late milestone"\nkind = "milestone"\n'
                  'start = 2025-01-01\ndue = 2025-06-30\nowner = "戊局"\n')
WORDED_BEHIND = ('# synthetic test data\ntitle = "synthetic 超5000套"\nunit = "套"\ntarget = 5000\n'
                 'qualifier = "over"\nstart = 2025-01-01\ndue = 2025-12-31\nowner = "己局"\n'
                 + progress("2025-08-31", 1000))


def test_the_page_words_a_milestone_and_a_worded_target_as_the_tables_do(tmp_path):
    """The page's table and its attention cards give a milestone's 累计完成 and a worded target
    (超5,000) as Markdown and status do: the cards wrote `— / 1` and `1,000 套 / 5,000 套`, the
    table `—` (found by a new user's trial)."""
    write(tmp_path / "p" / "late.toml", LATE_MILESTONE)
    write(tmp_path / "p" / "worded.toml", WORDED_BEHIND)
    markdown = markdown_cells(run(tmp_path, "--lang", "zh", "report", "--as-of", AGREE_AS_OF).stdout)
    assert markdown["late"]["累计完成"] == "尚未完成" and markdown["worded"]["目标值"] == "超5,000"
    page = run(tmp_path, "--lang", "zh", "report", "--as-of", AGREE_AS_OF, "--format", "html").stdout
    assert 'data-label="累计完成" class="num">尚未完成<' in page
    text = page_text(page)
    assert "累计完成 尚未完成 ·" in text
    assert f"累计完成 {markdown['worded']['累计完成']} / {markdown['worded']['目标值']} 套 ·" in text


def test_each_language_shows_its_own_title_in_every_output(tmp_path):
    """README: `title_en` is the title in English, `title` in Chinese, in every output; the page,
    the Word document and the ledger gave `title` in both (found by a new user's trial)."""
    from docx import Document
    from openpyxl import load_workbook

    write(tmp_path / "p" / "worded.toml", WORDED_BEHIND.replace('unit = "套"', 'title_en = "synthetic over 5,000 homes"\nunit = "套"'))
    for lang, title in (("en", "synthetic over 5,000 homes"), ("zh", "synthetic 超5000套")):
        said = ("--lang", lang)
        assert f"| worded | {title} |" in run(tmp_path, *said, "report", "--as-of", AGREE_AS_OF).stdout
        assert title in page_text(run(tmp_path, *said, "report", "--as-of", AGREE_AS_OF, "--format", "html").stdout)
        for suffix in ("docx", "xlsx"):
            out = tmp_path / f"{lang}.{suffix}"
            assert run(tmp_path, *said, "report", "--as-of", AGREE_AS_OF, "--format", suffix, "--out", str(out)).exit_code == 0
        cells = [cell.text for table in Document(tmp_path / f"{lang}.docx").tables for row in table.rows for cell in row.cells]
        assert any(text.startswith(title) for text in cells), cells
        book = load_workbook(tmp_path / f"{lang}.xlsx")
        assert title in [row[2] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]


MISSED = ('# synthetic test data\ntitle = "synthetic missed"\nunit = "家"\ntarget = 100\n'
          'start = 2025-01-01\ndue = 2025-06-30\nowner = "庚局"\n' + progress("2025-06-30", 40))


def test_an_ended_targets_status_cell_says_how_it_ended_in_every_output(tmp_path):
    """Once a target has a verdict, every status cell words it as the terminal does (未完成), not
    its status (逾期未完成): the page, Word, the ledger, the site and Markdown gave the status. Word's
    attention list gives the status cell and the figures, as the page's cards do."""
    from docx import Document

    write(tmp_path / "p" / "missed.toml", MISSED)
    terminal = run(tmp_path, "--lang", "zh", "status", "--as-of", AGREE_AS_OF).stdout
    assert "未完成" in terminal and "逾期未完成" not in terminal.split("\n", 2)[2]
    markdown = markdown_cells(run(tmp_path, "--lang", "zh", "report", "--as-of", AGREE_AS_OF).stdout)
    shown = documents(tmp_path)
    cells = {"markdown": markdown["missed"]["状态"], "page": page_status_cells(shown["page"])["missed"],
             "site": page_status_cells(shown["site"])["missed"], "word": shown["word"]["synthetic missed"][8],
             "ledger": sheet_rows(shown["book"])["missed"]["状态"]}
    assert set(cells.values()) == {"未完成"}, cells
    paragraphs = [paragraph.text for paragraph in Document(tmp_path / "r.docx").paragraphs]
    card = paragraphs.index("synthetic missed — 未完成")
    assert paragraphs[card + 1].startswith("累计完成 40 / 100 家 · 完成率 40.00%"), paragraphs[card:card + 3]
    assert "累计完成 40 / 100 家 · 完成率 40.00%" in page_text(shown["page"])


@pytest.mark.slow  # six reports of the shipped pledges
def test_every_summary_counts_what_its_rows_status_cells_say(tmp_path):
    """A summary names only what its rows say: it counted 逾期未完成 15 over rows that said 未完成 or
    未报送 (an ended target's cell words its verdict). Markdown's line against its table, per plan,
    for the shipped pledges past their due dates; and the page's counts against the page's cells."""
    import re
    from collections import Counter
    from pathlib import Path

    shipped = Path(__file__).parents[1] / "targets"
    for lang in ("zh", "en"):
        said = run(shipped, "--lang", lang, "report", "--as-of", "2025-03-31").stdout
        for section in said.split("\n## ")[1:-1]:  # each plan's; the last is the attention list
            line = next(text for text in section.splitlines() if text[:1].isdigit() or text.startswith("共"))
            cells = Counter(markdown_cells(section)[key]["状态" if lang == "zh" else "Status"]
                            for key in markdown_cells(section))
            counts = re.split(r"[，,] (?![^（(]*[）)])|，(?![^（]*）)", line.split("：" if lang == "zh" else ": ", 1)[1].split("；")[0].split("; ")[0])
            for part in counts:
                whole = re.match(r"(?:(\d+) (.+?)|(.+?) (\d+))(?:[（(](.*)[）)])?$", part)
                number, word = (int(whole[1]), whole[2]) if whole[1] else (int(whole[4]), whole[3])
                ways = [re.match(r"(?:(\d+) (.+)|(.+) (\d+))$", way) for way in re.split(r"，|, ", whole[5] or "")] if whole[5] else []
                named = {word} | {way[2] or way[3] for way in ways}
                assert number == sum(count for cell, count in cells.items() if cell in named), (lang, part, cells)
    page = run(shipped, "--lang", "zh", "report", "--as-of", "2025-03-31", "--format", "html").stdout
    chips = Counter()  # over the page's plans
    for count, word in re.findall(r'<li class="status \w+"><b>(\d+)</b><span[^>]*></span>([^<]*)</li>', page):
        chips[word] += int(count)
    cells = Counter(page_status_cells(page).values())
    assert chips["未完成"] == cells["未完成"] and chips["未报送"] == cells["未报送"] > 0, (chips, cells)


def test_a_growth_rates_gap_is_never_called_its_completion(tmp_path):
    """Beside a growth rate's gap in points the sentences say 与目标相差, as `show` does, not 完成率
    (the Markdown attention lines, the page's cards and Word's list said 完成率 -0.2个百分点)."""
    from docx import Document

    write(tmp_path / "p" / "gdp.toml", GROWTH)
    at = ("--lang", "zh", "report", "--as-of", "2024-06-30")
    assert "与目标相差 -0.2个百分点" in run(tmp_path, "--lang", "zh", "show", "gdp", "--as-of", "2024-06-30").stdout.replace("  ", " ")
    markdown = run(tmp_path, *at).stdout
    page = page_text(run(tmp_path, *at, "--format", "html").stdout)
    run(tmp_path, *at, "--format", "docx", "--out", str(tmp_path / "r.docx"))
    word = " ".join(paragraph.text for paragraph in Document(tmp_path / "r.docx").paragraphs)
    for where, text in (("markdown", markdown), ("page", page), ("word", word)):
        assert "与目标相差 -0.2个百分点" in text and "完成率 -0.2" not in text, where


NEARLY = ('# synthetic test data\ntitle = "synthetic 近60"\nunit = "个"\ntarget = 60\nstart = 2025-01-01\n'
          'due = 2025-12-31\n\n[[progress]]\ndate = 2025-07-31\nvalue = 60\ntotal = true\nqualifier = "nearly"\n')
LATE_NODES = ('# synthetic test data\ntitle = "synthetic late nodes"\nkind = "milestone"\nstart = 2025-01-01\n'
              'due = 2025-12-31\n\n[[node]]\nname = "开工"\ndue = 2025-03-31\n\n[[node]]\nname = "主体完工"\n'
              'due = 2025-06-30\n\n[[node]]\nname = "通车"\ndue = 2025-12-31\n'
              '\n[[progress]]\ndate = 2025-03-20\nnode = "开工"\ndone = true\n')


def test_a_figure_published_as_a_bound_and_late_nodes_read_the_same_in_every_output(tmp_path):
    """近60 was a bare 60 on the page and in Word; a node plan's late nodes (主体完工逾期未完成) were in
    status, show and check but not in Markdown's, the page's, Word's or the ledger's status cells; an
    entry of a node plan was listed as a bare 已完成, without its node."""
    write(tmp_path / "p" / "nearly.toml", NEARLY)
    write(tmp_path / "p" / "nodes.toml", LATE_NODES)
    status = run(tmp_path, "--lang", "zh", "status", "--as-of", AGREE_AS_OF).stdout
    assert "近60" in status and "主体完工逾期未完成" in status
    markdown = markdown_cells(run(tmp_path, "--lang", "zh", "report", "--as-of", AGREE_AS_OF).stdout)
    shown = documents(tmp_path)
    assert markdown["nearly"]["累计完成"] == "近60"
    rows = {row["id"]: row for row in json.loads(run(tmp_path, "status", "--as-of", AGREE_AS_OF, "--format", "json").stdout)["targets"]}
    assert (rows["nearly"]["current"], rows["nearly"]["current_qualifier"]) == (60, "nearly")  # scripts see the 近 too
    csv_lines = run(tmp_path, "status", "--as-of", AGREE_AS_OF, "--format", "csv").stdout.splitlines()
    nearly = next(line for line in csv_lines if line.startswith("nearly,"))
    assert dict(zip(csv_lines[0].split(","), nearly.split(",")))["current_qualifier"] == "nearly"
    assert 'data-label="累计完成" class="num">近60<' in shown["page"]
    assert shown["word"]["synthetic 近60"][4] == "近60"
    cells = {"markdown": markdown["nodes"]["状态"], "page": page_status_cells(shown["page"])["nodes"],
             "site": page_status_cells(shown["site"])["nodes"], "word": shown["word"]["synthetic late nodes"][8],
             "ledger": sheet_rows(shown["book"])["nodes"]["状态"]}
    for where, text in cells.items():
        assert "主体完工逾期未完成" in text, (where, text)
    listed = run(tmp_path, "--lang", "zh", "show", "nodes", "--as-of", AGREE_AS_OF).stdout
    assert "│ 2025-03-20 │ 开工 已完成 │" in listed


def test_exceeded_points_is_the_completion_shown_less_100(tmp_path):
    """exceeded_points came from the exact completion cut toward zero: 408 of 约410 showed 99.51% done
    and -0.48 points (116.22% and 16.21 for the shipped housing pledge)."""
    from decimal import Decimal
    from pathlib import Path

    write(tmp_path / "p" / "about.toml", target_toml(target=410, start="2025-01-01", due="2025-06-30",
                                                     extra='qualifier = "about"\n' + progress("2025-06-30", 408)))
    for root, as_of in ((tmp_path, "2025-07-01"), (Path(__file__).parents[1] / "targets", "2025-03-31")):
        rows = json.loads(run(root, "status", "--all", "--as-of", as_of, "--format", "json").stdout)["targets"]
        judged = [row for row in rows if row["exceeded_points"] is not None]
        assert judged
        for row in judged:
            assert Decimal(str(row["exceeded_points"])) == Decimal(str(row["completion"])) - 100, row["id"]


def test_every_word_a_status_cell_says_can_be_asked_for(tmp_path):
    """`--status` takes what the cells print: 超额完成 / exceeded was shown on five shipped pledges
    and refused as a filter (its suggestion was 未完成: found by a new user). `check --fail-on` a
    verdict no target has said so in a traceback (Status('done-late'))."""
    from pathlib import Path

    shipped = Path(__file__).parents[1] / "targets"
    rows = json.loads(run(shipped, "status", "--all", "--as-of", "2025-12-31", "--format", "json").stdout)["targets"]
    over = sorted(row["id"] for row in rows if (row["exceeded_points"] or 0) > 0)
    assert len(over) == 5
    for lang, word in (("en", "exceeded"), ("zh", "超额完成")):
        asked = run(shipped, "--lang", lang, "status", "--all", "--as-of", "2025-12-31", "--status", word,
                    "--format", "json")
        assert asked.exit_code == 0, asked.output
        assert sorted(row["id"] for row in json.loads(asked.stdout)["targets"]) == over
    none = run(shipped, "--lang", "zh", "check", "--fail-on", "done-late", "--as-of", "2023-06-30")
    assert none.exit_code == 0 and "逾期完成" in none.stdout, none.output
