"""What git knows about the workspace: who recorded or changed each entry of a target and when,
and the merge driver's set-up in a clone. Outside a git repository there is simply no history."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from kpitrack.domain.errors import KpitrackError, Listed
from kpitrack.words.i18n import N_, _
from kpitrack.git.merge import Unmergeable, as_written, split

DRIVER_NAME = "kpitrack: merge target files entry by entry"


def driver_command(program: str = "kpitrack") -> str:
    return f"{program} merge-file %O %A %B %P"


def this_driver() -> str:
    """The driver command that runs this very kpitrack by its interpreter's absolute path: a git client
    without kpitrack on its PATH (an IDE, another shell) still finds it."""
    return driver_command(f'"{sys.executable}" -m kpitrack')


def git(arguments: list[str], folder: Path, check: bool = True) -> str | None:
    """git's output for `arguments` run in `folder`; None when git is missing or (without `check`) fails."""
    try:
        result = subprocess.run(["git", *arguments], cwd=folder, capture_output=True)
    except OSError:
        return None
    if result.returncode != 0:
        if check:
            raise KpitrackError(N_("git {command} failed: {error}"), command=" ".join(arguments[:2]),
                                error=result.stderr.decode(errors="replace").strip())
        return None
    return result.stdout.decode("utf-8", errors="replace")


def in_repository(folder: Path) -> bool:
    return git(["rev-parse", "--is-inside-work-tree"], folder, check=False) == "true\n"


def configure_driver(folder: Path) -> str:
    """Set the merge driver in the clone that holds `folder` (git does not carry config across
    clones); the command runs this very kpitrack, so a virtual environment need not be on PATH."""
    command = this_driver()
    git(["config", "merge.kpitrack.name", DRIVER_NAME], folder)
    git(["config", "merge.kpitrack.driver", command], folder)
    return command


def unmerged(root: Path) -> list[Path]:
    """The workspace's files git still lists as unmerged (`git ls-files -u`): a merge stopped on a
    conflict, or its driver failed (not found, killed) and git kept one side, maybe without markers.
    Empty outside a git repository."""
    listed = git(["ls-files", "-u", "-z", "--", "."], root, check=False)
    if not listed:
        return []
    paths = {line.split("\t", 1)[1] for line in listed.split("\0") if "\t" in line}
    return [root / path for path in sorted(paths)]


def refuse_unmerged(root: Path) -> None:
    """Refuse to check a workspace while git has not finished merging one of its files."""
    problem = unmerged_problem(root)
    if problem:
        raise problem


def unmerged_problem(root: Path) -> KpitrackError | None:
    """What refuse_unmerged raises, or None."""
    paths = unmerged(root)
    if paths:
        return KpitrackError(N_("git lists {files} as unmerged: the merge is not finished (were the entries of both "
                              "sides kept?). Resolve each file (look for conflict markers, or compare with "
                              "`git diff`), then `git add` it and `git commit`"),
                              files=Listed(paths))
    return None


def staged_copy(root: Path, into: Path) -> Path:
    """Write the workspace's files as git's index holds them (what a commit would record) under
    `into`, as they lie in the repository; returns the workspace's folder there. For the pre-commit
    hook, which must check what is being committed, not the working tree."""
    top = Path((git(["rev-parse", "--show-toplevel"], root) or "").strip())
    if not top.parts:
        raise KpitrackError(N_("--staged: not in a git repository"), root)
    listed = git(["ls-files", "-z", "--", "."], root) or ""
    prefix = str(into) + "/"
    names = "\0".join(name for name in listed.split("\0") if name)
    inside_top = Path(root).resolve().relative_to(top.resolve())
    result = subprocess.run(["git", "checkout-index", f"--prefix={prefix}", "-z", "--stdin"], cwd=root,
                            input=names.encode("utf-8", "surrogateescape"), capture_output=True)
    if result.returncode != 0:
        raise KpitrackError(N_("git {command} failed: {error}"), command="checkout-index",
                            error=result.stderr.decode(errors="replace").strip())
    # checkout-index, run in a sub-folder, writes paths relative to the top under the prefix
    staged = into / inside_top
    staged.mkdir(parents=True, exist_ok=True)
    return staged


@dataclass(frozen=True)
class Change:
    """One commit's change to a target file."""

    commit: str
    author: str
    when: str  # the commit's date, YYYY-MM-DD HH:MM
    subject: str
    added: tuple[dict, ...]  # entries recorded
    removed: tuple[dict, ...]  # entries taken out (or changed: then one is removed, one added)
    changed: tuple[str, ...]  # definition keys changed
    created: bool = False  # the commit made the file: the target's creation
    merge: bool = False  # a merge commit; its changes are those it brought to the first parent


def file_history(path: Path) -> list[Change] | None:
    """Every commit that changed the file at `path`, newest first; None outside a git repository."""
    folder = path.parent
    if not in_repository(folder):
        return None
    log = git(["log", "--follow", "--diff-merges=first-parent", "--format=%x1e%H%x09%P%x09%an%x09%ad%x09%s",
               "--date=format:%Y-%m-%d %H:%M", "--name-only", "--", path.name], folder) or ""
    top = _top(folder)
    changes = []
    for chunk in log.split("\x1e")[1:]:
        header, *names = [line for line in chunk.splitlines() if line.strip()]
        commit, parents, author, when, subject = (header.split("\t", 4) + ["", "", "", ""])[:5]
        name = names[0] if names else path.name
        before = git(["show", f"{commit}^:{name}"], top, check=False)
        after = git(["show", f"{commit}:{name}"], top, check=False) or ""
        changes.append(Change(commit[:10], author, when, subject, *_difference(before or "", after),
                              created=before is None, merge=len(parents.split()) > 1))
    return changes


def _top(folder: Path) -> Path:
    return Path((git(["rev-parse", "--show-toplevel"], folder) or str(folder)).strip())


def _difference(before: str, after: str) -> tuple[tuple[dict, ...], tuple[dict, ...], tuple[str, ...]]:
    import tomllib
    from collections import Counter
    from decimal import Decimal

    try:
        old, new = split(before), split(after)
    except Unmergeable:
        return (), (), (_("(the file could not be read at this commit)"),)

    def tables(layout):
        return {as_written(block): tomllib.loads(block.text, parse_float=Decimal)["progress"][0]
                for block in layout.entries}

    counted_old = Counter(as_written(block) for block in old.entries)
    counted_new = Counter(as_written(block) for block in new.entries)
    all_tables = tables(old) | tables(new)
    added = tuple(all_tables[key] for key in (counted_new - counted_old).elements())
    removed = tuple(all_tables[key] for key in (counted_old - counted_new).elements())
    head_old = tomllib.loads(old.head, parse_float=Decimal) if old.head.strip() else {}
    head_new = tomllib.loads(new.head, parse_float=Decimal) if new.head.strip() else {}
    changed = tuple(key for key in dict.fromkeys([*head_old, *head_new]) if head_old.get(key) != head_new.get(key))
    if old.definition[1] != new.definition[1]:
        changed += ("checkpoint",)
    return added, removed, changed


def entries_at(path: Path, day) -> list[dict] | None:
    """The [[progress]] tables of the file at `path` as its last commit before `day` (00:00) held
    them (none: the file was not committed yet); None outside a git repository."""
    import tomllib
    from decimal import Decimal

    folder = path.parent
    if not in_repository(folder):
        return None
    commit = (git(["rev-list", "-1", f"--before={day.isoformat()} 00:00", "HEAD"], folder, check=False) or "").strip()
    text = git(["show", f"{commit}:./{path.name}"], folder, check=False) if commit else None
    if not text:
        return []
    try:
        layout = split(text)
    except Unmergeable:
        return []
    return [tomllib.loads(block.text, parse_float=Decimal)["progress"][0] for block in layout.entries]
