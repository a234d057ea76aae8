"""One truth rendered everywhere: for generated workspaces holding every kind of target, every
format (status JSON, CSV and table; the report's JSON, Markdown, page, ledger and Word document)
gives every target the same current figure, completion, planned, gap, status and verdict, `—`
(never 0) where there is no figure, and the same counts. Each output is read back as a reader
of it would: the CSV with csv, the page with html.parser, the ledger with openpyxl, the Word
tables with python-docx, the terminal table at 250 columns. Synthetic data throughout."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kpitrack.cli import app

# Status and verdict words of every language, written out here (not taken from the code) so that
# a format printing the wrong word cannot agree with itself.
STATUS_WORDS = {
    "not-started": "not-started", "未开始": "not-started", "done": "done", "已完成": "done",
    "on-track": "on-track", "达到序时进度": "on-track", "at-risk": "at-risk", "滞后": "at-risk",
    "behind": "behind", "严重滞后": "behind", "overdue": "overdue", "逾期未完成": "overdue",
    "no-data": "no-data", "未报送": "no-data", "tracked": "tracked", "跟踪监测": "tracked",
}
VERDICT_WORDS = {
    "done-early": "done-early", "提前完成": "done-early", "on-time": "on-time", "按时完成": "on-time",
    "done-late": "done-late", "逾期完成": "done-late", "missed": "missed", "未完成": "missed",
    "not-reported": "not-reported", "exceeded": "exceeded", "超额完成": "exceeded",
}
# The classes against the plan (超进度 / 达进度 / 欠进度), beside the light; a light names its band.
PACE_WORDS = {"ahead of plan": "ahead", "超进度": "ahead", "at plan": "at", "达进度": "at",
              "behind plan": "behind", "欠进度": "behind"}
LIGHT_WORDS = {"green": "on-track", "绿灯": "on-track", "yellow": "at-risk", "黄灯": "at-risk",
               "red": "behind", "红灯": "behind"}
NO_FIGURE = {"—", "", None}


def judged(cell: str, row: dict) -> bool:
    """Whether a status cell names the target's status (`behind (red)`, `红灯 严重滞后`) or, once
    judged, its verdict (`missed`, `超额完成` for a pledge done beyond its figure)."""
    verdicts = {row["verdict"]} | ({"exceeded"} if (row["exceeded_points"] or 0) > 0 else set())
    cell = str(cell)
    paces = {code for phrase, code in PACE_WORDS.items() if phrase in cell}
    for phrase in PACE_WORDS:
        cell = cell.replace(phrase, " ")
    words = [word for word in re.split(r"[\s()（）,，:：]+", cell) if word]
    lights = [LIGHT_WORDS[word] for word in words if word in LIGHT_WORDS]
    if paces != ({row["pace_class"]} if lights and row["pace_class"] else set()):
        raise AssertionError(f"{cell!r} names the class {paces or None}, not {row['pace_class']}")
    # 未报送 is the offices' word for a status (no figure yet) and for a verdict (none by the end):
    # once the verdict is not-reported, the cell names the verdict
    said_verdict = row["verdict"] == "not-reported"
    named = [STATUS_WORDS.get(word) for word in words if word in STATUS_WORDS and not (said_verdict and word == "未报送")]
    if not named and lights and paces:  # `欠进度（绿灯）`: the light names the band
        named = [row["status"]] if row["status"] in lights or (row["status"] == "overdue" and "behind" in lights) \
            else lights
    named_verdicts = [VERDICT_WORDS[word] for word in words if word in VERDICT_WORDS] + [
        "not-reported" for word in words if said_verdict and word == "未报送"]
    if not named and not named_verdicts:
        raise AssertionError(f"no status word in {cell!r}")
    if row["verdict"] and not named_verdicts:  # every table words an ended target by how it ended
        raise AssertionError(f"{cell!r} names no verdict, where the target's is {row['verdict']}")
    return (not named or row["status"] in named or bool(set(named_verdicts) & verdicts)) \
        and (not named_verdicts or bool(set(named_verdicts) & verdicts))


def number(cell) -> Decimal | None:
    """A figure as a cell shows it: `1,200 家`, `25.83%`, `-32.50`, `-0.2 pt`, `约6`; None for `—`."""
    if cell in NO_FIGURE or (isinstance(cell, str) and cell.strip() in NO_FIGURE):
        return None
    if isinstance(cell, (int, float)):
        return Decimal(str(cell))
    found = re.search(r"[-+]?\d[\d,]*(?:\.\d+)?", str(cell))
    assert found, f"no figure in {cell!r}"
    return Decimal(found.group().replace(",", ""))


# --- The workspace -------------------------------------------------------------------------

def toml_entries(entries) -> str:
    text = ""
    for day, value, extra in entries:
        text += f"\n[[progress]]\ndate = {day.isoformat()}\nvalue = {value}\n" + extra
    return text


def target_file(title, unit, target, kind=None, entries=(), extra="") -> str:
    lines = [f'title = "synthetic {title}"', f'unit = "{unit}"']
    if target is not None:
        lines.append(f"target = {target}")
    if kind:
        lines.append(f'kind = "{kind}"')
    lines += ["start = 2023-01-01", "due = 2023-12-31"]
    return "\n".join(lines) + "\n" + extra + toml_entries(entries)


days = st.dates(min_value=date(2023, 1, 1), max_value=date(2023, 12, 31))
amounts = st.integers(min_value=1, max_value=400)


@st.composite
def workspaces(draw):
    """Every kind: cumulative (increments and a running total), level, milestone, growth,
    indicator, a decrease target, a stretch target, a roll-up of two parts, an estimate, a
    target with no data, and a target in a closed plan; and an as-of date."""
    increments = sorted(draw(st.lists(st.tuples(days, amounts), max_size=4, unique_by=lambda e: e[0])))
    cumulative = [(day, value, "") for day, value in increments]
    if draw(st.booleans()) and increments:
        day = draw(days)
        if day not in {d for d, _ in increments}:
            cumulative = sorted(cumulative + [(day, draw(st.integers(1, 900)), "total = true\n")])
    readings = sorted(draw(st.lists(st.tuples(days, st.integers(0, 120)), max_size=3, unique_by=lambda e: e[0])))
    rates = sorted(draw(st.lists(st.tuples(days, st.decimals("0.5", "9.5", places=1)), max_size=3,
                                 unique_by=lambda e: e[0])))
    falling = sorted(draw(st.lists(st.tuples(days, st.integers(5, 20)), max_size=3, unique_by=lambda e: e[0])))
    done_day = draw(st.none() | days)
    part = [sorted(draw(st.lists(st.tuples(days, amounts), max_size=2, unique_by=lambda e: e[0]))) for _ in "ab"]
    estimate_day = draw(days)
    files = {
        "kpitrack.toml": 'schedule = "monthly"\n',
        "p/cum.toml": target_file("cumulative", "家", draw(st.integers(100, 1500)), entries=cumulative),
        "p/level.toml": target_file("level", "个", 100, "level", [(d, v, "") for d, v in readings],
                                    "baseline = 10\n"),
        "p/mile.toml": target_file("milestone", None, None, "milestone",
                                   [] if done_day is None else [(done_day, "", "")]).replace(
            'unit = "None"\n', "").replace("value = \n", "done = true\n"),
        "p/growth.toml": target_file("growth", "%", "6.0", "growth", [(d, v, "") for d, v in rates],
                                     'qualifier = "about"\n'),
        "p/ind.toml": target_file("indicator", "%", None, "indicator", [(d, v, "") for d, v in rates]),
        "p/dec.toml": target_file("decrease", "天", 5, "level", [(d, v, "") for d, v in falling],
                                  'direction = "decrease"\nbaseline = 20\n'),
        "p/stretch.toml": target_file("stretch", "家", 300, "cumulative",
                                      [(d, v, "") for d, v in increments], "stretch_target = 500\n"),
        "p/parent.toml": 'title = "synthetic parent"\nunit = "家"\nstart = 2023-01-01\ndue = 2023-12-31\n'
                         'parts = ["part-a", "part-b"]\n',
        "p/part-a.toml": target_file("part a", "家", 200, entries=[(d, v, "") for d, v in part[0]]),
        "p/part-b.toml": target_file("part b", "家", 300, entries=[(d, v, "") for d, v in part[1]]),
        "p/est.toml": target_file("estimate", "亿元", 50, entries=[(estimate_day, 30, "estimate = true\n")]),
        "p/silent.toml": target_file("no data", "个", 10),
        "p/later.toml": target_file("starts in September", "个", 30).replace("2023-01-01", "2023-09-01"),
        "old/plan.toml": 'title = "synthetic closed plan"\nclosed = true\n',
        "old/closed.toml": target_file("closed", "家", 40, entries=[(d, v, "") for d, v in increments[:2]]),
    }
    return files, draw(st.dates(min_value=date(2023, 1, 20), max_value=date(2024, 2, 28)))


def make(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def run(folder: Path, *args: str, columns: str = "250") -> str:
    environment = {"KPITRACK_DIR": str(folder), "COLUMNS": columns, "NO_COLOR": "1", "TERM": "dumb",
                   "LANG": "C.UTF-8", "LANGUAGE": None, "LC_ALL": None, "KPITRACK_LANG": None}
    result = CliRunner().invoke(app, list(args), env=environment)
    assert result.exit_code in (0, 1), f"{args}: {result.output}"
    return result.stdout


# --- Reading each output back --------------------------------------------------------------

def from_json(text: str) -> dict[str, dict]:
    return {row["id"]: row for row in json.loads(text, parse_float=Decimal)["targets"]}


def read_csv(text: str) -> dict[str, dict]:
    return {row["id"]: row for row in csv.DictReader(io.StringIO(text))}


class Tables(HTMLParser):
    """Every <table> of a page: its header cells and its rows of cell texts; the id of a row is
    the `id` div inside its title cell."""

    def __init__(self):
        super().__init__()
        self.tables: list[dict] = []
        self.cell: list[str] | None = None
        self.in_id = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"header": [], "rows": [], "caption": ""})
        elif tag == "caption" and self.tables:
            self.cell = []
        elif tag == "tr" and self.tables:
            self.row: list[str] = []
            self.row_id = None
        elif tag in ("td", "th") and self.tables:
            self.cell = []
        elif tag == "div" and ("class", "id") in attrs:
            self.in_id = True

    def handle_endtag(self, tag):
        if tag == "caption" and self.cell is not None:
            self.tables[-1]["caption"] = "".join(self.cell).strip()
            self.cell = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr" and self.tables:
            table = self.tables[-1]
            if not table["header"]:
                table["header"] = self.row
            else:
                table["rows"].append((self.row_id, self.row))
        elif tag == "div":
            self.in_id = False

    def handle_data(self, data):
        if self.in_id:
            self.row_id = data.strip()
        elif self.cell is not None:
            self.cell.append(data)


def markdown_rows(text: str) -> dict[str, dict]:
    rows, header = {}, None
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
        elif not set(cells[0]) <= {"-", ":"}:
            row = dict(zip(header, cells))
            if "ID" in row:
                rows[row["ID"]] = row
    return rows


def terminal_rows(text: str, ids: set[str]) -> dict[str, dict]:
    """The status table: id, progress, bar; then the columns, two spaces or more apart."""
    rows = {}
    for line in text.splitlines():
        found = re.match(r"^\s+(\S+)\s+(.*?)\s+([█·▌]{5,})\s+(.*)$", line)
        if found and found.group(1) in ids:
            done, plan, versus, status, *rest = re.split(r"\s{2,}", found.group(4))
            rows[found.group(1)] = {"progress": found.group(2), "done": done, "plan": plan, "vs": versus,
                                    "status": status}
    return rows


# --- What each target should show ----------------------------------------------------------

def shown_current(row: dict):
    """The current figure a person should see: none before the first figure."""
    return None if row["last_update"] is None and row["kind"] != "milestone" else row["current"]


def ahead(row: dict):
    """The gap as people read it, positive ahead: completion − plan, or a growth target's gap."""
    if row["kind"] == "growth":
        return row["gap"]
    if row["vs_plan"] is not None:  # the JSON's vs_plan is the tables' "vs plan", and lag its opposite
        assert row["vs_plan"] == -row["lag"], row
    return row["vs_plan"]


def shown_share(row: dict, field: str):
    """A completion or planned share as people see it: status JSON's own (null where people see `—`,
    as before the target's start)."""
    return row[field]


def gap_shown(row: dict, completion_cell, gap_cell):
    """The gap a row shows: its gap column; for a growth target, whose completion is its gap in
    points (`-0.2 pt`), whichever of the two columns gives it."""
    if row["kind"] == "growth" and number(gap_cell) is None:
        return number(completion_cell)
    return number(gap_cell)


def counted(summary: str) -> int:
    """How many targets a summary line says it covers: its first number (`4 targets: …`, `共 4 个指标`)."""
    return int(re.search(r"\d+", summary).group())


def same(expected, shown, what: str, where: str):
    expected = None if expected is None else Decimal(str(expected))
    assert shown == expected, f"{where}: {what} shows {shown}, the figures say {expected}"


PAGE_COLUMNS = {"status": "Status", "current": "Completed to date", "completion": "Completion",
                "planned": "Time-elapsed progress", "gap": "Progress gap"}
LEDGER_COLUMNS = {"status": "状态", "current": "累计完成", "completion": "完成率", "planned": "序时进度", "gap": "进度差"}


def ledger_row_agrees(row: dict, expected: dict, where: str, columns: dict[str, str], share=None) -> None:
    """A row of a ledger table (the page's, the workbook's, the Word document's) against the figures;
    `share` reads a percentage cell (the workbook holds 0.2583 for 25.83 %)."""
    share = share or number
    completion_cell = row[columns["completion"]]
    assert judged(row[columns["status"]], expected), f"{where}: {row[columns['status']]}"
    if expected["kind"] != "milestone":
        same(shown_current(expected), number(row[columns["current"]]), "current", where)
    if expected["kind"] == "indicator":
        same(expected["change"], number(completion_cell), "change", where)
    elif expected["kind"] != "growth":
        same(shown_share(expected, "completion"), share(completion_cell), "completion", where)
    same(shown_share(expected, "planned"), share(row[columns["planned"]]), "planned", where)
    same(ahead(expected), gap_shown(expected, completion_cell, row[columns["gap"]]), "gap", where)


def agree(folder: Path, as_of: date):
    day = as_of.isoformat()
    truth = from_json(run(folder, "status", "--all", "--format", "json", "--as-of", day))
    ids = set(truth)
    report = from_json(run(folder, "report", "--format", "json", "--as-of", day))
    assert report == truth, "report --format json and status --format json differ"

    for target_id, row in read_csv(run(folder, "status", "--all", "--format", "csv", "--as-of", day)).items():
        for field in ("current", "completion", "planned", "lag", "vs_plan", "gap"):
            same(truth[target_id][field], None if row[field] == "" else Decimal(row[field]), field, f"csv, {target_id}")
        for field in ("status", "verdict"):
            assert row[field] == (truth[target_id][field] or ""), f"csv, {target_id}: {field}"
        if truth[target_id]["last_update"] is None and truth[target_id]["kind"] != "milestone":
            assert row["current"] == "", f"csv {target_id}: a figure where none was reported"

    terminal = run(folder, "status", "--all", "--as-of", day)
    table = terminal_rows(terminal, ids)
    assert set(table) == ids
    assert counted(terminal.splitlines()[1]) == len(ids), f"the summary counts otherwise than the rows:\n{terminal}"
    for target_id, row in table.items():
        expected = truth[target_id]
        where = f"status table, {target_id}"
        assert judged(row["status"], expected), f"{where}: {row['status']}"
        same(shown_share(expected, "planned"), number(row["plan"]), "planned", where)
        if expected["kind"] == "indicator":
            same(expected["change"], number(row["done"]), "change", where)
        elif expected["kind"] != "growth":
            same(shown_share(expected, "completion"), number(row["done"]) if "%" in row["done"] else None, "completion",
                 where)
        same(ahead(expected), gap_shown(expected, row["done"], row["vs"]), "gap", where)
        if shown_current(expected) is None and expected["kind"] != "milestone":
            assert row["progress"].split("/")[0].strip() in NO_FIGURE, f"{where}: {row['progress']}"

    text = run(folder, "report", "--as-of", day)
    markdown = markdown_rows(text)
    assert set(markdown) == ids
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    for section in sections:
        rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| ID")]
        if rows:
            summary = next(line for line in section.splitlines()[1:] if line.strip())
            assert counted(summary) == len(rows), f"markdown section counts otherwise than its rows:\n{section}"
    for target_id, row in markdown.items():
        expected, where = truth[target_id], f"markdown report, {target_id}"
        assert judged(row["Status"], expected), f"{where}: {row['Status']}"
        if expected["kind"] != "milestone":
            same(shown_current(expected), number(row["Current"]), "current", where)
        same(shown_share(expected, "planned"), number(row["Plan"]), "planned", where)
        same(ahead(expected), gap_shown(expected, row["Done"], row["vs plan"]), "gap", where)

    page = folder / "page.html"
    run(folder, "report", "--format", "html", "--out", str(page), "--as-of", day)
    parser = Tables()
    parser.feed(page.read_text(encoding="utf-8"))
    ledger_tables = [table for table in parser.tables if "Status" in table["header"] and "Completion" in table["header"]]
    seen = set()
    for table in ledger_tables:
        for target_id, cells in table["rows"]:
            row, expected, where = dict(zip(table["header"], cells)), truth[target_id], f"page, {target_id}"
            seen.add(target_id)
            ledger_row_agrees(row, expected, where, PAGE_COLUMNS)
        assert table["rows"], "an empty ledger table"
        if table["caption"]:
            stated = re.findall(r"\d+", table["caption"].split("·")[-1])
            assert stated and int(stated[0]) == len(table["rows"]), f"page: {table['caption']} over {len(table['rows'])} rows"
    assert seen == ids

    import docx
    import openpyxl

    ledger = folder / "ledger.xlsx"
    run(folder, "report", "--format", "xlsx", "--out", str(ledger), "--as-of", day)
    seen = set()
    for sheet in openpyxl.load_workbook(ledger, read_only=True):
        rows = list(sheet.iter_rows(values_only=True))
        header = list(rows[0])
        if "编号" not in header:  # the sheet of instructions (填报说明)
            continue
        for values in rows[1:]:
            row = dict(zip(header, values))
            row["累计完成"] = row["累计完成"] if row["读数"] is None else row["读数"]  # a reading: 读数
            target_id, where = row["编号"], f"ledger, {row['编号']}"
            expected = truth[target_id]
            seen.add(target_id)
            ledger_row_agrees(row, expected, where, LEDGER_COLUMNS,
                              share=lambda value: None if value is None else number(value) * 100)
    assert seen == ids

    document = folder / "report.docx"
    run(folder, "report", "--format", "docx", "--out", str(document), "--as-of", day)
    by_title = {row["title"]: target_id for target_id, row in truth.items()}
    seen = set()
    for table in docx.Document(str(document)).tables:
        header = [cell.text for cell in table.rows[0].cells]
        if "Status" not in header:
            continue
        for table_row in table.rows[1:]:
            row = dict(zip(header, [cell.text for cell in table_row.cells]))
            target_id = by_title[row["Target"]]
            expected, where = truth[target_id], f"Word document, {target_id}"
            seen.add(target_id)
            ledger_row_agrees(row, expected, where, PAGE_COLUMNS)
    assert seen == ids


UNTIMED = {"deadline": None, "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]}


def agree_on_drawn(tmp_path_factory, drawn) -> None:
    files, as_of = drawn
    agree(make(tmp_path_factory.mktemp("agree"), files), as_of)


@pytest.mark.slow
@settings(max_examples=200, **UNTIMED)
@given(workspaces())
def test_every_format_gives_every_target_the_same_figures(tmp_path_factory, drawn):
    agree_on_drawn(tmp_path_factory, drawn)


@settings(max_examples=3, **UNTIMED)
@given(workspaces())
def test_a_few_workspaces_agree_in_every_format(tmp_path_factory, drawn):
    agree_on_drawn(tmp_path_factory, drawn)


def test_the_reference_workspace_agrees_mid_year_and_after_its_end(tmp_path):
    """One fixed draw, as of 31 July and after the year: a target with no data, a growth target
    short of its rate, a roll-up, a closed plan."""
    entries = [(date(2023, 3, 31), 310, ""), (date(2023, 6, 30), 650, "total = true\n")]
    files = {
        "kpitrack.toml": 'schedule = "monthly"\n',
        "p/cum.toml": target_file("cumulative", "家", 1200, entries=entries),
        "p/growth.toml": target_file("growth", "%", "6.0", "growth", [(date(2023, 6, 30), "5.8", "")],
                                     'qualifier = "about"\n'),
        "p/silent.toml": target_file("no data", "个", 10),
        "p/parent.toml": 'title = "synthetic parent"\nunit = "家"\nstart = 2023-01-01\ndue = 2023-12-31\n'
                         'parts = ["part-a"]\n',
        "p/part-a.toml": target_file("part a", "家", 200, entries=[(date(2023, 5, 31), 40, "")]),
        "p/later.toml": target_file("starts in September", "个", 30).replace("2023-01-01", "2023-09-01"),
        "old/plan.toml": 'title = "synthetic closed plan"\nclosed = true\n',
        "old/closed.toml": target_file("closed", "家", 40, entries=entries[:1]),
    }
    for as_of in (date(2023, 7, 31), date(2024, 1, 15)):
        agree(make(tmp_path / as_of.isoformat(), files), as_of)
