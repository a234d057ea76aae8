"""Whole-process benchmarks of kpitrack, against `python -c "import typer"` and hledger.

    python bench/run.py [--runs 7] [--out bench/RESULTS.md] [--skip-million]

Every workspace here is synthetic, generated in a temporary folder (figures are made up). Each
command is run as a whole process several times; the median, the spread (min-max) and the peak
memory (max RSS) are reported, with ratios against references timed in the same run.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

KPITRACK = str(Path(sys.executable).parent / "kpitrack")
NOTES_MARKER = "<!-- notes: kept by bench/run.py -->"


def make_workspace(root: Path, targets: int, entries: int) -> Path:
    """A synthetic workspace: `targets` cumulative targets of `entries` entries each."""
    chance = random.Random(targets * 100003 + entries)
    (root / "plan").mkdir(parents=True, exist_ok=True)
    (root / "kpitrack.toml").write_text("yellow = 0\nred = 10\n")
    for number in range(targets):
        lines = [f'title = "synthetic target {number}"', 'unit = "units"', f"target = {entries * 10}",
                 "start = 2023-01-01", "due = 2023-12-31", 'tags = ["bench"]', ""]
        for index in range(entries):
            day = date(2023, 1, 1) + timedelta(days=index * 365 // entries)
            lines += ["[[progress]]", f"date = {day}", f"value = {chance.randint(1, 20)}.{chance.randint(0, 9)}",
                      f'note = "entry {index}"', ""]
        (root / "plan" / f"t{number:05d}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def compile_kpitrack() -> None:
    """kpitrack's modules compiled to bytecode before anything is timed, as an installed package has
    them: an editable install run with PYTHONDONTWRITEBYTECODE set would otherwise compile every
    module on every start (about 70 ms of `add`, half of `import typer`), and the start-up rows
    would measure Python's compiler and the environment rather than kpitrack."""
    import importlib.util

    folder = importlib.util.find_spec("kpitrack").submodule_search_locations[0]
    subprocess.run([sys.executable, "-m", "compileall", "-q", folder], check=True, stdout=subprocess.DEVNULL)


def write_journal(workspace: Path, journal: Path) -> Path:
    """The same figures as an hledger journal: one transaction per entry, a yearly budget goal per target."""
    import tomllib

    with open(journal, "w", encoding="utf-8") as out:
        for path in sorted((workspace / "plan").glob("*.toml")):
            document = tomllib.loads(path.read_text(encoding="utf-8"))
            account = f"targets:{path.stem}"
            out.write(f"~ yearly from 2023-01-01\n    ({account})   {document['target']}\n\n")
            for entry in document["progress"]:
                out.write(f"{entry['date']} {entry['note']}\n    ({account})   {entry['value']}\n\n")
    return journal


def measure(command: list[str], runs: int, env: dict[str, str], before=None) -> dict:
    """Median and spread of the wall time, and the peak memory, over `runs` whole processes;
    `before()` runs ahead of each (untimed), to empty a cache for a cold run."""
    return measure_in_turn({"": command}, runs, env, before)[""]


def measure_in_turn(commands: dict[str, list[str]], runs: int, env: dict[str, str], before=None) -> dict[str, dict]:
    """`measure` for several commands run in turn, one of each `runs` times over: the ratios between
    them (a start-up against `import typer`) then see the same load, even on a shared machine."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            if before:
                before()
            elapsed, peak, code, errors = launched(command, env)
            times[name].append(elapsed)
            peaks[name].append(peak)
            if code != 0:
                raise SystemExit(f"failed: {' '.join(command)}\n{errors}")
    return {name: {"median": statistics.median(times[name]), "low": min(times[name]), "high": max(times[name]),
                   "peak": max(peaks[name])} for name in commands}


# Started from a small Python rather than from this one: Linux counts in a child's peak memory the
# memory of the process it was forked from (here, the generated workspaces: about 50 MB).
LAUNCHER = """
import os, sys, time
report, command = int(sys.argv[1]), sys.argv[2:]
start = time.perf_counter()
child = os.fork()
if child == 0:
    os.close(report)
    os.execvpe(command[0], command, os.environ)
_, status, usage = os.wait4(child, 0)
os.write(report, f"{time.perf_counter() - start} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}".encode())
"""


def launched(command: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """(wall seconds, peak MiB, exit code, stderr) of one run of `command`."""
    read, write = os.pipe()
    process = subprocess.Popen([sys.executable, "-I", "-S", "-c", LAUNCHER, str(write), *command],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, pass_fds=(write,))
    os.close(write)
    errors = process.communicate()[1].decode(errors="replace")
    with os.fdopen(read) as report:
        elapsed, peak, code = report.read().split()
    return float(elapsed), int(peak) / 1024, int(code), errors  # ru_maxrss: KiB on Linux


TOMLLIB_LOAD = """
import sys, tomllib, decimal, pathlib
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.toml")):
    with open(path, "rb") as handle:
        tomllib.load(handle, parse_float=decimal.Decimal)
"""

HLEDGER_HINT = "hledger is not installed: `apt-get install hledger` adds the comparison with it"


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    options.add_argument("--runs", type=int, default=7)
    options.add_argument("--out", type=Path, default=Path(__file__).with_name("RESULTS.md"))
    options.add_argument("--skip-million", action="store_true", help="leave out the 1,000,000-entry workspaces")
    arguments = options.parse_args()
    runs = arguments.runs
    folder = Path(tempfile.mkdtemp(prefix="kpitrack-bench-"))
    # The caches live where kpitrack puts them by default (the workspace's .kpitrack/, or an
    # XDG cache folder pointed into the temporary folder), never in the user's home.
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "KPITRACK_CACHE_DIR")}
    env["XDG_CACHE_HOME"] = str(folder / "xdg")
    cron = {"PATH": "/usr/bin:/bin", "LANG": ""}  # what cron gives: no HOME, no locale
    compile_kpitrack()
    print(f"generating synthetic workspaces in {folder} ...", file=sys.stderr)
    small = make_workspace(folder / "small", 10, 10)
    large = make_workspace(folder / "large", 1000, 100)
    thin = make_workspace(folder / "thin", 1000, 10)
    long = make_workspace(folder / "long", 1, 10_000)
    longer = make_workspace(folder / "longer", 1, 100_000)
    curve = {10_000: make_workspace(folder / "c10k", 100, 100), 100_000: large}
    if not arguments.skip_million:
        curve[1_000_000] = make_workspace(folder / "c1m", 1000, 1000)

    def kpitrack(workspace: Path, *words: str) -> list[str]:
        return [KPITRACK, "--dir", str(workspace), *words]

    def emptied(workspace: Path):
        def empty() -> None:
            shutil.rmtree(workspace / ".kpitrack", ignore_errors=True)
            shutil.rmtree(folder / "xdg", ignore_errors=True)
        return empty

    results: dict[str, dict] = {}

    def run(name: str, command: list[str], times: int = runs, environment=None, before=None) -> dict:
        print(f"  {name}", file=sys.stderr)
        results[name] = measure(command, times, environment or env, before)
        return results[name]

    status_json = ("status", "--as-of", "2023-06-30", "--format", "json")
    os.sync()  # write the generated files out now, so that their writeback does not slow the fsync of `add`
    print('  python -c "import typer", kpitrack --version, add, 10 entries (in turn)', file=sys.stderr)
    results.update(measure_in_turn({
        'python -c "import typer"': [sys.executable, "-c", "import typer"],
        "kpitrack --version": [KPITRACK, "--version"],
        "add, 10 entries": kpitrack(small, "add", "t00000", "1", "--date", "2023-06-30", "--again")}, runs, env))
    run("add, 10,000 entries", kpitrack(long, "add", "t00000", "1", "--date", "2023-06-30", "--again"))
    run("tomllib.load, 1,000 x 100", [sys.executable, "-c", TOMLLIB_LOAD, str(large)])
    run("cold status --format json, 1,000 x 100", kpitrack(large, *status_json), max(3, runs // 2),
        before=emptied(large))
    for size, workspace in curve.items():  # the first run of each fills the cache
        subprocess.run(kpitrack(workspace, *status_json), stdout=subprocess.DEVNULL, env=env, check=True)
    subprocess.run(kpitrack(thin, *status_json), stdout=subprocess.DEVNULL, env=env, check=True)
    os.sync()  # likewise for the caches the first runs wrote
    run("status, 10 x 10", kpitrack(small, "status", "--as-of", "2023-06-30"))
    run("status, 1,000 x 100", kpitrack(large, "status", "--as-of", "2023-06-30"))
    run("status --format json, 1,000 x 100", kpitrack(large, *status_json))
    run("status --format json, 1,000 x 10", kpitrack(thin, *status_json))
    for size, workspace in curve.items():
        run(f"status --format json, {size:,} entries", kpitrack(workspace, *status_json), max(3, runs // 2))
    subprocess.run(kpitrack(large, *status_json), stdout=subprocess.DEVNULL, env=cron)  # cron's first run
    run("status --format json under env -i (cron), 1,000 x 100", kpitrack(large, *status_json), environment=cron)
    for workspace in (long, longer):  # their entries are kept in the cache the first time a command reads them
        for _ in range(2):
            subprocess.run(kpitrack(workspace, "show", "t00000", "--as-of", "2023-06-30"), stdout=subprocess.DEVNULL,
                           env=env, check=True)
    subprocess.run(kpitrack(large, "export", "--format", "json"), stdout=subprocess.DEVNULL, env=env, check=True)
    run("show, 10,000 entries", kpitrack(long, "show", "t00000", "--as-of", "2023-06-30"))
    run("show, 100,000 entries", kpitrack(longer, "show", "t00000", "--as-of", "2023-06-30"), max(3, runs // 2))
    run("export --format json, 1,000 x 100", kpitrack(large, "export", "--format", "json"), max(3, runs // 2))
    if not arguments.skip_million:
        run("cold status --format json, 1,000,000 entries", kpitrack(curve[1_000_000], *status_json), 1,
            before=emptied(curve[1_000_000]))
    hledger = shutil.which("hledger")
    if hledger:
        journal = write_journal(large, folder / "large.journal")
        run("hledger balance --budget, 1,000 x 100",
            [hledger, "-f", str(journal), "balance", "--budget", "-Y", "-b", "2023-01-01", "-e", "2023-07-01"])
    else:
        print(HLEDGER_HINT, file=sys.stderr)
    report = render_results(results, hledger, runs)
    if arguments.out.exists():  # keep the history and the hand-written notes
        report += history_section(arguments.out.read_text(encoding="utf-8"), results, hledger)
    arguments.out.write_text(report, encoding="utf-8")
    print(report)
    shutil.rmtree(folder, ignore_errors=True)


def goals(results: dict[str, dict], hledger: str | None) -> list[tuple[str, float | None, float]]:
    """(goal, measured ratio or figure, limit): the goals of issue 15, each against its anchor."""
    def median(name: str) -> float | None:
        return results[name]["median"] if name in results else None

    def ratio(name: str, anchor: str) -> float | None:
        return median(name) / median(anchor) if median(name) and median(anchor) else None

    million = "status --format json, 1,000,000 entries"
    rows = [
        ("warm status json 1,000 × 1,000 ÷ 1,000 × 10", ratio(million, "status --format json, 1,000 x 10"), 1.5),
        ("warm status json 1,000 × 1,000, peak MiB", results[million]["peak"] if million in results else None, 80),
        ("cold status json 1,000 × 100 ÷ tomllib.load of the same files",
         ratio("cold status --format json, 1,000 x 100", "tomllib.load, 1,000 x 100"), 0.6),
        ("cold status json 1,000,000 entries, s", median("cold status --format json, 1,000,000 entries"), 10),
        ("status under env -i, second run ÷ with HOME",
         ratio("status --format json under env -i (cron), 1,000 x 100", "status --format json, 1,000 x 100"), 1.1),
        ("show on 100,000 entries, s", median("show, 100,000 entries"), 0.3),
        ("export --format json 1,000 × 100, s", median("export --format json, 1,000 x 100"), 1.0),
        ("add ÷ import typer", ratio("add, 10 entries", 'python -c "import typer"'), 1.2),
        ("add on 10,000 entries ÷ add on 10", ratio("add, 10,000 entries", "add, 10 entries"), 1.5),
        ("--version ÷ import typer", ratio("kpitrack --version", 'python -c "import typer"'), 1.5),
    ]
    if hledger:
        rows.append(("warm status json 1,000 × 100 ÷ hledger balance --budget",
                     ratio("status --format json, 1,000 x 100", "hledger balance --budget, 1,000 x 100"), 0.05))
    return rows


def render_results(results: dict[str, dict], hledger: str | None, runs: int) -> str:
    reference = results['python -c "import typer"']["median"]
    lines = [
        "# kpitrack benchmark results",
        "",
        f"Measured {date.today().isoformat()} on {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {runs} runs each (fewer for the largest cases), whole "
        "processes, synthetic workspaces, kpitrack's bytecode compiled beforehand; the cache warm unless "
        "the name says cold.",
        "",
        "| command | median s | spread s | peak MiB | × import typer |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, result in results.items():
        lines.append(f"| {name} | {result['median']:.3f} | {result['low']:.3f}–{result['high']:.3f} "
                     f"| {result['peak']:.0f} | {result['median'] / reference:.2f} |")
    lines += ["", "| goal | measured | limit | met |", "|---|---:|---:|---|"]
    for goal, measured, limit in goals(results, hledger):
        shown = "—" if measured is None else f"{measured:.2f}"
        met = "not run" if measured is None else "yes" if measured <= limit else "**no**"
        lines.append(f"| {goal} | {shown} | {limit} | {met} |")
    if not hledger:
        lines += ["", HLEDGER_HINT + "."]
    return "\n".join(lines) + "\n"


HISTORY_MARKER = "<!-- history: one row a run, kept by bench/run.py -->"


def history_section(previous: str, results: dict[str, dict], hledger: str | None) -> str:
    """The history table (date, commit, each goal's measure) with this run added, then the notes."""
    _, marker, rest = previous.partition(HISTORY_MARKER)
    old_rows, _, notes = rest.partition(NOTES_MARKER) if marker else ("", "", previous.partition(NOTES_MARKER)[2])
    rows = [line for line in old_rows.splitlines() if line.startswith("| 20")]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).parent).stdout.strip() or "?"
    measured = [goal[1] for goal in goals(results, hledger)]
    rows.append(f"| {date.today().isoformat()} | {commit} | "
                + " | ".join("—" if value is None else f"{value:.2f}" for value in measured) + " |")
    header = [goal[0] for goal in goals(results, hledger)]
    table = ["", "## History", "", HISTORY_MARKER,
             "| date | commit | " + " | ".join(header) + " |", "|---|---|" + "---:|" * len(header), *rows]
    return "\n".join(table) + f"\n\n{NOTES_MARKER}{notes}"


if __name__ == "__main__":
    main()
