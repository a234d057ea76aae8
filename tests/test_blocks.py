"""The one reader of a target file's block layout (files.blocks): the whole-file reader (merge,
rewrite), the backward one (the door), the first-entry search (the append's cheap read) and the line
index (every entry's `line`) find the same tables at the same places (synthetic data)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import TARGET_TOML, examples
from kpitrack.domain.model import Entry
from kpitrack.files.blocks import (_spans_line_by_line, _spans_searched, entry_at_line, first_entry, span_around,
                                   table_spans)
from kpitrack.files.document import key_lines
from kpitrack.writing.write import entry_block

pieces = st.one_of(
    st.builds(lambda day, value, note: entry_block(Entry(date(2023, 1, 1 + day), Decimal(value), note=note)),
              st.integers(0, 27), st.integers(0, 999), st.sampled_from([None, "Q1", "[[progress]] in a note"])),
    st.just("\n[[checkpoint]]\ndate = 2023-06-30\nvalue = 600\n"),
    st.just("\n  [[ progress ]]  # typed by hand\nvalue = 5\n\n# a comment before the next table\n\ndate = 2023-02-01\n"),
    st.just("# a comment between tables\n"),
    st.just("\n"),
    st.just("\n[[progress]]\r\nvalue = 7\r\ndate = 2023-02-02\r\n"),  # Windows line ends
    st.just("\n[checkpoint]\ndate = 2023-09-30\nvalue = 900\n\n\n"),
)


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(pieces, max_size=8))
def test_every_reader_of_blocks_finds_the_same_tables(parts):
    text = TARGET_TOML + "".join(parts)
    head_end, spans = table_spans(text)
    assert _spans_searched(text) == _spans_line_by_line(text) == (head_end, spans)  # the search, the line by line read
    entries = [span for span in spans if span.entry]
    for span in entries:  # a correction finds its entry's block by its line
        assert entry_at_line(text, span.line) == span
    for span in spans:  # the door, reading back from anywhere in a block, finds that block
        for at in range(span.start, span.end):
            assert span_around(text, at) == span._replace(line=None)
    assert span_around(text, head_end - 1 if head_end else 0) is None
    found = first_entry(text)
    assert (found.start if found else None) == (entries[0].start if entries else None)
    lines = key_lines(text)
    assert [span.line for span in entries] == [lines[("progress", index, None)] for index in range(len(entries))]
    for span in spans:  # a block's body ends at its last key: what follows belongs before the next table
        assert text[span.start:span.body_end].rstrip("\n").splitlines()[-1].strip()[:1] not in ("", "#")
        assert all(line.strip()[:1] in ("", "#") for line in text[span.body_end:span.end].splitlines())


def test_a_header_inside_a_multi_line_string_is_text():
    text = TARGET_TOML + '\n[[progress]]\nnote = """\n[[progress]]\n"""\nvalue = 1\ndate = 2023-02-01\n'
    assert [span.name for span in table_spans(text)[1]] == ["progress"]
    assert len(_spans_searched(text)[1]) == 2  # why such a text is read line by line


def test_lines_are_numbered_as_the_line_index_numbers_them_whatever_the_line_separators():
    text = TARGET_TOML.replace('title = "synthetic: new firms"', 'title = "a\u2028b"') + entry_block(
        Entry(date(2023, 2, 1), Decimal(1))) + entry_block(Entry(date(2023, 3, 1), Decimal(2)))
    spans = table_spans(text)[1]
    assert [span.line for span in spans] == [key_lines(text)[("progress", index, None)] for index in range(2)]
    assert spans == _spans_line_by_line(text)[1] and spans != _spans_searched(text)[1]
    assert [entry_at_line(text, span.line) for span in spans] == spans
