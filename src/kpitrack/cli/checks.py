"""Commands for routines and meetings: validate, check and report."""

import enum
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from kpitrack.cli import QuietOption, Wait, app, date_argument, load, report_problems, waiting
from kpitrack.cli.complete import status_list
from kpitrack.cli.reading import (AllOption, AsOf, ByOption, CsvEncoding, GroupOption, Language, OwnerOption,
                                  TagOption, emit, encoded, page_language)
from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import _, ngettext


@app.command()
def validate(
    ctx: typer.Context,
    repair: Annotated[bool, typer.Option(
        "--repair", help="Cut off a block that an interrupted write left torn at the end of a file, "
                         "keeping a copy of it in .kpitrack/repaired/.")] = False,
    wait: Wait = None,
    quiet: QuietOption = False,
) -> None:
    """Check every file of the workspace; each problem is printed as path:line: message.

    Example: kpitrack validate
    """
    from kpitrack.words.display import visible
    from kpitrack.reports.report import workspace_warnings

    workspace = load(ctx, quiet)
    torn = _torn(workspace)
    if repair and torn:
        from kpitrack.writing.repair import repair as cut_torn

        for path in torn:
            done = cut_torn(path, workspace.root, waiting(wait))
            if done:
                print(_("repaired {file}: cut off the torn block from line {line} ({bytes} bytes, kept in {copy})")
                      .format(file=visible(str(done.path)), line=done.line, bytes=done.removed,
                              copy=visible(str(done.copy))))
        workspace = load(ctx)
        torn = _torn(workspace)  # what is still torn after the repair
    for warning in workspace_warnings(workspace):
        print(visible(str(warning)), file=sys.stderr)
    count = len(workspace.targets)
    if workspace.problems:
        print(ngettext("{count} target valid, {problems} with problems:",
                       "{count} targets valid, {problems} with problems:", count).format(
            count=count, problems=len(workspace.problems)), file=sys.stderr)
    elif not quiet:
        print(ngettext("{count} target in {root}: all valid", "{count} targets in {root}: all valid", count).format(
            count=count, root=visible(str(workspace.root))))
    report_problems(workspace.problems, ngettext(
        "{count} file ends in a block torn by an interrupted write; `kpitrack validate --repair` cuts it off, "
        "keeping a copy",
        "{count} files end in a block torn by an interrupted write; `kpitrack validate --repair` cuts it off, "
        "keeping a copy", len(torn)).format(count=len(torn)) if torn else None)


def _torn(workspace) -> list[Path]:
    """The files among the problems that end in a torn block."""
    from kpitrack.writing.repair import torn_tail
    from kpitrack.files.workspace import read_bytes

    found = []
    for path in dict.fromkeys(problem.path for problem in workspace.problems if problem.path):
        try:
            if str(path).endswith(".toml") and torn_tail(read_bytes(Path(path)), Path(path), workspace.root) is not None:
                found.append(Path(path))
        except KpitrackError:
            pass
    return found


def statuses_argument(text: str, option: str = "--fail-on") -> tuple:
    """`behind,overdue,stale` (or `严重滞后,红灯,数据过期`: either language, lights too) as (statuses,
    whether stale is asked for, the words as typed); a word naming no status is a usage error."""
    from kpitrack.words.display import typed_status
    from kpitrack.domain.model import Status, Verdict

    names = [name.strip() for name in text.replace("，", ",").split(",") if name.strip()]
    codes = []
    for name in names:
        code = typed_status(name)
        if code is None:
            known = [status.value for status in Status] + [verdict.value for verdict in Verdict] + ["stale", "due-soon"]
            raise typer.BadParameter(_("{value!r} is not one of: {choices}").format(
                value=name, choices=", ".join(known)), param_hint=f"'{option}'")
        codes.append(code)
    chosen = tuple(Status(code) if code in Status._value2member_map_ else code if code == "due-soon" else Verdict(code)
                   for code in codes if code != "stale")
    return chosen, "stale" in codes, names


@app.command()
def check(
    ctx: typer.Context,
    as_of: AsOf = None,
    fail_on: Annotated[str, typer.Option(
        metavar="LIST", help="Statuses that fail the check, comma-separated; `stale` too.",
        autocompletion=status_list)] = "behind,overdue,due-soon",
    quiet: QuietOption = False,
    tag: TagOption = None,
    group: GroupOption = None,
    owner: OwnerOption = None,
    every: AllOption = False,
    changes: Annotated[bool, typer.Option(
        "--changes", help="Report only what changed since the previous --changes run (turned red or yellow, "
                          "recovered, done, newly late); exit 1 when something did.")] = False,
) -> None:
    """Exit 1, listing them, when some target has a --fail-on status; 0 when none; 2 on bad data.

    Example: kpitrack check --fail-on behind,overdue,stale --quiet
    """
    from kpitrack.reports.report import evaluate

    statuses, stale, names = statuses_argument(fail_on)
    as_of = as_of or date.today()
    workspace = load(ctx, quiet)
    if changes:
        report_changes(workspace, as_of, fail_on, statuses, stale,
                       evaluate(workspace, as_of, tag, group, owner=owner, closed=every))
        return
    flagged = evaluate(workspace, as_of, tag, group, statuses, stale, owner, every)
    if flagged:
        from kpitrack.formats.terminal import check_lines
        sys.stdout.write(check_lines(flagged))
    elif not quiet:
        from kpitrack.formats.terminal import as_of_words
        checked = len(evaluate(workspace, as_of, tag, group, owner=owner, closed=every))
        skipped = len(workspace.targets) - checked
        print(ngettext("{count} target {as_of}: none {statuses}", "{count} targets {as_of}: none {statuses}",
                       checked).format(count=checked, as_of=as_of_words(as_of),
                                       statuses=_(" or ").join(shown_words(names)))
              + (_(" ({skipped} left out: closed plans or not selected)").format(skipped=skipped) if skipped else ""))
    report_problems(workspace.problems)
    if flagged:
        raise typer.Exit(1)


def shown_words(names: list[str]) -> list[str]:
    """Typed status words as the interface says them (`红灯` in English: `behind`)."""
    from kpitrack.words.display import DUE_SOON_WORD, STALE, status_word, typed_status
    from kpitrack.domain.model import Status

    return [_(STALE) if code == "stale" else _(DUE_SOON_WORD) if code == "due-soon" else status_word(Status(code))
            for code in map(typed_status, names)]


def report_changes(workspace, as_of: date, fail_on: str, statuses: tuple, stale: bool, items: list) -> None:
    """Print what changed since the previous run with the same options, remember this one."""
    from kpitrack.writing.changes import changes, remember, remembered
    from kpitrack.words.display import visible
    from kpitrack.formats.terminal import as_of_words

    key = f"fail-on={fail_on}"
    current = {target.id: {"status": result.status.value, "stale": result.stale,
                           "last": result.last_update.isoformat() if result.last_update else None}
               for target, result in items}
    news = changes(remembered(workspace.root, key), current, {status.value for status in statuses if status != "due-soon"}, stale)
    remember(workspace.root, key, current)
    titles = {target.id: target.title for target, _result in items}
    for target_id, what in news:
        print(_("{id}: {what} {as_of} ({title})").format(id=target_id, what=what, as_of=as_of_words(as_of),
                                                          title=visible(titles[target_id])))
    report_problems(workspace.problems)
    if news:
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
                                      "prints nothing (for cron); needed for xlsx and docx.")] = None,
    tag: TagOption = None,
    group: GroupOption = None,
    owner: OwnerOption = None,
    by: ByOption = None,
    since: Annotated[Optional[date], typer.Option(
        "--since", parser=date_argument, metavar="DATE",
        help="Add what changed since DATE: newly done, turned red, recovered, revised figures.")] = None,
    lang: Annotated[Optional[Language], typer.Option(
        "--lang", help="Language of the words (default: en; zh for the xlsx ledger, the office's form).")] = None,
    encoding: CsvEncoding = None,
) -> None:
    """The whole workspace for a meeting or an e-mail: per folder a summary and the table, then
    the targets needing attention with their last entries and the pace they need.

    Example: kpitrack report --as-of 2024-06-30 --format html --out report.html
    """
    from kpitrack.reports.report import by_group, evaluate, ordered

    if output in BINARY and out is None:
        raise typer.BadParameter(f"--format {output.value} writes a file: add --out FILE.{output.value}",
                                 param_hint="'--out'")
    as_of = as_of or date.today()
    workspace = load(ctx)
    items = ordered(evaluate(workspace, as_of, tag, group, owner=owner))
    if (by or since) and output not in (ReportFormat.markdown, ReportFormat.json):
        raise typer.BadParameter(_("--by and --since are for markdown and json"), param_hint="'--format'")
    from kpitrack.reports.report import changes_since, owner_rows
    owners = owner_rows(items) if by else None
    changed = changes_since(workspace, items, since) if since else None
    words = page_language(ctx, lang)
    text: str | bytes
    if output is ReportFormat.markdown:
        from kpitrack.formats.markdown import owners_markdown, report_markdown, since_markdown
        text = report_markdown(as_of, items, workspace.plans)
        text += ("\n" + owners_markdown(owners) if owners is not None else "") + (
            "\n" + since_markdown(since, changed) if since and changed is not None else "")
    elif output is ReportFormat.json:
        from kpitrack.formats.machine import report_json, with_sections
        text = report_json(as_of, items)
        extra = {key: value for key, value in (("by_owner", owners), ("since", changed)) if value is not None}
        text = with_sections(text, extra) if extra else text
    elif output is ReportFormat.csv:
        from kpitrack.formats.machine import status_csv
        text = encoded(status_csv(items), encoding)
    elif output is ReportFormat.html:
        from kpitrack.formats.html import report_html
        text = report_html(as_of, items, workspace.plans, workspace.by_id(), words)
    elif output is ReportFormat.svg:
        from kpitrack.words.display import group_label
        from kpitrack.formats.charts import plan_bars
        text = plan_bars([(group_label(name, workspace.plans), members) for name, members in by_group(items)],
                         words) + "\n"
    elif output is ReportFormat.xlsx:
        from kpitrack.formats.workbook import ledger_workbook
        text = ledger_workbook(items, workspace.plans, page_language(ctx, lang, default="zh"))
    else:
        from kpitrack.formats.docx_report import report_docx
        text = report_docx(as_of, items, workspace.plans, words)
    if out is None:
        emit(text)
    else:
        from kpitrack.words.display import visible
        from kpitrack.writing.write import write_file
        write_file(out, text)
        if sys.stderr.isatty():  # a person at a terminal; cron mails nothing
            print(_("wrote {file}").format(file=visible(str(out))), file=sys.stderr)
    report_problems(workspace.problems)
