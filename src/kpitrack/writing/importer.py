"""CSV import: rows read and checked, turned into a plan of entries to append, then applied all or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import N_, _, os_reason
from kpitrack.domain.model import Entry, ReadingQualifier, Workspace, identity
from kpitrack.files.entrycheck import is_figure
from kpitrack.files.schema import check_id, control_problem, did_you_mean, entry_problem
from kpitrack.writing.import_ledger import as_meant, estimated, ledger_done, node_problem, nothing_new
from kpitrack.writing.import_limits import decode_import
from kpitrack.writing.import_revise import apply_import, recorded_figure, second_in_import  # noqa: F401 (apply_import: here as before)


IMPORT_COLUMNS = ("id", "date", "value", "total", "note", "source", "qualifier", "estimate", "node")


_TRUE, _FALSE = ("true", "yes", "1", "y", "是"), ("false", "no", "0", "n", "否", "")


@dataclass(frozen=True)
class ImportRow:
    line: int
    target_id: str
    value_text: str  # as typed: read again in the target's unit (194.7亿元, 3.5万套)
    entry: Entry
    ledger: bool = False  # from the ledger workbook: parents are skipped, and unchanged figures
    where: Path | None = None  # the file (and sheet) it was read from, for messages
    period: str = ""  # the ledger's 本期: the period being collected, as worded
    sent: date | None = None  # the ledger's 更新日期: the date of the figure it was sent with


@dataclass
class ImportPlan:
    """What an import would do: new entries by target id, rows skipped as already there, problems."""

    additions: dict[str, list[ImportRow]]
    skipped: int
    problems: list[KpitrackError]
    encoding: str
    revisions: dict[str, list[tuple[ImportRow, Entry]]] = field(default_factory=dict)  # (row, entry it replaces)
    unchanged: list[ImportRow] = field(default_factory=list)  # the rows skipped, for the dry run's list

    @property
    def count(self) -> int:
        """How many entries the import adds."""
        return sum(len(rows) for rows in self.additions.values())


# Headers as offices write them, Chinese or English, each to the column it fills. 指标 may hold a
# target's id or its title; 累计完成 is a running total (total = true unless 是否累计 says otherwise).
HEADER_ALIASES = {
    "id": "id", "编号": "id", "指标编号": "id", "title": "title", "指标": "title", "指标名称": "title",
    "date": "date", "日期": "date", "截至日期": "date", "截止日期": "date",
    "value": "value", "数值": "value", "完成值": "value", "累计完成": "running", "total": "total",
    "是否累计": "total", "note": "note", "备注": "note", "source": "source", "来源": "source",
    "qualifier": "qualifier", "estimate": "estimate", "预计": "estimate",
    "node": "node", "节点": "node", "done": "done",  # a milestone node's entry, as export writes it
    "completed to date": "running", "as of": "date", "读数": "reading", "reading": "reading",
    "本期": "period", "this period": "period",  # the ledger's English header (report --lang en)
    "更新日期": "sent", "updated": "sent",  # the ledger's: the figure it was sent with is dated so
}
# The ledger's other columns (report --format xlsx): read past, never imported.
LEDGER_ONLY = {"序号", "责任单位", "配合单位", "填报内容", "co-units", "what to fill in", "单位", "目标值", "完成率", "序时进度", "进度差", "状态",
               "no.", "responsible unit", "unit", "target value", "completion", "time-elapsed progress",
               "progress gap", "status", "target", "group", "力争目标完成率", "stretch completion"}  # group: export's (the file's folder)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")

Table = list[tuple[int, list[Any]]]  # (line or sheet row, cells)


def read_import(path: Path, encoding: str | None = None, sheet: str | None = None,
                warnings: list[str] | None = None) -> tuple[list[ImportRow], list[KpitrackError], str]:
    """Rows of a progress CSV or workbook (id,date,value[,total][,note][,source], or their Chinese
    names), each checked on its own. A title row above the header (a merged 台账 heading) is read past.

    Without `encoding`, UTF-8 (with or without a byte-order mark) is tried, then GBK (as GB18030,
    its superset), the encoding of Chinese Excel's CSV export; UTF-16 (Excel's "Unicode 文本",
    tab-separated) is known by its byte-order mark.
    """
    if path.suffix.lower() in WORKBOOK_SUFFIXES:  # every sheet with the columns (one per plan in a ledger)
        from kpitrack.writing.import_sheets import workbook_tables
        tables, encoding = workbook_tables(path, sheet, warnings), "xlsx"
    else:
        if sheet:
            raise KpitrackError(N_("--sheet is for workbooks (.xlsx); this file is read as CSV"), path)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise KpitrackError(N_("cannot read: {reason}"), path, reason=os_reason(error)) from None
        text, encoding = decode_import(data, path, encoding)
        tables = [(path, _csv_table(text, path))]
    rows, problems = [], []
    for where, table in tables:
        more_rows, more_problems = _table_rows(table, where)
        rows += more_rows
        problems += more_problems
    return rows, problems, encoding


def _table_rows(table: Table, path: Path) -> tuple[list[ImportRow], list[KpitrackError]]:
    """The rows of one table (a CSV file, a sheet), each checked on its own."""
    header_at, columns = _find_header(table, path)
    ledger = "running" in columns or "reading" in columns  # the ledger workbook (report --format xlsx)
    rows: list[ImportRow] = []
    problems: list[KpitrackError] = []
    for line, cells in table[header_at + 1:]:
        if not any(_text(cell) for cell in cells):
            continue
        if len(cells) > len(columns) and any(_text(cell) for cell in cells[len(columns):]):
            problems.append(KpitrackError(N_("{cells} cells under {columns} columns; a number with a thousands comma "
                                             "needs quotes (\"1,200\")"), path, line, cells=len(cells),
                                            columns=len(columns)))
            continue
        record = {key: cell for key, cell in zip(columns, cells) if key}
        value_cell = record.get("value", record.get("running"))
        if ledger and _text(record.get("reading")):
            if _text(value_cell):
                problems.append(KpitrackError(N_("both a running total and a reading; keep the one the row's "
                                                 "\"what to fill in\" names"), path, line))
                continue
            value_cell = record["reading"]
        if ledger and not _text(value_cell):
            continue  # a ledger row left blank: a parent, or nothing reported yet
        try:
            target_id = _text(record.get("id")) or _text(record.get("title"))
            if "id" in record or not target_id:
                check_id(target_id)
            when = _cell(_date, record.get("date"), "date")
            value_text = _text(value_cell)
            if not value_text and _text(record.get("done")):  # export's row of a milestone: its done column
                value_text = "done" if _cell(_truth, _text(record["done"]), "done") else "undone"
            total = _cell(_truth, _text(record["total"]), "total") if "total" in record else "running" in record
            note, source = _text(record.get("note")) or None, _text(record.get("source")) or None
            marks = dict(qualifier=_cell(_reading_qualifier, _text(record.get("qualifier")), "qualifier"),
                         estimate=_cell(_truth, _text(record.get("estimate")), "estimate"),
                         node=_text(record.get("node")) or None)
            done, node = ledger_done(value_text) if ledger else (False, None)  # 已完成, 已完成：主体完工
            if value_text.lower() in ("done", "undone") or done:
                entry = Entry(when, total=total, done=value_text.lower() not in ("undone",), note=note, source=source,
                              **{**marks, "node": node or marks["node"]})
            else:
                value_text, estimate = estimated(value_text)  # 60（预计）, as the ledger words an estimate
                value_text, marks["qualifier"] = _worded(value_text, marks["qualifier"])
                marks["estimate"] = marks["estimate"] or estimate
                value_cell = value_text if isinstance(value_cell, str) else value_cell
                entry = Entry(when, _cell(_number_or_later, value_cell, "value"), total, note=note, source=source,
                              **marks)
            sent = _cell(_date, record.get("sent"), "updated") if ledger and _text(record.get("sent")) else None
            rows.append(ImportRow(line, target_id, value_text, entry, ledger, path, _text(record.get("period")), sent))
        except KpitrackError as problem:
            problems.append(problem.elsewhere(path, line))
    return rows, problems


def _csv_table(text: str, path: Path) -> Table:
    """Lines of CSV, or of tab-separated text (Excel's "Unicode 文本"). A field over the csv module's
    limit, or a quote left open (which would swallow the rows after it into one field), is refused
    naming the line where its row starts."""
    import csv
    import io

    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    table: Table = []
    started = 1
    try:
        for cells in reader:
            if any(line.count(delimiter) >= 2 for cell in cells for line in cell.split("\n")[1:]):
                raise csv.Error("a quote left open")
            table.append((started, cells))
            started = reader.line_num + 1
    except csv.Error as error:
        reason = (_("a field longer than {limit} characters").format(limit=csv.field_size_limit())
                  if "field larger" in str(error) else
                  _("a quote (\") opened here is not closed where its field ends; close it, or double a quote "
                    "inside a field (\"\")"))
        raise KpitrackError(reason, path, started) from None
    return table


def _has_header(table: Table) -> bool:
    try:
        _find_header(table, Path())
        return True
    except KpitrackError:
        return False


def _find_header(table: Table, path: Path) -> tuple[int, list[str | None]]:
    """The first row (of the first ten) naming an id or title, a date and a value; its columns
    mapped to the fields they fill (None for the ledger's other columns)."""
    for index, (line, cells) in enumerate(table[:10]):
        names = [_text(cell).lower() for cell in cells]
        keys = [HEADER_ALIASES.get(name) for name in names]
        if not ({"id", "title"} & set(keys) and "date" in keys and {"value", "running", "reading"} & set(keys)):
            continue
        for name, key in zip(names, keys):
            if key is None and name and name not in LEDGER_ONLY:
                hint = did_you_mean(name, list(HEADER_ALIASES)) or _("allowed: {columns}").format(
                    columns=", ".join(IMPORT_COLUMNS))
                raise KpitrackError(N_("unknown column {name!r}; {hint}"), path, line, name=name, hint=hint)
        if "id" in keys and "title" in keys:  # 编号 names the target; 指标 is then only its title
            keys = [None if key == "title" else key for key in keys]
        if keys.count("date") > 1 or "value" in keys and {"running", "reading"} & set(keys):
            raise KpitrackError(N_("two columns give the same field (a date or a value); keep one"), path, line)
        return index, keys
    names = [_text(cell).lower() for cell in (table[0][1] if table else [])]
    keys = {HEADER_ALIASES.get(name) for name in names}
    missing = [name for name, wanted in (("id", {"id", "title"}), ("date", {"date"}),
                                         ("value", {"value", "running"})) if not wanted & keys]
    hints = [f"{name!r}: {hint}" for name in names if name and name not in HEADER_ALIASES
             for hint in [did_you_mean(name, list(HEADER_ALIASES))] if hint]
    raise KpitrackError(N_("the first row must name the columns {columns} (or 编号/指标, 日期, 数值…; missing: "
                           "{missing}); {hint}") if hints else
                        N_("the first row must name the columns {columns} (or 编号/指标, 日期, 数值…; missing: "
                           "{missing})"), path, table[0][0] if table else 1, columns=", ".join(IMPORT_COLUMNS),
                        missing=", ".join(missing), hint=_("; ").join(hints))


def _text(cell: Any) -> str:
    """A cell as text: workbooks give numbers, dates and None as well as strings."""
    from datetime import datetime

    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, float):  # the shortest decimal within Excel's 15 digits: 1459.3000000000002 is 1459.3
        from decimal import Decimal

        return format(Decimal(format(cell, ".15g")), "f") if cell == cell and abs(cell) != float("inf") else repr(cell)
    return str(cell).strip()


def _date(cell: Any):
    """A date cell: an Excel date, an Excel day number (45473 is 2024-06-30) or text."""
    from datetime import date, datetime, timedelta

    from kpitrack.domain.parse import parse_date, recordable

    if isinstance(cell, datetime):
        return recordable(cell.date())
    if isinstance(cell, date):
        return recordable(cell)
    text = _text(cell)
    if text.isdigit() and len(text) == 5:  # Excel's 1900 date system counts days from 1899-12-30
        return date(1899, 12, 30) + timedelta(days=int(text))
    return recordable(parse_date(text))


def _number(cell: Any):
    """A figure: a workbook's number (as written, not as binary) or text like 1,200 or 1.2万."""
    from decimal import Decimal

    from kpitrack.domain.parse import parse_value

    if isinstance(cell, bool):
        raise ValueError(_("{cell!r} is not a figure").format(cell=cell))
    if isinstance(cell, (int, float)):
        return parse_value(_text(cell)) if isinstance(cell, float) else Decimal(cell)
    return parse_value(_text(cell))


def _cell(parse: Callable[[str], Any], text: str, column: str) -> Any:
    try:
        return parse(text)
    except ValueError as error:
        raise KpitrackError(N_("{field}: {problem}"), field=column, problem=error) from None


def _worded(text: str, qualifier: ReadingQualifier | None) -> tuple[str, ReadingQualifier | None]:
    """A figure typed as the report words it (超50, 近60, 约6.0, 6.0左右), as `add` takes it: the
    figure and its qualifier, which the qualifier column, if given, must say too."""
    from kpitrack.domain.parse import FIGURE_WORDS, worded_figure

    figure, code = worded_figure(text, FIGURE_WORDS)
    if code is None:
        return text, qualifier
    if qualifier is not None and qualifier.value != code:
        raise KpitrackError(N_("{text!r} is worded {code}, but {option} says {given}: give one"),
                            text=text, code=code, option="qualifier", given=qualifier.value)
    return figure, ReadingQualifier(code)


def _reading_qualifier(text: str) -> ReadingQualifier | None:
    if not text:
        return None
    if text.lower() not in ReadingQualifier._value2member_map_:
        raise ValueError(_("{value!r} is not one of: {choices}").format(
            value=text, choices=", ".join(item.value for item in ReadingQualifier)))
    return ReadingQualifier(text.lower())


def _number_or_later(cell: Any) -> Decimal | None:
    """A plain figure now (a workbook's number, 1,200, 1.2万); one with a unit after it (194.7亿元,
    2600套) once its target's unit is known (None here: read in plan_import)."""
    from kpitrack.domain.parse import normalized

    try:
        return _number(cell)
    except ValueError:
        if re.match(r"[+-]?\d", normalized(_text(cell))):
            return None
        raise


def _truth(text: str) -> bool:
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise ValueError(_("{text!r} is neither true nor false").format(text=text))


def plan_import(workspace: Workspace, path: Path, rows: list[ImportRow], problems: list[KpitrackError],
                encoding: str, force: bool = False) -> ImportPlan:
    """Check every row against its target; an entry already recorded (same id, date, value, total
    flag) is skipped, so importing a file twice counts nothing twice. A row of the ledger workbook
    is skipped too when it is a milestone's or a parent's (whose figure is its parts' sum), or when
    its figure is the one known on its date, or the one the ledger was sent with (on its 更新日期):
    a unit filled in nothing new, and a ledger not filled in imports nothing, however often."""
    from kpitrack.domain.parse import parse_figure

    targets = workspace.by_id()
    titles: dict[str, list[str]] = {}
    for target in workspace.targets:
        titles.setdefault(target.title.strip(), []).append(target.id)
    additions: dict[str, list[ImportRow]] = {}
    seen = {target.id: {identity(entry) for entry in target.entries} for target in workspace.targets}
    figures: dict[tuple[str, date], list[Entry]] = {}  # the figures (totals, readings) by target and date
    for target in workspace.targets:
        for entry in target.entries:
            if is_figure(target, entry):
                figures.setdefault((target.id, entry.date), []).append(entry)
    skipped = 0
    texts: dict[Path, str] = {}
    landing: dict = {}  # the first row giving each target's figure for a date, in this import
    revisions: dict[str, list[tuple[ImportRow, Entry]]] = {}
    unchanged: list[ImportRow] = []
    for row in rows:
        named = titles.get(row.target_id, [])
        target = targets.get(row.target_id) or (targets[named[0]] if len(named) == 1 else None)
        if target is None:
            hint = (_("{count} targets have this title; give their ids (编号)").format(count=len(named)) if named
                    else did_you_mean(row.target_id, list(targets)))
            problems.append(KpitrackError(N_("no target {id!r}; {hint}") if hint else N_("no target {id!r}"),
                                          row.where or path, row.line, id=row.target_id, hint=hint))
            continue
        row = replace(row, target_id=target.id)
        if row.entry.done is None:  # the figure in the target's own unit: 194.7亿元, 2600套, 1.8万 on 万个
            try:
                row = replace(row, entry=row.entry._replace(value=parse_figure(row.value_text, target.unit)))
            except ValueError as error:
                problems.append(KpitrackError(N_("{field}: {problem}"), row.where or path, row.line, field="value",
                                              problem=error))
                continue
        if row.ledger:  # the ledger's row says which: 累计完成 (a running total) or 读数 (a reading, done)
            row = as_meant(target, row)
        if row.ledger and nothing_new(target, row, targets):
            skipped += 1
            unchanged.append(row)
            continue
        if identity(row.entry) in seen[target.id]:  # recorded already: nothing to check again
            skipped += 1
            unchanged.append(row)
            continue
        try:
            revised = recorded_figure(target, row.entry)  # another figure for a date recorded: a revision
        except KpitrackError as error:
            problems.append(KpitrackError(N_("{id}: {problem}"), row.where or path, row.line, id=row.target_id,
                                          problem=error))
            continue
        problem = (second_in_import(landing, target, row) or _outside(row, force) or node_problem(target, row)
                   or entry_problem(target, row.entry)
                   or control_problem(row.entry.note, "note") or control_problem(row.entry.source, "source")
                   or (None if revised else _clash(target, row.entry, figures)) or (
            None if force else _implausible(target, row.entry, texts, additions.get(target.id, ()))))
        if problem:
            problems.append(KpitrackError(N_("{id}: {problem}"), row.where or path, row.line, id=row.target_id,
                                          problem=problem))
        elif revised is not None:
            revisions.setdefault(target.id, []).append((row, revised))
        else:
            seen[target.id].add(identity(row.entry))
            additions.setdefault(target.id, []).append(row)
            if is_figure(target, row.entry):
                figures.setdefault((target.id, row.entry.date), []).append(row.entry)
    problems.sort(key=lambda problem: (str(problem.path or ""), problem.line or 0))
    return ImportPlan(additions, skipped, problems, encoding, revisions, unchanged)


def _outside(row: ImportRow, force: bool) -> str | None:
    """A ledger row dated outside the period it was sent for (本期): asked about, not taken."""
    from kpitrack.words.labels import in_period_words

    if force or not row.period or in_period_words(row.entry.date, row.period):
        return None
    return _("dated {date}, outside the period being collected ({period}); correct 截至日期, or import it "
             "with --force").format(date=row.entry.date, period=row.period)


def _clash(target, entry: Entry, figures: dict) -> str | None:
    """The one rule for a date's figure (see entrycheck.second_figure), for an imported row."""
    from kpitrack.files.entrycheck import clash_message, clashing_figure

    # a second figure among this import's own rows is refused before (import_revise.second_in_import)
    old = clashing_figure(target, entry, figures.get((target.id, entry.date), ()))
    return None if old is None else clash_message(target, entry, old)


def _implausible(target, entry: Entry, texts: dict, planned) -> str | None:
    """The door of `add` for an imported row: a figure beyond a plausible bound (more than 5× the
    target: a figure in the wrong unit?) or a running total below the previous one or above the next,
    by date, among the file's entries and the rows of this import taken before it (`planned`: the last
    LOOK_BACK of them, as the file's are read, so that an import costs linear time)."""
    from kpitrack.files.entrycheck import LOOK_BACK, implausible
    from kpitrack.files.workspace import read_text

    if target.path not in texts:  # read once per target, not once per row: an import costs linear time
        texts[target.path] = read_text(target.path)
    return implausible(target, texts[target.path], entry, door="import",
                       planned=tuple(row.entry for row in planned[-LOOK_BACK:]))

