"""Stable formats for scripts: JSON with exact numbers, spreadsheet-safe CSV."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from datetime import date
from decimal import Decimal
from functools import lru_cache
from itertools import chain, repeat
from operator import itemgetter
from typing import Any, Iterable, Iterator, Sequence

from kpitrack.reports.build import Figures
from kpitrack.words.display import plain_text, INVISIBLE, visible, exact_digits as exact
from kpitrack.domain.model import Plan, Target
from kpitrack.reports.reading import entry_columns
from kpitrack.reports.report import (ENTRY_FIELDS, STATUS_FIELDS, Item, attention_items, by_group, entry_fields,
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
    rows = [status_row(*item) for item in items]
    if not rows:
        return to_json({"as_of": as_of, "targets": []}) + "\n"
    head = '{\n  "as_of": ' + to_json(as_of) + ',\n  "targets": '
    return "".join(chain((head,), rows_json(STATUS_FIELDS, rows, "  "), ("\n}\n",)))  # one join: 1 MB is copied once


def rows_json(fields: tuple[str, ...], rows: list[dict[str, Any]], indent: str) -> Iterator[str]:
    """The pieces of `to_json(rows, indent)`, rows (not none) of `fields` in that order: written a
    column at a time (`json_column`), the keys and brackets between values a text before each
    column, and a column null in every row written into that text."""
    inner, row_indent = indent + "  ", indent + "    "
    separator = ",\n" + inner  # between rows
    before, columns, text = [], [], separator + "{\n"
    for key, column in zip(fields, columns_of(fields, rows)):
        text += row_indent + _STRING(key) + ": "
        kinds = set(map(type, column))
        if kinds == {_NONE}:
            text += "null,\n"
        else:
            before.append(text)
            columns.append(json_column(column, kinds, row_indent))
            text = ",\n"
    after = text[:-len(",\n")] + "\n" + inner + "}"
    pieces = interleaving(tuple(before), columns, after) if columns else repeat(after, len(rows))
    return chain(("[\n" + inner + next(pieces)[len(separator):],), pieces, ("\n" + indent + "]",))


def json_column(column: Sequence[Any], kinds: set[type], indent: str) -> Iterable[str]:
    """`to_json(value, indent)` of each value of a column of these `kinds` (types), at once for a
    column of one kind: true, false and null; text (`json_cells`); numbers (`number_texts`)."""
    if kinds <= _CONSTANT_KINDS:
        return map(_CONSTANTS.__getitem__, column)
    if kinds <= _TEXT_KINDS:
        return json_cells(column)
    texts = kinds <= _NUMBER_KINDS and number_texts(column, kinds, "null")
    return texts or [to_json(value, indent) for value in column]


def number_texts(column: Sequence[Any], kinds: set[type], empty: str) -> list[str] | None:
    """The text of each value of a column of Decimals, ints and None (`empty`), as `exact` writes
    it, by str() at once; None if any is in exponent notation (then only `exact` writes it)."""
    texts = list(map(str, column)) if _NONE not in kinds else [empty if value is None else str(value)
                                                               for value in column]
    return texts if "E" not in "".join(texts) else None


_NONE = type(None)
_CONSTANTS = {True: "true", False: "false", None: "null"}  # only for columns of bools and None: 1 == True
_CONSTANT_KINDS, _TEXT_KINDS, _NUMBER_KINDS = {bool, _NONE}, {str, _NONE}, {Decimal, int, _NONE}


def show_json(target: Target, figures: Figures, others: dict[str, Target] | None = None) -> str:
    from kpitrack.reports.build import chart_fields, recorded_by

    document = status_row(target, figures)
    document.update(
        as_of=figures.as_of,
        owner=target.owner,
        source=target.source,
        tags=list(target.tags),
        stretch=target.stretch,
        checkpoints=[{"date": cp.date, "value": cp.value} for cp in target.checkpoints],
        entries=[entry_fields(entry) for entry in recorded_by(target, figures.as_of)],
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
    """A header of `fields`, then a line per row; every cell made spreadsheet-safe: `csv_lines`,
    written a column at a time (`csv_column`)."""
    buffer = io.StringIO()
    import csv  # only where CSV is written: not a status's JSON

    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    writer.writerows(zip(*map(csv_column, columns_of(fields, list(rows)))))
    return buffer.getvalue()


def csv_column(column: Sequence[Any]) -> Iterable[str]:
    """`spreadsheet_safe` of each value of a column, at once for a column of one kind: true,
    false and empty; text (`safe_cells`); numbers (`number_texts`)."""
    kinds = set(map(type, column))
    if kinds <= _CONSTANT_KINDS:
        return map(_CSV_DONE.__getitem__, column)
    if kinds <= _TEXT_KINDS:
        return safe_cells(column)[0]
    texts = kinds <= _NUMBER_KINDS and number_texts(column, kinds, "")
    return texts or list(map(spreadsheet_safe, column))


def columns_of(fields: tuple[str, ...], rows: list[dict[str, Any]]) -> Iterable[Sequence[Any]]:
    """The rows' values a column per field, in the fields' order."""
    if len(fields) == 1:
        return [[row[fields[0]] for row in rows]]
    return zip(*map(itemgetter(*fields), rows)) if rows else [() for _ in fields]


def csv_lines(fields: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """`to_csv`, a line (one row, quoted line breaks and all) at a time; what it writes, a cell at a time."""
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
    return to_csv(STATUS_FIELDS, [nodes_as_text(status_row(*item)) for item in items])


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
    streams, not builds, its output), from reading.entry_columns: each target's own cells made safe
    once for all its entries, and each column of text cells tested at once (`safe_cells`). A
    target none of whose cells the csv module would quote has its lines joined from the columns
    (`interleaved`); the others are written by the csv module."""
    buffer = io.StringIO()
    import csv  # only where CSV is written: not a status's JSON

    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(ENTRY_FIELDS)
    safe = spreadsheet_safe
    for columns in map(entry_columns, targets):
        head = (safe(columns.id), safe(columns.group), safe(columns.unit))
        (notes, plain_notes), (sources, plain_sources), (qualifiers, plain_qualifiers), (nodes, plain_nodes) = map(
            safe_cells, (columns.notes, columns.sources, columns.qualifiers, columns.nodes))
        cells = (columns.dates, _or(columns.values, ""), map(_BOOLEAN.__getitem__, columns.totals),
                 map(_CSV_DONE.__getitem__, columns.done), notes, sources, qualifiers,
                 map(_BOOLEAN.__getitem__, columns.estimates), nodes)
        if plain_notes and plain_sources and plain_qualifiers and plain_nodes and not any(map(_QUOTED.search, head)):
            buffer.write(interleaved((",".join(head) + ",", *repeat(",", 8)), cells, "\n"))
        else:
            writer.writerows(zip(*map(repeat, head), *cells))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()  # the header alone, when there are no targets


def interleaved(before: tuple[str, ...], columns: Sequence[Iterable[str]], after: str) -> str:
    """Each row's text: before[0], its cell of columns[0], before[1], its cell of columns[1], ...,
    then `after`; one join over all rows, with no call per row or cell."""
    return "".join(interleaving(before, columns, after))


def interleaving(before: tuple[str, ...], columns: Sequence[Iterable[str]], after: str) -> Iterator[str]:
    """The pieces `interleaved` joins, in order."""
    return chain.from_iterable(zip(*chain.from_iterable(zip(map(repeat, before), columns)), repeat(after)))


def safe_cells(column: Sequence[Any]) -> tuple[Iterable[str], bool]:
    """`spreadsheet_safe` of each cell of a column of text or None (None: an empty cell), and
    whether none of them has a character the csv module quotes: a column all of plain text
    (`plain_text`) none of whose cells starts like a formula is its own cells, tested in passes
    over the joined text rather than a call per cell."""
    if column.count(None) == len(column):
        return repeat(""), True
    texts = column if None not in column else ["" if cell is None else cell for cell in column]
    try:
        joined = "".join(texts)
        if plain_text(joined) and not _FORMULA.search("\n".join(texts)):
            return texts, not _QUOTED.search(joined)
    except TypeError:  # not all text
        pass
    return ["" if cell is None else spreadsheet_safe(cell) for cell in column], False


_FORMULA = re.compile("^[=+@-]", re.MULTILINE)  # a line, in plain text a cell, starting as spreadsheet_safe's do
_QUOTED = re.compile('[,"\r\n]')  # what the csv module quotes a cell for (delimiter, quote, line ends)


def json_cells(column: Sequence[Any]) -> Iterable[str]:
    """`json_string` of each cell of a column of text or None (null): a column all of plain text is
    escaped by the json module alone, tested once over the joined text."""
    if column.count(None) == len(column):
        return repeat("null")
    texts = column if None not in column else [cell for cell in column if cell is not None]
    try:
        if plain_text("".join(texts)):
            return map(_STRING, column) if texts is column else [
                "null" if cell is None else _STRING(cell) for cell in column]
    except TypeError:  # not all text
        pass
    return ["null" if cell is None else json_string(cell) for cell in column]


def _or(column: Sequence[Any], empty: str) -> Sequence[Any]:
    """The column with `empty` for each None."""
    return column if None not in column else [empty if cell is None else cell for cell in column]


def entries_json(targets: list[Target]) -> Iterator[str]:
    """`to_json({"entries": [...]})` and a line break, a target's rows at a time, from
    reading.entry_columns: each target's own fields are written once into the text between its
    rows' values, and each column's cells into their places (`interleaved`)."""
    first = True
    for columns in map(entry_columns, targets):
        if not columns.dates:
            yield ""
            continue
        head = to_json({"id": columns.id, "group": columns.group, "unit": columns.unit}, "    ")[:-len("\n    }")]
        text = interleaved((_ROW_SEPARATOR + head + _ROW_KEYS[0], *_ROW_KEYS[1:]), (
            map(_STRING, columns.dates), _or(columns.values, "null"), map(_BOOLEAN.__getitem__, columns.totals),
            map(_JSON_DONE.__getitem__, columns.done), json_cells(columns.notes), json_cells(columns.sources),
            json_cells(columns.qualifiers), map(_BOOLEAN.__getitem__, columns.estimates), json_cells(columns.nodes)),
            "\n    }")
        yield '{\n  "entries": [\n    ' + text[len(_ROW_SEPARATOR):] if first else text
        first = False
    yield '{\n  "entries": []\n}\n' if first else "\n  ]\n}\n"


_BOOLEAN = {True: "true", False: "false"}
_CSV_DONE, _JSON_DONE = {**_BOOLEAN, None: ""}, {**_BOOLEAN, None: "null"}
# What to_json writes before each of an entry's fields (report.entry_fields, in its order) in a row.
_ROW_SEPARATOR = ",\n    "
_ROW_KEYS = tuple(',\n      "' + key + '": ' for key in ENTRY_FIELDS[3:])


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
                                                 ("received", _plain_figures(report.received)),
                                                 ("missing", report.missing))
             if value is not None}
    return with_sections(text, extra) if extra else text


def _plain_figures(received):
    """The figures received for scripts: their codes and digits, without the words they are shown in."""
    if received is None:
        return None
    return [{**unit, "figures": [{key: value for key, value in figure.items() if key != "words"}
                                 for figure in unit["figures"]]} for unit in received]


def report_csv_of(report, lang: str) -> str:
    return status_csv(report.items)
