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
    (root / "kpitrack.toml").write_text("at_risk_band = 10\n")
    for number in range(targets):
        lines = [f'title = "synthetic target {number}"', 'unit = "units"', f"target = {entries * 10}",
                 "start = 2023-01-01", "due = 2023-12-31", 'tags = ["bench"]', ""]
        for index in range(entries):
            day = date(2023, 1, 1) + timedelta(days=index * 365 // entries)
            lines += ["[[progress]]", f"date = {day}", f"value = {chance.randint(1, 20)}.{chance.randint(0, 9)}",
                      f'note = "entry {index}"', ""]
        (root / "plan" / f"t{number:05d}.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


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


def measure(command: list[str], runs: int, env: dict[str, str]) -> dict:
    """Median and spread of the wall time, and the peak memory, over `runs` whole processes."""
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)  # KiB -> MiB on Linux
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return {"median": statistics.median(times), "low": min(times), "high": max(times), "peak": max(peaks)}


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    options.add_argument("--runs", type=int, default=7)
    options.add_argument("--out", type=Path, default=Path(__file__).with_name("RESULTS.md"))
    options.add_argument("--skip-million", action="store_true", help="leave out the 1,000,000-entry workspace")
    arguments = options.parse_args()
    runs = arguments.runs
    folder = Path(tempfile.mkdtemp(prefix="kpitrack-bench-"))
    env = {**os.environ, "KPITRACK_CACHE_DIR": str(folder / "cache")}
    env.pop("COLUMNS", None)
    print(f"generating synthetic workspaces in {folder} ...", file=sys.stderr)
    small = make_workspace(folder / "small", 10, 10)
    large = make_workspace(folder / "large", 1000, 100)
    long = make_workspace(folder / "long", 1, 10_000)
    curve = {10_000: make_workspace(folder / "c10k", 100, 100), 100_000: large}
    if not arguments.skip_million:
        curve[1_000_000] = make_workspace(folder / "c1m", 1000, 1000)

    def kpitrack(workspace: Path, *words: str) -> list[str]:
        return [KPITRACK, "--dir", str(workspace), *words]

    results: dict[str, dict] = {}

    def run(name: str, command: list[str], times: int = runs) -> dict:
        print(f"  {name}", file=sys.stderr)
        results[name] = measure(command, times, env)
        return results[name]

    os.sync()  # write the generated files out now, so that their writeback does not slow the fsync of `add`
    cold = {}
    for size, workspace in curve.items():  # the first run of each fills the parse cache
        start = time.perf_counter()
        subprocess.run(kpitrack(workspace, "status", "--as-of", "2023-06-30", "--format", "json"),
                       stdout=subprocess.DEVNULL, env=env, check=True)
        cold[size] = time.perf_counter() - start
    os.sync()  # likewise for the parse cache the cold runs wrote
    run('python -c "import typer"', [sys.executable, "-c", "import typer"])
    run("kpitrack --version", [KPITRACK, "--version"])
    run("add, 10 entries", kpitrack(small, "add", "t00000", "1", "--date", "2023-06-30"))
    run("add, 10,000 entries", kpitrack(long, "add", "t00000", "1", "--date", "2023-06-30"))
    run("status, 10 x 10", kpitrack(small, "status", "--as-of", "2023-06-30"))
    run("status, 1,000 x 100", kpitrack(large, "status", "--as-of", "2023-06-30"))
    run("status --format json, 1,000 x 100", kpitrack(large, "status", "--as-of", "2023-06-30", "--format", "json"))
    run("show, 10,000 entries", kpitrack(long, "show", "t00000", "--as-of", "2023-06-30"))
    for size, workspace in curve.items():
        run(f"status --format json, {size:,} entries",
            kpitrack(workspace, "status", "--as-of", "2023-06-30", "--format", "json"), max(3, runs // 2))
    hledger = shutil.which("hledger")
    if hledger:
        journal = write_journal(large, folder / "large.journal")
        run("hledger balance --budget, 1,000 x 100",
            [hledger, "-f", str(journal), "balance", "--budget", "-Y", "-b", "2023-01-01", "-e", "2023-07-01"])
    report = render_results(results, cold, hledger, runs)
    if arguments.out.exists():  # keep the hand-written notes below the marker
        _, marker, notes = arguments.out.read_text(encoding="utf-8").partition(NOTES_MARKER)
        report += f"\n{marker}{notes}" if marker else ""
    arguments.out.write_text(report, encoding="utf-8")
    print(report)
    shutil.rmtree(folder, ignore_errors=True)


def render_results(results: dict[str, dict], cold: dict[int, float], hledger: str | None, runs: int) -> str:
    reference = results['python -c "import typer"']["median"]
    lines = [
        "# kpitrack benchmark results",
        "",
        f"Measured {date.today().isoformat()} on {platform.platform()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {runs} runs each (3 for the curve), whole processes, "
        "synthetic workspaces; the parse cache warm unless said otherwise.",
        "",
        "| command | median s | spread s | peak MiB | × import typer |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, result in results.items():
        lines.append(f"| {name} | {result['median']:.3f} | {result['low']:.3f}–{result['high']:.3f} "
                     f"| {result['peak']:.0f} | {result['median'] / reference:.2f} |")
    lines += ["", "Cold runs (empty parse cache, first run after a change to every file): "
              + ", ".join(f"{size:,} entries {seconds:.2f} s" for size, seconds in cold.items()), ""]
    large = results["status, 1,000 x 100"]
    checks = [
        ("`kpitrack --version` within 1.5× `import typer`", results["kpitrack --version"]["median"] / reference, 1.5),
        ("`kpitrack add` within 1.5× `import typer`", results["add, 10 entries"]["median"] / reference, 1.5),
        ("`status` on 1,000 × 100 under 1 s", large["median"], 1.0),
        ("`status` on 1,000 × 100 peak memory under 150 MB", large["peak"], 150),
        ("`add` on 10,000 entries within 1.3× `add` on 10",
         results["add, 10,000 entries"]["median"] / results["add, 10 entries"]["median"], 1.3),
    ]
    if hledger:
        budget = results["hledger balance --budget, 1,000 x 100"]["median"]
        checks.append(("`status` on 1,000 × 100 at most half of hledger's time", large["median"] / budget, 0.5))
    lines += ["| goal | measured | limit | met |", "|---|---:|---:|---|"]
    for goal, measured, limit in checks:
        lines.append(f"| {goal} | {measured:.2f} | {limit} | {'yes' if measured <= limit else '**no**'} |")
    sizes = sorted(size for size in cold)
    per_entry = [results[f"status --format json, {size:,} entries"]["median"] for size in sizes]
    lines += ["", "Growth of `status --format json` with the number of entries (warm cache):", "",
              "| entries | median s | s per 100,000 entries, less start-up |", "|---:|---:|---:|"]
    startup = results["kpitrack --version"]["median"]
    for size, seconds in zip(sizes, per_entry):
        lines.append(f"| {size:,} | {seconds:.3f} | {(seconds - startup) / size * 100_000:.3f} |")
    if not hledger:
        lines += ["", "hledger was not installed, so there is no comparison with it in this run."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
