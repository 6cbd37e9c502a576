"""Gaps by background in one area: foreign-born (utrikes födda) and Swedish-born (inrikes födda) residents.

Kolada publishes some key figures twice, once for residents born abroad and once for residents born in
Sweden, under otherwise identical names; our pairs are in `data/background_pairs.csv` (foreign_kpi,
swedish_kpi, topic_sv, note). For every pair and year with both values:

* **ratio** = foreign-born / Swedish-born (1: equal; below 1: lower for the foreign-born),
* **difference** = foreign-born − Swedish-born,
* the **adjusted ratio** (ratio where ≤ 1, else 2 − 1/ratio) and whether the year is **in parity**
  (adjusted ratio within `gaps.PARITY_BAND`, 0.97–1.03),
* the **trend of the gap |adjusted ratio − 1|**, judged exactly as `gender_gaps` judges
  |adjusted GPI − 1|: Open SDG, lower is better, base year 2015, target 0.03 (the band's edge) by 2030.

The arithmetic is the gender gaps' own: a foreign-born / Swedish-born pair is two groups of one key figure,
just as women / men are, so `compute_background_gaps` hands the pairs to
`gender_gaps.compute_gender_gaps` with the foreign-born value in the first group's place and the
Swedish-born in the second's. That keeps one implementation of the ratio, the parity band and the trend
settings. The ratio is `gaps` "gpi" (first group / second group); HEAT's "r" is not used because, for
non-ordered groups, it divides the highest value by the lowest, whichever group that is.

Why the adjusted ratio: a gap to the foreign-born's disadvantage and one to the Swedish-born's count alike
(half the level either way is 0.5 from parity), and the distance stays between 0 and 1. Which group is
behind, and whether higher is better, depends on the key figure; the distance says only how far apart
the groups are. As for the sexes, the aim judged here is no gap.

Notes
-----
Only the totals for both sexes (sex 'T') are used. Years where the Swedish-born value is 0, or either value
is negative, have no ratio and take no part in the trend. A pair whose key figures are not both in the
store is left out.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from millennium.places.models import Area

from .gender_gaps import BASE_YEAR, GAP_MEASURE, METHOD, TARGET, TARGET_YEAR, _number, compute_gender_gaps
from .models import Measure, Observation

__all__ = ["PAIRS", "METHOD", "BASE_YEAR", "TARGET_YEAR", "TARGET", "GAP_MEASURE", "BackgroundPair",
           "YearBackgroundGap", "BackgroundGap", "read_pairs", "compute_background_gaps", "background_gaps"]

PAIRS = Path(__file__).resolve().parent / "data" / "background_pairs.csv"

YEAR_COLUMNS = ["pair", "year", "foreign", "swedish", "ratio", "difference", "adjusted_ratio", "in_parity",
                "gap"]
_FROM_GENDER = {"measure_id": "pair", "women": "foreign", "men": "swedish", "gpi": "ratio",
                "adjusted_gpi": "adjusted_ratio"}


@dataclass(frozen=True)
class BackgroundPair:
    foreign_kpi: str
    swedish_kpi: str
    topic_sv: str
    note: str


def read_pairs(path: Path = PAIRS) -> list[BackgroundPair]:
    """The pairs of `data/background_pairs.csv`, in file order; codes as stored (upper case)."""
    with path.open(encoding="utf-8", newline="") as f:
        return [BackgroundPair(r["foreign_kpi"].strip().upper(), r["swedish_kpi"].strip().upper(),
                               r["topic_sv"].strip(), r["note"].strip()) for r in csv.DictReader(f)]


def compute_background_gaps(observations: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Gaps per pair and year, and the trend of each pair's gap; no database.

    Parameters
    ----------
    observations : pandas.DataFrame
        Columns pair (any integer label), year, group ('foreign' or 'swedish'; others ignored) and value, at
        most one row per (pair, year, group).

    Returns
    -------
    by_year : pandas.DataFrame
        One row per pair and year with both groups, sorted by pair and year: `YEAR_COLUMNS` (ratio,
        adjusted_ratio and gap NaN where the ratio is undefined; in_parity False there).
    trend : pandas.DataFrame
        One row per pair of `by_year` (index pair): the columns of `gender_gaps.TREND_COLUMNS`, from the
        same run of the progress engine as the gender gaps.
    """
    as_sexes = pd.DataFrame({
        "measure_id": observations["pair"].to_numpy(dtype="int64"),
        "year": observations["year"].to_numpy(dtype="int64"),
        "sex": observations["group"].map({"foreign": "K", "swedish": "M"}).to_numpy(),
        "value": observations["value"].to_numpy(dtype="float64"),
    })
    by_year, trend = compute_gender_gaps(as_sexes)
    by_year = by_year.rename(columns=_FROM_GENDER)[YEAR_COLUMNS]
    trend.index = trend.index.rename("pair")
    return by_year, trend


@dataclass(frozen=True)
class YearBackgroundGap:
    year: int
    foreign: float
    swedish: float
    ratio: float | None
    difference: float
    adjusted_ratio: float | None
    in_parity: bool


@dataclass(frozen=True)
class BackgroundGap:
    """One pair's gap in one area: every year with both groups, the latest, and the gap's trend."""

    pair: BackgroundPair
    foreign: Measure
    swedish: Measure
    years: list[YearBackgroundGap]
    status: str
    reason: str
    base_year: int | None
    base_gap: float | None
    current_gap: float | None
    score: float | None
    trend: dict = field(default_factory=dict)

    @property
    def latest(self) -> YearBackgroundGap:
        return self.years[-1]


def background_gaps(area_code: str, *, pairs: list[BackgroundPair] | None = None) -> list[BackgroundGap]:
    """Every pair of `pairs` (default: `read_pairs()`) with values for both groups in the area, in file order.

    Raises `Area.DoesNotExist` for an unknown code. Three queries: the area, the pairs' key figures and
    their totals in the area.
    """
    area = Area.objects.get(code=area_code)
    pairs = read_pairs() if pairs is None else pairs
    measures = Measure.objects.in_bulk([c for p in pairs for c in (p.foreign_kpi, p.swedish_kpi)],
                                       field_name="code")
    known = [(i, p) for i, p in enumerate(pairs) if p.foreign_kpi in measures and p.swedish_kpi in measures]
    slots = {}  # measure id → (pair index, group)
    for i, p in known:
        slots[measures[p.foreign_kpi].pk] = (i, "foreign")
        slots[measures[p.swedish_kpi].pk] = (i, "swedish")
    rows = [(*slots[m], y, v) for m, y, v in Observation.objects.filter(area=area, sex="T", measure_id__in=slots)
            .values_list("measure_id", "year", "value")]
    observations = pd.DataFrame(rows, columns=["pair", "group", "year", "value"])
    by_year, trend = compute_background_gaps(observations)

    result = []
    years_of = dict(tuple(by_year.groupby("pair", sort=False)))
    for i, t in trend.iterrows():
        frame, pair = years_of[i], pairs[i]
        years = [YearBackgroundGap(int(y), float(f), float(s), _number(r), float(d), _number(a), bool(p))
                 for y, f, s, r, d, a, p in zip(frame["year"], frame["foreign"], frame["swedish"], frame["ratio"],
                                                frame["difference"], frame["adjusted_ratio"], frame["in_parity"])]
        base_year = _number(t["base_year"])
        result.append(BackgroundGap(
            pair=pair, foreign=measures[pair.foreign_kpi], swedish=measures[pair.swedish_kpi], years=years,
            status=t["status"], reason=t["reason"], base_year=None if base_year is None else int(base_year),
            base_gap=_number(t["base_value"]), current_gap=_number(t["current_value"]), score=_number(t["score"]),
            trend=t.to_dict(),
        ))
    result.sort(key=lambda g: pairs.index(g.pair))
    return result
