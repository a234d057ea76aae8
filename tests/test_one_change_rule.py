"""What changed is one rule (reports.changes.status_change) read by `check --changes` (against the
previous run) and `report --since` (against a date); each tells its own part of it (synthetic)."""

from __future__ import annotations

import itertools

import pytest

from kpitrack.domain.model import Status
from kpitrack.reports.changes import DONE, LATE, RECOVERED, TURNED, Change, check_changes, status_change
from kpitrack.reports.report import since_change

CODES = [status.value for status in Status]
RED = {"behind", "overdue"}


@pytest.mark.parametrize("was,now", list(itertools.product(CODES, CODES)))
def test_a_report_tells_newly_done_turned_red_and_recovered_by_the_one_rule(was, now):
    expected = ("newly done" if now == "done" and was != "done" else
                "turned red" if now in RED and was not in RED else
                "recovered" if was in RED and now not in RED else None)
    assert since_change(was, now) == expected
    kind = status_change(was, now, RED)
    assert {"newly done": DONE, "turned red": TURNED, "recovered": RECOVERED}.get(expected) in (kind, None)


@pytest.mark.parametrize("was,now", list(itertools.product([None, *CODES], CODES)))
@pytest.mark.parametrize("flagged", [RED, {"at-risk", "behind", "overdue"}, {"behind", "missed"}])
def test_a_check_tells_a_turn_a_recovery_and_a_flagged_target_done_by_the_one_rule(was, now, flagged):
    previous = {"t": {"status": was, "stale": False, "last": None}} if was else {}
    news = check_changes(previous, {"t": {"status": now, "stale": False, "last": None}}, flagged, stale=False)
    expected = (TURNED if now in flagged and now != was else
                DONE if was in flagged and now == "done" else
                RECOVERED if was in flagged and now not in flagged else None)
    assert news == ([Change("t", expected, was, now)] if expected else [])
    assert expected in (status_change(was, now, flagged), None)


def test_newly_late_is_told_once():
    before = {"t": {"status": "on-track", "stale": False, "last": None}}
    now = {"t": {"status": "on-track", "stale": True, "last": "2023-03-31"}}
    assert check_changes(before, now, RED, stale=True) == [Change("t", LATE, "on-track", "on-track", "2023-03-31")]
    assert check_changes(now, now, RED, stale=True) == []
    assert check_changes(before, now, RED, stale=False) == []
