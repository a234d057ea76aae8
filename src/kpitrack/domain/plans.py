"""The plans around the targets: the points and steps a target's file plans (checkpoints, a
milestone's nodes), what a folder's plan.toml says, and the workspace of them all. Imported, and
so built, only when used: kpitrack.domain.model gives them by name (see its end)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from kpitrack.domain.errors import KpitrackError
from kpitrack.domain.model import Cadence, Record, Settings, Target, record


@record
class Checkpoint(Record):
    """A point on the planned path: `value` is due by the end of `date`."""

    date: date
    value: Decimal


@record
class Node(Record):
    """A step of a milestone's node plan (形象进度): `name` is due by the end of `due`."""

    name: str
    due: date


@record
class Plan(Record):
    """What a folder's plan.toml says of the document its targets come from."""

    group: str
    title: str
    issuer: str | None = None
    date: date | None = None
    source: str | None = None
    period: str | None = None
    start: date | None = None  # the period's first day, from `start` or a year in `period`
    due: date | None = None  # its last day
    closed: bool | None = None  # said by hand in plan.toml; None: closed by date (see close_after_days)
    pace: Decimal | None = None  # what the plan sets for its targets in place of kpitrack.toml's
    yellow: Decimal | None = None
    red: Decimal | None = None
    warn_days: int | None = None
    cadence: Cadence | None = None  # how often its targets report, over kpitrack.toml's (milestones too)


@dataclass
class Workspace:
    """Every target that loaded, and the problems with the files that did not."""

    root: Path
    settings: Settings = field(default_factory=Settings)
    targets: list[Target] = field(default_factory=list)
    plans: dict[str, Plan] = field(default_factory=dict)  # by folder
    problems: list[KpitrackError] = field(default_factory=list)
    scope: str = ""  # the folder a command is limited to (--dir into a plan's folder); "" for all

    def settings_for(self, target: Target) -> Settings:
        """The settings a target is computed with: the nearest plan.toml's over kpitrack.toml's."""
        group = target.group
        while True:
            if group in self.plans:
                return self.settings.under(self.plans[group])
            if not group:
                return self.settings
            group = group.rpartition("/")[0]

    def by_id(self) -> dict[str, Target]:
        """The targets by id: where a parent finds its parts."""
        return {target.id: target for target in self.targets}
