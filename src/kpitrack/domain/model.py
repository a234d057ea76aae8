"""The data: targets, their progress entries, workspace settings (and, from kpitrack.domain.plans,
checkpoints, nodes, plans and the workspace)."""

from __future__ import annotations

import enum
from dataclasses import MISSING, FrozenInstanceError, dataclass, fields
from datetime import date
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # given by name at run time, built when first asked for: see the end of this module
    from kpitrack.domain.plans import Checkpoint, Node, Plan


class Kind(str, enum.Enum):
    CUMULATIVE = "cumulative"  # entries are increments, or running totals when `total = true`
    LEVEL = "level"  # each entry is a reading of the current level
    MILESTONE = "milestone"  # a deliverable that is done or not
    INDICATOR = "indicator"  # 监测指标: readings with no target, only tracked
    GROWTH = "growth"  # a growth rate in per cent: entries are year-to-date rates (累计同比)


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
    NO_DATA = "no-data"  # under way, and no figure reported yet (未报送)
    TRACKED = "tracked"  # an indicator: readings are kept, there is nothing to complete


class Qualifier(str, enum.Enum):
    """How a target's figure is worded: 超 (over), 以上 (at-least), 左右 (about), 以内 (at-most)."""

    OVER = "over"
    AT_LEAST = "at-least"
    ABOUT = "about"
    AT_MOST = "at-most"


class ReadingQualifier(str, enum.Enum):
    """How a published figure is worded: 近 (nearly), 超 (over), 约 (about)."""

    NEARLY = "nearly"
    OVER = "over"
    ABOUT = "about"


class Verdict(str, enum.Enum):
    """How a target ended, beside its status: from the end of the due day, or once it is met."""

    DONE_EARLY = "done-early"
    ON_TIME = "on-time"
    DONE_LATE = "done-late"
    MISSED = "missed"
    NOT_REPORTED = "not-reported"


CADENCES = ("weekly", "monthly", "quarterly", "yearly")
SCHEDULES = ("daily", "monthly", "quarterly", "none")  # how the calendar plan (序时进度) advances
LANGUAGES = ("en", "zh")
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
    qualifier: ReadingQualifier | None = None  # 近/超/约: the figure is a bound, not exact
    estimate: bool = False  # 预计, 初步统计: counts, but is marked as an estimate
    repeat: int | None = None  # 2, 3…: a genuine repeat of an identical entry (`add --again`)
    node: str | None = None  # a milestone's node (形象进度) this entry marks done or not


IDENTITY = ("date", "value", "total", "done", "qualifier", "estimate", "repeat", "node")


def identity(entry) -> tuple:
    """What makes two entries the same record: everything that counts (the date, the figure or done,
    whether it is a running total, how the figure is worded, whether it is an estimate, which genuine
    repeat it is, the node it marks), not the words beside it (note, source) nor where it stands (line).

    The one definition, asked by every door: `add` refuses a second one (unless --again), an import
    and the journal's recovery never write one twice, `validate` flags one recorded twice, and git's
    merge driver keeps once the same entry appended on both sides. 20 and 20.0 are one figure."""
    return (entry.date, entry.value, entry.total, entry.done, entry.qualifier, entry.estimate, entry.repeat,
            entry.node)


def wording(entry) -> tuple:
    """An entry's identity and the words beside it (note, source): two entries the same as written.
    A change of a note is an edit of the record, not a new one: what git's merge driver carries from the
    side that made it, and what the history lists as changed."""
    return identity(entry) + (entry.note, entry.source)


class Record:
    """What @dataclass(frozen=True) generates for a class (__init__, __repr__, __eq__, __hash__, and
    refusing to set or delete a field), written once for the records of this module: the code the
    dataclasses module writes, and compiles at every start, cost 4 ms of each command's. A record
    keeps the fields it is given; one left out is read from the class, which holds its default (as
    for any dataclass). Made by `record`."""

    __slots__ = ()
    _names: tuple[str, ...] = ()
    _known: frozenset[str] = frozenset()
    _required: frozenset[str] = frozenset()
    _values = staticmethod(tuple)

    def __init__(self, *values, **given) -> None:
        if len(values) > len(self._names):
            raise TypeError(f"{type(self).__name__}() takes {len(self._names)} arguments, {len(values)} given")
        for name, value in zip(self._names, values):
            if name in given:
                raise TypeError(f"{type(self).__name__}() got multiple values for argument {name!r}")
            given[name] = value
        if not self._required <= given.keys() <= self._known:
            raise TypeError(f"{type(self).__name__}() needs {sorted(self._required - given.keys())}, "
                            f"has no {sorted(given.keys() - self._known)}")
        object.__setattr__(self, "__dict__", given)

    def __setattr__(self, name: str, value) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._names)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return other is self or self._values(self) == other._values(other)

    def __hash__(self) -> int:
        return hash(self._values(self))


def record(kind: type) -> type:
    """A frozen dataclass of Record's methods (dataclasses.fields, replace and asdict know it)."""
    made = dataclass(init=False, repr=False, eq=False)(kind)
    made._names = tuple(each.name for each in fields(made))
    made._known = frozenset(made._names)
    made._required = frozenset(each.name for each in fields(made) if each.default is MISSING)
    made._values = staticmethod(attrgetter(*made._names))  # the fields in order, as one tuple
    return made


@record
class Target(Record):
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
    owner: str | None = None  # the lead unit (牵头单位): the first of a list of owners
    source: str | None = None
    co_owners: tuple[str, ...] = ()  # the co-units (配合单位): the rest of the list
    tags: tuple[str, ...] = ()
    stretch: bool = False
    qualifier: Qualifier | None = None  # None: at-least (at-most for a decrease target)
    tolerance: Decimal | None = None  # for `about`: in the target's unit; None: the default
    stretch_target: Decimal | None = None  # 力争: the figure strived for beside the committed one
    cadence: Cadence | None = None  # how often figures are expected; None: the workspace default
    schedule: str | None = None  # one of SCHEDULES; None: the workspace default
    title_en: str | None = None  # the title in English, shown when the interface speaks English
    baseline_given: bool = False  # the file writes `baseline`: with no entry yet, it is the figure, not no-data
    parts: tuple[str, ...] = ()  # ids of the targets this one adds up (a city pledge split by district)
    target_from_parts: bool = False  # the file gives no target: it is the sum of the parts' targets
    baseline_from_parts: bool = False  # likewise for the baseline
    checkpoints: tuple[Checkpoint, ...] = ()
    period_plan: tuple[Checkpoint, ...] = ()  # [planned]: the cumulative plan by the end of each listed period
    pace: Decimal | None = None  # per cent of the calendar rule the plan asks (120: 按照序时进度的120%推进)
    yellow: Decimal | None = None  # its own bands, in place of its plan's or the workspace's
    red: Decimal | None = None
    warn_days: int | None = None  # 临期预警: flagged this many days before due while not done
    nodes: tuple[Node, ...] = ()  # a milestone's node plan: done when its last node is; `target` is their count
    entries: tuple[Entry, ...] = ()
    group: str = ""  # the folder it lives in, relative to the workspace ("" at the root)
    path: Path | None = None

    def owners(self) -> tuple[str, ...]:
        """Every unit it names, the lead (牵头) first, then the co-units (配合)."""
        return ((self.owner,) if self.owner else ()) + self.co_owners


@record
class Settings(Record):
    """Workspace settings from `kpitrack.toml`."""

    yellow: Decimal = Decimal(0)  # lag in points from which a target is at-risk (黄灯)
    red: Decimal = Decimal(10)  # lag in points from which a target is behind (红灯)
    schedule: str = "daily"  # the default of targets that set none: one of SCHEDULES
    language: str | None = None  # "en" or "zh"; None: KPITRACK_LANG or the locale decides
    cadence: Cadence | None = None  # the default for targets that set none; None: never stale
    stale_grace_days: int = 7  # how late past its cadence a figure may be before it is stale
    growth_red: Decimal = Decimal(1)  # points short of a growth target from which it is behind
    old_band_at: str | None = None  # "path:line" of an old `at_risk_band`, for a notice to rename it
    close_after_days: int = 120  # a plan closes this long after its last due date (full-year figures are out)
    pace: Decimal | None = None  # per cent of the calendar rule the plan asks; None: 100
    warn_days: int | None = None  # 临期预警 days before due; None: 30 for milestones, off for the rest
    plan_cadence: Cadence | None = None  # the cadence a plan.toml sets: it chases milestones too
    decimals: int = 2  # of every printed percentage and gap (1 or 2); JSON and CSV keep the figures' 2
    office: str | None = None  # the office's name, the Word document's author; None: "kpitrack"

    def under(self, plan: Plan | None) -> Settings:
        """These settings with what a plan.toml sets in their place (pace, bands, warn_days, cadence)."""
        if plan is None:
            return self
        from dataclasses import replace

        said = {key: getattr(plan, key) for key in PLAN_SETTINGS if getattr(plan, key) is not None}
        if plan.cadence is not None:
            said.update(cadence=plan.cadence, plan_cadence=plan.cadence)
        return replace(self, **said) if said else self


PLAN_SETTINGS = ("pace", "yellow", "red", "warn_days")  # the settings a plan.toml may set for its folder's targets


# Checkpoint, Node, Plan and Workspace are defined in kpitrack.domain.plans and built when first asked
# for from here (PEP 562): generating a dataclass's methods costs every start that builds it a few
# tenths of a millisecond (1.7 ms for these four), and `add` needs none of them unless the file it
# adds to has checkpoints or nodes, or its folder a plan.toml.
_IN_PLANS = frozenset({"Checkpoint", "Node", "Plan", "Workspace"})


def __getattr__(name: str):
    if name in _IN_PLANS:
        from kpitrack.domain import plans

        return getattr(plans, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
