"""What `kpitrack init` writes: the settings, an example target, the editors' schemas, and the
git set-up (.gitattributes) for the merge driver."""

from __future__ import annotations

from pathlib import Path

from kpitrack.files.document import decode
from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import _
from kpitrack.files.workspace import SETTINGS_FILE
from kpitrack.writing.write import SCHEMA_FOLDER, make_folder, schema_line, write_file, write_new_file


def N_(message: str) -> str:
    """Marks a template for the catalogue (its Chinese has Chinese comments); translated when written."""
    return message


SETTINGS_TEMPLATE = N_("""\
# kpitrack workspace settings.
# Lag (planned % minus completion %, in points): from `yellow` on a target is "at-risk" (黄灯),
# from `red` on it is "behind" (红灯); less than `yellow` behind is "on-track" (绿灯).
yellow = 5
red = 15
# How the plan (序时进度) advances: "monthly" (months elapsed / months in the period, the official
# convention), "quarterly", "daily", or "none" (no calendar plan). A target may set its own.
schedule = "monthly"
# The interface language, "zh" or "en"; --lang and KPITRACK_LANG override it, and without any
# of them the locale decides.
# language = "zh"
# How often new figures are expected, for targets that set no `cadence` of their own:
# "weekly", "monthly", "quarterly", "yearly" or a number of days. Without it, nothing is stale.
# A figure a month is what offices expect.
cadence = "monthly"
# Days a figure may be late past its cadence before the target is flagged stale: the publication
# delay (January and February figures arrive together in March).
stale_grace_days = 45
# Days after a plan's last due date when it closes (check and status skip it): time for the
# full-year figures to be published. A plan.toml may say `closed = true` (or false) by hand.
close_after_days = 120
""")


EXAMPLE_TEMPLATE = N_("""\
# An example target: edit it, or delete it once you have your own.
# Each target is one file; its id is the file name. Folders group targets by plan.
title = "新增小升规工业企业"
title_en = "example: new above-scale industrial firms"
unit = "firms"
target = 1200
baseline = 0                # where the figure stood at start (optional, default 0)
start = {year}-01-01
due = {year}-12-31
kind = "cumulative"         # cumulative | level | milestone
direction = "increase"      # increase | decrease
owner = "Industry bureau"
source = "Where the pledge was made: document, date, link"
tags = ["industry"]

# Optional planned path; without checkpoints the plan is a straight line from start to due.
# [[checkpoint]]
# date = {year}-06-30
# value = 500

# Progress entries: `kpitrack add example 310 --date {year}-03-31` appends one like this.
# [[progress]]
# date = {year}-03-31
# value = 310
# note = "Q1 statistics bulletin"
""")


def init_workspace(folder: Path, year: int) -> list[Path]:
    """Make a workspace with settings, an example target and the editors' schemas; never
    overwrites a file."""
    from kpitrack.files.json_schema import SCHEMAS, rendered

    if (folder / SETTINGS_FILE).exists():
        raise KpitrackError(N_("{folder} is already a kpitrack workspace ({file} exists)"), folder=folder,
                            file=SETTINGS_FILE)
    make_folder(folder / SCHEMA_FOLDER)
    written = []
    for name in SCHEMAS:
        if not (folder / SCHEMA_FOLDER / name).exists():
            write_new_file(folder / SCHEMA_FOLDER / name, rendered(name))
            written.append(folder / SCHEMA_FOLDER / name)
    for name, text, schema in ((SETTINGS_FILE, _(SETTINGS_TEMPLATE), "settings.schema.json"),
                               ("example.toml", _(EXAMPLE_TEMPLATE).format(year=year), "target.schema.json")):
        if not (folder / name).exists():
            write_new_file(folder / name, schema_line(folder / name, folder, schema) + text)
            written.append(folder / name)
    return written


def gitattributes() -> str:
    """The .gitattributes kpitrack writes, its comments in the interface language."""
    comment = _("kpitrack: merge this workspace's files entry by entry, so that two offices adding entries to the\n"
                "same target do not conflict. Each clone also needs, once (git does not carry config):")
    return "".join(f"# {line}\n" for line in comment.splitlines()) + \
        '#   git config merge.kpitrack.driver "kpitrack merge-file %O %A %B %P"\n*.toml merge=kpitrack\n'


def git_files(folder: Path) -> list[Path]:
    """The workspace's `.gitattributes` (scoped to its own folder: its patterns match nothing
    outside it, such as a project's pyproject.toml); an existing one gets the line if it lacks it."""
    path = folder / ".gitattributes"
    if not path.exists():
        write_new_file(path, gitattributes())
        return [path]
    text = decode(path.read_bytes(), path)
    if "merge=kpitrack" in text:
        return []
    write_file(path, text + ("" if text.endswith("\n") or not text else "\n") + gitattributes())
    return [path]
