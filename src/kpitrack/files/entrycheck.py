"""Mistakes caught at the door: an entry identical to one recorded, two figures for one day, a running
total out of line with the totals dated beside it, and figures beyond a plausible bound. `add` asks
these of the file under its lock; `validate` asks them of every entry already in the files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kpitrack.domain.errors import Sentence
from kpitrack.words.i18n import _
from kpitrack.domain.model import Direction, Entry, Kind, Target, identity
from kpitrack.files.blocks import span_around, table_entry

PLAUSIBLE_TIMES_TARGET = Decimal(5)  # a figure above 5× the target is most likely in the wrong unit


Recorded = Entry  # an entry already in the file, as the door reads it (with its line)


LOOK_BACK = 50  # totals read backwards from the end of the file for the previous one


def _blocks_with(text: str, needle: str, limit: int | None = None):
    """The [[progress]] entries whose text holds `needle`, read from the end of the file backwards.

    The door must cost no more on a file of ten thousand entries than on one of ten, so it finds
    the few blocks it needs with a plain text search (as `add` writes them: `date = 2024-03-31`,
    `total = true`) and parses only those; `validate` reads every entry, however written.
    """
    from kpitrack.files.document import toml_document

    end, found = len(text), 0
    while limit is None or found < limit:
        at = text.rfind(needle, 0, end)
        if at < 0:
            return
        span = span_around(text, at)
        end = span.start if span is not None else at
        if span is None or not span.entry:
            continue
        try:
            table = toml_document(text[span.start:span.end])["progress"][0]
        except (ValueError, KeyError, IndexError, TypeError):  # ValueError: tomllib's TOMLDecodeError
            continue
        entry = table_entry(table)
        if entry is not None:
            found += 1
            yield entry._replace(line=text.count("\n", 0, span.start) + 1)


def recorded_on(text: str, day: date) -> list[Recorded]:
    """The entries of a target file's text dated `day`."""
    return [old for old in _blocks_with(text, f"date = {day.isoformat()}") if old.date == day]


def _totals(text: str, planned: tuple[Entry, ...]) -> list[Recorded]:
    """The running totals among the last LOOK_BACK of the file, and those `planned` beside it (the
    rows of an import not yet written)."""
    return [old for old in (*_blocks_with(text, "total = true", LOOK_BACK), *planned)
            if old.total and old.value is not None]


def total_before(totals: list[Recorded], day: date) -> Recorded | None:
    """The latest of `totals` dated before `day` (by date, however the file is ordered)."""
    found = None
    for old in totals:  # a plain loop: an import asks it of every row
        if old.date < day and (found is None or old.date > found.date):
            found = old
    return found


def total_after(totals: list[Recorded], day: date) -> Recorded | None:
    """The earliest of `totals` dated after `day`: a total added out of date order has one."""
    found = None
    for old in totals:
        if old.date > day and (found is None or old.date < found.date):
            found = old
    return found


def increments_since(text: str, total: Recorded | None, day: date, planned: tuple[Entry, ...] = ()) -> list[Recorded]:
    """The increments (not estimates) dated after the running total `total` (or since the start) up
    to `day`, among the last LOOK_BACK entries of the file (and `planned`): what a running total for
    `day` holds at least, beside that total. Read cheaply, so a lower estimate of the figure, never a higher one."""
    return [old for old in (*_blocks_with(text, "value", LOOK_BACK), *planned)
            if not old.total and not old.estimate and old.value is not None
            and (total is None or total.date < old.date) and old.date <= day]


def identical(entry: Entry, other: Entry) -> bool:
    """The same record (see domain.model.identity): what the door refuses a second time."""
    return identity(entry) == identity(other)


def replaces_estimate(new: Entry, old: Recorded) -> bool:
    """Whether `new` is the actual figure replacing an estimate `old`: the one allowed second
    total for a date."""
    return old.estimate and not new.estimate


def door_problems(target: Target, text: str, entry: Entry) -> tuple[str | None, str | None]:
    """(why the entry is refused: use --again or fix; why it needs --force) for a new `entry` to
    the target file whose text is `text`."""
    same_day = recorded_on(text, entry.date)
    refused = None
    twin = next((old for old in same_day if identical(old, entry)), None)
    if twin and target.kind is not Kind.MILESTONE:
        refused = _("an identical entry ({entry}) is already recorded on {date} (line {line}); if it is a "
                    "genuine repeat, add it with --again; to change it, use `kpitrack fix`").format(
            entry=f"{entry.value}" + (_(", total") if entry.total else ""), date=entry.date, line=twin.line)
    elif (old := clashing_figure(target, entry, same_day)) is not None:
        refused = (_("a running total ({value}) is already recorded on {date} (line {line}); to correct it, "
                     "use `kpitrack fix {id} --date {date} VALUE --total`") if entry.total else
                   _("a reading ({value}) is already recorded on {date} (line {line}); to correct it, "
                     "use `kpitrack fix {id} --date {date} VALUE`")).format(
            value=old.value, date=entry.date, line=old.line, id=target.id)
    return refused, implausible(target, text, entry)


def is_figure(target: Target, entry: Entry | Recorded) -> bool:
    """Whether the entry is the figure of its date (a running total, or a reading of a level, growth
    or indicator target), which another figure for that date contradicts; an increment adds to it."""
    return entry.done is None and (entry.total or target.kind is not Kind.CUMULATIVE)


def second_total(new: Entry | Recorded, old: Entry | Recorded) -> bool:
    """Two running totals of one date that say different figures (see second_figure); the merge
    driver asks it of two blocks."""
    return new.total and old.total and _contradict(new, old)


def second_figure(target: Target, new: Entry | Recorded, old: Entry | Recorded) -> bool:
    """The one rule for a date's figure against the ones recorded, at every door (add, add --again,
    an import's and the ledger's rows against the file) and in `validate`: two figures of one date
    (running totals, or readings of a level, growth or indicator target) that say different values
    cannot both be right. An actual figure replacing an estimate is the one exception. (Two rows of
    one import are held to a stricter rule, import_revise.second_in_import: any other value.)"""
    return (is_figure(target, new) and is_figure(target, old) and new.total == old.total
            and _contradict(new, old))


def _contradict(new: Entry | Recorded, old: Entry | Recorded) -> bool:
    return (new.date == old.date and new.value != old.value
            and not replaces_estimate(new, old) and not replaces_estimate(old, new))


def clashing_figure(target: Target, entry: Entry, recorded) -> Recorded | Entry | None:
    """The figure among `recorded` that `entry` would contradict (see second_figure), or None."""
    return next((old for old in recorded if second_figure(target, entry, old)), None)


def figure_clashes(target: Target) -> list[tuple[Entry, Entry]]:
    """(entry, the earlier one it contradicts) for every second, different figure of a date."""
    found = []
    figures: dict[date, list[Entry]] = {}
    for entry in target.entries:
        if is_figure(target, entry):
            old = clashing_figure(target, entry, figures.get(entry.date, ()))
            if old is not None:
                found.append((entry, old))
            figures.setdefault(entry.date, []).append(entry)
    return found


def clash_message(target: Target, entry, old) -> str:
    if not entry.total:
        return _("a second, different reading on {date}: {value}, where line {line} says {old}; one of them is "
                 "wrong: use `kpitrack fix {id} --date {date} VALUE`, or remove one").format(
            date=entry.date, value=entry.value, line=old.line, old=old.value, id=target.id)
    return _("a second, different running total on {date}: {value}, where line {line} says {old}; one of them is "
             "wrong: use `kpitrack fix {id} --date {date} VALUE --total`, or remove one").format(
        date=entry.date, value=entry.value, line=old.line, old=old.value, id=target.id)


def next_repeat(same_day: list[Recorded], entry: Entry) -> int:
    """The `repeat` that makes `entry` distinct from the identical ones already recorded (among
    `same_day`, the entries recorded on its date: see recorded_on)."""
    same = [old for old in same_day if identical(old._replace(repeat=None), entry._replace(repeat=None))]
    return max((old.repeat or 1 for old in same), default=0) + 1


def implausible(target: Target, text: str, entry: Entry, door: str = "add",
                planned: tuple[Entry, ...] = ()) -> str | None:
    """Why the figure after `entry` lies beyond a plausible bound, or None. A running total is
    compared with its neighbours by date (the total before it and the one after it), whatever order
    the file holds them in; for an increment the figure is reckoned from the last running total (a
    lower estimate, read cheaply). `planned`: entries not in `text` (an import's rows not yet written;
    for `fix`, which passes no text, every other entry). `door`: the command (add, import, fix) that
    --force takes past it."""
    if target.kind is Kind.MILESTONE or entry.value is None:
        return None
    figure = entry.value
    totals = _totals(text, planned) if target.kind is Kind.CUMULATIVE else []  # read once, for both sides
    previous = total_before(totals, entry.date)
    if entry.total:
        moving = _moving_away(target, entry, previous, total_after(totals, entry.date), door)
        if moving:
            return moving
    if target.kind is Kind.CUMULATIVE:
        added = increments_since(text, previous, entry.date, planned) if entry.total and target.direction is \
            Direction.INCREASE else []
        so_far = (previous.value if previous else target.baseline) + sum(old.value for old in added)
        if added and entry.value < so_far:
            return _("the running total {value} is below the figure so far, {figure} ({date}), on a target that "
                     "must rise; a slip? {hint}").format(value=entry.value, figure=so_far,
                                                         date=max(old.date for old in added), hint=_forced(door))
        if not entry.total:
            figure = (previous.value if previous else target.baseline) + entry.value
    bound = PLAUSIBLE_TIMES_TARGET * abs(target.target)
    if target.direction is Direction.INCREASE and target.target > 0 and figure > bound:
        return _("this puts the figure at {figure} {unit}, more than {times}× the target {target} {unit}; "
                 "a figure in the wrong unit? {hint}").format(figure=figure, unit=target.unit,
                                                              times=PLAUSIBLE_TIMES_TARGET, target=target.target,
                                                              hint=_forced(door))
    return None


def _moving_away(target: Target, entry: Entry, previous: Recorded | None, later: Recorded | None,
                 door: str) -> str | None:
    """Why the running total `entry` runs against its target's direction beside the totals dated
    before and after it (`previous`, `later`), or None."""
    if target.direction is Direction.DECREASE and target.target < target.baseline:
        before = previous.value if previous else target.baseline
        if entry.value > before:
            return _("the running total {value} is above the previous figure {previous} on a target that must "
                     "fall to {target}; a slip? {hint}").format(value=entry.value, previous=before,
                                                                target=target.target, hint=_forced(door))
        if later and entry.value < later.value:
            return _("the running total {value} is below the next total {next} ({date}) on a target that must "
                     "fall to {target}; a slip? {hint}").format(value=entry.value, next=later.value, date=later.date,
                                                                target=target.target, hint=_forced(door))
    if target.kind is Kind.CUMULATIVE and target.direction is Direction.INCREASE:
        if previous and entry.value < previous.value:
            return _("the running total {value} is below the previous total {previous} ({date}) on a target "
                     "that must rise; a slip? {hint}").format(value=entry.value, previous=previous.value,
                                                              date=previous.date, hint=_forced(door))
        if later and entry.value > later.value:
            return _("the running total {value} is above the next total {next} ({date}) on a target that must "
                     "rise; a slip? {hint}").format(value=entry.value, next=later.value, date=later.date,
                                                    hint=_forced(door))
    return None


def _forced(door: str) -> str:
    if door == "fix":
        return _("Fix it with --force if it is right")
    return _("Import with --force if it is right") if door == "import" else _("Add it with --force if it is right")


def entry_doubts(target: Target) -> list[tuple[Entry, Sentence]]:
    """Entries already in a file that look like slips: identical repeats, and running totals against
    the target's direction."""
    doubts = []
    seen: dict[tuple, Entry] = {}
    for entry in target.entries:
        key = identity(entry)
        if key in seen:
            doubts.append((entry, Sentence("identical to the entry at line {line}; counted twice (remove one with "
                                           "`kpitrack remove`, or mark a genuine repeat with repeat = 2)",
                                           line=seen[key].line)))
        seen.setdefault(key, entry)
    return doubts + totals_against_direction(target)  # two different figures on one date: see figure_clashes


def totals_against_direction(target: Target) -> list[tuple[Entry, Sentence]]:
    """Running totals that run against the target's direction from the total dated before them
    (by date, not by their order in the file): what `add` and `import` ask --force for."""
    rising = target.direction is Direction.INCREASE
    if target.kind is not Kind.CUMULATIVE or not (rising or target.target < target.baseline):
        return []
    totals = sorted((entry for entry in target.entries if entry.total and entry.value is not None),
                    key=lambda entry: entry.date)
    return [(entry, _against(entry, before, rising)) for before, entry in zip(totals, totals[1:])
            if before.date < entry.date and (entry.value < before.value if rising else entry.value > before.value)]


def _against(entry: Entry, before: Entry, rising: bool) -> Sentence:
    said = dict(value=entry.value, previous=before.value, date=before.date, line=before.line)
    if rising:
        return Sentence("the running total {value} is below the total {previous} of {date} (line {line}) on a "
                        "target that must rise; a slip?", **said)
    return Sentence("the running total {value} is above the total {previous} of {date} (line {line}) on a "
                    "target that must fall; a slip?", **said)
