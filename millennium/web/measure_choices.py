"""What a visitor picks on the map and compare pages: a key figure (Kolada's, linked to an SDG goal) and
municipalities."""

from typing import NamedTuple

from django.utils.translation import get_language

from millennium.places.models import Area
from millennium.statistics.models import Measure, MeasureLink


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
    return measure.title_en if (get_language() or "sv").startswith("en") and measure.title_en else measure.title_sv


# Å, Ä and Ö come last in Swedish, in that order; Python's code-point order would put Ä before Å.
_SWEDISH_ORDER = str.maketrans({"å": "z\x01", "ä": "z\x02", "ö": "z\x03", "æ": "z\x02", "ø": "z\x03"})


def swedish_sort_key(name: str) -> str:
    return name.casefold().translate(_SWEDISH_ORDER)


class Municipality(NamedTuple):
    code: str
    name: str
    region: str


def municipalities() -> list[Municipality]:
    """All municipalities with their region's name, in Swedish alphabetical order (plain tuples: quick to build)."""
    rows = Area.objects.filter(level=Area.Level.MUNICIPALITY).values_list("code", "name", "parent__name")
    return sorted((Municipality(*row) for row in rows), key=lambda m: swedish_sort_key(m.name))
