"""Similar municipalities (statistics/peers.py), nearest first."""

import math

from ninja import Path, Query, Router
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from millennium.statistics.peers import UnknownMunicipality, similar_municipalities

from .conditional import etag_view
from .schemas import CODE_PATTERN, ERRORS, PeerOut

router = Router(tags=["peers"])


@router.get("/peers/{code}", response={200: list[PeerOut], **ERRORS})
@decorate_view(etag_view)
def peers(request, code: str = Path(..., pattern=CODE_PATTERN), k: int = Query(7, ge=1, le=50)):
    try:
        table = similar_municipalities(code, k)
    except UnknownMunicipality as error:
        raise HttpError(404, str(error)) from None
    return [{"code": r.code, "name": r.name, "distance": r.distance if math.isfinite(r.distance) else None,
             "similar_on": list(r.similar_on), "differs_on": list(r.differs_on)} for r in table.itertuples()]
