"""Utrikes och inrikes födda i en kommun: foreign-born and Swedish-born residents per paired key figure."""

from django.shortcuts import render
from django.utils.formats import number_format

from millennium.statistics.background_gaps import BASE_YEAR, TARGET_YEAR, background_gaps

from .sparkline import sparkline
from .gap_pages import municipality_or_404, status_summary, trend_status

_BOTH = "utrikes och inrikes födda"

# What the status of a gap's trend means, in plain Swedish. The statuses are Open SDG's, judged on the
# distance from parity with the parity band's edge as the target, exactly as for the gender gaps.
GAP_STATUSES = {
    "target_achieved": (
        "Lika nivå",
        "Utrikes och inrikes födda ligger så nära varandra att det räknas som lika: skillnaden är högst 3 procent.",
    ),
    "substantial_progress": (
        "Skillnaden minskar i rätt takt",
        f"Skillnaden mellan {_BOTH} har sedan {BASE_YEAR} minskat så snabbt att den räcker för att vara "
        f"utjämnad till {TARGET_YEAR}.",
    ),
    "moderate_progress": (
        "Skillnaden minskar, men för långsamt",
        f"Skillnaden mellan {_BOTH} har minskat sedan {BASE_YEAR}, men takten behöver öka för att vara "
        f"utjämnad till {TARGET_YEAR}.",
    ),
    "limited_progress": (
        "Skillnaden minskar knappt",
        f"Skillnaden mellan {_BOTH} har bara minskat lite sedan {BASE_YEAR}; i den takten är den inte "
        f"utjämnad till {TARGET_YEAR}.",
    ),
    "deterioration": (
        "Skillnaden ökar",
        f"Skillnaden mellan {_BOTH} är större nu än {BASE_YEAR} eller det första året med värden efter det.",
    ),
    "not_available": ("Kan inte bedömas", "Utvecklingen kan inte bedömas."),
}

# Why a trend cannot be judged, from the method's reasons (sdg-build's, in English) to Swedish.
REASONS = {
    "no data": f"Det finns inga värden för både {_BOTH}.",
    "no data in or after the base year": f"Det finns inga värden för både {_BOTH} från {BASE_YEAR} eller senare.",
    "fewer than two years of data": f"Det finns bara ett år med värden från {BASE_YEAR} eller senare.",
    "base and current values differ in sign": "Värdena går inte att jämföra över tid.",
    "progress value undefined (0/0 or overflow)": "Förändringstakten går inte att räkna ut.",
}


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
        chart = sparkline(points, f"Kvot utrikes/inrikes födda för {gap.pair.topic_sv} i {area.name}: "
                                  f"{points[0][0]}–{points[-1][0]}, från {number_format(points[0][1], 2)} till "
                                  f"{number_format(points[-1][1], 2)}")
    return {
        "gap": gap, "id": f"{gap.foreign.code}-{gap.swedish.code}", "chart": chart,
        "status": trend_status(gap, GAP_STATUSES, REASONS),
    }
