import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # lets tests import helpers

# pytest-xdist's workers (`pytest -n auto`) set COLUMNS=80 and LINES=24 that the shell did not:
# drop them there, so that kpitrack sees the same environment with or without -n.
if os.environ.get("PYTEST_XDIST_WORKER"):
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)

# Every test, and every kpitrack it starts, uses a parse cache of its own, never the user's.
# KPITRACK_TEST_CACHE=off runs the suite with no cache, =damaged with one damaged from the start.
os.environ["KPITRACK_CACHE_DIR"] = tempfile.mkdtemp(prefix="kpitrack-test-cache-")
if os.environ.get("KPITRACK_TEST_CACHE") == "off":
    os.environ["KPITRACK_CACHE_DIR"] = "off"
elif os.environ.get("KPITRACK_TEST_CACHE") == "damaged":
    with open(os.path.join(os.environ["KPITRACK_CACHE_DIR"], "targets.sqlite3"), "wb") as damaged:
        damaged.write(b"SQLite format 3\0" + b"\xff" * 4000)


def pytest_configure(config):
    """A fast run (`-m "not slow"`) tries fewer hypothesis examples; the full suite tries them all."""
    import helpers
    from hypothesis import settings

    settings.register_profile("fast", max_examples=10, deadline=None)
    if "not slow" in (config.getoption("markexpr") or ""):
        helpers.FAST = True
        settings.load_profile("fast")


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current outputs (review the diff before committing)")


import textwrap  # noqa: E402

import pytest  # noqa: E402
from typer.testing import CliRunner  # noqa: E402


@pytest.fixture
def make_workspace(tmp_path):
    """A workspace from files given as text right where the test reads them (synthetic data):
    make_workspace({"plan/firms.toml": '''title = ...'''}) -> its root."""
    def make(files: dict[str, str], root: Path | None = None) -> Path:
        root = root or tmp_path / "ws"
        root.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root
    return make


@pytest.fixture
def cli():
    """Run kpitrack in-process on a workspace: cli(root, "status", "--as-of", "2023-06-30")."""
    runner = CliRunner()

    def run(root: Path, *arguments: str, **options):
        from kpitrack.cli import app

        return runner.invoke(app,
                             ["--dir", str(root), *arguments], **options)
    return run


@pytest.fixture
def plain_environment(monkeypatch):
    """No workspace, colour or width settings leak in from the shell running the tests."""
    for name in ("KPITRACK_DIR", "FORCE_COLOR", "COLUMNS", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def three_targets(tmp_path):
    """Synthetic: one target on track, one behind, one done, in two folders."""
    from helpers import TARGET_TOML, progress, write

    write(tmp_path / "plan" / "ahead.toml", TARGET_TOML + progress("2023-06-30", 700))
    write(tmp_path / "plan" / "slow.toml", TARGET_TOML.replace("新增", "") + progress("2023-06-30", 100))
    write(tmp_path / "other" / "finished.toml", TARGET_TOML + progress("2023-05-31", 1200))
    return tmp_path


@pytest.fixture(autouse=True)
def plain_settings():
    """Each test starts in English at two decimals: a command run in-process with --lang zh or a
    kpitrack.toml's `decimals` sets them for the process (words.i18n, words.display), and a later
    test on the same worker would otherwise read Chinese messages where it matches English ones."""
    from kpitrack.words.display import set_decimals
    from kpitrack.words.i18n import set_language

    set_language("en")
    set_decimals(2)
    yield


@pytest.fixture(autouse=True)
def windows_layer(request, monkeypatch):
    """KPITRACK_TEST_WINDOWS=1: every test under the Windows layer (tests/windows.py)."""
    if os.environ.get("KPITRACK_TEST_WINDOWS") == "1":
        if request.node.get_closest_marker("replaces_open_files"):
            pytest.skip("replaces a file while it is open, which Windows refuses (tests/windows.py)")
        from windows import as_on_windows  # noqa: E402

        request.getfixturevalue("tmp_path_factory").getbasetemp()  # pytest's own set-up asks for getuid
        as_on_windows(monkeypatch)
    yield
