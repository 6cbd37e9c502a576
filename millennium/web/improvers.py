"""Who improved most? A key figure's change over five years in a municipality and its similar municipalities.

`change_over_years` is pure (series in, rows out) so it can be checked on a hand-made example;
`peer_group` and `improvers` read the store.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db.models import Max

from millennium.places.models import Area
from millennium.statistics.models import ImportBatch, Observation
from millennium.statistics.peers import all_similar_municipalities

#: How many years back the change is measured.
SPAN = 5


@dataclass(frozen=True)
class Change:
    code: str
    start: float | None
    end: float | None
    change: float | None
    #: 1 = improved most; None when the key figure has no desired direction or the area lacks a value.
    rank: int | None


@dataclass(frozen=True)
class Changes:
    start_year: int | None
    end_year: int | None
    #: Ranked by improvement (the key figure has a desired direction), else in the order given.
    ranked: bool
    rows: list[Change]


def change_over_years(series: Mapping[str, Mapping[int, float]], direction: str, order: list[str],
                      span: int = SPAN) -> Changes:
    """Each area's change from the start year to the latest year, best improvement first.

    Parameters
    ----------
    series : mapping
        Area code → {year: value}: one series per area.
    direction : str
        "up" (higher is better), "down" (lower is better) or "" (none: the changes are shown, not ranked).
    order : list of str
        Every area to report, in the order used when there is no ranking and for ties.
    span : int
        Years back from the latest year. The latest year is the group's latest; the start year is the latest
        year with values at least `span` years before it (a survey every other year may have no value
        exactly `span` years back), or, for a shorter series, its first year.

    Returns
    -------
    Changes
        Areas without a value in the start or the latest year have change None and come last, unranked.
        Equal changes share a rank (1, 2, 2, 4).
    """
    ranked = direction in ("up", "down")
    years = sorted({year for code in order for year in series.get(code, {})})
    if not years:
        return Changes(None, None, ranked, [Change(code, None, None, None, None) for code in order])
    end_year = years[-1]
    earlier = [year for year in years if year <= end_year - span]
    start_year = earlier[-1] if earlier else years[0]
    if start_year == end_year:
        start_year = None
    rows = []
    for code in order:
        start, end = series.get(code, {}).get(start_year), series.get(code, {}).get(end_year)
        rows.append(Change(code, start, end, end - start if start is not None and end is not None else None, None))
    if ranked:
        sign = 1 if direction == "up" else -1
        # A stable sort: equal changes keep the order given.
        known = sorted((r for r in rows if r.change is not None), key=lambda r: -sign * r.change)
        places: list[Change] = []
        for i, row in enumerate(known):
            tied = i > 0 and round(row.change, 9) == round(known[i - 1].change, 9)  # not float noise
            places.append(replace(row, rank=places[-1].rank if tied else i + 1))
        rows = places + [r for r in rows if r.change is None]
    return Changes(start_year, end_year, ranked, rows)


def peer_group(code: str) -> list[str]:
    """The municipality and its similar municipalities (`statistics.peers`), nearest first.

    Finding peers reads a structural table of all municipalities (about 1.5 s), so the peers of all 290 are
    computed at once and cached under the latest import batch: a new import gives a new key, so the cache
    never outlives the data it was computed from.
    """
    latest = ImportBatch.objects.aggregate(latest=Max("id"))["latest"]
    key = f"millennium:peers:{latest}"
    groups = cache.get(key)
    if groups is None:
        peers = all_similar_municipalities()
        groups = {m: list(frame["code"]) for m, frame in peers.sort_values(["municipality", "rank"])
                  .groupby("municipality", sort=False)}
        cache.set(key, groups, timeout=None)
    return [code, *groups.get(code, [])]


def improvers(area: Area, measure) -> tuple[Changes, dict[str, str]]:
    """The change of `measure` (total, both sexes) in `area` and its peers, and the names of those areas."""
    codes = peer_group(area.code)
    areas = {pk: (code, name) for pk, code, name in Area.objects.filter(code__in=codes)
             .values_list("id", "code", "name")}
    series: dict[str, dict[int, float]] = {}
    for area_id, year, value in (Observation.objects.filter(measure=measure, sex=Observation.Sex.TOTAL,
                                                            area_id__in=list(areas))
                                 .values_list("area_id", "year", "value")):
        series.setdefault(areas[area_id][0], {})[year] = value
    return change_over_years(series, measure.direction, codes), {code: name for code, name in areas.values()}
