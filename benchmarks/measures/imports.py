"""Importing rolelib, in a fresh interpreter each run."""

from __future__ import annotations

import statistics
from pathlib import Path

from benchmarks.measures.common import Result, child_seconds, rotated, signed


def measure_import(runs: int, scratch: Path) -> list[Result]:
    """`import rolelib` against `import pandas, ipywidgets`, each in a fresh interpreter."""
    variants = {
        "baseline": "import pandas, ipywidgets",
        "rolelib": "import rolelib",
        "both": "import rolelib, pandas, ipywidgets",
    }
    for statement in variants.values():  # warm the disk cache and the bytecode once, untimed
        child_seconds("", statement, scratch)
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for run in range(runs):
        for name, statement in rotated(list(variants.items()), run):
            samples[name].append(child_seconds("", statement, scratch))
    extra = [both - base for both, base in zip(samples["both"], samples["baseline"])]
    base, both = statistics.median(samples["baseline"]), statistics.median(samples["both"])
    return [
        Result("import", "`import pandas, ipywidgets` (baseline)", samples["baseline"]),
        Result("import", "`import rolelib` alone", samples["rolelib"], "at most 100 ms",
               statistics.median(samples["rolelib"]) <= 0.1),
        Result("import", "`import rolelib, pandas, ipywidgets`", samples["both"],
               "at most 100 ms over the baseline", statistics.median(extra) <= 0.1,
               figure=f"{signed(statistics.median(extra))} (ratio {both / base:.2f})",
               notes=["median of the per-run differences to the baseline"]),
    ]
