"""Run the course's benchmarks, print a table and write benchmarks/RESULTS.md.

    python -m benchmarks                  # every benchmark, then RESULTS.md (about 19 minutes)
    python -m benchmarks --suite          # ... and run the whole test suite once and time it
    python -m benchmarks --suite-seconds 412   # ... with a suite duration measured separately
    python -m benchmarks --quick          # fewer runs while developing; RESULTS.md is left alone
    python -m benchmarks --only charts checks  # some sections only (RESULTS.md is left alone)

Every figure is the median of ``--runs`` runs (at least 5); comparisons are measured side
by side in the same run.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from benchmarks import measures
from benchmarks.hub import measure_hub
from benchmarks.measures import Result, ms

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
PROFILING = HERE / "PROFILING.md"
SECTIONS = ("import", "load", "scaled", "check", "charts", "notebooks", "report", "hub")
PACKAGES = ("rolelib", "pandas", "numpy", "pydantic", "pydantic_core", "matplotlib", "ipywidgets", "ipykernel",
            "jupyter_client", "nbclient", "pytest", "nbval")
TITLES = {
    "import": "Importing rolelib (fresh interpreter each run)",
    "load": "Loading the shipped data, cold (fresh interpreter each run; only the load call is timed)",
    "scaled": "Loading the data scaled up (in one process, imports done; a fresh uncached copy each run)",
    "check": "Check to feedback (in one process; the attempt is written to an SQLite file in a temp folder)",
    "charts": "Charts, drawn and rendered to PNG (in one process)",
    "notebooks": "Notebooks: Restart and Run All (a fresh kernel per run; kernel start included)",
    "report": "Class report",
    "hub": "Class start on a JupyterHub (accounts of its own; needs root and tests/hub/install.py)",
    "suite": "Test suite",
}


def _parser() -> argparse.ArgumentParser:
    """The command line of ``python -m benchmarks``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (default 7, at least 5)")
    parser.add_argument("--notebook-runs", type=int, default=7, help="runs per notebook (default 7)")
    parser.add_argument("--checks", type=int, default=50, help="checks per exercise kind (default 50)")
    parser.add_argument("--quick", action="store_true", help="3 runs (2 per notebook), 20 checks; no RESULTS.md")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, metavar="SECTION",
                        help=f"only these sections: {', '.join(SECTIONS)} (RESULTS.md is left alone)")
    suite = parser.add_mutually_exclusive_group()
    suite.add_argument("--suite", action="store_true", help="also run the whole test suite once and time it")
    suite.add_argument("--suite-seconds", type=float, metavar="N",
                       help="the whole suite's duration, measured separately")
    parser.add_argument("--oldest-python", type=Path, default=measures.OLDEST, metavar="PATH",
                        help="with --suite: the Python of the environment with the oldest supported versions "
                             "(default .venv-oldest/bin/python, as `make oldest` sets up)")
    parser.add_argument("--output", type=Path, help="write the results here (default benchmarks/RESULTS.md, "
                                                    "only after a full run)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; return 0 when every target is met, 1 otherwise."""
    parser = _parser()
    args = parser.parse_args(argv)
    runs, notebook_runs, checks = args.runs, args.notebook_runs, args.checks
    if args.quick:
        runs, notebook_runs, checks = 3, 2, 20
    elif min(runs, notebook_runs) < 5:
        parser.error("every figure is the median of at least 5 runs: use --quick for a shorter try")
    output = args.output
    if output is None and not args.quick and not args.only:
        output = RESULTS
    sections = args.only or list(SECTIONS)

    started = datetime.now(timezone.utc)
    load_before = os.getloadavg()
    clock = time.perf_counter()
    results: list[Result] = []
    measures.compile_rolelib()
    with measures.scratch_folder() as folder:
        scratch = Path(folder)
        plan = {
            "import": lambda: measures.measure_import(runs, scratch),
            "load": lambda: measures.measure_cold_load(runs, scratch),
            "scaled": lambda: measures.measure_scaled_load(runs, scratch),
            "check": lambda: measures.measure_checks(checks, scratch),
            "charts": lambda: measures.measure_charts(runs, scratch),
            "notebooks": lambda: measures.measure_notebooks(notebook_runs, scratch),
            "report": lambda: [*measures.measure_report(runs, scratch), *measures.measure_report_scale(runs, scratch),
                               *measures.measure_report_bounds(runs, scratch)],
            "hub": lambda: measure_hub(runs),
        }
        for section in sections:
            print(f"... {TITLES[section]}", file=sys.stderr, flush=True)
            section_start = time.perf_counter()
            found = plan[section]()
            results.extend(found)
            _print_table(found)
            print(f"    ({time.perf_counter() - section_start:.0f} s, load average "
                  f"{os.getloadavg()[0]:.2f})", file=sys.stderr, flush=True)
        if args.suite:
            print(f"... {TITLES['suite']}", file=sys.stderr, flush=True)
            found = measures.measure_suite(args.oldest_python)
            results.extend(found)
            _print_table(found)
        elif args.suite_seconds is not None:
            results.extend(measures.suite_from_seconds(args.suite_seconds))
    elapsed = time.perf_counter() - clock
    load_after = os.getloadavg()

    missed = [result for result in results if result.ok is False]
    print()
    print(f"{len([r for r in results if r.ok])} targets met, {len(missed)} missed, in {elapsed / 60:.1f} minutes; "
          f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after.")
    if output is not None:
        text = _markdown(results, started, elapsed, load_before, load_after, runs, notebook_runs, checks,
                         args.suite or args.suite_seconds is not None)
        output.write_text(text, encoding="utf-8")
        print(f"Wrote {output.relative_to(Path.cwd()) if output.is_relative_to(Path.cwd()) else output.name}")
    return 1 if missed else 0


def _verdict(result: Result) -> str:
    return {True: "met", False: "MISSED", None: ""}[result.ok]


def _figure(result: Result) -> str:
    return result.figure or ms(result.median) if result.target else ""


def _print_table(results: list[Result]) -> None:
    for result in results:
        what = result.what.replace("`", "")
        median = f"{result.median:.2f}" if result.section == "scaled" and result.what.startswith("growth") \
            else ms(result.median)
        print(f"  {what[:78]:<78} {median:>10}  {_figure(result):<28} {result.target:<34} {_verdict(result)}")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _machine(load_before: tuple[float, ...], load_after: tuple[float, ...]) -> list[str]:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.1f} GiB memory"
    except OSError:
        pass
    return [
        f"- CPU: {_cpu_model()}, {os.cpu_count()} cores ({usable} usable){memory}",
        f"- System: {platform.system()} {platform.machine()}, Python {platform.python_version()} "
        f"({platform.python_implementation()})",
        f"- Packages: {', '.join(versions)}",
        "- Bytecode: rolelib's was compiled before the run, as pip does when it installs a package "
        f"(PYTHONDONTWRITEBYTECODE was {'set' if os.environ.get('PYTHONDONTWRITEBYTECODE') else 'not set'} "
        "in the environment)",
        f"- Load average (1, 5, 15 min) at the start: {', '.join(f'{x:.2f}' for x in load_before)}; "
        f"at the end: {', '.join(f'{x:.2f}' for x in load_after)}",
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _markdown(results: list[Result], started: datetime, elapsed: float, load_before: tuple[float, ...],
              load_after: tuple[float, ...], runs: int, notebook_runs: int, checks: int, suite: bool) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Written by `python -m benchmarks` (`make benchmark`) on {started:%Y-%m-%d} at {started:%H:%M} UTC; "
        f"the run took {elapsed / 60:.1f} minutes. Do not edit this file: run the benchmark again. "
        "How it measures: benchmarks/README.md.",
        "",
        "## Machine",
        "",
        *_machine(load_before, load_after),
        "",
        f"Each figure is the median of {runs} runs ({notebook_runs} per notebook, {checks} checks per "
        "exercise kind); comparisons were measured side by side in the same run: each run measured "
        "every variant once, in an order that rotates from run to run.",
        "",
        "## Targets",
        "",
        "| What | Median | Compared with the target | Target | Result |",
        "| --- | ---: | --- | --- | --- |",
    ]
    for result in results:
        if result.target:
            lines.append(f"| {_cell(result.what)} | {_median_text(result)} | {_cell(_figure(result))} "
                         f"| {result.target} | {_verdict(result)} |")
    if not suite:
        lines.append("| the whole test suite | | not measured in this run (`--suite`) | at most 10 minutes | |")
    for section in [*SECTIONS, "suite"]:
        found = [result for result in results if result.section == section]
        if not found:
            continue
        lines += ["", f"## {TITLES[section]}", "",
                  "| What | Runs | Median | Min | Max | Notes |", "| --- | ---: | ---: | ---: | ---: | --- |"]
        for result in found:
            if section == "scaled" and result.what.startswith("growth"):
                lines.append(f"| {_cell(result.what)} | | {result.figure} | | | "
                             f"{_cell('; '.join(result.notes))} |")
                continue
            notes = "; ".join([*([result.figure] if result.figure else []), *result.notes])
            low, high = (min(result.samples), max(result.samples)) if result.samples else (math.nan, math.nan)
            lines.append(f"| {_cell(result.what)} | {len(result.samples)} | {ms(result.median)} "
                         f"| {ms(low)} | {ms(high)} | {_cell(notes)} |")
    if PROFILING.exists():
        lines += ["", PROFILING.read_text(encoding="utf-8").strip()]
    return "\n".join(lines) + "\n"


def _median_text(result: Result) -> str:
    if result.section == "scaled" and result.what.startswith("growth"):
        return ""
    return ms(result.median)
