"""`kpitrack import`: bad columns and bad encodings are one clear line each, and nothing is written."""

import json

import pytest

from helpers import TARGET_TOML, entries_of, run, snapshot, write

FIRMS = """\
title = "synthetic: new firms"
unit = "家"
target = 1200
start = 2023-01-01
due = 2023-12-31
"""


@pytest.fixture
def workspace(make_workspace):
    return make_workspace({"firms.toml": FIRMS})


def files(root):
    return {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}


@pytest.mark.parametrize("header, words", [
    ("id,when,value", ["missing: date"]),
    ("id,date,value,colour", ["unknown column 'colour'"]),
    ("id,date,vlaue", ["missing: value"]),
    ("id,date,value,notes", ["unknown column 'notes'", "did you mean 'note'?"]),
])
def test_bad_columns_are_named_on_line_1_and_nothing_is_written(workspace, cli, tmp_path, header, words):
    csv_file = tmp_path / "in.csv"
    csv_file.write_text(f"{header}\nfirms,2023-06-30,5\n", encoding="utf-8")
    before = files(workspace)
    result = cli(workspace, "import", str(csv_file))
    assert result.exit_code == 2
    assert f"{csv_file}:1:" in result.stderr
    for word in words:
        assert word in result.stderr
    assert files(workspace) == before


def test_a_file_neither_utf8_nor_gbk_asks_for_its_encoding(workspace, cli, tmp_path):
    csv_file = tmp_path / "in.csv"
    csv_file.write_bytes(b"id,date,value\nfirms,2023-06-30,\xff\xfe\xff\n")
    before = files(workspace)
    result = cli(workspace, "import", str(csv_file))
    assert result.exit_code == 2 and "encoding" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert files(workspace) == before


def test_an_unknown_or_wrong_encoding_is_one_line(workspace, cli, tmp_path):
    csv_file = tmp_path / "in.csv"
    csv_file.write_text("id,date,value\nfirms,2023-06-30,5\n", encoding="utf-8")
    for encoding in ("klingon", "ascii"):
        text = "id,date,value\nfirms,2023-06-30,5 新增\n" if encoding == "ascii" else None
        if text:
            csv_file.write_text(text, encoding="utf-8")
        result = cli(workspace, "import", str(csv_file), "--encoding", encoding)
        assert result.exit_code == 2 and f"cannot read as {encoding}" in result.stderr
        assert "Traceback" not in result.output


def test_import_adds_rows_and_twice_counts_nothing_twice(three_targets, tmp_path):
    csv_file = write(tmp_path / "in.csv", "id,date,value,total,note\nslow,2023-07-31,50,,July\n"
                                          "ahead,2023-07-31,\"1,000\",true,1-7月累计\nslow,2023-06-30,100,,\n")
    result = run(three_targets, "import", str(csv_file))
    assert result.exit_code == 0, result.output
    assert result.stdout == "added 2 entries to 2 targets; 1 row already recorded, skipped\n"
    assert entries_of(three_targets, "ahead")[-1] == ("2023-07-31", 1000, True)
    before = snapshot(three_targets)
    again = run(three_targets, "import", str(csv_file))
    assert again.stdout == "added 0 entries to 0 targets; 3 rows already recorded, skipped\n"
    assert snapshot(three_targets) == before


def test_import_is_all_or_nothing_and_names_every_bad_row(three_targets, tmp_path):
    csv_file = write(tmp_path / "in.csv", "id,date,value\nslow,2023-07-31,50\nslwo,2023-07-31,5\n"
                                          "ahead,2023-02-30,5\nahead,2023-07-31,12abc\nahead,2023-07-31,-3\n")
    before = snapshot(three_targets)
    result = run(three_targets, "import", str(csv_file))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"{csv_file}:3: no target 'slwo'; did you mean 'slow'?"
    assert lines[1].startswith(f"{csv_file}:4: date: '2023-02-30' is not a calendar date")
    assert lines[2].startswith(f"{csv_file}:5: value: '12abc' is not a number")
    assert lines[3].startswith(f"{csv_file}:6: ahead: an increment of -3 runs against")
    assert lines[4] == "kpitrack: 4 bad rows; nothing was imported"
    assert snapshot(three_targets) == before


def test_import_dry_run_writes_nothing(three_targets, tmp_path):
    csv_file = write(tmp_path / "in.csv", "id,date,value\nslow,2023-07-31,50\n")
    before = snapshot(three_targets)
    result = run(three_targets, "import", str(csv_file), "--dry-run")
    assert result.stdout == ("in.csv:2  slow  50 firms  2023-07-31  new\n"  # each row as it would land
                             "would add 1 entry to 1 target; 0 rows already recorded, skipped\n")
    assert snapshot(three_targets) == before


def test_import_reads_gbk_from_chinese_excel_and_utf8_with_bom(three_targets, tmp_path):
    text = "id,date,value,note\r\nslow,2023年7月31日,50,七月快报\r\n"
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(text.encode("gbk"))
    result = run(three_targets, "import", str(gbk))
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("(read as gbk)\n")
    notes = json.loads(run(three_targets, "show", "slow", "--format", "json").stdout)["entries"]
    assert notes[-1]["note"] == "七月快报"
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + text.replace("31", "30").encode("utf-8"))
    assert run(three_targets, "import", str(bom)).stdout.startswith("added 1 entry to 1 target")
    assert run(three_targets, "import", str(gbk), "--encoding", "gbk").stdout.startswith("added 0 entries")


def test_import_undoes_earlier_targets_when_a_later_write_fails(three_targets, tmp_path, monkeypatch):
    import kpitrack.writing.writeahead as store

    csv_file = write(tmp_path / "in.csv", "id,date,value\nahead,2023-07-31,5\nslow,2023-07-31,50\n")
    before = snapshot(three_targets)
    real = store.append_raw

    def fail_on_slow(locked, payload, entries=None):
        if locked.path.stem == "slow":
            raise store.KpitrackError("disk full", locked.path)
        return real(locked, payload, entries)

    monkeypatch.setattr(store, "append_raw", fail_on_slow)
    result = run(three_targets, "import", str(csv_file))
    assert result.exit_code == 2 and "disk full" in result.stderr
    assert snapshot(three_targets) == before


def test_import_refuses_rows_with_more_cells_than_columns(three_targets, tmp_path):
    csv_file = write(tmp_path / "in.csv", "id,date,value\nslow,2023-07-31,1,200\n")
    before = snapshot(three_targets)
    result = run(three_targets, "import", str(csv_file))
    assert result.exit_code == 2
    assert f"{csv_file}:2: 4 cells under 3 columns; a number with a thousands comma needs quotes" in result.stderr
    assert snapshot(three_targets) == before


def test_import_undoes_earlier_targets_when_a_file_cannot_be_opened(three_targets, tmp_path):
    csv_file = write(tmp_path / "in.csv", "id,date,value\nahead,2023-07-31,5\nslow,2023-07-31,50\n")
    from kpitrack.writing.importer import apply_import, plan_import, read_import
    from kpitrack.files.workspace import load_workspace

    loaded = load_workspace(three_targets)
    rows, problems, encoding = read_import(csv_file)
    plan = plan_import(loaded, csv_file, rows, problems, encoding)
    before = (three_targets / "plan" / "ahead.toml").read_bytes()
    (three_targets / "plan" / "slow.toml").unlink()
    with pytest.raises(Exception, match="cannot write: No such file"):
        apply_import(loaded, plan)
    assert (three_targets / "plan" / "ahead.toml").read_bytes() == before


def test_an_implausible_row_is_refused_like_add_does_unless_forced(make_workspace, cli, tmp_path):
    """A user's trial: 3.5万套 on a 5,000套 target went in by import while add refused it."""
    root = make_workspace({"housing.toml": 'title = "synthetic: homes"\nunit = "套"\ntarget = 5000\n'
                                           'start = 2024-01-01\ndue = 2024-12-31\n'})
    csv_file = tmp_path / "in.csv"
    csv_file.write_text("id,date,value,total\nhousing,2024-06-30,3.5万套,true\n", encoding="utf-8")
    before = (root / "housing.toml").read_bytes()
    refused = cli(root, "import", str(csv_file))
    assert refused.exit_code == 2 and "more than 5×" in refused.stderr and "--force" in refused.stderr
    assert (root / "housing.toml").read_bytes() == before
    forced = cli(root, "import", str(csv_file), "--force")
    assert forced.exit_code == 0, forced.output
    assert "value = 35000" in (root / "housing.toml").read_text(encoding="utf-8")


def test_a_mistyped_header_gets_its_suggestion(tmp_path):
    """`dat` for date: the error names the column it is close to, as a mistyped key does."""
    write(tmp_path / "firms.toml", TARGET_TOML)
    write(tmp_path / "rows.csv", "id,dat,value\nfirms,2023-03-31,5\n")
    result = run(tmp_path, "import", str(tmp_path / "rows.csv"))
    assert result.exit_code == 2 and "missing: date); 'dat': did you mean 'date'?" in result.output, result.output


@pytest.mark.parametrize("typed, value, qualifier", [("超50", "50", "over"), ("近60", "60", "nearly"),
                                                     ("约30", "30", "about"), ("30左右", "30", "about")])
def test_import_takes_a_figure_typed_with_its_wording_as_add_does(tmp_path, typed, value, qualifier):
    """A figure as the report words it (超50, 近60) is its figure and qualifier at import as at
    `add`: import refused it as 'not a number' (found by a new user). Synthetic."""
    import tomllib

    write(tmp_path / "firms.toml", TARGET_TOML)
    write(tmp_path / "rows.csv", f"id,date,value\nfirms,2023-03-31,{typed}\n")
    result = run(tmp_path, "import", str(tmp_path / "rows.csv"))
    assert result.exit_code == 0, result.output
    entry = tomllib.loads((tmp_path / "firms.toml").read_text(encoding="utf-8"))["progress"][-1]
    assert (str(entry["value"]), entry["qualifier"]) == (value, qualifier)


def test_import_refuses_a_wording_the_qualifier_column_contradicts(tmp_path):
    write(tmp_path / "firms.toml", TARGET_TOML)
    before = (tmp_path / "firms.toml").read_text(encoding="utf-8")
    write(tmp_path / "rows.csv", "id,date,value,qualifier\nfirms,2023-03-31,超50,nearly\n")
    result = run(tmp_path, "import", str(tmp_path / "rows.csv"))
    assert result.exit_code == 2, result.output
    assert "rows.csv:2: '超50' is worded over, but qualifier says nearly: give one" in result.output
    assert (tmp_path / "firms.toml").read_text(encoding="utf-8") == before
