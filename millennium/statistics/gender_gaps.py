"""Gender gaps (jämställdhet) in one area: women and men in every key figure split by sex, and whether the gap closes.

For every key figure with values for both women (K) and men (M) in a year: the gender parity index GPI =
women / men, the difference women − men, the adjusted GPI and whether the year is in parity (WHO HEAT /
UNESCO UIS, `millennium.analysis.gaps`). A gap is itself a series (DESIGN §4), so its trend is judged by
the progress engine, all key figures at once:

* **Gap measure: the distance from parity of the adjusted GPI, |adjusted GPI − 1|.** The adjusted GPI
  (UIS: GPI where GPI ≤ 1, else 2 − 1/GPI) treats a gap to women's disadvantage and one to men's alike:
  women at half men's level and men at half women's level are both 0.5 from parity, where |GPI − 1|
  would give 0.5 and 1.0. It also keeps the distance between 0 and 1, so a gap cannot grow without bound
  when men's value is small. Which sex is behind, and whether higher is better, depends on the key
  figure; the distance says only how far apart women and men are.
* **Parity** is an adjusted GPI within `PARITY_BAND` 0.97–1.03 (UIS for SDG 4.5.1 applies the band to the
  adjusted index). For a GPI ≤ 1 that is the GPI band itself; above 1 it is GPI ≤ 1/0.97 ≈ 1.0309 rather
  than 1.03, so that parity and the trend's "target achieved" below mean exactly the same thing.
* **Trend: Open SDG's method** (Statistics Canada, sdg-build 2.4.0; `analysis.progress.opensdg`), lower
  is better (direction −1), base year 2015 (the first year with both sexes from 2015 on), target year 2030
  (Agenda 2030, goal 5), **target 0.03: the edge of the parity band**, not 0. Parity is the goal, but a
  target of exactly 0 is replaced by 0.001 in Open SDG, and the required rate of decline towards 0.001
  (from a distance of 0.3 in 2015: −35 % a year) would then be an artefact of that replacement, so
  every real improvement would read as "limited progress". With 0.03 the required rate is the one that
  brings the gap into the parity band by 2030, and a key figure already in the band has
  ``target_achieved``. A base distance of exactly 0 (women equal to men in the base year) is replaced by
  0.001 by the method; such a series is either still in parity (target achieved) or has deteriorated.

Years where men's value is 0, or either value is negative, have no GPI (see `gaps.compute`, Notes) and
take no part in the trend.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from millennium.analysis import gaps
from millennium.analysis.progress.methods import assess
from millennium.analysis.progress.panel import Panel, Settings
from millennium.places.models import Area

from .models import Measure, Observation

__all__ = ["METHOD", "BASE_YEAR", "TARGET_YEAR", "TARGET", "GAP_MEASURE", "YearGap", "GenderGap",
           "compute_gender_gaps", "gender_gaps"]

METHOD = "opensdg"
BASE_YEAR = 2015
TARGET_YEAR = 2030
#: The gap's target: the edge of the parity band, as a distance from parity (see the module docstring).
TARGET = gaps.PARITY_BAND[1] - 1.0
#: What the trend judges, per year.
GAP_MEASURE = "|adjusted GPI − 1|"

YEAR_COLUMNS = ["measure_id", "year", "women", "men", "gpi", "difference", "adjusted_gpi", "in_parity", "gap"]
TREND_COLUMNS = ["status", "reason", "base_year", "base_value", "current_year", "current_value",
                 "progress_value", "score"]


def compute_gender_gaps(observations: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Gaps per key figure and year, and the trend of each key figure's gap; no database.

    Parameters
    ----------
    observations : pandas.DataFrame
        Columns measure_id, year, sex ('K' women, 'M' men; other sexes are ignored) and value, at most one
        row per (measure_id, year, sex).

    Returns
    -------
    by_year : pandas.DataFrame
        One row per key figure and year with both sexes, sorted by measure_id and year: `YEAR_COLUMNS`
        (gpi, adjusted_gpi and gap NaN where the GPI is undefined; in_parity False there).
    trend : pandas.DataFrame
        One row per key figure of `by_year` (index measure_id): `TREND_COLUMNS` from the Open SDG method
        on the series `gap` with direction −1, base year `BASE_YEAR`, target `TARGET` by `TARGET_YEAR`.
        base_value and current_value are gaps (distances from parity).

    Notes
    -----
    Everything is whole-array work over all key figures: one pivot, one `gaps.compute_many` per measure
    and one run of the progress engine.
    """
    both = observations[observations["sex"].isin(["K", "M"])]
    wide = (both.set_index(["measure_id", "year", "sex"])["value"].unstack("sex")
            .reindex(columns=["K", "M"]).dropna().sort_index())
    women = wide["K"].to_numpy(dtype="float64")
    men = wide["M"].to_numpy(dtype="float64")
    pair = np.column_stack([women, men]) if len(wide) else np.empty((0, 2))
    gpi = gaps.compute_many("gpi", pair)
    adjusted = gaps.compute_many("adjusted_gpi", pair)
    by_year = pd.DataFrame({
        "measure_id": wide.index.get_level_values("measure_id").to_numpy(dtype="int64"),
        "year": wide.index.get_level_values("year").to_numpy(dtype="int64"),
        "women": women, "men": men, "gpi": gpi, "difference": women - men, "adjusted_gpi": adjusted,
        "in_parity": gaps.in_parity(adjusted), "gap": np.abs(adjusted - 1.0),
    }, columns=YEAR_COLUMNS)

    labels = pd.unique(by_year["measure_id"])
    panel = Panel.from_long(by_year["measure_id"].to_numpy(), by_year["year"].to_numpy(),
                            by_year["gap"].to_numpy(), labels=labels)
    settings = Settings.broadcast(panel.n, base_year=BASE_YEAR, target_year=TARGET_YEAR, direction=-1,
                                  target=TARGET)
    trend = assess(METHOD, panel, settings)[TREND_COLUMNS]
    trend.index = pd.Index(labels.astype("int64"), name="measure_id")
    return by_year, trend


@dataclass(frozen=True)
class YearGap:
    year: int
    women: float
    men: float
    gpi: float | None
    difference: float
    adjusted_gpi: float | None
    in_parity: bool


@dataclass(frozen=True)
class GenderGap:
    """One key figure's gender gap in one area: every year with both sexes, the latest, and the gap's trend."""

    measure: Measure
    years: list[YearGap]
    status: str
    reason: str
    base_year: int | None
    base_gap: float | None
    current_gap: float | None
    score: float | None
    trend: dict = field(default_factory=dict)

    @property
    def latest(self) -> YearGap:
        return self.years[-1]


def _number(value) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


def gender_gaps(area_code: str) -> list[GenderGap]:
    """Every key figure of the area with values for both women and men, ordered by key figure code.

    Raises `Area.DoesNotExist` for an unknown code. Two queries: the area's observations of women and men
    (through the index on area, measure, sex, year) and their key figures.
    """
    area = Area.objects.get(code=area_code)
    rows = list(Observation.objects.filter(area=area, sex__in=["K", "M"])
                .values_list("measure_id", "year", "sex", "value"))
    observations = pd.DataFrame(rows, columns=["measure_id", "year", "sex", "value"])
    by_year, trend = compute_gender_gaps(observations)
    measures = Measure.objects.in_bulk(trend.index.tolist())
    result = []
    # Building the output rows is the only loop over key figures; the numbers are all computed above.
    years_of = dict(tuple(by_year.groupby("measure_id", sort=False)))
    for measure_id, t in trend.iterrows():
        frame = years_of[measure_id]
        years = [YearGap(int(y), float(w), float(m), _number(g), float(d), _number(a), bool(p))
                 for y, w, m, g, d, a, p in zip(frame["year"], frame["women"], frame["men"], frame["gpi"],
                                                frame["difference"], frame["adjusted_gpi"], frame["in_parity"])]
        base_year = _number(t["base_year"])
        result.append(GenderGap(
            measure=measures[measure_id], years=years, status=t["status"], reason=t["reason"],
            base_year=None if base_year is None else int(base_year), base_gap=_number(t["base_value"]),
            current_gap=_number(t["current_value"]), score=_number(t["score"]), trend=t.to_dict(),
        ))
    result.sort(key=lambda g: g.measure.code)
    return result
