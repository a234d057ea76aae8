"""One definition of what makes two entries the same record (domain.model.identity), asked by every
door: `add` refuses a second one, the journal's recovery (an append skipping what is recorded) and an
import never write one twice, `validate` flags one recorded twice, and git's merge driver keeps once
the same entry appended on both sides (synthetic data)."""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import TARGET_TOML, examples, make_target
from kpitrack.domain.model import Entry, Kind, ReadingQualifier, identity
from kpitrack.files.entrycheck import entry_doubts, identical, recorded_on
from kpitrack.git.merge import merge
from kpitrack.writing.write import append_entries, entry_block

DAY = date(2023, 3, 31)

entries = st.builds(
    Entry, date=st.just(DAY), value=st.sampled_from([Decimal(20), Decimal("20.0"), Decimal(30)]),
    total=st.booleans(), note=st.sampled_from([None, "Q1", "bulletin"]), source=st.sampled_from([None, "gov.cn"]),
    qualifier=st.sampled_from([None, ReadingQualifier.ABOUT]), estimate=st.booleans(),
    repeat=st.sampled_from([None, 2]), done=st.none(), node=st.none(), line=st.none())


def _added(text: str) -> int:
    return text.count("[[progress]]")


def _doors(recorded: Entry, new: Entry) -> dict[str, bool]:
    """Whether each door takes `new` for the same record as `recorded`, already in the file."""
    text = TARGET_TOML + entry_block(recorded)
    same = {"add": any(identical(old, new) for old in recorded_on(text, new.date))}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "kpitrack.toml").write_text("", encoding="utf-8")
        path = root / "synthetic.toml"
        path.write_text(text, encoding="utf-8")
        same["journal"] = append_entries(path, root, [new], skip_recorded=True).added == 0
    same["validate"] = bool(entry_doubts(make_target(entries=[recorded._replace(line=7), new._replace(line=14)])))
    ours, theirs = TARGET_TOML + entry_block(recorded), TARGET_TOML + entry_block(new)
    merged = merge(TARGET_TOML, ours, theirs)
    same["merge"] = merged.conflicts == 0 and _added(merged.text) == 1
    if same["merge"]:
        assert merged.text == ours  # kept once, as our side worded it
    return same


@settings(max_examples=examples(200), deadline=None)
@given(recorded=entries, new=entries)
def test_every_door_takes_the_same_entries_for_the_same_record(recorded, new):
    expected = identity(recorded) == identity(new)
    assert _doors(recorded, new) == {"add": expected, "journal": expected, "validate": expected, "merge": expected}


def test_an_entry_differing_only_in_its_note_is_the_same_record_at_every_door():
    recorded = Entry(DAY, Decimal(20), note="Q1")
    assert _doors(recorded, recorded._replace(note="bulletin", source="gov.cn")) == dict.fromkeys(
        ("add", "journal", "validate", "merge"), True)


def test_an_estimate_of_the_same_figure_is_another_record_at_every_door():
    recorded = Entry(DAY, Decimal(20))
    assert _doors(recorded, recorded._replace(estimate=True)) == dict.fromkeys(
        ("add", "journal", "validate", "merge"), False)


def test_a_worded_figure_is_another_record_at_every_door():
    recorded = Entry(DAY, Decimal(20))
    assert _doors(recorded, recorded._replace(qualifier=ReadingQualifier.NEARLY)) == dict.fromkeys(
        ("add", "journal", "validate", "merge"), False)


def test_two_nodes_marked_done_on_one_day_are_not_flagged_as_one_entry_twice():
    target = make_target(kind=Kind.MILESTONE, entries=[Entry(DAY, done=True, node="design", line=7),
                                                       Entry(DAY, done=True, node="build", line=11)])
    assert entry_doubts(target) == []
    twice = make_target(kind=Kind.MILESTONE, entries=[Entry(DAY, done=True, node="design", line=7),
                                                      Entry(DAY, done=True, node="design", line=11)])
    assert len(entry_doubts(twice)) == 1


def test_a_note_reworded_on_one_side_is_an_edit_the_merge_carries():
    base = TARGET_TOML + entry_block(Entry(DAY, Decimal(20), note="Q1"))
    theirs = TARGET_TOML + entry_block(Entry(DAY, Decimal(20), note="Q1 (revised)"))
    assert merge(base, base, theirs).text == theirs
    assert merge(base, theirs, base).text == theirs


def test_a_note_reworded_differently_on_both_sides_is_a_conflict():
    base = TARGET_TOML + entry_block(Entry(DAY, Decimal(20), note="Q1"))
    ours = TARGET_TOML + entry_block(Entry(DAY, Decimal(20), note="Q1 (ours)"))
    theirs = TARGET_TOML + entry_block(Entry(DAY, Decimal(20), note="Q1 (theirs)"))
    assert merge(base, ours, theirs).conflicts == 1


def test_add_and_import_take_a_reworded_note_for_the_recorded_entry_and_an_estimate_for_another(tmp_path):
    from helpers import run, write

    (tmp_path / "kpitrack.toml").write_text("", encoding="utf-8")
    path = write(tmp_path / "firms.toml", TARGET_TOML + entry_block(Entry(DAY, Decimal(20), note="Q1")))
    refused = run(tmp_path, "add", "firms", "20", "--date", DAY.isoformat(), "--note", "bulletin")
    assert refused.exit_code != 0 and "identical entry" in refused.stderr
    rows = write(tmp_path / "in.csv", f"id,date,value,note,estimate\nfirms,{DAY},20,bulletin,\nfirms,{DAY},20,,true\n")
    result = run(tmp_path, "import", str(rows))
    assert result.exit_code == 0, result.output
    assert result.stdout == "added 1 entry to 1 target; 1 row already recorded, skipped\n"
    taken = run(tmp_path, "add", "firms", "20", "--date", DAY.isoformat(), "--qualifier", "about")
    assert taken.exit_code == 0, taken.output
    assert path.read_text(encoding="utf-8").count("[[progress]]") == 3
