"""Area programmes (områdesprogram): are the targeted areas catching up with the rest of the city?

A programme is a named group of a municipality's sub-areas of one level (RegSO, DeSO or own districts;
`AreaProgramme`). Per key figure and year:

* **programme**: the mean of the programme's areas with a value; **rest**: the mean of the municipality's
  other sub-areas of the same level with a value (the rest of the city);
* **difference** programme − rest, and the **gap** |difference|.

**Weights** as for the spread (`area_gaps`): a year's means weigh each area by its inhabitants (Kolada
N01951, if the municipality imported it for its areas) when every area with a value that year has one;
otherwise every area counts the same that year. The column ``weighted`` says which.

**Trend.** The gap is a series, judged like the other gaps (DESIGN §4; `gender_gaps`, `area_gaps`) with
Open SDG's method, lower is better (direction −1), no target, from the programme's start year (or 2015
without one): "has the distance between the targeted areas and the rest shrunk since the programme began?"
The absolute difference rather than the signed one, because which side is ahead depends on the key figure,
and a signed difference that changes sign cannot be judged by a rate of change.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import transaction

from millennium.analysis.progress.methods import assess
from millennium.analysis.progress.panel import Panel, Settings
from millennium.places.models import Area

from .area_gaps import BASE_YEAR, METHOD, POPULATION, SUB_AREA_LEVELS, sub_areas
from .models import AreaProgramme, Measure, Observation

__all__ = ["YEAR_COLUMNS", "TREND_COLUMNS", "compute_programme_gap", "ProgrammeYear", "ProgrammeGap",
           "programme_gaps", "ProgrammeError", "add_programme"]

YEAR_COLUMNS = ["year", "n_programme", "n_rest", "weighted", "programme", "rest", "difference", "gap"]
TREND_COLUMNS = ["status", "reason", "base_year", "base_value", "current_year", "current_value",
                 "progress_value", "score"]


def compute_programme_gap(observations: pd.DataFrame, population: pd.DataFrame, programme_ids, rest_ids, *,
                          base_year: int = BASE_YEAR) -> tuple[pd.DataFrame, pd.Series]:
    """Programme areas vs the rest, per year, and the trend of the gap; no database.

    Parameters
    ----------
    observations : pandas.DataFrame
        Columns year, area_id and value of one key figure, at most one row per (year, area_id). Rows of
        areas in neither group are ignored.
    population : pandas.DataFrame
        Columns year, area_id and value: inhabitants per area and year. May be empty.
    programme_ids, rest_ids : sequence
        Area ids of the programme and of the rest of the city.
    base_year : int
        The trend's base year (the programme's start).

    Returns
    -------
    by_year : pandas.DataFrame
        `YEAR_COLUMNS`, one row per year with a value in both groups, sorted by year.
    trend : pandas.Series
        `TREND_COLUMNS` of the Open SDG method on ``gap``, direction −1, no target.
    """
    programme_ids, rest_ids = list(programme_ids), list(rest_ids)
    columns = pd.Index(programme_ids + rest_ids)
    rows = observations[observations["area_id"].isin(columns)]
    wide = rows.set_index(["year", "area_id"])["value"].unstack("area_id").reindex(columns=columns).sort_index()
    values = wide.to_numpy(dtype="float64") if len(wide) else np.empty((0, len(columns)))
    years = wide.index.to_numpy(dtype="int64")
    present = ~np.isnan(values)
    people = (population.set_index(["year", "area_id"])["value"].unstack("area_id")
              .reindex(index=pd.Index(years, name="year"), columns=columns).to_numpy(dtype="float64")
              if len(population) else np.full(values.shape, np.nan))
    # Weighted only if every area with a value has a population that year (as in area_gaps).
    weighted = ~(present & ~(people > 0)).any(axis=1)
    weights = np.where(present, np.where(weighted[:, None], people, 1.0), 0.0)
    in_programme = np.arange(len(columns)) < len(programme_ids)

    def mean(group):
        w = weights[:, group]
        total = w.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, (w * np.nan_to_num(values[:, group])).sum(axis=1) / total, np.nan)

    programme, rest = mean(in_programme), mean(~in_programme)
    by_year = pd.DataFrame({
        "year": years, "n_programme": present[:, in_programme].sum(axis=1),
        "n_rest": present[:, ~in_programme].sum(axis=1), "weighted": weighted, "programme": programme,
        "rest": rest, "difference": programme - rest, "gap": np.abs(programme - rest),
    }, columns=YEAR_COLUMNS)
    by_year = by_year[(by_year["n_programme"] > 0) & (by_year["n_rest"] > 0)].reset_index(drop=True)

    panel = Panel.from_long(np.zeros(len(by_year), dtype="int64"), by_year["year"].to_numpy(),
                            by_year["gap"].to_numpy(dtype="float64"), labels=np.array([0]))
    settings = Settings.broadcast(panel.n, base_year=base_year, direction=-1, target=np.nan)
    trend = assess(METHOD, panel, settings)[TREND_COLUMNS].iloc[0]
    return by_year, trend


@dataclass(frozen=True)
class ProgrammeYear:
    year: int
    n_programme: int
    n_rest: int
    weighted: bool
    programme: float
    rest: float
    difference: float


@dataclass(frozen=True)
class ProgrammeGap:
    """One programme against the rest of the city in one key figure."""

    programme: AreaProgramme
    areas: list[Area]
    years: list[ProgrammeYear]
    status: str
    reason: str
    base_year: int | None
    base_gap: float | None
    current_year: int | None
    current_gap: float | None


def _number(value) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


def programme_gaps(municipality_code: str, measure_code: str, level: str, *, sex: str = "T") -> list[ProgrammeGap]:
    """Every programme of the municipality whose areas are of `level`, against the rest, in one key figure."""
    municipality = Area.objects.get(code=municipality_code)
    measure = Measure.objects.get(code=measure_code)
    programmes = [p for p in municipality.area_programmes.prefetch_related("areas")
                  if p.areas.all() and all(a.level == level for a in p.areas.all())]
    if not programmes:
        return []
    ids = list(sub_areas(municipality, level).values_list("id", flat=True))
    observations = pd.DataFrame(list(Observation.objects.filter(area__in=ids, measure=measure, sex=sex)
                                     .values_list("year", "area_id", "value")), columns=["year", "area_id", "value"])
    population = pd.DataFrame(list(Observation.objects.filter(area__in=ids, measure__code=POPULATION, sex="T")
                                   .values_list("year", "area_id", "value")), columns=["year", "area_id", "value"])
    result = []
    for programme in programmes:
        areas = sorted(programme.areas.all(), key=lambda a: a.name)
        inside = {a.id for a in areas}
        by_year, t = compute_programme_gap(observations, population, [a.id for a in areas],
                                           [i for i in ids if i not in inside],
                                           base_year=programme.start_year or BASE_YEAR)
        result.append(ProgrammeGap(
            programme=programme, areas=areas,
            years=[ProgrammeYear(int(r.year), int(r.n_programme), int(r.n_rest), bool(r.weighted), float(r.programme),
                                 float(r.rest), float(r.difference)) for r in by_year.itertuples()],
            status=t["status"], reason=t["reason"],
            base_year=None if _number(t["base_year"]) is None else int(t["base_year"]),
            base_gap=_number(t["base_value"]),
            current_year=None if _number(t["current_year"]) is None else int(t["current_year"]),
            current_gap=_number(t["current_value"]),
        ))
    return result


class ProgrammeError(ValueError):
    """A programme that cannot be stored; the message says why and what was expected."""


def add_programme(municipality_code: str, name: str, area_codes: list[str], *, start_year: int | None = None,
                  description: str = "") -> AreaProgramme:
    """Store a programme, or replace the one of that name in the municipality (its areas, start, description).

    The areas must be sub-areas of the municipality, all of one level, and leave at least one sub-area of
    that level outside the programme to compare with.
    """
    municipality = Area.objects.filter(code=municipality_code, level=Area.Level.MUNICIPALITY).first()
    if municipality is None:
        raise ProgrammeError(f"municipality {municipality_code} is not in the store; expected a Swedish "
                             "municipality code, e.g. 1280")
    name = name.strip()
    if not name:
        raise ProgrammeError("the programme needs a name")
    codes = list(dict.fromkeys(c.strip() for c in area_codes if c.strip()))
    if not codes:
        raise ProgrammeError("the programme needs at least one area code, e.g. 1280R001")
    found = {a.code: a for a in Area.objects.filter(code__in=codes).select_related("parent")}
    for code in codes:
        area = found.get(code)
        if area is None or area.level not in SUB_AREA_LEVELS or municipality.id not in (
                area.parent_id, area.parent.parent_id if area.parent else None):
            raise ProgrammeError(f"area {code} is not a RegSO, DeSO or own district of {municipality.name} "
                                 f"({municipality.code}) in the store")
    levels = {found[c].level for c in codes}
    if len(levels) > 1:
        raise ProgrammeError(f"the areas are of different levels ({', '.join(sorted(levels))}); a programme is "
                             "compared with the rest of the city at one level")
    if sub_areas(municipality, levels.pop()).exclude(code__in=codes).count() == 0:
        raise ProgrammeError("the programme includes every area of its level, so there is no rest of the city "
                             "to compare with")
    with transaction.atomic():
        programme, _ = AreaProgramme.objects.update_or_create(
            municipality=municipality, name=name, defaults={"start_year": start_year, "description": description})
        programme.areas.set([found[c] for c in codes])
    return programme
