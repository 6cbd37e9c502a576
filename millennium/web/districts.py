"""Växer staden ihop? The spread of key figures across a municipality's districts, and whether it shrinks.

The districts are the municipality's own figures for its RegSO, DeSO or own districts, imported with
`millennium import areas-csv` (Kolada has none). Each level is a separate comparison (`area_gaps`,
Levels). The pages are the region pages' (`area_spread_pages`) with the districts' words, plus the area
programmes (`statistics.area_programmes`) on a key figure's page.
"""

from pathlib import Path

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

import millennium.statistics
from millennium.places.models import Area
from millennium.statistics.area_gaps import (BASE_YEAR, SUB_AREA_LEVELS, area_spread, district_levels,
                                             district_overview, sub_areas)
from millennium.statistics.area_programmes import programme_gaps
from millennium.statistics.models import Measure, Observation

from .area_spread_pages import measure_context, overview_context
from .gap_pages import municipality_or_404, trend_reasons, trend_status

#: The query parameter choosing the level on a key figure's page, when the municipality has several.
LEVEL_PARAMETER = "niva"
LEVEL_NAMES = {
    Area.Level.REGSO: _("RegSO-områden"),
    Area.Level.DESO: _("DeSO-områden"),
    Area.Level.CUSTOM: _("Kommunens egna områden"),
}
TEMPLATE = Path(millennium.statistics.__file__).parent / "data" / "omradesdata-mall.csv"

# As on the region page (regions.SPREAD_STATUSES), about districts: Open SDG without a target on the COV.
DISTRICT_STATUSES = {
    "target_achieved": (_("Skillnaderna är utjämnade"), _("Områdena ligger på samma nivå.")),
    "substantial_progress": (
        _("Staden växer ihop"),
        format_lazy(_("Skillnaderna mellan områdena har minskat sedan {base_year}, med mer än 1,5 procent per år."),
                    base_year=BASE_YEAR),
    ),
    "moderate_progress": (
        _("Skillnaderna minskar långsamt"),
        format_lazy(_("Skillnaderna mellan områdena har minskat sedan {base_year}, med 0,5–1,5 procent per år."),
                    base_year=BASE_YEAR),
    ),
    "limited_progress": (
        _("Skillnaderna minskar knappt"),
        format_lazy(_("Skillnaderna mellan områdena har minskat med mindre än 0,5 procent per år sedan "
                      "{base_year}, eller är oförändrade."), base_year=BASE_YEAR),
    ),
    "deterioration": (
        _("Skillnaderna ökar"),
        format_lazy(_("Skillnaderna mellan områdena är större nu än {base_year}: staden växer isär."),
                    base_year=BASE_YEAR),
    ),
    "not_available": (_("Kan inte bedömas"), _("Utvecklingen kan inte bedömas.")),
}

DISTRICT_REASONS = trend_reasons(
    _("Det finns inte värden för minst två områden något år."),
    _("Det finns inte värden för minst två områden från {base_year} eller senare."), BASE_YEAR)

# An area programme's gap to the rest of the city; {base_year} is the programme's start.
PROGRAMME_STATUSES = {
    "target_achieved": (_("Ingen skillnad"), _("Programområdena ligger på samma nivå som övriga staden.")),
    "substantial_progress": (_("Programområdena närmar sig övriga staden"),
                             _("Skillnaden mot övriga staden har minskat sedan {base_year}, med mer än 1,5 procent "
                               "per år.")),
    "moderate_progress": (_("Skillnaden minskar långsamt"),
                          _("Skillnaden mot övriga staden har minskat sedan {base_year}, med 0,5–1,5 procent per "
                            "år.")),
    "limited_progress": (_("Skillnaden minskar knappt"),
                         _("Skillnaden mot övriga staden har minskat med mindre än 0,5 procent per år sedan "
                           "{base_year}, eller är oförändrad.")),
    "deterioration": (_("Skillnaden ökar"), _("Skillnaden mot övriga staden är större nu än {base_year}.")),
    "not_available": (_("Kan inte bedömas"), _("Utvecklingen kan inte bedömas.")),
}

PROGRAMME_REASONS = {
    "no data": _("Det finns inga år med värden både i programområdena och i övriga staden."),
    "no data in or after the base year": _("Det finns inga värden från {base_year} eller senare."),
    "fewer than two years of data": _("Det finns bara ett år med värden från {base_year} eller senare."),
    "base and current values differ in sign": _("Värdena går inte att jämföra över tid."),
    "progress value undefined (0/0 or overflow)": _("Förändringstakten går inte att räkna ut."),
}


def _measure_url(area: Area, code: str, level: str, default_level: str) -> str:
    url = reverse("municipality_district_measure", args=[area.code, code])
    return url if level == default_level else f"{url}?{LEVEL_PARAMETER}={level}"


def municipality_districts(request, code):
    area = municipality_or_404(code)
    overviews = {level: district_overview(area.code, level) for level in district_levels(area.code)}
    # A key figure's page shows the first level with its values unless told otherwise (`LEVEL_PARAMETER`).
    default_level: dict[str, str] = {}
    for level, rows in overviews.items():
        for row in rows:
            default_level.setdefault(row.measure.code, level)
    sections = [{
        "level": level, "name": LEVEL_NAMES[level], "n_areas": sub_areas(area, level).count(),
        **overview_context(rows, DISTRICT_STATUSES, DISTRICT_REASONS,
                           lambda row, level=level: _measure_url(area, row.measure.code, level,
                                                                 default_level[row.measure.code])),
    } for level, rows in overviews.items()]
    return render(request, "web/district.html", {"area": area, "sections": sections, "base_year": BASE_YEAR})


def municipality_district_measure(request, code, measure):
    area = municipality_or_404(code)
    measure = get_object_or_404(Measure, code=measure)
    with_values = [level for level in district_levels(area.code)
                   if Observation.objects.filter(measure=measure, area__in=sub_areas(area, level).values("id"),
                                                 sex="T").exists()]
    level = request.GET.get(LEVEL_PARAMETER) or (with_values[0] if with_values else SUB_AREA_LEVELS[0])
    if level not in SUB_AREA_LEVELS:
        raise Http404("unknown level")
    label = gettext("Variationskoefficient för %(measure)s mellan %(level)s i %(area)s: "
                    "%(first)s–%(last)s, från %(start)s till %(end)s procent")
    context = measure_context(area_spread(area.code, measure.code, level=level), DISTRICT_STATUSES,
                              DISTRICT_REASONS, label, label_values={"area": area.name, "level": LEVEL_NAMES[level]})
    default = with_values[0] if with_values else level
    others = [{"name": LEVEL_NAMES[other], "url": _measure_url(area, measure.code, other, default)}
              for other in with_values if other != level]
    return render(request, "web/district_measure.html", {
        **context, "area": area, "level_name": LEVEL_NAMES[level], "other_levels": others,
        "programmes": [_programme(gap) for gap in programme_gaps(area.code, measure.code, level)],
        "base_year": BASE_YEAR,
    })


def _programme(gap) -> dict:
    status = trend_status(gap, PROGRAMME_STATUSES, PROGRAMME_REASONS)
    base_year = gap.programme.start_year or BASE_YEAR
    status["explanation"] = str(status["explanation"]).format(base_year=base_year)
    return {"gap": gap, "status": status, "base_year": base_year}


def district_template(request):
    """The empty template of docs/omradesdata.md, to fill in and import."""
    return FileResponse(TEMPLATE.open("rb"), as_attachment=True, filename="omradesdata-mall.csv",
                        content_type="text/csv; charset=utf-8")
