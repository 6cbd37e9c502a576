"""Benchmark: the REST API under load on the whole Kolada extract, SQLite and PostgreSQL (issue 8).

The request: every observation of one key figure for every area and year, as JSON, in one page
(/api/v1/observations?measure=N00945&limit=10000: 290 municipalities, 21 regions and Sweden, all years).

For each database: a fresh store (`millennium init`, `millennium import kolada-ddf`), then `millennium serve`
(gunicorn) on 127.0.0.1. First each of `--measures` key figures (the Kolada key figures linked to goals, most
observations that fit one page first) is asked for once, one at a time: the cold time, what the first client after an import
waits (responses are then cached per data version, api/conditional.py). Then wrk with 16 connections for
`--duration` seconds, each request for the next key figure in turn: the steady state. Prints cold p50/p95,
loaded p50/p95/p99 latency, requests/s, errors and non-2xx answers, and the machine.

The API's rate limit per client address is raised for the run (MILLENNIUM_API_READ_RATE), as for a trusted
load test: the limit's counter still runs on every request. Goal: loaded p95 ≤ 100 ms at 16 connections.

Usage: .venv/bin/python bench/api_load.py [--duration 30] [--connections 16] [--measures 50]
       [--databases sqlite,postgresql] [--postgres postgres://postgres@127.0.0.1:5432/postgres]
Needs wrk (Debian: apt-get install wrk).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_kolada import DATA, machine  # noqa: E402
from web_load import free_port, load, wait_for  # noqa: E402

MILLENNIUM = Path(sys.executable).parent / "millennium"
DATABASE = "millennium_api_bench"
PATH = "/api/v1/observations?measure={code}&limit=10000"


def postgres_database(url: str, action: str) -> str:
    """Create (or drop) this benchmark's own database; never the tests' or another benchmark's."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        if action == "create":
            conn.execute(f"CREATE DATABASE {DATABASE}")
    return url.rsplit("/", 1)[0] + "/" + DATABASE


def key_figures(env: dict, n: int) -> list[tuple[str, int]]:
    """(code, observations) of the n goal-linked Kolada key figures with the most observations that fit in one
    page (10,000: every area and year of a key figure not split by sex)."""
    out = subprocess.run([sys.executable, "-c", (
        "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'millennium.settings'; django.setup()\n"
        "from django.db.models import Count\n"
        "from millennium.statistics.models import Measure, Observation\n"
        "linked = Measure.objects.filter(source__code='kolada', links__isnull=False).values('id')\n"
        "rows = (Observation.objects.filter(measure_id__in=linked).values('measure__code')\n"
        "        .annotate(n=Count('id')).filter(n__lte=10000).order_by('-n', 'measure__code').values_list('measure__code', 'n')[:%d])\n"
        "print(json.dumps(list(rows)))" % n)], env=env, check=True, capture_output=True, text=True).stdout
    return [tuple(row) for row in json.loads(out.strip().splitlines()[-1])]


def cold_times(base: str, paths: list[str]) -> tuple[list[float], list[int]]:
    times, sizes = [], []
    for path in paths:
        t = time.perf_counter()
        body = urllib.request.urlopen(base + path, timeout=60).read()
        times.append((time.perf_counter() - t) * 1000)
        sizes.append(len(body))
        assert json.loads(body)["count"] <= 10000, path
    return times, sizes


def bench_database(name: str, url: str, args) -> dict:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "MILLENNIUM_HOME": home, "DATABASE_URL": url, "MILLENNIUM_DATA_DIR": str(DATA),
               "MILLENNIUM_API_READ_RATE": "1000000/m"}
        subprocess.run([str(MILLENNIUM), "init"], env=env, check=True, capture_output=True)
        subprocess.run([str(MILLENNIUM), "import", "kolada-ddf", str(DATA / "kolada"), "--quiet"], env=env,
                       check=True, capture_output=True)
        figures = key_figures(env, args.measures)
        paths = [PATH.format(code=code) for code, _ in figures]
        port = free_port()
        server = subprocess.Popen([str(MILLENNIUM), "serve", "--port", str(port), "--workers", str(args.workers)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(base + "/api/v1/frameworks")
            cold, sizes = cold_times(base, paths)
            load_before = os.getloadavg()[0]
            result = load(base, paths, args.duration, args.connections)
        finally:
            server.terminate()
            server.wait(timeout=30)
    row = {"database": name, "cold_median": statistics.median(cold), "cold_p95": statistics.quantiles(cold, n=20)[-1],
           "rows_median": statistics.median(n for _, n in figures), "kb_median": statistics.median(sizes) / 1024,
           "load_average": load_before, **result}
    print(f"{name:10} cold p50 {row['cold_median']:5.0f} ms  p95 {row['cold_p95']:5.0f} ms | loaded p50 "
          f"{row['p50']:6.1f} ms  p95 {row['p95']:6.1f} ms  p99 {row['p99']:6.1f} ms  {row['rps']:6.1f} req/s  "
          f"errors {row['errors']}+{row['non2xx']} non-2xx | {row['rows_median']:.0f} rows, "
          f"{row['kb_median']:.0f} KiB per response (medians); machine load average {load_before:.1f} before wrk",
          flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--measures", type=int, default=50, help="key figures the requests rotate over")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (millennium serve's default)")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres",
                        help="a server's maintenance database; the benchmark creates and drops its own")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found (Debian: apt-get install wrk)")
    print(machine())
    print(f"{args.connections} connections, {args.duration} s, {args.workers} gunicorn workers, requests rotating "
          f"over {args.measures} key figures: {PATH.format(code='<code>')}")
    for name in args.databases.split(","):
        url = "" if name == "sqlite" else postgres_database(args.postgres, "create")
        try:
            bench_database(name, url, args)
        finally:
            if name == "postgresql":
                postgres_database(args.postgres, "drop")


if __name__ == "__main__":
    main()
