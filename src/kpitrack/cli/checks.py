"""Commands for routines and meetings: validate, check and report."""

import enum
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from kpitrack.cli import AsOf, CsvEncoding, Language, app, emit, encoded, load, report_problems


@app.command()
def validate(ctx: typer.Context) -> None:
    """Check every file of the workspace; each problem is printed as path:line: message.

    Example: kpitrack validate
    """
    from kpitrack.display import visible
    from kpitrack.report import workspace_warnings

    workspace = load(ctx)
    for warning in workspace_warnings(workspace):
        print(visible(str(warning)), file=sys.stderr)
    count = len(workspace.targets)
    if workspace.problems:
        print(f"{count} targets valid, {len(workspace.problems)} with problems:", file=sys.stderr)
    else:
        print(f"{count} targets in {workspace.root}: all valid")
    report_problems(workspace.problems)


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
    xlsx = "xlsx"
    docx = "docx"


BINARY = (ReportFormat.xlsx, ReportFormat.docx)


@app.command()
def report(
    ctx: typer.Context,
    as_of: AsOf = None,
    output: Annotated[ReportFormat, typer.Option("--format", help="How to write it.")] = ReportFormat.markdown,
    out: Annotated[Optional[Path], typer.Option(
        "--out", metavar="FILE", help="Write to FILE (replaced whole, atomically) instead of stdout; "
                                      "needed for xlsx and docx.")] = None,
    group: Annotated[Optional[str], typer.Option(
        metavar="FOLDER", help="Only this plan's folder (and its sub-folders).")] = None,
    lang: Annotated[Optional[Language], typer.Option(
        "--lang", help="Language of the words (default: en; zh for the xlsx ledger, the office's form).")] = None,
    encoding: CsvEncoding = None,
) -> None:
    """The whole workspace for a meeting or an e-mail: per folder a summary and the table, then
    the targets needing attention with their last entries and the pace they need.

    Example: kpitrack report --as-of 2024-06-30 --format html --out report.html
    """
    from kpitrack.report import by_group, evaluate, ordered

    if output in BINARY and out is None:
        raise typer.BadParameter(f"--format {output.value} writes a file: add --out FILE.{output.value}",
                                 param_hint="'--out'")
    as_of = as_of or date.today()
    workspace = load(ctx)
    items = ordered(evaluate(workspace, as_of, group=group))
    words = (lang or Language.en).value
    text: str | bytes
    if output is ReportFormat.markdown:
        from kpitrack.formats.markdown import report_markdown
        text = report_markdown(as_of, items, workspace.plans)
    elif output is ReportFormat.json:
        from kpitrack.formats.machine import report_json
        text = report_json(as_of, items)
    elif output is ReportFormat.csv:
        from kpitrack.formats.machine import status_csv
        text = encoded(status_csv(items), encoding)
    elif output is ReportFormat.html:
        from kpitrack.formats.html import report_html
        text = report_html(as_of, items, workspace.plans, workspace.by_id(), words)
    elif output is ReportFormat.svg:
        from kpitrack.display import group_label
        from kpitrack.formats.charts import plan_bars
        text = plan_bars([(group_label(name, workspace.plans), members) for name, members in by_group(items)],
                         words) + "\n"
    elif output is ReportFormat.xlsx:
        from kpitrack.formats.workbook import ledger_workbook
        text = ledger_workbook(items, workspace.plans, (lang or Language.zh).value)
    else:
        from kpitrack.formats.docx_report import report_docx
        text = report_docx(as_of, items, workspace.plans, words)
    if out is None:
        emit(text)
    else:
        from kpitrack.write import write_file
        write_file(out, text)
        print(f"wrote {out}")
    report_problems(workspace.problems)
