"""Merging three versions of a TOML file (git's merge driver): entries added on both sides are all
kept, in date order; the same entry added on both sides is kept once; definitions changed on both
sides differently are left for a person between conflict markers. What neither side touched keeps
its bytes, comments and layout included."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from kpitrack.domain.model import IDENTITY, Entry, identity, wording
from kpitrack.files.blocks import table_entry, table_spans
from kpitrack.files.document import decode
from kpitrack.files.entrycheck import second_total
from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import N_, os_reason
from kpitrack.files.workspace import read_bytes

_KEY = re.compile(r"([A-Za-z0-9_-]+)[ \t]*=")
_STARTS = re.compile(r"^(<{7}|={7}|>{7}|\|{7})( |$)", re.MULTILINE)


class Unmergeable(Exception):
    """A version that cannot be read block by block (not TOML, or already conflicted)."""


@dataclass(frozen=True)
class Block:
    """A table of the file: its header line to the line before the next header."""

    name: str
    text: str
    key: tuple = ()  # for an entry: what it says, as written (see as_written)
    record: tuple = ()  # for an entry: which record it is (see same_record)
    entry: Entry | None = None  # for an entry: as every reader reads it (None: not one they could read)

    @property
    def core(self) -> str:
        """The block without the blank lines that separate it from the next."""
        return self.text.rstrip("\n") + "\n"


@dataclass(frozen=True)
class Layout:
    head: str  # the top-level keys, with their comments
    blocks: tuple[Block, ...]

    @property
    def entries(self) -> list[Block]:
        return [block for block in self.blocks if block.name == "progress"]

    @property
    def definition(self) -> tuple[str, tuple[str, ...]]:
        return self.head, tuple(block.core for block in self.blocks if block.name != "progress")


def split(text: str) -> Layout:
    """The head and the blocks of a TOML text; refused (Unmergeable) when it is not valid TOML."""
    if _STARTS.search(text):
        raise Unmergeable("it holds conflict markers")
    try:
        document = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise Unmergeable(str(error)) from None
    head_end, spans = table_spans(text)
    tables = document.get("progress") if isinstance(document.get("progress"), list) else []
    if sum(span.name == "progress" for span in spans) != len(tables):
        raise Unmergeable("its [[progress]] tables are not laid out one block each")
    entries = iter(tables)
    return Layout(text[:head_end], tuple(
        _entry_block(span.name, text[span.start:span.end], next(entries)) if span.name == "progress"
        else Block(span.name, text[span.start:span.end]) for span in spans))


_WORDED = frozenset(IDENTITY) | {"note", "source"}


def _entry_block(name: str, text: str, table: dict) -> Block:
    entry = table_entry(table)
    if entry is None:  # not an entry any reader could read: the same as another only as written
        key = ("unread", _key(table))
        return Block(name, text, key, key)
    extra = _key({key: value for key, value in table.items() if key not in _WORDED})  # keys no reader knows
    return Block(name, text, wording(entry) + extra, identity(entry) + extra, entry)


def as_written(block: Block) -> tuple:
    """What an entry says, whatever its key order, spacing or comments (20 and 20.0 are one figure;
    an absent `total` is `total = false`): two blocks the same as written (domain.model.wording).
    A block that differs from the base's only so is an edit of that entry (a note reworded)."""
    return block.key


def same_record(block: Block) -> tuple:
    """Which record an entry is (domain.model.identity, the one definition every door asks): the same
    entry appended on both sides, whatever their notes say, is kept once."""
    return block.record


def _key(table: dict) -> tuple:
    return tuple(sorted((key, _frozen(value)) for key, value in table.items()))


def _frozen(value):
    """A value that compares as it reads: 20 and 20.0 are one figure; true is not 1."""
    if isinstance(value, bool):
        return ("flag", value)
    if isinstance(value, (int, Decimal)):
        return ("number", Decimal(value).normalize())
    if isinstance(value, list):
        return ("list", tuple(_frozen(item) for item in value))
    if isinstance(value, dict):
        return ("table", tuple(sorted((key, _frozen(item)) for key, item in value.items())))
    return (type(value).__name__, value)


_DATE = re.compile(r"^[ \t]*date[ \t]*=[ \t]*(\S+)", re.MULTILINE)


def _date(block: Block) -> str:
    """The entry's date as written (ISO dates sort as text); '' for none."""
    found = _DATE.search(block.text)
    return found.group(1) if found else ""


@dataclass(frozen=True)
class Merged:
    text: str
    conflicts: int  # regions left between conflict markers


def merge(base: str, ours: str, theirs: str, labels: tuple[str, str, str] = ("ours", "base", "theirs"),
          marker: int = 7) -> Merged:
    """The three-way merge of one file's versions; raises Unmergeable when one cannot be read."""
    o, a, b = split(base), split(ours), split(theirs)
    conflicts = 0
    head, count = _merge_head(o.head, a.head, b.head, labels, marker)
    conflicts += count
    others = _merge_others(o, a, b)
    if others is None:
        conflicts += 1
    entries, count = _merge_entries(o.entries, a.entries, b.entries, labels, marker)
    conflicts += count
    # Our file's order of blocks, with the entries replaced by the merged ones; the other tables
    # (checkpoints) stay where our file had them, or take theirs when only they changed.
    out: list[tuple[str, bool]] = []  # (text, whether it is new here)
    placed_others = False
    entry_iter = iter(entries)
    for block in a.blocks:
        if block.name == "progress":
            item = next(entry_iter, None)
            while item is not None and item[1]:
                out.append((item[0].core, True))
                item = next(entry_iter, None)
            if item is not None:
                out.append((item[0].text, False))
        elif not placed_others:
            placed_others = True
            out.extend(_others(a, b, others, labels, marker))
    if not placed_others:
        out.extend(_others(a, b, others, labels, marker))
    out.extend((item[0].core, True) for item in entry_iter)
    return Merged(_join(head, out), conflicts)


def _others(a: Layout, b: Layout, others: list[Block] | None, labels, marker) -> list[tuple[str, bool]]:
    if others is None:
        ours_text = "".join(x.core for x in a.blocks if x.name != "progress")
        theirs_text = "".join(x.core for x in b.blocks if x.name != "progress")
        return [(_conflict(ours_text, theirs_text, labels, marker), True)]
    if others == [x for x in a.blocks if x.name != "progress"]:
        return [(x.text, False) for x in others]
    return [(x.core, True) for x in others]


def _join(head: str, parts: list[tuple[str, bool]]) -> str:
    """Put the blocks together; a block new here is set off by one blank line, as `add` writes it."""
    text = head
    previous_new = False
    for part, new in parts:
        if (new or previous_new) and text:
            text = text if text.endswith("\n") else text + "\n"
            text = text if text.endswith("\n\n") else text + "\n"
        text += part
        previous_new = new
    return text


def _merge_entries(o: list[Block], a: list[Block], b: list[Block], labels, marker
                   ) -> tuple[list[tuple[Block, bool]], int]:
    """Our entries, less those they removed, with their new ones inserted in date order.
    Returns (block, whether it is new here) pairs, and the number of conflicts: an entry both sides
    added is kept once; one entry changed differently on both sides (removed by both, each adding
    one of its date instead) is left for a person between conflict markers."""
    base = Counter(as_written(x) for x in o)
    ours = Counter(as_written(x) for x in a)
    removed = base - Counter(as_written(x) for x in b)  # entries they removed (and we may still have)
    ours_added = ours - base
    ours_new = Counter(ours_added)  # entries we added: if they did too, it is one fact
    left, ours_records = Counter(ours_added), Counter()  # the records we added, however worded
    for block in a:
        if left[as_written(block)] > 0:
            left[as_written(block)] -= 1
            ours_records[same_record(block)] += 1
    gone_both = (base - ours) & removed
    changed_both = Counter(_date(x) for x in o if as_written(x) in gone_both)
    unseen = Counter(base)
    added = []
    for block in b:
        key = as_written(block)
        if unseen[key] > 0:
            unseen[key] -= 1
        elif ours_new[key] > 0:
            ours_new[key] -= 1
            ours_records[same_record(block)] -= 1
        else:
            added.append(block)
    kept = []  # less the records both sides appended, worded differently: kept once, as we worded it
    for block in added:
        if ours_records[same_record(block)] > 0 and not changed_both[_date(block)]:
            ours_records[same_record(block)] -= 1
        else:
            kept.append(block)
    added = kept
    result: list[tuple[Block, bool]] = []
    for block in a:
        key = as_written(block)
        if removed[key] > 0:
            removed[key] -= 1
            continue
        result.append((block, False))
    conflicts = 0
    totals = {}  # date -> index in result of our running total of that date (for the one rule)
    mine_on: dict[str, list[int]] = {}  # date -> indexes of the entries we added (for changed_both)
    for index, (x, _new) in enumerate(result):
        when = _date(x)
        if _total(x):
            totals.setdefault(when, index)
        if ours_added[as_written(x)] > 0:
            mine_on.setdefault(when, []).append(index)
    inserted: dict[int, list[tuple[str, Block]]] = {}  # after which of our entries (-1: first) -> theirs
    anchors = _anchors([_date(x) for x, _ in result])
    for block in added:
        when = _date(block)
        if changed_both[when] > 0 and mine_on.get(when):
            mine = mine_on[when].pop(0)
            changed_both[when] -= 1
            conflicts += 1
            result[mine] = (Block("progress", _conflict(result[mine][0].core, block.core, labels, marker)), True)
            continue
        ours_total = totals.get(when)
        if ours_total is not None and _clash(result[ours_total][0], block):
            conflicts += 1  # two different running totals for one date: a person decides which is right
            result[ours_total] = (Block("progress", _conflict(result[ours_total][0].core, block.core, labels,
                                                                marker)), True)
            continue
        inserted.setdefault(anchors(when), []).append((when, block))
    merged = [(block, True) for _, block in sorted(inserted.get(-1, []), key=lambda item: item[0])]
    for index, item in enumerate(result):
        merged.append(item)
        merged.extend((block, True) for _, block in sorted(inserted.get(index, []), key=lambda item: item[0]))
    return merged, conflicts


def _anchors(dates: list[str]):
    """For a date: the index of the last of `dates` on or before it (-1: none), by binary search on the
    minimum of each suffix; inserting each of theirs after it, in date order, is what scanning back
    from the end for each would give, in n log n instead of n²."""
    from bisect import bisect_right

    suffix_min = list(dates)
    for index in range(len(dates) - 2, -1, -1):
        suffix_min[index] = min(suffix_min[index], suffix_min[index + 1])
    return lambda when: bisect_right(suffix_min, when) - 1


def _total(block: Block) -> bool:
    """Whether an entry is a running total with a figure."""
    return block.entry is not None and block.entry.total and block.entry.value is not None


def _clash(ours: Block, theirs: Block) -> bool:
    """entrycheck.second_total, the one rule, for two blocks: different running totals of one date,
    neither replacing an estimate."""
    return _total(ours) and _total(theirs) and second_total(theirs.entry, ours.entry)


def _merge_others(o: Layout, a: Layout, b: Layout) -> list[Block] | None:
    """The tables other than entries (checkpoints): as a whole, from the side that changed them;
    None when both changed them differently."""
    others = [[x for x in layout.blocks if x.name != "progress"] for layout in (o, a, b)]
    cores = [[x.core for x in blocks] for blocks in others]
    if cores[1] == cores[2] or cores[2] == cores[0]:
        return others[1]
    if cores[1] == cores[0]:
        return others[2]
    return None


def _units(head: str) -> list[tuple[str | None, str]]:
    """The head as (key, its lines) units; comments and blank lines are units without a key."""
    units: list[tuple[str | None, str]] = []
    for line in head.splitlines(keepends=True):
        key = _KEY.match(line)
        if key:
            units.append((key.group(1), line))
        elif units and units[-1][0] is not None and line.strip() and not line.lstrip().startswith("#"):
            units[-1] = (units[-1][0], units[-1][1] + line)  # a value's continuation (a long array)
        else:
            units.append((None, line))
    return units


def _merge_head(o: str, a: str, b: str, labels, marker) -> tuple[str, int]:
    """The top-level keys merged key by key; a key both sides changed differently is a conflict."""
    if a == b or b == o:
        return a, 0
    if a == o:
        return b, 0
    uo, ua, ub = _units(o), _units(a), _units(b)
    if [x for x in ub if x[0] is None] != [x for x in uo if x[0] is None]:
        return _conflict(a, b, labels, marker), 1  # their comments changed too: a person decides
    ko, ka, kb = ({k: t for k, t in units if k} for units in (uo, ua, ub))
    result = list(ua)
    conflicts = 0
    for key in dict.fromkeys([*ka, *kb]):
        old, mine, their = ko.get(key), ka.get(key), kb.get(key)
        if mine == their or their == old:
            continue
        if mine == old:
            if their is None:
                result = [unit for unit in result if unit[0] != key]
            elif mine is None:
                at = max((i + 1 for i, unit in enumerate(result) if unit[0]), default=len(result))
                result.insert(at, (key, their))
            else:
                result = [(k, their if k == key else t) for k, t in result]
            continue
        conflicts += 1
        region = _conflict(mine or "", their or "", labels, marker)
        if mine is None:
            result.append((key, region))
        else:
            result = [(k, region if k == key else t) for k, t in result]
    return "".join(text for _, text in result), conflicts


def _conflict(ours: str, theirs: str, labels, marker: int) -> str:
    ours = ours if not ours or ours.endswith("\n") else ours + "\n"
    theirs = theirs if not theirs or theirs.endswith("\n") else theirs + "\n"
    return (f"{'<' * marker} {labels[0]}\n{ours}{'=' * marker}\n{theirs}{'>' * marker} {labels[2]}\n")


def merge_files(base: Path, ours: Path, theirs: Path, name: str | None = None, marker: int = 7) -> int:
    """git's merge-driver protocol: merge into `ours` (replaced atomically) and return the number of
    regions left in conflict (0: merged). A version that cannot be read block by block is merged
    line by line by `git merge-file`, as git would have without this driver."""
    from kpitrack.writing.write import write_file

    texts = [decode(read_bytes(path), path) for path in (base, ours, theirs)]
    suffix = f" ({name})" if name else ""
    labels = (f"ours{suffix}", f"base{suffix}", f"theirs{suffix}")
    try:
        merged = merge(texts[0], texts[1], texts[2], labels, marker)
        if not merged.conflicts:
            tomllib.loads(merged.text, parse_float=Decimal)  # a slip of ours must not reach a commit
        text, conflicts = merged.text, merged.conflicts
    except (Unmergeable, tomllib.TOMLDecodeError):
        text, conflicts = _line_merge(base, ours, theirs, labels, marker)
    if text != texts[1]:
        write_file(ours, text)
    return conflicts


def _line_merge(base: Path, ours: Path, theirs: Path, labels, marker: int) -> tuple[str, int]:
    import subprocess

    command = ["git", "merge-file", "-p", f"--marker-size={marker}", "-L", labels[0], "-L", labels[1],
               "-L", labels[2], str(ours), str(base), str(theirs)]
    try:
        result = subprocess.run(command, capture_output=True)
    except OSError as error:
        raise KpitrackError(N_("cannot run git merge-file: {reason}"), ours, reason=os_reason(error)) from None
    if result.returncode < 0 or result.returncode > 127:
        raise KpitrackError(N_("git merge-file failed: {reason}"), ours, reason=result.stderr.decode(errors="replace").strip())
    return decode(result.stdout, ours), max(result.returncode, 0)
