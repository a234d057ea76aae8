"""The result of the previous `check --changes`, remembered in the workspace's `.kpitrack/` folder,
so that a daily cron job mails once per change, not every day while a target stays red (what
changed is decided in reports.changes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import N_
from kpitrack.files.state import read_state, state_folder
from kpitrack.writing.write import write_private

CHANGES_FILE = "check-changes.json"

State = dict[str, dict[str, Any]]  # by target id: {"status": …, "stale": …, "last": ISO date or None}


def remembered(root: Path, key: str) -> State | None:
    """The result of the previous check with these options, or None before the first."""
    saved = _saved(state_folder(root) / CHANGES_FILE).get(key)
    return saved if _state_shape(saved) else None


def _saved(path: Path) -> dict[str, Any]:
    """The remembered results, read as untrusted (see read_state): a file of another shape is as none."""
    data = read_state(path)
    try:
        saved = json.loads(data.decode("utf-8")) if data is not None else {}
    except (UnicodeDecodeError, ValueError, RecursionError):
        return {}
    return saved if isinstance(saved, dict) else {}


def _state_shape(state: Any) -> bool:
    """Whether a remembered result is of the shape `changes` reads."""
    from kpitrack.domain.model import Status, Verdict

    codes = {None, *Status._value2member_map_, *Verdict._value2member_map_}
    return isinstance(state, dict) and all(
        isinstance(target_id, str) and isinstance(item, dict) and "status" in item
        and isinstance(item["status"], (str, type(None))) and item["status"] in codes and isinstance(item.get("stale", False), bool) and isinstance(item.get("last"), (str, type(None)))
        for target_id, item in state.items())


def remember(root: Path, key: str, state: State) -> None:
    path = state_folder(root) / CHANGES_FILE
    saved = _saved(path)
    saved[key] = state
    try:
        write_private(path, json.dumps(saved, ensure_ascii=False, sort_keys=True))
    except KpitrackError as error:
        raise KpitrackError(N_("cannot remember this check's result ({error}); "
                               "the next --changes would repeat it"), error=KpitrackError(error.template, **error.fields)) from None
