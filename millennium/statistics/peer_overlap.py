"""How far our similar municipalities agree with Kolada's published groups "Liknande kommuner, övergripande".

For every municipality: how many of our `K` peers (`peers.all_similar_municipalities`) are among Kolada's 7 in
the latest year of its "övergripande" groups (``kolada-meta/munic_g.csv`` in the data folder). The mean over all
municipalities is the figure reported in ``bench/README.md`` (by ``bench/peers_overlap.py``) and on the about
page. It changes only when the store's data change, so the site keeps it per process until the next import.
"""

import csv
import re
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings

from .models import ImportBatch
from .peers import K, all_similar_municipalities

GROUP = re.compile(r"^Liknande kommuner, övergripande, (?P<name>.+), (?P<year>\d{4})$")


@dataclass(frozen=True)
class PeerOverlap:
    """The agreement of our peers with Kolada's: per municipality code, how many of our `k` are theirs."""

    year: int  # the year of Kolada's groups
    k: int
    by_municipality: dict[str, int]

    @property
    def n(self) -> int:
        return len(self.by_municipality)

    @property
    def mean(self) -> float:
        return float(np.mean(list(self.by_municipality.values())))

    def distribution(self) -> list[tuple[int, int]]:
        """(shared peers, number of municipalities) for 0 … k shared."""
        counts = Counter(self.by_municipality.values())
        return [(hits, counts[hits]) for hits in range(self.k + 1)]


def kolada_groups(meta: Path) -> tuple[int, dict[str, set[str]]]:
    """The latest year of Kolada's "övergripande" groups and, for that year, municipality code → its 7 peers.

    `meta` is the folder with Kolada's metadata (munic.csv: id, title, type; munic_g.csv: group_title,
    member_id); a group is named after its municipality, so munic.csv turns the name into the code.
    """
    with (meta / "munic.csv").open(encoding="utf-8", newline="") as f:
        code_of = {r["title"]: r["id"] for r in csv.DictReader(f) if r["type"] == "K"}
    members: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    with (meta / "munic_g.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if m := GROUP.match(r["group_title"]):
                members[int(m["year"])][code_of[m["name"]]].add(r["member_id"])
    year = max(members)
    return year, dict(members[year])


def peer_overlap(ours: pd.DataFrame, theirs: dict[str, set[str]], year: int, k: int = K) -> PeerOverlap:
    """Overlap of `ours` (the frame of `all_similar_municipalities`) with `theirs` (`kolada_groups`).

    Only municipalities in both count (Kolada has a group for each of the 290).
    """
    peers = ours.groupby("municipality", sort=True)["code"].apply(set)
    return PeerOverlap(year=year, k=k, by_municipality={
        code: len(peers[code] & theirs[code]) for code in peers.index if code in theirs})


def compute_peer_overlap(meta: Path | None = None) -> PeerOverlap:
    """Our peers of every municipality from the store against Kolada's groups in `meta` (default: the data folder)."""
    meta = Path(settings.DATA_DIR) / "kolada-meta" if meta is None else meta
    year, theirs = kolada_groups(meta)
    return peer_overlap(all_similar_municipalities(), theirs, year)


_cache: dict = {}
_lock = threading.Lock()


def current_peer_overlap() -> PeerOverlap | None:
    """`compute_peer_overlap`, kept per process until the next import; None without Kolada's groups or data.

    Computing takes about a second (every municipality's peers from the store), too slow for each request;
    the latest import batch is the key, so an import makes the next request compute it anew.
    """
    key = ImportBatch.objects.order_by("-finished_at", "-id").values_list("id", "finished_at").first()
    with _lock:
        if "key" in _cache and _cache["key"] == key:
            return _cache["value"]
    try:
        value = compute_peer_overlap()
    except (FileNotFoundError, LookupError, ValueError):
        # No Kolada metadata in the data folder, or no structural figures in the store yet.
        value = None
    with _lock:
        _cache.update(key=key, value=value)
    return value
