"""Issue 22: one figure, one word, one count at every door (synthetic data throughout)."""

from __future__ import annotations

import io
import json
from decimal import Decimal

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
    from kpitrack.formats.charts import burnup
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
    assert burnup(*item, workspace.by_id(), "en", small=True, kind="png") in pictures
    assert burnup(*item, None, "en", small=True, kind="png") not in pictures


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
