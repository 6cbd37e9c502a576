"""Gaps: between women and men in an area (statistics/gender_gaps.py), and the spread of key figures across a
region's municipalities or a municipality's districts (statistics/area_gaps.py) — the numbers of the web's
gender, region and district pages. Responses are cached per data version (the computations take a while)."""

from typing import Literal

from ninja import Field, Path, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from millennium.places.models import Area
from millennium.statistics import area_gaps, gender_gaps

from .conditional import cached_etag_view, observations_version
from .lookups import area_id, measure_id
from .schemas import CODE_PATTERN, ERRORS

router = Router(tags=["gaps"])
LEVELS = Literal["regso", "deso", "custom"]


class Trend(Schema):
    status: str
    reason: str
    base_year: int | None


class GenderYear(Schema):
    year: int
    women: float
    men: float
    gpi: float | None
    difference: float
    adjusted_gpi: float | None
    in_parity: bool


class GenderGapOut(Trend):
    measure: str
    base_gap: float | None
    current_gap: float | None
    score: float | None
    years: list[GenderYear]


class GenderGaps(Schema):
    area: str
    method: str
    gap_measure: str
    target: float
    target_year: int
    items: list[GenderGapOut]


@router.get("/gaps/gender/{code}", response={200: GenderGaps, **ERRORS})
@decorate_view(cached_etag_view(version=observations_version))
def gender(request, code: str = Path(..., pattern=CODE_PATTERN),
           measure: str | None = Query(None, pattern=CODE_PATTERN, description="Only this key figure")):
    """Women and men per key figure and year (GPI = women / men, adjusted GPI, parity 0.97–1.03) and the trend
    of the distance from parity (Open SDG's method, base year 2015, target: inside the parity band by 2030)."""
    area_id(code)
    if measure:
        measure_id(measure)
    gaps = [g for g in gender_gaps.gender_gaps(code) if not measure or g.measure.code == measure]
    return {"area": code, "method": gender_gaps.METHOD, "gap_measure": gender_gaps.GAP_MEASURE,
            "target": gender_gaps.TARGET, "target_year": gender_gaps.TARGET_YEAR, "items": [{
                "measure": g.measure.code, "status": g.status, "reason": g.reason, "base_year": g.base_year,
                "base_gap": g.base_gap, "current_gap": g.current_gap, "score": g.score,
                "years": [y.__dict__ for y in g.years]} for g in gaps]}


class SpreadRow(Trend):
    measure: str
    goal: str = Field(..., description="The first SDG goal the key figure is mapped to, or empty")
    latest_year: int | None
    n: int = Field(..., description="Parts with a value in the latest year")
    cov: float | None = Field(..., description="Coefficient of variation, per cent (population-weighted)")
    theil: float | None
    gini: float | None
    d: float | None = Field(..., description="Highest − lowest")
    r: float | None = Field(..., description="Highest / lowest")
    base_cov: float | None


class SpreadOverview(Schema):
    area: str
    level: str = Field(..., description="The level of the parts compared")
    levels: list[str] = Field(..., description="For a municipality: the district levels with values")
    method: str
    base_year: int
    items: list[SpreadRow]


def _parts(code: str, level: str | None) -> tuple[Area, str | None]:
    """The area and the level of the parts compared: a municipality's districts (of `level`, by default its
    first level with values), otherwise the area's children."""
    area = Area.objects.only("id", "code", "level").get(id=area_id(code))
    if area.level == Area.Level.MUNICIPALITY:
        return area, level or next(iter(area_gaps.district_levels(code)), area_gaps.SUB_AREA_LEVELS[0])
    if level:
        # Not found rather than invalid: the parameter is well formed, the districts do not exist.
        raise HttpError(404, f"no districts of {area.code}: it is a {area.level}; districts (level) exist only "
                             "below a municipality")
    return area, None


def _child_level(area: Area) -> str:
    return area.children.values_list("level", flat=True).first() or ""


@router.get("/gaps/spread/{code}", response={200: SpreadOverview, **ERRORS})
@decorate_view(cached_etag_view(version=observations_version))
def spread_overview(request, code: str = Path(..., pattern=CODE_PATTERN),
                    level: LEVELS | None = Query(None, description="A municipality's districts of this level")):
    """Is the area growing together? For a region (or Sweden) the spread of every goal-linked key figure across
    its municipalities (regions); for a municipality across its districts of one level. Latest year's COV,
    Theil, Gini, D and R, and the trend of the COV (Open SDG's method, no target, base year 2015)."""
    area, level = _parts(code, level)
    if area.level == Area.Level.MUNICIPALITY:
        rows = area_gaps.district_overview(code, level)
        levels = area_gaps.district_levels(code)
    else:
        rows = area_gaps.region_overview(code)
        level, levels = _child_level(area), []
    return {"area": code, "level": level, "levels": levels, "method": area_gaps.METHOD,
            "base_year": area_gaps.BASE_YEAR, "items": [{
                "measure": r.measure.code, "goal": r.goal_code, "latest_year": r.latest_year, "n": r.n,
                "cov": r.cov, "theil": r.theil, "gini": r.gini, "d": r.d, "r": r.r, "status": r.status,
                "reason": r.reason, "base_year": r.base_year, "base_cov": r.base_cov} for r in rows]}


class SpreadYear(Schema):
    year: int
    n: int
    weighted: bool = Field(..., description="Whether COV, Theil, Gini and mean used population weights")
    mean: float | None
    cov: float | None
    theil: float | None
    gini: float | None
    d: float | None
    r: float | None


class PartValue(Schema):
    area: str
    name: str
    value: float | None
    of_mean: float | None = Field(..., description="The value as a percentage of the mean")


class SpreadDetail(Trend):
    area: str
    measure: str
    sex: str
    level: str
    method: str
    base_cov: float | None
    current_cov: float | None
    score: float | None
    years: list[SpreadYear]
    latest: list[PartValue]


@router.get("/gaps/spread/{code}/{measure}", response={200: SpreadDetail, **ERRORS})
@decorate_view(cached_etag_view(version=observations_version))
def spread(request, code: str = Path(..., pattern=CODE_PATTERN), measure: str = Path(..., pattern=CODE_PATTERN),
           sex: Literal["T", "K", "M"] = "T",
           level: LEVELS | None = Query(None, description="A municipality's districts of this level")):
    """One key figure's spread across the parts, per year, its trend, and the parts' latest values."""
    area, level = _parts(code, level)
    measure_id(measure)
    result = area_gaps.area_spread(code, measure, sex=sex, level=level)
    return {"area": code, "measure": measure, "sex": sex, "level": level or _child_level(area),
            "method": area_gaps.METHOD, "status": result.status, "reason": result.reason,
            "base_year": result.base_year, "base_cov": result.base_cov, "current_cov": result.current_cov,
            "score": result.score, "years": [y.__dict__ for y in result.years],
            "latest": [{"area": c.area.code, "name": c.area.name, "value": c.value, "of_mean": c.of_mean}
                       for c in result.latest]}
