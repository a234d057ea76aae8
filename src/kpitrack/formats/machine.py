"""Stable formats for scripts: JSON with exact numbers, spreadsheet-safe CSV."""

from __future__ import annotations

import io
import json
import unicodedata
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterable, Iterator

from kpitrack.reports.build import Figures
from kpitrack.words.display import plain_text, INVISIBLE, visible
from kpitrack.domain.model import Plan, Target
from kpitrack.reports.report import (ENTRY_FIELDS, STATUS_FIELDS, Item, attention_items, by_group, entry_fields, entry_values,
                             plan_rows, status_row, summarize)


_STRING = json.encoder.encode_basestring  # what json.dumps(text, ensure_ascii=False) writes, without its set-up


def to_json(value: Any, indent: str = "") -> str:
    """JSON with Decimals written as exact numbers (the json module would need floats)."""
    scalar = _SCALARS.get(type(value))  # by exact type, the common kinds first: export writes millions
    if scalar is not None:
        return scalar(value)
    inner = indent + "  "
    if isinstance(value, Decimal):
        return exact(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        prefixes, scalar = _KEY_PREFIXES.setdefault(inner, {}), _SCALARS.get

        def nested(item: Any) -> str:  # a value that is no scalar (status's list of owners)
            return to_json(item, inner)

        try:  # the common case, a row under keys written before, without a call to to_json per value
            items = [prefixes[key] + (scalar(type(item)) or nested)(item) for key, item in value.items()]
        except KeyError:  # a key not written before at this indent: its prefix made, and kept
            items = [(prefixes.get(key) or _prefix(prefixes, key, inner)) + (scalar(type(item)) or nested)(item)
                     for key, item in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + to_json(item, inner) for item in value) + f"\n{indent}]"
    if isinstance(value, date):
        return json.dumps(value.isoformat())
    if isinstance(value, str):  # invisible characters as \u escapes: the same string, but seen
        return json_string(value)
    return json.dumps(value, ensure_ascii=False)


def exact(value: Decimal) -> str:
    """A Decimal's every digit, never in exponent notation (format "f"); str() writes the same three
    times as fast whenever it writes no exponent."""
    text = str(value)
    return text if "E" not in text else format(value, "f")


def _prefix(prefixes: dict[str, str], key: Any, inner: str) -> str:
    """`  "key": `, remembered for text keys."""
    prefix = f"{inner}{json.dumps(key, ensure_ascii=False)}: "
    if type(key) is str:
        prefixes[key] = prefix
    return prefix


def json_string(text: str) -> str:
    """A JSON string with the invisible characters escaped; printable text (no control, format or
    separator character but space) is what json.dumps writes, with nothing to check."""
    written = _STRING(text)
    if plain_text(text):
        return written
    return "".join(_json_escape(character) for character in written)


# What to_json writes for a value of each of these exact types (subclasses, such as str enums, take
# the general path); each is what json.dumps would write, or the exact Decimal.
_SCALARS = {
    str: lru_cache(maxsize=8192)(json_string),  # rows repeat their words (units, kinds, statuses, groups)
    Decimal: exact,
    bool: lambda value: "true" if value else "false",
    type(None): lambda value: "null",
    int: int.__repr__,
    date: lru_cache(maxsize=4096)(lambda value: f'"{value.isoformat()}"'),  # a workspace has few distinct days
}
_KEY_PREFIXES: dict[str, dict[str, str]] = {}  # by indent, by key: `  "key": `


def _json_escape(character: str) -> str:
    if unicodedata.category(character) not in INVISIBLE:
        return character
    return json.dumps(character)[1:-1]  # ensure_ascii escapes it, astral characters as surrogate pairs


def status_json(as_of: date, items: Iterable[Item]) -> str:
    return to_json({"as_of": as_of, "targets": [status_row(*item) for item in items]}) + "\n"


def show_json(target: Target, figures: Figures, others: dict[str, Target] | None = None) -> str:
    from kpitrack.reports.build import chart_fields

    document = status_row(target, figures)
    document.update(
        as_of=figures.as_of,
        owner=target.owner,
        source=target.source,
        tags=list(target.tags),
        stretch=target.stretch,
        checkpoints=[{"date": cp.date, "value": cp.value} for cp in target.checkpoints],
        entries=[entry_fields(entry) for entry in target.entries],
        chart=chart_fields(target, figures, others),
    )
    return to_json(document) + "\n"


def spreadsheet_safe(value: Any) -> str:
    """A CSV cell that a spreadsheet will show, not run: text starting like a formula gets a '."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return exact(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):  # numbers stay numbers, negative ones included
        return str(value)
    if isinstance(value, list):  # the owners: lead first, in one cell
        value = "; ".join(map(str, value))
    text = visible(str(value))  # tabs and carriage returns become visible escapes first
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_csv(fields: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> str:
    """A header of `fields`, then a line per row; every cell made spreadsheet-safe."""
    return "".join(csv_lines(fields, rows))


def csv_lines(fields: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """`to_csv`, a line (one row, quoted line breaks and all) at a time."""
    buffer = io.StringIO()
    import csv  # only where CSV is written: not a status's JSON

    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([spreadsheet_safe(row[key]) for key in fields])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()  # the header alone, when there are no rows


def status_csv(items: Iterable[Item]) -> str:
    return to_csv(STATUS_FIELDS, (nodes_as_text(status_row(*item)) for item in items))


def nodes_as_text(row: dict[str, Any]) -> dict[str, Any]:
    """A node plan in one CSV cell: `开工 2024-03-31 2024-03-20; 主体完工 2024-09-30 —` (name, due, done)."""
    if row["nodes"]:
        row["nodes"] = "; ".join(f"{node['name']} {node['due']} {node['done'] or '—'}" for node in row["nodes"])
    return row


def report_json(as_of: date, items: list[Item]) -> str:
    groups = []
    for group, members in by_group(items):
        summary = summarize([figures for _, figures in members])
        groups.append({"group": group, "targets": summary.targets,
                       "counts": {status.value: count for status, count in summary.counts.items()},
                       "stale": summary.stale, "on_track_share": summary.on_track_share})
    return to_json({"as_of": as_of, "groups": groups, "targets": [status_row(*item) for item in items],
                    "attention": [target.id for target, _ in attention_items(items)]}) + "\n"


def entries_csv(targets: list[Target]) -> Iterator[str]:
    """Every entry as a CSV row (`csv_lines` of report.entry_rows), a target's rows at a time (export
    streams, not builds, its output): each target's own cells made safe once for all its entries,
    and each entry's by its place in report.entry_values, with no lookup by type."""
    buffer = io.StringIO()
    import csv  # only where CSV is written: not a status's JSON

    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ENTRY_FIELDS)
    safe, boolean = spreadsheet_safe, _BOOLEAN
    for target in targets:
        head = (safe(target.id), safe(target.group), safe(target.unit))
        writer.writerows(
            (*head, day.isoformat(), "" if value is None else exact(value), boolean[total],
             "" if done is None else boolean[done], "" if note is None else safe(note),
             "" if source is None else safe(source), "" if qualifier is None else safe(qualifier), boolean[estimate],
             "" if node is None else safe(node))
            for day, value, total, done, note, source, qualifier, estimate, node in map(entry_values, target.entries))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()  # the header alone, when there are no targets


def entries_json(targets: list[Target]) -> Iterator[str]:
    """`to_json({"entries": [...]})` and a line break, a row at a time: each target's own fields
    are written once for all its entries, and each entry's into a fixed layout."""
    separator, layout, day_json, null = '{\n  "entries": [\n    ', _ENTRY_LAYOUT.format, _SCALARS[date], "null"
    for target in targets:
        head = to_json({"id": target.id, "group": target.group, "unit": target.unit}, "    ")[:-len("\n    }")]
        rows = []
        for entry in target.entries:  # each value by its place in report.entry_values: no lookup by type
            day, value, total, done, note, source, qualifier, estimate, node = entry_values(entry)
            rows.append(separator + head + layout(
                day_json(day), null if value is None else exact(value), _BOOLEAN[total],
                null if done is None else _BOOLEAN[done], null if note is None else json_string(note),
                null if source is None else json_string(source), null if qualifier is None else json_string(qualifier),
                _BOOLEAN[estimate], null if node is None else json_string(node)))
            separator = ",\n    "
        yield "".join(rows)  # a target's rows at a time: few writes, little memory
    yield '{\n  "entries": []\n}\n' if separator.startswith("{") else "\n  ]\n}\n"


_BOOLEAN = {True: "true", False: "false"}
# An entry's fields (report.entry_fields, in its order) as to_json lays them out in a row.
_ENTRY_LAYOUT = "".join(',\n      "' + key + '": {}' for key in ENTRY_FIELDS[3:]) + "\n    }}"


def plans_json(as_of: date, items: list[Item], plans: dict[str, Plan], closed: set[str] = frozenset()) -> str:
    return to_json({"as_of": as_of, "plans": plan_rows(items, plans, closed)}) + "\n"


def owners_json(as_of: date, rows: list[dict]) -> str:
    return to_json({"as_of": as_of, "owners": rows}) + "\n"


def with_sections(report: str, sections: dict[str, Any]) -> str:
    """The report's JSON with extra top-level sections (by_owner, since)."""
    data = json.loads(report, parse_float=Decimal)
    data.update(sections)
    return to_json(data) + "\n"


def report_json_of(report, lang: str) -> str:
    """The `report` command's JSON, with its sections (by_owner, since) when asked for."""
    text = report_json(report.as_of, list(report.items))
    extra = {key: list(value) for key, value in (("by_owner", report.owners), ("since", report.changes),
                                                 ("received", report.received), ("missing", report.missing))
             if value is not None}
    return with_sections(text, extra) if extra else text


def report_csv_of(report, lang: str) -> str:
    return status_csv(report.items)
