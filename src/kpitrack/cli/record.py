"""Commands that write: init, new and import (add, the one run most often, has a module of its own)."""

from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from kpitrack.cli import (QuietOption, Wait, app, date_argument, figure_argument, load, option_named,
                          report_problems, root, say, waiting)
from kpitrack.cli.complete import folders, owners, tags
from kpitrack.cli.reading import text_encoding
from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import _, ngettext, npgettext
from kpitrack.domain.model import Direction, Kind, Qualifier


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(metavar="FOLDER", help="Folder to make (default: ./targets).")] = Path("targets"),
    git: Annotated[bool, typer.Option("--git", help="Also set up git's merge driver for the target files "
                                                    "(.gitattributes, and git config in this clone).")] = False,
    quiet: QuietOption = False,
) -> None:
    """Make a workspace with settings and a commented example target.

    Example: kpitrack init targets --git
    """
    from kpitrack.files.workspace import SETTINGS_FILE
    from kpitrack.writing.starter import git_files, init_workspace

    if not (git and (directory / SETTINGS_FILE).is_file()):  # --git on a workspace sets up git only
        for path in init_workspace(directory, date.today().year):
            if not quiet:
                say(_("wrote {file}").format(file=path))
    if git:
        from kpitrack.git.history import configure_driver, in_repository, this_driver

        for path in git_files(directory):
            say(_("wrote {file}").format(file=path))
        if in_repository(directory):
            configure_driver(directory)
            print(_("set merge.kpitrack.driver in this clone's git config"))
        else:
            print(_("not in a git repository yet: after `git init` (and in every clone) run") + "\n"
                  f"  git config merge.kpitrack.driver '{this_driver()}'")


@app.command()
def new(
    ctx: typer.Context,
    target_id: Annotated[str, typer.Argument(metavar="ID", help="File name of the target, e.g. sz23-housing.")],
    title: Annotated[str, typer.Option(help="What was pledged, in the document's words.")],
    start: Annotated[Optional[date], typer.Option(
        parser=date_argument, metavar="DATE", help="First day of the period (default: the plan's).")] = None,
    due: Annotated[Optional[date], typer.Option(
        parser=date_argument, metavar="DATE", help="Last day of the period (default: the plan's).")] = None,
    target: Annotated[Optional[str], typer.Option(
        metavar="NUMBER", help="The figure to reach (not for milestones).")] = None,
    unit: Annotated[str, typer.Option(help="Unit of the figures, e.g. 家, 亿元, km.")] = "",
    kind: Annotated[Optional[Kind], typer.Option(
        help="What the figures count (default: cumulative; level for a decrease target, whose figures are "
             "read as typed).")] = None,
    direction: Annotated[Direction, typer.Option(help="Whether the figure must rise or fall.")] = Direction.INCREASE,
    baseline: Annotated[Optional[str], typer.Option(
        metavar="NUMBER", help="Where the figure stands at start (default 0).")] = None,
    owner: Annotated[Optional[str], typer.Option(help="Who made the pledge.", autocompletion=owners)] = None,
    source: Annotated[Optional[str], typer.Option(help="Where it was pledged: document, date, link.")] = None,
    tag: Annotated[Optional[list[str]], typer.Option(help="A tag; repeat for more.", autocompletion=tags)] = None,
    stretch: Annotated[bool, typer.Option("--stretch", help="A 力争 (strive) pledge.")] = False,
    qualifier: Annotated[Optional[Qualifier], typer.Option(
        help="How the target is worded: over (超), at-least (以上), about (左右), at-most (以内).")] = None,
    tolerance: Annotated[Optional[str], typer.Option(
        metavar="NUMBER", help="For about: how far short still counts as done.")] = None,
    stretch_target: Annotated[Optional[str], typer.Option(
        metavar="NUMBER", help="The 力争 figure of a 确保X、力争Y pledge.")] = None,
    group: Annotated[str, typer.Option(metavar="FOLDER", help="Folder of the plan, e.g. shenzhen-2023.",
                                       autocompletion=folders)] = "",
    quiet: QuietOption = False,
) -> None:
    """Write a new target file; it is checked by the same rules as every file it reads.

    Example: kpitrack new housing --title "保障性住房" --target 5000 --unit 套 --start 2024-01-01 --due 2024-12-31
    """
    from kpitrack.writing.write import create_target

    if kind is None:  # 空置率 95.5 is a reading of the level, not a change of 95.5
        kind = Kind.LEVEL if direction is Direction.DECREASE else Kind.CUMULATIVE
    # 超1200, 6.0%左右: the pledge's wording typed with its figure is its qualifier, as --qualifier gives it
    from kpitrack.cli.add import typed_wording

    target, qualifier = typed_wording(target, qualifier, Qualifier, "--target", "--qualifier")
    # read in the target's unit, as add reads a figure: on 亿元 1500亿 and 1500亿元 are 1500
    target, baseline, tolerance, stretch_target = (
        figure_argument(text, unit, f"'{name}'") for text, name in (
            (target, "--target"), (baseline, "--baseline"), (tolerance, "--tolerance"),
            (stretch_target, "--stretch-target")))
    fields = dict(title=title, start=start, due=due, kind=kind.value, direction=direction.value, unit=unit,
                  target=target, baseline=baseline, owner=owner, source=source, tags=tag, stretch=stretch,
                  qualifier=qualifier.value if qualifier else None, tolerance=tolerance, stretch_target=stretch_target)
    options = ({key: f"--{key}" for key in (*fields, "group")} | {"tags": "--tag", "tag": "--tag"}
               | {"stretch_target": "--stretch-target"})
    try:
        path = create_target(root(ctx), target_id, group, fields)
    except KpitrackError as error:
        raise option_named(error, options) from None
    if not quiet:
        say(_("wrote {file}").format(file=path))


@app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(
        metavar="FILE", help="A .csv or .xlsx with columns id,date,value[,total][,note][,source] "
                             "(or 编号/指标, 日期/截至日期, 数值/完成值/累计完成, 是否累计, 备注, 来源); several "
                             "files, or a folder of returned ledgers, in one import.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List each row as it would land (new, revised or unchanged), count, write nothing.")] = False,
    quiet: QuietOption = False,
    encoding: Annotated[Optional[str], typer.Option(
        metavar="NAME", callback=text_encoding, help="The CSV file's encoding, e.g. gbk (default: UTF-8, else GBK; UTF-16 by its mark).")] = None,
    sheet: Annotated[Optional[str], typer.Option(
        metavar="NAME", help="The workbook's sheet to read (default: the first).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Import figures beyond the plausible bound (over 5× the target, or a total below the "
                        "one dated before it or above the one dated after it).")] = False,
    wait: Wait = None,
) -> None:
    """Add progress from a spreadsheet export: all rows or none; rows already recorded are skipped.

    Example: kpitrack import bulletin-2024-06.csv --dry-run
    """
    from kpitrack.writing.importer import apply_import, plan_import

    workspace = load(ctx)
    report_problems(workspace.problems)  # importing into a broken workspace could hide a mistake
    from kpitrack.cli import warn
    from kpitrack.writing.import_files import import_paths

    file, rows, problems, used, notes = import_paths(files, encoding, sheet)
    for note in notes:
        warn(note)
    plan = plan_import(workspace, file, rows, problems, used, force)
    report_problems(plan.problems, ngettext("{count} bad row; nothing was imported",
                                            "{count} bad rows; nothing was imported",
                                            len(plan.problems)).format(count=len(plan.problems)))
    from kpitrack.cli.import_echo import landing_lines, revision_lines

    if dry_run and not quiet:
        for line in landing_lines(workspace, plan):
            say(line)
    count = apply_import(workspace, plan, _(", ").join(path.name for path in files), waiting(wait)) \
        if not dry_run else plan.count
    if not dry_run and not quiet:
        for line in revision_lines(workspace, plan):
            say(line)
    revised = sum(len(items) for items in plan.revisions.values())
    summary = _("would add {entries} to {targets}; {skipped} already recorded, skipped") if dry_run else \
        _("added {entries} to {targets}; {skipped} already recorded, skipped")
    if not quiet:
        print(summary.format(entries=ngettext("{count} entry", "{count} entries", count).format(count=count),
                             targets=npgettext("import", "{count} target", "{count} targets", len(plan.additions)).format(
                             count=len(plan.additions)),
                             skipped=ngettext("{count} row", "{count} rows", plan.skipped + plan.count - count).format(
                                 count=plan.skipped + plan.count - count))
              + (ngettext("; {count} figure revised", "; {count} figures revised", revised).format(count=revised)
                 if revised else "")
              + (_(" (read as {encoding})").format(encoding=plan.encoding) if plan.encoding not in ("utf-8", "xlsx") else ""))
