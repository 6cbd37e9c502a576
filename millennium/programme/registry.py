"""The public registry of the designation programmes: who is designated now, whose designation has ended, a map of
all 290 municipalities, and the number of designated municipalities year by year against the programme's goal.

Also the public diploma of a designation that is in force. Everything here is public: a designation is a public
award. Only designations are shown, never applications.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from millennium.web.map_chart import STATUS_FILLS, map_spec
from millennium.web.maps import geometries_url
from millennium.web.measure_choices import municipalities
from millennium.web.sorting import swedish_sort_key

from .diploma import diploma_pdf
from .models import Designation, Programme

DESIGNATED, ENDED, NOT_DESIGNATED = 0, 2, 5  # levels of the map's classes (their fills in map_chart.STATUS_FILLS)
ACCENT = "#1f4e79"
GOAL_COLOUR = "#a61b1b"


# ---- which designations are in force ----

def in_force_on(day: datetime.date) -> Q:
    """Designations in force on `day`: begun, not past their last day, not lapsed (as Designation.is_active)."""
    return Q(lapsed_at__isnull=True, valid_from__lte=day, valid_until__gte=day)


def active_designations(programme, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return (Designation.objects.filter(in_force_on(today), programme=programme)
            .select_related("organisation__area__parent"))


def ended_designations(programme, today: datetime.date | None = None):
    """Designations that have lapsed or run out, of municipalities not designated by the programme now."""
    today = today or timezone.localdate()
    designated_now = active_designations(programme, today).values("organisation")
    return (Designation.objects.filter(Q(lapsed_at__isnull=False) | Q(valid_until__lt=today), programme=programme)
            .exclude(organisation__in=designated_now).select_related("organisation__area__parent")
            .order_by("organisation__name", "-valid_until"))


@dataclass(frozen=True)
class Span:
    organisation: int
    first_day: datetime.date
    last_day: datetime.date


def span(designation: Designation) -> Span:
    """The days a designation was in force: to its last valid day, or to the day before it lapsed if earlier."""
    last = designation.valid_until
    if designation.lapsed_at is not None:
        last = min(last, timezone.localdate(designation.lapsed_at) - datetime.timedelta(days=1))
    return Span(designation.organisation_id, designation.valid_from, last)


def count_over_time(spans: list[Span], today: datetime.date, goal: int | None) -> list[dict]:
    """Per year from the first designation to this one: the municipalities designated at the end of the year
    (this year: today), and the designations that began during the year.

    A municipality designated twice in a year (a lapse, then a new designation) counts once.
    """
    if not spans:
        return []
    rows = []
    for year in range(min(s.first_day for s in spans).year, today.year + 1):
        day = datetime.date(year, 12, 31) if year < today.year else today
        rows.append({
            "year": year, "day": day, "is_today": year == today.year, "goal": goal,
            "designated": len({s.organisation for s in spans if s.first_day <= day <= s.last_day}),
            "new": sum(1 for s in spans if s.first_day.year == year),
        })
    return rows


def programme_count_over_time(programme, today: datetime.date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    designations = Designation.objects.filter(programme=programme).only(
        "organisation_id", "valid_from", "valid_until", "lapsed_at")
    return count_over_time([span(d) for d in designations], today, programme.goal_count)


# ---- charts ----

def count_chart_spec(rows: list[dict], goal: int | None, description: str) -> dict:
    """Bars: designated municipalities per year; a dashed line: the programme's goal, named in the legend."""
    series = _("Utmärkta kommuner")
    goal_name = _("Programmets mål")
    values = [{"year": str(r["year"]), "designated": r["designated"], "series": series} for r in rows]
    colour = {"field": "series", "type": "nominal", "title": None,
              "scale": {"domain": [series] + ([goal_name] if goal else []),
                        "range": [ACCENT] + ([GOAL_COLOUR] if goal else [])},
              "legend": {"orient": "top", "labelFontSize": 13, "symbolType": "square"}}
    layers = [{
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": _("År"),
                  "axis": {"labelAngle": 0 if len(rows) <= 10 else -45}},
            "y": {"field": "designated", "type": "quantitative", "title": series,
                  "scale": {"domainMax": max([goal or 0] + [r["designated"] for r in rows])}},
            "color": colour,
        },
    }]
    if goal:
        layers.append({
            "data": {"values": [{"goal": goal, "series": goal_name}]},
            "mark": {"type": "rule", "strokeDash": [6, 4], "strokeWidth": 2},
            "encoding": {"y": {"field": "goal", "type": "quantitative"}, "color": colour},
        })
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "description": description,
        "width": "container",
        "height": 280,
        "layer": layers,
        "config": {"view": {"stroke": None}},
    }


def registry_map(programme, active, ended) -> tuple[list[dict], dict]:
    """One row per municipality (designated now, designation ended, not designated) and the map's spec."""
    labels = {DESIGNATED: _("Utmärkt"), ENDED: _("Utmärkelsen har upphört"), NOT_DESIGNATED: _("Inte utmärkt")}
    level_of = {d.organisation.area.code: ENDED for d in ended if d.organisation.area_id}
    level_of.update({d.organisation.area.code: DESIGNATED for d in active if d.organisation.area_id})
    rows = []
    for m in municipalities():
        level = level_of.get(m.code, NOT_DESIGNATED)
        rows.append({"code": m.code, "name": m.name, "region": m.region or "", "value": None,
                     "status": str(labels[level]), "level": level,
                     "href": reverse("municipality", args=[m.code])})
    spec = map_spec(rows, geometries_url(), by_status=True, description=_(
        "Karta över Sveriges kommuner: utmärkta av %(programme)s") % {"programme": programme.name})
    # Every class is named in the legend, even one no municipality is in (the legend then explains the map).
    levels = [DESIGNATED, ENDED, NOT_DESIGNATED]
    spec["encoding"]["color"].update({"title": _("Utmärkelse"), "scale": {
        "domain": [str(labels[level]) for level in levels], "range": [STATUS_FILLS[level] for level in levels]}})
    spec["encoding"]["tooltip"] = [
        {"field": "name", "type": "nominal", "title": _("Kommun")},
        {"field": "region", "type": "nominal", "title": _("Region")},
        {"field": "status", "type": "nominal", "title": _("Utmärkelse")},
    ]
    return rows, spec


# ---- pages ----

def _row(designation: Designation) -> dict:
    area = designation.organisation.area
    return {"designation": designation, "organisation": designation.organisation, "area": area,
            "region": area.parent.name if area and area.parent else "",
            "lapsed_on": timezone.localdate(designation.lapsed_at) if designation.lapsed_at else None}


def registries(request):
    """Every programme with the number of municipalities it designates now and its goal."""
    today = timezone.localdate()
    programmes = [{"programme": p, "designated": active_designations(p, today).values("organisation")
                   .distinct().count()} for p in Programme.objects.all()]
    return render(request, "programme/registry_index.html", {"programmes": programmes})


def registry(request, slug):
    programme = get_object_or_404(Programme, slug=slug)
    today = timezone.localdate()
    active = sorted(active_designations(programme, today), key=lambda d: swedish_sort_key(d.organisation.name))
    ended = list(ended_designations(programme, today))
    over_time = programme_count_over_time(programme, today)
    map_rows, map_spec_ = registry_map(programme, active, ended)
    designated_now = len({d.organisation_id for d in active})
    return render(request, "programme/registry.html", {
        "programme": programme, "today": today, "active": [_row(d) for d in active],
        "ended": [_row(d) for d in ended], "designated_now": designated_now,
        "goal_share": round(100 * designated_now / programme.goal_count) if programme.goal_count else None,
        "over_time": over_time, "map_rows": map_rows, "map_spec": map_spec_,
        "map_counts": _map_counts(map_rows),
        "count_spec": count_chart_spec(over_time, programme.goal_count, _(
            "Antal kommuner utmärkta av %(programme)s per år, jämfört med programmets mål") % {
            "programme": programme.name}) if over_time else None,
    })


def _map_counts(rows: list[dict]) -> list[dict]:
    counts: dict[int, dict] = {}
    for row in rows:
        counts.setdefault(row["level"], {"level": row["level"], "label": row["status"], "n": 0})["n"] += 1
    return [counts[level] for level in sorted(counts)]


def diploma(request, slug, designation_id):
    """The diploma as PDF, for a designation in force; 404 for a lapsed, expired or unknown one."""
    designation = get_object_or_404(Designation.objects.select_related(
        "programme", "organisation", "application__decision"), pk=designation_id, programme__slug=slug)
    if not designation.is_active():
        raise Http404("no designation in force")
    language = "en" if (get_language() or "sv").startswith("en") else "sv"
    response = HttpResponse(diploma_pdf(designation, language), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="diplom-{slug}-{designation.pk}.pdf"'
    return response
