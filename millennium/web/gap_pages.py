"""What the pages on a gap between two groups share (women and men; foreign-born and Swedish-born)."""

from collections import Counter

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from millennium.places.models import Area

from .statuses import STATUS_LEVELS


def municipality_or_404(code: str) -> Area:
    """The municipality with its region and country (one query, without their boundaries), or 404."""
    area = get_object_or_404(Area.objects.select_related("parent__parent")
                             .defer("geometry", "parent__geometry", "parent__parent__geometry"), code=code)
    if area.level != Area.Level.MUNICIPALITY:
        raise Http404("not a municipality")
    return area


def trend_status(gap, statuses: dict, reasons: dict) -> dict:
    """The gap trend's label, plain-language explanation (why not, when it cannot be judged) and colour level."""
    label, explanation = statuses.get(gap.status, statuses["not_available"])
    if gap.status == "not_available":
        explanation = reasons.get(gap.reason, explanation)
    return {"code": gap.status, "label": label, "explanation": explanation,
            "level": STATUS_LEVELS.get(gap.status, 5)}


def status_summary(figures: list[dict], statuses: dict) -> list[dict]:
    """How many key figures have each trend status, in the order of `statuses`."""
    counts = Counter(f["status"]["code"] for f in figures)
    return [{"label": statuses[code][0], "level": STATUS_LEVELS[code], "n": counts[code]}
            for code in statuses if counts[code]]


def trend_reasons(no_data, no_data_since_base: str, base_year: int) -> dict:
    """Why a gap's trend cannot be judged, from the method's reasons (sdg-build's, in English) to Swedish.

    The first two texts name what is compared (women and men, districts …); `no_data_since_base` holds
    {base_year}. The others read the same for every gap.
    """
    return {
        "no data": no_data,
        "no data in or after the base year": format_lazy(no_data_since_base, base_year=base_year),
        "fewer than two years of data": format_lazy(
            _("Det finns bara ett år med värden från {base_year} eller senare."), base_year=base_year),
        "base and current values differ in sign": _("Värdena går inte att jämföra över tid."),
        "progress value undefined (0/0 or overflow)": _("Förändringstakten går inte att räkna ut."),
    }
