"""Commands for many hands sharing one record through git: merge-file (the merge driver) and log;
and completion, the shell script that completes ids, folders, tags, owners and statuses."""

import enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from kpitrack.cli import app, root
from kpitrack.cli.complete import COMPLETE_VARIABLE, target_ids
from kpitrack.words.i18n import _


@app.command("merge-file")
def merge_file(
    base: Annotated[Path, typer.Argument(metavar="BASE", help="The common ancestor (git's %O).")],
    ours: Annotated[Path, typer.Argument(metavar="OURS", help="Our version, replaced by the result (%A).")],
    theirs: Annotated[Path, typer.Argument(metavar="THEIRS", help="Their version (%B).")],
    name: Annotated[Optional[str], typer.Argument(metavar="PATH", help="The file's path, for the markers (%P).")]
    = None,
    marker_size: Annotated[int, typer.Option(
        "--marker-size", metavar="N", help="Length of conflict markers (git's %L).")] = 7,
) -> None:
    """git's merge driver for target files: entries added on both sides are all kept, in date order;
    the same entry added on both sides is kept once; a definition changed on both sides is left
    between conflict markers, and the exit code is 1.

    Set up: kpitrack init --git, or see the README's "Many offices, one record".

    Example: kpitrack merge-file base.toml ours.toml theirs.toml targets/x.toml
    """
    from kpitrack.git.merge import merge_files

    conflicts = merge_files(base, ours, theirs, name, marker_size)
    if conflicts:
        raise typer.Exit(1)


@app.command()
def log(
    ctx: typer.Context,
    target_id: Annotated[str, typer.Argument(metavar="ID", help="The target's id.", autocompletion=target_ids)],
) -> None:
    """Who recorded or changed each entry of a target, and when, from git's history of its file.

    Example: kpitrack log sz23-affordable-housing
    """
    from kpitrack.words.display import visible
    from kpitrack.git.history import file_history
    from kpitrack.files.workspace import find_target_file

    from kpitrack.cli.correct import speak_workspace_language

    workspace_root = root(ctx)
    speak_workspace_language(ctx, workspace_root)
    path = find_target_file(workspace_root, target_id)
    changes = file_history(path)
    if changes is None:
        print(_("{id}: no history: {file} is not in a git repository").format(id=target_id, file=path))
        return
    if not changes:
        print(_("{id}: {file} is not committed yet").format(id=target_id, file=path))
    for change in changes:
        print(visible(f"{change.when}  {change.author}  {change.commit}  {change.subject}")
              + (_("  (merge)") if change.merge else ""))
        for line, tables in ((_("recorded {date}: {value}"), change.added),
                             (_("removed {date}: {value}"), change.removed)):
            for table in tables:
                what = table.get("value", _("done") if table.get("done") else _("undone") if "done" in table else "")
                note = _("  ({note})").format(note=table["note"]) if table.get("note") else ""
                print(visible("    " + line.format(date=table.get("date", "?"), value=what) + note))
        if change.created:
            print("    " + _("created"))
        elif change.changed:
            print(visible("    " + _("changed {keys}").format(keys=", ".join(change.changed))))


class Shell(str, enum.Enum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    powershell = "powershell"


@app.command()
def completion(shell: Annotated[Shell, typer.Argument(help="The shell to complete in.")]) -> None:
    """Print the script that makes SHELL complete kpitrack's commands, ids (with titles), folders,
    tags, owners and statuses. Load it from the shell's start-up file.

    Example: kpitrack completion bash >> ~/.bashrc
    """
    from typer.completion import completion_init, get_completion_script

    completion_init()
    print(get_completion_script(prog_name="kpitrack", complete_var=COMPLETE_VARIABLE, shell=shell.value))
