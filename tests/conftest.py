import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # lets tests import helpers

# Every test, and every kpitrack it starts, uses a parse cache of its own, never the user's.
os.environ["KPITRACK_CACHE_DIR"] = tempfile.mkdtemp(prefix="kpitrack-test-cache-")


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current outputs (review the diff before committing)")
