"""The `kpitrack` command: parse arguments, call the store and compute, hand results to render."""

# No `from __future__ import annotations` here: typer would then evaluate every command's string
# annotations on each start, a fifth of the start-up time of `kpitrack add`.

import enum
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from kpitrack import __version__
from kpitrack.errors import KpitrackError


class Group(TyperGroup):
    """Every failure ends as one line on stderr: exit 2 for bad input or data."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            code = super().main(args, prog_name or "kpitrack", complete_var, standalone_mode=False, **extra)
        except KpitrackError as error:
            _fail(str(error))
        except typer.TyperException as error:  # usage errors: bad option, missing argument, bad value
            context = getattr(error, "ctx", None)
            hint = f" (see `{context.command_path} --help`)" if context else ""
            _fail(error.format_message() + hint, error.exit_code)
        except typer.Abort:
            _fail("aborted", 1)
        sys.exit(code or 0)


def _fail(message: str, code: int = 2) -> None:
    _warn(message)
    sys.exit(code)


def _warn(message: str) -> None:
    from kpitrack.render import visible  # messages may quote what a user typed or a file holds

    print(f"kpitrack: {visible(message)}", file=sys.stderr)


app = typer.Typer(
    cls=Group,
    name="kpitrack",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def main() -> None:
    import signal

    # Like other Unix tools, stop quietly when the reader of the output goes away (`| head`).
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    typer.main.get_command(app).main(prog_name="kpitrack")


# --- argument types ------------------------------------------------------------------------


def _date_argument(text: str | date) -> date:
    from kpitrack.parse import parse_date

    if isinstance(text, date):  # a default value, already parsed
        return text
    try:
        return parse_date(text)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def _value_argument(text: str | Decimal, name: str | None = None) -> Decimal:
    from kpitrack.parse import parse_value

    if isinstance(text, Decimal):  # a default value, already parsed
        return text
    try:
        return parse_value(text)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint=name) from None


class Format(str, enum.Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class ShowFormat(str, enum.Enum):
    table = "table"
    json = "json"


class SortKey(str, enum.Enum):
    id = "id"
    lag = "lag"
    due = "due"


AsOf = Annotated[Optional[date], typer.Option(
    "--as-of", parser=_date_argument, metavar="DATE",
    help="Compute as of the end of this day (default: today), e.g. 2023-06-30.")]


def _root(ctx: typer.Context) -> Path:
    from kpitrack.store import find_root

    return find_root(ctx.obj.get("dir"))


def _workspace(ctx: typer.Context):
    """Every target of the workspace, through the parse cache."""
    from kpitrack.store import cache_folder, load_workspace

    return load_workspace(_root(ctx), cache_folder())


def _version(value: bool) -> None:
    if value:
        print(f"kpitrack {__version__}")
        raise typer.Exit()


@app.callback()
def options(
    ctx: typer.Context,
    directory: Annotated[Optional[str], typer.Option(
        "--dir", metavar="PATH", help="The workspace folder (default: $KPITRACK_DIR, else ./targets).")] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Keep score of pledged policy targets: how much is done, and is it ahead of or behind the calendar?

    Example: kpitrack status --as-of 2023-12-31
    """
    ctx.obj = {"dir": directory}


# --- commands ------------------------------------------------------------------------------


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Folder to make (default: ./targets).")] = Path("targets"),
) -> None:
    """Make a workspace with settings and a commented example target.

    Example: kpitrack init targets
    """
    from kpitrack.store import init_workspace

    for path in init_workspace(directory, date.today().year):
        print(f"wrote {path}")


@app.command()
def new(
    ctx: typer.Context,
    target_id: Annotated[str, typer.Argument(metavar="ID", help="File name of the target, e.g. sz23-housing.")],
    title: Annotated[str, typer.Option(help="What was pledged, in the document's words.")],
    start: Annotated[date, typer.Option(parser=_date_argument, metavar="DATE", help="First day of the period.")],
    due: Annotated[date, typer.Option(parser=_date_argument, metavar="DATE", help="Last day of the period.")],
    target: Annotated[Optional[Decimal], typer.Option(
        parser=_value_argument, metavar="NUMBER", help="The figure to reach (not for milestones).")] = None,
    unit: Annotated[str, typer.Option(help="Unit of the figures, e.g. 家, 亿元, km.")] = "",
    kind: Annotated[str, typer.Option(help="cumulative, level or milestone.")] = "cumulative",
    direction: Annotated[str, typer.Option(help="increase or decrease.")] = "increase",
    baseline: Annotated[Decimal, typer.Option(
        parser=_value_argument, metavar="NUMBER", help="Where the figure stands at start.")] = Decimal(0),
    owner: Annotated[Optional[str], typer.Option(help="Who made the pledge.")] = None,
    source: Annotated[Optional[str], typer.Option(help="Where it was pledged: document, date, link.")] = None,
    tag: Annotated[Optional[list[str]], typer.Option(help="A tag; repeat for more.")] = None,
    stretch: Annotated[bool, typer.Option("--stretch", help="A 力争 (strive) pledge.")] = False,
    group: Annotated[str, typer.Option(metavar="FOLDER", help="Folder of the plan, e.g. shenzhen-2023.")] = "",
) -> None:
    """Write a new target file.

    Example: kpitrack new housing --title "保障性住房" --target 5000 --unit 套 --start 2024-01-01 --due 2024-12-31
    """
    from kpitrack.model import Direction, Kind, Target
    from kpitrack.store import create_target

    kinds, directions = [k.value for k in Kind], [d.value for d in Direction]
    if kind not in kinds:
        raise typer.BadParameter(f"{kind!r} is not one of: {', '.join(kinds)}", param_hint="--kind")
    if direction not in directions:
        raise typer.BadParameter(f"{direction!r} is not one of: {', '.join(directions)}", param_hint="--direction")
    if due < start:
        raise typer.BadParameter(f"due {due} is before start {start}", param_hint="--due")
    if (target is None) != (kind == Kind.MILESTONE.value):
        raise typer.BadParameter("give --target for a figure; leave it out for a milestone", param_hint="--target")
    fields = dict(id=target_id, title=title, start=start, due=due, kind=Kind(kind), direction=Direction(direction),
                  unit=unit, owner=owner, source=source, tags=tuple(tag or ()), stretch=stretch, group=group)
    if target is not None:
        fields.update(target=target, baseline=baseline)
    path = create_target(_root(ctx), Target(**fields))
    print(f"wrote {path}")


@app.command()
def add(
    ctx: typer.Context,
    target_id: Annotated[str, typer.Argument(metavar="ID", help="The target's id.")],
    value: Annotated[str, typer.Argument(
        metavar="VALUE", help="The figure: 310, 1,200, 18.5万, 2.5亿; `done` (or `undone`) for a milestone. "
                              "A negative figure goes after --: add ID -- -2.5")],
    on: Annotated[Optional[date], typer.Option(
        "--date", parser=_date_argument, metavar="DATE", help="The date the figure refers to (default: today).")] = None,
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
    from kpitrack.store import append_entry, entry_warnings, find_target_file

    root = _root(ctx)
    path = find_target_file(root, target_id)
    when = on or date.today()
    if value.strip().lower() in ("done", "undone"):
        entry = Entry(date=when, done=value.strip().lower() == "done", total=total, note=note, source=source)
    else:
        entry = Entry(date=when, value=_value_argument(value, "'VALUE'"), total=total, note=note, source=source)
    appended = append_entry(path, root, entry, check=lambda target: scale_clash(value, target.unit))
    for warning in entry_warnings(appended.target, entry):
        _warn(warning)
    print(f"added to {path}: {value} on {when.isoformat()}" + (" (running total)" if total else ""))


@app.command()
def status(
    ctx: typer.Context,
    as_of: AsOf = None,
    tag: Annotated[Optional[str], typer.Option(help="Only targets with this tag.")] = None,
    group: Annotated[Optional[str], typer.Option(
        metavar="FOLDER", help="Only targets in this folder (and its sub-folders).")] = None,
    only: Annotated[Optional[str], typer.Option(
        "--status", metavar="STATUS", help="Only targets with this status: done, on-track, at-risk, behind, "
                                           "overdue, not-started.")] = None,
    sort: Annotated[SortKey, typer.Option(help="Order within each folder.")] = SortKey.id,
    output: Annotated[Format, typer.Option("--format", help="table, json, csv or markdown.")] = Format.table,
    tree: Annotated[bool, typer.Option("--tree", help="Show each parent with its parts indented below it.")] = False,
) -> None:
    """One row per target: current figure, completion, planned, lag and status.

    Example: kpitrack status --as-of 2023-12-31 --sort lag
    """
    from kpitrack import render
    from kpitrack.model import Status

    if only is not None and only not in [s.value for s in Status]:
        raise typer.BadParameter(f"{only!r} is not one of: {', '.join(s.value for s in Status)}",
                                 param_hint="--status")
    as_of = as_of or date.today()
    workspace = _workspace(ctx)
    items = [item for item in _evaluate(workspace, as_of, tag, group) if only is None or item[1].status.value == only]
    items.sort(key=_sort_key(sort))
    if output is Format.json:
        sys.stdout.write(render.status_json(as_of, items))
    elif output is Format.csv:
        sys.stdout.write(render.status_csv(items))
    elif output is Format.markdown:
        sys.stdout.write(render.status_markdown(as_of, items))
    elif items:
        console = render.make_console()
        console.print(render.status_table(items, as_of, console.width, tree=tree), soft_wrap=True)
    else:
        _warn("no targets match" if workspace.targets else f"no targets in {workspace.root} yet: "
              "make one with `kpitrack new`")
    _report_problems(workspace.problems)


def _evaluate(workspace, as_of: date, tag: str | None = None, group: str | None = None) -> list:
    """(target, figures) of every target of the workspace that passes the filters."""
    from kpitrack.compute import figures

    others = workspace.by_id()
    return [(target, figures(target, as_of, workspace.settings, others)) for target in workspace.targets
            if (tag is None or tag in target.tags) and (group is None or _in_group(target.group, group))]


def _in_group(target_group: str, wanted: str) -> bool:
    wanted = wanted.strip("/")
    return target_group == wanted or target_group.startswith(wanted + "/")


def _sort_key(sort: SortKey):
    def key(item):
        target, figures = item
        if sort is SortKey.lag:  # most behind first; targets without a lag last
            return (target.group, figures.lag is None, -(figures.lag or 0), target.id)
        if sort is SortKey.due:
            return (target.group, target.due, target.id)
        return (target.group, target.id)
    return key


def _report_problems(problems: list[KpitrackError], closing: str | None = None) -> None:
    """Broken files do not hide the rest: list them after the output, then exit 2."""
    from kpitrack.render import visible

    for problem in problems:
        print(visible(str(problem)), file=sys.stderr)
    if problems:
        if closing:
            _warn(closing)
        raise typer.Exit(2)


@app.command()
def show(
    ctx: typer.Context,
    target_id: Annotated[str, typer.Argument(metavar="ID", help="The target's id.")],
    as_of: AsOf = None,
    output: Annotated[ShowFormat, typer.Option("--format", help="table or json.")] = ShowFormat.table,
    every: Annotated[bool, typer.Option("--all", help="List every entry, not only the last 20.")] = False,
) -> None:
    """A target's definition, its figures, a burn-up chart and its entries.

    Example: kpitrack show sz23-affordable-housing --as-of 2023-12-31
    """
    from kpitrack import render
    from kpitrack.compute import figures
    from kpitrack.store import find_target_file

    workspace = _workspace(ctx)  # a parent needs its parts
    others = workspace.by_id()
    if target_id not in others:  # say why: no such id (with a close one), or the file's problem
        path = find_target_file(workspace.root, target_id)
        raise next((problem for problem in workspace.problems if problem.path == path),
                   KpitrackError(f"{target_id}: could not be read", path))
    target = others[target_id]
    result = figures(target, as_of or date.today(), workspace.settings, others)
    if output is ShowFormat.json:
        sys.stdout.write(render.show_json(target, result))
    else:
        console = render.make_console()
        for renderable in render.show_renderables(target, result, others, None if every else 20):
            console.print(renderable)


@app.command()
def validate(ctx: typer.Context) -> None:
    """Check every file of the workspace; each problem is printed as path:line: message.

    Example: kpitrack validate
    """
    from kpitrack.compute import disagreements
    from kpitrack.render import visible
    from kpitrack.store import target_warnings

    workspace = _workspace(ctx)
    others = workspace.by_id()
    for target in workspace.targets:
        for warning in target_warnings(target):
            print(visible(str(warning)), file=sys.stderr)
        for entry, own, summed in disagreements(target, others):
            print(visible(f"{target.path}:{entry.line}: warning: {own} on {entry.date}, but its parts add up "
                          f"to {summed}"), file=sys.stderr)
    count = len(workspace.targets)
    if workspace.problems:
        print(f"{count} targets valid, {len(workspace.problems)} with problems:", file=sys.stderr)
    else:
        print(f"{count} targets in {workspace.root}: all valid")
    _report_problems(workspace.problems)


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
    from kpitrack import render
    from kpitrack.compute import is_flagged
    from kpitrack.model import Status

    names = [name.strip() for name in fail_on.split(",") if name.strip()]
    known = [status.value for status in Status] + ["stale"]
    for name in names:
        if name not in known:
            raise typer.BadParameter(f"{name!r} is not one of: {', '.join(known)}", param_hint="'--fail-on'")
    statuses = tuple(Status(name) for name in names if name != "stale")
    as_of = as_of or date.today()
    workspace = _workspace(ctx)
    flagged = [item for item in _evaluate(workspace, as_of) if is_flagged(item[1], statuses, "stale" in names)]
    if flagged:
        sys.stdout.write(render.check_lines(flagged))
    elif not quiet:
        print(f"{len(workspace.targets)} targets as of {as_of.isoformat()}: none {' or '.join(names)}")
    _report_problems(workspace.problems)
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
    output: Annotated[ReportFormat, typer.Option("--format", help="markdown, html, svg, json or csv.")]
    = ReportFormat.markdown,
    out: Annotated[Optional[Path], typer.Option(
        "--out", metavar="FILE", help="Write to FILE (replaced whole, atomically) instead of stdout.")] = None,
) -> None:
    """The whole workspace for a meeting or an e-mail: per folder a summary and the table, then
    the targets needing attention with their last entries and the pace they need.

    Example: kpitrack report --as-of 2024-06-30 --format html --out report.html
    """
    from kpitrack import render
    from kpitrack.store import write_file

    as_of = as_of or date.today()
    workspace = _workspace(ctx)
    items = sorted(_evaluate(workspace, as_of), key=_sort_key(SortKey.id))
    if output is ReportFormat.markdown:
        text = render.report_markdown(as_of, items, workspace.plans)
    elif output is ReportFormat.json:
        text = render.report_json(as_of, items)
    elif output is ReportFormat.csv:
        text = render.status_csv(items)
    else:
        text = render.exported(render.report_renderables(as_of, items, render.WIDE, workspace.plans), output.value)
    if out is None:
        sys.stdout.write(text)
    else:
        write_file(out, text)
        print(f"wrote {out}")
    _report_problems(workspace.problems)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE.csv", help="Columns id,date,value[,total][,note][,source].")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and count, write nothing.")] = False,
    encoding: Annotated[Optional[str], typer.Option(
        metavar="NAME", help="The file's encoding, e.g. gbk (default: UTF-8, else GBK).")] = None,
) -> None:
    """Add progress from a spreadsheet export: all rows or none; rows already recorded are skipped.

    Example: kpitrack import bulletin-2024-06.csv --dry-run
    """
    from kpitrack.store import apply_import, plan_import, read_import

    workspace = _workspace(ctx)
    _report_problems(workspace.problems)  # importing into a broken workspace could hide a mistake
    rows, problems, used = read_import(file, encoding)
    plan = plan_import(workspace, file, rows, problems, used)
    _report_problems(plan.problems, f"{len(plan.problems)} bad rows; nothing was imported")
    count = apply_import(workspace, plan) if not dry_run else plan.count
    verb = "would add" if dry_run else "added"
    print(f"{verb} {count} entries to {len(plan.additions)} targets; "
          f"{plan.skipped} rows already recorded, skipped" + (f" (read as {plan.encoding})" if plan.encoding != "utf-8" else ""))


class ExportFormat(str, enum.Enum):
    csv = "csv"
    json = "json"


@app.command()
def export(
    ctx: typer.Context,
    output: Annotated[ExportFormat, typer.Option("--format", help="csv or json.")] = ExportFormat.csv,
) -> None:
    """Every entry of every target, one row each, for spreadsheets and pandas.

    Example: kpitrack export --format csv > entries.csv
    """
    from kpitrack import render

    workspace = _workspace(ctx)
    render_entries = render.entries_json if output is ExportFormat.json else render.entries_csv
    sys.stdout.write(render_entries(workspace.targets))
    _report_problems(workspace.problems)


@app.command()
def plans(
    ctx: typer.Context,
    as_of: AsOf = None,
    output: Annotated[ShowFormat, typer.Option("--format", help="table or json.")] = ShowFormat.table,
) -> None:
    """One row per plan (folder): its targets by status, the share done and on track, and the
    pledge furthest behind.

    Example: kpitrack plans --as-of 2024-06-30
    """
    from kpitrack import render

    as_of = as_of or date.today()
    workspace = _workspace(ctx)
    items = _evaluate(workspace, as_of)
    if output is ShowFormat.json:
        sys.stdout.write(render.plans_json(as_of, items, workspace.plans))
    else:
        render.make_console().print(render.plans_table(as_of, items, workspace.plans))
    _report_problems(workspace.problems)
