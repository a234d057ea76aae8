"""What changed: the one rule of the kinds of change in a target's status, for `check --changes`
(against the result the previous run remembered, see writing.changes) and `report --since` (against
the figures as of a date). They are two notions (a cron job's alarm and a report's news) that read
one rule: a move of status is TURNED (into a flagged status, or from one flagged status to another),
DONE (done, from not done), RECOVERED (out of the flagged statuses, not done) or nothing; a target is
LATE (no figure for too long) anew, or REVISED (a figure corrected). Each picks what it tells
(see check_changes and changes_since in report.py); neither decides a kind of its own."""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from kpitrack.writing.changes import State

TURNED, DONE, RECOVERED, LATE = "turned", "done", "recovered", "late"



def status_change(was: str | None, now: str, flagged: Collection[str]) -> str | None:
    """The kind of a move from status code `was` (None: not known before) to `now`, against the
    `flagged` codes (red: a status that fails a check), or None when it is no change worth telling."""
    if now in flagged and now != was:
        return TURNED
    if now == "done" and was != "done":
        return DONE
    if was in flagged and now not in flagged:
        return RECOVERED
    return None


def newly_late(was_stale: bool, now_stale: bool) -> bool:
    return now_stale and not was_stale


class Change(NamedTuple):
    """One target's change since the previous check, for the CLI to word."""

    id: str
    kind: str  # TURNED, DONE, RECOVERED or LATE
    was: str | None  # status codes
    now: str
    last: str | None = None  # for LATE: the date of its last figure (ISO), None for none yet


def check_state(items) -> State:
    """What `check --changes` remembers of a run, by target id."""
    return {target.id: {"status": result.status.value, "stale": result.stale,
                        "last": result.last_update.isoformat() if result.last_update else None}
            for target, result in items}


def check_changes(previous: State | None, current: State, flagged: Collection[str], stale: bool) -> list[Change]:
    """What a cron job is told: every target that turned to a flagged status or to another one,
    recovered from one (done among them), or newly became late (stale, when asked for). A target done
    that was not flagged is no alarm. A target that left the selection (its plan closed) is not news.
    Before any previous run, everything flagged is."""
    previous = previous or {}
    news = []
    for target_id, now in current.items():
        before = previous.get(target_id, {"status": None, "stale": False})
        was, status = before["status"], now["status"]
        kind = status_change(was, status, flagged)
        if kind in (TURNED, RECOVERED) or (kind == DONE and was in flagged):
            news.append(Change(target_id, kind, was, status))
        if stale and newly_late(before["stale"], now["stale"]):
            news.append(Change(target_id, LATE, was, status, now["last"]))
    return news
