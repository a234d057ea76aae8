"""kpitrack.cli switches Python's cyclic garbage collector off while typer is imported (a start-up
cost with no garbage to find), and leaves it as it found it."""

import subprocess
import sys


def collector_after_import(before: str) -> str:
    done = subprocess.run([sys.executable, "-c", f"import gc; {before}; import kpitrack.cli; print(gc.isenabled())"],
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_the_collector_is_on_again_once_the_command_line_is_imported():
    assert collector_after_import("gc.enable()") == "True"


def test_a_collector_switched_off_before_stays_off():
    assert collector_after_import("gc.disable()") == "False"
