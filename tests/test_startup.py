"""Start-up: `add` and `--version` import only what they use (Rich only where a table is printed).
Each command runs in a fresh interpreter, which reports the modules it imported."""

import os
from pathlib import Path

import pytest

from helpers import modules_after

COMMAND_LINE = {"kpitrack", "kpitrack.cli", "kpitrack.cli.complete", "kpitrack.cli.speaking", "kpitrack.domain", "kpitrack.domain.errors",
                "kpitrack.words", "kpitrack.words.i18n"}  # the group and its options, the language: no command module (see cli.COMMANDS)
ADD = {"kpitrack.cli.add", "kpitrack.domain.model"}  # add's own module (not the other writing commands')
RECORDING = {"kpitrack.files", "kpitrack.writing", "kpitrack.domain.parse", "kpitrack.domain.units", "kpitrack.files.document", "kpitrack.files.fields", "kpitrack.files.schema", "kpitrack.files.names",
             "kpitrack.files.schema_kinds", "kpitrack.files.workspace", "kpitrack.files.state", "kpitrack.files.walk", "kpitrack.writing.lock", "kpitrack.writing.write", "kpitrack.writing.temporaries",
             "kpitrack.writing.journal", "kpitrack.files.digest", "kpitrack.files.entrycheck", "kpitrack.files.blocks", "kpitrack.files.fasttoml",
             "kpitrack.words.display", "kpitrack.domain.lights"}  # the door, the lock, the journal for undo
# (kpitrack.writing.writeahead, which recovers an interrupted import, only when its journal is there)
# json is the journals' format (undo, interrupted imports): small, and needed by add.
HEAVY = ("rich", "jinja2", "openpyxl", "docx", "matplotlib", "numpy", "sqlite3", "dateutil", "csv", "pickle")


def imported(tmp_path: Path, *arguments: str) -> set[str]:
    modules, done = modules_after(*arguments, env={**os.environ, "KPITRACK_DIR": ""})
    assert done.returncode == 0, done.stderr
    return modules


@pytest.fixture
def workspace(make_workspace):
    return make_workspace({"kpitrack.toml": "", "plan/firms.toml": """\
        # synthetic test target
        title = "synthetic: new firms"
        unit = "firms"
        target = 1200
        start = 2023-01-01
        due = 2023-12-31
        """})


def test_version_imports_only_the_command_line(tmp_path):
    modules = imported(tmp_path, "--version")
    assert {name for name in modules if name.startswith("kpitrack")} == COMMAND_LINE
    assert not {name for name in modules if name.split(".")[0] in (*HEAVY, "tomllib", "tomli_w")}


def test_add_imports_no_table_printing_and_no_report(tmp_path, workspace):
    modules = imported(tmp_path, "--dir", str(workspace), "add", "firms", "5", "--date", "2023-03-01")
    assert "5\n" in (workspace / "plan" / "firms.toml").read_text()
    ours = {name for name in modules if name.startswith("kpitrack")}
    assert "kpitrack.files.cache" not in ours and not {name for name in modules if name.startswith("sqlite3")}
    assert ours == COMMAND_LINE | ADD | RECORDING
    assert not {name for name in modules if name.split(".")[0] in HEAVY}


def test_add_of_a_plain_figure_loads_no_codec_or_library_it_does_not_use(tmp_path, workspace):
    modules = imported(tmp_path, "--dir", str(workspace), "add", "firms", "5", "--date", "2023-03-01")
    assert not {"unicodedata", "encodings.utf_8_sig"} & modules  # for full-width figures, a byte-order mark
    assert "tomllib" not in modules  # the files as kpitrack writes them are read by files.fasttoml


def test_add_imports_neither_the_cache_nor_the_figures(tmp_path, workspace):
    modules = imported(tmp_path, "--dir", str(workspace), "add", "firms", "5", "--date", "2023-03-01")
    assert not {"kpitrack.files.cache", "kpitrack.domain.compute"} & modules


def test_status_as_json_prints_no_table(tmp_path, workspace):
    modules = imported(tmp_path, "--dir", str(workspace), "status", "--format", "json", "--as-of", "2023-06-30")
    assert not {name for name in modules if name.split(".")[0] == "rich"}
    assert not {name for name in modules if name.startswith("kpitrack.writing.")}  # nothing to recover: no writing
    assert not {"csv", "kpitrack.cli.checks", "kpitrack.reports.series", "kpitrack.files.entrycheck"} & modules
    assert "kpitrack.formats.terminal" not in modules
