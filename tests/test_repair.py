"""Torn appends (issue 14, case 3): a cut at any byte of an appended block never reads as another
figure, and `validate --repair` cuts the torn block back, keeping a copy. Synthetic data only."""

from datetime import date
from decimal import Decimal

import pytest
from typer.testing import CliRunner

from helpers import NODE_PLAN, TARGET_TOML, write
from kpitrack.cli import app
from kpitrack.domain.errors import KpitrackError
from kpitrack.domain.model import Entry
from kpitrack.writing.repair import torn_tail
from kpitrack.files.workspace import load_target
from kpitrack.writing.write import append_entries, entry_block

runner = CliRunner()

OLD = TARGET_TOML + "\n[[progress]]\ndate = 2023-03-31\nvalue = 310\n"
NEW = [  # every key an appended block can carry, multi-byte text included
    [Entry(date(2023, 6, 30), Decimal(2600), total=True, note="1-6月累计 (synthetic)", source="统计公报")],
    [Entry(date(2023, 7, 31), Decimal("18.50"))],
    [Entry(date(2023, 8, 31), Decimal(26)), Entry(date(2023, 9, 30), Decimal(2600), total=True)],
]


def entries_of(path, root):
    return [(entry.date, entry.value, entry.total) for entry in load_target(path, root).entries]


def cut_everywhere(tmp_path, new):
    """Append `new`, then try every prefix of the appended bytes; count wrong readings."""
    path = write(tmp_path / "firms.toml", OLD)
    before = entries_of(path, tmp_path)
    append_entries(path, tmp_path, new)
    full = path.read_bytes()
    allowed = [before + [(e.date, e.value, e.total) for e in new[:count]] for count in range(len(new) + 1)]
    tried = wrong = unrepaired = 0
    for offset in range(len(OLD.encode()), len(full) + 1):
        prefix = full[:offset]
        path.write_bytes(prefix)
        tried += 1
        try:
            got = entries_of(path, tmp_path)
        except KpitrackError:  # refused: must be a torn tail that cuts back to a valid file
            cut = torn_tail(prefix, path, tmp_path)
            if cut is None:
                unrepaired += 1
                continue
            path.write_bytes(prefix[:cut])
            got = entries_of(path, tmp_path)
            if len(new) == 1 and prefix[:cut] != OLD.encode():
                wrong += 1
        if got not in allowed:
            wrong += 1
    return tried, wrong, unrepaired


@pytest.mark.slow
@pytest.mark.parametrize("new", NEW, ids=["total-note-source", "decimal", "two-blocks"])
def test_a_cut_at_any_byte_never_reads_as_another_figure(tmp_path, new):
    tried, wrong, unrepaired = cut_everywhere(tmp_path, new)
    print(f"{tried} cuts: {wrong} wrong, {unrepaired} not repairable")
    assert tried > 30 and (wrong, unrepaired) == (0, 0)


@pytest.mark.slow
def test_cuts_at_every_byte_of_hundreds_of_appends(tmp_path):
    tried = wrong = unrepaired = 0
    for number in range(1, 121):
        value = Decimal(number * 1000 + 7) / (10 if number % 3 else 1)
        new = [Entry(date(2023, 1 + number % 12, 1 + number % 28), value, total=bool(number % 2),
                     note="笔记" * (number % 4) or None)]
        counts = cut_everywhere(tmp_path / str(number), new)
        tried, wrong, unrepaired = tried + counts[0], wrong + counts[1], unrepaired + counts[2]
    print(f"{tried} cuts: {wrong} lost, {wrong} wrong")
    assert tried > 5000 and (wrong, unrepaired) == (0, 0)


def test_date_is_the_last_key_of_an_appended_block():
    block = entry_block(Entry(date(2023, 6, 30), Decimal(2600), total=True, note="n"))
    assert block.splitlines()[-1] == "date = 2023-06-30"


def test_blocks_written_by_hand_stay_valid_in_any_key_order(tmp_path):
    path = write(tmp_path / "firms.toml", OLD + "\n[[progress]]\ndate = 2023-04-30\nvalue = 5\nnote = 'x'\n")
    assert entries_of(path, tmp_path)[-1] == (date(2023, 4, 30), Decimal(5), False)
    assert torn_tail(path.read_bytes(), path, tmp_path) is None


def test_validate_names_a_torn_block_and_repair_cuts_it_back_keeping_a_copy(tmp_path):
    path = write(tmp_path / "firms.toml", OLD + "\n[[progress]]\nvalue = 2600\ntotal = tr")
    result = runner.invoke(app, ["--dir", str(tmp_path), "validate"])
    assert result.exit_code == 2
    assert f"{path}:" in result.stderr and "validate --repair" in result.stderr
    assert path.read_text() == OLD + "\n[[progress]]\nvalue = 2600\ntotal = tr"  # validate alone cuts nothing
    result = runner.invoke(app, ["--dir", str(tmp_path), "validate", "--repair"])
    assert result.exit_code == 0, result.output
    assert "repaired" in result.stdout and "all valid" in result.stdout
    assert path.read_text() == OLD
    copies = list((tmp_path / ".kpitrack" / "repaired").iterdir())
    assert [copy.read_text() for copy in copies] == ["\n[[progress]]\nvalue = 2600\ntotal = tr"]


def test_repair_leaves_a_file_broken_elsewhere_alone(tmp_path):
    text = TARGET_TOML.replace("title", "titel") + "\n[[progress]]\nvalue = 26"
    path = write(tmp_path / "firms.toml", text)
    result = runner.invoke(app, ["--dir", str(tmp_path), "validate", "--repair"])
    assert result.exit_code == 2 and path.read_text() == text


@pytest.mark.parametrize("tail", [
    '\n[[progress]]\nvalue = 26\ndate = "2024-06-30"',   # a quoted date, typed by hand
    "\n[[progress]]\nvalue = 26\ndate = 2024-06-31",      # a whole but impossible date
    "\n[[progress]]\nvalue = 26\nnotes = \"x\"\ndate = 2024-0",  # a key add never writes
])
def test_repair_never_cuts_a_block_typed_by_hand(tmp_path, tail):
    """A user's trial: repair cut hand-typed entries with a quoted or impossible date."""
    path = write(tmp_path / "firms.toml", OLD + tail)
    before = path.read_bytes()
    result = runner.invoke(app, ["--dir", str(tmp_path), "validate", "--repair"])
    assert result.exit_code == 2 and "repaired" not in result.stdout
    assert path.read_bytes() == before


def test_repair_cuts_a_torn_block_of_a_target_whose_dates_come_from_its_plan(tmp_path):
    write(tmp_path / "plan" / "plan.toml", 'title = "synthetic plan"\nperiod = "2024"\n')
    good = '# synthetic\ntitle = "synthetic"\nunit = "家"\ntarget = 100\n\n[[progress]]\nvalue = 5\ndate = 2024-03-31\n'
    path = write(tmp_path / "plan" / "firms.toml", good + "\n[[progress]]\nvalue = 26\ndate = 2024-0")
    result = runner.invoke(app, ["--dir", str(tmp_path), "validate", "--repair"])
    assert "repaired" in result.stdout, result.output
    assert path.read_text(encoding="utf-8") == good


def test_the_keys_repair_knows_are_the_keys_add_writes_in_their_order():
    from kpitrack.domain.model import ReadingQualifier
    from kpitrack.writing.write import APPENDED_KEYS

    every = Entry(date(2023, 6, 30), Decimal(1), total=True, done=True, note="n", source="s",
                  qualifier=ReadingQualifier.ABOUT, estimate=True, repeat=2, node="开工")
    keys = [line.split(" = ")[0] for line in entry_block(every).splitlines()[2:]]
    assert keys == [*APPENDED_KEYS, "date"]


NODES = NODE_PLAN  # a milestone with a node plan


def test_a_torn_append_marking_a_node_done_is_repaired(tmp_path):
    """A milestone's node entry cut short before its date (`done = true`, `node = "开工"`, no date)."""
    path = write(tmp_path / "project.toml", NODES)
    append_entries(path, tmp_path, [Entry(date(2024, 3, 20), done=True, node="开工")])
    full = path.read_bytes()
    cut = full.index(b"date = ")
    path.write_bytes(full[:cut])
    assert torn_tail(full[:cut], path, tmp_path) == len(NODES.encode())
