"""Areas: Sweden, regions, municipalities and statistical areas; geometry only for one area at a time."""

from typing import Literal

from ninja import Path, Query, Router
from ninja.decorators import decorate_view

from millennium.places.models import Area

from .conditional import etag_view
from .lookups import area_id
from .schemas import CODE_PATTERN, ERRORS, MAX_LIMIT, MAX_OFFSET, AreaDetail, AreaPage

router = Router(tags=["areas"])
LEVELS = Literal["country", "region", "municipality", "regso", "deso", "custom"]
FIELDS = ("code", "name", "level", "parent__code")


def _row(row: dict) -> dict:
    row["parent"] = row.pop("parent__code")
    return row


@router.get("/areas", response={200: AreaPage, **ERRORS})
@decorate_view(etag_view)
def areas(request, level: LEVELS | None = None, parent: str | None = Query(None, pattern=CODE_PATTERN),
          limit: int = Query(1000, ge=1, le=MAX_LIMIT), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    rows = Area.objects.all()
    if level:
        rows = rows.filter(level=level)
    if parent:
        rows = rows.filter(parent_id=area_id(parent))
    items = [_row(r) for r in rows.order_by("code").values(*FIELDS)[offset:offset + limit]]
    return {"count": rows.count(), "limit": limit, "offset": offset, "items": items}


@router.get("/areas/{code}", response={200: AreaDetail, **ERRORS})
@decorate_view(etag_view)
def area(request, code: str = Path(..., pattern=CODE_PATTERN)):
    area_id(code)
    return _row(Area.objects.filter(code=code).values(*FIELDS, "geometry").get())
