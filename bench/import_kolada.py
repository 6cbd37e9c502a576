"""Benchmark: import the whole Kolada extract into an empty store, then again, on SQLite and PostgreSQL;
then recompute every stored assessment.

Prints rows/s, seconds and peak memory (RSS of a fresh process per run) with the machine it ran on.
Usage: .venv/bin/python bench/import_kolada.py [--runs 3] [--postgres URL]
The PostgreSQL run creates and drops its own database `millennium_bench` on the server named by URL.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("MILLENNIUM_DATA_DIR", ROOT.parent / "shared" / "data")).resolve()

ONE_RUN = """
import json, os, resource, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "millennium.settings"
import django; django.setup()
from pathlib import Path
from django.core.management import call_command
from millennium.frameworks.loading import load_frameworks
from millennium.places.loading import load_areas
from millennium.statistics.kolada_import import import_kolada_ddf
call_command("migrate", verbosity=0)
load_frameworks(); load_areas(Path(sys.argv[1]))
runs = []
for _ in range(2):
    t = time.perf_counter()
    s = import_kolada_ddf(Path(sys.argv[1]) / "kolada")
    runs.append({"seconds": time.perf_counter() - t, "new": s.new, "unchanged": s.unchanged})
from millennium.statistics.assessing import recompute_assessments
t = time.perf_counter()
series = recompute_assessments()
runs.append({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
             "assess_seconds": time.perf_counter() - t, "series": series})
print(json.dumps(runs))
"""


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    mem = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))) / 2**20
    return f"{platform.node()}: {os.cpu_count()} cores, {cpu}, {mem:.0f} GiB, Python {platform.python_version()}"


def run(database_url: str) -> dict:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "MILLENNIUM_HOME": home, "DATABASE_URL": database_url}
        out = subprocess.run([sys.executable, "-c", ONE_RUN, str(DATA)], env=env, check=True,
                             capture_output=True, text=True).stdout
    first, second, memory = json.loads(out.strip().splitlines()[-1])
    return {"first": first, "second": second, "peak_mb": memory["peak_mb"], "assess": memory["assess_seconds"],
            "series": memory["series"]}


def postgres_database(url: str, action: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS millennium_bench")
        if action == "create":
            conn.execute("CREATE DATABASE millennium_bench")
    return url.rsplit("/", 1)[0] + "/millennium_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    print(machine())
    print(f"data: {DATA / 'kolada'}")
    for name in ("sqlite", "postgresql"):
        results = []
        for _ in range(args.runs):
            url = "" if name == "sqlite" else postgres_database(args.postgres, "create")
            results.append(run(url))
            if name == "postgresql":
                postgres_database(args.postgres, "drop")
        rows = results[0]["first"]["new"]
        first = statistics.median(r["first"]["seconds"] for r in results)
        second = statistics.median(r["second"]["seconds"] for r in results)
        peak = statistics.median(r["peak_mb"] for r in results)
        assess = statistics.median(r["assess"] for r in results)
        print(f"{name:10} {rows:,} rows | empty store: median {first:.1f} s = {rows / first:,.0f} rows/s | "
              f"re-import (0 new): median {second:.1f} s = {rows / second:,.0f} rows/s | "
              f"peak memory median {peak:,.0f} MB | assessing all {results[0]['series']:,} series with a "
              f"direction: median {assess:.1f} s | runs: {args.runs}")


if __name__ == "__main__":
    main()
