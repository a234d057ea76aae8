"""The cold-parse path gives what the slow one gives: the fast TOML path's header lines are
key_lines' own, the lazy line index is the eager one, and a target read through the fast path
and the quick entries is the target (or the error, with its line) read through tomllib."""

import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kpitrack.files.blocks import TABLE_HEADER
from kpitrack.files.document import _KEY, key_lines
from kpitrack.domain.errors import KpitrackError
from kpitrack.files.fasttoml import loads
from kpitrack.domain.model import Entry
from kpitrack.files.schema import target_from_document
from kpitrack.writing.write import entry_block as render_entry
from test_fasttoml import HEAD, edits, entries
import helpers

PATH = Path("ws/t.toml")
heads = st.sampled_from([
    HEAD, HEAD.replace("target = 1200\n", 'kind = "milestone"\n').replace('unit = "units"\n', ""),
    HEAD.replace("target = 1200", 'kind = "level"\ntarget = 1200'),
    HEAD + 'note = """\n[progress]\n"""\n',  # a header to key_lines, a string to TOML
    HEAD + 'owner = "a\u2028b"\n',  # a line end to str.splitlines, not to TOML
    HEAD + "[[checkpoint]]\ndate = 2023-06-30\nvalue = 600\n",
    HEAD.replace("start = 2023-01-01", "start = 2023-01-01 # begun\nstart = 2023-02-01"),
])


def eager_key_lines(text):
    """key_lines as it was before it was made lazy: every line scanned at once."""
    lines, section, counts = {}, (None, 0), {}
    for number, line in enumerate(text.splitlines(), start=1):
        header = TABLE_HEADER.fullmatch(line)
        if header:
            name = header.group(1)
            section = (name, counts.get(name, 0))
            counts[name] = section[1] + 1
            lines[(*section, None)] = number
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault((*section, key.group(1)), number)
    return lines


def read(document, text):
    try:
        return target_from_document(document, PATH, Path("ws"), key_lines(text))
    except KpitrackError as error:
        return ("error", str(error), error.line)


def mixed(head, blocks, changes, padding=0):
    first, rest = head.split("\n", 1)  # padding between the top-level keys: some stand past 4,096 characters
    lines = (first + "\n" + "# pad\n" * padding + rest + "".join(render_entry(entry) for entry in blocks)).split("\n")
    for where, line in changes:
        lines.insert(where % (len(lines) + 1), line)
    return "\n".join(lines)


@settings(max_examples=helpers.examples(400), suppress_health_check=[HealthCheck.too_slow])
@given(heads, st.lists(entries, max_size=6), st.lists(st.tuples(st.integers(0, 200), edits), max_size=3))
@example(HEAD + 'note = """\n[progress]\n"""\n', [Entry(date(2023, 1, 1), Decimal(1))], [])
@example(HEAD, [Entry(date(2023, 1, 1), Decimal(1), note="a\u2028b"), Entry(date(2023, 2, 1), Decimal(2))], [])
def test_the_fast_path_reads_a_target_as_tomllib_does(head, blocks, changes):
    text = mixed(head, blocks, changes)
    fast = loads(text)
    if fast is None:
        return
    lines = fast["progress"].lines
    eager = eager_key_lines(text)
    assert lines is None or lines == [eager[("progress", index, None)] for index in range(len(fast["progress"]))]
    assert read(fast, text) == read(tomllib.loads(text, parse_float=Decimal), text)


def test_header_lines_are_left_to_key_lines_where_its_count_could_differ():
    block = render_entry(Entry(date(2023, 1, 1), Decimal(1)))
    assert loads(HEAD + block)["progress"].lines == [7]
    assert loads(HEAD + 'note = """\n[progress]\n"""\n' + block)["progress"].lines is None
    assert loads(HEAD + render_entry(Entry(date(2023, 1, 1), Decimal(1), note="a\u2028b")) + block)[
        "progress"].lines is None


@settings(max_examples=helpers.examples(200), suppress_health_check=[HealthCheck.too_slow])
@given(heads, st.lists(entries, max_size=4), st.lists(st.tuples(st.integers(0, 200), edits), max_size=3),
       st.sampled_from([0, 700, 5000]))
def test_the_lazy_line_index_is_the_eager_one(head, blocks, changes, padding):
    text = mixed(head, blocks, changes, padding)
    eager = eager_key_lines(text)
    top = key_lines(text)  # asked the top-level keys first: read from the lines before the first table
    assert {key: top.get(key) for key in eager if key[0] is None} == {
        key: line for key, line in eager.items() if key[0] is None}
    assert top.get((None, 0, "no-such-key")) is None
    assert dict(top) == eager
    assert dict(key_lines(text)) == eager and len(key_lines(text)) == len(eager)


def test_a_mistake_in_a_fast_read_file_names_its_line():
    text = HEAD + "".join(render_entry(Entry(date(2023, month, 1), Decimal(month))) for month in range(1, 4))
    assert loads(text) is not None
    for wrong, message, line in (("value = 2\n", "unknown key 'valeu'", 12), ("date = 2023-02-01", "past 2999", 13)):
        broken = text.replace(wrong, wrong.replace("value", "valeu").replace("2023-02-01", "3023-02-01"))
        assert loads(broken) is not None
        with pytest.raises(KpitrackError, match=message) as error:
            target_from_document(loads(broken), PATH, Path("ws"), key_lines(broken))
        assert error.value.line == line


def test_digits_of_other_scripts_are_left_to_tomllib():
    block = "\n[[progress]]\nvalue = 1\ndate = 2023-01-01\n"
    assert loads(HEAD + block) is not None
    for odd in (block.replace("2023", "\u0662\u0660\u0662\u0663"), block.replace("= 1", "= \u0661")):
        with pytest.raises(tomllib.TOMLDecodeError):
            tomllib.loads(HEAD + odd)
        assert loads(HEAD + odd) is None


def test_progress_that_is_not_tables_is_refused():
    for wrong in ("progress = [1, 2]\n", "progress = [{date = 2023-01-01, value = 1}, 3]\n", "progress = 5\n"):
        text = HEAD + wrong
        with pytest.raises(KpitrackError, match=r"'progress' must be written as \[\[progress\]\] tables"):
            target_from_document(tomllib.loads(text, parse_float=Decimal), PATH, Path("ws"), key_lines(text))


def test_a_file_written_by_kpitrack_is_read_without_scanning_its_every_line(monkeypatch):
    """The fast path counts the blocks' header lines; the whole line index (a regex a line) is for
    messages and the tables that need it ([planned]'s line only where the file has one)."""
    import kpitrack.files.document as document

    whole, real = [], document._scan
    monkeypatch.setattr(document, "_scan", lambda lines, top_only=False: (
        whole.append(len(lines)) if not top_only else None) or real(lines, top_only))
    text = HEAD + "".join(render_entry(Entry(date(2023, 1, day), Decimal(day))) for day in range(1, 29)) * 8
    target = target_from_document(document.parse_toml(text, PATH), PATH, PATH.parent, key_lines(text))
    assert len(target.entries) == 28 * 8 and whole == []
    planned = text.replace("[[progress]]", '[planned]\n"2023-06" = 600\n\n[[progress]]', 1)
    target_from_document(tomllib.loads(planned, parse_float=Decimal), PATH, PATH.parent, key_lines(planned))
    assert whole  # asked for where [planned] is
