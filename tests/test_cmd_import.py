"""`kpitrack import`: bad columns and bad encodings are one clear line each, and nothing is written."""

import pytest

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
