"""Jämställdhet i en kommun: women and men in every key figure split by sex, and whether the gap closes."""

from django.shortcuts import render
from django.utils.formats import number_format

from millennium.statistics.gender_gaps import BASE_YEAR, TARGET_YEAR, gender_gaps

from .sparkline import sparkline
from .gap_pages import municipality_or_404, status_summary, trend_status

# What the status of a gap's trend means, in plain Swedish. The statuses are Open SDG's, judged on the
# distance from parity with the parity band's edge as the target (see statistics/gender_gaps.py).
GAP_STATUSES = {
    "target_achieved": (
        "Jämställt",
        "Kvinnor och män ligger så nära varandra att det räknas som jämställt: skillnaden är högst 3 procent.",
    ),
    "substantial_progress": (
        "Skillnaden minskar i rätt takt",
        f"Skillnaden mellan kvinnor och män har sedan {BASE_YEAR} minskat så snabbt att den räcker för att "
        f"bli jämställd till {TARGET_YEAR}.",
    ),
    "moderate_progress": (
        "Skillnaden minskar, men för långsamt",
        f"Skillnaden mellan kvinnor och män har minskat sedan {BASE_YEAR}, men takten behöver öka för att "
        f"bli jämställd till {TARGET_YEAR}.",
    ),
    "limited_progress": (
        "Skillnaden minskar knappt",
        f"Skillnaden mellan kvinnor och män har bara minskat lite sedan {BASE_YEAR}; i den takten blir den "
        f"inte jämställd till {TARGET_YEAR}.",
    ),
    "deterioration": (
        "Skillnaden ökar",
        f"Skillnaden mellan kvinnor och män är större nu än {BASE_YEAR}.",
    ),
    "not_available": ("Kan inte bedömas", "Utvecklingen kan inte bedömas."),
}

# Why a trend cannot be judged, from the method's reasons (sdg-build's, in English) to Swedish.
REASONS = {
    "no data": "Det finns inga värden för både kvinnor och män.",
    "no data in or after the base year": f"Det finns inga värden för både kvinnor och män från {BASE_YEAR} "
                                         "eller senare.",
    "fewer than two years of data": f"Det finns bara ett år med värden från {BASE_YEAR} eller senare.",
    "base and current values differ in sign": "Värdena går inte att jämföra över tid.",
    "progress value undefined (0/0 or overflow)": "Förändringstakten går inte att räkna ut.",
}


def municipality_gender(request, code):
    area = municipality_or_404(code)
    figures = [_figure(gap, area) for gap in gender_gaps(area.code)]
    summary = status_summary(figures, GAP_STATUSES)
    return render(request, "web/gender.html", {
        "area": area, "figures": figures, "summary": summary,
        "n_parity": sum(f["gap"].latest.in_parity for f in figures),
        "base_year": BASE_YEAR, "target_year": TARGET_YEAR,
    })


def _figure(gap, area) -> dict:
    points = [(y.year, y.gpi) for y in gap.years if y.gpi is not None]
    chart = ""
    if points:
        chart = sparkline(points, f"Könskvot för {gap.measure.title_sv} i {area.name}: {points[0][0]}–"
                                  f"{points[-1][0]}, från {number_format(points[0][1], 2)} till "
                                  f"{number_format(points[-1][1], 2)}")
    return {
        "gap": gap, "measure": gap.measure, "chart": chart,
        "status": trend_status(gap, GAP_STATUSES, REASONS),
    }
