"""Växer regionen ihop? The spread of key figures across a region's municipalities, and whether it shrinks."""

from collections import Counter

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.formats import number_format
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from millennium.places.models import Area
from millennium.statistics.area_gaps import BASE_YEAR, area_spread, region_overview
from millennium.statistics.models import Measure

from .sparkline import sparkline
from .statuses import STATUS_LEVELS

# What the status of the spread's trend means, in plain Swedish. Open SDG's statuses without a target, on
# the COV with lower as better (see statistics/area_gaps.py): the bands are the yearly rate of change.
SPREAD_STATUSES = {
    "target_achieved": (_("Skillnaderna är utjämnade"), _("Kommunerna ligger på samma nivå.")),
    "substantial_progress": (
        _("Regionen växer ihop"),
        format_lazy(_("Skillnaderna mellan kommunerna har minskat sedan {base_year}, med mer än 1,5 procent per år."),
                    base_year=BASE_YEAR),
    ),
    "moderate_progress": (
        _("Skillnaderna minskar långsamt"),
        format_lazy(_("Skillnaderna mellan kommunerna har minskat sedan {base_year}, med 0,5–1,5 procent per år."),
                    base_year=BASE_YEAR),
    ),
    "limited_progress": (
        _("Skillnaderna minskar knappt"),
        format_lazy(_("Skillnaderna mellan kommunerna har minskat med mindre än 0,5 procent per år sedan "
                      "{base_year}, eller är oförändrade."), base_year=BASE_YEAR),
    ),
    "deterioration": (
        _("Skillnaderna ökar"),
        format_lazy(_("Skillnaderna mellan kommunerna är större nu än {base_year}: regionen växer isär."),
                    base_year=BASE_YEAR),
    ),
    "not_available": (_("Kan inte bedömas"), _("Utvecklingen kan inte bedömas.")),
}

# Why a trend cannot be judged, from the method's reasons (sdg-build's, in English) to Swedish.
REASONS = {
    "no data": _("Det finns inte värden för minst två kommuner något år."),
    "no data in or after the base year": format_lazy(
        _("Det finns inte värden för minst två kommuner från {base_year} eller senare."), base_year=BASE_YEAR),
    "fewer than two years of data": format_lazy(
        _("Det finns bara ett år med värden från {base_year} eller senare."), base_year=BASE_YEAR),
    "base and current values differ in sign": _("Värdena går inte att jämföra över tid."),
    "progress value undefined (0/0 or overflow)": _("Förändringstakten går inte att räkna ut."),
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
        chart = sparkline(points, gettext("Variationskoefficient för %(measure)s mellan kommunerna i %(area)s: "
                                          "%(first)s–%(last)s, från %(start)s till %(end)s procent") % {
            "measure": spread.measure.title_sv, "area": area.name, "first": points[0][0], "last": points[-1][0],
            "start": number_format(points[0][1], 1), "end": number_format(points[-1][1], 1)})
    return render(request, "web/region_measure.html", {
        "area": area, "spread": spread, "measure": spread.measure, "chart": chart,
        "status": _status(spread.status, spread.reason), "base_year": BASE_YEAR,
        "latest": spread.latest_year, "any_unweighted": any(not y.weighted for y in spread.years),
    })
