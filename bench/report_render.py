"""Benchmark: rendering Malmö's municipality report (Voluntary Local Review), PDF and HTML, on the whole extract.

A fresh SQLite store (`millennium init`, `millennium import kolada-ddf`), then `millennium report 1280` run
--repeat times per language and format, each in a new process (as a user or a cron job runs it). The first run
also draws the charts (vl-convert), later ones take them from the cache. Prints the median and the range of
the wall-clock seconds, and the machine.

Usage: .venv/bin/python bench/report_render.py [--repeat 3] [--code 1280]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_kolada import DATA, machine  # noqa: E402

MILLENNIUM = Path(sys.executable).parent / "millennium"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--code", default="1280")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="bench-report-")
    env = {**os.environ, "MILLENNIUM_HOME": home, "MILLENNIUM_DATA_DIR": str(DATA), "DATABASE_URL": ""}
    subprocess.run([MILLENNIUM, "init"], env=env, check=True, capture_output=True)
    subprocess.run([MILLENNIUM, "import", "kolada-ddf", str(DATA / "kolada"), "--quiet"], env=env, check=True,
                   capture_output=True)
    print(machine())
    for language in ("sv", "en"):
        for form in ("pdf", "html"):
            seconds = []
            for _ in range(args.repeat):
                output = Path(home) / f"report.{form}"
                started = time.perf_counter()
                subprocess.run([MILLENNIUM, "report", args.code, "--lang", language, "--format", form,
                                "-o", str(output)], env=env, check=True, capture_output=True)
                seconds.append(time.perf_counter() - started)
            print(f"{args.code} {language} {form}: median {statistics.median(seconds):.1f} s "
                  f"(min {min(seconds):.1f}, max {max(seconds):.1f}, n={len(seconds)}), "
                  f"{output.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
