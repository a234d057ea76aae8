"""Shell completion: target ids (with their titles), folders, tags, owners and statuses, read from
the workspace as the shell asks (`kpitrack completion SHELL` prints the script that asks).

A completer never fails: a workspace that cannot be found or read just completes nothing.
"""

import os

import typer

COMPLETE_VARIABLE = "_KPITRACK_COMPLETE"


def _quietly(completer):
    def wrapped(ctx: typer.Context, incomplete: str):
        try:
            return completer(ctx, incomplete)
        except Exception:  # noqa: BLE001  (a shell waiting for words must never see a traceback)
            return []
    return wrapped


def _targets(ctx: typer.Context):
    from kpitrack.files.workspace import cache_folder
    from kpitrack.files.workspace import find_root, load_workspace

    root = find_root(ctx.find_root().params.get("directory"))
    return load_workspace(root, cache_folder(root))


@_quietly
def target_ids(ctx: typer.Context, incomplete: str):
    """Ids starting with what is typed, each with its title (zsh and fish show it beside the id)."""
    return [(target.id, target.title) for target in sorted(_targets(ctx).targets, key=lambda t: t.id)
            if target.id.startswith(incomplete)]


@_quietly
def folders(ctx: typer.Context, incomplete: str):
    workspace = _targets(ctx)
    found: dict[str, str] = {}
    for target in workspace.targets:
        parts = target.group.split("/") if target.group else []
        for depth in range(1, len(parts) + 1):
            found.setdefault("/".join(parts[:depth]), "")
    for group, plan in workspace.plans.items():
        if group:
            found[group] = plan.title
    return [(group, title) for group, title in sorted(found.items()) if group.startswith(incomplete)]


@_quietly
def tags(ctx: typer.Context, incomplete: str):
    words = {tag for target in _targets(ctx).targets for tag in target.tags}
    return sorted(word for word in words if word.startswith(incomplete))


@_quietly
def owners(ctx: typer.Context, incomplete: str):
    words = {unit for target in _targets(ctx).targets for unit in target.owners()}
    return sorted(word for word in words if word.startswith(incomplete))


def status_list(ctx: typer.Context, incomplete: str):
    """The statuses of --fail-on, a comma-separated list: the last word is completed."""
    from kpitrack.domain.model import Status, Verdict

    done, _, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    given = set(done.split(","))
    return [prefix + word for word in [*(status.value for status in Status), *(verdict.value for verdict in Verdict), "stale",
                                       "due-soon", "exceeded"]
            if word.startswith(last) and word not in given]


def prepare() -> None:
    """Make typer's shell classes known when the shell is asking (only then: they cost start-up time)."""
    if os.environ.get(COMPLETE_VARIABLE):
        from typer.completion import completion_init

        completion_init()
