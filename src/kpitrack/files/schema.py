"""A parsed document to model objects: every rule a target, plan or settings file must follow,
and its message."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpitrack.files.document import LineIndex
from kpitrack.domain.errors import KpitrackError, KpitrackWarning, Sentence
from kpitrack.files.fields import (CHECKPOINT_FIELDS, PLAN_FIELDS, PROGRESS_FIELDS, SETTINGS_FIELDS, TARGET_FIELDS,
                             names)
from kpitrack.words.i18n import N_, _
from kpitrack.domain.model import (CADENCES, LANGUAGES, SCHEDULES, Cadence, Direction, Entry, Kind, Qualifier,
                                   ReadingQualifier, Settings, Target)
from kpitrack.files.names import (ID_PATTERN, check_id, check_text, control_problem, did_you_mean,  # noqa: F401
                                  name_problem)  # (part of this API)
from kpitrack.files.schema_kinds import (node_problem, MAX_TEXT, MAX_YEAR, check_direction, check_kind_fields,
                                        check_kind_keys, own_bands, owners_of, nodes_of, pace_number, period_plan_of,
                                        plain_entries, whole_days)
from kpitrack.domain.parse import size_problem

if TYPE_CHECKING:  # built when first used: see the end of kpitrack.domain.model
    from kpitrack.domain.plans import Checkpoint, Plan


TARGET_KEYS = names(TARGET_FIELDS)
PLAN_KEYS = names(PLAN_FIELDS)
CHECKPOINT_KEYS = names(CHECKPOINT_FIELDS)
PROGRESS_KEYS = names(PROGRESS_FIELDS)
SETTINGS_KEYS = names(SETTINGS_FIELDS)


Period = tuple[date, date]  # a plan's first and last day


def target_from_document(document: dict[str, Any], path: Path, root: Path, lines: LineIndex,
                         period: Period | None = None) -> Target:
    """Check a parsed target file and build the Target it describes; `period` is its plan's, which
    gives the start and due the file leaves out."""
    _reject_unknown_keys(document, TARGET_KEYS, path, lines, (None, 0))

    def where(key: str) -> int | None:
        return lines.get((None, 0, key))

    if "title" not in document:
        raise KpitrackError(N_("missing key 'title'"), path, 1)
    for key in ("start", "due"):
        if key not in document and period is None:
            raise KpitrackError(N_("missing key {key!r}, and no plan.toml above it gives a period "
                                   "(period = \"2024\", or start and due) to take it from"), path, 1, key=key)
    kind = _choice(document.get("kind", "cumulative"), Kind, "kind", path, where("kind"))
    direction = _choice(document.get("direction", "increase"), Direction, "direction", path, where("direction"))
    start = _date(document["start"], "start", path, where("start")) if "start" in document else period[0]
    due = _date(document["due"], "due", path, where("due")) if "due" in document else period[1]
    if due < start:
        raise KpitrackError(N_("due {due} is before start {start}"), path, where("due"), due=due, start=start)
    fields: dict[str, Any] = dict(
        id=path.stem,
        group=path.parent.relative_to(root).as_posix() if path.parent != root else "",
        path=path,
        title=_text(document["title"], "title", path, where("title"), required=True),
        start=start,
        due=due,
        kind=kind,
        direction=direction,
        unit=_text(document.get("unit", ""), "unit", path, where("unit")),
        **owners_of(document.get("owner"), path, where("owner"), _text),
        source=_optional_text(document, "source", path, where("source")),
        tags=_tags(document.get("tags", []), path, where("tags")),
        stretch=_flag(document.get("stretch", False), "stretch", path, where("stretch")),
        cadence=_cadence(document["cadence"], path, where("cadence")) if "cadence" in document else None,
        schedule=_word(document["schedule"], "schedule", SCHEDULES, path, where("schedule"))
        if "schedule" in document else None,
        title_en=_optional_text(document, "title_en", path, where("title_en")),
        baseline_given="baseline" in document,
    )
    check_kind_keys(document, kind, path, where)
    if kind is Kind.MILESTONE:
        for key in ("target", "baseline", "unit", "checkpoint", "parts"):
            if key in document:
                raise KpitrackError(N_("a milestone has no {key!r}: it is done or not; remove the key"),
                                    path, where(key), key=key)
    elif kind is Kind.INDICATOR:
        fields["target"] = Decimal(0)
    else:
        fields["baseline"] = _number(document.get("baseline", 0), "baseline", path, where("baseline"))
        if "parts" in document:
            fields["parts"] = _parts(document["parts"], path, where("parts"))
            # What the file leaves out, the parts' sums fill in once they are read.
            fields["target_from_parts"] = "target" not in document
            fields["baseline_from_parts"] = "baseline" not in document
            for key in ("checkpoint", "planned"):
                if key in document and (fields["target_from_parts"] or fields["baseline_from_parts"]):
                    raise KpitrackError(N_("checkpoints need a target and a baseline of the file's own") if key == "checkpoint"
                                        else N_("a [planned] plan needs a target and a baseline of the file's own"),
                                        path, where(key))
        elif "target" not in document:
            raise KpitrackError(N_("missing key 'target' (the figure to reach)"), path, 1)
        if "target" in document:
            fields["target"] = _number(document["target"], "target", path, where("target"))
            if not fields.get("baseline_from_parts") and kind is not Kind.GROWTH:
                check_direction(fields["baseline"], fields["target"], direction, path, where("target"))
    if "qualifier" in document:
        fields["qualifier"] = _choice(document["qualifier"], Qualifier, "qualifier", path, where("qualifier"))
    fields.update({key: _number(document[key], key, path, where(key))
                   for key in ("tolerance", "stretch_target") if key in document})
    if "pace" in document:
        fields["pace"] = pace_number(document["pace"], path, where("pace"), _number)
    fields.update(own_bands(document, path, where, _number))
    if "warn_days" in document:
        fields["warn_days"] = whole_days(document["warn_days"], "warn_days", path, where("warn_days"))
    draft = Target(**fields)
    if "node" in document:
        nodes = nodes_of(document["node"], draft, path, lines, _text, _date)
        fields.update(nodes=nodes, target=Decimal(len(nodes)))  # done when every node is
        draft = Target(**fields)
    check_kind_fields(document, draft, path, where)
    checkpoints = _checkpoints(document.get("checkpoint", []), draft, path, lines)
    period_plan = period_plan_of(document.get("planned"), draft, path,  # its line: a scan of the whole file, only if asked
                                 lines.get(("planned", 0, None)) if "planned" in document else None, _number)
    progress = _tables(document.get("progress", []), "progress", path, where("progress"))
    return Target(**fields, checkpoints=checkpoints, period_plan=period_plan,  # not replace(draft, ...): 8 µs
                  entries=_entries(progress, draft, path, lines))


def _entries(progress: list[dict[str, Any]], target: Target, path: Path, lines: LineIndex) -> tuple[Entry, ...]:
    """The entries of a target file: read at once where they are plainly right (see
    `plain_entries`), else checked key by key for the message."""
    headers = getattr(progress, "lines", None)  # the fast TOML path counted them (kpitrack.files.fasttoml)
    if headers is None:
        headers = [lines.get(("progress", index, None)) for index in range(len(progress))]
    entries = plain_entries(progress, headers, target, entry_problem)
    for index, entry in enumerate(entries):
        if entry is None:
            entries[index] = entry_from_table(progress[index], index, target, path, lines)
    return tuple(entries)


def plan_from_document(document: dict[str, Any], group: str, path: Path, lines: LineIndex) -> Plan:
    _reject_unknown_keys(document, PLAN_KEYS, path, lines, (None, 0))
    if "title" not in document:
        raise KpitrackError(N_("missing key 'title' (the document's title)"), path, 1)

    def where(key: str) -> int | None:
        return lines.get((None, 0, key))

    from kpitrack.domain.plans import Plan
    return Plan(
        group=group,
        title=_text(document["title"], "title", path, where("title"), required=True),
        issuer=_optional_text(document, "issuer", path, where("issuer")),
        date=_date(document["date"], "date", path, where("date")) if "date" in document else None,
        source=_optional_text(document, "source", path, where("source")),
        period=_optional_text(document, "period", path, where("period")),
        **plan_dates(document, path, where),
        closed=_flag(document["closed"], "closed", path, where("closed")) if "closed" in document else None,
        pace=pace_number(document["pace"], path, where("pace"), _number) if "pace" in document else None,
        **own_bands(document, path, where, _number),
        warn_days=whole_days(document["warn_days"], "warn_days", path, where("warn_days"))
        if "warn_days" in document else None,
        cadence=_cadence(document["cadence"], path, where("cadence")) if "cadence" in document else None,
    )


def plan_dates(document: dict[str, Any], path: Path, where) -> dict[str, date]:
    """A plan's start and due: given, or the first and last day of a `period` that is a year
    ("2024") or a span of years ("2021-2025")."""
    found = {key: _date(document[key], key, path, where(key)) for key in ("start", "due") if key in document}
    years = re.fullmatch(r"(\d{4})(?:\s*[-–至]\s*(\d{4}))?", str(document.get("period", "")).strip())
    if years:
        found.setdefault("start", date(int(years[1]), 1, 1))
        found.setdefault("due", date(int(years[2] or years[1]), 12, 31))
    if len(found) == 1:
        raise KpitrackError(N_("a plan's period needs both start and due (or a year as its period)"), path,
                            where(next(iter(found))))
    if found and found["due"] < found["start"]:
        raise KpitrackError(N_("due {due} is before start {start}"), path, where("due"), due=found["due"],
                            start=found["start"])
    return found


def settings_from_document(document: dict[str, Any], path: Path, lines: LineIndex) -> Settings:
    _reject_unknown_keys(document, SETTINGS_KEYS, path, lines, (None, 0))

    def where(key: str) -> int | None:
        return lines.get((None, 0, key))

    yellow, red, old_band_at = _bands(document, path, where)
    days = {}
    for key in ("stale_grace_days", "close_after_days", "warn_days"):
        days[key] = document.get(key, getattr(Settings, key))
        if key in document:
            whole_days(days[key], key, path, where(key))
    cadence = _cadence(document["cadence"], path, where("cadence")) if "cadence" in document else None
    growth_red = _number(document.get("growth_red", Settings.growth_red), "growth_red", path, where("growth_red"))
    if growth_red <= 0:
        raise KpitrackError(N_("growth_red must be above 0 (percentage points short of a growth target)"),
                            path, where("growth_red"))
    schedule = _word(document.get("schedule", "daily"), "schedule", SCHEDULES, path, where("schedule"))
    language = _word(document["language"], "language", LANGUAGES, path, where("language")) \
        if "language" in document else None
    pace = pace_number(document["pace"], path, where("pace"), _number) if "pace" in document else None
    decimals = document.get("decimals", Settings.decimals)
    if type(decimals) is not int or decimals not in (1, 2):
        raise KpitrackError(N_("decimals {value!r} must be 1 or 2 (of printed percentages and gaps)"),
                            path, where("decimals"), value=decimals)
    office = _optional_text(document, "office", path, where("office"))
    return Settings(yellow=yellow, red=red, schedule=schedule, language=language, cadence=cadence,
                    old_band_at=old_band_at, growth_red=growth_red, pace=pace, decimals=decimals, office=office, **days)


def _bands(document: dict[str, Any], path: Path, where) -> tuple[Decimal, Decimal, str | None]:
    """`yellow` and `red` in points of lag; an old `at_risk_band = N` reads as yellow 0, red N (and
    where it stands is returned, for the notice)."""
    if "at_risk_band" in document:
        if "yellow" in document or "red" in document:
            raise KpitrackError(N_("at_risk_band is the old name of red: give yellow and red only"),
                                path, where("at_risk_band"))
        red = _number(document["at_risk_band"], "at_risk_band", path, where("at_risk_band"))
        if not 0 < red <= 100:
            raise KpitrackError(N_("at_risk_band must be above 0 and at most 100 (points of lag)"),
                                path, where("at_risk_band"))
        return Decimal(0), red, f"{path}:{where('at_risk_band')}"
    yellow = _number(document.get("yellow", Settings.yellow), "yellow", path, where("yellow"))
    red = _number(document.get("red", Settings.red), "red", path, where("red"))
    if not 0 <= yellow <= red <= 100 or red == 0:
        raise KpitrackError(N_("bands must be 0 <= yellow <= red <= 100 with red above 0 (points of lag)"),
                            path, where("yellow") or where("red"))
    return yellow, red, None


def _word(raw: Any, key: str, words: tuple[str, ...], path: Path, line: int | None) -> str:
    if raw not in words:
        raise KpitrackError(N_("{key} {raw!r} is not one of: {choices}"), path, line, key=key, raw=raw,
                            choices=", ".join(words))
    return raw


def _checkpoints(raw: Any, target: Target, path: Path, lines: LineIndex) -> tuple[Checkpoint, ...]:
    tables = _tables(raw, "checkpoint", path, lines.get((None, 0, "checkpoint")))
    if not tables:
        return ()
    from kpitrack.domain.plans import Checkpoint  # only a file with checkpoints builds the class
    checkpoints: list[Checkpoint] = []
    for index, table in enumerate(tables):
        _reject_unknown_keys(table, CHECKPOINT_KEYS, path, lines, ("checkpoint", index))
        at = lines.get(("checkpoint", index, None))
        if "date" not in table or "value" not in table:
            raise KpitrackError(N_("a checkpoint needs both date and value"), path, at)
        when = _date(table["date"], "checkpoint date", path, lines.get(("checkpoint", index, "date"), at))
        value = _number(table["value"], "checkpoint value", path, lines.get(("checkpoint", index, "value"), at))
        if not target.start <= when <= target.due:
            raise KpitrackError(N_("checkpoint {when} is outside the period {start} to {due}"),
                                path, at, when=when, start=target.start, due=target.due)
        if checkpoints and when <= checkpoints[-1].date:
            raise KpitrackError(N_("checkpoints must be in date order, one per date"), path, at)
        sign = 1 if target.direction is Direction.INCREASE else -1
        previous = checkpoints[-1].value if checkpoints else target.baseline
        if sign * (value - previous) < 0 or sign * (target.target - value) < 0:
            raise KpitrackError(N_("checkpoint value {value} must lie between the previous checkpoint "
                                   "(or baseline) {previous} and the target {target}"), path, at, value=value,
                                previous=previous, target=target.target)
        checkpoints.append(Checkpoint(when, value))
    return tuple(checkpoints)


def entry_from_table(table: dict[str, Any], index: int, target: Target, path: Path, lines: LineIndex) -> Entry:
    _reject_unknown_keys(table, PROGRESS_KEYS, path, lines, ("progress", index))
    at = lines.get(("progress", index, None))

    def where(key: str) -> int | None:
        return lines.get(("progress", index, key), at)

    if "date" not in table:
        raise KpitrackError(N_("progress entry has no date"), path, at)
    entry = Entry(
        date=_date(table["date"], "date", path, where("date")),
        value=_number(table["value"], "value", path, where("value")) if "value" in table else None,
        total=_flag(table.get("total", False), "total", path, where("total")),
        done=_flag(table["done"], "done", path, where("done")) if "done" in table else None,
        note=_optional_text(table, "note", path, where("note")),
        source=_optional_text(table, "source", path, where("source")),
        line=at,
        qualifier=(_choice(table["qualifier"], ReadingQualifier, "qualifier", path, where("qualifier"))
                   if "qualifier" in table else None),
        estimate=_flag(table.get("estimate", False), "estimate", path, where("estimate")),
        repeat=_repeat(table["repeat"], path, where("repeat")) if "repeat" in table else None,
        node=_optional_text(table, "node", path, where("node")),
    )
    problem = entry_problem(target, entry)
    if problem:
        raise KpitrackError(problem, path, at)
    return entry


def _repeat(value: Any, path: Path, line: int | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 2:
        raise KpitrackError(N_("repeat must be a whole number from 2 up (the second, third… identical entry)"),
                            path, line)
    return value


# Named once: Python 3.11 takes longer to find a member on its enum than the rest of entry_problem.
_MILESTONE, _CUMULATIVE, _INCREASE, _DECREASE = Kind.MILESTONE, Kind.CUMULATIVE, Direction.INCREASE, Direction.DECREASE


def entry_problem(target: Target, entry: Entry) -> str | None:
    """Why `entry` does not fit `target`'s kind, or None when it does."""
    if target.kind is _MILESTONE:
        if entry.qualifier is not None:
            return _("`qualifier` is for figures; a milestone entry records `done`")
        if entry.total:
            return _("`total` is only for cumulative targets; a milestone entry records `done`")
        if entry.value is not None:
            return _("a milestone entry records `done = true` (or false), not a value")
        if entry.done is None:
            return _("a milestone entry needs `done = true` (or false)")
        return node_problem(target, entry)
    if entry.done is not None:
        return _("`done` is only for milestones; this is a {kind} target: give a value").format(
            kind=_(target.kind.value))
    if entry.value is None:
        return _("progress entry has no value")
    if entry.total and target.kind is not _CUMULATIVE:
        return _("`total` is only for cumulative targets; a level entry is always a reading")
    if target.kind is _CUMULATIVE and not entry.total:
        if target.direction is _INCREASE and entry.value < 0:  # against the direction
            return _("an increment of {value} runs against this {direction} target; to correct the figure, "
                     "record the running total instead (total = true)").format(
                value=entry.value, direction=_(target.direction.value))
        if target.direction is _DECREASE and entry.value > 0:  # a running total would be a change too
            return _("an increment of {value} runs against this decrease target, whose increments are falls "
                     "(-{value} for a fall of {value}); if {value} is where the figure stands, make it a level "
                     "target (kind = \"level\"), whose entries are readings").format(value=entry.value)
    return None


def entry_warnings(target: Target, entry: Entry) -> list[Sentence]:
    """What is allowed but probably a slip: an entry dated outside the target's period."""
    if entry.date < target.start:
        return [Sentence("{date} is before the start {start}; recorded all the same",
                         date=entry.date, start=target.start)]
    if entry.date > target.due:
        return [Sentence("{date} is after the due date {due}; recorded all the same "
                         "(a figure for the whole period is usually dated on the due date)",
                         date=entry.date, due=target.due)]
    return []


def target_warnings(target: Target) -> list[KpitrackWarning]:
    """The warnings of every entry of `target`, each with its file and line."""
    return [KpitrackWarning(warning, target.path, entry.line)
            for entry in target.entries for warning in entry_warnings(target, entry)]


def _reject_unknown_keys(table: dict[str, Any], allowed: tuple[str, ...], path: Path,
                         lines: LineIndex, section: tuple[str | None, int]) -> None:
    for key in table:
        if key not in allowed:
            hint = did_you_mean(key, allowed) or f"allowed: {', '.join(allowed)}"
            line = lines.get((*section, key), lines.get((*section, None)))
            raise KpitrackError(N_("unknown key {key!r}; {hint}"), path, line, key=key, hint=hint)


def _tables(raw: Any, name: str, path: Path, line: int | None) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not (set(map(type, raw)) <= {dict} or all(isinstance(item, dict) for item in raw)):
        raise KpitrackError(N_("{name!r} must be written as [[{name}]] tables"), path, line, name=name)
    return raw


def _choice(raw: Any, choices: type, key: str, path: Path, line: int | None):
    members = _members(choices)
    if not isinstance(raw, str) or raw not in members:
        raise KpitrackError(N_("{key} {raw!r} is not one of: {choices}"), path, line, key=key, raw=raw,
                            choices=", ".join(members))
    return members[raw]


@cache  # an enum's members by value (words), made once rather than for each file
def _members(choices: type) -> dict[str, Any]:
    return {choice.value: choice for choice in choices}


def _date(raw: Any, key: str, path: Path, line: int | None) -> date:
    if isinstance(raw, datetime) or not isinstance(raw, date):
        raise KpitrackError(N_("{key} must be a date written like 2023-06-30 (no quotes, no time)"), path, line, key=key)
    if raw.year > MAX_YEAR:
        raise KpitrackError(N_("{key} {raw} is past {year}-12-31, the last date kpitrack keeps"), path, line, key=key,
                            raw=raw, year=MAX_YEAR)
    return raw


def _number(raw: Any, key: str, path: Path, line: int | None) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, (int, Decimal)):
        raise KpitrackError(N_("{key} must be a number, not {raw!r}"), path, line, key=key, raw=raw)
    number = Decimal(raw)
    if not number.is_finite():
        raise KpitrackError(N_("{key} must be a finite number, not {raw}"), path, line, key=key, raw=raw)
    problem = size_problem(number)
    if problem:
        raise KpitrackError("{key} {problem}", path, line, key=key, problem=problem)
    return number


def _parts(raw: Any, path: Path, line: int | None) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(part, str) and ID_PATTERN.fullmatch(part)
                                                        for part in raw):
        raise KpitrackError(N_('parts must be a list of target ids, like parts = ["sz23-baoan", "sz23-futian"]'),
                            path, line)
    if len(set(raw)) != len(raw):
        raise KpitrackError(N_("parts names a target twice"), path, line)
    return tuple(raw)


def _cadence(raw: Any, path: Path, line: int | None) -> Cadence:
    if raw in CADENCES or (isinstance(raw, int) and not isinstance(raw, bool) and raw > 0):
        return raw
    raise KpitrackError(N_("cadence {raw!r} is not one of {choices} or a number of days"), path, line, raw=raw,
                        choices=", ".join(CADENCES))


def _flag(raw: Any, key: str, path: Path, line: int | None) -> bool:
    if not isinstance(raw, bool):
        raise KpitrackError(N_("{key} must be true or false, not {raw!r}"), path, line, key=key, raw=raw)
    return raw


def _text(raw: Any, key: str, path: Path, line: int | None, required: bool = False) -> str:
    if not isinstance(raw, str) or (required and not raw.strip()):
        raise KpitrackError(N_("{key} must be non-empty text in quotes") if required
                            else N_("{key} must be text in quotes"), path, line, key=key)
    if len(raw) > MAX_TEXT:
        raise KpitrackError(N_("{key} is {length:,} characters long, over the limit of {limit:,}; shorten it"),
                            path, line, key=key, length=len(raw), limit=MAX_TEXT)
    return raw


def _optional_text(table: dict[str, Any], key: str, path: Path, line: int | None) -> str | None:
    return _text(table[key], key, path, line) if key in table else None


def _tags(raw: Any, path: Path, line: int | None) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(tag, str) for tag in raw):
        raise KpitrackError(N_('tags must be a list of text, like tags = ["housing"]'), path, line)
    return tuple(raw)
