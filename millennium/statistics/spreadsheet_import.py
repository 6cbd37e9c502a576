"""The municipality's own key figures from the spreadsheet template (docs/kalkylark.md) into the store.

Two steps, so that the web can show a preview: `check_spreadsheet` reads and validates the whole file against
the store and counts what would be new, changed or unchanged, writing nothing; `import_checked` writes a
checked file in one transaction (all or nothing). Importing the same file again changes nothing.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from millennium.places.models import Area
from millennium.readers import InputError
from millennium.readers.spreadsheet import read_spreadsheet

from . import bulk
from .areas_csv_import import OWN_DATA, local_measure_code
from .assessing import recompute_assessments
from .loading import ImportSummary, close_batch, save_observations
from .models import ImportBatch, Measure, Observation, Source


@dataclass
class CheckedSpreadsheet:
    """A valid file, its rows joined to the store: what importing it would do."""

    path: Path
    municipality: Area
    rows: pd.DataFrame  # the reader's columns + area_id, measure_id (0: new own key figure), status, old_value
    new: int
    changed: int
    unchanged: int
    empty: int  # rows without a value: skipped


def municipality_areas(municipality: Area) -> dict[str, int]:
    """Code → id of the municipality and every area within it (RegSO, their DeSO, own districts)."""
    m = municipality.id
    return dict(Area.objects.filter(Q(id=m) | Q(parent_id=m) | Q(parent__parent_id=m) | Q(parent__parent__parent_id=m))
                .values_list("code", "id"))


def measure_codes(municipality: Area) -> dict[str, str]:
    """Code as written in the template → stored code: every key figure as is, the municipality's own ones also
    by their short code (`trygg` for `local:1280:trygg`); other municipalities' own ones are not offered."""
    prefix = local_measure_code(municipality.code, "")
    codes = {}
    for code in Measure.objects.values_list("code", flat=True):
        if code.startswith("local:"):
            if code.startswith(prefix):
                codes[code] = codes[code[len(prefix):]] = code
        else:
            codes[code] = code
    return codes


def municipality_of(path: Path) -> Area:
    """The one municipality whose areas the file names (for the CLI without --municipality)."""
    rows = read_spreadsheet(path)
    codes = rows["area"].unique().tolist()
    found = set()
    for area in Area.objects.filter(code__in=codes).select_related("parent__parent__parent"):
        while area is not None and area.level != Area.Level.MUNICIPALITY:
            area = area.parent
        found.add(area)
    if len(found) != 1 or None in found:
        raise InputError(path, None, "the areas do not belong to exactly one municipality; expected the "
                                     "municipality's code with --municipality, e.g. --municipality 1280")
    return found.pop()


def check_spreadsheet(path: Path, municipality: Area) -> CheckedSpreadsheet:
    """Validate the file against the store and compare it with the stored values; writes nothing.

    Raises InputErrors (every problem, with line and column) when the file is not valid.
    """
    path = Path(path)
    area_ids = municipality_areas(municipality)
    codes = measure_codes(municipality)
    rows = read_spreadsheet(path, measures=codes, areas=set(area_ids), municipality=municipality.code)
    measure_ids = dict(Measure.objects.filter(code__in=rows["measure_code"].unique().tolist())
                       .values_list("code", "id"))
    rows["area_id"] = rows["area"].map(area_ids).astype("int64")
    rows["measure_id"] = rows["measure_code"].map(measure_ids).fillna(0).astype("int64")
    stored = _stored_values(rows)
    key = bulk.observation_keys(rows["measure_id"], rows["area_id"], rows["year"], rows["sex"])
    old = pd.Series(stored["value"].to_numpy(), index=stored["key"].to_numpy()).reindex(key).to_numpy()
    has_value = rows["value"].notna().to_numpy()
    status = np.select([~has_value, np.isnan(old), old != rows["value"].to_numpy()],
                       ["empty", "new", "changed"], "unchanged")
    rows["old_value"], rows["status"] = old, status
    count = pd.Series(status).value_counts()
    return CheckedSpreadsheet(path, municipality, rows, new=int(count.get("new", 0)),
                              changed=int(count.get("changed", 0)), unchanged=int(count.get("unchanged", 0)),
                              empty=int(count.get("empty", 0)))


def import_checked(checked: CheckedSpreadsheet, *, location: str, imported_by: str = "") -> ImportSummary:
    """Write a checked file: all or nothing. New own key figures are created as `local:<municipality>:<code>`.

    Rows are compared with the store again inside the transaction, so a value changed since the preview is
    counted as it is now. Assessments are recomputed for the key figures that got new or changed values.
    """
    started = timezone.now()
    rows = checked.rows[checked.rows["value"].notna()].copy()
    with transaction.atomic():
        source, _ = Source.objects.update_or_create(code="egen-data", defaults=OWN_DATA)
        batch = ImportBatch.objects.create(source=source, location=location, started_at=started,
                                           finished_at=started, files=1, imported_by=imported_by)
        new_codes = _save_own_measures(source, checked.municipality, rows[rows["measure_id"] == 0])
        rows.loc[rows["measure_id"] == 0, "measure_id"] = (
            rows.loc[rows["measure_id"] == 0, "measure"].map(new_codes).astype("int64"))
        summary = save_observations(batch, rows[["measure_id", "area_id", "year", "sex", "value"]])
        summary.rejected = len(checked.rows) - len(rows)
        touched = batch.observations.values_list("measure_id", flat=True).distinct()
        if summary.new or summary.changed:
            recompute_assessments(sorted(set(touched)))
        close_batch(batch, summary, timezone.now())
    return summary


def import_spreadsheet(path: Path, municipality: Area | None = None, *, imported_by: str = "") -> ImportSummary:
    """`millennium import spreadsheet FILE`: check, then write; nothing is written if any row is bad."""
    path = Path(path)
    checked = check_spreadsheet(path, municipality or municipality_of(path))
    return import_checked(checked, location=str(path.resolve()), imported_by=imported_by)


def _stored_values(rows: pd.DataFrame) -> pd.DataFrame:
    known = rows[rows["measure_id"] != 0]
    if known.empty:
        return pd.DataFrame({"key": np.empty(0, "int64"), "value": np.empty(0)})
    stored = pd.DataFrame(list(
        Observation.objects.filter(measure_id__in=known["measure_id"].unique().tolist(),
                                   area_id__in=known["area_id"].unique().tolist())
        .values_list("measure_id", "area_id", "year", "sex", "value")),
        columns=["measure_id", "area_id", "year", "sex", "value"])
    if stored.empty:
        return pd.DataFrame({"key": np.empty(0, "int64"), "value": np.empty(0)})
    return pd.DataFrame({"key": bulk.observation_keys(stored["measure_id"], stored["area_id"], stored["year"],
                                                      stored["sex"]), "value": stored["value"]})


def _save_own_measures(source: Source, municipality: Area, own: pd.DataFrame) -> dict[str, int]:
    """Code as written → id of the municipality's new own key figures."""
    own = own.drop_duplicates("measure")
    if own.empty:
        return {}
    codes = {r.measure: local_measure_code(municipality.code, r.measure) for r in own.itertuples()}
    Measure.objects.bulk_create(
        [Measure(source=source, code=codes[r.measure], title_sv=r.measure_name) for r in own.itertuples()],
        update_conflicts=True, unique_fields=["code"], update_fields=["title_sv"])
    ids = dict(Measure.objects.filter(code__in=list(codes.values())).values_list("code", "id"))
    return {written: ids[code] for written, code in codes.items()}
