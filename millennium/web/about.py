"""The pages about the site: what Millennium is and where its data come from, its methods, its accessibility."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Max
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from millennium.analysis.progress import eurostat, mdg_path, opensdg, unsd
from millennium.analysis.progress.methods import METHODS
from millennium.statistics.models import Source
from millennium.statistics.peer_overlap import current_peer_overlap
from millennium.statistics.peers import K, read_peer_figures

from .statuses import STATUS_LABELS, status_display

#: The agreement with Kolada's groups we aim for (issue 6): at least this many of our 7 peers among theirs.
OVERLAP_GOAL = 4

#: When the accessibility statement was last reviewed; change it with every review of the statement.
STATEMENT_DATE = datetime.date(2026, 11, 26)

# What each status on the site means, in plain words; the methods page lists every label of statuses.py.
STATUS_EXPLANATIONS = {
    "target_achieved": _("Det senaste värdet har nått målvärdet. Gäller bara nyckeltal med ett målvärde."),
    "substantial_progress": _("Utvecklingen sedan basåret går åt rätt håll och tillräckligt fort: med ett "
                              "målvärde nås det i tid, utan målvärde ändras värdet med minst 1,5 procent per år "
                              "i önskad riktning."),
    "moderate_progress": _("Utvecklingen går åt rätt håll men för långsamt: med ett målvärde mellan 60 och 95 "
                           "procent av den takt som krävs, utan målvärde 0,5–1,5 procent per år."),
    "limited_progress": _("Utvecklingen går knappt åt rätt håll: under 60 procent av den takt som krävs, eller "
                          "under 0,5 procent per år."),
    "deterioration": _("Värdet har gått åt fel håll sedan basåret."),
    "target_met": _("Millenniemålet är nått: det senaste värdet når 2015 års mål."),
    "likely": _("Landet följer eller ligger före referensbanan från 1990 till målet 2015."),
    "possible": _("Landet rör sig mot målet men i mindre än referensbanans takt, minst hälften så fort: "
                  "det behöver upp till dubbla tiden."),
    "unlikely": _("Landet rör sig knappt mot målet: i mindre än halva takten, eller inte alls."),
    "very_unlikely": _("Värdet har blivit sämre sedan 1990."),
    "not_available": _("Utvecklingen kan inte bedömas: för få år med värden, inget värde från basåret eller "
                       "senare, ingen önskad riktning eller värden som inte går att jämföra. Skälet står vid "
                       "nyckeltalet."),
}

# Which method gives each status (the site shows Open SDG's for Kolada, the World Bank's for the MDG era).
STATUS_METHODS = {code: "opensdg" for code in opensdg.STATUSES} | {
    code: "mdg_path" for code in mdg_path.STATUSES if code != "not_available"}
METHOD_SHORT_NAMES = {
    "opensdg": _("Open SDG"), "mdg_path": _("Världsbankens referensbana"),
}


def about(request):
    overlap = current_peer_overlap()
    return render(request, "web/about.html", {
        "overlap": overlap,
        "overlap_goal": OVERLAP_GOAL,
        # What picking 7 of the other municipalities at random would share with Kolada's 7, on average.
        "random_overlap": overlap.k * overlap.k / (overlap.n - 1) if overlap else None,
        "k": K,
        "sources": Source.objects.annotate(imported=Max("batches__finished_at")).order_by("name"),
    })


def methods(request):
    statuses = [{**status_display(code), "explanation": STATUS_EXPLANATIONS[code],
                 "method": METHOD_SHORT_NAMES[STATUS_METHODS[code]] if code != "not_available" else _("Alla")}
                for code in STATUS_LABELS]
    return render(request, "web/methods.html", {
        "methods": list(METHODS),
        "statuses": statuses,
        "peer_figures": read_peer_figures(),
        "k": K,
        # The cut-offs as the code has them, so the text cannot drift from the computation.
        "cuts": {
            "opensdg_target": _percents(opensdg.THRESHOLDS_TARGET),
            "opensdg_trend": _percents(opensdg.THRESHOLDS_TREND),
            "unsd2022": _percents(unsd.CUTS_2022),
            "unsd2023": _percents(unsd.CUTS_2023),
            "eurostat_target": _percents(eurostat.CUTS_TARGET),
            "eurostat_direction": _percents([eurostat.CUT_DIRECTION]),
            "mdg_path": _percents(mdg_path.CUTS),
        },
        "mdg_years": (mdg_path.BASE_YEAR, mdg_path.TARGET_YEAR),
    })


def accessibility(request):
    return render(request, "web/accessibility.html", {
        "contact_email": settings.CONTACT_EMAIL,
        "statement_date": STATEMENT_DATE,
    })


def _percents(cuts) -> list[str]:
    """Cut-offs in per cent as the reader's locale writes them, without trailing zeros: 0.015 → "1,5", 0.6 → "60"."""
    return [number_format(Decimal(f"{c * 100:g}")) for c in cuts]
