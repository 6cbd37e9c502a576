"""Similar municipalities ("liknande kommuner") from the structural key figures in the store.

Which figures, how each is transformed and how much it weighs is our choice, written down with the reason for
each in `data/peer_figures.csv`: size (inhabitants, logged) and the two economic preconditions (skattekraft;
generella statsbidrag och utjämning) carry the distance, seven context figures (settlement, growth, age,
education, foreign-born, commuting) separate the otherwise alike and explain the result. The method itself
(z-scores, weighted Euclidean distance, nearest k) is `millennium.analysis.peers`.

How the weights were chosen: by the reasons in the file, then checked as a whole against Kolada's published
groups "Liknande kommuner, övergripande" (`bench/peers_overlap.py`), trying a few global settings, never fitting
any municipality's peers. Our 7 share 2.0 of Kolada's 7 on average (4.4 for the 19 municipalities above
100,000 inhabitants, 1.4 to 1.6 below 20,000). More weight on any context figure lowered the agreement; no
weighted Euclidean distance on the figures of the Kolada extract that we tried (all 429 figures with values
for nearly every municipality, chosen greedily) came above 2.2: Kolada's groups must rest on other figures or
another method. The data's vintage explains little of the gap: our own peers from 2021 and 2022 values share
5.8 of 7.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from django.db.models import Max

from millennium.analysis.peers import TRANSFORMS, all_nearest, nearest
from millennium.places.models import Area

from .models import Observation

FIGURES = Path(__file__).resolve().parent / "data" / "peer_figures.csv"
#: Peers per municipality: as many as Kolada shows.
K = 7
#: A municipality's latest value counts if it is at most this many years older than the figure's latest year
#: (over all municipalities); older values count as missing.
MAX_AGE = 5
COLUMNS = ["code", "name", "distance", "similar_on", "differs_on"]


class UnknownMunicipality(LookupError):
    pass


class MissingFigures(LookupError):
    pass


@dataclass(frozen=True)
class PeerFigure:
    kpi: str
    name: str
    transform: str
    weight: float
    why: str


def read_peer_figures(path: Path = FIGURES) -> list[PeerFigure]:
    """The figures of `path` (kpi, name, transform, weight, why), checked; raises ValueError naming the line."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    figures, seen = [], set()
    for line, row in enumerate(rows, start=2):
        where = f"{path}, line {line}"
        if row["kpi"] in seen:
            raise ValueError(f"{where}: key figure {row['kpi']!r} listed twice")
        if row["transform"] not in TRANSFORMS:
            raise ValueError(f"{where}: transform must be one of {TRANSFORMS}, got {row['transform']!r}")
        try:
            weight = float(row["weight"])
        except ValueError:
            raise ValueError(f"{where}: weight must be a number, got {row['weight']!r}") from None
        if not weight > 0:
            raise ValueError(f"{where}: weight must be > 0, got {weight}")
        if not row["name"].strip() or not row["why"].strip():
            raise ValueError(f"{where}: every figure needs a name and a reason (why)")
        seen.add(row["kpi"])
        figures.append(PeerFigure(row["kpi"], row["name"], row["transform"], weight, row["why"]))
    return figures


def structural_table(figures: list[PeerFigure] | None = None, *, max_age: int = MAX_AGE) -> pd.DataFrame:
    """Latest value (total, sex 'T') of each figure for every municipality: rows codes, columns KPI codes.

    Each figure's year is its latest year over all municipalities; a municipality without a value that year
    gets its own latest value if at most `max_age` years older, else NaN. ``attrs["years"]`` holds each
    figure's latest year. Raises `MissingFigures` when a figure has no municipality values in the store.
    """
    figures = read_peer_figures() if figures is None else figures
    codes = [f.kpi for f in figures]
    municipal = Observation.objects.filter(measure__code__in=codes, sex=Observation.Sex.TOTAL,
                                           area__level=Area.Level.MUNICIPALITY)
    latest = dict(municipal.values_list("measure__code").annotate(year=Max("year")))
    missing = [c for c in codes if c not in latest]
    if missing:
        raise MissingFigures(f"the store has no municipality values of {', '.join(missing)}; import the Kolada "
                             "extract first (`millennium import kolada-ddf DIR`)")
    rows = pd.DataFrame.from_records(
        list(municipal.filter(year__gte=min(latest.values()) - max_age)
             .values_list("measure__code", "area__code", "year", "value")),
        columns=["kpi", "area", "year", "value"])
    rows = rows[rows["year"] >= rows["kpi"].map(latest) - max_age]
    newest = rows.sort_values("year").drop_duplicates(["kpi", "area"], keep="last")
    areas = list(Area.objects.filter(level=Area.Level.MUNICIPALITY).order_by("code").values_list("code", flat=True))
    table = newest.pivot(index="area", columns="kpi", values="value").reindex(index=areas, columns=codes)
    table.index.name, table.columns.name = "code", None
    table.attrs["years"] = {c: int(latest[c]) for c in codes}
    return table


def similar_municipalities(code: str, k: int = K) -> pd.DataFrame:
    """The `k` municipalities most alike municipality `code` in the structural figures, nearest first.

    Columns: code, name, distance (weighted root-mean-square of the standardised differences, see
    `millennium.analysis.peers.distances`), similar_on and differs_on (lists of figure names, the three
    closest and the three furthest apart). Raises `UnknownMunicipality` for a code that is not one of the
    municipalities in the store.
    """
    area = Area.objects.filter(code=code).first()
    if area is None or area.level != Area.Level.MUNICIPALITY:
        what = "no area" if area is None else f"{area.name}, a {area.level}, not a municipality"
        raise UnknownMunicipality(f"unknown municipality code {code!r} ({what}); expected one of the 290 "
                                  "four-digit municipality codes, e.g. '1280' for Malmö")
    figures = read_peer_figures()
    peers = nearest(structural_table(figures), code, k, **_options(figures))
    return _named(peers["peer"], peers, figures).reset_index(drop=True)


def all_similar_municipalities(k: int = K) -> pd.DataFrame:
    """`similar_municipalities` of every municipality at once: columns municipality, rank, then `COLUMNS`."""
    figures = read_peer_figures()
    peers = all_nearest(structural_table(figures), k, **_options(figures))
    named = _named(peers["peer"], peers, figures)
    named.insert(0, "rank", peers["rank"].to_numpy())
    named.insert(0, "municipality", peers["code"].to_numpy())
    return named


def _options(figures: list[PeerFigure]) -> dict:
    """The `weights` and `transforms` arguments of the analysis functions."""
    return {"weights": {f.kpi: f.weight for f in figures}, "transforms": {f.kpi: f.transform for f in figures}}


def _named(codes: pd.Series, peers: pd.DataFrame, figures: list[PeerFigure]) -> pd.DataFrame:
    names = dict(Area.objects.filter(level=Area.Level.MUNICIPALITY).values_list("code", "name"))
    label = {f.kpi: f.name for f in figures}
    return pd.DataFrame({
        "code": codes.to_numpy(),
        "name": [names[c] for c in codes],
        "distance": peers["distance"].to_numpy(dtype=np.float64),
        "similar_on": [[label[c] for c in row] for row in peers["similar_on"]],
        "differs_on": [[label[c] for c in row] for row in peers["differs_on"]],
    }, columns=COLUMNS)
