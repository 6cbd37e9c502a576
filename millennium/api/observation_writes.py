"""POST /api/v1/observations: a batch of rows from a municipality's own systems, stored as one import batch.

The rules are the spreadsheet import's (`statistics.spreadsheet_import`, docs/kalkylark.md), whose look-ups
this reuses: every row is checked before anything is written, and the batch is stored whole or not at all;
re-sending the same rows changes nothing. What a token may write:

- areas: its organisation's municipality and every area within it (RegSO, their DeSO, own districts). Any
  other municipality's area is 403, and nothing is stored.
- key figures: every stored key figure, the municipality's own ones also by their short code (`trygghet` for
  `local:1280:trygghet`). Another municipality's own key figures are 403. New own key figures are created by
  the spreadsheet import, which asks for their names.

Messages name the row as `rows[i]` (counted from 0, as in the JSON), the field, and what was expected.
"""

from dataclasses import dataclass

import pandas as pd
from django.db import transaction
from django.utils import timezone
from ninja.errors import HttpError

from millennium.organisations.models import ApiToken
from millennium.places.models import Area
from millennium.statistics.areas_csv_import import OWN_DATA, local_measure_code
from millennium.statistics.assessing import recompute_assessments
from millennium.statistics.loading import ImportSummary, close_batch, save_observations
from millennium.statistics.models import ImportBatch, Measure, Source
from millennium.statistics.spreadsheet_import import measure_codes, municipality_areas


@dataclass(frozen=True)
class Row:
    measure: str
    area: str
    year: int
    sex: str
    value: float


def _fail(status: int, index: int, field: str, message: str):
    raise HttpError(status, f"rows[{index}].{field}: {message}")


def _municipality(token: ApiToken) -> Area:
    area = token.organisation.area
    if area is None:
        raise HttpError(403, f"{token.organisation.name} is not a municipality; only a municipality's tokens "
                             "write observations")
    return area


def check_rows(token: ApiToken, rows: list[Row]) -> tuple[list[str], dict[str, int], dict[str, int]]:
    """The rows' stored key figure codes, and the ids of those key figures and of the areas; or HttpError
    (422 / 403) naming the first bad row."""
    municipality = _municipality(token)
    own_areas = municipality_areas(municipality)
    codes = measure_codes(municipality)
    own_prefix = local_measure_code(municipality.code, "")
    other_areas = set(Area.objects.filter(code__in={r.area for r in rows} - set(own_areas))
                      .values_list("code", flat=True))
    stored, seen = [], {}
    for i, row in enumerate(rows):
        if row.measure.startswith("local:") and not row.measure.startswith(own_prefix):
            _fail(403, i, "measure", f"{row.measure} is another municipality's own key figure; expected one of "
                                     f"{municipality.name}'s ({own_prefix}…) or a Kolada key figure")
        if row.measure not in codes:
            _fail(422, i, "measure", f"unknown key figure {row.measure!r}; expected a stored key figure's code "
                                     f"(GET /api/v1/measures), e.g. N00945, or one of {municipality.name}'s own")
        if row.area in other_areas:
            _fail(403, i, "area", f"area {row.area} is not {municipality.name} ({municipality.code}) or within it; "
                                  f"this token writes only {token.organisation.name}'s data")
        if row.area not in own_areas:
            _fail(422, i, "area", f"unknown area {row.area!r}; expected {municipality.code} ({municipality.name}) "
                                  f"or an area within it (GET /api/v1/areas?parent={municipality.code})")
        key = (codes[row.measure], row.area, row.year, row.sex)
        if key in seen:
            _fail(422, i, "sex", f"{row.measure} {row.area} {row.year} {row.sex} is already rows[{seen[key]}]; "
                                 "expected one row per key figure, area, year and sex")
        seen[key] = i
        stored.append(codes[row.measure])
    measures = dict(Measure.objects.filter(code__in=set(stored)).values_list("code", "id"))
    return stored, measures, own_areas


def store_rows(token: ApiToken, rows: list[Row]) -> ImportSummary:
    """Check every row, then store them all as one import batch and reassess their key figures; all or nothing."""
    started = timezone.now()
    stored, measures, areas = check_rows(token, rows)
    frame = pd.DataFrame({
        "measure_id": [measures[code] for code in stored], "area_id": [areas[r.area] for r in rows],
        "year": pd.array([r.year for r in rows], dtype="int16"), "sex": [r.sex for r in rows],
        "value": [float(r.value) for r in rows],
    })
    with transaction.atomic():
        source, _ = Source.objects.update_or_create(code="egen-data", defaults=OWN_DATA)
        batch = ImportBatch.objects.create(
            source=source, started_at=started, finished_at=started, files=0,
            location=f"API, token «{token.name}» of {token.organisation.name}")
        summary = save_observations(batch, frame)
        recompute_assessments(sorted(set(measures.values())))
        close_batch(batch, summary, timezone.now())
    return summary
