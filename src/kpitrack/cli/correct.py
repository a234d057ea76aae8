"""Commands that correct what was recorded: fix, remove and undo (what they share with add is in
kpitrack.cli.add)."""

from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from kpitrack.cli import app, entry_date_argument, option_named, root
from kpitrack.cli.add import find, journal, journal_ready, speak_workspace_language, typed_entry
from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import _, pgettext
from kpitrack.words.display import visible


def in_git(folder: Path) -> bool:
    return any((parent / ".git").exists() for parent in (folder.resolve(), *folder.resolve().parents))


def _said(workspace_root: Path, message: str, quiet: bool) -> None:
    if quiet:
        return
    from kpitrack.words.display import visible

    print(visible(message))  # the path may hold an escape sequence, or bytes of another encoding
    if in_git(workspace_root):
        print(_("(the workspace is a git repository: `git diff` shows the change)"))


def _pick(when: date, several: str):
    def pick(target):
        matches = [entry for entry in target.entries if entry.date == when]
        if not matches:
            dates = _(", ").join(sorted({entry.date.isoformat() for entry in target.entries})[-5:]) or pgettext("dates", "none")
            raise KpitrackError(_("no entry dated {date} in {id} (last dates: {dates})").format(
                date=when, id=target.id, dates=dates), target.path)
        if len(matches) > 1 and several == "refuse":
            lines = _(", ").join(str(entry.line) for entry in matches)
            raise KpitrackError(_("{count} entries dated {date} (lines {lines}); remove the extra one first with "
                                  "`kpitrack remove {id} --date {date}`").format(
                count=len(matches), date=when, lines=lines, id=target.id), target.path)
        return matches[-1]
    return pick


def _shown(entry) -> str:
    from kpitrack.words.display import entry_value

    return entry_value(entry) + (_(" (running total)") if entry.total else "")


Day = Annotated[date, typer.Option("--date", parser=entry_date_argument, metavar="DATE",
                                   help="The date of the entry (a month or quarter is its last day).")]
from kpitrack.cli import QuietOption as Quiet  # noqa: E402


@app.command()
def fix(
    ctx: typer.Context,
    target_id: Annotated[str, typer.Argument(metavar="ID", help="The target's id, or a fragment of its title.")],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="The corrected figure (or done/undone).")],
    on: Day,
    total: Annotated[bool, typer.Option("--total", help="The value is a running total since start.")] = False,
    note: Annotated[Optional[str], typer.Option(help="A note (default: the old entry's).")] = None,
    source: Annotated[Optional[str], typer.Option(help="Where it was published (default: the old entry's).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Record a figure beyond the plausible bound (over 5× the target, or a total below the "
                        "one dated before it or above the one dated after it).")] = False,
    quiet: Quiet = False,
) -> None:
    """Replace the entry of a date (a revised figure, 数据修订); the rest of the file stays byte for byte.

    Example: kpitrack fix lh24-affordable-housing 2650 --total --date 2024-06
    """
    from kpitrack.files.entrycheck import implausible
    from kpitrack.writing.rewrite import rewrite_entry

    workspace_root = root(ctx)
    path = find(ctx, workspace_root, target_id)

    def make(target, old):
        new = typed_entry(target, value, on, total, note if note is not None else old.note,
                          source if source is not None else old.source)._replace(repeat=old.repeat)
        others = tuple(entry for entry in target.entries if entry.line != old.line)
        doubt = None if force else implausible(target, "", new, door="fix", planned=others)
        if doubt:  # the door of add and import, beside every other entry of the file
            raise KpitrackError(doubt, path)
        return new

    journal_ready(workspace_root)
    try:
        replaced, old, new = rewrite_entry(path, workspace_root, _pick(on, "refuse"), make)
    except KpitrackError as error:
        raise option_named(error, {"note": "--note", "source": "--source"}) from None
    from kpitrack.writing.journal import revision

    summary = f"fix {path.stem} {value} --date {on}" + (" --total" if total else "")
    journal(workspace_root, "fix", summary, [replaced], [revision(path.stem, summary, on, old, new)])
    _said(workspace_root, _("fixed {file} on {date}: {new}, was {old}").format(
        file=path, date=on, new=_shown(new), old=_shown(old)), quiet)


@app.command()
def remove(
    ctx: typer.Context,
    target_id: Annotated[str, typer.Argument(metavar="ID", help="The target's id, or a fragment of its title.")],
    on: Day,
    quiet: Quiet = False,
) -> None:
    """Remove the entry of a date (the last one written, if there are several).

    Example: kpitrack remove lh24-affordable-housing --date 2024-03-31
    """
    from kpitrack.writing.rewrite import rewrite_entry

    workspace_root = root(ctx)
    path = find(ctx, workspace_root, target_id)
    journal_ready(workspace_root)
    replaced, old, _new = rewrite_entry(path, workspace_root, _pick(on, "last"), lambda target, old: None)
    journal(workspace_root, "remove", f"remove {path.stem} --date {on}", [replaced])
    _said(workspace_root, _("removed from {file}: {old} on {date}").format(file=path, old=_shown(old), date=on),
          quiet)


@app.command()
def undo(ctx: typer.Context, quiet: Quiet = False) -> None:
    """Take back the last add, fix, remove or import in this workspace (kept 30 days).

    Example: kpitrack undo
    """
    from kpitrack.writing.journal import undo_last

    workspace_root = root(ctx)
    speak_workspace_language(ctx, workspace_root)
    last = undo_last(workspace_root)
    _said(workspace_root, _("undone: {summary}").format(summary=visible(last["summary"])), quiet)
