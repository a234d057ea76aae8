"""The rules of the kinds and qualifiers of a target file: which keys each kind takes, and how a
qualifier, tolerance and 力争 figure must fit the target. Called by `schema`, which parses the values."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from kpitrack.errors import KpitrackError
from kpitrack.model import Direction, Kind, Qualifier, Target

Where = Callable[[str], "int | None"]

NOT_FOR = {
    Kind.MILESTONE: ("qualifier", "tolerance", "stretch_target"),
    Kind.INDICATOR: ("target", "baseline", "checkpoint", "parts", "qualifier", "tolerance", "stretch_target"),
    Kind.GROWTH: ("baseline", "checkpoint", "parts"),
}
WHY = {
    Kind.MILESTONE: "it is done or not",
    Kind.INDICATOR: "an indicator (监测指标) is tracked, not completed",
    Kind.GROWTH: "a growth rate is the bar from the first month, nothing is prorated or added up",
}


def check_kind_keys(document: dict[str, Any], kind: Kind, path: Path, where: Where) -> None:
    """Refuse the keys a kind has no use for, before their values are read."""
    for key in NOT_FOR.get(kind, ()):
        if key in document:
            article = "an" if kind.value[0] in "aeiou" else "a"
            raise KpitrackError(f"{article} {kind.value} target has no {key!r}: {WHY[kind]}; remove the key",
                                path, where(key))
    if kind is Kind.GROWTH and document.get("unit") != "%":
        raise KpitrackError('a growth target is a rate in per cent: set unit = "%"', path, where("unit") or 1)
    if kind is Kind.GROWTH and "target" not in document:
        raise KpitrackError("missing key 'target' (the growth rate to reach, in per cent)", path, 1)


def check_kind_fields(document: dict[str, Any], target: Target, path: Path, where: Where) -> None:
    """How the qualifier, tolerance and 力争 figure fit the target."""
    decrease = target.direction is Direction.DECREASE
    if target.qualifier in (Qualifier.OVER, Qualifier.AT_LEAST) and decrease:
        raise KpitrackError(f"qualifier {target.qualifier.value!r} is for a figure that must rise; "
                            "a decrease target takes \"at-most\" (以内, 不超过) or \"about\"", path, where("qualifier"))
    if target.qualifier is Qualifier.AT_MOST and not decrease and target.kind is not Kind.GROWTH:
        raise KpitrackError('qualifier "at-most" (以内, 不超过) is for a figure that must fall: '
                            'set direction = "decrease"', path, where("qualifier"))
    if target.tolerance is not None:
        if target.qualifier is not Qualifier.ABOUT:
            raise KpitrackError('tolerance is only for qualifier = "about" (左右, 约)', path, where("tolerance"))
        if target.tolerance <= 0:
            raise KpitrackError(f"tolerance must be above 0 (in the target's unit), not {target.tolerance}",
                                path, where("tolerance"))
    if target.stretch_target is not None:
        if target.stretch:
            raise KpitrackError("a file is either a 力争 target of its own (stretch = true) or carries "
                                "stretch_target, not both", path, where("stretch_target"))
        beyond = target.stretch_target < target.target if not decrease else target.stretch_target > target.target
        if beyond or target.stretch_target == target.target:
            word = "above" if not decrease else "below"
            raise KpitrackError(f"stretch_target {target.stretch_target} must be {word} the committed target "
                                f"{target.target} (力争 asks more than 确保)", path, where("stretch_target"))
