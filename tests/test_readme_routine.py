"""The README's daily routine (issue 18), run line by line in a copy of the shipped workspace.

A line whose comment says `refused` must exit 2 and change nothing; every other line must succeed.
The figures in it are synthetic.
"""

import re
import shlex
import shutil
from pathlib import Path

from typer.testing import CliRunner

from kpitrack.cli import app

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_daily_routine_runs_as_written(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "targets", tmp_path / "targets")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KPITRACK_DIR", raising=False)
    block = re.search(r"## The daily routine.*?```shell\n(.*?)```", README, flags=re.S).group(1)
    target = tmp_path / "targets" / "luohu-2024" / "lh24-affordable-housing.toml"
    original = target.read_bytes()
    outputs = []
    for line in block.strip().splitlines():
        command, _, comment = line.partition("#")
        arguments = shlex.split(command)
        assert arguments[0] == "kpitrack"
        before = target.read_bytes()
        result = CliRunner().invoke(app, arguments[1:])
        if "refused" in comment:
            assert result.exit_code == 2, line
            assert "--again" in result.stderr
            assert target.read_bytes() == before
        else:
            assert result.exit_code in (0, 1) if " check " in line else result.exit_code == 0, f"{line}\n{result.output}"
        outputs.append(result.stdout)
    assert "was 2,650 (running total)" in outputs[3]
    text = target.read_text(encoding="utf-8")
    # undo took back the remove: the March entry is there again, the revised June total too
    assert text.startswith(original.decode("utf-8"))
    assert 'value = 1200\nnote = "一季度 (synthetic)"\ndate = 2024-03-31\n' in text and "value = 2600\ntotal = true\n" in text
    # the first --changes run: all news (nothing reported yet for it: 未报送, late, not behind)
    assert "lh24-billion-revenue-tech-firms: late: no figure yet" in outputs[-1]
    assert "lh24-affordable-housing" not in outputs[-1]  # 52% done in mid-July: at-risk, not flagged
    assert "sz23" not in outputs[-1]  # limited to the plan's folder
