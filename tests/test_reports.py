"""Cron and reports (issue 4): check, staleness, report, import, export, charts, bare environments."""

import html.parser
import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import TARGET_TOML, make_target, write
from kpitrack.cli import app
from kpitrack.compute import figures
from kpitrack.model import Settings
from kpitrack.formats.show import burnup_chart

runner = CliRunner()


def run(root, *args):
    return runner.invoke(app, ["--dir", str(root), *args])


def progress(when, value, total=False):
    return f"\n[[progress]]\ndate = {when}\nvalue = {value}\n" + ("total = true\n" if total else "")


@pytest.fixture
def workspace(tmp_path):
    """Synthetic: one target on track, one behind, one done, in two folders."""
    write(tmp_path / "plan" / "ahead.toml", TARGET_TOML + progress("2023-06-30", 700))
    write(tmp_path / "plan" / "slow.toml", TARGET_TOML.replace("新增", "") + progress("2023-06-30", 100))
    write(tmp_path / "other" / "finished.toml", TARGET_TOML + progress("2023-05-31", 1200))
    return tmp_path


# --- check ---------------------------------------------------------------------------------


def test_check_exits_1_and_lists_each_flagged_target(workspace):
    result = run(workspace, "check", "--as-of", "2023-06-30")
    assert result.exit_code == 1
    assert result.stdout == "slow  behind  8.33% done  lag +41.26 pt  due 2023-12-31\n"


def test_check_exits_0_when_nothing_has_a_failing_status(workspace):
    result = run(workspace, "check", "--as-of", "2023-06-30", "--fail-on", "overdue")
    assert (result.exit_code, result.stdout) == (0, "3 targets as of 2023-06-30: none overdue\n")


def test_check_quiet_prints_nothing_at_all_on_success(workspace):
    result = run(workspace, "check", "--as-of", "2023-06-30", "--fail-on", "overdue", "--quiet")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert run(workspace, "check", "--as-of", "2023-06-30", "--quiet").exit_code == 1


def test_check_exits_2_on_bad_data_or_input(workspace):
    write(workspace / "broken.toml", "title = ")
    result = run(workspace, "check", "--as-of", "2023-06-30", "--fail-on", "overdue")
    assert result.exit_code == 2 and "broken.toml:1" in result.stderr
    assert run(workspace, "check", "--fail-on", "late").exit_code == 2


def test_check_can_fail_on_stale(workspace):
    write(workspace / "kpitrack.toml", 'cadence = "monthly"\n')
    result = run(workspace, "check", "--as-of", "2023-08-06", "--fail-on", "stale")
    assert result.exit_code == 0  # 2023-06-30 + 1 month + 7 days = 2023-08-06
    result = run(workspace, "check", "--as-of", "2023-08-07", "--fail-on", "stale")
    assert result.exit_code == 1
    assert [line.split()[:3] for line in result.stdout.splitlines()] == [
        ["ahead", "at-risk,", "stale"], ["slow", "behind,", "stale"]]


# --- staleness -----------------------------------------------------------------------------


@pytest.mark.parametrize("cadence, last, fresh_until", [
    ("weekly", date(2023, 6, 30), date(2023, 7, 14)),
    ("monthly", date(2023, 1, 31), date(2023, 3, 7)),  # a month after 31 January is 28 February
    ("quarterly", date(2023, 3, 31), date(2023, 7, 7)),
    ("yearly", date(2023, 3, 31), date(2024, 4, 7)),
    (10, date(2023, 6, 30), date(2023, 7, 17)),
])
def test_stale_from_the_day_after_cadence_plus_grace(cadence, last, fresh_until):
    target = make_target(due=date(2024, 12, 31), cadence=cadence, entries=[(last, 1)])
    day_before, day_after = fresh_until, date.fromordinal(fresh_until.toordinal() + 1)
    assert figures(target, day_before).stale is False
    assert figures(target, day_after).stale is True


def test_stale_counts_from_the_start_before_any_entry_and_uses_the_workspace_default():
    settings = Settings(cadence="monthly", stale_grace_days=0)
    target = make_target()
    assert figures(target, date(2023, 2, 1)).stale is False
    assert figures(target, date(2023, 2, 2), settings).stale is True
    assert figures(target, date(2023, 2, 2)).stale is False  # no cadence anywhere: never stale


def test_done_targets_are_never_stale():
    target = make_target(cadence="weekly", entries=[(date(2023, 2, 1), 1300)])
    assert figures(target, date(2023, 9, 1)).stale is False


def test_stale_shows_in_every_status_format(workspace):
    write(workspace / "kpitrack.toml", 'cadence = "weekly"\nstale_grace_days = 0\n')
    rows = json.loads(run(workspace, "status", "--as-of", "2023-07-08", "--format", "json").stdout)["targets"]
    assert {row["id"]: row["stale"] for row in rows} == {"finished": False, "ahead": True, "slow": True}
    assert ",behind,true," in run(workspace, "status", "--as-of", "2023-07-08", "--format", "csv").stdout
    assert "| behind (red) | stale |" in run(workspace, "status", "--as-of", "2023-07-08", "--format", "markdown").stdout
    assert "stale" in run(workspace, "status", "--as-of", "2023-07-08").stdout


def test_bad_cadence_is_reported_with_its_line(tmp_path):
    write(tmp_path / "x.toml", TARGET_TOML + 'cadence = "fortnightly"\n')
    result = run(tmp_path, "validate")
    assert result.exit_code == 2
    assert "x.toml:7: cadence 'fortnightly' is not one of weekly, monthly, quarterly, yearly" in result.stderr


# --- report --------------------------------------------------------------------------------


def test_markdown_report_has_a_summary_and_table_per_folder_and_an_attention_list(workspace):
    text = run(workspace, "report", "--as-of", "2023-06-30").stdout
    assert text.startswith("# kpitrack report as of 2023-06-30\n")
    assert ("## other\n\n1 target: 1 done, 0 on-track, 0 at-risk, 0 behind, 0 overdue, 0 no-data; "
            "100.00% on track (done or on-track)\n") in text
    assert ("## plan\n\n2 targets: 0 done, 1 on-track, 0 at-risk, 1 behind, 0 overdue, 0 no-data; "
            "50.00% on track (done or on-track)\n") in text
    table_rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| ID")]
    assert [row.split(" | ")[0] for row in table_rows] == ["| finished", "| ahead", "| slow"]
    attention = text.split("## Needing attention\n", 1)[1]
    assert "**slow \\(behind\\)" not in attention and "**slow (behind): " in attention
    assert "needs 181.96 firms a month to finish by 2023-12-31" in attention  # 1100 * 30.4375 / 184
    assert "2023-06-30: 100" in attention and "ahead" not in attention


class Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html_report_is_a_page_that_parses_and_holds_the_table(workspace, tmp_path):
    out = tmp_path / "report.html"
    result = run(workspace, "report", "--as-of", "2023-06-30", "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.output
    parser = Collector()
    parser.feed(out.read_text(encoding="utf-8"))
    text = "".join(parser.text)
    assert {"html", "head", "body", "table", "thead", "td", "svg"} <= set(parser.tags)
    assert "slow" in text and "behind" in text and "Needing attention" in text
    assert "charset=\"utf-8\"" in out.read_text()


def test_svg_report_is_well_formed_xml(workspace):
    result = run(workspace, "report", "--as-of", "2023-06-30", "--format", "svg")
    root = ElementTree.fromstring(result.stdout)
    assert root.tag.endswith("svg")
    assert "Completion against time-elapsed progress" in "".join(root.itertext())


def test_json_and_csv_reports(workspace):
    document = json.loads(run(workspace, "report", "--as-of", "2023-06-30", "--format", "json").stdout)
    assert document["groups"][1] == {"group": "plan", "targets": 2, "counts": {
        "not-started": 0, "done": 0, "on-track": 1, "at-risk": 0, "behind": 1, "overdue": 0, "no-data": 0, "tracked": 0},
        "stale": 0, "on_track_share": 50}
    assert document["attention"] == ["slow"]
    assert len(run(workspace, "report", "--as-of", "2023-06-30", "--format", "csv").stdout.splitlines()) == 4


def test_report_out_replaces_the_file_whole(workspace, tmp_path):
    out = tmp_path / "report.md"
    out.write_text("old report that is much longer than the new one " * 1000)
    assert run(workspace, "report", "--as-of", "2023-06-30", "--out", str(out)).exit_code == 0
    assert out.read_text().startswith("# kpitrack report") and "old report" not in out.read_text()
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


# --- import --------------------------------------------------------------------------------


def entries_of(workspace, target_id):
    document = json.loads(run(workspace, "show", target_id, "--format", "json", "--as-of", "2023-12-31").stdout)
    return [(entry["date"], entry["value"], entry["total"]) for entry in document["entries"]]


def snapshot(root: Path) -> dict:
    return {path: path.read_bytes() for path in sorted(root.rglob("*"))
            if path.is_file() and ".kpitrack" not in path.relative_to(root).parts}  # not kpitrack's own state


def test_import_adds_rows_and_twice_counts_nothing_twice(workspace, tmp_path):
    csv_file = write(tmp_path / "in.csv", "id,date,value,total,note\nslow,2023-07-31,50,,July\n"
                                          "ahead,2023-07-31,\"1,000\",true,1-7月累计\nslow,2023-06-30,100,,\n")
    result = run(workspace, "import", str(csv_file))
    assert result.exit_code == 0, result.output
    assert result.stdout == "added 2 entries to 2 targets; 1 row already recorded, skipped\n"
    assert entries_of(workspace, "ahead")[-1] == ("2023-07-31", 1000, True)
    before = snapshot(workspace)
    again = run(workspace, "import", str(csv_file))
    assert again.stdout == "added 0 entries to 0 targets; 3 rows already recorded, skipped\n"
    assert snapshot(workspace) == before


def test_import_is_all_or_nothing_and_names_every_bad_row(workspace, tmp_path):
    csv_file = write(tmp_path / "in.csv", "id,date,value\nslow,2023-07-31,50\nslwo,2023-07-31,5\n"
                                          "ahead,2023-02-30,5\nahead,2023-07-31,12abc\nahead,2023-07-31,-3\n")
    before = snapshot(workspace)
    result = run(workspace, "import", str(csv_file))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"{csv_file}:3: no target 'slwo'; did you mean 'slow'?"
    assert lines[1].startswith(f"{csv_file}:4: date: '2023-02-30' is not a calendar date")
    assert lines[2].startswith(f"{csv_file}:5: value: '12abc' is not a number")
    assert lines[3].startswith(f"{csv_file}:6: ahead: an increment of -3 runs against")
    assert lines[4] == "kpitrack: 4 bad rows; nothing was imported"
    assert snapshot(workspace) == before


def test_import_dry_run_writes_nothing(workspace, tmp_path):
    csv_file = write(tmp_path / "in.csv", "id,date,value\nslow,2023-07-31,50\n")
    before = snapshot(workspace)
    result = run(workspace, "import", str(csv_file), "--dry-run")
    assert result.stdout == "would add 1 entry to 1 target; 0 rows already recorded, skipped\n"
    assert snapshot(workspace) == before


def test_import_reads_gbk_from_chinese_excel_and_utf8_with_bom(workspace, tmp_path):
    text = "id,date,value,note\r\nslow,2023年7月31日,50,七月快报\r\n"
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(text.encode("gbk"))
    result = run(workspace, "import", str(gbk))
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("(read as gbk)\n")
    notes = json.loads(run(workspace, "show", "slow", "--format", "json").stdout)["entries"]
    assert notes[-1]["note"] == "七月快报"
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + text.replace("31", "30").encode("utf-8"))
    assert run(workspace, "import", str(bom)).stdout.startswith("added 1 entry to 1 target")
    assert run(workspace, "import", str(gbk), "--encoding", "gbk").stdout.startswith("added 0 entries")


def test_import_undoes_earlier_targets_when_a_later_write_fails(workspace, tmp_path, monkeypatch):
    import kpitrack.writeahead as store

    csv_file = write(tmp_path / "in.csv", "id,date,value\nahead,2023-07-31,5\nslow,2023-07-31,50\n")
    before = snapshot(workspace)
    real = store.append_raw

    def fail_on_slow(locked, payload, entries=None):
        if locked.path.stem == "slow":
            raise store.KpitrackError("disk full", locked.path)
        return real(locked, payload, entries)

    monkeypatch.setattr(store, "append_raw", fail_on_slow)
    result = run(workspace, "import", str(csv_file))
    assert result.exit_code == 2 and "disk full" in result.stderr
    assert snapshot(workspace) == before


# --- export --------------------------------------------------------------------------------


def test_export_lists_every_entry_once(workspace):
    write(workspace / "plan" / "evil.toml", TARGET_TOML + '\n[[progress]]\ndate = 2023-03-01\nvalue = 1\n'
                                                         'note = "=cmd|calc"\n')
    lines = run(workspace, "export").stdout.splitlines()
    assert lines[0] == "id,group,unit,date,value,total,done,note,source,qualifier,estimate"
    assert sorted(lines[1:]) == sorted([
        "finished,other,firms,2023-05-31,1200,false,,,,,false", "ahead,plan,firms,2023-06-30,700,false,,,,,false",
        "evil,plan,firms,2023-03-01,1,false,,'=cmd|calc,,,false", "slow,plan,firms,2023-06-30,100,false,,,,,false"])
    entries = json.loads(run(workspace, "export", "--format", "json").stdout)["entries"]
    assert len(entries) == 4 and entries[0]["value"] == 1200


# --- charts --------------------------------------------------------------------------------


def test_burnup_chart_fits_80_columns_and_reads_without_colour():
    from rich.console import Console
    import io

    target = make_target(unit="家", entries=[(date(2023, 3, 31), 300), (date(2023, 6, 30), 300)])
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(burnup_chart(target, figures(target, date(2023, 6, 30))))
    lines = console.file.getvalue().splitlines()
    assert all(len(line) <= 80 for line in lines) and "\x1b" not in console.file.getvalue()
    assert lines[0].startswith("1,200 ┤") and lines[9].startswith("    0 ┤")
    plot = [line[7:] for line in lines[:10]]
    assert {"█", "·", "│"} <= set("".join(plot))
    as_of_column = plot[0].index("│")
    assert all(line[as_of_column + 1:].strip(" ·") == "" for line in plot)  # nothing actual after today
    assert "█ actual  · plan  │ 2023-06-30  (家)" in lines[-1]


def test_show_draws_the_chart(workspace):
    assert "█ actual  · plan  │ 2023-06-30" in run(workspace, "show", "ahead", "--as-of", "2023-06-30").stdout


# --- cron ----------------------------------------------------------------------------------


def test_commands_run_in_a_bare_cron_environment(workspace):
    entry_point = Path(sys.executable).parent / "kpitrack"
    bare = {"PATH": "/usr/bin:/bin", "HOME": "", "LANG": ""}
    write(workspace / "plan" / "wide.toml", TARGET_TOML.replace("synthetic: new firms", "新增小升规工业企业目标" * 6))
    status = subprocess.run([str(entry_point), "--dir", str(workspace), "status", "--as-of", "2023-06-30"],
                            env=bare, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert status.returncode == 0, status.stderr
    lines = status.stdout.splitlines()
    assert "\x1b" not in status.stdout and max(len(line) for line in lines) == 100
    assert "新增小升规工业企" in status.stdout  # no locale, yet Chinese prints (cut to fit with …)
    check = subprocess.run([str(entry_point), "--dir", str(workspace), "check", "--as-of", "2023-06-30", "-q"],
                           env=bare, capture_output=True, text=True, timeout=60)
    assert (check.returncode, check.stdout.split()[:2]) == (1, ["slow", "behind"])
    narrow = subprocess.run([str(entry_point), "--dir", str(workspace), "status", "--as-of", "2023-06-30"],
                            env={**bare, "COLUMNS": "80"}, capture_output=True, text=True, timeout=60)
    assert max(len(line) for line in narrow.stdout.splitlines()) == 80


def test_report_out_into_a_missing_folder_is_one_clear_line(workspace, tmp_path):
    result = run(workspace, "report", "--out", str(tmp_path / "no" / "such" / "report.md"))
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("report.md: cannot write: No such file or directory; nothing was written")


def test_import_refuses_rows_with_more_cells_than_columns(workspace, tmp_path):
    csv_file = write(tmp_path / "in.csv", "id,date,value\nslow,2023-07-31,1,200\n")
    before = snapshot(workspace)
    result = run(workspace, "import", str(csv_file))
    assert result.exit_code == 2
    assert f"{csv_file}:2: 4 cells under 3 columns; a number with a thousands comma needs quotes" in result.stderr
    assert snapshot(workspace) == before


def test_import_undoes_earlier_targets_when_a_file_cannot_be_opened(workspace, tmp_path):
    csv_file = write(tmp_path / "in.csv", "id,date,value\nahead,2023-07-31,5\nslow,2023-07-31,50\n")
    from kpitrack.importer import apply_import, plan_import, read_import
    from kpitrack.workspace import load_workspace

    loaded = load_workspace(workspace)
    rows, problems, encoding = read_import(csv_file)
    plan = plan_import(loaded, csv_file, rows, problems, encoding)
    before = (workspace / "plan" / "ahead.toml").read_bytes()
    (workspace / "plan" / "slow.toml").unlink()
    with pytest.raises(Exception, match="cannot write: No such file"):
        apply_import(loaded, plan)
    assert (workspace / "plan" / "ahead.toml").read_bytes() == before
