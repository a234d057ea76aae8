"""Commands for routines and meetings: validate, check and report."""

import enum
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from kpitrack.cli import QuietOption, Wait, app, date_argument, load, report_problems, root, waiting
from kpitrack.cli.complete import status_list
from kpitrack.cli.reading import (AllOption, AsOf, ByOption, CsvEncoding, GroupOption, Language, OwnerOption,
                                  TagOption, emit, encoded, page_language)
from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import _, ngettext, worded


@app.command()
def validate(
    ctx: typer.Context,
    repair: Annotated[bool, typer.Option(
        "--repair", help="Cut off a block that an interrupted write left torn at the end of a file, "
                         "keeping a copy of it in .kpitrack/repaired/.")] = False,
    wait: Wait = None,
    quiet: QuietOption = False,
    staged: Annotated[bool, typer.Option(
        "--staged", help="Check the files as git's index holds them (what a commit records), not the working "
                         "tree: for the pre-commit hook.")] = False,
) -> None:
    """Check every file of the workspace; each problem is printed as path:line: message.

    Example: kpitrack validate
    """
    import tempfile
    from contextlib import ExitStack

    from kpitrack.words.display import visible as shown

    with ExitStack() as stack:
        if staged:
            from kpitrack.files.workspace import load_workspace
            from kpitrack.git.history import staged_copy

            folder = root(ctx)
            temporary = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kpitrack-staged-")))
            copy = staged_copy(folder, temporary)
            workspace = load_workspace(copy, None)
            workspace.root = folder  # named as it is; its files are read from the copy
            workspace.problems = [problem.elsewhere(problem.path and Path(
                str(problem.path).replace(str(copy), str(folder))), problem.line, problem.column)
                                  for problem in workspace.problems]

            def visible(text: str) -> str:  # the paths of the index's copy, as the repository names them
                return shown(text.replace(str(copy), str(folder)))
        else:
            workspace = load(ctx, quiet)
            visible = shown
        _validated(workspace, visible, repair and not staged, ctx, wait, quiet)


def _validated(workspace, visible, repair: bool, ctx, wait, quiet: bool) -> None:
    from kpitrack.git.history import unmerged_problem
    from kpitrack.reports.report import workspace_warnings

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
        print(visible(worded(warning)), file=sys.stderr)
    clashes = _clashes(workspace)
    unfinished = unmerged_problem(workspace.root)  # a merge driver that failed may have left no markers
    problems = workspace.problems + ([unfinished] if unfinished else [])
    count = len(workspace.targets)
    for clash in clashes:
        print(visible(str(clash)), file=sys.stderr)
    if problems:
        print(ngettext("{count} target valid, {problems} with problems:",
                       "{count} targets valid, {problems} with problems:", count).format(
            count=count, problems=len(problems)), file=sys.stderr)
    elif clashes:
        raise typer.Exit(1)
    elif not quiet:
        print(ngettext("{count} target in {root}: all valid", "{count} targets in {root}: all valid", count).format(
            count=count, root=visible(str(workspace.root))))
    report_problems(problems, ngettext(
        "{count} file ends in a block torn by an interrupted write; `kpitrack validate --repair` cuts it off, "
        "keeping a copy",
        "{count} files end in a block torn by an interrupted write; `kpitrack validate --repair` cuts it off, "
        "keeping a copy", len(torn)).format(count=len(torn)) if torn else None)


def _clashes(workspace) -> list[KpitrackError]:
    """Two different figures (running totals, readings) for one target and date: an error (exit 1), not a warning."""
    from kpitrack.files.entrycheck import clash_message, figure_clashes

    return [KpitrackError(clash_message(target, entry, old), target.path, entry.line)
            for target in workspace.targets for entry, old in figure_clashes(target)]


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
    from kpitrack.words.typed import typeable_status_words, typed_statuses
    from kpitrack.domain.model import Status, Verdict

    names = [name.strip() for name in text.replace("，", ",").split(",") if name.strip()]
    codes = []
    for name in names:
        named = typed_statuses(name)  # 未报送: the status no-data and the verdict not-reported
        if not named:
            from kpitrack.files.names import did_you_mean

            known = [status.value for status in Status] + [verdict.value for verdict in Verdict] + [
                "stale", "due-soon", "exceeded"]
            hint = did_you_mean(name, typeable_status_words(), 0.5)
            raise typer.BadParameter(_("{value!r} is not one of: {choices}").format(
                value=name, choices=", ".join(known)) + (_("; ") + hint if hint else ""), param_hint=f"'{option}'")
        codes += named
    chosen = tuple(Status(code) if code in Status._value2member_map_ else code if code in ("due-soon", "exceeded")
                   else Verdict(code) for code in codes if code != "stale")
    return chosen, "stale" in codes, names


@app.command()
def check(
    ctx: typer.Context,
    as_of: AsOf = None,
    fail_on: Annotated[str, typer.Option(
        metavar="LIST", help="Statuses that fail the check, comma-separated; `stale` too, and `missing` "
                             "(no figure for the last ended period, as status --missing lists them).",
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
    from kpitrack.git.history import refuse_unmerged
    from kpitrack.reports.report import evaluate

    fail_on, missing = without_missing(fail_on)
    statuses, stale, names = statuses_argument(fail_on) if fail_on else ((), False, [])
    as_of = as_of or date.today()
    refuse_unmerged(root(ctx))
    workspace = load(ctx, quiet, entries=False)  # figures only: the index gives them
    if changes:
        report_changes(workspace, as_of, fail_on, statuses, stale,
                       evaluate(workspace, as_of, tag, group, owner=owner, closed=every))
        return
    from kpitrack.formats.registry import CHECK_FORMATS
    from kpitrack.reports.reading import check_report

    built = check_report(workspace, as_of, statuses, stale, tag, group, owner, every)
    flagged = built.items
    if flagged:
        from kpitrack.cli.reading import rendered
        rendered(CHECK_FORMATS["text"], built)
    flagged = list(flagged)
    if missing:
        flagged += missing_check(workspace, as_of, tag, group, owner, every)
        names.append(MISSING)
    if not flagged and not quiet:
        from kpitrack.words.display import as_of_words
        checked, skipped = built.checked, built.skipped
        print(ngettext("{count} target {as_of}: none {statuses}", "{count} targets {as_of}: none {statuses}",
                       checked).format(count=checked, as_of=as_of_words(as_of),
                                       statuses=_(" or ").join(shown_words(names)))
              + (_(" ({skipped} left out: closed plans or not selected)").format(skipped=skipped) if skipped else ""))
    report_problems(workspace.problems)
    if flagged:
        raise typer.Exit(1)


MISSING = "missing"  # the --fail-on word for 未报送 by period (status --missing)


def without_missing(text: str) -> tuple[str, bool]:
    """The --fail-on list without `missing`, and whether it was there."""
    names = [name.strip() for name in text.replace("，", ",").split(",")]
    return ",".join(name for name in names if name != MISSING), MISSING in names


def missing_check(workspace, as_of: date, tag, group, owner, every: bool) -> list:
    """check --fail-on missing: print the targets not reported for their last ended period, by
    unit, one line each (for cron mail); the missing items."""
    from kpitrack.formats.chase import missing_lines
    from kpitrack.reports.chase import missing_items, missing_rows
    from kpitrack.reports.report import evaluate

    items = evaluate(workspace, as_of, tag, group, owner=owner, closed=every)
    sys.stdout.write(missing_lines(missing_rows(workspace, items, as_of)))
    return [item for item, _period in missing_items(workspace, items, as_of)]


def shown_words(names: list[str]) -> list[str]:
    """Typed status words as the interface says them (`红灯` in English: `behind`)."""
    from kpitrack.words.typed import code_word, typed_status
    from kpitrack.formats.chase import MISSING_WORD

    return [_(MISSING_WORD) if name == MISSING else code_word(code) for name, code in zip(names, map(typed_status, names))]


def report_changes(workspace, as_of: date, fail_on: str, statuses: tuple, stale: bool, items: list) -> None:
    """Print what changed since the previous run with the same options, remember this one."""
    from kpitrack.reports.changes import check_changes, check_state
    from kpitrack.writing.changes import remember, remembered
    from kpitrack.words.display import visible
    from kpitrack.words.display import as_of_words

    key = f"fail-on={fail_on}"
    current = check_state(items)
    previous = remembered(workspace.root, key)
    news = check_changes(previous, current, {status.value for status in statuses if status not in ("due-soon", "exceeded")}, stale)
    remember(workspace.root, key, current)
    if previous is None:  # the first run with these options: what is flagged now is all news
        from kpitrack.cli import warn
        warn(ngettext("no previous --changes run with --fail-on {fail_on}: recorded a baseline of {count} target; "
                      "what is flagged now is listed as changed, the next run lists what changed since",
                      "no previous --changes run with --fail-on {fail_on}: recorded a baseline of {count} targets; "
                      "what is flagged now is listed as changed, the next run lists what changed since", len(current)).format(fail_on=fail_on, count=len(current)))
    titles = {target.id: target.title for target, _result in items}
    for change in news:
        print(_("{id}: {what} {as_of} ({title})").format(id=change.id, what=change_words(change),
                                                          as_of=as_of_words(as_of), title=visible(titles[change.id])))
    report_problems(workspace.problems)
    if news:
        raise typer.Exit(1)


def change_words(change) -> str:
    """A change since the previous check (reports.changes.Change) as the interface says it."""
    from kpitrack.reports.changes import DONE, LATE, TURNED
    from kpitrack.words.typed import code_word as _code_word

    if change.kind == LATE:
        return _("late: no figure since {date}").format(date=change.last) if change.last else _("late: no figure yet")
    if change.kind == TURNED:
        return (_("now {status} (was {was})").format(status=_code_word(change.now), was=_code_word(change.was))
                if change.was else _("now {status}").format(status=_code_word(change.now)))
    return (_("done (was {was})") if change.kind == DONE else _("recovered: now {status} (was {was})")).format(
        status=_code_word(change.now), was=_code_word(change.was))


ReportFormat = enum.Enum("ReportFormat", {name: name for name in (
    "markdown", "html", "svg", "json", "csv", "xlsx", "docx", "site")}, type=str)  # REPORT_FORMATS' names, in order


@app.command()
def report(
    ctx: typer.Context,
    as_of: AsOf = None,
    output: Annotated[ReportFormat, typer.Option("--format", help="How to write it.")] = ReportFormat.markdown,
    out: Annotated[Optional[Path], typer.Option(
        "--out", metavar="FILE", help="Write to FILE (a new or regular file, not the workspace's own; replaced whole, "
                                      "atomically) instead of stdout; prints nothing (for cron); needed for xlsx and "
                                      "docx; for site, the folder of pages (new, empty, or an earlier site).")] = None,
    tag: TagOption = None,
    group: GroupOption = None,
    owner: OwnerOption = None,
    by: ByOption = None,
    since: Annotated[Optional[date], typer.Option(
        "--since", parser=date_argument, metavar="DATE",
        help="Add what changed since DATE: newly done, turned red, recovered, and per responsible unit the "
             "figures received and revised (old → new; from git's history, else the journal of fix).")] = None,
    missing: Annotated[bool, typer.Option(
        "--missing", help="Add per responsible unit the targets with no figure dated in the last ended period "
                          "of their cadence (未报送), as status --missing lists them.")] = False,
    lang: Annotated[Optional[Language], typer.Option(
        "--lang", help="Language of the words (default: the interface's, as the global --lang, KPITRACK_LANG "
                        "or the workspace's `language` choose it; without one, zh for the xlsx ledger, the office's form).")] = None,
    encoding: CsvEncoding = None,
) -> None:
    """The whole workspace for a meeting or an e-mail: per folder a summary and the table, then
    the targets needing attention with their last entries and the pace they need.

    Example: kpitrack report --as-of 2024-06-30 --format html --out report.html
    """
    from kpitrack.formats.registry import REPORT_FORMATS
    from kpitrack.reports.build import build_report

    chosen = REPORT_FORMATS[output.value]
    if chosen.folder and out is None:
        raise typer.BadParameter(_("--format {format} writes a folder of pages: add --out DIR (a new or empty "
                                   "folder, or a site written before)").format(format=chosen.name), param_hint="'--out'")
    if chosen.out_only and out is None:
        raise typer.BadParameter(_("--format {format} writes a file: add --out FILE.{extension}").format(
                                     format=chosen.name, extension=chosen.extension),
                                 param_hint="'--out'")
    if by is not None and chosen.name == "xlsx":  # one ledger per responsible unit, into a folder
        return _unit_ledgers(ctx, as_of, out, tag, group, owner, page_language(ctx, lang, default=chosen.default_lang))
    if (by or since or missing) and not chosen.sections:
        raise typer.BadParameter(_("--by, --since and --missing are for markdown, json, html and docx"),
                                 param_hint="'--format'")
    as_of = as_of or date.today()
    workspace = load(ctx)
    if chosen.folder:
        from kpitrack.writing.site import site_folder
        site_folder(out)  # a folder that may not take a site is refused before the pages are drawn
    built = build_report(workspace, as_of, tag, group, owner, by_owner=by is not None, since=since,
                         missing=missing)
    text = chosen.render(built, page_language(ctx, lang, default=chosen.default_lang))
    if chosen.encodable:
        text = encoded(text, encoding)
    if out is None:
        emit(text)
    else:
        from kpitrack.words.display import visible
        if chosen.folder:
            from kpitrack.writing.site import write_site
            write_site(out, text.names, text, workspace.root)
        else:
            from kpitrack.writing.output import write_output
            write_output(out, text, workspace.root)
        if sys.stderr.isatty():  # a person at a terminal; cron mails nothing
            print(_("wrote {file}").format(file=visible(str(out))), file=sys.stderr)
    report_problems(workspace.problems)


def _unit_ledgers(ctx, as_of: Optional[date], out: Path, tag, group, owner, lang: str) -> None:
    """report --format xlsx --by owner --out DIR: DIR/<unit>.xlsx for each responsible unit."""
    from kpitrack.formats.workbook import unit_ledgers
    from kpitrack.reports.build import build_report
    from kpitrack.reports.report import closed_groups
    from kpitrack.words.display import visible
    from kpitrack.writing.output import write_output

    if out.exists() and not out.is_dir():
        raise typer.BadParameter(_("--by owner writes one ledger per unit: --out names a folder"), param_hint="'--out'")
    workspace = load(ctx)
    as_of = as_of or date.today()
    built = build_report(workspace, as_of, tag, group, owner)
    shut = set() if group else closed_groups(workspace, as_of)  # a closed plan is collected no more
    ledgers = unit_ledgers([item for item in built.items if item[0].group not in shut], built.plans, lang)
    out.mkdir(parents=True, exist_ok=True)
    for _unit, name, data in ledgers:
        write_output(out / name, data, workspace.root)
        if sys.stderr.isatty():
            print(_("wrote {file}").format(file=visible(str(out / name))), file=sys.stderr)
    report_problems(workspace.problems)
