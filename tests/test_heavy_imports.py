"""Jinja2, openpyxl, python-docx and matplotlib load only in the commands that draw or read workbooks."""

import subprocess
import sys

import pytest

from helpers import modules_after

HEAVY = ("jinja2", "openpyxl", "docx", "matplotlib")


def loaded(*args, cwd):
    modules, done = modules_after(*args, cwd=cwd)
    assert "Traceback" not in done.stderr, done.stderr
    return " ".join(sorted(name for name in HEAVY if name in modules))


@pytest.mark.slow
def test_version_and_add_load_none_of_the_heavy_libraries(tmp_path):
    subprocess.run([sys.executable, "-m", "kpitrack", "init", "targets"], cwd=tmp_path, check=True,
                   capture_output=True)
    assert loaded("--version", cwd=tmp_path) == ""
    assert loaded("status", cwd=tmp_path) == ""
    assert loaded("add", "example", "1", "--date", "2020-01-01", cwd=tmp_path) == ""
    assert "date = 2020-01-01" in (tmp_path / "targets" / "example.toml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_html_report_does_load_them(tmp_path):
    """The check above can fail: the command that draws does load the chart library."""
    subprocess.run([sys.executable, "-m", "kpitrack", "init", "targets"], cwd=tmp_path, check=True,
                   capture_output=True)
    assert "jinja2" in loaded("report", "--format", "html", "--out", "r.html", cwd=tmp_path).split()
