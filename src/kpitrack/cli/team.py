"""Commands for many hands sharing one record through git: merge-file (the merge driver) and log;
and completion, the shell script that completes ids, folders, tags, owners and statuses."""

import enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from kpitrack.cli import app, root
from kpitrack.cli.complete import COMPLETE_VARIABLE, target_ids


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
    from kpitrack.merge import merge_files

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
    from kpitrack.display import visible
    from kpitrack.history import file_history
    from kpitrack.workspace import find_target_file

    path = find_target_file(root(ctx), target_id)
    changes = file_history(path)
    if changes is None:
        print(f"{target_id}: no history: {path} is not in a git repository")
        return
    if not changes:
        print(f"{target_id}: {path} is not committed yet")
    for change in changes:
        print(visible(f"{change.when}  {change.author}  {change.commit}  {change.subject}"))
        for verb, tables in (("recorded", change.added), ("removed", change.removed)):
            for table in tables:
                what = table.get("value", "done" if table.get("done") else "undone" if "done" in table else "")
                note = f"  ({table['note']})" if table.get("note") else ""
                print(visible(f"    {verb} {table.get('date', '?')}: {what}{note}"))
        if change.changed:
            print(visible(f"    changed {', '.join(change.changed)}"))


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
