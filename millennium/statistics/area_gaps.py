"""Is the region growing together? The spread of a key figure across an area's parts, and its trend.

For the children of an area (the municipalities of a region), or the sub-areas of one level of a
municipality (its RegSO, DeSO or own districts, imported with `millennium import areas-csv`), per key
figure and year, summary measures of inequality between them (WHO HEAT definitions,
`millennium.analysis.gaps`):

* **COV**, the coefficient of variation: 100 · (between-group standard deviation) / mean, in per cent;
* **Theil index** (``ti``, × 1000 as HEAT reports it) and the **Gini coefficient** (0 … 1);
* **D**, highest − lowest value, and **R**, highest / lowest.

**Weights.** COV, Theil and Gini weigh each child by its inhabitants, Kolada's key figure N01951 (Invånare
31 december) for the same year: a municipality of 350,000 counts for more than one of 7,000, so the
numbers describe the spread among the region's residents rather than among its municipalities. A year is
weighted only when N01951 exists for *every* child with a value that year; otherwise that whole year is
unweighted (every child counts the same), never weighted with some children missing, which would quietly
drop them from the mean. The column ``weighted`` says which it was. In the Kolada extract N01951 covers
every municipality 1994–2022, so every year is weighted there; the fallback matters for newer years than
the population figures and for areas without them (districts). D and R never use weights.

**Trend.** A spread is itself a series (DESIGN §4): the COV series is judged with Open SDG's method
(Statistics Canada, sdg-build 2.4.0; `millennium.analysis.progress.opensdg`), lower is better (direction
−1), base year 2015 (the first year with a COV from 2015 on), no target: "is the spread shrinking, and fast
enough to count?" (progress value −CAGR of the COV against 1.5 % / 0.5 % / 0 a year). COV rather than
Theil or Gini because it is defined for any sign of change, reads as a percentage and is scale-free, so
key figures in different units compare. Years with fewer than two children with values have no spread
and take no part in the trend.

Everything numeric is whole-array work: one pivot to (key figure, year) × child, one
`gaps.compute_many` call per measure over all rows, and one run of the progress engine over all key
figures (`compute_area_spread`). `area_spread`, `region_overview` and `district_overview` only read the
store and shape the result.

**Levels.** A municipality's sub-areas are compared only with sub-areas of the same level
(`SUB_AREA_LEVELS`): a DeSO lies inside a RegSO, and a municipality's own districts may overlap both, so a
spread over a mix would count people twice. RegSO and own districts are children of the municipality, DeSO
children of a RegSO (`millennium.places.loading`, `areas_csv_import`), hence `sub_areas` looks two levels
down.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from django.db.models import Q

from millennium.analysis import gaps
from millennium.analysis.progress.methods import assess
from millennium.analysis.progress.panel import Panel, Settings
from millennium.places.models import Area

from .models import Measure, MeasureLink, Observation

__all__ = ["METHOD", "BASE_YEAR", "POPULATION", "SPREAD_MEASURES", "YEAR_COLUMNS", "TREND_COLUMNS",
           "compute_area_spread", "YearSpread", "ChildValue", "AreaSpread", "area_spread", "OverviewRow",
           "region_overview", "SUB_AREA_LEVELS", "sub_areas", "district_levels", "district_overview"]

METHOD = "opensdg"
BASE_YEAR = 2015
#: Kolada's key figure for inhabitants (31 December), the population weights.
POPULATION = "N01951"
#: The measures per year: column name → `gaps` measure name. d and r are unweighted by definition.
SPREAD_MEASURES = {"cov": "cov", "theil": "ti", "gini": "gini", "d": "d", "r": "r"}
#: The levels of a municipality's sub-areas, in the order pages show them; never mixed in one spread.
SUB_AREA_LEVELS = [Area.Level.REGSO, Area.Level.DESO, Area.Level.CUSTOM]

YEAR_COLUMNS = ["measure_id", "year", "n", "weighted", "mean", *SPREAD_MEASURES]
TREND_COLUMNS = ["status", "reason", "base_year", "base_value", "current_year", "current_value",
                 "progress_value", "score"]


def compute_area_spread(observations: pd.DataFrame, population: pd.DataFrame,
                        children) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Spread across children per key figure and year, and the trend of each key figure's COV; no database.

    Parameters
    ----------
    observations : pandas.DataFrame
        Columns measure_id, year, area_id (a child) and value, at most one row per (measure_id, year,
        area_id). Rows of areas not in `children` are ignored.
    population : pandas.DataFrame
        Columns year, area_id and value: inhabitants per child and year. May be empty.
    children : sequence
        The area ids of the children, the groups (columns) of every row.

    Returns
    -------
    by_year : pandas.DataFrame
        One row per key figure and year with at least one child value, sorted by measure_id and year:
        `YEAR_COLUMNS`. ``n`` children with a value; ``weighted`` whether COV, Theil, Gini and ``mean``
        used population weights that year (see the module docstring); ``mean`` the (weighted) mean of the
        children. Measures NaN where undefined (fewer than two children, a mean of 0, negative values
        for Theil and Gini; see `gaps.compute`, Notes).
    trend : pandas.DataFrame
        One row per key figure of `by_year` (index measure_id): `TREND_COLUMNS` from the Open SDG method
        on the series ``cov`` with direction −1, base year `BASE_YEAR` and no target.
    """
    children = pd.Index(list(children))
    rows = observations[observations["area_id"].isin(children)]
    wide = (rows.set_index(["measure_id", "year", "area_id"])["value"].unstack("area_id")
            .reindex(columns=children).sort_index())
    values = wide.to_numpy(dtype="float64") if len(wide) else np.empty((0, len(children)))
    years = wide.index.get_level_values("year").to_numpy(dtype="int64")
    present = ~np.isnan(values)

    people = (population.set_index(["year", "area_id"])["value"].unstack("area_id")
              .reindex(index=pd.Index(years, name="year"), columns=children)
              if len(population) else pd.DataFrame(np.nan, index=years, columns=children))
    people = people.to_numpy(dtype="float64")
    # A year is weighted only if every child with a value has a population that year (module docstring).
    weighted = ~(present & ~(people > 0)).any(axis=1)
    weights = np.where(weighted[:, None], np.where(present, people, 0.0), 1.0)

    by_year = pd.DataFrame({
        "measure_id": wide.index.get_level_values("measure_id").to_numpy(dtype="int64"),
        "year": years,
        "n": present.sum(axis=1),
        "weighted": weighted,
        "mean": _weighted_mean(values, present, weights),
        **{column: gaps.compute_many(name, values, None if name in ("d", "r") else weights)
           for column, name in SPREAD_MEASURES.items()},
    }, columns=YEAR_COLUMNS)

    labels = pd.unique(by_year["measure_id"])
    panel = Panel.from_long(by_year["measure_id"].to_numpy(), by_year["year"].to_numpy(),
                            by_year["cov"].to_numpy(), labels=labels)
    settings = Settings.broadcast(panel.n, base_year=BASE_YEAR, direction=-1, target=np.nan)
    trend = assess(METHOD, panel, settings)[TREND_COLUMNS]
    trend.index = pd.Index(np.asarray(labels, dtype="int64"), name="measure_id")
    return by_year, trend


def _weighted_mean(values, present, weights) -> np.ndarray:
    """Σ w_j y_j / Σ w_j over the children with a value; NaN for a row without any."""
    w = np.where(present, weights, 0.0)
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (w * np.nan_to_num(values)).sum(axis=1) / total, np.nan)


@dataclass(frozen=True)
class YearSpread:
    year: int
    n: int
    weighted: bool
    mean: float | None
    cov: float | None
    theil: float | None
    gini: float | None
    d: float | None
    r: float | None


@dataclass(frozen=True)
class ChildValue:
    area: Area
    value: float | None
    #: The value as a percentage of the (weighted) mean of all children that year.
    of_mean: float | None


@dataclass(frozen=True)
class AreaSpread:
    """One key figure across the children of one area: spread per year, its trend, the latest values."""

    area: Area
    measure: Measure
    sex: str
    children: list[Area]
    years: list[YearSpread]
    latest: list[ChildValue]
    status: str
    reason: str
    base_year: int | None
    base_cov: float | None
    current_cov: float | None
    score: float | None
    trend: dict = field(default_factory=dict)

    @property
    def latest_year(self) -> YearSpread | None:
        """The latest year with a spread (two or more children with values)."""
        with_spread = [y for y in self.years if y.n >= 2]
        return with_spread[-1] if with_spread else None


def _number(value) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


def sub_areas(area: Area, level: str | None = None):
    """The areas compared: the area's children, or with `level` its children and grandchildren of that level
    (a municipality's DeSO are children of its RegSO). A query set, ordered by name."""
    if level is None:
        return area.children.order_by("name")
    return Area.objects.filter(Q(parent=area) | Q(parent__parent=area), level=level).order_by("name")


def _read(area: Area, measure_ids, sex: str,
          level: str | None = None) -> tuple[list[Area], pd.DataFrame, pd.DataFrame]:
    children = list(sub_areas(area, level))
    ids = [c.id for c in children]
    rows = list(Observation.objects.filter(area__in=ids, measure__in=measure_ids, sex=sex)
                .values_list("measure_id", "year", "area_id", "value"))
    observations = pd.DataFrame(rows, columns=["measure_id", "year", "area_id", "value"])
    people = list(Observation.objects.filter(area__in=ids, measure__code=POPULATION, sex="T")
                  .values_list("year", "area_id", "value"))
    population = pd.DataFrame(people, columns=["year", "area_id", "value"])
    return children, observations, population


def area_spread(area_code: str, measure_code: str, *, sex: str = "T", level: str | None = None) -> AreaSpread:
    """The spread of one key figure across the children of an area, per year, and its trend.

    With `level`, across the area's sub-areas of that level instead (`sub_areas`). Raises
    `Area.DoesNotExist` / `Measure.DoesNotExist` for an unknown code. An area without children, or a key
    figure without values for them, gives no years and status not_available. Three queries
    besides the two look-ups: the children, their values and their populations.
    """
    area = Area.objects.get(code=area_code)
    measure = Measure.objects.get(code=measure_code)
    children, observations, population = _read(area, [measure.id], sex, level)
    by_year, trend = compute_area_spread(observations, population, [c.id for c in children])

    years = [YearSpread(int(y), int(n), bool(w), _number(m), _number(c), _number(t), _number(g), _number(d),
                        _number(r))
             for y, n, w, m, c, t, g, d, r in by_year[["year", *YEAR_COLUMNS[2:]]].itertuples(index=False)]
    t = trend.iloc[0] if len(trend) else pd.Series({"status": "not_available", "reason": "no data"})
    with_spread = [y for y in years if y.n >= 2]
    latest = []
    if with_spread:
        last = with_spread[-1]
        values = dict(observations.loc[observations["year"] == last.year, ["area_id", "value"]]
                      .itertuples(index=False))
        latest = [ChildValue(c, _number(values.get(c.id)),
                             _number(100.0 * values[c.id] / last.mean) if c.id in values and last.mean else None)
                  for c in children]
    return AreaSpread(
        area=area, measure=measure, sex=sex, children=children, years=years, latest=latest,
        status=t["status"], reason=t["reason"],
        base_year=None if _number(t.get("base_year")) is None else int(t["base_year"]),
        base_cov=_number(t.get("base_value")), current_cov=_number(t.get("current_value")),
        score=_number(t.get("score")), trend=t.to_dict(),
    )


@dataclass(frozen=True)
class OverviewRow:
    """One key figure in a region's overview: its latest spread and whether the spread shrinks."""

    measure: Measure
    goal_code: str
    latest_year: int | None
    n: int
    cov: float | None
    status: str
    reason: str
    base_year: int | None
    base_cov: float | None
    theil: float | None = None
    gini: float | None = None
    d: float | None = None
    r: float | None = None


def region_overview(area_code: str) -> list[OverviewRow]:
    """Latest COV and its trend for every key figure mapped to an SDG goal, across the area's children.

    Key figures mapped to SDG goals (MeasureLink, framework 'sdg') with values for at least one child;
    those without (e.g. key figures reported only for regions) are left out. Ordered by goal, then key
    figure code. All key figures are computed together (`compute_area_spread`). Raises
    `Area.DoesNotExist` for an unknown code.
    """
    area = Area.objects.get(code=area_code)
    links = (MeasureLink.objects.filter(goal__framework__code="sdg").select_related("measure", "goal")
             .order_by("goal__number", "measure__code"))
    first_goal: dict[int, tuple[Measure, str]] = {}
    for link in links:
        first_goal.setdefault(link.measure_id, (link.measure, link.goal.code))
    return _overview(area, first_goal, None)


def district_levels(area_code: str) -> list[str]:
    """The levels of `SUB_AREA_LEVELS` at which the area's sub-areas have values, in that order."""
    area = Area.objects.get(code=area_code)
    below = Area.objects.filter(Q(parent=area) | Q(parent__parent=area), level__in=SUB_AREA_LEVELS)
    found = set(Observation.objects.filter(area__in=below).values_list("area__level", flat=True).distinct())
    return [level for level in SUB_AREA_LEVELS if level in found]


def district_overview(area_code: str, level: str) -> list[OverviewRow]:
    """Latest spread and its trend for every key figure with values for the area's sub-areas of `level`.

    Every key figure with values (both sexes together), not only those mapped to a goal: a municipality's
    own district figures seldom are. goal_code is the first SDG goal the key figure is mapped to, or ''.
    Ordered by key figure code. Raises `Area.DoesNotExist` for an unknown code.
    """
    area = Area.objects.get(code=area_code)
    measure_ids = (Observation.objects.filter(area__in=sub_areas(area, level).values("id"), sex="T")
                   .values_list("measure_id", flat=True).distinct())
    measures = Measure.objects.filter(id__in=list(measure_ids)).order_by("code")
    goals: dict[int, str] = {}
    for measure_id, goal_code in (MeasureLink.objects.filter(measure__in=measures, goal__framework__code="sdg")
                                  .order_by("goal__number").values_list("measure_id", "goal__code")):
        goals.setdefault(measure_id, goal_code)
    return _overview(area, {m.id: (m, goals.get(m.id, "")) for m in measures}, level)


def _overview(area: Area, first_goal: dict[int, tuple[Measure, str]], level: str | None) -> list[OverviewRow]:
    children, observations, population = _read(area, list(first_goal), "T", level)
    by_year, trend = compute_area_spread(observations, population, [c.id for c in children])

    # The latest year with a COV per key figure: one group-by, no loop over key figures.
    with_cov = by_year[np.isfinite(by_year["cov"])]
    latest = with_cov.groupby("measure_id").tail(1).set_index("measure_id")
    rows = []
    for measure_id, (measure, goal_code) in first_goal.items():
        if measure_id not in trend.index:
            continue
        t = trend.loc[measure_id]
        last = latest.loc[measure_id] if measure_id in latest.index else None
        rows.append(OverviewRow(
            measure=measure, goal_code=goal_code,
            latest_year=None if last is None else int(last["year"]),
            n=0 if last is None else int(last["n"]),
            cov=None if last is None else _number(last["cov"]),
            status=t["status"], reason=t["reason"],
            base_year=None if _number(t["base_year"]) is None else int(t["base_year"]),
            base_cov=_number(t["base_value"]),
            **{m: None if last is None else _number(last[m]) for m in ("theil", "gini", "d", "r")},
        ))
    return rows
