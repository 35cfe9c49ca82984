"""Loading the shipped data cold (side by side with the code before the redesign), and the data scaled up."""

from __future__ import annotations

import gc
import statistics
import time
from pathlib import Path

from benchmarks.measures.common import BEFORE_REDESIGN, Result, child_seconds, code_before_redesign, ms, rotated


def measure_cold_load(runs: int, scratch: Path) -> list[Result]:
    """`rolelib.load()` in a fresh interpreter: only the call is timed, with the imports it triggers.

    Side by side in each run: ``import pandas`` alone, and the same fully cold load with the code of
    :data:`BEFORE_REDESIGN` (when the repository's history is there), so that rolelib's own share of
    the load (the load less pandas' import, run by run) is seen apart from the machine's.
    """
    variants: dict[str, tuple[str, str, Path | None]] = {
        "cold": ("import rolelib", "rolelib.load()", None),
        "after pandas": ("import rolelib, pandas, ipywidgets", "rolelib.load()", None),
        "pandas import": ("", "import pandas", None),
    }
    before = code_before_redesign(scratch)
    if before is not None:
        variants["before"] = ("import rolelib", "rolelib.load()", before)
    for setup, timed, path in variants.values():
        child_seconds(setup, timed, scratch, path)
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for run in range(runs):
        for name, (setup, timed, path) in rotated(list(variants.items()), run):
            samples[name].append(child_seconds(setup, timed, scratch, path))
    cold = statistics.median(samples["cold"])
    after = statistics.median(samples["after pandas"])
    pandas_alone = statistics.median(samples["pandas import"])

    def own(name: str) -> float:  # the load less pandas' import, run by run
        return statistics.median(load - imported for load, imported in zip(samples[name], samples["pandas import"]))

    notes = [f"of which importing pandas alone takes about {ms(pandas_alone)} in the same runs; "
             f"rolelib's own share (the load less pandas' import, run by run) {ms(own('cold'))}"]
    results = [Result("load", "`import pandas` alone (for reference)", samples["pandas import"])]
    if before is not None:
        before_cold = statistics.median(samples["before"])
        notes.append(f"the code before the redesign (commit {BEFORE_REDESIGN}), in the same runs: "
                     f"{ms(before_cold)}, its own share {ms(own('before'))}")
        results.append(Result("load", f"`rolelib.load()` fully cold, the code before the redesign (commit "
                                      f"{BEFORE_REDESIGN}), for comparison", samples["before"],
                              notes=[f"its own share (the load less pandas' import, run by run) {ms(own('before'))}"]))
    else:
        notes.append(f"the code before the redesign (commit {BEFORE_REDESIGN}) was not measured: "
                     "no git history here")
    results += [
        Result("load", "`rolelib.load()` fully cold (imports pandas and pydantic-core; validates)", samples["cold"],
               "at most 0.3 s", cold <= 0.3, figure=f"{ms(cold)} (pandas' import alone {ms(pandas_alone)})",
               notes=notes),
        Result("load", "`rolelib.load()` cold, pandas and ipywidgets already imported "
                       "(imports pydantic-core; validates)", samples["after pandas"], "at most 0.3 s", after <= 0.3),
    ]
    return results


def measure_scaled_load(runs: int, scratch: Path, factors: tuple[int, ...] = (1, 10, 100, 1000)) -> list[Result]:
    """`rolelib.load(folder)` of the data copied 1x to 1000x (each run reads a fresh copy, uncached).

    The garbage a large load leaves is collected before each timed load, so that it is not
    counted against the next, smaller one.
    """
    import rolelib
    from benchmarks.scaled_data import write_scaled_data
    from rolelib.data import default_data_dir

    rolelib.load()  # imports pandas and pydantic-core once: this measures the work, not the imports
    source = default_data_dir()
    folders: dict[int, list[Path]] = {}
    rows: dict[int, int] = {}
    focus_rows: dict[int, int] = {}
    for factor in factors:
        folders[factor] = []
        for run in range(runs):
            folder = scratch / f"data_{factor}x_{run}"
            counts = write_scaled_data(source, folder, factor)
            folders[factor].append(folder)
        rows[factor] = sum(counts.values())
        focus_rows[factor] = counts["focus"]
    samples: dict[int, list[float]] = {factor: [] for factor in factors}
    for run in range(runs):
        for factor in factors:
            gc.collect()
            start = time.perf_counter()
            data = rolelib.load(folders[factor][run])
            samples[factor].append(time.perf_counter() - start)
            if len(data.focus) != focus_rows[factor]:
                raise RuntimeError(f"the {factor}x copy loaded {len(data.focus)} focus rows, not {focus_rows[factor]}")
    again, fingerprints = [], []
    for _ in range(runs):  # the shipped data once more: checked already, so a fresh copy of it
        start = time.perf_counter()
        data = rolelib.load()
        again.append(time.perf_counter() - start)
        start = time.perf_counter()
        data.fingerprint()
        fingerprints.append(time.perf_counter() - start)
    results = [Result("scaled", "`rolelib.load()` of the shipped data again (read and checked before: "
                                "a fresh copy of its own for the caller)", again),
               Result("scaled", "`CourseData.fingerprint()` of the shipped data (the key of the charts kept)",
                      fingerprints)]
    medians = {factor: statistics.median(samples[factor]) for factor in factors}
    for factor in factors:
        target, ok = ("at most 3 s", medians[factor] <= 3.0) if factor == 100 else ("", None)
        results.append(Result("scaled", f"`rolelib.load()` of the data at {factor}x ({rows[factor]:,} rows)",
                              samples[factor], target, ok))
    for low, high in zip(factors, factors[1:]):
        ratio = medians[high] / medians[low]
        per_row = (medians[high] - medians[low]) / (rows[high] - rows[low])
        results.append(Result("scaled", f"growth {high}x / {low}x (rows x{rows[high] / rows[low]:.1f})",
                              [ratio], "close to linear: at most the row ratio",
                              ratio <= rows[high] / rows[low] * 1.1, figure=f"x{ratio:.2f}",
                              notes=[f"each row added costs {per_row * 1e6:.1f} µs"]))
    return results
