"""Key figures (measures): searchable by goal, source and text; one with its goals and full description."""

from django.db.models import Q
from ninja import Path, Query, Router
from ninja.decorators import decorate_view

from millennium.statistics.models import Measure, MeasureLink

from .conditional import etag_view
from .lookups import goal_id, measure_id
from .schemas import CODE_PATTERN, ERRORS, MAX_LIMIT, MAX_OFFSET, MeasureDetail, MeasurePage

router = Router(tags=["measures"])
FIELDS = ("code", "title_sv", "title_en", "unit", "source__code", "divided_by_sex", "direction")
TEXT = r"^[^\x00]{1,200}$"


def _row(row: dict) -> dict:
    row["source"] = row.pop("source__code")
    return row


@router.get("/measures", response={200: MeasurePage, **ERRORS})
@decorate_view(etag_view)
def measures(request, goal: str | None = Query(None, pattern=CODE_PATTERN, description="A goal's code, e.g. 11"),
             framework: str = Query("sdg", pattern=CODE_PATTERN, description="The goal's framework"),
             source: str | None = Query(None, pattern=CODE_PATTERN, description="e.g. kolada"),
             q: str | None = Query(None, pattern=TEXT, description="Text in the code or the Swedish or English title"),
             limit: int = Query(1000, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    rows = Measure.objects.all()
    if goal:
        rows = rows.filter(links__goal_id=goal_id(framework, goal))
    if source:
        rows = rows.filter(source__code=source)
    if q:
        rows = rows.filter(Q(code__icontains=q) | Q(title_sv__icontains=q) | Q(title_en__icontains=q))
    items = [_row(r) for r in rows.order_by("code").values(*FIELDS)[offset:offset + limit]]
    return {"count": rows.count(), "limit": limit, "offset": offset, "items": items}


@router.get("/measures/{code}", response={200: MeasureDetail, **ERRORS})
@decorate_view(etag_view)
def measure(request, code: str = Path(..., pattern=CODE_PATTERN)):
    measure = measure_id(code)
    row = _row(Measure.objects.filter(id=measure).values(
        *FIELDS, "description_sv", "municipality_type", "operating_area", "perspective", "publication_date",
        "natural_limit", "source__credit").get())
    row["source_credit"] = row.pop("source__credit")
    row["goals"] = [dict(zip(("framework", "goal", "target", "indicator", "relation"), link)) for link in
                    MeasureLink.objects.filter(measure_id=measure).order_by("goal__framework__code", "goal__number")
                    .values_list("goal__framework__code", "goal__code", "target__code", "indicator__code", "relation")]
    return row
