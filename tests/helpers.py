"""Tiny builders of synthetic targets and workspaces for the tests (all figures are made up)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from kpitrack.model import Checkpoint, Direction, Entry, Kind, Target


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
