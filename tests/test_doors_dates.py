"""What a date's figures must agree with, at every door and in validate (found by a new user's
trial): one reading a date for a level, growth or indicator target, as one running total a date
(add, add --again, import); a running total in line with the totals dated before and after it,
whatever order they were added in (add, fix, import, the ledger). Synthetic targets and figures."""

from __future__ import annotations

import pytest

from helpers import runner, write
from kpitrack.cli import app

HEAD = 'title = "synthetic"\nunit = "%"\nstart = 2026-01-01\ndue = 2026-12-31\n'
READING_TARGETS = {
    "level": HEAD + 'target = 90\nkind = "level"\n',
    "growth": HEAD + 'target = 6.0\nqualifier = "about"\nkind = "growth"\n',
    "indicator": HEAD + 'kind = "indicator"\n',
}
READING = "\n[[progress]]\nvalue = 6.1\ndate = 2026-12-31\n"


def run(root, *args):
    return runner.invoke(app, ["--dir", str(root), *args])


def readings(path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("value = ")]


@pytest.mark.parametrize("kind", READING_TARGETS)
def test_no_door_takes_a_second_different_reading_for_a_date(tmp_path, kind):
    for door in ("add", "add --again", "import", "import of two rows", "add the same", "add an actual"):
        root = tmp_path / door.replace(" ", "-")
        path = write(root / "g.toml", READING_TARGETS[kind] + ("" if door == "import of two rows" else READING))
        before = path.read_text(encoding="utf-8")
        if door.startswith("import"):
            write(tmp_path / "rows.csv", "id,date,value\n" + ("g,2026-12-31,6.1\n" if door != "import" else "")
                  + "g,2026-12-31,5.2\n")
            result = run(root, "import", str(tmp_path / "rows.csv"))
        elif door == "add the same":  # an identical repeat: refused without --again, as ever
            refused = run(root, "add", "g", "6.1", "--date", "2026-12-31")
            assert refused.exit_code == 2 and "--again" in refused.stderr, refused.output
            result = run(root, "add", "g", "6.1", "--date", "2026-12-31", "--again")
        elif door == "add an actual":  # an actual figure replaces an estimate
            path = write(root / "g.toml", before.replace("value = 6.1\n", "value = 6.1\nestimate = true\n"))
            result = run(root, "add", "g", "5.2", "--date", "2026-12-31")
        else:
            result = run(root, "add", "g", "5.2", "--date", "2026-12-31", *door.split()[1:])
        if door in ("add", "add --again"):
            assert result.exit_code == 2, (door, result.output)
            assert "kpitrack fix g --date 2026-12-31 VALUE`" in result.stderr, (door, result.stderr)
            assert path.read_text(encoding="utf-8") == before, door
        elif door == "import":  # another figure for a recorded date revises it
            assert result.exit_code == 0 and "6.1 → 5.2" in result.output, result.output
            assert readings(path) == ["value = 5.2"]
        elif door == "import of two rows":
            assert result.exit_code == 2 and "two figures for 2026-12-31 in this import" in result.output
            assert path.read_text(encoding="utf-8") == before
        else:
            assert result.exit_code == 0, (door, result.output)
        assert run(root, "validate").exit_code == 0, door


@pytest.mark.parametrize("kind", READING_TARGETS)
def test_validate_reports_two_different_readings_on_one_date_as_an_error(tmp_path, kind):
    write(tmp_path / "g.toml", READING_TARGETS[kind] + READING + READING.replace("6.1", "5.2"))
    result = run(tmp_path, "validate")
    assert result.exit_code == 1 and "all valid" not in result.output, result.output
    line = len(READING_TARGETS[kind].splitlines()) + 6
    assert (f"g.toml:{line}: a second, different reading on 2026-12-31: 5.2, where line {line - 4} says 6.1; "
            "one of them is wrong: use `kpitrack fix g --date 2026-12-31 VALUE`, or remove one") in result.stderr


def test_a_second_reading_is_refused_in_chinese_too(tmp_path):
    write(tmp_path / "g.toml", READING_TARGETS["growth"] + READING)
    result = run(tmp_path, "--lang", "zh", "add", "g", "5.2", "--date", "2026-12-31")
    assert result.exit_code == 2 and "2026-12-31 已记录读数（6.1，第 " in result.stderr, result.stderr


INVESTMENT = ('title = "synthetic investment"\nunit = "亿元"\ntarget = 410\nstart = 2026-01-01\n'
              'due = 2026-12-31\n')
LATER_TOTAL = "\n[[progress]]\nvalue = 3.6421\ntotal = true\ndate = 2026-10-31\n"


@pytest.mark.parametrize("door", ["add", "fix", "import", "import of both", "import of both in date order"])
def test_a_total_above_the_next_total_by_date_needs_force(tmp_path, door):
    """36421万元 (3.6421亿元) added for October, then 194.7 for June: June's total is above October's,
    the one slip or the other, as it is when they come in date order."""
    root = tmp_path / "ws"
    june = "\n[[progress]]\nvalue = 1.5\ntotal = true\ndate = 2026-06-30\n" if door == "fix" else ""
    path = write(root / "inv.toml", INVESTMENT + ("" if "both" in door else LATER_TOTAL) + june)
    before = path.read_bytes()
    rows = {"import": "inv,2026-06-30,194.7,true\n", "import of both": "inv,2026-10-31,3.6421,true\n"
            "inv,2026-06-30,194.7,true\n", "import of both in date order": "inv,2026-06-30,194.7,true\n"
            "inv,2026-10-31,3.6421,true\n"}.get(door)
    if rows:
        write(tmp_path / "rows.csv", "id,date,value,total\n" + rows)
        command = ("import", str(tmp_path / "rows.csv"))
    else:
        command = (door, "inv", "194.7", "--total", "--date", "2026-06-30")
    result = run(root, *command)
    assert result.exit_code == 2 and "--force" in result.stderr, (door, result.output)
    assert ("above the next total 3.6421 (2026-10-31)" in result.stderr
            or "below the previous total 194.7 (2026-06-30)" in result.stderr), result.stderr
    assert path.read_bytes() == before
    assert run(root, *command, "--force").exit_code == 0


def test_the_ledger_refuses_a_total_above_a_later_one(make_workspace, cli, tmp_path):
    from test_ledger_return import TARGETS, fill

    root = make_workspace({**TARGETS, "p/inv.toml": TARGETS["p/inv.toml"]
                           + "[[progress]]\ndate = 2025-09-30\nvalue = 220\ntotal = true\n"})
    ledger = tmp_path / "ledger.xlsx"
    assert cli(root, "report", "--as-of", "2025-08-05", "--format", "xlsx", "--out", str(ledger)).exit_code == 0
    fill(ledger, {"inv": 250})
    result = cli(root, "import", str(ledger))
    assert result.exit_code == 2 and "above the next total 220 (2025-09-30)" in result.output, result.output
    assert "added 1 entry" in cli(root, "import", str(ledger), "--force").output


def test_a_decrease_target_refuses_a_total_below_the_next_one(tmp_path):
    text = INVESTMENT.replace("target = 410", "target = 10\nbaseline = 20\ndirection = \"decrease\"")
    path = write(tmp_path / "inv.toml", text + "\n[[progress]]\nvalue = 15\ntotal = true\ndate = 2026-10-31\n")
    before = path.read_bytes()
    result = run(tmp_path, "add", "inv", "12", "--total", "--date", "2026-06-30")
    assert result.exit_code == 2 and "below the next total 15 (2026-10-31)" in result.stderr, result.stderr
    assert path.read_bytes() == before
    assert run(tmp_path, "add", "inv", "18", "--total", "--date", "2026-06-30").exit_code == 0


@pytest.mark.parametrize("order", ["in date order", "out of date order"])
def test_validate_warns_of_a_total_below_the_one_dated_before_it(tmp_path, order):
    june = "\n[[progress]]\nvalue = 194.7\ntotal = true\ndate = 2026-06-30\n"
    path = write(tmp_path / "inv.toml", INVESTMENT + (june + LATER_TOTAL if order == "in date order"
                                                      else LATER_TOTAL + june))
    result = run(tmp_path, "validate")
    assert result.exit_code == 0, result.output
    lines = path.read_text(encoding="utf-8").splitlines()
    october, june_line = lines.index("date = 2026-10-31") - 2, lines.index("date = 2026-06-30") - 2
    assert (f"inv.toml:{october}: warning: the running total 3.6421 is below the total 194.7 of 2026-06-30 "
            f"(line {june_line}) on a target that must rise; a slip?") in result.stderr, result.stderr


def test_validate_warns_of_a_total_out_of_date_order_in_chinese_too(tmp_path):
    june = "\n[[progress]]\nvalue = 194.7\ntotal = true\ndate = 2026-06-30\n"
    write(tmp_path / "inv.toml", INVESTMENT + LATER_TOTAL + june)
    result = run(tmp_path, "--lang", "zh", "validate")
    assert "累计值 3.6421 低于 2026-06-30 的累计值 194.7（第 12 行），而该指标应增加" in result.stderr, result.stderr
