"""Benchmark: the public pages under load, on the whole Kolada extract, SQLite and PostgreSQL.

For each database: a fresh store (`millennium init`, `millennium import kolada-ddf`), then `millennium serve`
(gunicorn) on 127.0.0.1. Per page type, first every one of the 290 municipalities' pages is asked for once, one
at a time: the cold time, what the first visitor after an import waits (pages are then cached until the next
import, web/page_cache.py). Then wrk with 16 connections for 60 s, each request for another municipality (all
290 in turn): the steady state. Prints cold p50/p95 and loaded p50/p95/p99 latency, requests/s and errors per
page type, and the machine. Needs wrk (Debian: apt-get install wrk).

Usage: .venv/bin/python bench/web_load.py [--duration 60] [--connections 16] [--databases sqlite,postgresql]
       [--pages overview,key figure]
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_kolada import DATA, machine, postgres_database  # noqa: E402

MILLENNIUM = Path(sys.executable).parent / "millennium"
# Key figures on the key-figure page, all goal-linked with a desired direction: N01982 split by sex
# (three lines, a gender gap), N00945 and N00401 not.
KEY_FIGURES = ["N01982", "N00945", "N00401"]
PAGES = {
    "overview": "/kommun/{code}/",
    "key figure": "/kommun/{code}/nyckeltal/{kpi}/",
}
# wrk's done() hook prints the latency percentiles as JSON; paths rotate over every municipality.
LUA = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"p50": %%f, "p95": %%f, "p99": %%f, "requests": %%d, "seconds": %%f, ' ..
    '"errors": %%d, "non2xx": %%d}\\n', latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def municipality_codes(env: dict) -> list[str]:
    out = subprocess.run([sys.executable, "-c", (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'millennium.settings'; django.setup()\n"
        "from millennium.places.models import Area\n"
        "print(' '.join(Area.objects.filter(level='municipality').order_by('code').values_list('code', flat=True)))")],
        env=env, check=True, capture_output=True, text=True).stdout
    return out.split()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server at {url} did not answer within {seconds} s")


def paths_for(page: str, codes: list[str]) -> list[str]:
    return [PAGES[page].format(code=code, kpi=KEY_FIGURES[i % len(KEY_FIGURES)]) for i, code in enumerate(codes)]


def cold_times(base: str, paths: list[str]) -> list[float]:
    times = []
    for path in paths:
        t = time.perf_counter()
        urllib.request.urlopen(base + path, timeout=30).read()
        times.append((time.perf_counter() - t) * 1000)
    return times


def load(base: str, paths: list[str], duration: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % ", ".join(json.dumps(p) for p in paths))
    try:
        out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", script.name, base],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(script.name)
    result = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def bench_database(name: str, url: str, args) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "MILLENNIUM_HOME": home, "DATABASE_URL": url, "MILLENNIUM_DATA_DIR": str(DATA)}
        subprocess.run([str(MILLENNIUM), "init"], env=env, check=True, capture_output=True)
        subprocess.run([str(MILLENNIUM), "import", "kolada-ddf", str(DATA / "kolada"), "--quiet"], env=env,
                       check=True, capture_output=True)
        codes = municipality_codes(env)
        port = free_port()
        server = subprocess.Popen([str(MILLENNIUM), "serve", "--port", str(port), "--workers", str(args.workers)],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(base + "/")
            for page in args.pages.split(","):
                paths = paths_for(page, codes)
                cold = cold_times(base, paths)
                cold_p95 = statistics.quantiles(cold, n=20)[-1]
                result = load(base, paths, args.duration, args.connections)
                rows.append({"database": name, "page": page, "cold_median": statistics.median(cold),
                             "cold_p95": cold_p95, **result})
                print(f"{name:10} {page:11} cold p50 {statistics.median(cold):5.0f} ms  p95 {cold_p95:5.0f} ms | "
                      f"loaded p50 {result['p50']:6.1f} ms  p95 {result['p95']:6.1f} ms  p99 {result['p99']:6.1f} ms  "
                      f"{result['rps']:6.1f} req/s  errors {result['errors']}+{result['non2xx']} non-2xx", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (millennium serve's default)")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--pages", default=",".join(PAGES), help=f"of: {', '.join(PAGES)}")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found (Debian: apt-get install wrk)")
    print(machine())
    print(f"{args.connections} connections, {args.duration} s per page type, {args.workers} gunicorn workers, "
          f"paths rotating over the 290 municipalities")
    for name in args.databases.split(","):
        url = "" if name == "sqlite" else postgres_database(args.postgres, "create")
        try:
            bench_database(name, url, args)
        finally:
            if name == "postgresql":
                postgres_database(args.postgres, "drop")


if __name__ == "__main__":
    main()
