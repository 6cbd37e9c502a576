"""Benchmark: how far our similar municipalities agree with Kolada's "Liknande kommuner, övergripande".

For each of the 290 municipalities: how many of our 7 peers are among Kolada's 7 (the latest year of
Kolada's "övergripande" groups in ../shared/data/kolada-meta/munic_g.csv). Prints the mean overlap, its
distribution, the mean by size, the worst cases and the run times, with the machine it ran on.

Usage: .venv/bin/python bench/peers_overlap.py [--home DIR] [--worst 10]
Without --home it builds a temporary SQLite store first (`millennium init`, `millennium import kolada-ddf`,
about 45 s); with --home it reads the existing store in DIR (MILLENNIUM_HOME; DATABASE_URL is respected).
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("MILLENNIUM_DATA_DIR", ROOT.parent / "shared" / "data")).resolve()
SIZES = [(0, 10_000), (10_000, 20_000), (20_000, 50_000), (50_000, 100_000), (100_000, 10**8)]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
               platform.processor())
    mem = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))) / 2**20
    return f"{platform.node()}: {os.cpu_count()} cores, {cpu}, {mem:.0f} GiB, Python {platform.python_version()}"


def build_store(home: str) -> float:
    """`millennium init` and `millennium import kolada-ddf` into a fresh SQLite store in `home`; seconds."""
    env = {**os.environ, "MILLENNIUM_HOME": home, "DATABASE_URL": "", "MILLENNIUM_DATA_DIR": str(DATA)}
    start = time.perf_counter()
    for command in (["init"], ["import", "kolada-ddf", str(DATA / "kolada"), "--quiet"]):
        subprocess.run([str(ROOT / ".venv" / "bin" / "millennium"), *command], env=env, cwd=ROOT, check=True,
                       capture_output=True, text=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", help="an existing store (MILLENNIUM_HOME) with the Kolada extract imported")
    parser.add_argument("--worst", type=int, default=10, help="how many of the worst cases to list")
    args = parser.parse_args()
    print(machine())
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        home = args.home or scratch
        setup = 0.0 if args.home else build_store(home)
        report(home, args.worst, setup)
    print(f"total {time.perf_counter() - started:.1f} s")


def report(home: str, worst: int, setup: float) -> None:
    os.environ["MILLENNIUM_HOME"] = str(Path(home).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "millennium.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from millennium.analysis.peers import distances
    from millennium.places.models import Area
    from millennium.statistics.peer_overlap import kolada_groups, peer_overlap
    from millennium.statistics.peers import K, all_similar_municipalities, read_peer_figures, structural_table

    start = time.perf_counter()
    ours = all_similar_municipalities()
    seconds = time.perf_counter() - start
    table = structural_table()
    population = table["N01951"]
    year, theirs = kolada_groups(DATA / "kolada-meta")
    assert {len(v) for v in theirs.values()} == {K}, "Kolada's groups should have 7 members each"

    names = dict(Area.objects.filter(level=Area.Level.MUNICIPALITY).values_list("code", "name"))
    peers = ours.groupby("municipality", sort=True)["code"].apply(list)
    # The same count as the about page shows (millennium.statistics.peer_overlap).
    agreement = peer_overlap(ours, theirs, year)
    codes = list(agreement.by_municipality)
    overlap = np.array(list(agreement.by_municipality.values()))
    n = len(codes)
    # Where Kolada's peers fall in our order (1 = our nearest): how far apart the two choices are.
    figures = read_peer_figures()
    d = distances(table, {f.kpi: f.weight for f in figures}, transforms={f.kpi: f.transform for f in figures})
    d = d.mask(np.eye(len(d), dtype=bool))  # an area is not its own peer
    rank = d.rank(axis=1, method="first")
    their_ranks = {c: sorted(int(rank.at[c, p]) for p in theirs[c]) for c in codes}
    within = {m: np.mean([sum(r <= m for r in their_ranks[c]) for c in codes]) for m in (14, 28)}

    print(f"store: {home}" + (f" (built in {setup:.1f} s)" if setup else " (existing)"))
    print("figures: " + ", ".join(f"{f.kpi} {f.name} ({f.transform}, {f.weight:g})" for f in read_peer_figures()))
    print(f"Kolada groups: 'Liknande kommuner, övergripande, <name>, {year}', {len(theirs)} municipalities × {K}")
    print(f"peers of all {len(peers)} municipalities computed in {seconds:.2f} s (read from the store and compare)")
    print()
    print(f"mean overlap: {overlap.mean():.2f} of {K} (median {np.median(overlap):g}; "
          f"random choice would give {K * K / (n - 1):.2f}) over {n} municipalities")
    counts = Counter(overlap.tolist())
    for hits in range(K + 1):
        share = counts[hits] / n
        print(f"  {hits} of {K}: {counts[hits]:4d} {share:6.1%} {'#' * round(share * 100)}")
    print(f"Kolada's 7 among our nearest 14: {within[14]:.2f}, among our nearest 28: {within[28]:.2f}")
    print("by size (inhabitants):")
    size = population.reindex(codes).to_numpy()
    for low, high in SIZES:
        pick = (size >= low) & (size < high)
        label = f"{low:,}–{high:,}" if high < 10**8 else f"{low:,}+"
        print(f"  {label:>16}: {overlap[pick].mean():.2f} ({pick.sum()} municipalities)")
    print(f"worst {worst} (least overlap, then Kolada's peers furthest down our order):")
    spread = np.array([np.median(their_ranks[c]) for c in codes])
    for i in np.lexsort((-spread, overlap))[:worst]:
        c = codes[i]
        print(f"  {names[c]} ({c}) {overlap[i]}/{K} — ours: {', '.join(names[p] for p in peers[c])}; "
              f"Kolada: {', '.join(sorted(names[p] for p in theirs[c]))}, at our ranks "
              f"{', '.join(map(str, their_ranks[c]))}")


if __name__ == "__main__":
    main()
