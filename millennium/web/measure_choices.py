"""What a visitor picks on the map and compare pages: a key figure (Kolada's, linked to an SDG goal) and
municipalities."""

from typing import NamedTuple

from millennium.places.models import Area
from millennium.statistics.models import Measure, MeasureLink

from .sorting import swedish_sort_key
from .templatetags.bilingual import localized


def goal_measure_groups() -> list[dict]:
    """[{"goal": Goal, "measures": [Measure, …]}, …] in goal order, for a <select> with one <optgroup> per goal."""
    groups: dict[int, dict] = {}
    links = (MeasureLink.objects.filter(goal__framework__code="sdg", measure__source__code="kolada")
             .select_related("goal", "measure").order_by("goal__number", "measure__code"))
    for link in links:
        groups.setdefault(link.goal_id, {"goal": link.goal, "measures": []})["measures"].append(link.measure)
    return list(groups.values())


def measure_or_none(code: str) -> Measure | None:
    """A key figure by its code as typed in a URL (n00945 or N00945)."""
    code = (code or "").strip()
    if not code:
        return None
    return Measure.objects.filter(code=code).first() or Measure.objects.filter(code__iexact=code).first()


def measure_title(measure: Measure) -> str:
    """The title in the page's language; Swedish when there is no English one."""
    return localized(measure, "title")


class Municipality(NamedTuple):
    code: str
    name: str
    region: str


def municipalities() -> list[Municipality]:
    """All municipalities with their region's name, in Swedish alphabetical order (plain tuples: quick to build)."""
    rows = Area.objects.filter(level=Area.Level.MUNICIPALITY).values_list("code", "name", "parent__name")
    return sorted((Municipality(*row) for row in rows), key=lambda m: swedish_sort_key(m.name))
