"""Which figures apply to each kind of target: one table, read by the report layer and every
format, instead of each output deciding by `if kind is ...` on its own. A figure that does not
apply is left out (or null in JSON); one that applies but is unknown (no data yet) is `—`."""

from __future__ import annotations

from kpitrack.domain.model import Kind

# Every kind has a current figure, a status and its light, a planned share where its period has
# begun, and a verdict once due; the rest depend on the kind.
COMMON = frozenset({"current", "planned", "light", "status", "verdict"})

APPLIES: dict[Kind, frozenset[str]] = {
    Kind.CUMULATIVE: COMMON | {"target", "completion", "projected", "schedule", "qualifier", "direction", "burnup"},
    Kind.LEVEL: COMMON | {"target", "completion", "projected", "schedule", "qualifier", "direction", "burnup"},
    Kind.MILESTONE: COMMON | {"target", "completion"},  # done or not: no higher or lower is better
    Kind.GROWTH: COMMON | {"target", "gap", "projected", "qualifier", "direction", "readings"},
    Kind.INDICATOR: COMMON | {"gap", "projected", "readings"},
}


def applies(kind: Kind, figure: str) -> bool:
    """Whether `figure` (current, target, completion, planned, gap, light, status, verdict,
    projected, schedule, qualifier, direction, burnup, readings) is one that a target of `kind` has."""
    return figure in APPLIES[kind]
