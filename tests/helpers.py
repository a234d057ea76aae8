"""Tiny builders of synthetic targets and workspaces for the tests (all figures are made up)."""

from __future__ import annotations

import json
import sys
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from kpitrack.domain.model import Checkpoint, Direction, Entry, Kind, Target


FAST = False  # set by conftest.py when slow tests are deselected (`pytest -m "not slow"`)


def examples(count: int) -> int:
    """Hypothesis examples for a property test: `count` in the full suite, at most 10 in a fast run."""
    return min(count, 10) if FAST else count


def make_target(target=1200, baseline=0, start=date(2023, 1, 1), due=date(2023, 12, 31),
                kind=Kind.CUMULATIVE, direction=Direction.INCREASE, entries=(), checkpoints=(), **fields) -> Target:
    """A synthetic target; entries are (date, value) or (date, value, total) tuples, or Entry objects."""
    return Target(
        id=fields.pop("id", "synthetic"), title=fields.pop("title", "synthetic target"),
        start=start, due=due, kind=kind, direction=direction,
        target=Decimal(str(target)), baseline=Decimal(str(baseline)),
        entries=tuple(_entry(item) for item in entries),
        checkpoints=tuple(Checkpoint(when, Decimal(str(value))) for when, value in checkpoints),
        **fields,
    )


def _entry(item) -> Entry:
    if isinstance(item, Entry):
        return item
    when, value, *rest = item
    return Entry(date=when, value=Decimal(str(value)), total=bool(rest and rest[0]))


TARGET_TOML = """\
# synthetic test target
title = "synthetic: new firms"
unit = "firms"
target = 1200
start = 2023-01-01
due = 2023-12-31
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- synthetic target files and the CLI ----------------------------------------

SHIPPED_TARGETS = Path(__file__).parents[1] / "targets"
runner = CliRunner()


def target_toml(title="synthetic: new firms", target=1200, start="2023-01-01", due="2023-12-31",
                unit="firms", extra="") -> str:
    """The text of a synthetic target file; `target=None` leaves the key out (for milestones)."""
    lines = ["# synthetic test data: made-up figures", f'title = "{title}"']
    if unit is not None:
        lines.append(f'unit = "{unit}"')
    if target is not None:
        lines.append(f"target = {target}")
    lines += [f"start = {start}", f"due = {due}"]
    return "\n".join(lines) + "\n" + extra


def progress(when: str, value=None, total: bool = False, done: bool | None = None) -> str:
    """One hand-written [[progress]] block."""
    block = f"\n[[progress]]\ndate = {when}\n"
    if value is not None:
        block += f"value = {value}\n"
    if total:
        block += "total = true\n"
    if done is not None:
        block += f"done = {'true' if done else 'false'}\n"
    return block


def milestone_toml(due="2023-09-30", extra="") -> str:
    return target_toml(title="synthetic: bridge open", target=None, unit=None, due=due,
                       extra='kind = "milestone"\n' + extra)


def write_target(root: Path, target_id: str, text: str, group: str = "") -> Path:
    path = root / group / f"{target_id}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file below root (hidden ones too, but not kpitrack's own state in .kpitrack/, such as
    lock notes) and its bytes: to show that nothing changed."""
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file() and ".kpitrack" not in path.relative_to(root).parts}


def run(root: Path, *args: str):
    """Run kpitrack in-process on the workspace at root (the `cli` fixture of conftest does the same)."""
    from kpitrack.cli import app

    return runner.invoke(app, ["--dir", str(root), *args])


def status_rows(root: Path, *args: str) -> dict[str, dict]:
    """`status --format json` as {id: row}, numbers read as exact Decimals."""
    result = run(root, "status", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return {row["id"]: row for row in json.loads(result.stdout, parse_float=Decimal)["targets"]}


def status_ids(root: Path, *args: str) -> list[str]:
    result = run(root, "status", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return [row["id"] for row in json.loads(result.stdout)["targets"]]


def one_error_line(result) -> str:
    """A refused command: exit 2, nothing on stdout, exactly one line on stderr."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def read_toml(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


# The example of the issue: 310 in Q1 and 340 in Q2 of a pledge of 1200 for 2023 (synthetic).
FIRMS = target_toml(extra=progress("2023-03-31", 310) + progress("2023-06-30", 340))
# The same pledge a little behind the calendar: 310 + 240 = 550 by 2023-06-30 (synthetic).
SLOW_FIRMS = target_toml(extra=progress("2023-03-31", 310) + progress("2023-06-30", 240))
TOTALS = target_toml(extra=progress("2023-02-28", 100) + progress("2023-03-31", 200)
                     + progress("2023-06-30", 650, total=True) + progress("2023-08-31", 50))


# --- shared by the tests of writing, the cache and the workspace (moved from the old test files) ---

HAND_WRITTEN_FIRMS = TARGET_TOML + """
# a comment the user wrote, with odd   spacing
[[progress]]
date = 2023-03-31
value = 310   # Q1 bulletin
"""

MILESTONE_FIELDS = dict(title="x", start=date(2024, 1, 1), due=date(2024, 12, 31), kind="milestone")


def kpitrack_command(workspace: Path, *arguments: str) -> list[str]:
    """The argv of kpitrack run as its own process on the workspace."""
    return [sys.executable, "-m", "kpitrack", "--dir", str(workspace), *arguments]


def figure_file(title="synthetic", unit="亿元", target=None, extra="") -> str:
    """A synthetic target file of a figure, with or without its own target."""
    text = f'title = "{title}"\nunit = "{unit}"\nstart = 2023-01-01\ndue = 2023-12-31\n'
    return text + (f"target = {target}\n" if target is not None else "") + extra


def any_text():
    """A hypothesis strategy: any text UTF-8 can hold, up to 40 characters."""
    from hypothesis import strategies

    return strategies.text(strategies.characters(blacklist_categories=("Cs",)), max_size=40)


def entries_of(root: Path, target_id: str) -> list[tuple]:
    """(date, value, total) of every entry of a target, as `show --format json` lists them."""
    document = json.loads(run(root, "show", target_id, "--format", "json", "--as-of", "2023-12-31").stdout)
    return [(entry["date"], entry["value"], entry["total"]) for entry in document["entries"]]


MODULES_REPORTER = """
import atexit, sys
report = sys.argv[1]
atexit.register(lambda: open(report, "w").write("\\n".join(sorted(sys.modules))))
sys.argv = ["kpitrack", *sys.argv[2:]]
from kpitrack.cli import main
main()
"""


def modules_after(*arguments: str, **how):
    """(the modules a kpitrack run imported, the finished process): the run in a fresh interpreter,
    with `how` passed to subprocess.run (cwd, env), for the tests of what each command imports."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "modules"
        done = subprocess.run([sys.executable, "-c", MODULES_REPORTER, str(report), *arguments], capture_output=True,
                              text=True, timeout=60, **how)
        return (set(report.read_text().split()) if report.exists() else set()), done


# The documentation people read: the README, then the guides in docs/ it points to (the reference
# pages beside them are generated from the code and checked by tests/test_docs.py).
GUIDES = ("targets.md", "reports.md", "scripts.md", "offices.md", "safety.md")


def documentation() -> str:
    root = Path(__file__).parents[1]
    return "\n".join((path).read_text(encoding="utf-8") for path in [root / "README.md", *(root / "docs" / name
                                                                                           for name in GUIDES)])


# A milestone of three nodes (形象进度), synthetic: tests of node plans and of their appends' repair.
NODE_PLAN = """# synthetic test data
title = "synthetic: 项目建设"
kind = "milestone"
start = 2024-01-01
due = 2024-12-31

[[node]]
name = "开工"
due = 2024-03-31

[[node]]
name = "主体完工"
due = 2024-09-30

[[node]]
name = "竣工验收"
due = 2024-12-31
"""
