"""Växer regionen ihop? The spread of key figures across a region's municipalities, and whether it shrinks."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from millennium.places.models import Area
from millennium.statistics.area_gaps import BASE_YEAR, area_spread, region_overview
from millennium.statistics.models import Measure

from .area_spread_pages import measure_context, overview_context
from .gap_pages import trend_reasons

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
REASONS = trend_reasons(
    _("Det finns inte värden för minst två kommuner något år."),
    _("Det finns inte värden för minst två kommuner från {base_year} eller senare."), BASE_YEAR)


def _region(code: str) -> Area:
    area = get_object_or_404(Area, code=code)
    if area.level != Area.Level.REGION:
        raise Http404("not a region")
    return area


def region(request, code):
    area = _region(code)
    context = overview_context(region_overview(area.code), SPREAD_STATUSES, REASONS,
                               lambda row: reverse("region_measure", args=[area.code, row.measure.code]))
    return render(request, "web/region.html", {
        **context, "area": area, "base_year": BASE_YEAR, "n_municipalities": area.children.count(),
    })


def region_measure(request, code, measure):
    area = _region(code)
    get_object_or_404(Measure, code=measure)
    label = gettext("Variationskoefficient för %(measure)s mellan kommunerna i %(area)s: "
                    "%(first)s–%(last)s, från %(start)s till %(end)s procent")
    context = measure_context(area_spread(area.code, measure), SPREAD_STATUSES, REASONS, label,
                              label_values={"area": area.name},
                              part_url=lambda child: reverse("municipality", args=[child.code]))
    return render(request, "web/region_measure.html", {**context, "area": area, "base_year": BASE_YEAR})
