"""The month-end cycle (issue 27, item 8): README's "The month" run line by line on a synthetic
workspace of 8 units and every row kind, in a git clone, with the units filling their ledgers as
they would (openpyxl) and a second office's clone pulled in. Every figure lands once, on its target."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import documentation

ROOT = Path(__file__).parents[1]
EXITS = re.compile(r"\s+#\s*exits\s+(\d+)\s*$")
AS_OF = "2025-08-05"


def the_month() -> list[tuple[str, int]]:
    """README's "The month" block: (command, expected exit code) for each line."""
    text = documentation().split("## The month", 1)[1]
    block = re.search(r"```shell\n(.*?)```", text, flags=re.S).group(1)
    lines = [line for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(EXITS.sub("", line).strip(), int(match.group(1)) if (match := EXITS.search(line)) else 0)
            for line in lines]


def target(title: str, owner: str, extra: str = "", kind: str = "cumulative") -> str:
    """A synthetic target of 2025, with its figure for June."""
    head = f'title = "synthetic: {title}"\nstart = 2025-01-01\ndue = 2025-12-31\nowner = {owner}\n'
    if kind == "cumulative":
        return head + 'target = 100\nunit = "个"\n[[progress]]\ndate = 2025-06-30\nvalue = 40\ntotal = true\n' + extra
    if kind == "growth":
        return head + 'kind = "growth"\ntarget = 6\nunit = "%"\n[[progress]]\ndate = 2025-06-30\nvalue = 5.5\n'
    if kind == "level":
        return head + 'kind = "level"\ndirection = "decrease"\nbaseline = 100\ntarget = 90\nunit = "%"\n'
    return head + 'kind = "milestone"\ncadence = "monthly"\n'


WORKSPACE = {  # 8 units; unit 7 is a co-unit of unit 0's shared target and does not return its ledger
    "kpitrack.toml": 'cadence = "monthly"\n',
    **{f"2025/u{number}.toml": target(f"unit {number}'s firms", f'"unit {number}"') for number in range(4)},
    "2025/shared.toml": target("shared", '["unit 0", "unit 7"]'),
    "2025/gdp.toml": target("growth", '"unit 4"', kind="growth"),
    "2025/vacancy.toml": target("level", '"unit 5"', kind="level"),
    "2025/park.toml": target("milestone", '"unit 6"', kind="milestone"),
    "2025/u7.toml": target("unit 7's firms", '"unit 7"'),
}
RETURNED = {"u0": 50, "u1": 51, "u2": 52, "u3": 53, "shared": 60, "gdp": 5.9, "vacancy": 95.5, "park": "已完成"}


def sh(folder: Path, command: str, date: str | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    if date:
        environment |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(["bash", "-c", command], cwd=folder, capture_output=True, text=True, env=environment)


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def clone(origin: Path, folder: Path) -> None:
    ok(sh(folder.parent, f"git clone -q {origin} {folder.name}"))
    ok(sh(folder, f"git config user.name 'Synthetic {folder.name}' && git config user.email {folder.name}@example.org"
                  " && git config pull.rebase false && git config commit.gpgsign false"))
    ok(sh(folder, "kpitrack init . --git -q"))  # an existing clone: sets up the merge driver only


def fill(ledger: Path) -> int:
    """As a unit would: each row's figure where its 填报内容 says; the number of rows filled."""
    import openpyxl

    book = openpyxl.load_workbook(ledger)
    filled = 0
    for sheet in book.worksheets:
        header = [cell.value for cell in sheet[1]]
        if "填报内容" not in header:
            continue
        for row in sheet.iter_rows(min_row=2):
            cells = dict(zip(header, row))
            figure = RETURNED.get(cells["编号"].value)
            if figure is not None and cells["填报内容"].value:
                cells["累计完成" if "“累计完成”" in cells["填报内容"].value else "读数"].value = figure
                filled += 1
    book.save(ledger)
    return filled


def status(folder: Path, *more: str) -> dict:
    return json.loads(ok(sh(folder, f"kpitrack status --as-of {AS_OF} --format json {' '.join(more)}")).stdout)


@pytest.mark.slow
@pytest.mark.skipif(not subprocess.run(["git", "--version"], capture_output=True).returncode == 0,
                    reason="needs git")
def test_the_month_in_the_readme_lands_every_figure_once(tmp_path):
    seed = tmp_path / "seed"
    for name, text in WORKSPACE.items():
        (seed / name).parent.mkdir(parents=True, exist_ok=True)
        (seed / name).write_text(text, encoding="utf-8")
    ok(sh(seed, "git init -q && git config user.name seed && git config user.email seed@example.org"
                " && git config commit.gpgsign false && kpitrack init . --git -q && git add -A"))
    ok(sh(seed, "git commit -qm 'the plan, figures to June'", date="2025-07-20T12:00:00"))
    origin = tmp_path / "origin.git"
    ok(sh(tmp_path, f"git clone -q --bare {seed} {origin}"))
    office, other = tmp_path / "office", tmp_path / "other"
    clone(origin, office)
    clone(origin, other)  # a second office records unit 7's figure, taken by phone, and shares it
    ok(sh(other, "kpitrack add u7 45 --total --date 2025-07-31 --note 'by phone (synthetic)'"))
    ok(sh(other, "git commit -qam 'unit 7 by phone' && git push -q"))

    commands = the_month()
    assert len(commands) <= 12
    folder = None
    for command, expected in commands:
        if command.startswith("kpitrack import") and folder is not None and not any(fill_counts):
            fill_counts[:] = [fill(ledger) for ledger in sorted(folder.glob("*.xlsx")) if "unit 7" not in ledger.name]
        result = sh(office, command)
        assert result.returncode == expected, (command, result.stdout + result.stderr)
        if "--format xlsx --by owner" in command:
            folder = office / command.split("--out ")[1].split()[0]
            assert sorted(path.stem for path in folder.glob("*.xlsx")) == [f"unit {number}" for number in range(8)]
            fill_counts = [0]
            before = status(office)
        if "--dry-run" in command:
            assert status(office) == before, "the dry run wrote nothing"
        if command.startswith("kpitrack status --missing"):
            missing = json.loads(ok(sh(office, command + " --format json")).stdout)
            assert [unit["owner"] for unit in missing["missing"]] == ["unit 7"], missing
            assert sorted(row["id"] for row in missing["missing"][0]["targets"]) == ["u7"]  # the shared target came back from its lead unit
        if "--since" in command and "markdown" in command:
            for target_id in RETURNED:
                assert target_id in result.stdout, (target_id, result.stdout)
    assert sum(fill_counts) == len(RETURNED)
    assert (office / "月报.html").stat().st_size and (office / "月报.docx").stat().st_size

    rows = {row["id"]: row for row in status(office, "--all")["targets"]}
    for target_id, figure in RETURNED.items():
        expected = 1 if figure == "已完成" else figure
        shown = 1 if rows[target_id]["status"] == "done" and figure == "已完成" else rows[target_id]["current"]
        assert shown == expected, (target_id, rows[target_id])
    assert rows["u7"]["current"] == 45  # the second office's figure, merged by git pull
    for name in ("u0.toml", "shared.toml", "gdp.toml"):
        assert (office / "2025" / name).read_text(encoding="utf-8").count("2025-07-31") == 1, name
    again = ok(sh(office, f"kpitrack import {folder.relative_to(office)}"))
    assert "added 0 entries" in again.stdout + again.stderr
