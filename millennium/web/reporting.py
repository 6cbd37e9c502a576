"""Rapporteringsstatus, /rapportering/ (all municipalities) and /kommun/<code>/rapportering/ (one): per SDG
goal, how many of the UN's indicators are followed with key figures that have data (reporting_status.py)."""

from django.shortcuts import render
from django.urls import reverse

from .gap_pages import municipality_or_404
from .reporting_chart import reporting_spec
from .reporting_status import STATES, reporting_status
from .templatetags.bilingual import localized


def reporting(request):
    return _page(request, None)


def municipality_reporting(request, code):
    return _page(request, municipality_or_404(code))


def _page(request, area):
    status = reporting_status(area)
    href = (lambda goal: reverse("municipality_goal", args=[area.code, goal.code])) if area else None
    return render(request, "web/reporting.html", {
        "area": area, "rows": status["goals"], "total": status["total"], "states": STATES,
        "spec": reporting_spec(status["goals"], lambda goal: f"{goal.code} {localized(goal, 'short')}", href),
    })
