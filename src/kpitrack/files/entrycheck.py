"""Mistakes caught at the door: an entry identical to one recorded, two totals for one day, and
figures beyond a plausible bound. `add` asks these of the file under its lock; `validate` asks
them of every entry already in the files."""

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


def previous_total(text: str, day: date) -> Recorded | None:
    """The latest running total dated before `day`, among the last LOOK_BACK totals of the file."""
    earlier = [old for old in _blocks_with(text, "total = true", LOOK_BACK)
               if old.total and old.date < day and old.value is not None]
    return max(earlier, key=lambda old: old.date, default=None)


def increments_since(text: str, total: Recorded | None, day: date) -> list[Recorded]:
    """The increments (not estimates) dated after the running total `total` (or since the start) up
    to `day`, among the last LOOK_BACK entries of the file: what a running total for `day` holds at
    least, beside that total. Read cheaply, so a lower estimate of the figure, never a higher one."""
    return [old for old in _blocks_with(text, "value", LOOK_BACK)
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
    elif (old := clashing_total(entry, same_day)) is not None:
        refused = _("a running total ({value}) is already recorded on {date} (line {line}); to correct it, "
                    "use `kpitrack fix {id} --date {date} VALUE --total`").format(
            value=old.value, date=entry.date, line=old.line, id=target.id)
    return refused, implausible(target, text, entry)


def second_total(new: Entry | Recorded, old: Entry | Recorded) -> bool:
    """The one rule for a date's running total, at every door (add, add --again, import, the ledger,
    the merge driver) and in `validate`: two running totals for one target and date that say different
    figures cannot both be right. An actual figure replacing an estimate is the one exception."""
    return (new.total and old.total and new.date == old.date and new.value != old.value
            and not replaces_estimate(new, old) and not replaces_estimate(old, new))


def clashing_total(entry: Entry, recorded) -> Recorded | Entry | None:
    """The running total among `recorded` that `entry` would contradict (see second_total), or None."""
    return next((old for old in recorded if second_total(entry, old)), None)


def total_clashes(target: Target) -> list[tuple[Entry, Entry]]:
    """(entry, the earlier one it contradicts) for every second, different running total of a date."""
    found = []
    totals: dict[date, list[Entry]] = {}
    for entry in target.entries:
        if entry.total:
            old = clashing_total(entry, totals.get(entry.date, ()))
            if old is not None:
                found.append((entry, old))
            totals.setdefault(entry.date, []).append(entry)
    return found


def clash_message(target: Target, entry, old) -> str:
    return _("a second, different running total on {date}: {value}, where line {line} says {old}; one of them is "
             "wrong: use `kpitrack fix {id} --date {date} VALUE --total`, or remove one").format(
        date=entry.date, value=entry.value, line=old.line, old=old.value, id=target.id)


def next_repeat(same_day: list[Recorded], entry: Entry) -> int:
    """The `repeat` that makes `entry` distinct from the identical ones already recorded (among
    `same_day`, the entries recorded on its date: see recorded_on)."""
    same = [old for old in same_day if identical(old._replace(repeat=None), entry._replace(repeat=None))]
    return max((old.repeat or 1 for old in same), default=0) + 1


def implausible(target: Target, text: str, entry: Entry, importing: bool = False) -> str | None:
    """Why the figure after `entry` lies beyond a plausible bound, or None. For an increment the
    figure is reckoned from the last running total (a lower estimate, read cheaply). `importing`:
    the way past it is to import, not to add, with --force."""
    if target.kind is Kind.MILESTONE or entry.value is None:
        return None
    figure = entry.value
    if entry.total and target.direction is Direction.DECREASE and target.target < target.baseline:
        previous = previous_total(text, entry.date)  # a total moving away from the target it must fall to
        before = previous.value if previous else target.baseline
        if entry.value > before:
            return _("the running total {value} is above the previous figure {previous} on a target that must "
                     "fall to {target}; a slip? {hint}").format(value=entry.value, previous=before,
                                                                target=target.target, hint=_forced(importing))
    if target.kind is Kind.CUMULATIVE:
        previous = previous_total(text, entry.date)
        if entry.total and previous and target.direction is Direction.INCREASE and entry.value < previous.value:
            return _("the running total {value} is below the previous total {previous} ({date}) on a target "
                     "that must rise; a slip? {hint}").format(value=entry.value, previous=previous.value,
                                                              date=previous.date, hint=_forced(importing))
        added = increments_since(text, previous, entry.date) if entry.total and target.direction is \
            Direction.INCREASE else []
        so_far = (previous.value if previous else target.baseline) + sum(old.value for old in added)
        if added and entry.value < so_far:
            return _("the running total {value} is below the figure so far, {figure} ({date}), on a target that "
                     "must rise; a slip? {hint}").format(value=entry.value, figure=so_far,
                                                         date=max(old.date for old in added), hint=_forced(importing))
        if not entry.total:
            figure = (previous.value if previous else target.baseline) + entry.value
    bound = PLAUSIBLE_TIMES_TARGET * abs(target.target)
    if target.direction is Direction.INCREASE and target.target > 0 and figure > bound:
        return _("this puts the figure at {figure} {unit}, more than {times}× the target {target} {unit}; "
                 "a figure in the wrong unit? {hint}").format(figure=figure, unit=target.unit,
                                                              times=PLAUSIBLE_TIMES_TARGET, target=target.target,
                                                              hint=_forced(importing))
    return None


def _forced(importing: bool) -> str:
    return _("Import with --force if it is right") if importing else _("Add it with --force if it is right")


def entry_doubts(target: Target) -> list[tuple[Entry, Sentence]]:
    """Entries already in a file that look like slips: identical repeats and two totals a day."""
    doubts = []
    seen: dict[tuple, Entry] = {}
    for entry in target.entries:
        key = identity(entry)
        if key in seen:
            doubts.append((entry, Sentence("identical to the entry at line {line}; counted twice (remove one with "
                                           "`kpitrack remove`, or mark a genuine repeat with repeat = 2)",
                                           line=seen[key].line)))
        seen.setdefault(key, entry)
    return doubts  # two different totals on one date are an error: see total_clashes
