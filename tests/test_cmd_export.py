"""`export` streams its rows: the same bytes as the whole document written at once, by the plain
json.dumps-based definition of kpitrack's JSON (synthetic targets and entries)."""

import json
import unicodedata
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings, strategies as st

from helpers import TARGET_TOML, examples, run, write
from kpitrack.words.display import INVISIBLE
from kpitrack.formats.machine import csv_lines, entries_csv, entries_json, exact, to_csv, to_json
from kpitrack.domain.model import Entry, ReadingQualifier, Target
from kpitrack.reports.rows import ENTRY_FIELDS, entry_rows


def plain_json(value, indent=""):
    """kpitrack's JSON as first written: json.dumps for every key and value, Decimals exact."""
    inner = indent + "  "
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{\n" + ",\n".join(f"{inner}{json.dumps(key, ensure_ascii=False)}: {plain_json(item, inner)}"
                                  for key, item in value.items()) + f"\n{indent}}}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + plain_json(item, inner) for item in value) + f"\n{indent}]"
    if isinstance(value, date):
        return json.dumps(value.isoformat())
    if isinstance(value, str):
        return "".join(character if unicodedata.category(character) not in INVISIBLE else json.dumps(character)[1:-1]
                       for character in json.dumps(value, ensure_ascii=False))
    return json.dumps(value, ensure_ascii=False)


texts = st.text(alphabet=st.one_of(st.characters(), st.sampled_from(["\u3164", "\u202e", "\x1b", "\n", '"', "="])),
                max_size=12)
decimals = st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**9, max_value=10**9)


@st.composite
def entry(draw):
    milestone = draw(st.booleans())
    return Entry(date=date(2023, 1, 1) + timedelta(days=draw(st.integers(0, 400))),
                 value=None if milestone else draw(decimals), total=draw(st.booleans()),
                 done=draw(st.booleans()) if milestone else None,
                 note=draw(st.none() | texts), source=draw(st.none() | texts))


@st.composite
def target(draw):
    return Target(id=draw(texts), title="synthetic", start=date(2023, 1, 1), due=date(2023, 12, 31),
                  unit=draw(texts), group=draw(texts), entries=tuple(draw(st.lists(entry(), max_size=4))))


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(target(), max_size=4))
def test_streamed_json_is_the_whole_document(targets):
    expected = plain_json({"entries": list(entry_rows(targets))}) + "\n"
    assert "".join(entries_json(targets)) == expected
    assert to_json({"entries": list(entry_rows(targets))}) + "\n" == expected


@settings(max_examples=examples(150), deadline=None)
@given(st.lists(target(), max_size=4))
def test_streamed_csv_is_the_whole_table(targets):
    assert "".join(entries_csv(targets)) == to_csv(ENTRY_FIELDS, list(entry_rows(targets)))


def test_rows_are_written_a_target_at_a_time():
    targets = [Target(id=f"t{number}", title="synthetic", start=date(2023, 1, 1), due=date(2023, 12, 31),
                      entries=tuple(Entry(date(2023, 1, day), Decimal(day)) for day in range(1, 4)))
               for number in range(2)]
    chunks = list(entries_json(targets))
    assert len(chunks) == 3 and chunks[0].startswith('{\n  "entries": [\n    {') and chunks[-1] == "\n  ]\n}\n"
    assert chunks[0].count('"date"') == 3 and chunks[1].count('"date"') == 3
    csv_chunks = [chunk for chunk in entries_csv(targets) if chunk]
    assert len(csv_chunks) == 2 and csv_chunks[0].count("\n") == 4  # the header comes with the first target's rows
    assert list(entries_json([])) == ['{\n  "entries": []\n}\n']


def test_the_fast_csv_writes_what_the_cell_by_cell_csv_writes():
    odd = (Entry(date(2023, 1, 2), Decimal("-1.50"), note="=SUM(A1)", source="+tel\tx"),
           Entry(date(2023, 1, 3), None, total=True, done=True, note="-", qualifier=ReadingQualifier.ABOUT,
                 estimate=True),
           Entry(date(2023, 1, 4), Decimal("1E+3"), note='quote " and,comma\nline', source="@home"))
    targets = [Target(id="t1", title="synthetic", group="=g", unit="-u", start=date(2023, 1, 1),
                      due=date(2023, 12, 31), entries=odd),
               Target(id="t2", title="synthetic", start=date(2023, 1, 1), due=date(2023, 12, 31))]
    # columns of plain one-line text, each with one cell starting like a formula: tested a column at a time
    targets += [Target(id=f"p{number}", title="synthetic", start=date(2023, 1, 1), due=date(2023, 12, 31),
                       entries=(Entry(date(2023, 1, 2), Decimal(1), note="plain", source="plain", node="plain"),
                                Entry(date(2023, 1, 3), Decimal(2), **{field: start + "1"})))
                for number, (field, start) in enumerate(
                    (field, start) for field in ("note", "source", "node") for start in "=+-@")]
    assert "".join(entries_csv(targets)) == "".join(csv_lines(ENTRY_FIELDS, entry_rows(targets)))
    assert "".join(entries_csv([])) == "".join(csv_lines(ENTRY_FIELDS, entry_rows([])))


def test_the_fast_scalars_write_what_json_dumps_writes():
    for value in (0, -7, 10**30, True, False, None, "", "a\u2028b", date(2023, 5, 6), Decimal("-0.00"),
                  Decimal("1E+3"), 1.5, [1, {"k": None}], {1: "x", "a": [], "b": {}}):
        assert to_json(value) == plain_json(value)


@settings(max_examples=examples(500))
@given(st.one_of(st.decimals(), st.decimals(places=8), st.integers(-10**40, 10**40).map(Decimal),
                 st.tuples(st.integers(-10**12, 10**12), st.integers(-40, 40)).map(
                     lambda pair: Decimal(pair[0]).scaleb(pair[1]))))
def test_exact_is_format_f(number):
    assert exact(number) == format(number, "f")


def test_export_lists_every_entry_once(three_targets):
    write(three_targets / "plan" / "evil.toml", TARGET_TOML + '\n[[progress]]\ndate = 2023-03-01\nvalue = 1\n'
                                                         'note = "=cmd|calc"\n')
    lines = run(three_targets, "export").stdout.splitlines()
    assert lines[0] == "id,group,unit,date,value,total,done,note,source,qualifier,estimate,node"
    assert sorted(lines[1:]) == sorted([
        "finished,other,firms,2023-05-31,1200,false,,,,,false,", "ahead,plan,firms,2023-06-30,700,false,,,,,false,",
        "evil,plan,firms,2023-03-01,1,false,,'=cmd|calc,,,false,", "slow,plan,firms,2023-06-30,100,false,,,,,false,"])
    entries = json.loads(run(three_targets, "export", "--format", "json").stdout)["entries"]
    assert len(entries) == 4 and entries[0]["value"] == 1200


ODD_ENTRIES = '''
[[progress]]
date = 2023-01-31
value = 1000.00
note = "=HYPERLINK(1)"

[[progress]]
date = 2023-02-28
value = -0.50
total = true
source = "quote \\" and, comma"

[[progress]]
date = 2023-03-31
value = 0.0000001
qualifier = "about"
estimate = true

[[progress]]
date = 2023-04-30
value = 12
note = "plain"
total = true
'''


def test_export_from_the_cache_is_the_export_from_the_files(three_targets, monkeypatch):
    """export prints the cache's text rows without making entries (formats.machine, via
    reading.entry_columns); what it prints is what the entries parsed from the files print, odd
    figures (a negative, a tiny one the cache keeps as 1E-7), formulas, quotes and qualifiers included."""
    write(three_targets / "plan" / "odd.toml", TARGET_TOML + ODD_ENTRIES)
    outputs = {}
    for cache in ("off", str(three_targets / "cache")):
        monkeypatch.setenv("KPITRACK_CACHE_DIR", cache)
        for _ in range(3):  # the first runs parse and keep the entries, the last prints the cache's rows
            outputs[cache] = [run(three_targets, "export", "--format", kind).stdout for kind in ("csv", "json")]
    assert outputs["off"] == outputs[str(three_targets / "cache")]
    assert "odd,plan,firms,2023-01-31,1000.00,false,,'=HYPERLINK(1),,,false," in outputs["off"][0]
    assert '"value": 0.0000001' in outputs["off"][1] and '"value": -0.50' in outputs["off"][1]


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(entry(), max_size=6), st.lists(st.one_of(st.decimals(allow_nan=False, allow_infinity=False),
                                                         st.decimals(places=8)), max_size=3))
def test_the_caches_text_prints_as_its_entries_do(entries, figures):
    """The cache's rows read as columns of printed text (files.stored.printed_columns) are the
    entries' printed columns, or None (then the entries are decoded): never other text."""
    from kpitrack.files.stored import _decode_entries, encode_entries, printed_columns
    from kpitrack.reports.reading import _printed

    entries = [*entries, *(Entry(date(2023, 1, 1), figure) for figure in figures
                           if figure.is_finite() and -80 <= figure.adjusted() <= 80)]
    rows = json.loads(encode_entries(entries))
    columns = printed_columns(rows)
    assert columns is None or columns == _printed(_decode_entries(rows))
    if all(entry.value is None or ("E" not in str(entry.value) and len(str(entry.value)) < 20) for entry in entries):
        assert columns is not None  # what the cache writes is read without a Decimal


def test_tampered_rows_are_decoded_not_printed():
    """A row in a form the file cannot have written, or that prints otherwise, is left to the
    entries' decoding (which reads the file again when it is damaged)."""
    from kpitrack.files.stored import printed_columns

    good = ["2023-01-02", "1.5", False, None, None, None, 3, None, False, None, None]
    assert printed_columns([good]) is not None
    for place, value in ((0, "20230102"), (0, 20230102), (1, "007"), (1, "1E+3"), (1, "NaN"), (1, 1.5),
                         (1, "\u0661"), (2, 1), (3, "yes"), (7, "bogus"), (8, None)):
        assert printed_columns([good[:place] + [value] + good[place + 1:]]) is None, (place, value)
    assert printed_columns([good[:10]]) is None and printed_columns([tuple(good)]) is None
    assert printed_columns({"rows": good}) is None and printed_columns([]) == ((),) * 11
