"""The workspace on disk: finding it, walking its files, and loading every target, plan and setting."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from kpitrack.domain.errors import KpitrackError, MissingFolder, NoWorkspace, Sentence
from kpitrack.words.i18n import N_, _, os_reason
from kpitrack.domain.model import Kind, Settings, Target
from kpitrack.files.names import ID_PATTERN, check_id, did_you_mean
from kpitrack.files.state import MAX_FILE_BYTES, state_folder
from kpitrack.files.walk import Found, _folders, _walk

if TYPE_CHECKING:  # Plan, Workspace: built when first used, see the end of kpitrack.domain.model
    from kpitrack.domain.plans import Plan, Workspace
    from kpitrack.files.schema import Period

# The TOML parser and the validators (document, schema) are imported only where a file is parsed: a
# warm status, whose files are all in the cache, reads none (10 ms of its start-up).

SETTINGS_FILE = "kpitrack.toml"
PLAN_FILE = "plan.toml"  # a folder's description of the plan its targets come from
def cache_folder(root: Path, environment: dict[str, str] | None = None) -> Path | None:
    """Where parsed targets are kept between runs: the workspace's `.kpitrack/cache/`, or
    $KPITRACK_CACHE_DIR (empty or "off": no cache); None where the state folder cannot be made
    (a read-only workspace), which only means parsing."""
    environment = os.environ if environment is None else environment
    explicit = environment.get("KPITRACK_CACHE_DIR")
    if explicit is not None:
        return Path(explicit) if explicit not in ("", "off") else None
    try:
        return state_folder(root) / "cache"
    except KpitrackError:
        return None


def find_root(explicit: str | None, environment: dict[str, str] | None = None) -> Path:
    """The workspace folder: `explicit` (the CLI's --dir), else $KPITRACK_DIR, else ./targets, else
    the nearest folder from here upwards that holds kpitrack.toml."""
    environment = os.environ if environment is None else environment
    for value, from_environment in ((explicit, False), (environment.get("KPITRACK_DIR"), True)):
        if value:
            if not Path(value).is_dir():
                raise MissingFolder(value, from_environment)
            refuse_wide(Path(value))
            return Path(value)
    if Path("targets").is_dir():
        return Path("targets")
    here = Path.cwd()
    for folder in (here, *here.parents):  # from inside a workspace, e.g. a plan's folder
        if (folder / SETTINGS_FILE).is_file():
            return Path(os.path.relpath(folder))
    raise NoWorkspace()


def workspace_above(folder: Path) -> tuple[Path, str]:
    """(workspace root, scope) for a folder given with --dir: a plan's folder inside a workspace
    (no kpitrack.toml of its own, one above it) gives the workspace root and the folder as the scope."""
    if (folder / SETTINGS_FILE).is_file():
        return folder, ""
    here = folder.resolve()
    for parent in here.parents:
        if (parent / SETTINGS_FILE).is_file():
            shown = parent if folder.is_absolute() else Path(os.path.relpath(parent))
            return shown, here.relative_to(parent).as_posix()
    return folder, ""


def refuse_wide(folder: Path) -> None:
    """A file system's root or the home folder is never a workspace: walking it would read a disk."""
    resolved = folder.resolve()
    try:
        home = Path.home().resolve()
    except (KeyError, RuntimeError, OSError):
        home = None
    if resolved == Path(resolved.anchor) or resolved == home:
        kind = Sentence(N_("the home folder") if resolved == home else N_("the root of the file system"))
        raise KpitrackError(N_("{folder} is {kind}, not a workspace; name the folder that holds the targets"),
                            folder=folder, kind=kind)


def target_files(root: Path, skipped: list[Path] | None = None) -> list[Path]:
    """Every target file below `root`, in a stable order (regular files only, see _walk)."""
    return [folder / found.name for folder, found in _target_files(_walk(root, skipped), root)]


def _named(walked, folders: list[tuple[Path, list[str]]]):
    """The walk, as it goes, with each folder and the names of its files kept in `folders`."""
    for folder, files in walked:
        folders.append((folder, [found.name for found in files]))
        yield folder, files


def _target_files(walked, root: Path):
    """(folder, Found) of the target files among a walk's."""
    for folder, files in walked:
        is_root = folder == root
        for found in files:
            name = found.name
            if name.endswith(".toml") and name != PLAN_FILE and not (is_root and name == SETTINGS_FILE):
                yield folder, found


def load_workspace(root: Path, cache: Path | None = None, entries: bool = True) -> Workspace:
    """Read every target of the workspace; a broken file becomes a problem, not a failure. Without
    `entries` (a command that prints figures only), the entries of a file parsed anew are let go once
    the cache keeps its rows (see kpitrack.files.cache.cached)."""
    import time

    from kpitrack.domain.plans import Workspace

    workspace = Workspace(root=root)
    seen: dict[str, Path] = {}
    periods: dict[Path, Period | None] = {}
    skipped: list[Path] = []
    real_root, loaded = str(root.resolve()), False
    try:
        try:
            workspace.settings = load_settings(root, cache, real_root)
        except KpitrackError as problem:
            workspace.problems.append(problem)
        looked = time.time_ns()  # before the walk's stats: see kpitrack.files.cache on files racily clean
        folders: list[tuple[Path, list[str]]] = []  # the walk's, for the plans: its stats are not kept
        for folder, found in _target_files(_named(_walk(root, skipped), folders), root):
            path = folder / found.name
            try:
                target = load_target(path, root, cache, periods, real_root, (found, folder, looked), entries)
            except KpitrackError as problem:
                workspace.problems.append(problem)
                continue
            if target.id in seen:
                workspace.problems.append(KpitrackError(
                    N_("id {id!r} is already used by {other}; ids must be unique, rename one file"),
                    path, 1, id=target.id, other=seen[target.id]))
                continue
            seen[target.id] = path
            workspace.targets.append(target)
        workspace.problems += [KpitrackError(
            N_("not a regular file (a folder, pipe or device), so no target: rename or remove it"), path)
            for path in skipped]
        resolve_parts(workspace)
        workspace.plans = load_plans(root, workspace.problems, folders, cache, real_root)
        loaded = True
    finally:
        if cache:
            from kpitrack.files.cache import commit

            commit(cache, loaded)  # what was parsed anew is kept in few transactions, not one per file
    return workspace


def resolve_parts(workspace: Workspace) -> None:
    """Check every parent's parts (they exist, add up in one base unit, form no cycle) and give a
    parent without a target of its own the sum of its parts' targets. A parent that fails is
    moved to the problems."""
    by_id = workspace.by_id()
    resolved: dict[str, Target] = {}

    def resolve(target: Target, trail: tuple[str, ...]) -> Target:
        if target.id in resolved:
            return resolved[target.id]
        if target.id in trail:
            cycle = " -> ".join((*trail[trail.index(target.id):], target.id))
            raise KpitrackError(N_("parts go round in a circle: {cycle}"), target.path, 1, cycle=cycle)
        parts = [resolve(_part(by_id, target, part_id), (*trail, target.id)) for part_id in target.parts]
        result = _with_sums(target, parts) if target.target_from_parts or target.baseline_from_parts else target
        resolved[target.id] = result
        return result

    kept = []
    for target in workspace.targets:
        try:
            kept.append(resolve(target, ()))
        except KpitrackError as problem:
            workspace.problems.append(problem if problem.path == target.path else KpitrackError(
                N_("its part fails: {problem}"), target.path, 1, problem=problem))
    workspace.targets = kept


def _part(by_id: dict[str, Target], parent: Target, part_id: str) -> Target:
    from kpitrack.domain.units import conversion

    part = by_id.get(part_id)
    if part is None:
        raise KpitrackError(N_("part {part!r} is not a target of this workspace"), parent.path, 1, part=part_id)
    if parent.kind is Kind.MILESTONE:
        raise KpitrackError(N_("part {part!r} ({file}) is under a milestone; only figures add up"), parent.path, 1,
                            part=part_id, file=part.path)
    if part.kind is Kind.MILESTONE:
        return part  # counted one when done: 建成10个共建花园 of ten projects
    if part.kind in (Kind.INDICATOR, Kind.GROWTH):
        raise KpitrackError(N_("part {part!r} ({file}) is a {kind} target: its readings are "
                               "rates or indicators, which do not add up"), parent.path, 1, part=part_id,
                            file=part.path, kind=part.kind.value)
    if conversion(part.unit, parent.unit) is None:
        raise KpitrackError(N_("part {part!r} ({file}) counts {unit!r}, which does not convert to {parent!r}"),
                            parent.path, 1, part=part_id, file=part.path, unit=part.unit, parent=parent.unit)
    return part


def _with_sums(parent: Target, parts: list[Target]) -> Target:
    """The parent with the sums of its parts' targets and baselines where its file gives none."""
    from kpitrack.domain.compute import summed  # the figures, only where parts are summed
    from kpitrack.files.schema_kinds import check_direction

    total = summed(parent, parts, "target") if parent.target_from_parts else parent.target
    baseline = summed(parent, parts, "baseline") if parent.baseline_from_parts else parent.baseline
    check_direction(baseline, total, parent.direction, parent.path, 1)
    return replace(parent, target=total, baseline=baseline)


def load_plans(root: Path, problems: list[KpitrackError], folders: list | None = None, cache: Path | None = None,
               real_root: str | None = None) -> dict[str, Plan]:
    """The plan.toml of every folder, by folder (of the `folders` walked, with their file names, if
    given); a broken one becomes a problem. With `cache` and the workspace's `real_root`, from
    load_workspace: through the cache."""
    plans = {}
    for folder, files in _folders(root) if folders is None else folders:
        if PLAN_FILE in files:
            path = folder / PLAN_FILE
            try:
                plan = plan_from_file(path, root, cache, real_root)
            except KpitrackError as problem:
                problems.append(problem)
                continue
            plans[plan.group] = plan
    return plans


def plan_from_file(path: Path, root: Path, cache: Path | None = None, real_root: str | None = None) -> Plan:
    group = path.parent.relative_to(root).as_posix() if path.parent != root else ""

    def parse(data: bytes) -> Plan:
        from kpitrack.files.document import key_lines, parse_toml
        from kpitrack.files.schema import plan_from_document

        text = checked_text(data, path)
        return plan_from_document(parse_toml(text, path), group, path, key_lines(text))

    from kpitrack.domain.plans import Plan

    return _plain(path, root, cache, real_root, parse, Plan)


def load_settings(root: Path, cache: Path | None = None, real_root: str | None = None) -> Settings:
    path = root / SETTINGS_FILE
    if not path.is_file():
        return Settings()

    def parse(data: bytes) -> Settings:
        from kpitrack.files.document import key_lines, parse_toml
        from kpitrack.files.schema import settings_from_document

        text = checked_text(data, path)
        return settings_from_document(parse_toml(text, path), path, key_lines(text))

    # its place names the file as given: the notice of an old at_risk_band quotes that path
    return _plain(path, root, cache, real_root, parse, Settings, str(path))


def _plain(path: Path, root: Path, cache: Path | None, real_root: str | None, parse: Callable[[bytes], Any],
           kind: type, *place: str):
    """`parse` of a settings or plan file's bytes; with `cache` and the workspace's `real_root`, as
    load_workspace reads them, through the cache as a target file is (see load_target)."""
    if not cache or real_root is None:
        return parse(read_bytes(path))
    import time

    from kpitrack.files.cache import cached

    looked = time.time_ns()  # before the stat: see kpitrack.files.cache on files racily clean
    status = file_status(path)
    return cached(cache, (real_root, path.relative_to(root).as_posix(), *place), None, status, looked, parse,
                  lambda: read_bytes(path), batch=True, plain=kind)


def find_target_file(root: Path, target_id: str) -> Path:
    """The file of the target `target_id`; the error names close ids when there is none."""
    check_id(target_id)
    matches = [path for path in target_files(root) if path.stem == target_id]
    if not matches:
        hint = did_you_mean(target_id, [path.stem for path in target_files(root)]) or _(
            "`kpitrack status` lists the ids")
        raise KpitrackError(N_("no target {id!r} in {root}; {hint}"), id=target_id, root=root, hint=hint)
    if len(matches) > 1:
        raise KpitrackError(N_("id {id!r} is defined twice: {first} and {second}; rename one"), id=target_id,
                            first=matches[0], second=matches[1])
    return inside(matches[0], root)


def find_target(root: Path, text: str, cache: Path | None = None) -> Path:
    """The file of the target named by its id, or by a fragment of its title (in Chinese, or any
    text that is not plain ASCII: an ASCII word is taken as an id, so a mistyped id is never matched
    to an English title) that matches exactly one target; several matches are listed."""
    from kpitrack.domain.parse import normalized

    if text.isascii():  # an id, typed or mistyped: never a guess from an English title
        return find_target_file(root, text)
    fragment = normalized(text).casefold()
    hits = [target for target in load_workspace(root, cache).targets
            if fragment and fragment in normalized(target.title).casefold()]
    if len(hits) == 1:
        return inside(hits[0].path, root)  # type: ignore[arg-type]
    if hits:
        listed = _("; ").join(f"{target.id} ({target.title})" for target in hits[:10])
        more = _("; and {count} more").format(count=len(hits) - 10) if len(hits) > 10 else ""
        raise KpitrackError(N_("{text!r} is in the titles of {count} targets: {listed}{more}; give the id"),
                            text=text, count=len(hits), listed=listed, more=more)
    raise KpitrackError(N_("no target has {text!r} in its title; `kpitrack status` lists the ids and titles"),
                        text=text)


def load_target(path: Path, root: Path, cache: Path | None = None,
                periods: dict[Path, Period | None] | None = None, real_root: str | None = None,
                walked: tuple[Found, Path, int] | None = None, entries: bool = True) -> Target:
    """Read and validate one target file; with a `cache` folder, a file read before in exactly
    these bytes is not parsed again (see `cached`). `real_root` is the workspace's real path when
    load_workspace found the file: its folders are then no links (the walk follows none), and its
    rows in the cache are written with the whole workspace's, in few transactions. `walked`, from
    load_workspace: what the walk found of the file, its folder, and when the walk began. `entries`:
    see load_workspace."""
    found, folder, looked = walked if walked is not None else (None, path.parent, 0)
    if real_root is None or (found.link if found is not None else path.is_symlink()):
        inside(path, root)
    if not ID_PATTERN.fullmatch(path.stem):
        raise KpitrackError(
            N_("file name {name!r} is not a valid id: use lower-case letters, digits, - and _"), path, name=path.name)
    periods = {} if periods is None else periods  # by folder: read each plan.toml once per load
    if folder not in periods:
        periods[folder] = plan_period(folder, root, cache, real_root)
    file = TargetFile(path, root, periods[folder])
    if not cache:
        return file.parse(file.read())
    from kpitrack.files.cache import cached  # sqlite, only where targets are loaded for figures

    if found is None:
        import time

        looked = time.time_ns()  # before the stat: see kpitrack.files.cache on files racily clean
        status, relative = file_status(path), path.relative_to(root).as_posix()
    else:
        status, relative = sized(path, found.status), found.relative
    # The same file however the workspace was named (relative, absolute, through a link).
    place = (real_root or str(root.resolve()), relative, *(day.isoformat() for day in file.period or ()))
    return cached(cache, place, path, status, looked, file.parse, file.read, batch=real_root is not None,
                  entries=entries)


class TargetFile:
    """How one target file is read and parsed: what its cached entries keep to read it again (one
    small object a target where three closures took 6 MB for 10,000 targets)."""

    __slots__ = ("path", "root", "period")

    def __init__(self, path: Path, root: Path, period: Period | None) -> None:
        self.path, self.root, self.period = path, root, period

    def read(self) -> bytes:
        return read_bytes(self.path)

    def parse(self, data: bytes) -> Target:
        from kpitrack.files.document import key_lines, parse_toml
        from kpitrack.files.schema import target_from_document

        text = checked_text(data, self.path)
        return target_from_document(parse_toml(text, self.path), self.path, self.root, key_lines(text), self.period)


def plan_period(folder: Path, root: Path, cache: Path | None = None, real_root: str | None = None) -> Period | None:
    """The period (start, due) of the nearest plan.toml from `folder` up to the workspace root,
    which gives its targets the dates they leave out; None when there is none, or it gives no
    dates. A broken plan.toml gives none here: loading the plans reports it. (`cache`, `real_root`:
    see load_plans.)"""
    place = folder
    while True:
        path = place / PLAN_FILE
        if path.is_file():
            try:
                plan = plan_from_file(path, root, cache, real_root)
            except KpitrackError:
                return None
            return (plan.start, plan.due) if plan.start and plan.due else None
        if place == root or place.parent == place:
            return None
        place = place.parent


def read_text(path: Path) -> str:
    """A settings or plan file's text; one with conflict markers is refused, naming their lines."""
    return checked_text(read_bytes(path), path)


def checked_text(data: bytes, path: Path) -> str:
    """A file's bytes as text (UTF-8); one with conflict markers is refused, naming their lines."""
    from kpitrack.files.document import check_resolved, decode

    text = decode(data, path)
    check_resolved(text, path)
    return text


def read_bytes(path: Path) -> bytes:
    file_status(path)
    try:
        return path.read_bytes()
    except OSError as error:
        raise KpitrackError(N_("cannot read: {reason}"), path, reason=os_reason(error)) from None


def file_status(path: Path) -> os.stat_result:
    """The file's stat; refused when it cannot be had or the file is over the size limit."""
    try:
        status = os.stat(path)
    except OSError as error:
        raise KpitrackError(N_("cannot read: {reason}"), path, reason=os_reason(error)) from None
    return sized(path, status)


def sized(path: Path, status: os.stat_result) -> os.stat_result:
    """The stat of a file within the size limit; refused otherwise."""
    if status.st_size > MAX_FILE_BYTES:
        raise KpitrackError(N_("file is {size} MiB, over the {limit} MiB limit for one target; split it"), path,
                            size=status.st_size // (1024 * 1024), limit=MAX_FILE_BYTES // (1024 * 1024))
    return status


def inside(path: Path, root: Path) -> Path:
    """Refuse a file that a link takes outside the workspace."""
    if not path.resolve().is_relative_to(root.resolve()):
        raise KpitrackError(N_("links to {where}, outside the workspace {root}; keep target files inside it"), path,
                            where=path.resolve(), root=root)
    return path
