"""Commands that read: status, show, plans and export."""

import enum
from datetime import date
from typing import Annotated, Optional

import typer

from kpitrack.cli import app, load, report_problems, warn
from kpitrack.cli.complete import status_list, target_ids
from kpitrack.cli.reading import (AllOption, AsOf, ByOption, CsvEncoding, GroupOption, Language, OwnerOption,
                                  TableOrJson, TagOption, page_language, rendered)
from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import N_, _


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
    from kpitrack.formats.registry import OWNER_FORMATS, STATUS_FORMATS
    from kpitrack.reports.reading import status_report

    if only:
        from kpitrack.cli.checks import statuses_argument

        statuses, stale = statuses_argument(only, "--status")[:2]
    else:
        statuses, stale = (), False
    as_of = as_of or date.today()
    if by is not None and output.value not in OWNER_FORMATS:
        raise typer.BadParameter(_("--by owner prints a table, JSON or Markdown"), param_hint="'--format'")
    workspace = load(ctx, entries=False)  # figures only: the index gives them
    built = status_report(workspace, as_of, tag, group, statuses, stale, owner, every, sort.value,
                          by_owner=by is not None, tree=tree, wide=wide)
    if missing:
        print_missing(workspace, built, output.value, encoding)
    elif by is not None:
        rendered(OWNER_FORMATS[output.value], built)
    elif built.items or output is not StatusFormat.table:
        rendered(STATUS_FORMATS[output.value], built, encoding=encoding)
    elif not workspace.targets:
        warn(_("no targets in {root} yet: make one with `kpitrack new`").format(root=workspace.root))
    elif not every and group is None and status_report(workspace, as_of, tag, group, statuses, stale, owner).items:
        warn(_("no targets match in the open plans; the closed ones are left out: `--all` shows them"))
    else:
        warn(_("no targets match"))
    report_problems(workspace.problems)


def print_missing(workspace, built, output: str, encoding) -> None:
    """status --missing in the format asked for (the rows built once, in reports/chase.py)."""
    from dataclasses import replace

    from kpitrack.formats.registry import MISSING_FORMATS
    from kpitrack.reports.chase import missing_rows

    built = replace(built, missing=tuple(missing_rows(workspace, list(built.items), built.as_of)))
    if built.missing or output != "table":
        rendered(MISSING_FORMATS[output], built, encoding=encoding)
    else:
        from kpitrack.formats.chase import missing_nothing

        warn(missing_nothing())


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
    from kpitrack.formats.registry import SHOW_FORMATS
    from kpitrack.reports.reading import show_report

    target = others[target_id]
    if output is ShowFormat.svg and target.kind.value == "milestone":
        raise KpitrackError(N_("{id} is a milestone: it has no burn-up chart (try --format html)"), id=target_id)
    built = show_report(workspace, target, as_of or date.today(), None if every else 20)
    chosen = SHOW_FORMATS[output.value]
    rendered(chosen, built, page_language(ctx, lang) if output in (ShowFormat.html, ShowFormat.svg) else None)


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
    from kpitrack.formats.registry import PLANS_FORMATS
    from kpitrack.reports.reading import plans_report

    workspace = load(ctx, entries=False)
    rendered(PLANS_FORMATS[output.value], plans_report(workspace, as_of or date.today()))
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
    from kpitrack.formats.registry import EXPORT_FORMATS
    from kpitrack.reports.reading import export_report

    workspace = load(ctx)
    rendered(EXPORT_FORMATS[output.value], export_report(workspace), encoding=encoding)
    report_problems(workspace.problems)
