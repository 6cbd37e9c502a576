"""Växer regionen ihop? The spread of key figures across a region's municipalities, and whether it shrinks."""

from collections import Counter

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.formats import number_format

from millennium.places.models import Area
from millennium.statistics.area_gaps import BASE_YEAR, area_spread, region_overview
from millennium.statistics.models import Measure

from .sparkline import sparkline
from .statuses import STATUS_LEVELS

# What the status of the spread's trend means, in plain Swedish. Open SDG's statuses without a target, on
# the COV with lower as better (see statistics/area_gaps.py): the bands are the yearly rate of change.
SPREAD_STATUSES = {
    "target_achieved": ("Skillnaderna är utjämnade", "Kommunerna ligger på samma nivå."),
    "substantial_progress": (
        "Regionen växer ihop",
        f"Skillnaderna mellan kommunerna har minskat sedan {BASE_YEAR}, med mer än 1,5 procent per år.",
    ),
    "moderate_progress": (
        "Skillnaderna minskar långsamt",
        f"Skillnaderna mellan kommunerna har minskat sedan {BASE_YEAR}, med 0,5–1,5 procent per år.",
    ),
    "limited_progress": (
        "Skillnaderna minskar knappt",
        f"Skillnaderna mellan kommunerna har minskat med mindre än 0,5 procent per år sedan {BASE_YEAR}, "
        "eller är oförändrade.",
    ),
    "deterioration": (
        "Skillnaderna ökar",
        f"Skillnaderna mellan kommunerna är större nu än {BASE_YEAR}: regionen växer isär.",
    ),
    "not_available": ("Kan inte bedömas", "Utvecklingen kan inte bedömas."),
}

# Why a trend cannot be judged, from the method's reasons (sdg-build's, in English) to Swedish.
REASONS = {
    "no data": "Det finns inte värden för minst två kommuner något år.",
    "no data in or after the base year": f"Det finns inte värden för minst två kommuner från {BASE_YEAR} "
                                         "eller senare.",
    "fewer than two years of data": f"Det finns bara ett år med värden från {BASE_YEAR} eller senare.",
    "base and current values differ in sign": "Värdena går inte att jämföra över tid.",
    "progress value undefined (0/0 or overflow)": "Förändringstakten går inte att räkna ut.",
}


def _region(code: str) -> Area:
    area = get_object_or_404(Area, code=code)
    if area.level != Area.Level.REGION:
        raise Http404("not a region")
    return area


def _status(status: str, reason: str) -> dict:
    label, explanation = SPREAD_STATUSES.get(status, SPREAD_STATUSES["not_available"])
    if status == "not_available":
        explanation = REASONS.get(reason, explanation)
    return {"code": status, "label": label, "explanation": explanation, "level": STATUS_LEVELS.get(status, 5)}


def region(request, code):
    area = _region(code)
    rows = [{"row": row, "status": _status(row.status, row.reason)} for row in region_overview(area.code)]
    counts = Counter(r["status"]["code"] for r in rows)
    summary = [{"label": SPREAD_STATUSES[s][0], "level": STATUS_LEVELS[s], "n": counts[s]}
               for s in SPREAD_STATUSES if counts[s]]
    return render(request, "web/region.html", {
        "area": area, "rows": rows, "summary": summary, "base_year": BASE_YEAR,
        "n_municipalities": area.children.count(),
    })


def region_measure(request, code, measure):
    area = _region(code)
    get_object_or_404(Measure, code=measure)
    spread = area_spread(area.code, measure)
    points = [(y.year, y.cov) for y in spread.years if y.cov is not None]
    chart = ""
    if points:
        chart = sparkline(points, f"Variationskoefficient för {spread.measure.title_sv} mellan kommunerna i "
                                  f"{area.name}: {points[0][0]}–{points[-1][0]}, från "
                                  f"{number_format(points[0][1], 1)} till {number_format(points[-1][1], 1)} "
                                  "procent")
    return render(request, "web/region_measure.html", {
        "area": area, "spread": spread, "measure": spread.measure, "chart": chart,
        "status": _status(spread.status, spread.reason), "base_year": BASE_YEAR,
        "latest": spread.latest_year, "any_unweighted": any(not y.weighted for y in spread.years),
    })
