"""Commands that read: status, show, plans and export."""

import enum
import sys
from datetime import date
from typing import Annotated, Optional

import typer

from kpitrack.cli import app, load, report_problems, warn
from kpitrack.cli.complete import status_list, target_ids
from kpitrack.cli.reading import (AllOption, AsOf, ByOption, CsvEncoding, GroupOption, Language, OwnerOption,
                                  TableOrJson, TagOption, emit, encoded, page_language)
from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import _


class StatusFormat(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class ShowFormat(str, enum.Enum):
    table = "table"
    json = "json"
    html = "html"
    svg = "svg"


class SortKey(str, enum.Enum):
    id = "id"
    lag = "lag"
    due = "due"


@app.command()
def status(
    ctx: typer.Context,
    as_of: AsOf = None,
    tag: TagOption = None,
    group: GroupOption = None,
    owner: OwnerOption = None,
    every: AllOption = False,
    only: Annotated[Optional[str], typer.Option(
        "--status", metavar="LIST", autocompletion=status_list,
        help="Only targets with one of these statuses or verdicts, comma-separated, in either language "
             "(`behind,stale`, `滞后,红灯`, `missed`).")] = None,
    sort: Annotated[SortKey, typer.Option(help="Order within each folder.")] = SortKey.id,
    output: Annotated[StatusFormat, typer.Option("--format", help="How to print.")] = StatusFormat.table,
    tree: Annotated[bool, typer.Option("--tree", help="Show each parent with its parts indented below it.")] = False,
    wide: Annotated[bool, typer.Option("--wide", help="Also the last update, owner and full title.")] = False,
    by: ByOption = None,
    encoding: CsvEncoding = None,
    missing: Annotated[bool, typer.Option(
        "--missing", help="Only the targets with no figure dated in the last ended period of their cadence "
                          "(未报送: July as of 5 August for monthly ones), grouped by responsible unit.")] = False,
) -> None:
    """One row per target: current figure, completion, planned, lag and status.

    Example: kpitrack status --as-of 2023-12-31 --sort lag
    """
    from kpitrack.cli.checks import statuses_argument
    from kpitrack.reports.report import evaluate, ordered

    statuses, stale, _names = statuses_argument(only, "--status") if only else ((), False, [])
    as_of = as_of or date.today()
    workspace = load(ctx)
    items = ordered(evaluate(workspace, as_of, tag, group, statuses, stale, owner=owner, closed=every),
                    sort.value)
    if missing:
        print_missing(workspace, items, as_of, output.value, encoding)
    elif by is not None:
        from kpitrack.reports.report import owner_rows
        rows = owner_rows(items)
        if output is StatusFormat.json:
            from kpitrack.formats.machine import owners_json
            sys.stdout.write(owners_json(as_of, rows))
        elif output is StatusFormat.markdown:
            from kpitrack.formats.markdown import owners_markdown
            sys.stdout.write(owners_markdown(rows))
        elif output is StatusFormat.csv:
            raise typer.BadParameter(_("--by owner prints a table, JSON or Markdown"), param_hint="'--format'")
        else:
            from kpitrack.formats.terminal import make_console, owner_table
            make_console().print(owner_table(as_of, rows))
    elif output is StatusFormat.json:
        from kpitrack.formats.machine import status_json
        sys.stdout.write(status_json(as_of, items))
    elif output is StatusFormat.csv:
        from kpitrack.formats.machine import status_csv
        emit(encoded(status_csv(items), encoding))
    elif output is StatusFormat.markdown:
        from kpitrack.formats.markdown import status_markdown
        sys.stdout.write(status_markdown(as_of, items))
    elif items:
        from kpitrack.formats.terminal import make_console, status_table
        console = make_console()
        console.print(status_table(items, as_of, console.width, tree=tree, wide=wide), soft_wrap=True)
    elif not workspace.targets:
        warn(_("no targets in {root} yet: make one with `kpitrack new`").format(root=workspace.root))
    elif not every and group is None and evaluate(workspace, as_of, tag, group, statuses, stale, owner=owner):
        warn(_("no targets match in the open plans; the closed ones are left out: `--all` shows them"))
    else:
        warn(_("no targets match"))
    report_problems(workspace.problems)


def print_missing(workspace, items, as_of: date, output: str, encoding) -> None:
    """status --missing in the format asked for (the rows built once, in reports/chase.py)."""
    from kpitrack.formats import chase
    from kpitrack.reports.chase import missing_rows

    rows = missing_rows(workspace, items, as_of)
    if output == "json":
        sys.stdout.write(chase.missing_json(as_of, rows))
    elif output == "csv":
        emit(encoded(chase.missing_csv(rows), encoding))
    elif output == "markdown":
        sys.stdout.write(chase.missing_markdown(as_of, rows))
    elif rows:
        from kpitrack.formats.terminal import make_console
        make_console().print(chase.missing_table(as_of, rows))
    else:
        warn(chase.missing_nothing())


@app.command()
def show(
    ctx: typer.Context,
    target_id: Annotated[str, typer.Argument(metavar="ID", help="The target's id, or a fragment of its title.", autocompletion=target_ids)],
    as_of: AsOf = None,
    output: Annotated[ShowFormat, typer.Option(
        "--format", help="How to print: html is a page, svg the burn-up chart.")] = ShowFormat.table,
    every: Annotated[bool, typer.Option("--all", help="List every entry, not only the last 20.")] = False,
    lang: Annotated[Optional[Language], typer.Option("--lang", help="Language of the page's and chart's words.")] = None,
) -> None:
    """A target's definition, its figures, a burn-up chart and its entries.

    Example: kpitrack show sz23-affordable-housing --as-of 2023-12-31
    """
    from kpitrack.reports.report import assess
    from kpitrack.files.workspace import find_target_file

    workspace = load(ctx)  # a parent needs its parts
    others = workspace.by_id()
    if not target_id.isascii():  # a fragment of a title
        from kpitrack.files.workspace import find_target
        target_id = find_target(workspace.root, target_id).stem
    if target_id not in others:  # say why: no such id (with a close one), or the file's problem
        path = find_target_file(workspace.root, target_id)
        raise next((problem for problem in workspace.problems if problem.path == path),
                   KpitrackError(_("{id}: could not be read").format(id=target_id), path))
    target = others[target_id]
    result = assess(target, as_of or date.today(), workspace.settings_for(target), others)
    if output is ShowFormat.json:
        from kpitrack.formats.machine import show_json
        sys.stdout.write(show_json(target, result))
    elif output is ShowFormat.html:
        from kpitrack.formats.html import show_html
        sys.stdout.write(show_html(target, result, others, page_language(ctx, lang)))
    elif output is ShowFormat.svg:
        from kpitrack.formats.charts import burnup
        if target.kind.value == "milestone":
            raise KpitrackError(f"{target_id} is a milestone: it has no burn-up chart (try --format html)")
        sys.stdout.write(burnup(target, result, others, page_language(ctx, lang), small=False) + "\n")
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
    from kpitrack.reports.report import closed_groups, evaluate

    as_of = as_of or date.today()
    workspace = load(ctx)
    items = evaluate(workspace, as_of)
    closed = closed_groups(workspace, as_of)
    if output is TableOrJson.json:
        from kpitrack.formats.machine import plans_json
        sys.stdout.write(plans_json(as_of, items, workspace.plans, closed))
    else:
        from kpitrack.formats.terminal import make_console, plans_table
        make_console().print(plans_table(as_of, items, workspace.plans, closed))
    report_problems(workspace.problems)


class ExportFormat(str, enum.Enum):
    csv = "csv"
    json = "json"


@app.command()
def export(
    ctx: typer.Context,
    output: Annotated[ExportFormat, typer.Option("--format", help="How to print.")] = ExportFormat.csv,
    encoding: CsvEncoding = None,
) -> None:
    """Every entry of every target, one row each, for spreadsheets and pandas.

    Example: kpitrack export --format csv > entries.csv
    """
    from kpitrack.formats.machine import entries_csv, entries_json

    from kpitrack.reports.report import in_group

    workspace = load(ctx)
    targets = [target for target in workspace.targets if in_group(target.group, workspace.scope)]
    rows = (entries_json if output is ExportFormat.json else entries_csv)(targets)
    if encoding is None:
        write = sys.stdout.write
        for lines in rows:
            write(lines)  # each row as it is made: the whole text is never held
    else:  # for Excel on Chinese Windows: encoded whole, so a character it lacks stops before any output
        emit(encoded("".join(rows), encoding))
    report_problems(workspace.problems)
