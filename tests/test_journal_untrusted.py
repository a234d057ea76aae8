"""Every file under `.kpitrack/` is read as untrusted (issue 23): the undo journal of the wrong shape,
naming a path outside the workspace, owned by another user or writable by others, is one clear error
naming it, exit 2, before anything is written; never a traceback. Synthetic targets only."""

import json
import os

import pytest

from helpers import TARGET_TOML, runner, write
from kpitrack.cli import app

JOURNAL = ".kpitrack/journal.json"
DIGEST = "0" * 64


def run(root, *args):
    return runner.invoke(app, ["--dir", str(root), *args])


def workspace(tmp_path):
    write(tmp_path / "ws" / "firms.toml", TARGET_TOML)
    write(tmp_path / "outside.txt", "precious\n")
    return tmp_path / "ws"


def record(**files):
    return {"time": "2099-01-01T00:00:00+00:00", "operation": "fix", "summary": "fix firms --date 2023-05-01",
            "files": [dict({"path": "firms.toml", "digest": DIGEST, "append": [0, 1]}, **files)]}


SHAPES = {
    "a list of numbers": [1],
    "an object": {"time": 5},
    "a record without files": [{"time": "2099-01-01T00:00:00+00:00", "operation": "add", "summary": "x"}],
    "a number for time": [dict(record(), time=5)],
    "files not a list": [dict(record(), files="firms.toml")],
    "a file not an object": [dict(record(), files=[1])],
    "a file without a path": [{"time": "2099-01-01T00:00:00+00:00", "operation": "add", "summary": "x",
                               "files": [{"digest": DIGEST, "append": [0, 1]}]}],
    "append of strings": [record(append=["a", "b"])],
    "append backwards": [record(append=[5, 1])],
    "a digest not hex": [record(digest=5)],
    "neither append nor before": [{"time": "2099-01-01T00:00:00+00:00", "operation": "add", "summary": "x",
                                   "files": [{"path": "firms.toml", "digest": DIGEST}]}],
    "a summary not text": [dict(record(), summary=["x"])],
    "not JSON": "{",
    "null": None,
    "an absolute path": [record(path=None)],  # filled in below
    "a path that climbs out": [record(path="../outside.txt")],
    "a before copy that climbs out": [{"time": "2099-01-01T00:00:00+00:00", "operation": "fix", "summary": "x",
                                       "files": [{"path": "firms.toml", "digest": DIGEST,
                                                  "before": "../../outside.txt"}]}],
    "a path through a link out": [record(path="out/outside.txt")],
}


def plant(tmp_path, name):
    root = workspace(tmp_path)
    shape = SHAPES[name]
    if name == "an absolute path":
        shape = [record(path=str(tmp_path / "outside.txt"))]
    if name == "a path through a link out":
        os.symlink(tmp_path, root / "out")
    (root / ".kpitrack").mkdir(mode=0o700)
    (root / JOURNAL).write_text(shape if isinstance(shape, str) else json.dumps(shape), encoding="utf-8")
    return root


def refused(result, root):
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "journal.json" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("name", SHAPES)
def test_undo_refuses_a_bad_journal_and_touches_nothing(tmp_path, name):
    root = plant(tmp_path, name)
    before = (root / "firms.toml").read_bytes()
    refused(run(root, "undo"), root)
    assert (root / "firms.toml").read_bytes() == before
    assert (tmp_path / "outside.txt").read_text() == "precious\n"


@pytest.mark.parametrize("name", SHAPES)
def test_add_refuses_a_bad_journal_before_appending(tmp_path, name):
    root = plant(tmp_path, name)
    before = (root / "firms.toml").read_bytes()
    refused(run(root, "add", "firms", "5", "--date", "2023-05-01"), root)
    assert (root / "firms.toml").read_bytes() == before


@pytest.mark.parametrize("name", ["an object", "a summary not text", "a path that climbs out"])
def test_fix_remove_import_and_report_since_refuse_a_bad_journal(tmp_path, name):
    root = plant(tmp_path, name)
    (root / "firms.toml").write_text(TARGET_TOML + "\n[[progress]]\nvalue = 5\ndate = 2023-05-01\n")
    write(tmp_path / "rows.csv", "id,date,value\nfirms,2023-06-01,7\n")
    before = (root / "firms.toml").read_bytes()
    for args in (["fix", "firms", "6", "--date", "2023-05-01"], ["remove", "firms", "--date", "2023-05-01"],
                 ["import", str(tmp_path / "rows.csv")],
                 ["report", "--since", "2023-01-01", "--as-of", "2023-06-30"]):
        refused(run(root, *args), root)
        assert (root / "firms.toml").read_bytes() == before, args


@pytest.mark.parametrize("mode", [0o666, 0o620])
def test_a_journal_others_can_write_is_refused(tmp_path, mode):
    root = workspace(tmp_path)
    assert run(root, "add", "firms", "5", "--date", "2023-05-01").exit_code == 0
    os.chmod(root / JOURNAL, mode)
    before = (root / "firms.toml").read_bytes()
    refused(run(root, "undo"), root)
    refused(run(root, "add", "firms", "6", "--date", "2023-05-02"), root)
    assert (root / "firms.toml").read_bytes() == before


def test_a_journal_of_another_user_is_refused(tmp_path, monkeypatch):
    root = workspace(tmp_path)
    assert run(root, "add", "firms", "5", "--date", "2023-05-01").exit_code == 0
    monkeypatch.setattr(os, "getuid", lambda: os.stat(root / JOURNAL).st_uid + 1)
    refused(run(root, "undo"), root)


def test_a_journal_that_is_a_link_is_refused(tmp_path):
    root = workspace(tmp_path)
    assert run(root, "add", "firms", "5", "--date", "2023-05-01").exit_code == 0
    os.replace(root / JOURNAL, tmp_path / "elsewhere.json")
    os.symlink(tmp_path / "elsewhere.json", root / JOURNAL)
    refused(run(root, "undo"), root)


def test_journal_records_name_their_targets(tmp_path):
    root = workspace(tmp_path)
    assert run(root, "add", "firms", "5", "--date", "2023-05-01").exit_code == 0
    assert json.loads((root / JOURNAL).read_text())[-1]["ids"] == ["firms"]
    assert run(root, "fix", "firms", "6", "--date", "2023-05-01").exit_code == 0
    assert json.loads((root / JOURNAL).read_text())[-1]["ids"] == ["firms"]
    assert run(root, "undo").exit_code == 0 and run(root, "undo").exit_code == 0
    assert (root / "firms.toml").read_text() == TARGET_TOML


def test_a_good_journal_still_undoes(tmp_path):
    root = workspace(tmp_path)
    assert run(root, "add", "firms", "5", "--date", "2023-05-01").exit_code == 0
    assert os.stat(root / JOURNAL).st_mode & 0o777 == 0o600
    result = run(root, "undo")
    assert result.exit_code == 0, result.output
    assert (root / "firms.toml").read_text() == TARGET_TOML


IMPORT_JOURNALS = {
    "a path that climbs out": {"import": "x.csv", "started": "2023", "files": [
        {"path": "../outside.txt", "size": 0, "append": "\n[[progress]]\nvalue = 1\ndate = 2023-05-01\n"}]},
    "an absolute path": {"import": "x.csv", "started": "2023", "files": [
        {"path": "/etc/passwd", "size": 0, "append": "x"}]},
    "a size that is text": {"import": "x.csv", "started": "2023", "files": [
        {"path": "firms.toml", "size": "0", "append": "x"}]},
    "a list": [1],
    "no files": {"import": "x.csv", "started": "2023", "files": []},
}


@pytest.mark.parametrize("name", IMPORT_JOURNALS)
def test_a_bad_import_journal_is_one_error_and_touches_nothing(tmp_path, name):
    root = workspace(tmp_path)
    (root / ".kpitrack").mkdir(mode=0o700)
    (root / ".kpitrack" / "import-journal.json").write_text(json.dumps(IMPORT_JOURNALS[name]))
    before = (root / "firms.toml").read_bytes()
    result = run(root, "status", "--as-of", "2023-06-30")
    assert result.exit_code == 2 and "import-journal.json" in result.output, result.output
    assert (root / "firms.toml").read_bytes() == before
    assert (tmp_path / "outside.txt").read_text() == "precious\n"


@pytest.mark.parametrize("saved", [[1], {"k": 5}, {"k": {"firms": {}}}, {"k": {"firms": {"status": "bogus"}}},
                                   {"k": {"firms": {"status": 5}}}])
def test_remembered_check_results_of_another_shape_are_as_none(tmp_path, saved):
    root = workspace(tmp_path)
    (root / ".kpitrack").mkdir(mode=0o700)
    path = root / ".kpitrack" / "check-changes.json"
    assert run(root, "check", "--changes", "--as-of", "2023-06-30").exit_code in (0, 1)
    key = next(iter(json.loads(path.read_text())))
    path.write_text(json.dumps({key: saved["k"]} if isinstance(saved, dict) else saved))
    result = run(root, "check", "--changes", "--as-of", "2023-06-30")
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


@pytest.mark.parametrize("name", SHAPES)
def test_the_reason_a_journal_is_refused_is_chinese_under_lang_zh(tmp_path, name):
    """Why the journal is refused is a sentence of the catalogue, not Python's or an English one
    (issue 22 item 4): under --lang zh no English word is left but the keys, paths and ids."""
    from test_zh_everywhere import english_words

    root = plant(tmp_path, name)
    result = runner.invoke(app, ["--lang", "zh", "--dir", str(root), "undo"])
    refused(result, root)
    text = result.output.replace(str(tmp_path), "")
    keys = {"time", "operation", "summary", "files", "ids", "digest", "fix", "add", "journal", "before"}
    assert not [word for word in english_words(text) if word not in keys], result.output
