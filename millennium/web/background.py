"""Utrikes och inrikes födda i en kommun: foreign-born and Swedish-born residents per paired key figure."""

from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from millennium.statistics.background_gaps import BASE_YEAR, TARGET_YEAR, background_gaps

from .sparkline import sparkline
from .gap_pages import municipality_or_404, status_summary, trend_reasons, trend_status

# What the status of a gap's trend means, in plain Swedish. The statuses are Open SDG's, judged on the
# distance from parity with the parity band's edge as the target, exactly as for the gender gaps.
GAP_STATUSES = {
    "target_achieved": (
        _("Lika nivå"),
        _("Utrikes och inrikes födda ligger så nära varandra att det räknas som lika: skillnaden är högst 3 "
          "procent."),
    ),
    "substantial_progress": (
        _("Skillnaden minskar i rätt takt"),
        format_lazy(_("Skillnaden mellan utrikes och inrikes födda har sedan {base_year} minskat så snabbt att den "
                      "räcker för att vara utjämnad till {target_year}."),
                    base_year=BASE_YEAR, target_year=TARGET_YEAR),
    ),
    "moderate_progress": (
        _("Skillnaden minskar, men för långsamt"),
        format_lazy(_("Skillnaden mellan utrikes och inrikes födda har minskat sedan {base_year}, men takten behöver "
                      "öka för att vara utjämnad till {target_year}."), base_year=BASE_YEAR, target_year=TARGET_YEAR),
    ),
    "limited_progress": (
        _("Skillnaden minskar knappt"),
        format_lazy(_("Skillnaden mellan utrikes och inrikes födda har bara minskat lite sedan {base_year}; i den "
                      "takten är den inte utjämnad till {target_year}."), base_year=BASE_YEAR, target_year=TARGET_YEAR),
    ),
    "deterioration": (
        _("Skillnaden ökar"),
        format_lazy(_("Skillnaden mellan utrikes och inrikes födda är större nu än {base_year} eller det första året "
                      "med värden efter det."), base_year=BASE_YEAR),
    ),
    "not_available": (_("Kan inte bedömas"), _("Utvecklingen kan inte bedömas.")),
}

# Why a trend cannot be judged, from the method's reasons (sdg-build's, in English) to Swedish.
REASONS = trend_reasons(
    _("Det finns inga värden för både utrikes och inrikes födda."),
    _("Det finns inga värden för både utrikes och inrikes födda från {base_year} eller senare."), BASE_YEAR)


def municipality_background(request, code):
    area = municipality_or_404(code)
    figures = [_figure(gap, area) for gap in background_gaps(area.code)]
    summary = status_summary(figures, GAP_STATUSES)
    return render(request, "web/background.html", {
        "area": area, "figures": figures, "summary": summary,
        "n_parity": sum(f["gap"].latest.in_parity for f in figures),
        "base_year": BASE_YEAR, "target_year": TARGET_YEAR,
    })


def _figure(gap, area) -> dict:
    points = [(y.year, y.ratio) for y in gap.years if y.ratio is not None]
    chart = ""
    if points:
        chart = sparkline(points, gettext("Kvot utrikes/inrikes födda för %(topic)s i %(area)s: %(first)s–%(last)s, "
                                          "från %(start)s till %(end)s") % {
            "topic": gap.pair.topic_sv, "area": area.name, "first": points[0][0], "last": points[-1][0],
            "start": number_format(points[0][1], 2), "end": number_format(points[-1][1], 2)})
    return {
        "gap": gap, "id": f"{gap.foreign.code}-{gap.swedish.code}", "chart": chart,
        "status": trend_status(gap, GAP_STATUSES, REASONS),
    }
