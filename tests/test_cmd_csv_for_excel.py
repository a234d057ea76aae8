"""CSV meant for Excel on Chinese Windows: --encoding utf-8-sig (a byte-order mark) or gbk."""

from pathlib import Path

from typer.testing import CliRunner

from helpers import TARGET_TOML, write
from kpitrack.cli import app

ROOT = Path(__file__).parents[1]


def run(root, *args):
    return CliRunner().invoke(app, ["--dir", str(root), *args])


def test_status_csv_with_a_byte_order_mark_and_in_gbk():
    plain = run(ROOT / "targets", "status", "--as-of", "2024-06-30", "--format", "csv")
    marked = run(ROOT / "targets", "status", "--as-of", "2024-06-30", "--format", "csv", "--encoding", "utf-8-sig")
    assert marked.stdout_bytes == b"\xef\xbb\xbf" + plain.stdout_bytes
    gbk = run(ROOT / "targets", "report", "--as-of", "2024-06-30", "--format", "csv", "--encoding", "gbk",
              "--group", "shenzhen-2023")
    assert gbk.exit_code == 0, gbk.output
    same = run(ROOT / "targets", "report", "--as-of", "2024-06-30", "--format", "csv", "--group", "shenzhen-2023")
    assert gbk.stdout_bytes.decode("gbk") == same.stdout and "深圳".encode("gbk") in gbk.stdout_bytes


def test_export_in_gbk_names_a_character_gbk_lacks(tmp_path):
    write(tmp_path / "plan" / "firms.toml", TARGET_TOML + '\n[[progress]]\ndate = 2023-05-31\nvalue = 3\n'
          'note = "synthetic 🙂"\n')
    result = run(tmp_path, "export", "--encoding", "gbk")
    assert result.exit_code == 2 and result.stdout == ""
    assert "cannot be written in gbk; use --encoding utf-8-sig" in result.stderr
    assert run(tmp_path, "export", "--encoding", "utf-8-sig").stdout_bytes.startswith(b"\xef\xbb\xbf")
    bad = run(tmp_path, "export", "--encoding", "klingon")
    assert bad.exit_code == 2 and "not an encoding" in bad.stderr
