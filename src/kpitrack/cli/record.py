"""Commands that write: init, new, add and import."""

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Optional

import typer

from kpitrack.cli import app, date_argument, load, option_named, report_problems, root, value_argument, warn
from kpitrack.errors import KpitrackError
from kpitrack.model import Direction, Kind


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder to make (default: ./targets).")] = Path("targets"),
) -> None:
    """Make a workspace with settings and a commented example target.

    Example: kpitrack init targets
    """
    from kpitrack.write import init_workspace

    for path in init_workspace(directory, date.today().year):
        print(f"wrote {path}")


@app.command()
def new(
    ctx: typer.Context,
    target_id: Annotated[str, typer.Argument(metavar="ID", help="File name of the target, e.g. sz23-housing.")],
    title: Annotated[str, typer.Option(help="What was pledged, in the document's words.")],
    start: Annotated[date, typer.Option(parser=date_argument, metavar="DATE", help="First day of the period.")],
    due: Annotated[date, typer.Option(parser=date_argument, metavar="DATE", help="Last day of the period.")],
    target: Annotated[Optional[Decimal], typer.Option(
        parser=value_argument, metavar="NUMBER", help="The figure to reach (not for milestones).")] = None,
    unit: Annotated[str, typer.Option(help="Unit of the figures, e.g. 家, 亿元, km.")] = "",
    kind: Annotated[Kind, typer.Option(help="What the figures count.")] = Kind.CUMULATIVE,
    direction: Annotated[Direction, typer.Option(help="Whether the figure must rise or fall.")] = Direction.INCREASE,
    baseline: Annotated[Optional[Decimal], typer.Option(
        parser=value_argument, metavar="NUMBER", help="Where the figure stands at start (default 0).")] = None,
    owner: Annotated[Optional[str], typer.Option(help="Who made the pledge.")] = None,
    source: Annotated[Optional[str], typer.Option(help="Where it was pledged: document, date, link.")] = None,
    tag: Annotated[Optional[list[str]], typer.Option(help="A tag; repeat for more.")] = None,
    stretch: Annotated[bool, typer.Option("--stretch", help="A 力争 (strive) pledge.")] = False,
    group: Annotated[str, typer.Option(metavar="FOLDER", help="Folder of the plan, e.g. shenzhen-2023.")] = "",
) -> None:
    """Write a new target file; it is checked by the same rules as every file it reads.

    Example: kpitrack new housing --title "保障性住房" --target 5000 --unit 套 --start 2024-01-01 --due 2024-12-31
    """
    from kpitrack.write import create_target

    fields = dict(title=title, start=start, due=due, kind=kind.value, direction=direction.value, unit=unit,
                  target=target, baseline=baseline, owner=owner, source=source, tags=tag, stretch=stretch)
    options = {key: f"--{key}" for key in (*fields, "group")} | {"tags": "--tag", "tag": "--tag"}
    try:
        path = create_target(root(ctx), target_id, group, fields)
    except KpitrackError as error:
        raise option_named(error, options) from None
    print(f"wrote {path}")


@app.command()
def add(
    ctx: typer.Context,
    target_id: Annotated[str, typer.Argument(metavar="ID", help="The target's id.")],
    value: Annotated[str, typer.Argument(
        metavar="VALUE", help="The figure: 310, 1,200, 18.5万, 2.5亿; `done` (or `undone`) for a milestone. "
                              "A negative figure goes after --: add ID -- -2.5")],
    on: Annotated[Optional[date], typer.Option(
        "--date", parser=date_argument, metavar="DATE", help="The date the figure refers to (default: today).")] = None,
    total: Annotated[bool, typer.Option(
        "--total", help="The value is a running total since start (年初至今累计), not an increment.")] = False,
    note: Annotated[Optional[str], typer.Option(help="A note, e.g. the bulletin it came from.")] = None,
    source: Annotated[Optional[str], typer.Option(help="Where the figure was published.")] = None,
) -> None:
    """Record progress on a target (appended to its file).

    Example: kpitrack add sz23-housing 21.5 --total --date 2023-12-31 --note "2023 outcome"
    """
    from kpitrack.model import Entry
    from kpitrack.parse import scale_clash
    from kpitrack.schema import entry_warnings
    from kpitrack.workspace import find_target_file
    from kpitrack.write import append_entry

    workspace_root = root(ctx)
    path = find_target_file(workspace_root, target_id)
    when = on or date.today()
    if value.strip().lower() in ("done", "undone"):
        entry = Entry(date=when, done=value.strip().lower() == "done", total=total, note=note, source=source)
    else:
        entry = Entry(date=when, value=value_argument(value, "'VALUE'"), total=total, note=note, source=source)
    try:
        appended = append_entry(path, workspace_root, entry, check=lambda target: scale_clash(value, target.unit))
    except KpitrackError as error:
        raise option_named(error, {"note": "--note", "source": "--source"}) from None
    for warning in entry_warnings(appended.target, entry):
        warn(warning)
    print(f"added to {path}: {value} on {when.isoformat()}" + (" (running total)" if total else ""))


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(
        metavar="FILE", help="A .csv or .xlsx with columns id,date,value[,total][,note][,source] "
                             "(or 编号/指标, 日期/截至日期, 数值/完成值/累计完成, 是否累计, 备注, 来源).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and count, write nothing.")] = False,
    encoding: Annotated[Optional[str], typer.Option(
        metavar="NAME", help="The CSV file's encoding, e.g. gbk (default: UTF-8, else GBK; UTF-16 by its mark).")] = None,
    sheet: Annotated[Optional[str], typer.Option(
        metavar="NAME", help="The workbook's sheet to read (default: the first).")] = None,
) -> None:
    """Add progress from a spreadsheet export: all rows or none; rows already recorded are skipped.

    Example: kpitrack import bulletin-2024-06.csv --dry-run
    """
    from kpitrack.importer import apply_import, plan_import, read_import

    workspace = load(ctx)
    report_problems(workspace.problems)  # importing into a broken workspace could hide a mistake
    rows, problems, used = read_import(file, encoding, sheet)
    plan = plan_import(workspace, file, rows, problems, used)
    report_problems(plan.problems, f"{len(plan.problems)} bad rows; nothing was imported")
    count = apply_import(workspace, plan) if not dry_run else plan.count
    verb = "would add" if dry_run else "added"
    print(f"{verb} {count} entries to {len(plan.additions)} targets; "
          f"{plan.skipped} rows already recorded, skipped"
          + (f" (read as {plan.encoding})" if plan.encoding not in ("utf-8", "xlsx") else ""))
