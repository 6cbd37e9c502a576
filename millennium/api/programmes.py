"""The public registry of the designation programmes: the programmes and the municipalities they designate.

Only designations are public (they are awards); applications, reviews and decisions are not in the API.
The ETag follows the programmes and designations themselves, which change without any data import.
"""

import datetime
import hashlib

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone, translation
from ninja import Path, Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from millennium.programme.models import Designation, Programme
from millennium.programme.registry import in_force_on

from .conditional import etag_view
from .schemas import CODE_PATTERN, ERRORS

router = Router(tags=["programmes"])


class ProgrammeOut(Schema):
    slug: str
    name_sv: str
    name_en: str
    description_sv: str
    description_en: str
    goal_count: int | None
    designated_count: int
    accepting_applications: bool


class DesignationOut(Schema):
    number: str
    organisation: str
    municipality_code: str | None
    valid_from: datetime.date
    valid_until: datetime.date
    lapsed_on: datetime.date | None
    active: bool
    diploma_url: str | None


def _registry_version() -> str:
    """Changes whenever a programme or a designation is added, changed or lapses, and every day (what is in
    force depends on the date)."""
    parts = [(model.objects.aggregate(n=Count("id"), changed=Max("updated_at"))) for model in (Programme, Designation)]
    raw = f"{parts}:{timezone.localdate().isoformat()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


registry_etag = etag_view(version=_registry_version, prefix="registry")


@router.get("/programmes", response={200: list[ProgrammeOut], **ERRORS})
@decorate_view(registry_etag)
def programmes(request):
    today = timezone.localdate()
    designated = dict(Designation.objects.filter(in_force_on(today)).order_by().values("programme")
                      .annotate(n=Count("organisation", distinct=True)).values_list("programme", "n"))
    return [{"slug": p.slug, "name_sv": p.name_sv, "name_en": p.name_en, "description_sv": p.description_sv,
             "description_en": p.description_en, "goal_count": p.goal_count,
             "designated_count": designated.get(p.pk, 0), "accepting_applications": p.is_active}
            for p in Programme.objects.order_by("slug")]


@router.get("/programmes/{slug}/designations", response={200: list[DesignationOut], **ERRORS})
@decorate_view(registry_etag)
def designations(request, slug: str = Path(..., pattern=CODE_PATTERN)):
    """Every designation of the programme, in force now (`active`) or ended (lapsed or not renewed), oldest first;
    `diploma_url` only for one in force."""
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None:
        raise HttpError(404, f"unknown programme {slug!r}, e.g. 'millenniekommun'")
    today = timezone.localdate()
    rows = []
    for d in (Designation.objects.filter(programme=programme).select_related("organisation__area")
              .order_by("valid_from", "number")):
        active = d.is_active(today)
        with translation.override("sv"):
            diploma = reverse("programme:diploma", args=[slug, d.pk]) if active else None
        rows.append({"number": d.number, "organisation": d.organisation.name,
                     "municipality_code": d.organisation.area.code if d.organisation.area_id else None,
                     "valid_from": d.valid_from, "valid_until": d.valid_until,
                     "lapsed_on": timezone.localdate(d.lapsed_at) if d.lapsed_at else None,
                     "active": active, "diploma_url": diploma})
    return rows
