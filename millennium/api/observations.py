"""Observations (filtered by measure, area, period and sex; JSON pages or CSV) and assessments."""

import csv
import io
from typing import Annotated, Literal

from django.http import HttpResponse
from pydantic import Field, StringConstraints
from ninja import Query, Router, Schema, Status
from ninja.decorators import decorate_view

from millennium.organisations.models import ApiToken
from millennium.statistics.models import Assessment, Observation
from millennium.web.downloads import csv_number, safe_text

from .auth import TokenAuth
from .conditional import cached_etag_view, observations_version
from .lookups import area_id, measure_id
from .observation_writes import Row, store_rows
from .schemas import CODE_PATTERN, ERRORS, MAX_LIMIT, MAX_OFFSET, WRITE_ERRORS, AssessmentPage, ObservationPage
from .throttles import ReadThrottle, WriteThrottle

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
@decorate_view(cached_etag_view(version=observations_version))
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
@decorate_view(cached_etag_view)
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


class ObservationIn(Schema):
    measure: Code = Field(..., description="A stored key figure's code (N00945, local:1280:trygghet) or the "
                                           "municipality's own key figure's short code (trygghet)")
    area: Code = Field(..., description="The municipality's code or that of an area within it, e.g. 1280R001")
    year: int = Field(..., ge=1000, le=2999)
    sex: Literal["T", "K", "M"] = Field("T", description="T total, K women, M men")
    value: float = Field(..., allow_inf_nan=False)


class ObservationBatchIn(Schema):
    rows: list[ObservationIn] = Field(..., min_length=1, max_length=MAX_LIMIT)


class ObservationBatchOut(Schema):
    batch: int
    new: int
    changed: int
    unchanged: int


@router.post("/observations", response={201: ObservationBatchOut, **WRITE_ERRORS},
             auth=TokenAuth(ApiToken.Scope.OBSERVATIONS), throttle=[ReadThrottle(), WriteThrottle()],
             summary="Store observations (token with observations:write)")
def store_observations(request, payload: ObservationBatchIn):
    """Store a batch of observations of the token's municipality and the areas within it, as one import batch.

    The spreadsheet import's rules (docs/kalkylark.md). All or nothing: every row is checked first (unknown
    key figure or area, duplicates: 422; an area or own key figure of another municipality: 403). The
    municipality's own key figures may be named by their short code. The same rows sent again change nothing.
    """
    summary = store_rows(request.auth, [Row(**row.dict()) for row in payload.rows])
    return Status(201, {"batch": summary.batch_id, "new": summary.new, "changed": summary.changed,
                 "unchanged": summary.unchanged})
