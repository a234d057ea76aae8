"""The workspace on disk: finding it, reading and validating target files, writing safely."""

from __future__ import annotations

import fcntl
import os
import re
import tomllib
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from kpitrack.errors import KpitrackError
from kpitrack.parse import size_problem
from kpitrack.model import (CADENCES, Cadence, Checkpoint, Direction, Entry, Kind, Plan, Settings, Target,
                            Workspace)

SETTINGS_FILE = "kpitrack.toml"
PLAN_FILE = "plan.toml"  # a folder's description of the plan its targets come from
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
MAX_FILE_BYTES = 16 * 1024 * 1024

TARGET_KEYS = (
    "title", "unit", "target", "baseline", "start", "due", "kind", "direction",
    "owner", "source", "tags", "stretch", "cadence", "parts", "checkpoint", "progress",
)
PLAN_KEYS = ("title", "issuer", "date", "source", "period")
CHECKPOINT_KEYS = ("date", "value")
PROGRESS_KEYS = ("date", "value", "total", "done", "note", "source")
SETTINGS_KEYS = ("at_risk_band", "cadence", "stale_grace_days")


# --- finding the workspace ---------------------------------------------------------------


def find_root(explicit: str | None, environment: dict[str, str] | None = None) -> Path:
    """The workspace folder: `--dir`, else $KPITRACK_DIR, else ./targets, else the nearest folder
    from here upwards that holds kpitrack.toml."""
    environment = os.environ if environment is None else environment
    for value, name in ((explicit, "--dir"), (environment.get("KPITRACK_DIR"), "KPITRACK_DIR")):
        if value:
            path = Path(value)
            if not path.is_dir():
                raise KpitrackError(f"{name} {value}: no such folder; create it with `kpitrack init {value}`")
            return path
    if Path("targets").is_dir():
        return Path("targets")
    here = Path.cwd()
    for folder in (here, *here.parents):  # from inside a workspace, e.g. a plan's folder
        if (folder / SETTINGS_FILE).is_file():
            return Path(os.path.relpath(folder))
    raise KpitrackError(
        "no workspace here: run `kpitrack init` to make ./targets, "
        "or point to one with --dir PATH or KPITRACK_DIR"
    )


def _folders(root: Path):
    """(folder, its file names) for `root` and every folder below it, in a stable order; hidden
    folders (.git) are skipped, and links to folders are not followed."""
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        yield Path(folder), sorted(files)


def target_files(root: Path) -> list[Path]:
    """Every target file below `root`, in a stable order."""
    found = []
    for folder, files in _folders(root):
        is_root = folder == root
        for name in files:
            if name.endswith(".toml") and name != PLAN_FILE and not (is_root and name == SETTINGS_FILE):
                found.append(folder / name)
    return found


# --- reading -------------------------------------------------------------------------------


def load_workspace(root: Path, cache: Path | None = None) -> Workspace:
    """Read every target of the workspace; a broken file becomes a problem, not a failure."""
    workspace = Workspace(root=root)
    try:
        workspace.settings = load_settings(root)
    except KpitrackError as problem:
        workspace.problems.append(problem)
    seen: dict[str, Path] = {}
    for path in target_files(root):
        try:
            target = load_target(path, root, cache)
        except KpitrackError as problem:
            workspace.problems.append(problem)
            continue
        if target.id in seen:
            workspace.problems.append(KpitrackError(
                f"id {target.id!r} is already used by {seen[target.id]}; ids must be unique, rename one file",
                path, 1))
            continue
        seen[target.id] = path
        workspace.targets.append(target)
    resolve_parts(workspace)
    workspace.plans = load_plans(root, workspace.problems)
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
            raise KpitrackError(f"parts go round in a circle: {cycle}", target.path, 1)
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
                f"its part fails: {problem}", target.path, 1))
    workspace.targets = kept


def _part(by_id: dict[str, Target], parent: Target, part_id: str) -> Target:
    from kpitrack.units import conversion

    part = by_id.get(part_id)
    if part is None:
        raise KpitrackError(f"part {part_id!r} is not a target of this workspace", parent.path, 1)
    if part.kind is Kind.MILESTONE or parent.kind is Kind.MILESTONE:
        raise KpitrackError(f"part {part_id!r} ({part.path}) is a milestone; only figures add up", parent.path, 1)
    if conversion(part.unit, parent.unit) is None:
        raise KpitrackError(f"part {part_id!r} ({part.path}) counts {part.unit!r}, which does not convert to "
                            f"{parent.unit!r}", parent.path, 1)
    return part


def _with_sums(parent: Target, parts: list[Target]) -> Target:
    """The parent with the sums of its parts' targets and baselines where its file gives none."""
    from kpitrack.units import conversion, tidy

    def added(figure: str) -> Decimal:
        return tidy(sum((getattr(part, figure) * conversion(part.unit, parent.unit) for part in parts), Decimal(0)))

    total = added("target") if parent.target_from_parts else parent.target
    baseline = added("baseline") if parent.baseline_from_parts else parent.baseline
    _check_direction(baseline, total, parent.direction, parent.path, 1)
    return replace(parent, target=total, baseline=baseline)


def load_plans(root: Path, problems: list[KpitrackError]) -> dict[str, Plan]:
    """The plan.toml of every folder, by folder; a broken one becomes a problem."""
    plans = {}
    for folder, files in _folders(root):
        if PLAN_FILE in files:
            path = folder / PLAN_FILE
            try:
                plan = plan_from_file(path, root)
            except KpitrackError as problem:
                problems.append(problem)
                continue
            plans[plan.group] = plan
    return plans


def plan_from_file(path: Path, root: Path) -> Plan:
    text = read_text(path)
    document, lines = parse_toml(text, path), key_lines(text)
    _reject_unknown_keys(document, PLAN_KEYS, path, lines, (None, 0))
    if "title" not in document:
        raise KpitrackError("missing key 'title' (the document's title)", path, 1)

    def where(key: str) -> int | None:
        return lines.get((None, 0, key))

    return Plan(
        group=path.parent.relative_to(root).as_posix() if path.parent != root else "",
        title=_text(document["title"], "title", path, where("title"), required=True),
        issuer=_optional_text(document, "issuer", path, where("issuer")),
        date=_date(document["date"], "date", path, where("date")) if "date" in document else None,
        source=_optional_text(document, "source", path, where("source")),
        period=_optional_text(document, "period", path, where("period")),
    )


def load_settings(root: Path) -> Settings:
    path = root / SETTINGS_FILE
    if not path.is_file():
        return Settings()
    text = read_text(path)
    document = parse_toml(text, path)
    lines = key_lines(text)
    _reject_unknown_keys(document, SETTINGS_KEYS, path, lines, (None, 0))

    def where(key: str) -> int | None:
        return lines.get((None, 0, key))

    band = _number(document.get("at_risk_band", Settings.at_risk_band), "at_risk_band", path, where("at_risk_band"))
    if not 0 < band <= 100:
        raise KpitrackError("at_risk_band must be above 0 and at most 100 (points of lag)",
                            path, where("at_risk_band"))
    grace = document.get("stale_grace_days", Settings.stale_grace_days)
    if isinstance(grace, bool) or not isinstance(grace, int) or grace < 0:
        raise KpitrackError("stale_grace_days must be a whole number of days, 0 or more", path,
                            where("stale_grace_days"))
    cadence = _cadence(document["cadence"], path, where("cadence")) if "cadence" in document else None
    return Settings(at_risk_band=band, cadence=cadence, stale_grace_days=grace)


def find_target_file(root: Path, target_id: str) -> Path:
    """The file of the target `target_id`; the error names close ids when there is none."""
    check_id(target_id)
    matches = [path for path in target_files(root) if path.stem == target_id]
    if not matches:
        hint = did_you_mean(target_id, [path.stem for path in target_files(root)]) or "`kpitrack status` lists the ids"
        raise KpitrackError(f"no target {target_id!r} in {root}; {hint}")
    if len(matches) > 1:
        raise KpitrackError(f"id {target_id!r} is defined twice: {matches[0]} and {matches[1]}; rename one")
    return _inside(matches[0], root)


def load_target(path: Path, root: Path, cache: Path | None = None) -> Target:
    """Read and validate one target file; with a `cache` folder, a file read before in exactly
    these bytes is not parsed again (see `cached`)."""
    _inside(path, root)
    if not ID_PATTERN.fullmatch(path.stem):
        raise KpitrackError(
            f"file name {path.name!r} is not a valid id: use lower-case letters, digits, - and _", path)
    data = read_bytes(path)

    def parse() -> Target:
        text = decode(data, path)
        return target_from_document(parse_toml(text, path), path, root, key_lines(text))

    return cached(cache, (str(path), str(root)), data, parse) if cache else parse()


def read_text(path: Path) -> str:
    return decode(read_bytes(path), path)


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise KpitrackError(f"file is {size // (1024 * 1024)} MiB, over the "
                                f"{MAX_FILE_BYTES // (1024 * 1024)} MiB limit for one target; split it", path)
        return path.read_bytes()
    except OSError as error:
        raise KpitrackError(f"cannot read: {error.strerror}", path) from None


# --- the parse cache -------------------------------------------------------------------------

CACHE_FORMAT = "1"


def cache_folder(environment: dict[str, str] | None = None) -> Path | None:
    """Where parsed targets are kept between runs: $KPITRACK_CACHE_DIR (empty or "off": none),
    else $XDG_CACHE_HOME/kpitrack, else ~/.cache/kpitrack; None without a home (as under cron)."""
    environment = os.environ if environment is None else environment
    explicit = environment.get("KPITRACK_CACHE_DIR")
    if explicit is not None:
        return Path(explicit) if explicit not in ("", "off") else None
    base = environment.get("XDG_CACHE_HOME") or (
        str(Path(environment["HOME"]) / ".cache") if environment.get("HOME") else None)
    return Path(base) / "kpitrack" if base else None


def cached(cache: Path, place: tuple[str, ...], data: bytes, parse: Callable[[], Target]) -> Target:
    """`parse()`, or what it gave before for exactly these bytes at this place.

    Entries are keyed by a SHA-256 of the bytes and kpitrack's version, in a folder per place, so
    any change to a file makes a new key: the cache is derived from the files only, never the
    source of truth, and safe to delete; each place keeps only its latest entry. Pickles can run
    code, so the cache is used only in a folder of the user's own that nobody else can write to.
    Any trouble with it (unwritable, corrupt, foreign) just means parsing.
    """
    import hashlib
    import pickle

    from kpitrack import __version__

    folder = cache / CACHE_FORMAT / hashlib.sha256("\0".join(place).encode()).hexdigest()[:32]
    digest = hashlib.sha256(__version__.encode() + b"\0" + data).hexdigest()
    entry = folder / f"{digest}.pickle"
    if _private(cache):
        try:
            target = pickle.loads(entry.read_bytes())
            if isinstance(target, Target):
                return target
        except Exception:  # absent, unreadable or corrupt: parse instead
            pass
    target = parse()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if _private(cache):
            for old in folder.glob("*.pickle"):  # the entries of this file's earlier versions
                old.unlink(missing_ok=True)
            temporary = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
            temporary.write_bytes(pickle.dumps(target, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(temporary, entry)
    except OSError:
        pass  # a cache that cannot be written is no cache, not an error
    return target


def _private(folder: Path) -> bool:
    """Whether `folder` is the user's own and no one else may write to it."""
    try:
        status = folder.stat()
    except OSError:
        return False
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


def decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")  # a byte-order mark, as Windows Notepad writes, is skipped
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise KpitrackError(f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8",
                            path, line) from None


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    """Parse TOML with exact decimals; errors name the line and column tomllib reports."""
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.search(message)
        line = column = None
        if match and match.group(1):
            line, column = int(match.group(1)), int(match.group(2))
        elif match:
            line = text.count("\n") + (0 if text.endswith("\n") else 1)
        reason = message[: match.start()] if match else message
        raise KpitrackError(f"invalid TOML: {reason}", path, line, column) from None


_HEADER = re.compile(r"\s*\[\[\s*([A-Za-z0-9_-]+)\s*\]\]\s*(#.*)?")
_TABLE = re.compile(r"\s*\[\s*([A-Za-z0-9_-]+)\s*\]\s*(#.*)?")
_KEY = re.compile(r"\s*([A-Za-z0-9_-]+)\s*=")

LineIndex = dict[tuple, int]


def key_lines(text: str) -> LineIndex:
    """Where things stand in a TOML text, for messages: (table, index, key) -> line number.

    (None, 0, key) is a top-level key; ("progress", 2, None) the header of the third entry.
    A heuristic scan, used only to point at lines; tomllib does the parsing.
    """
    lines: LineIndex = {}
    section: tuple[str | None, int] = (None, 0)
    counts: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.fullmatch(line) or _TABLE.fullmatch(line)
        if header:
            name = header.group(1)
            section = (name, counts.get(name, 0))
            counts[name] = section[1] + 1
            lines[(*section, None)] = number
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault((*section, key.group(1)), number)
    return lines


# --- validating ----------------------------------------------------------------------------


def target_from_document(document: dict[str, Any], path: Path, root: Path, lines: LineIndex) -> Target:
    """Check a parsed target file and build the Target it describes."""
    _reject_unknown_keys(document, TARGET_KEYS, path, lines, (None, 0))

    def where(key: str) -> int | None:
        return lines.get((None, 0, key))

    for key in ("title", "start", "due"):
        if key not in document:
            raise KpitrackError(f"missing key {key!r}", path, 1)
    kind = _choice(document.get("kind", "cumulative"), Kind, "kind", path, where("kind"))
    direction = _choice(document.get("direction", "increase"), Direction, "direction", path, where("direction"))
    start = _date(document["start"], "start", path, where("start"))
    due = _date(document["due"], "due", path, where("due"))
    if due < start:
        raise KpitrackError(f"due {due} is before start {start}", path, where("due"))
    fields: dict[str, Any] = dict(
        id=path.stem,
        group=path.parent.relative_to(root).as_posix() if path.parent != root else "",
        path=path,
        title=_text(document["title"], "title", path, where("title"), required=True),
        start=start,
        due=due,
        kind=kind,
        direction=direction,
        unit=_text(document.get("unit", ""), "unit", path, where("unit")),
        owner=_optional_text(document, "owner", path, where("owner")),
        source=_optional_text(document, "source", path, where("source")),
        tags=_tags(document.get("tags", []), path, where("tags")),
        stretch=_flag(document.get("stretch", False), "stretch", path, where("stretch")),
        cadence=_cadence(document["cadence"], path, where("cadence")) if "cadence" in document else None,
    )
    if kind is Kind.MILESTONE:
        for key in ("target", "baseline", "unit", "checkpoint", "parts"):
            if key in document:
                raise KpitrackError(f"a milestone has no {key!r}: it is done or not; remove the key",
                                    path, where(key))
    else:
        fields["baseline"] = _number(document.get("baseline", 0), "baseline", path, where("baseline"))
        if "parts" in document:
            fields["parts"] = _parts(document["parts"], path, where("parts"))
            # What the file leaves out, the parts' sums fill in once they are read.
            fields["target_from_parts"] = "target" not in document
            fields["baseline_from_parts"] = "baseline" not in document
            if "checkpoint" in document and (fields["target_from_parts"] or fields["baseline_from_parts"]):
                raise KpitrackError("checkpoints need a target and a baseline of the file's own",
                                    path, where("checkpoint"))
        elif "target" not in document:
            raise KpitrackError("missing key 'target' (the figure to reach)", path, 1)
        if "target" in document:
            fields["target"] = _number(document["target"], "target", path, where("target"))
            if not fields.get("baseline_from_parts"):
                _check_direction(fields["baseline"], fields["target"], direction, path, where("target"))
    draft = Target(**fields)
    checkpoints = _checkpoints(document.get("checkpoint", []), draft, path, lines)
    progress = _tables(document.get("progress", []), "progress", path, where("progress"))
    entries = tuple(_entry(table, index, draft, path, lines) for index, table in enumerate(progress))
    return replace(draft, checkpoints=checkpoints, entries=entries)


def _check_direction(baseline: Decimal, target: Decimal, direction: Direction, path: Path, line: int | None) -> None:
    if target == baseline:
        raise KpitrackError(f"target equals baseline ({target}): there is nothing to do", path, line)
    if direction is Direction.INCREASE and target < baseline:
        raise KpitrackError(f"target {target} is below baseline {baseline}; "
                            "set direction = \"decrease\" if the figure must fall", path, line)
    if direction is Direction.DECREASE and target > baseline:
        raise KpitrackError(f"target {target} is above baseline {baseline} but direction is \"decrease\"",
                            path, line)


def _checkpoints(raw: Any, target: Target, path: Path, lines: LineIndex) -> tuple[Checkpoint, ...]:
    checkpoints: list[Checkpoint] = []
    for index, table in enumerate(_tables(raw, "checkpoint", path, lines.get((None, 0, "checkpoint")))):
        _reject_unknown_keys(table, CHECKPOINT_KEYS, path, lines, ("checkpoint", index))
        at = lines.get(("checkpoint", index, None))
        if "date" not in table or "value" not in table:
            raise KpitrackError("a checkpoint needs both date and value", path, at)
        when = _date(table["date"], "checkpoint date", path, lines.get(("checkpoint", index, "date"), at))
        value = _number(table["value"], "checkpoint value", path, lines.get(("checkpoint", index, "value"), at))
        if not target.start <= when <= target.due:
            raise KpitrackError(f"checkpoint {when} is outside the period {target.start} to {target.due}",
                                path, at)
        if checkpoints and when <= checkpoints[-1].date:
            raise KpitrackError("checkpoints must be in date order, one per date", path, at)
        sign = 1 if target.direction is Direction.INCREASE else -1
        previous = checkpoints[-1].value if checkpoints else target.baseline
        if sign * (value - previous) < 0 or sign * (target.target - value) < 0:
            raise KpitrackError(f"checkpoint value {value} must lie between the previous checkpoint "
                                f"(or baseline) {previous} and the target {target.target}", path, at)
        checkpoints.append(Checkpoint(when, value))
    return tuple(checkpoints)


def _entry(table: dict[str, Any], index: int, target: Target, path: Path, lines: LineIndex) -> Entry:
    _reject_unknown_keys(table, PROGRESS_KEYS, path, lines, ("progress", index))
    at = lines.get(("progress", index, None))

    def where(key: str) -> int | None:
        return lines.get(("progress", index, key), at)

    if "date" not in table:
        raise KpitrackError("progress entry has no date", path, at)
    entry = Entry(
        date=_date(table["date"], "date", path, where("date")),
        value=_number(table["value"], "value", path, where("value")) if "value" in table else None,
        total=_flag(table.get("total", False), "total", path, where("total")),
        done=_flag(table["done"], "done", path, where("done")) if "done" in table else None,
        note=_optional_text(table, "note", path, where("note")),
        source=_optional_text(table, "source", path, where("source")),
        line=at,
    )
    problem = entry_problem(target, entry)
    if problem:
        raise KpitrackError(problem, path, at)
    return entry


def entry_problem(target: Target, entry: Entry) -> str | None:
    """Why `entry` does not fit `target`'s kind, or None when it does."""
    if target.kind is Kind.MILESTONE:
        if entry.total:
            return "`total` is only for cumulative targets; a milestone entry records `done`"
        if entry.value is not None:
            return "a milestone entry records `done = true` (or false), not a value"
        if entry.done is None:
            return "a milestone entry needs `done = true` (or false)"
        return None
    if entry.done is not None:
        return f"`done` is only for milestones; this is a {target.kind.value} target: give a value"
    if entry.value is None:
        return "progress entry has no value"
    if entry.total and target.kind is not Kind.CUMULATIVE:
        return "`total` is only for cumulative targets; a level entry is always a reading"
    if target.kind is Kind.CUMULATIVE and not entry.total:
        sign = 1 if target.direction is Direction.INCREASE else -1
        if sign * entry.value < 0:
            return (f"an increment of {entry.value} runs against this {target.direction.value} target; "
                    "to correct the figure, record the running total instead (--total, total = true)")
    return None


def entry_warnings(target: Target, entry: Entry) -> list[str]:
    """What is allowed but probably a slip: an entry dated outside the target's period."""
    if entry.date < target.start:
        return [f"{entry.date} is before the start {target.start}; recorded all the same"]
    if entry.date > target.due:
        return [f"{entry.date} is after the due date {target.due}; recorded all the same "
                "(a figure for the whole period is usually dated on the due date)"]
    return []


def target_warnings(target: Target) -> list[KpitrackError]:
    """The warnings of every entry of `target`, each with its file and line."""
    return [KpitrackError(f"warning: {warning}", target.path, entry.line)
            for entry in target.entries for warning in entry_warnings(target, entry)]


def check_text(value: str | None, name: str) -> None:
    """Text that cannot be stored as UTF-8 (stray bytes from a terminal) is refused, not mangled."""
    if value is None:
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise KpitrackError(f"{name} is not valid UTF-8 text; check the terminal's encoding") from None


def _reject_unknown_keys(table: dict[str, Any], allowed: tuple[str, ...], path: Path,
                         lines: LineIndex, section: tuple[str | None, int]) -> None:
    for key in table:
        if key not in allowed:
            hint = did_you_mean(key, allowed) or f"allowed: {', '.join(allowed)}"
            line = lines.get((*section, key), lines.get((*section, None)))
            raise KpitrackError(f"unknown key {key!r}; {hint}", path, line)


def _tables(raw: Any, name: str, path: Path, line: int | None) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise KpitrackError(f"{name!r} must be written as [[{name}]] tables", path, line)
    return raw


def _choice(raw: Any, choices: type, key: str, path: Path, line: int | None):
    names = [choice.value for choice in choices]
    if raw not in names:
        raise KpitrackError(f"{key} {raw!r} is not one of: {', '.join(names)}", path, line)
    return choices(raw)


def _date(raw: Any, key: str, path: Path, line: int | None) -> date:
    if isinstance(raw, datetime) or not isinstance(raw, date):
        raise KpitrackError(f"{key} must be a date written like 2023-06-30 (no quotes, no time)", path, line)
    return raw


def _number(raw: Any, key: str, path: Path, line: int | None) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, (int, Decimal)):
        raise KpitrackError(f"{key} must be a number, not {raw!r}", path, line)
    number = Decimal(raw)
    if not number.is_finite():
        raise KpitrackError(f"{key} must be a finite number, not {raw}", path, line)
    problem = size_problem(number)
    if problem:
        raise KpitrackError(f"{key} {problem}", path, line)
    return number


def _parts(raw: Any, path: Path, line: int | None) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(part, str) and ID_PATTERN.fullmatch(part)
                                                        for part in raw):
        raise KpitrackError('parts must be a list of target ids, like parts = ["sz23-baoan", "sz23-futian"]',
                            path, line)
    if len(set(raw)) != len(raw):
        raise KpitrackError("parts names a target twice", path, line)
    return tuple(raw)


def _cadence(raw: Any, path: Path, line: int | None) -> Cadence:
    if raw in CADENCES or (isinstance(raw, int) and not isinstance(raw, bool) and raw > 0):
        return raw
    raise KpitrackError(f"cadence {raw!r} is not one of {', '.join(CADENCES)} or a number of days", path, line)


def _flag(raw: Any, key: str, path: Path, line: int | None) -> bool:
    if not isinstance(raw, bool):
        raise KpitrackError(f"{key} must be true or false, not {raw!r}", path, line)
    return raw


def _text(raw: Any, key: str, path: Path, line: int | None, required: bool = False) -> str:
    if not isinstance(raw, str) or (required and not raw.strip()):
        raise KpitrackError(f"{key} must be {'non-empty ' if required else ''}text in quotes", path, line)
    return raw


def _optional_text(table: dict[str, Any], key: str, path: Path, line: int | None) -> str | None:
    return _text(table[key], key, path, line) if key in table else None


def _tags(raw: Any, path: Path, line: int | None) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(tag, str) for tag in raw):
        raise KpitrackError('tags must be a list of text, like tags = ["housing"]', path, line)
    return tuple(raw)


def did_you_mean(word: str, choices) -> str | None:
    """`did you mean 'title'?` for the closest of `choices`, or None when none is close."""
    import difflib  # only on a mistake: its import costs start-up time

    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean {close[0]!r}?" if close else None


def check_id(target_id: str) -> None:
    if not ID_PATTERN.fullmatch(target_id):
        raise KpitrackError(
            f"{target_id!r} is not a valid id: start with a lower-case letter or digit, "
            "then use only lower-case letters, digits, - and _")


def _inside(path: Path, root: Path) -> Path:
    """Refuse a file that a link takes outside the workspace."""
    if not path.resolve().is_relative_to(root.resolve()):
        raise KpitrackError(f"links to {path.resolve()}, outside the workspace {root}; "
                            "keep target files inside it", path)
    return path


# --- writing -------------------------------------------------------------------------------


def toml_number(value: Decimal) -> int | Decimal:
    """1200 as a TOML integer, 18.5 as 18.5: tomli-w writes every Decimal as a float (1200.0)."""
    return int(value) if value.as_tuple().exponent >= 0 else value


def render_entry(entry: Entry) -> str:
    """The TOML block of one progress entry, as `kpitrack add` appends it."""
    import tomli_w

    fields: dict[str, Any] = {"date": entry.date}
    if entry.value is not None:
        fields["value"] = toml_number(entry.value)
    if entry.total:
        fields["total"] = True
    if entry.done is not None:
        fields["done"] = entry.done
    for key in ("note", "source"):
        if getattr(entry, key):
            fields[key] = getattr(entry, key)
    return "\n[[progress]]\n" + tomli_w.dumps(fields)


@dataclass(frozen=True)
class Appended:
    """Where an append put its bytes: the file grew from `start` to `end`."""

    path: Path
    start: int
    end: int
    target: Target  # the target as it was before the append


def append_entry(path: Path, root: Path, entry: Entry,
                 check: Callable[[Target], str | None] | None = None) -> Appended:
    """Add one entry at the end of a target file; see append_entries."""
    return append_entries(path, root, [entry], check)


def append_entries(path: Path, root: Path, entries: list[Entry],
                   check: Callable[[Target], str | None] | None = None) -> Appended:
    """Add `entries` at the end of the target file at `path`, in one write, under an exclusive lock.

    The file is validated first (a broken or torn file is refused, never repaired by
    dropping data); only the new blocks are written, so comments and layout survive; the
    appended bytes are read back and checked, and on any failure the file is cut back
    to its old length. `check` may refuse the entries once the target is known (by returning why).
    """
    for entry in entries:
        check_text(entry.note, "--note")
        check_text(entry.source, "--source")
    block = "".join(render_entry(entry) for entry in entries)
    try:
        handle = open(_inside(path, root), "r+b")
    except OSError as error:
        raise KpitrackError(f"cannot write: {error.strerror}; nothing was written", path) from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
        old = handle.read()
        text = decode(old, path)
        target, lines = _read_for_append(text, path, root)
        if (None, 0, "progress") in lines:
            raise KpitrackError("progress is written inline (progress = [...]); rewrite its entries as "
                                "[[progress]] blocks so that new ones can be appended", path,
                                lines[(None, 0, "progress")])
        problem = next(filter(None, (entry_problem(target, entry) for entry in entries)), None)
        problem = problem or (check(target) if check else None)
        if problem:
            raise KpitrackError(problem, path)
        payload = (b"" if not old or old.endswith(b"\n") else b"\n") + block.encode("utf-8")
        try:
            handle.seek(len(old))
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
            handle.seek(len(old))
            if handle.read() != payload or _read_back(payload) != entries:
                raise OSError(0, "what was written does not read back as the entry")
        except OSError as error:
            handle.truncate(len(old))
            handle.flush()
            os.fsync(handle.fileno())
            raise KpitrackError(f"could not add the entry ({error.strerror}); the file is unchanged",
                                path) from None
    return Appended(path, len(old), len(old) + len(payload), target)


_PROGRESS_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*progress[ \t]*\]\][ \t]*(?:#.*)?$", re.MULTILINE)


def _read_for_append(text: str, path: Path, root: Path) -> tuple[Target, LineIndex]:
    """The target's definition, checked, and the line index of its top-level keys.

    An append must cost no more on a file of ten thousand entries than on one of ten, so this
    reads the definition (all before the first [[progress]]) and the last entry (where a crash
    would have torn the file), not every entry between; `validate` and `status` read those.
    A file laid out otherwise, or one with a problem, is read whole, for the exact message.
    """
    first = _PROGRESS_HEADER.search(text)
    last = None
    if first:
        last_start = text.rfind("[[", first.start())
        last = _PROGRESS_HEADER.search(text, text.rfind("\n", 0, last_start) + 1)
    if first and last:
        try:
            head, tail = text[:first.start()], text[last.start():]
            lines = key_lines(head)
            target = target_from_document(tomllib.loads(head, parse_float=Decimal), path, root, lines)
            document = tomllib.loads(tail, parse_float=Decimal)
            if list(document) == ["progress"] and len(document["progress"]) == 1:
                _entry(document["progress"][0], 0, target, path, {})
                return target, lines
        except (tomllib.TOMLDecodeError, KpitrackError):
            pass  # read whole below, for the exact message
    lines = key_lines(text)
    return target_from_document(parse_toml(text, path), path, root, lines), lines


def undo_append(appended: Appended) -> None:
    """Cut a file back to where it was before `appended`, unless it has grown since (then another
    writer's entry would go too, so it is left alone and the error says so)."""
    with open(appended.path, "r+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        size = os.fstat(handle.fileno()).st_size
        if size != appended.end:
            raise KpitrackError("changed by another writer meanwhile; its new entries were kept: "
                                "check them by hand", appended.path)
        handle.truncate(appended.start)
        handle.flush()
        os.fsync(handle.fileno())


def _read_back(payload: bytes) -> list[Entry]:
    tables = tomllib.loads(payload.decode("utf-8"), parse_float=Decimal)["progress"]
    return [Entry(date=table["date"], value=Decimal(table["value"]) if "value" in table else None,
                  total=table.get("total", False), done=table.get("done"),
                  note=table.get("note"), source=table.get("source")) for table in tables]


def target_document(target: Target) -> dict[str, Any]:
    """The TOML fields of a new target's file, in the documented order."""
    fields: dict[str, Any] = {"title": target.title}
    if target.kind is not Kind.MILESTONE:
        if target.unit:
            fields["unit"] = target.unit
        fields["target"] = toml_number(target.target)
        if target.baseline:
            fields["baseline"] = toml_number(target.baseline)
    fields.update(start=target.start, due=target.due, kind=target.kind.value,
                  direction=target.direction.value)
    for key in ("owner", "source"):
        if getattr(target, key):
            fields[key] = getattr(target, key)
    if target.tags:
        fields["tags"] = list(target.tags)
    if target.stretch:
        fields["stretch"] = True
    if target.cadence is not None:
        fields["cadence"] = target.cadence
    if target.parts:
        fields["parts"] = list(target.parts)
    return fields


def create_target(root: Path, target: Target) -> Path:
    """Write a new target file; refuses to replace any file. Returns its path."""
    import tomli_w

    check_id(target.id)
    for name in ("title", "unit", "owner", "source"):
        check_text(getattr(target, name), f"--{name}")
    for tag in target.tags:
        check_text(tag, "--tag")
    for existing in target_files(root):
        if existing.stem == target.id:
            raise KpitrackError(f"id {target.id!r} is already used by {existing}; choose another id")
    folder = root / target.group if target.group else root
    if target.group and any(part in ("", ".", "..") or not ID_PATTERN.fullmatch(part)
                            for part in target.group.split("/")):
        raise KpitrackError(f"--group {target.group!r}: use folder names of lower-case letters, digits, - and _")
    path = folder / f"{target.id}.toml"
    text = tomli_w.dumps(target_document(target))
    try:  # the same checks as reading, reported without the file that was not written
        target_from_document(parse_toml(text, path), path, root, key_lines(text))
    except KpitrackError as problem:
        raise KpitrackError(problem.message) from None
    _inside(folder, root)  # a linked folder must not lead out of the workspace
    _make_folder(folder)
    write_new_file(path, text)
    return path


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise KpitrackError(f"cannot make the folder: {error.strerror}", folder) from None


def write_new_file(path: Path, text: str) -> None:
    """Create `path` with `text`, never replacing a file that exists (os.link refuses to)."""
    _write_whole(path, text, os.link)


def _write_whole(path: Path, text: str, place: Callable[[Path, Path], None]) -> None:
    """Write a temporary file beside `path`, flush it to disk, then `place` it (link or rename) at
    `path`: a crash or a full disk leaves the old file or none, never half of the new one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        place(temporary, path)
    except FileExistsError:
        raise KpitrackError("already exists; nothing was written", path) from None
    except OSError as error:
        raise KpitrackError(f"cannot write: {error.strerror}; nothing was written", path) from None
    finally:
        temporary.unlink(missing_ok=True)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


SETTINGS_TEMPLATE = """\
# kpitrack workspace settings.
# Lag (planned % minus completion %, in points) from which a target counts as "behind";
# below it, but above 0, a target is "at-risk".
at_risk_band = 10
# How often new figures are expected, for targets that set no `cadence` of their own:
# "weekly", "monthly", "quarterly", "yearly" or a number of days. Without it, nothing is stale.
# cadence = "monthly"
# Days a figure may be late past its cadence before the target is flagged stale.
stale_grace_days = 7
"""

EXAMPLE_TEMPLATE = """\
# An example target: edit it, or delete it once you have your own.
# Each target is one file; its id is the file name. Folders group targets by plan.
title = "新增小升规工业企业 (example: new above-scale industrial firms)"
unit = "firms"
target = 1200
baseline = 0                # where the figure stood at start (optional, default 0)
start = {year}-01-01
due = {year}-12-31
kind = "cumulative"         # cumulative | level | milestone
direction = "increase"      # increase | decrease
owner = "Industry bureau"
source = "Where the pledge was made: document, date, link"
tags = ["industry"]

# Optional planned path; without checkpoints the plan is a straight line from start to due.
# [[checkpoint]]
# date = {year}-06-30
# value = 500

# Progress entries: `kpitrack add example 310 --date {year}-03-31` appends one like this.
# [[progress]]
# date = {year}-03-31
# value = 310
# note = "Q1 statistics bulletin"
"""


def init_workspace(folder: Path, year: int) -> list[Path]:
    """Make a workspace with settings and an example target; never overwrites a file."""
    if (folder / SETTINGS_FILE).exists():
        raise KpitrackError(f"{folder} is already a kpitrack workspace ({SETTINGS_FILE} exists)")
    _make_folder(folder)
    written = []
    for name, text in ((SETTINGS_FILE, SETTINGS_TEMPLATE), ("example.toml", EXAMPLE_TEMPLATE.format(year=year))):
        if not (folder / name).exists():
            write_new_file(folder / name, text)
            written.append(folder / name)
    return written


# --- import and reports --------------------------------------------------------------------

IMPORT_COLUMNS = ("id", "date", "value", "total", "note", "source")
_TRUE, _FALSE = ("true", "yes", "1", "y", "是"), ("false", "no", "0", "n", "否", "")


@dataclass(frozen=True)
class ImportRow:
    line: int
    target_id: str
    value_text: str  # as typed, to catch a scale written twice (1.8万 in a unit of 万个)
    entry: Entry


@dataclass
class ImportPlan:
    """What an import would do: new entries by target id, rows skipped as already there, problems."""

    additions: dict[str, list[ImportRow]]
    skipped: int
    problems: list[KpitrackError]
    encoding: str

    @property
    def count(self) -> int:
        """How many entries the import adds."""
        return sum(len(rows) for rows in self.additions.values())


def read_import(path: Path, encoding: str | None = None) -> tuple[list[ImportRow], list[KpitrackError], str]:
    """Rows of a progress CSV (id,date,value[,total][,note][,source]), each checked on its own.

    Without `encoding`, UTF-8 (with or without a byte-order mark) is tried, then GBK (as GB18030,
    its superset), the encoding of Chinese Excel's CSV export.
    """
    import csv
    import io

    from kpitrack.parse import parse_date, parse_value

    try:
        data = path.read_bytes()
    except OSError as error:
        raise KpitrackError(f"cannot read: {error.strerror}", path) from None
    text, encoding = _decode_import(data, path, encoding)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in next(reader, [])]
    missing = [name for name in IMPORT_COLUMNS[:3] if name not in header]
    if missing:
        raise KpitrackError(f"the first row must name the columns {', '.join(IMPORT_COLUMNS)} "
                            f"(missing: {', '.join(missing)})", path, 1)
    for name in header:
        if name not in IMPORT_COLUMNS:
            hint = did_you_mean(name, IMPORT_COLUMNS) or f"allowed: {', '.join(IMPORT_COLUMNS)}"
            raise KpitrackError(f"unknown column {name!r}; {hint}", path, 1)
    rows, problems = [], []
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        record = dict(zip(header, (cell.strip() for cell in cells)))
        if len(cells) > len(header):
            problems.append(KpitrackError(f"{len(cells)} cells under {len(header)} columns; a number with a "
                                          "thousands comma needs quotes (\"1,200\")", path, line))
            continue
        try:
            target_id = record.get("id", "")
            check_id(target_id)
            when = _cell(parse_date, record.get("date", ""), "date")
            value_text = record.get("value", "")
            total = _cell(_truth, record.get("total", ""), "total")
            note, source = record.get("note") or None, record.get("source") or None
            if value_text.lower() in ("done", "undone"):
                entry = Entry(when, total=total, done=value_text.lower() == "done", note=note, source=source)
            else:
                entry = Entry(when, _cell(parse_value, value_text, "value"), total, note=note, source=source)
            rows.append(ImportRow(line, target_id, value_text, entry))
        except KpitrackError as problem:
            problems.append(KpitrackError(problem.message, path, line))
    return rows, problems, encoding


def _decode_import(data: bytes, path: Path, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError) as error:
            raise KpitrackError(f"cannot read as {encoding}: {error}", path) from None
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gbk"
    except UnicodeDecodeError:
        raise KpitrackError("neither UTF-8 nor GBK text; give the file's encoding with --encoding", path) from None


def _cell(parse: Callable[[str], Any], text: str, column: str) -> Any:
    try:
        return parse(text)
    except ValueError as error:
        raise KpitrackError(f"{column}: {error}") from None


def _truth(text: str) -> bool:
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise ValueError(f"{text!r} is neither true nor false")


def plan_import(workspace: Workspace, path: Path, rows: list[ImportRow], problems: list[KpitrackError],
                encoding: str) -> ImportPlan:
    """Check every row against its target; an entry already recorded (same id, date, value, total
    flag) is skipped, so importing a file twice counts nothing twice."""
    from kpitrack.parse import scale_clash

    targets = {target.id: target for target in workspace.targets}
    additions: dict[str, list[ImportRow]] = {}
    seen = {target.id: {_identity(entry) for entry in target.entries} for target in workspace.targets}
    skipped = 0
    for row in rows:
        target = targets.get(row.target_id)
        if target is None:
            hint = did_you_mean(row.target_id, list(targets))
            problems.append(KpitrackError(f"no target {row.target_id!r}" + (f"; {hint}" if hint else ""),
                                          path, row.line))
            continue
        problem = entry_problem(target, row.entry) or scale_clash(row.value_text, target.unit)
        if problem:
            problems.append(KpitrackError(f"{row.target_id}: {problem}", path, row.line))
        elif _identity(row.entry) in seen[target.id]:
            skipped += 1
        else:
            seen[target.id].add(_identity(row.entry))
            additions.setdefault(target.id, []).append(row)
    return ImportPlan(additions, skipped, sorted(problems, key=lambda problem: problem.line or 0), encoding)


def _identity(entry: Entry) -> tuple:
    return (entry.date, entry.value, entry.total, entry.done)


def apply_import(workspace: Workspace, plan: ImportPlan) -> int:
    """Append the planned entries, one write per target; if one fails, the others are undone.
    Returns how many entries were added."""
    paths = {target.id: target.path for target in workspace.targets}
    done: list[Appended] = []
    try:
        for target_id, rows in plan.additions.items():
            done.append(append_entries(paths[target_id], workspace.root, [row.entry for row in rows]))
    except KpitrackError as failure:
        left = []
        for appended in reversed(done):
            try:
                undo_append(appended)
            except (KpitrackError, OSError) as problem:
                left.append(str(problem))
        if left:
            raise KpitrackError(f"{failure}; and could not undo: {'; '.join(left)}") from None
        raise
    return plan.count


def write_file(path: Path, text: str) -> None:
    """Write a whole file (a report), replacing it atomically: readers see the old or the new one."""
    _write_whole(path, text, os.replace)
