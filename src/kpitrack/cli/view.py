"""Commands that read: status, show, plans and export."""

import enum
import sys
from datetime import date
from typing import Annotated, Optional

import typer

from kpitrack.cli import AsOf, TableOrJson, app, load, report_problems, warn
from kpitrack.errors import KpitrackError
from kpitrack.model import Status


class StatusFormat(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class SortKey(str, enum.Enum):
    id = "id"
    lag = "lag"
    due = "due"


@app.command()
def status(
    ctx: typer.Context,
    as_of: AsOf = None,
    tag: Annotated[Optional[str], typer.Option(help="Only targets with this tag.")] = None,
    group: Annotated[Optional[str], typer.Option(
        metavar="FOLDER", help="Only targets in this folder (and its sub-folders).")] = None,
    only: Annotated[Optional[Status], typer.Option("--status", help="Only targets with this status.")] = None,
    sort: Annotated[SortKey, typer.Option(help="Order within each folder.")] = SortKey.id,
    output: Annotated[StatusFormat, typer.Option("--format", help="How to print.")] = StatusFormat.table,
    tree: Annotated[bool, typer.Option("--tree", help="Show each parent with its parts indented below it.")] = False,
) -> None:
    """One row per target: current figure, completion, planned, lag and status.

    Example: kpitrack status --as-of 2023-12-31 --sort lag
    """
    from kpitrack.report import evaluate, ordered

    as_of = as_of or date.today()
    workspace = load(ctx)
    items = ordered(evaluate(workspace, as_of, tag, group, (only,) if only else ()), sort.value)
    if output is StatusFormat.json:
        from kpitrack.formats.machine import status_json
        sys.stdout.write(status_json(as_of, items))
    elif output is StatusFormat.csv:
        from kpitrack.formats.machine import status_csv
        sys.stdout.write(status_csv(items))
    elif output is StatusFormat.markdown:
        from kpitrack.formats.markdown import status_markdown
        sys.stdout.write(status_markdown(as_of, items))
    elif items:
        from kpitrack.formats.terminal import make_console, status_table
        console = make_console()
        console.print(status_table(items, as_of, console.width, tree=tree), soft_wrap=True)
    else:
        warn("no targets match" if workspace.targets else f"no targets in {workspace.root} yet: "
             "make one with `kpitrack new`")
    report_problems(workspace.problems)


@app.command()
def show(
    ctx: typer.Context,
    target_id: Annotated[str, typer.Argument(metavar="ID", help="The target's id.")],
    as_of: AsOf = None,
    output: Annotated[TableOrJson, typer.Option("--format", help="How to print.")] = TableOrJson.table,
    every: Annotated[bool, typer.Option("--all", help="List every entry, not only the last 20.")] = False,
) -> None:
    """A target's definition, its figures, a burn-up chart and its entries.

    Example: kpitrack show sz23-affordable-housing --as-of 2023-12-31
    """
    from kpitrack.compute import figures
    from kpitrack.workspace import find_target_file

    workspace = load(ctx)  # a parent needs its parts
    others = workspace.by_id()
    if target_id not in others:  # say why: no such id (with a close one), or the file's problem
        path = find_target_file(workspace.root, target_id)
        raise next((problem for problem in workspace.problems if problem.path == path),
                   KpitrackError(f"{target_id}: could not be read", path))
    target = others[target_id]
    result = figures(target, as_of or date.today(), workspace.settings, others)
    if output is TableOrJson.json:
        from kpitrack.formats.machine import show_json
        sys.stdout.write(show_json(target, result))
    else:
        from kpitrack.formats.show import show_renderables
        from kpitrack.formats.terminal import make_console
        console = make_console()
        for renderable in show_renderables(target, result, others, None if every else 20):
            console.print(renderable)


@app.command()
def plans(
    ctx: typer.Context,
    as_of: AsOf = None,
    output: Annotated[TableOrJson, typer.Option("--format", help="How to print.")] = TableOrJson.table,
) -> None:
    """One row per plan (folder): its targets by status, the share done and on track, and the
    pledge furthest behind.

    Example: kpitrack plans --as-of 2024-06-30
    """
    from kpitrack.report import evaluate

    as_of = as_of or date.today()
    workspace = load(ctx)
    items = evaluate(workspace, as_of)
    if output is TableOrJson.json:
        from kpitrack.formats.machine import plans_json
        sys.stdout.write(plans_json(as_of, items, workspace.plans))
    else:
        from kpitrack.formats.terminal import make_console, plans_table
        make_console().print(plans_table(as_of, items, workspace.plans))
    report_problems(workspace.problems)


class ExportFormat(str, enum.Enum):
    csv = "csv"
    json = "json"


@app.command()
def export(
    ctx: typer.Context,
    output: Annotated[ExportFormat, typer.Option("--format", help="How to print.")] = ExportFormat.csv,
) -> None:
    """Every entry of every target, one row each, for spreadsheets and pandas.

    Example: kpitrack export --format csv > entries.csv
    """
    from kpitrack.formats.machine import entries_csv, entries_json

    workspace = load(ctx)
    write = sys.stdout.write
    for lines in (entries_json if output is ExportFormat.json else entries_csv)(workspace.targets):
        write(lines)  # each row as it is made: the whole text is never held
    report_problems(workspace.problems)
