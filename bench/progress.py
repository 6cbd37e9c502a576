"""Benchmark: the progress engine on many synthetic series, and `millennium assess csv` end to end.

Series of 10–30 years (uniform), half with targets, rows grouped by series, values a noisy trend.
Prints series/s of the engine (Open SDG method by default) and the end-to-end time and peak memory of
`millennium assess csv` on a CSV of 1,000,000 series (~20 million rows), with the machine it ran on.
Usage: .venv/bin/python bench/progress.py [--series 1000000] [--runs 3] [--method opensdg]
"""

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pv

from millennium.analysis.progress.methods import assess
from millennium.analysis.progress.panel import Panel, Settings


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    mem = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))) / 2**20
    return f"{platform.node()}: {os.cpu_count()} cores, {cpu}, {mem:.0f} GiB, Python {platform.python_version()}"


def synthetic(n: int, rng: np.random.Generator):
    """Long-form rows of n series, grouped by series and sorted by year, plus per-series settings."""
    length = rng.integers(10, 31, n)
    first = rng.integers(2018, 2025, n) - length + 1  # the latest year between 2018 and 2024
    series = np.repeat(np.arange(n), length)
    offset = np.arange(len(series)) - np.repeat(np.cumsum(length) - length, length)
    year = np.repeat(first, length) + offset
    level = rng.uniform(5, 100, n)
    trend = rng.normal(0, 0.02, n)
    value = np.repeat(level, length) * (1 + np.repeat(trend, length)) ** offset * rng.normal(1, 0.01, len(series))
    direction = np.where(rng.random(n) < 0.5, 1.0, -1.0)
    has_target = rng.random(n) < 0.5
    target = np.where(has_target, level * np.where(direction > 0, 1.3, 0.7), np.nan)
    settings = Settings.broadcast(n, base_year=2015, target_year=2030, direction=direction, target=target)
    return series, year.astype("float64"), value, settings


def engine(n: int, runs: int, method: str) -> None:
    """The method on a ready Panel (rows grouped by series), and the Panel's construction on its own."""
    series, year, value, settings = synthetic(n, np.random.default_rng(1))
    labels = np.arange(n)
    building, assessing = [], []
    for _ in range(runs):
        t = time.perf_counter()
        panel = Panel.from_codes(series, year, value, labels=labels)
        building.append(time.perf_counter() - t)
        t = time.perf_counter()
        assess(method, panel, settings)
        assessing.append(time.perf_counter() - t)
    build, run = statistics.median(building), statistics.median(assessing)
    print(f"engine ({method}): {n:,} series, {len(series):,} rows: assess median {run:.3f} s = "
          f"{n / run:,.0f} series/s; building the Panel median {build:.3f} s; both {n / (build + run):,.0f} "
          f"series/s (runs: {runs})")


def end_to_end(n: int, runs: int, method: str) -> None:
    series, year, value, settings = synthetic(n, np.random.default_rng(2))
    with tempfile.TemporaryDirectory() as tmp:
        values_csv, config_csv, out_csv = Path(tmp, "values.csv"), Path(tmp, "config.csv"), Path(tmp, "out.csv")
        ids = pa.array([f"s{i}" for i in range(n)])
        # Three decimals, as statistics are published: ~21 bytes a row, ~430 MB for 20 million rows.
        pv.write_csv(pa.table({"series_id": ids.take(pa.array(series)), "year": year.astype("int32"),
                               "value": np.round(value, 3)}), values_csv)
        pv.write_csv(pa.table({
            "series_id": ids, "base_year": settings.base_year.astype("int32"),
            "target_year": settings.target_year.astype("int32"),
            "direction": np.where(settings.direction > 0, "positive", "negative"),
            "target": pa.array(settings.target, from_pandas=True), "limit": pa.nulls(n, pa.float64()),
        }), config_csv)
        size = values_csv.stat().st_size / 2**20
        times, peaks = [], []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-m", "millennium.cli", "assess", "csv", "--values", str(values_csv),
                            "--config", str(config_csv), "--method", method, "--output", str(out_csv)], check=True)
            times.append(time.perf_counter() - t)
            peaks.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
        print(f"millennium assess csv ({method}): {n:,} series, {len(series):,} rows, {size:,.0f} MB of CSV: "
              f"median {statistics.median(times):.2f} s end to end; peak memory {max(peaks):,.0f} MB "
              f"(runs: {runs})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--series", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--method", default="opensdg")
    args = parser.parse_args()
    print(machine())
    engine(args.series, args.runs, args.method)
    end_to_end(args.series, args.runs, args.method)


if __name__ == "__main__":
    main()
