"""The command that records a figure, add; and what fix and remove share with it (finding a target
by id or title, reading a typed figure for it, the journal). A module of its own: `kpitrack add`
imports only this one (see COMMANDS in kpitrack.cli), not the options of every other command."""

from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from kpitrack.cli import (QuietOption, Wait, app, entry_date_argument, figure_argument, option_named, root, say,
                          speak_settings_language, waiting, warn)
from kpitrack.cli.complete import target_ids
from kpitrack.domain.errors import KpitrackError
from kpitrack.words.i18n import _, worded
from kpitrack.domain.model import ReadingQualifier


def find(ctx: typer.Context, workspace_root: Path, text: str) -> Path:
    """The file of the target named by id or by a fragment of its title."""
    from kpitrack.files.workspace import cache_folder
    from kpitrack.files.workspace import find_target

    speak_workspace_language(ctx, workspace_root)
    return find_target(workspace_root, text, cache_folder(workspace_root))


def speak_workspace_language(ctx: typer.Context, workspace_root: Path) -> None:
    """The workspace's `language` (kpitrack.toml), as `load` speaks it, for the commands that do not
    load every target."""
    from kpitrack.files.workspace import load_settings

    if ctx.obj.get("lang") is not None:
        return  # chosen already: kpitrack.toml need not be read
    try:
        speak_settings_language(ctx, load_settings(workspace_root).language)
    except KpitrackError:  # a broken kpitrack.toml is for `validate` to name
        pass


def typed_wording(text: str | None, qualifier, kind, name: str, option: str, words=None):
    """The figure typed without its wording (超1200, 6.0%左右, 近50) and the qualifier that wording
    is, of `kind` (model.Qualifier or ReadingQualifier); the option given too must say the same."""
    from kpitrack.domain.parse import TARGET_WORDS, worded_figure

    if text is None:
        return text, qualifier
    figure, code = worded_figure(text, words or TARGET_WORDS)
    if code is None:
        return text, qualifier
    if qualifier is not None and qualifier.value != code:
        raise typer.BadParameter(_("{text!r} is worded {code}, but {option} says {given}: give one").format(
            text=text, code=code, option=option, given=qualifier.value), param_hint=name)
    return figure, kind(code)



def typed_entry(target, value: str, when: date, total: bool, note: Optional[str], source: Optional[str]):
    """The entry a person typed, read in the target's unit (194.7亿 on a 亿元 target is 194.7)."""
    from kpitrack.domain.model import Entry
    word = value.strip().lower()
    if word in ("done", "undone"):
        return Entry(date=when, done=word == "done", total=total, note=note, source=source)
    return Entry(date=when, value=figure_argument(value, target.unit, "'VALUE'"), total=total, note=note,
                 source=source)


def node_named(target, typed: str, path: Path) -> str:
    """A node of the target's plan by its name or its number (1-based)."""
    names = [node.name for node in target.nodes]
    if not names:
        raise KpitrackError(_("--node: {id} has no node plan ([[node]] tables)").format(id=target.id), path)
    if typed.strip() in names:
        return typed.strip()
    if typed.strip().isdigit() and 1 <= int(typed) <= len(names):
        return names[int(typed) - 1]
    raise KpitrackError(_("--node: no node {node!r}: the nodes are {names}, or their numbers 1 to {count}").format(
        node=typed, names=_(", ").join(names), count=len(names)), path)


def journal_ready(workspace_root: Path) -> None:
    """Refuse, before anything is written, a journal the write could not be recorded in."""
    from kpitrack.writing.journal import ready

    ready(workspace_root)


def journal(workspace_root: Path, operation: str, summary: str, changes: list, revised: list | None = None) -> None:
    from kpitrack.writing.journal import record

    record(workspace_root, operation, summary, changes, revised=revised)


@app.command()
def add(
    ctx: typer.Context,
    target_id: Annotated[str, typer.Argument(metavar="ID", help="The target's id, or a fragment of its title.", autocompletion=target_ids)],
    value: Annotated[str, typer.Argument(
        metavar="VALUE", help="The figure: 310, 1,200, 18.5万, 2.5亿, 194.7亿元, 2600套, 4.1%; `done` (or `undone`) "
                              "for a milestone. A negative figure goes after --: add ID -- -2.5")],
    on: Annotated[Optional[date], typer.Option(
        "--date", parser=entry_date_argument, metavar="DATE",
        help="The date the figure refers to (default: today); a month (2024-06) or quarter (2024Q2) is its "
             "last day.")] = None,
    total: Annotated[bool, typer.Option(
        "--total", help="The value is a running total since start (年初至今累计), not an increment.")] = False,
    note: Annotated[Optional[str], typer.Option(help="A note, e.g. the bulletin it came from.")] = None,
    source: Annotated[Optional[str], typer.Option(help="Where the figure was published.")] = None,
    qualifier: Annotated[Optional[ReadingQualifier], typer.Option(
        help="The figure was published as a bound: nearly (近), over (超), about (约).")] = None,
    estimate: Annotated[bool, typer.Option(
        "--estimate", help="An estimate (预计, 初步统计); a final figure for the same date replaces it.")] = False,
    again: Annotated[bool, typer.Option(
        "--again", help="A genuine repeat of an identical entry (written with repeat = 2, 3…).")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Record a figure beyond the plausible bound (over 5× the target, or a total "
                        "below the previous one).")] = False,
    node: Annotated[Optional[str], typer.Option(
        "--node", metavar="NODE", help="With done or undone: the node of a milestone's plan (形象进度), by name "
                                       "or number (1 for the first).")] = None,
    quiet: QuietOption = False,
    wait: Wait = None,
) -> None:
    """Record progress on a target (appended to its file).

    Example: kpitrack add sz23-housing 21.5 --total --date 2023-12-31 --note "2023 outcome"
    """
    from kpitrack.files.entrycheck import clash_message, clashing_total, door_problems, next_repeat, recorded_on
    from kpitrack.files.schema import entry_warnings
    from kpitrack.writing.write import append_built

    workspace_root = root(ctx)
    path = find(ctx, workspace_root, target_id)
    when = on or date.today()
    made = []

    from kpitrack.domain.model import ReadingQualifier
    from kpitrack.domain.parse import FIGURE_WORDS

    typed, qualifier = typed_wording(value, qualifier, ReadingQualifier, "'VALUE'", "--qualifier", FIGURE_WORDS)

    def build(target, text):
        entry = typed_entry(target, typed, when, total, note, source)._replace(qualifier=qualifier, estimate=estimate)
        if node is not None:
            entry = entry._replace(node=node_named(target, node, path))
        made.append(entry)
        if again:
            same_day = recorded_on(text, entry.date)  # each block of the day parsed once, for both questions
            old = clashing_total(entry, same_day)
            if old is not None:  # --again repeats an identical entry, never a second, different total
                raise KpitrackError(clash_message(target, entry, old), path)
            repeat = next_repeat(same_day, entry)
            return [entry._replace(repeat=repeat if repeat > 1 else None)]
        refused, doubtful = door_problems(target, text, entry)
        if refused:
            raise KpitrackError(refused, path)
        if doubtful and not force:
            raise KpitrackError(doubtful, path)
        return [entry]

    journal_ready(workspace_root)
    try:
        appended = append_built(path, workspace_root, build, waiting(wait))
    except KpitrackError as error:
        raise option_named(error, {"note": "--note", "source": "--source"}) from None
    journal(workspace_root, "add", f"add {path.stem} {value} --date {when.isoformat()}"
            + (" --total" if total else "") + (" --estimate" if estimate else "")
            + (f" --node {made[-1].node}" if made and made[-1].node else ""), [appended])
    for warning in entry_warnings(appended.target, made[-1]):
        warn(worded(warning))
    if not quiet:
        from kpitrack.words.display import figure_as_understood

        say(_("added to {file}: {value} on {date}").format(  # as understood in the target's unit, not as typed
            file=path, value=figure_as_understood(appended.target, made[-1]), date=when.isoformat()))
