"""A municipality beside its region and Sweden, and how well its goal-linked key figures are covered by data.

All from one query: the values of the goal-linked key figures for the municipality, its region and Sweden.
"""

from collections import Counter, defaultdict

from millennium.places.models import Area
from millennium.statistics.models import Observation

from .changes import DIRECTIONS


def read_values(area: Area, others: list[Area], measure_ids) -> tuple[dict, set[int], set[int]]:
    """{(measure id, area id): {year: value}} for both sexes together (sex T); the measures with values for
    `area`; the import batches those came from.

    Kolada publishes the total beside every figure split by sex, so T alone tells whether there is data. One
    query on the index that leads with the area (observation_by_area).
    """
    values: dict[tuple[int, int], dict[int, float]] = defaultdict(dict)
    with_data, batches = set(), set()
    rows = (Observation.objects.filter(area__in=[area, *others], measure__in=list(measure_ids), sex="T")
            .values_list("measure_id", "area_id", "year", "value", "batch_id"))
    for measure_id, area_id, year, value, batch_id in rows:
        values[measure_id, area_id][year] = value
        if area_id == area.id:
            with_data.add(measure_id)
            batches.add(batch_id)
    return values, with_data, batches


def comparison_rows(figures: list[dict], area: Area, region: Area | None, country: Area | None,
                    values: dict) -> list[dict]:
    """Per key figure with values here: the municipality, region and Sweden in their latest common year.

    The latest year all three have; when the region or Sweden lacks that (some figures are only published for
    municipalities), the latest year the municipality shares with Sweden, else with the region, else its own.
    """
    rows = []
    for figure in figures:
        measure = figure["measure"]
        own = values.get((measure.id, area.id), {})
        if not own:
            continue
        near, whole = (values.get((measure.id, other.id), {}) if other else {} for other in (region, country))
        choices = [own.keys() & near.keys() & whole.keys(), own.keys() & whole.keys(), own.keys() & near.keys(),
                   own.keys()]
        year = max(next(years for years in choices if years))
        rows.append({**figure, "year": year, "municipality": own[year], "region": near.get(year),
                     "country": whole.get(year), "versus_country": _versus(own[year], whole.get(year),
                                                                            measure.direction)})
    return rows


def _versus(own: float | None, country: float | None, direction: str) -> str:
    """'better', 'worse' or 'same' than Sweden in the desired direction; '' when it cannot be said."""
    sign = DIRECTIONS.get(direction)
    if sign is None or own is None or country is None:
        return ""
    difference = sign * (own - country)
    return "better" if difference > 0 else "worse" if difference < 0 else "same"


def coverage(figures: list[dict], area: Area, values: dict, with_data: set[int]) -> dict:
    """How many of the figures have values here, which do not, and how many have which latest year."""
    latest = Counter()
    for figure in figures:
        if figure["measure"].id in with_data:
            years = values.get((figure["measure"].id, area.id))
            latest[max(years) if years else None] += 1
    missing = [f for f in figures if f["measure"].id not in with_data]
    return {
        "n": len(figures), "with_data": len(figures) - len(missing), "missing": missing,
        "latest_years": [{"year": year, "n": n} for year, n in sorted(latest.items(), key=lambda i: -(i[0] or 0))],
    }
