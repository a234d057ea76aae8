"""Commands for routines and meetings: validate, check and report."""

import enum
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from kpitrack.errors import KpitrackError

from kpitrack.cli import AsOf, Wait, app, load, report_problems, say, waiting


@app.command()
def validate(
    ctx: typer.Context,
    repair: Annotated[bool, typer.Option(
        "--repair", help="Cut off a block that an interrupted write left torn at the end of a file, "
                         "keeping a copy of it in .kpitrack/repaired/.")] = False,
    wait: Wait = None,
) -> None:
    """Check every file of the workspace; each problem is printed as path:line: message.

    Example: kpitrack validate
    """
    from kpitrack.display import visible
    from kpitrack.report import workspace_warnings

    workspace = load(ctx)
    torn = _torn(workspace)
    if repair and torn:
        from kpitrack.repair import repair as cut_torn

        for path in torn:
            done = cut_torn(path, workspace.root, waiting(wait))
            if done:
                print(f"repaired {visible(str(done.path))}: cut off the torn block from line {done.line} "
                      f"({done.removed} bytes, kept in {visible(str(done.copy))})")
        workspace, torn = load(ctx), []
    for warning in workspace_warnings(workspace):
        print(visible(str(warning)), file=sys.stderr)
    count = len(workspace.targets)
    if workspace.problems:
        print(f"{count} targets valid, {len(workspace.problems)} with problems:", file=sys.stderr)
    else:
        print(f"{count} targets in {visible(str(workspace.root))}: all valid")
    report_problems(workspace.problems, f"{len(torn)} files end in a block torn by an interrupted write; "
                    "`kpitrack validate --repair` cuts it off, keeping a copy" if torn else None)


def _torn(workspace) -> list[Path]:
    """The files among the problems that end in a torn block."""
    from kpitrack.repair import torn_tail
    from kpitrack.workspace import read_bytes

    found = []
    for path in dict.fromkeys(problem.path for problem in workspace.problems if problem.path):
        try:
            if str(path).endswith(".toml") and torn_tail(read_bytes(Path(path)), Path(path), workspace.root) is not None:
                found.append(Path(path))
        except KpitrackError:
            pass
    return found


def statuses_argument(text: str) -> tuple:
    """`behind,overdue,stale` as (statuses, whether stale is asked for); a wrong word is a usage error."""
    from kpitrack.model import Status

    names = [name.strip() for name in text.split(",") if name.strip()]
    known = [status.value for status in Status] + ["stale"]
    for name in names:
        if name not in known:
            raise typer.BadParameter(f"{name!r} is not one of: {', '.join(known)}", param_hint="'--fail-on'")
    return tuple(Status(name) for name in names if name != "stale"), "stale" in names, names


@app.command()
def check(
    ctx: typer.Context,
    as_of: AsOf = None,
    fail_on: Annotated[str, typer.Option(
        metavar="LIST", help="Statuses that fail the check, comma-separated; `stale` too.")] = "behind,overdue",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing when all is well (for cron).")] = False,
) -> None:
    """Exit 1, listing them, when some target has a --fail-on status; 0 when none; 2 on bad data.

    Example: kpitrack check --fail-on behind,overdue,stale --quiet
    """
    from kpitrack.report import evaluate

    statuses, stale, names = statuses_argument(fail_on)
    as_of = as_of or date.today()
    workspace = load(ctx)
    flagged = evaluate(workspace, as_of, statuses=statuses, stale=stale)
    if flagged:
        from kpitrack.formats.terminal import check_lines
        sys.stdout.write(check_lines(flagged))
    elif not quiet:
        print(f"{len(workspace.targets)} targets as of {as_of.isoformat()}: none {' or '.join(names)}")
    report_problems(workspace.problems)
    if flagged:
        raise typer.Exit(1)


class ReportFormat(str, enum.Enum):
    markdown = "markdown"
    html = "html"
    svg = "svg"
    json = "json"
    csv = "csv"


@app.command()
def report(
    ctx: typer.Context,
    as_of: AsOf = None,
    output: Annotated[ReportFormat, typer.Option("--format", help="How to write it.")] = ReportFormat.markdown,
    out: Annotated[Optional[Path], typer.Option(
        "--out", metavar="FILE", help="Write to FILE (replaced whole, atomically) instead of stdout.")] = None,
) -> None:
    """The whole workspace for a meeting or an e-mail: per folder a summary and the table, then
    the targets needing attention with their last entries and the pace they need.

    Example: kpitrack report --as-of 2024-06-30 --format html --out report.html
    """
    from kpitrack.report import evaluate, ordered

    as_of = as_of or date.today()
    workspace = load(ctx)
    items = ordered(evaluate(workspace, as_of))
    if output is ReportFormat.markdown:
        from kpitrack.formats.markdown import report_markdown
        text = report_markdown(as_of, items, workspace.plans)
    elif output is ReportFormat.json:
        from kpitrack.formats.machine import report_json
        text = report_json(as_of, items)
    elif output is ReportFormat.csv:
        from kpitrack.formats.machine import status_csv
        text = status_csv(items)
    else:
        from kpitrack.formats.pages import exported, report_renderables
        from kpitrack.formats.terminal import WIDE
        text = exported(report_renderables(as_of, items, WIDE, workspace.plans), output.value)
    if out is None:
        sys.stdout.write(text)
    else:
        from kpitrack.write import write_file
        write_file(out, text)
        say(f"wrote {out}")
    report_problems(workspace.problems)
