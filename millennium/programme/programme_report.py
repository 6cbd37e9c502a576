"""The programme's report for its staff: the municipalities designated now, the applications by state, the
follow-ups due (a designation's last valid day within the next N days, or already passed without a lapse), and the
number of designated municipalities year by year against the programme's goal. As a tagged PDF (PDF/UA-1) or CSV,
in Swedish or English, from the web (programme staff and site admins only) or `millennium programme report`.

The CSV is one tidy table: a `section` column says which part a row belongs to and the other columns are filled
where they apply. Text cells are safe against formula injection (web/downloads.py).
"""

import base64
import csv
import datetime
import io
import re

import vl_convert
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import get_language

from millennium.web.downloads import csv_number, safe_text
from millennium.web.sorting import swedish_sort_key

from .access import is_staff_reader
from .diploma import LONG_DATE
from .models import Application, Designation, Programme
from .registry import active_designations, count_chart_spec, programme_count_over_time
from .tagged_pdf import render_pdf

DEFAULT_DAYS = 90
MAX_DAYS = 3650

# Column keys (stable) and their headers per language.
COLUMNS = ["section", "municipality_code", "municipality", "number", "valid_from", "valid_until", "days_left",
           "kind", "state", "year", "count", "goal"]
SWEDISH_COLUMNS = ["avsnitt", "kommunkod", "kommun", "nummer", "gäller_från", "gäller_till", "dagar_kvar", "slag",
                   "läge", "år", "antal", "mål"]
NUMERIC = {"days_left", "year", "count", "goal"}


# ---- what the report holds ----

def handed_in(programme):
    """The programme's applications and follow-ups that have been handed in. A draft never handed in is the
    municipality's own (programme/access.py): the report neither lists nor counts it."""
    return Application.objects.filter(programme=programme, submitted_at__isnull=False)


def follow_ups_due(programme, today: datetime.date, days: int) -> list[dict]:
    """Designations not lapsed whose last valid day is within `days` from today or has passed, soonest first,
    with the state of an open, handed-in follow-up of each (None when there is none)."""
    due = list(Designation.objects.filter(programme=programme, lapsed_at__isnull=True,
                                          valid_until__lte=today + datetime.timedelta(days=days))
               .select_related("organisation__area").order_by("valid_until", "organisation__name"))
    open_states = {}
    for designation_id, state in (handed_in(programme).filter(designation__in=due, kind=Application.Kind.FOLLOW_UP)
                                  .exclude(state__in=[Application.State.APPROVED, Application.State.REJECTED,
                                                      Application.State.WITHDRAWN])
                                  .order_by("created_at").values_list("designation_id", "state")):
        open_states[designation_id] = state
    labels = dict(Application.State.choices)
    return [{"designation": d, "days_left": (d.valid_until - today).days, "overdue": d.valid_until < today,
             "days_overdue": max(0, (today - d.valid_until).days), "follow_up_state": open_states.get(d.pk),
             "follow_up_label": str(labels[open_states[d.pk]]) if d.pk in open_states else None} for d in due]


def applications_by_state(programme) -> list[dict]:
    """Every state a handed-in application can be in (all but draft), in workflow order, with the number of
    applications and of follow-ups in it."""
    counts = {(kind, state): n for kind, state, n in handed_in(programme).order_by().values("kind", "state").annotate(n=Count("id")).values_list("kind", "state", "n")}
    rows = []
    for state, label in Application.State.choices:
        if state == Application.State.DRAFT:
            continue
        applications = counts.get((Application.Kind.APPLICATION.value, state), 0)
        follow_ups = counts.get((Application.Kind.FOLLOW_UP.value, state), 0)
        rows.append({"state": state, "label": str(label), "applications": applications, "follow_ups": follow_ups,
                     "total": applications + follow_ups})
    return rows


def report_data(programme, today: datetime.date | None = None, days: int = DEFAULT_DAYS) -> dict:
    """Everything the report shows, in the active language."""
    today = today or timezone.localdate()
    active = sorted(active_designations(programme, today), key=lambda d: (swedish_sort_key(d.organisation.name), d.valid_from))
    by_state = applications_by_state(programme)
    return {
        "programme": programme, "today": today, "days": days,
        "designated": active, "designated_count": len({d.organisation_id for d in active}),
        "by_state": by_state,
        "by_state_totals": {k: sum(r[k] for r in by_state) for k in ("applications", "follow_ups", "total")},
        "follow_ups_due": follow_ups_due(programme, today, days),
        "over_time": programme_count_over_time(programme, today),
    }


# ---- PDF ----

def _chart_image(data: dict, language: str) -> str | None:
    """The count over time as an SVG data URL, drawn here (vl-convert): a PDF loads nothing from elsewhere."""
    if not data["over_time"]:
        return None
    spec = count_chart_spec(data["over_time"], data["programme"].goal_count, "")
    spec.pop("$schema")
    # The PDF draws the SVG's text in DejaVu Sans: measured in the same font, labels and legend do not overlap.
    spec.update({"width": 440, "height": 200})
    spec["config"]["font"] = "DejaVu Sans"
    svg = vl_convert.vegalite_to_svg(spec, allowed_base_urls=[],
                                     format_locale="sv-SE" if language == "sv" else "en-US")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def report_pdf(programme, language: str = "sv", days: int = DEFAULT_DAYS, today: datetime.date | None = None) -> bytes:
    with translation.override(language):
        data = report_data(programme, today, days)
        return render_pdf("programme/report.html", {**data, "long_date": LONG_DATE,
                                                    "chart": _chart_image(data, language)}, language)


# ---- CSV ----

def report_rows(data: dict) -> list[dict]:
    """The report as rows keyed by COLUMNS."""
    goal = data["programme"].goal_count
    rows = []
    for d in data["designated"]:
        rows.append({"section": "designated", "municipality_code": d.organisation.area.code
                     if d.organisation.area_id else "", "municipality": d.organisation.name, "number": d.number,
                     "valid_from": d.valid_from.isoformat(), "valid_until": d.valid_until.isoformat()})
    for r in data["by_state"]:
        for kind, key in ((Application.Kind.APPLICATION, "applications"), (Application.Kind.FOLLOW_UP, "follow_ups")):
            rows.append({"section": "applications_by_state", "kind": kind.value, "state": r["state"],
                         "count": r[key]})
    for f in data["follow_ups_due"]:
        d = f["designation"]
        rows.append({"section": "follow_ups_due", "municipality_code": d.organisation.area.code
                     if d.organisation.area_id else "", "municipality": d.organisation.name, "number": d.number,
                     "valid_from": d.valid_from.isoformat(), "valid_until": d.valid_until.isoformat(),
                     "days_left": f["days_left"], "kind": Application.Kind.FOLLOW_UP.value,
                     "state": f["follow_up_state"] or ""})
    for r in data["over_time"]:
        rows.append({"section": "count_over_time", "year": r["year"], "count": r["designated"], "goal": goal})
    return rows


def report_csv(programme, language: str = "sv", days: int = DEFAULT_DAYS, today: datetime.date | None = None) -> str:
    """RFC 4180, one header row (Swedish or English names), codes for sections, kinds and states."""
    with translation.override(language):
        data = report_data(programme, today, days)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(SWEDISH_COLUMNS if language == "sv" else COLUMNS)
    for row in report_rows(data):
        writer.writerow(["" if row.get(c) is None else csv_number(row[c]) if c in NUMERIC else safe_text(str(row[c]))
                         for c in COLUMNS])
    return out.getvalue()


# ---- web ----

def _programme_for_staff(request, slug):
    """The programme, for its office's reviewers and admins and for site admins; others are refused."""
    if not request.user.is_authenticated:
        return None
    if not is_staff_reader(request.user):
        raise PermissionDenied("programme staff only")
    return get_object_or_404(Programme, slug=slug)


def _days(request) -> int:
    asked = request.GET.get("dagar", "")
    return min(int(asked), MAX_DAYS) if asked.isdigit() else DEFAULT_DAYS


def _language() -> str:
    return "en" if (get_language() or "sv").startswith("en") else "sv"


def _filename(programme, extension: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", f"rapport-{programme.slug}-{timezone.localdate().isoformat()}") + \
        f".{extension}"


def report_pdf_view(request, slug):
    programme = _programme_for_staff(request, slug)
    if programme is None:
        return redirect_to_login(request.get_full_path())
    response = HttpResponse(report_pdf(programme, _language(), _days(request)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(programme, "pdf")}"'
    response["Cache-Control"] = "private, no-store"
    return response


def report_csv_view(request, slug):
    programme = _programme_for_staff(request, slug)
    if programme is None:
        return redirect_to_login(request.get_full_path())
    response = HttpResponse(report_csv(programme, _language(), _days(request)).encode("utf-8"),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(programme, "csv")}"'
    response["Cache-Control"] = "private, no-store"
    return response
