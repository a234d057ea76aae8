"""Whether a figure meets a target as the documents word them: 超 (over), 以上 (at-least), 左右 (about,
within a tolerance), 以内 (at-most), with readings published as bounds (近 nearly, 超 over, 约 about).
Pure arithmetic, below `compute`."""

from __future__ import annotations

from decimal import Decimal

from kpitrack.domain.model import Direction, Kind, Qualifier, ReadingQualifier, Target

ABOUT_SHARE = Decimal("0.02")  # 左右: 2 % of the target either way, by default
ABOUT_GROWTH_POINTS = Decimal("0.2")  # 增长6%左右: 0.2 percentage points


def qualifier_of(target: Target) -> Qualifier:
    """The target's qualifier; without one, at-least (at-most for a decrease target), as before."""
    if target.qualifier is not None:
        return target.qualifier
    return Qualifier.AT_MOST if target.direction is Direction.DECREASE else Qualifier.AT_LEAST


def tolerance_of(target: Target) -> Decimal:
    """How far short of the target an `about` target may end and still be done, in its unit."""
    if target.tolerance is not None:
        return target.tolerance
    if target.kind is Kind.GROWTH:
        return ABOUT_GROWTH_POINTS
    return abs(target.target) * ABOUT_SHARE


def falls(target: Target) -> bool:
    """Whether the figure must stay at or below its bar (a decrease target, or `at-most`)."""
    return target.direction is Direction.DECREASE or target.qualifier is Qualifier.AT_MOST


def meets(target: Target, value: Decimal, reading: ReadingQualifier | None = None,
          figure: Decimal | None = None) -> bool:
    """Whether `value`, published with `reading`'s wording, meets `figure` (default: the target)
    as the target words it. A reading of `nearly X` is just under X, `over X` just over, `about X` X."""
    return meeting(target, figure)(value, reading)


def meeting(target: Target, figure: Decimal | None = None):
    """`meets(target, value, reading, figure)` as a function of (value, reading), its bar worked
    out once: a timeline asks it of every day."""
    bar = target.target if figure is None else figure
    qualifier = qualifier_of(target)
    if qualifier is Qualifier.ABOUT:
        bar = bar + tolerance_of(target) if falls(target) else bar - tolerance_of(target)
        qualifier = Qualifier.AT_MOST if falls(target) else Qualifier.AT_LEAST
    # (value, the wording's nudge) against (bar, 0), as pairs: the nudge decides only at the bar
    # itself. Written out, not as tuples: a timeline asks it of each of a workspace's 100,000 days.
    nudge = _NUDGES.get
    if qualifier is Qualifier.OVER:
        return lambda value, reading=None: value > bar or value == bar and nudge(reading, 0) > 0
    if qualifier is Qualifier.AT_LEAST:
        return lambda value, reading=None: value > bar or value == bar and nudge(reading, 0) >= 0
    return lambda value, reading=None: value < bar or value == bar and nudge(reading, 0) <= 0


_NUDGES = {ReadingQualifier.NEARLY: -1, ReadingQualifier.OVER: 1}


def shortfall(target: Target, value: Decimal) -> Decimal:
    """How far `value` falls short of the target itself (not of its tolerance), in its unit; 0 or less
    when it does not."""
    return value - target.target if falls(target) else target.target - value
