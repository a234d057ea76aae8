"""Imports as doors that hold (issue 23): workbook sizes bounded before reading, hidden sheets ignored,
figures read as their shortest decimal, CSV errors named by line, one encoding per file, no file grown
past the limit `add` enforces. Synthetic data only."""

import zipfile

import pytest

from helpers import TARGET_TOML, runner, write
from kpitrack.cli import app


def run(root, *args):
    return runner.invoke(app, ["--dir", str(root), *args])


def workspace(tmp_path):
    write(tmp_path / "ws" / "firms.toml", TARGET_TOML)
    return tmp_path / "ws"


def refused(result, *words):
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    for word in words:
        assert word in result.output, result.output


def test_xlsx_float_noise_is_read_as_its_shortest_decimal(tmp_path):
    from openpyxl import Workbook

    root = workspace(tmp_path)
    book = Workbook()
    book.active.append(["id", "date", "value"])
    book.active.append(["firms", "2023-05-01", 1459.3])
    book.save(tmp_path / "saved.xlsx")
    with zipfile.ZipFile(tmp_path / "saved.xlsx") as saved, zipfile.ZipFile(tmp_path / "rows.xlsx", "w") as noisy:
        for item in saved.infolist():  # the binary float noise Excel writes when a sum is stored (17 digits)
            noisy.writestr(item, saved.read(item).replace(b"<v>1459.3</v>", b"<v>1459.3000000000002</v>"))
    assert run(root, "import", str(tmp_path / "rows.xlsx")).exit_code == 0
    assert "value = 1459.3\n" in (root / "firms.toml").read_text()


def test_a_hidden_first_sheet_is_ignored(tmp_path):
    from openpyxl import Workbook

    root = workspace(tmp_path)
    book = Workbook()
    hidden = book.active
    hidden.title = "old"
    hidden.append(["id", "date", "value"])
    hidden.append(["firms", "2023-04-01", 999])
    hidden.sheet_state = "veryHidden"
    shown = book.create_sheet("台账")
    shown.append(["id", "date", "value"])
    shown.append(["firms", "2023-05-01", 5])
    book.save(tmp_path / "rows.xlsx")
    result = run(root, "import", str(tmp_path / "rows.xlsx"))
    assert result.exit_code == 0, result.output
    text = (root / "firms.toml").read_text()
    assert "value = 5\n" in text and "999" not in text


def test_a_workbook_too_large_unpacked_is_refused_before_reading(tmp_path, monkeypatch):
    import kpitrack.writing.import_limits as import_limits

    root = workspace(tmp_path)
    with zipfile.ZipFile(tmp_path / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (2 * 1024 * 1024))
    monkeypatch.setattr(import_limits, "MAX_UNPACKED_BYTES", 1024 * 1024)
    refused(run(root, "import", str(tmp_path / "bomb.xlsx")), "bomb.xlsx", "MiB")


def test_a_workbook_with_too_many_rows_is_refused(tmp_path, monkeypatch):
    from openpyxl import Workbook

    import kpitrack.writing.importer as importer

    root = workspace(tmp_path)
    book = Workbook()
    book.active.append(["id", "date", "value"])
    for day in range(1, 29):
        book.active.append(["firms", f"2023-02-{day:02d}", 1])
    book.save(tmp_path / "rows.xlsx")
    from kpitrack.writing import import_sheets

    monkeypatch.setattr(import_sheets, "MAX_ROWS", 10)
    refused(run(root, "import", str(tmp_path / "rows.xlsx")), "rows.xlsx", "10 rows")
    assert (root / "firms.toml").read_text() == TARGET_TOML


def test_a_csv_field_over_the_csv_limit_is_named_by_line(tmp_path):
    root = workspace(tmp_path)
    write(tmp_path / "rows.csv", "id,date,value,note\nfirms,2023-05-01,5,ok\nfirms,2023-05-02,5,\"" + "x" * 200000
          + "\"\n")
    refused(run(root, "import", str(tmp_path / "rows.csv")), "rows.csv:3")
    assert (root / "firms.toml").read_text() == TARGET_TOML


def test_an_unclosed_quote_is_named_by_line_and_swallows_no_row(tmp_path):
    root = workspace(tmp_path)
    write(tmp_path / "rows.csv", 'id,date,value,note\nfirms,2023-05-01,5,"unclosed\nfirms,2023-05-02,6,x\n'
          'firms,2023-05-03,7,y\n')
    refused(run(root, "import", str(tmp_path / "rows.csv")), "rows.csv:2", "quote")
    assert (root / "firms.toml").read_text() == TARGET_TOML


@pytest.mark.parametrize("utf8, said", [("深圳统计局", ("UTF-8", "GBK")),  # not GBK as a whole either
                                         ("数据", ("line 2 is UTF-8", "line 3"))])  # would read as 鏁版嵁
def test_a_file_mixing_utf8_and_gbk_is_refused_not_mojibake(tmp_path, utf8, said):
    root = workspace(tmp_path)
    data = (f"id,date,value,note\nfirms,2023-05-01,5,{utf8}\n".encode("utf-8")
            + "firms,2023-05-02,6,南山区统计局\n".encode("gbk"))
    (tmp_path / "rows.csv").write_bytes(data)
    refused(run(root, "import", str(tmp_path / "rows.csv")), "rows.csv", *said)
    assert (root / "firms.toml").read_text() == TARGET_TOML


def test_gbk_alone_is_still_read(tmp_path):
    root = workspace(tmp_path)
    (tmp_path / "rows.csv").write_bytes("id,date,value,note\nfirms,2023-05-02,6,南山区统计局\n".encode("gbk"))
    assert run(root, "import", str(tmp_path / "rows.csv")).exit_code == 0
    assert "南山区统计局" in (root / "firms.toml").read_text()


def test_no_import_grows_a_file_past_the_limit(tmp_path, monkeypatch):
    import kpitrack.writing.lock
    import kpitrack.writing.write

    root = workspace(tmp_path)
    size = len(TARGET_TOML.encode())
    for module in (kpitrack.writing.lock, kpitrack.writing.write):
        monkeypatch.setattr(module, "MAX_FILE_BYTES", size + 100, raising=False)
    write(tmp_path / "rows.csv", "id,date,value\n" + "".join(f"firms,2023-02-{day:02d},1\n" for day in range(1, 20)))
    refused(run(root, "import", str(tmp_path / "rows.csv")), "firms.toml", "MiB")
    assert (root / "firms.toml").read_text() == TARGET_TOML
