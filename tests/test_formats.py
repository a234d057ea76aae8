"""The output formats (table, JSON, CSV, Markdown) read report records: exact figures, safe text."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

from hypothesis import given, strategies
from rich.cells import cell_len
from rich.console import Console

from helpers import any_text, make_target
from kpitrack.domain.compute import figures
from kpitrack.words.display import bar, visible
from kpitrack.formats.machine import show_json, spreadsheet_safe, status_csv, status_json, to_json
from kpitrack.formats.markdown import status_markdown
from kpitrack.formats.terminal import status_table
from kpitrack.domain.model import Kind
from kpitrack.reports.rows import STATUS_FIELDS

AS_OF = date(2023, 6, 30)


def item(**fields):
    target = make_target(**fields)
    return target, figures(target, AS_OF)


def test_json_writes_decimals_as_exact_numbers():
    assert to_json({"a": Decimal("0.1"), "b": [Decimal("1234567890123456789012345678"), None, True]}) == (
        '{\n  "a": 0.1,\n  "b": [\n    1234567890123456789012345678,\n    null,\n    true\n  ]\n}')


def test_status_json_has_the_documented_fields_and_numbers():
    document = json.loads(status_json(AS_OF, [item(entries=[(AS_OF, "650.5")], unit="家")]),
                          parse_float=Decimal)
    assert document["as_of"] == "2023-06-30"
    row = document["targets"][0]
    assert tuple(row) == STATUS_FIELDS
    assert (row["current"], row["completion"], row["planned"], row["lag"]) == (
        Decimal("650.5"), Decimal("54.21"), Decimal("49.59"), Decimal("-4.62"))  # half up; lag of the shown figures
    assert (row["status"], row["last_update"], row["unit"], row["lag_days"]) == ("on-track", "2023-06-30", "家", -17)


def test_milestone_json_has_nulls_for_what_does_not_apply():
    row = json.loads(status_json(AS_OF, [item(kind=Kind.MILESTONE, target=1)]))["targets"][0]
    assert [row[key] for key in ("planned", "lag", "lag_days", "projected", "required_per_month",
                                 "last_update")] == [None] * 6


def test_show_json_lists_entries_and_checkpoints():
    target = make_target(entries=[(AS_OF, 5, True)], checkpoints=[(date(2023, 9, 30), 900)], tags=("x",))
    document = json.loads(show_json(target, figures(target, AS_OF)))
    assert document["entries"] == [{"date": "2023-06-30", "value": 5, "total": True, "done": None,
                                    "note": None, "source": None, "qualifier": None, "estimate": False, "node": None}]
    assert document["checkpoints"] == [{"date": "2023-09-30", "value": 900}]
    assert (document["tags"], document["as_of"]) == (["x"], "2023-06-30")


def test_csv_has_one_row_per_target_and_defuses_formulas():
    rows = list(csv.reader(io.StringIO(status_csv([item(title="=HYPERLINK(\"http://x\")", unit="@x"),
                                                    item(id="second", title="+1", unit="-")]))))
    assert rows[0] == list(STATUS_FIELDS)
    first = dict(zip(rows[0], rows[1]))
    assert (first["title"], first["unit"], first["lag"]) == ("'=HYPERLINK(\"http://x\")", "'@x", "")  # no data yet
    assert dict(zip(rows[0], rows[2]))["title"] == "'+1"
    assert spreadsheet_safe(Decimal("-3")) == "-3"  # numbers stay numbers


def test_markdown_escapes_pipes_and_markup():
    text = status_markdown(AS_OF, [item(title="a | b *c* <script>")])
    row = text.splitlines()[-1]
    assert row.count("|") - row.count("\\|") == 14  # 13 cells: the title's pipe did not add one
    assert r"a \| b \*c\* \<script\>" in row


def test_visible_shows_control_and_invisible_characters_as_escapes():
    assert visible("ok 中文") == "ok 中文"
    assert visible("\x1b[2Jx\r\u202eevil\u200b") == "\\x1b[2Jx\\x0d\\u202eevil\\u200b"
    osc8_link = "\x1b]8;;file:///etc/passwd\x1b\\click\x1b]8;;\x1b\\"
    assert "\x1b" not in visible(osc8_link) and visible(osc8_link).count("\\x1b") == 4


def test_table_prints_markup_and_escapes_literally_without_colour():
    console = Console(file=io.StringIO(), width=120, color_system=None)
    console.print(status_table([item(title="[bold red]x[/] [link=file:///etc/passwd]y\x1b[2J")], AS_OF, 120))
    output = console.file.getvalue()
    assert "[bold red]x[/]" in output and "[link=file:///etc/passwd]" in output
    assert "\\x1b[2J" in output and "\x1b" not in output


def test_table_aligns_chinese_titles():
    console = Console(file=io.StringIO(), width=120, color_system=None)
    console.print(status_table([item(id="a", title="新增小升规工业企业"), item(id="b", title="abc")], AS_OF, 120))
    lines = [line for line in console.file.getvalue().splitlines() if "%" in line]
    assert len(lines) == 2
    assert len({cell_len(line.rstrip()) for line in lines}) == 1  # both rows end in the same terminal column


def test_bar_is_readable_without_colour():
    assert bar(Decimal("50"), 10) == "█████·····"
    assert bar(Decimal("150"), 4) == "████"
    assert bar(Decimal("-5"), 4) == "····"


def test_a_narrow_table_keeps_every_status_and_aligns_its_columns():
    items = [item(id=f"target-with-a-long-identifier-{n}", title="新增小升规工业企业 " * 3,
                  entries=[(AS_OF, 100 * n)]) for n in range(1, 6)]
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(status_table(items, AS_OF, 80), soft_wrap=True)
    lines = console.file.getvalue().splitlines()
    assert all(cell_len(line) <= 80 for line in lines)
    rows = [line for line in lines[3:] if "%" in line]
    assert len(rows) == 5  # one line per target, its title cut with …
    assert [row.split()[-2:] for row in rows] == [["red", "lagging"]] * 4 + [["yellow", "lagging"]]  # the light and class, at 80 columns
    assert all(row.split()[0].startswith("target-with-a-long") for row in rows)  # the id first, cut if need be
    assert len({cell_len(row[:row.rindex("%") + 1]) for row in rows}) == 1  # wide characters counted as two


@given(any_text())
def test_json_output_holds_any_text_exactly(text):
    assert json.loads(to_json({"note": text})) == {"note": text}


def test_json_shows_invisible_characters_as_escapes():
    rendered = to_json("a\u202eb\u200bc\x1b[2J")
    assert rendered == '"a\\u202eb\\u200bc\\u001b[2J"'


def test_status_json_is_to_json_of_its_rows():
    """status_json writes its rows a column at a time: the same text as to_json of status_row's
    dicts, for columns of mixed kinds, numbers in exponent notation and invisible characters."""
    from kpitrack.domain.model import Node
    from kpitrack.reports.rows import status_row

    items = [item(entries=[(AS_OF, "650.5")], unit="家", owner="市发改委", co_owners=("市统计局",)),
             item(id="big", title="a\u202eb", target="1E+3", stretch_target=Decimal("2E+3")),
             item(id="nodes", kind=Kind.MILESTONE, target=2, nodes=(Node("开工", date(2023, 3, 31)),
                                                                   Node("完工", date(2023, 9, 30))))]
    assert status_json(AS_OF, items) == to_json({"as_of": AS_OF, "targets": [status_row(*i) for i in items]}) + "\n"
    assert status_json(AS_OF, []) == '{\n  "as_of": "2023-06-30",\n  "targets": []\n}\n'


@given(strategies.lists(strategies.tuples(*[strategies.one_of(
    strategies.none(), strategies.booleans(), strategies.integers(), any_text(), strategies.lists(any_text(), max_size=2),
    strategies.decimals(allow_nan=False, allow_infinity=False)) for _ in "abc"]), min_size=1, max_size=4))
def test_rows_json_is_to_json_of_the_rows(values):
    from kpitrack.formats.machine import rows_json

    rows = [dict(zip("abc", row)) for row in values]
    assert "".join(rows_json(("a", "b", "c"), rows, "  ")) == to_json(rows, "  ")
    assert "".join(rows_json(("b",), rows, "")) == to_json([{"b": row["b"]} for row in rows])
    nulls = [{"a": None, "b": row["b"], "c": None} for row in rows]  # null in every row: in the text between values
    assert "".join(rows_json(("a", "b", "c"), nulls, "  ")) == to_json(nulls, "  ")
    assert "".join(rows_json(("a", "c"), nulls, "  ")) == to_json([{"a": None, "c": None}] * len(rows), "  ")


@given(strategies.lists(strategies.tuples(*[strategies.one_of(
    strategies.none(), strategies.booleans(), strategies.integers(), any_text(), strategies.lists(any_text(), max_size=2),
    strategies.decimals(allow_nan=False, allow_infinity=False)) for _ in "abc"]), max_size=4))
def test_to_csv_is_csv_lines_of_the_rows(values):
    """to_csv writes a column at a time: what csv_lines writes a cell at a time."""
    from kpitrack.formats.machine import csv_lines, to_csv

    rows = [dict(zip("abc", row)) for row in values]
    assert to_csv(("a", "b", "c"), rows) == "".join(csv_lines(("a", "b", "c"), rows))
    assert to_csv(("b",), rows) == "".join(csv_lines(("b",), rows))


def test_status_csv_is_csv_lines_of_its_rows():
    from kpitrack.domain.model import Node
    from kpitrack.formats.machine import csv_lines, nodes_as_text
    from kpitrack.reports.rows import status_row

    items = [item(entries=[(AS_OF, "650.5")], unit="家", owner="=市发改委", co_owners=("市统计局",)),
             item(id="big", title="a\u202eb, \"c\"", target="1E+3", stretch_target=Decimal("2E+3")),
             item(id="nodes", kind=Kind.MILESTONE, target=2, nodes=(Node("开工", date(2023, 3, 31)),))]
    assert status_csv(items) == "".join(csv_lines(STATUS_FIELDS, [nodes_as_text(status_row(*i)) for i in items]))
