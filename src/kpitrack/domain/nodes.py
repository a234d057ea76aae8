"""A milestone's node plan (形象进度): which nodes are done as of a date, which are late, and the
share planned. Pure; beside `compute`, which takes its figures from here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kpitrack.domain.model import Target
from kpitrack.domain.timeline import ordered_entries

HUNDRED = Decimal(100)


def done_dates(target: Target, as_of: date) -> dict[str, date | None]:
    """Each node's name and the day it was marked done, as of the end of `as_of` (None: not done);
    a later entry marking it not done takes it back."""
    done: dict[str, date | None] = {node.name: None for node in target.nodes}
    for entry in ordered_entries(target.entries):
        if entry.date > as_of:
            break
        if entry.node in done:
            done[entry.node] = (done[entry.node] or entry.date) if entry.done else None
    return done


def planned_share(target: Target, as_of: date) -> Decimal:
    """The share of the nodes due by the end of `as_of`, in per cent (exact)."""
    return Decimal(sum(node.due <= as_of for node in target.nodes)) / len(target.nodes) * HUNDRED


def late_nodes(target: Target, as_of: date, done: dict[str, date | None]) -> tuple[str, ...]:
    """The nodes whose due day has ended by `as_of` without them done, in plan order."""
    return tuple(node.name for node in target.nodes if node.due <= as_of and done[node.name] is None)


def next_node(target: Target, as_of: date = date.max) -> str | None:
    """The first node in plan order not done as of `as_of` (by default, as the file stands): the one
    a ledger's 已完成 reports (None: every node is done, or there is no node plan)."""
    done = done_dates(target, as_of)
    return next((node.name for node in target.nodes if done[node.name] is None), None)
