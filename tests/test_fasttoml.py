"""The fast path for kpitrack's own blocks gives exactly tomllib's result, or declines."""

import re
import tomllib
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kpitrack.files.fasttoml import loads, loads_piece
from kpitrack.domain.model import Entry, ReadingQualifier
from kpitrack.writing.write import entry_block as render_entry
import helpers

HEAD = 'title = "synthetic"\nunit = "units"\ntarget = 1200\nstart = 2023-01-01\ndue = 2023-12-31\n'

texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
entries = st.builds(
    Entry, st.dates(date(1990, 1, 1), date(2100, 12, 31)),
    st.one_of(st.none(), st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**9,
                                     max_value=10**9)),
    st.booleans(), st.one_of(st.none(), st.booleans()), st.one_of(st.none(), texts), st.one_of(st.none(), texts),
    st.none(), st.one_of(st.none(), st.sampled_from(list(ReadingQualifier))), st.booleans(),
    st.one_of(st.none(), st.integers(2, 9)))
# hand edits: lines a person might write, within the blocks or anywhere
edits = st.sampled_from([
    "# a comment", "value = 5 # trailing comment", "note = 'literal'", 'note = "esc\\"aped"', "value = 1_000",
    "value = +5", "value = 1e3", "value=5", "value  = 5", "  value = 5", "value = 5 ", "done = true",
    "parts = [\"a\", \"b\"]", "extra = {a = 1}", "[[progress]]", "[[ progress ]]", "[progress]", "[checkpoints]",
    "[[checkpoints]]", "date = 2023-02-30", "date = 2023-02-03T10:00:00", "value = 01", "value = -0", "value = 0.50",
    "\r", "", "   ", "value = 5", "note = \"\"\"\nmulti\n\"\"\"", 'note = "tab\there"', "source = \"é 中文\"",
    "progress = []", "[[progress.sub]]", "date = 2023-01-01", "total = false", "repeat = 2",
    "date = \u0662\u0660\u0662\u0663-01-01", "value = \u0661\u0662",  # digits of another script: not TOML's
    "note = \"a\u2028b\"", "note = \"[[progress]]\"",
    'tags = ["a", "b, c"]', "tags = []", 'tags = ["a",]', 'tags = [ "a" ]', 'tags = ["a","b"]', 'tags = ["\\t"]',
    "#", "# \x7f", "# tab\there", " # indented", 'title = "a # b"', "title = \"x\"\ntitle = \"y\"",
])


def document_of(text):
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        return "error"


def agrees(text, read=loads):
    fast = read(text)
    if fast is None:
        return None
    assert fast == document_of(text)
    assert repr(fast) == repr(document_of(text))  # the same types too: int, Decimal digits, date
    return fast


@settings(max_examples=helpers.examples(300), suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entries, max_size=8))
def test_canonical_files_take_the_fast_path(blocks):
    text = HEAD + "".join(render_entry(entry) for entry in blocks)
    fast = agrees(text)
    escaped = any(re.search(r'["\\\x00-\x1f\x7f]', words or "")
                  for entry in blocks for words in (entry.note, entry.source, entry.node))
    assert fast is not None or not blocks or escaped  # strings with escapes are left to tomllib


@settings(max_examples=helpers.examples(500), suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entries, max_size=5), st.lists(st.tuples(st.integers(0, 200), edits), max_size=4))
@example([Entry(date(2023, 1, 1), Decimal(1))], [(200, "# a comment")])
def test_hand_edited_and_mixed_files_agree_or_decline(blocks, changes):
    lines = (HEAD + "".join(render_entry(entry) for entry in blocks)).split("\n")
    for where, line in changes:
        lines.insert(where % (len(lines) + 1), line)
    agrees("\n".join(lines))


def test_it_declines_what_it_does_not_know():
    canonical = HEAD + render_entry(Entry(date(2023, 3, 1), Decimal("2.50"), note="x"))
    assert agrees(canonical) == {**tomllib.loads(HEAD), "progress": [
        {"value": Decimal("2.50"), "note": "x", "date": date(2023, 3, 1)}]}
    for edit in ("# c", "value = 1_0", "[x]", "date = 2023-02-30", "note = 'y'"):
        assert loads(canonical + edit + "\n") is None, edit
    assert loads(canonical.replace("\n", "\r\n")) is None
    assert loads(canonical + "date = 2023-01-01\n") is None  # a repeated key


def test_a_head_of_known_lines_is_read_here_as_tomllib_reads_it():
    from kpitrack.files.fasttoml import _head

    block = render_entry(Entry(date(2023, 3, 1), Decimal("2.50")))
    head = ('# a comment\ntitle = "标题 # not a comment"\ntarget = 1200\nbaseline = -0.50\nstart = 2023-01-01\n'
            'stretch = true\ntags = ["a", "b, c"]\nowner = []\n\n')
    assert _head(head) == tomllib.loads(head, parse_float=Decimal)
    assert agrees(head + block)["tags"] == ["a", "b, c"]
    for line in ('tags = [ "a" ]', "  title = 1", "[planned]", "title = 'x'", "x = 1 # c", "#\x7f", 'x = "\t"'):
        assert _head(head + line + "\n") is None, line
        agrees(head + line + "\n" + block)
    assert _head(head + "target = 5\n") is None  # a repeated key: tomllib's error


@settings(max_examples=helpers.examples(300), suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(entries, min_size=1, max_size=3), st.lists(st.tuples(st.integers(0, 200), edits), max_size=3))
def test_a_head_alone_or_blocks_alone_agree_or_decline(blocks, changes):
    """What `add` reads piece by piece: a kpitrack.toml or a target's definition (no block), and the
    blocks of a file cut from their head (the one it appends to, a day's entries, its own bytes read back)."""
    for text in (HEAD, "yellow = 0\nred = 10\n", "".join(render_entry(entry) for entry in blocks).lstrip("\n")):
        lines = text.split("\n")
        for where, line in changes:
            lines.insert(where % (len(lines) + 1), line)
        agrees(text, loads_piece)
        agrees("\n".join(lines), loads_piece)


def test_what_add_reads_takes_the_fast_path():
    block = render_entry(Entry(date(2023, 3, 1), Decimal("2.50"), repeat=2))
    assert agrees(HEAD, loads_piece) == tomllib.loads(HEAD)
    assert agrees("yellow = 0\nred = 10\n", loads_piece) == {"yellow": 0, "red": 10}
    alone = agrees(block.lstrip("\n"), loads_piece)
    assert alone == {"progress": [{"value": Decimal("2.50"), "repeat": 2, "date": date(2023, 3, 1)}]}
    assert alone["progress"].lines is None  # counted by key_lines, not from the line put before
    assert agrees(block, loads_piece)["progress"].lines == [2] and agrees("", loads_piece) == {}
    for odd in ("[planned]\n", "title = 'x'\n", HEAD + "[[progress]]", "[[progress]]\nvalue = 1e3\n"):
        assert loads_piece(odd) is None, odd
