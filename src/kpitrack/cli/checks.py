"""Commands for routines and meetings: validate, check and report."""

import enum
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from kpitrack.cli import AsOf, app, load, report_problems
from kpitrack.cli.complete import status_list
from kpitrack.i18n import _, ngettext


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
        print(ngettext("{count} target valid, {problems} with problems:",
                       "{count} targets valid, {problems} with problems:", count).format(
            count=count, problems=len(workspace.problems)), file=sys.stderr)
    else:
        print(ngettext("{count} target in {root}: all valid", "{count} targets in {root}: all valid", count).format(
            count=count, root=workspace.root))
    report_problems(workspace.problems)


def statuses_argument(text: str, option: str = "--fail-on") -> tuple:
    """`behind,overdue,stale` (or `严重滞后,红灯,数据过期`: either language, lights too) as (statuses,
    whether stale is asked for, the words as typed); a word naming no status is a usage error."""
    from kpitrack.display import typed_status
    from kpitrack.model import Status, Verdict

    names = [name.strip() for name in text.replace("，", ",").split(",") if name.strip()]
    codes = []
    for name in names:
        code = typed_status(name)
        if code is None:
            known = [status.value for status in Status] + [verdict.value for verdict in Verdict] + ["stale"]
            raise typer.BadParameter(_("{value!r} is not one of: {choices}").format(
                value=name, choices=", ".join(known)), param_hint=f"'{option}'")
        codes.append(code)
    chosen = tuple(Status(code) if code in Status._value2member_map_ else Verdict(code)
                   for code in codes if code != "stale")
    return chosen, "stale" in codes, names


@app.command()
def check(
    ctx: typer.Context,
    as_of: AsOf = None,
    fail_on: Annotated[str, typer.Option(
        metavar="LIST", help="Statuses that fail the check, comma-separated; `stale` too.",
        autocompletion=status_list)] = "behind,overdue",
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
        from kpitrack.formats.terminal import as_of_words
        print(ngettext("{count} target {as_of}: none {statuses}", "{count} targets {as_of}: none {statuses}",
                       len(workspace.targets)).format(count=len(workspace.targets), as_of=as_of_words(as_of),
                                                      statuses=_(" or ").join(shown_words(names))))
    report_problems(workspace.problems)
    if flagged:
        raise typer.Exit(1)


def shown_words(names: list[str]) -> list[str]:
    """Typed status words as the interface says them (`红灯` in English: `behind`)."""
    from kpitrack.display import STALE, status_word, typed_status
    from kpitrack.model import Status

    return [_(STALE) if code == "stale" else status_word(Status(code)) for code in map(typed_status, names)]


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
        text = exported(report_renderables(as_of, items, 120, workspace.plans), output.value)
    if out is None:
        sys.stdout.write(text)
    else:
        from kpitrack.write import write_file
        write_file(out, text)
        print(_("wrote {file}").format(file=out))
    report_problems(workspace.problems)
