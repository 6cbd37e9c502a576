"""Observations (filtered by measure, area, period and sex; JSON pages or CSV) and assessments."""

import csv
import io
from typing import Annotated, Literal

from django.http import HttpResponse
from pydantic import StringConstraints
from ninja import Query, Router
from ninja.decorators import decorate_view

from millennium.statistics.models import Assessment, Observation
from millennium.web.downloads import csv_number, safe_text

from .conditional import etag_view
from .lookups import area_id, measure_id
from .schemas import CODE_PATTERN, ERRORS, MAX_LIMIT, MAX_OFFSET, AssessmentPage, ObservationPage

router = Router(tags=["observations"])
COLUMNS = ("measure", "area", "year", "sex", "value", "batch")
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN)]
Codes = list[Code] | None
CSV_RESPONSE = {"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}}


def _filtered(rows, measure: Codes, area: Codes):
    """Rows of the given measures and areas; 404 names the first unknown code."""
    if measure:
        rows = rows.filter(measure_id__in=[measure_id(code) for code in measure])
    if area:
        rows = rows.filter(area_id__in=[area_id(code) for code in area])
    return rows


@router.get("/observations", response={200: ObservationPage, **ERRORS}, openapi_extra=CSV_RESPONSE)
@decorate_view(etag_view)
def observations(request, measure: list[Code] = Query(..., min_length=1, description="Measure code(s), e.g. N00945"),
                 area: Codes = Query(None, description="Area code(s), e.g. 1280"),
                 from_: int | None = Query(None, alias="from", ge=1000, le=9999),
                 to: int | None = Query(None, ge=1000, le=9999),
                 sex: Literal["T", "K", "M"] | None = Query(None, description="T total, K women, M men"),
                 limit: int = Query(1000, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET),
                 format: Literal["json", "csv"] = "json"):
    rows = _filtered(Observation.objects.all(), measure, area)
    if from_ is not None:
        rows = rows.filter(year__gte=from_)
    if to is not None:
        rows = rows.filter(year__lte=to)
    if sex:
        rows = rows.filter(sex=sex)
    page = list(rows.order_by("area__code", "measure__code", "year", "sex")
                .values_list("measure__code", "area__code", "year", "sex", "value", "batch_id")[offset:offset + limit])
    if format == "csv":
        return _csv(page)
    return {"count": rows.count(), "limit": limit, "offset": offset, "items": [dict(zip(COLUMNS, r)) for r in page]}


def _csv(rows: list[tuple]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for measure, area, year, sex, value, batch in rows:
        writer.writerow([safe_text(measure), safe_text(area), year, sex, csv_number(value), batch])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="observations.csv"'
    return response


@router.get("/assessments", response={200: AssessmentPage, **ERRORS})
@decorate_view(etag_view)
def assessments(request, measure: Codes = Query(None), area: Codes = Query(None),
                method: str | None = Query(None, pattern=CODE_PATTERN, description="e.g. opensdg"),
                limit: int = Query(1000, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    rows = _filtered(Assessment.objects.all(), measure, area)
    if method:
        rows = rows.filter(method=method)
    fields = ("measure__code", "area__code", "sex", "method", "status", "reason", "base_year", "base_value",
              "current_year", "current_value", "target_value", "progress_value", "score")
    names = ("measure", "area") + fields[2:]
    items = [dict(zip(names, r)) for r in rows.order_by("area__code", "measure__code", "sex", "method")
             .values_list(*fields)[offset:offset + limit]]
    return {"count": rows.count(), "limit": limit, "offset": offset, "items": items}
