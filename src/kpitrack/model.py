"""The data: targets, their progress entries and checkpoints, workspace settings."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from kpitrack.errors import KpitrackError


class Kind(str, enum.Enum):
    CUMULATIVE = "cumulative"  # entries are increments, or running totals when `total = true`
    LEVEL = "level"  # each entry is a reading of the current level
    MILESTONE = "milestone"  # a deliverable that is done or not


class Direction(str, enum.Enum):
    INCREASE = "increase"
    DECREASE = "decrease"


class Status(str, enum.Enum):
    NOT_STARTED = "not-started"
    DONE = "done"
    ON_TRACK = "on-track"
    AT_RISK = "at-risk"
    BEHIND = "behind"
    OVERDUE = "overdue"


CADENCES = ("weekly", "monthly", "quarterly", "yearly")
Cadence = str | int  # one of CADENCES, or a number of days


class Entry(NamedTuple):
    """One progress record. Milestone entries carry `done` instead of `value`.

    A named tuple rather than a dataclass: a workspace holds hundreds of thousands of these,
    and tuples are made and read back from the cache about twice as fast.
    """

    date: date
    value: Decimal | None = None
    total: bool = False
    done: bool | None = None
    note: str | None = None
    source: str | None = None
    line: int | None = None  # where it stands in its file, for messages
    repeat: int | None = None  # 2, 3…: a genuine repeat of an identical entry (`add --again`)


@dataclass(frozen=True)
class Checkpoint:
    """A point on the planned path: `value` is due by the end of `date`."""

    date: date
    value: Decimal


@dataclass(frozen=True)
class Target:
    """A pledge, as defined in its file, with every progress entry recorded there."""

    id: str
    title: str
    start: date
    due: date
    kind: Kind = Kind.CUMULATIVE
    direction: Direction = Direction.INCREASE
    target: Decimal = Decimal(1)
    baseline: Decimal = Decimal(0)
    unit: str = ""
    owner: str | None = None
    source: str | None = None
    tags: tuple[str, ...] = ()
    stretch: bool = False
    cadence: Cadence | None = None  # how often figures are expected; None: the workspace default
    parts: tuple[str, ...] = ()  # ids of the targets this one adds up (a city pledge split by district)
    target_from_parts: bool = False  # the file gives no target: it is the sum of the parts' targets
    baseline_from_parts: bool = False  # likewise for the baseline
    checkpoints: tuple[Checkpoint, ...] = ()
    entries: tuple[Entry, ...] = ()
    group: str = ""  # the folder it lives in, relative to the workspace ("" at the root)
    path: Path | None = None


@dataclass(frozen=True)
class Settings:
    """Workspace settings from `kpitrack.toml`."""

    at_risk_band: Decimal = Decimal(10)  # lag in points from which a target counts as behind
    cadence: Cadence | None = None  # the default for targets that set none; None: never stale
    stale_grace_days: int = 7  # how late past its cadence a figure may be before it is stale
    close_after_days: int = 120  # a plan closes this long after its last due date (full-year figures are out)


@dataclass(frozen=True)
class Plan:
    """What a folder's plan.toml says of the document its targets come from."""

    group: str
    title: str
    issuer: str | None = None
    date: date | None = None
    source: str | None = None
    period: str | None = None
    closed: bool | None = None  # said by hand in plan.toml; None: closed by date (see close_after_days)


@dataclass
class Workspace:
    """Every target that loaded, and the problems with the files that did not."""

    root: Path
    settings: Settings = field(default_factory=Settings)
    targets: list[Target] = field(default_factory=list)
    plans: dict[str, Plan] = field(default_factory=dict)  # by folder
    problems: list[KpitrackError] = field(default_factory=list)
    scope: str = ""  # the folder a command is limited to (--dir into a plan's folder); "" for all

    def by_id(self) -> dict[str, Target]:
        """The targets by id: where a parent finds its parts."""
        return {target.id: target for target in self.targets}
