"""CSV import: rows read and checked, turned into a plan of entries to append, then applied all or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from kpitrack.errors import KpitrackError
from kpitrack.model import Entry, ReadingQualifier, Workspace
from kpitrack.schema import check_id, did_you_mean, entry_problem
from kpitrack.writeahead import Batch, append_all
from kpitrack.lock import Waiting
from kpitrack.write import recorded_identity


IMPORT_COLUMNS = ("id", "date", "value", "total", "note", "source", "qualifier", "estimate")


_TRUE, _FALSE = ("true", "yes", "1", "y", "是"), ("false", "no", "0", "n", "否", "")


@dataclass(frozen=True)
class ImportRow:
    line: int
    target_id: str
    value_text: str  # as typed: read again in the target's unit (194.7亿元, 3.5万套)
    entry: Entry


@dataclass
class ImportPlan:
    """What an import would do: new entries by target id, rows skipped as already there, problems."""

    additions: dict[str, list[ImportRow]]
    skipped: int
    problems: list[KpitrackError]
    encoding: str

    @property
    def count(self) -> int:
        """How many entries the import adds."""
        return sum(len(rows) for rows in self.additions.values())


def read_import(path: Path, encoding: str | None = None) -> tuple[list[ImportRow], list[KpitrackError], str]:
    """Rows of a progress CSV (id,date,value[,total][,note][,source][,qualifier][,estimate]), each
    checked on its own.

    Without `encoding`, UTF-8 (with or without a byte-order mark) is tried, then GBK (as GB18030,
    its superset), the encoding of Chinese Excel's CSV export.
    """
    import csv
    import io

    from kpitrack.parse import parse_date

    try:
        data = path.read_bytes()
    except OSError as error:
        raise KpitrackError(f"cannot read: {error.strerror}", path) from None
    text, encoding = _decode_import(data, path, encoding)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in IMPORT_COLUMNS[:3] if name not in header]
    if missing:
        raise KpitrackError(f"the first row must name the columns {', '.join(IMPORT_COLUMNS)} "
                            f"(missing: {', '.join(missing)})", path, 1)
    for name in header:
        if name not in IMPORT_COLUMNS:
            hint = did_you_mean(name, IMPORT_COLUMNS) or f"allowed: {', '.join(IMPORT_COLUMNS)}"
            raise KpitrackError(f"unknown column {name!r}; {hint}", path, 1)
    rows, problems = [], []
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        record = dict(zip(header, (cell.strip() for cell in cells)))
        if len(cells) > len(header):
            problems.append(KpitrackError(f"{len(cells)} cells under {len(header)} columns; a number with a "
                                          "thousands comma needs quotes (\"1,200\")", path, line))
            continue
        try:
            target_id = record.get("id", "")
            check_id(target_id)
            when = _cell(parse_date, record.get("date", ""), "date")
            value_text = record.get("value", "")
            total = _cell(_truth, record.get("total", ""), "total")
            note, source = record.get("note") or None, record.get("source") or None
            marks = dict(qualifier=_cell(_reading_qualifier, record.get("qualifier", ""), "qualifier"),
                         estimate=_cell(_truth, record.get("estimate", ""), "estimate"))
            if value_text.lower() in ("done", "undone"):
                entry = Entry(when, total=total, done=value_text.lower() == "done", note=note, source=source,
                              **marks)
            else:
                entry = Entry(when, _cell(_figure_or_later, value_text, "value"), total, note=note, source=source,
                              **marks)
            rows.append(ImportRow(line, target_id, value_text, entry))
        except KpitrackError as problem:
            problems.append(KpitrackError(problem.message, path, line))
    return rows, problems, encoding


def _decode_import(data: bytes, path: Path, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError) as error:
            raise KpitrackError(f"cannot read as {encoding}: {error}", path) from None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gbk"
    except UnicodeDecodeError:
        raise KpitrackError("neither UTF-8 nor GBK text; name the file's encoding (gbk, utf-16, …)", path) from None


def _cell(parse: Callable[[str], Any], text: str, column: str) -> Any:
    try:
        return parse(text)
    except ValueError as error:
        raise KpitrackError(f"{column}: {error}") from None


def _reading_qualifier(text: str) -> ReadingQualifier | None:
    if not text:
        return None
    if text.lower() not in ReadingQualifier._value2member_map_:
        raise ValueError(f"{text!r} is not one of: {', '.join(item.value for item in ReadingQualifier)}")
    return ReadingQualifier(text.lower())


def _figure_or_later(text: str) -> Decimal | None:
    """A plain figure now; one with a unit after it (194.7亿元) once its target's unit is known."""
    from kpitrack.parse import normalized, parse_value

    try:
        return parse_value(text)
    except ValueError:
        if re.match(r"[+-]?\d", normalized(text)):
            return None  # read in plan_import, in the target's unit
        raise


def _truth(text: str) -> bool:
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise ValueError(f"{text!r} is neither true nor false")


def plan_import(workspace: Workspace, path: Path, rows: list[ImportRow], problems: list[KpitrackError],
                encoding: str) -> ImportPlan:
    """Check every row against its target; an entry already recorded (same id, date, value, total
    flag) is skipped, so importing a file twice counts nothing twice."""
    from kpitrack.parse import parse_figure

    targets = {target.id: target for target in workspace.targets}
    additions: dict[str, list[ImportRow]] = {}
    seen = {target.id: {recorded_identity(entry) for entry in target.entries} for target in workspace.targets}
    skipped = 0
    for row in rows:
        target = targets.get(row.target_id)
        if target is None:
            hint = did_you_mean(row.target_id, list(targets))
            problems.append(KpitrackError(f"no target {row.target_id!r}" + (f"; {hint}" if hint else ""),
                                          path, row.line))
            continue
        if row.entry.done is None:
            try:
                row = replace(row, entry=row.entry._replace(value=parse_figure(row.value_text, target.unit)))
            except ValueError as error:
                problems.append(KpitrackError(f"value: {error}", path, row.line))
                continue
        problem = entry_problem(target, row.entry)
        if problem:
            problems.append(KpitrackError(f"{row.target_id}: {problem}", path, row.line))
        elif recorded_identity(row.entry) in seen[target.id]:
            skipped += 1
        else:
            seen[target.id].add(recorded_identity(row.entry))
            additions.setdefault(target.id, []).append(row)
    return ImportPlan(additions, skipped, sorted(problems, key=lambda problem: problem.line or 0), encoding)


def apply_import(workspace: Workspace, plan: ImportPlan, name: str = "", waiting: Waiting | None = None) -> int:
    """Append the planned entries, one write per target, all or none (journalled, see
    kpitrack.writeahead); rows recorded meanwhile by another writer are skipped, as decided under
    the locks. Recorded for `undo`. Returns how many entries were added."""
    paths = {target.id: target.path for target in workspace.targets}
    batches = [Batch(paths[target_id], [row.entry for row in rows]) for target_id, rows in plan.additions.items()]
    done = append_all(workspace.root, batches, name or "a CSV file", waiting)
    if done:
        from kpitrack.journal import record
        record(workspace.root, "import", f"import {name}: {plan.count} entries", list(done))
    return sum(appended.added for appended in done)
