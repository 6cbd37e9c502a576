"""`millennium import areas-csv FILE`: a municipality's own district figures (docs/omradesdata.md).

Kolada has no sub-municipal data, so municipalities send their own, in the template
`data/omradesdata-mall.csv`. Official districts (RegSO, DeSO) must already be in the store (`millennium
init` loads them from the Kolada extract); own districts ("eget") are created under their municipality.
"""

from pathlib import Path

import pandas as pd
from django.db import transaction
from django.utils import timezone

from millennium.places.models import Area
from millennium.readers import InputError
from millennium.readers.areas_csv import read_areas_csv

from .assessing import recompute_assessments
from .loading import ImportSummary, close_batch, save_observations
from .models import ImportBatch, Measure, Source

OWN_DATA = {"name": "Kommunens egna data", "credit": "Källa: kommunens egna data", "url": ""}
LEVEL_LABELS = {"regso": "RegSO", "deso": "DeSO"}


def custom_area_code(kommun: str, code: str) -> str:
    return f"{kommun}-{code}"


def local_measure_code(kommun: str, code: str) -> str:
    return f"local:{kommun}:{code}"


def import_areas_csv(path: Path) -> ImportSummary:
    """Store the file's figures; all or nothing. Every problem is found before the first write.

    Creates or renames the municipality's own districts (Area level 'custom', code `<kommun>-<code>`) and
    own key figures (`local:<kommun>:<code>`); official codes and Kolada ids must already be stored. Rows
    without a value are skipped and counted as rejected. Assessments of the key figures are recomputed.
    Importing the same file again changes no observation.
    """
    started = timezone.now()
    path = Path(path)
    rows = read_areas_csv(path)
    municipality_ids = _municipalities(path, rows)
    official_ids = _official_areas(path, rows)
    kolada_ids = _kolada_measures(path, rows)

    with transaction.atomic():
        source, _ = Source.objects.update_or_create(code="egen-data", defaults=OWN_DATA)
        batch = ImportBatch.objects.create(source=source, location=str(path.resolve()), started_at=started,
                                           finished_at=started, files=1)
        area_ids = {**official_ids, **_save_custom_areas(rows, municipality_ids)}
        measure_ids = {**kolada_ids, **_save_own_measures(source, rows)}
        with_value = rows[rows["value"].notna()]
        area_keys = [custom_area_code(r.kommun, r.area_code) if r.level == Area.Level.CUSTOM else r.area_code
                     for r in with_value.itertuples()]
        measure_keys = [r.measure if r.measure_kind == "kolada" else local_measure_code(r.kommun, r.measure)
                        for r in with_value.itertuples()]
        observations = pd.DataFrame({
            "measure_id": pd.Series(measure_keys, dtype=object).map(measure_ids).astype("int64").to_numpy(),
            "area_id": pd.Series(area_keys, dtype=object).map(area_ids).astype("int64").to_numpy(),
            "year": with_value["year"].to_numpy(), "sex": with_value["sex"].to_numpy(),
            "value": with_value["value"].to_numpy(),
        })
        summary = save_observations(batch, observations)
        summary.rejected = len(rows) - len(with_value)
        recompute_assessments(sorted(set(observations["measure_id"].tolist())))
        close_batch(batch, summary, timezone.now())
    return summary


def _first_missing(path: Path, rows: pd.DataFrame, wanted: pd.Series, found, column: str, message) -> None:
    missing = ~wanted.isin(list(found))
    if missing.any():
        row = rows[missing].iloc[0]
        raise InputError(path, int(row["line"]), message(row), column)


def _municipalities(path: Path, rows: pd.DataFrame) -> dict[str, int]:
    ids = dict(Area.objects.filter(level=Area.Level.MUNICIPALITY, code__in=rows["kommun"].unique().tolist())
               .values_list("code", "id"))
    _first_missing(path, rows, rows["kommun"], ids, "kommun",
                   lambda r: f"municipality {r['kommun']} is not in the store; expected a Swedish municipality "
                             "code, e.g. 1280")
    return ids


def _official_areas(path: Path, rows: pd.DataFrame) -> dict[str, int]:
    official = rows[rows["level"] != Area.Level.CUSTOM]
    ids = dict(Area.objects.filter(code__in=official["area_code"].unique().tolist(),
                                   level__in=[Area.Level.REGSO, Area.Level.DESO]).values_list("code", "id"))
    _first_missing(path, official, official["area_code"], ids, "omradeskod",
                   lambda r: f"{LEVEL_LABELS[r['level']]} {r['area_code']} is not in the store; expected an "
                             "official code from the Kolada extract's area files (loaded by millennium init), "
                             "or nivå eget for the municipality's own district")
    return ids


def _kolada_measures(path: Path, rows: pd.DataFrame) -> dict[str, int]:
    kolada = rows[rows["measure_kind"] == "kolada"]
    ids = dict(Measure.objects.filter(code__in=kolada["measure"].unique().tolist(), source__code="kolada")
               .values_list("code", "id"))
    _first_missing(path, kolada, kolada["measure"], ids, "nyckeltal",
                   lambda r: f"Kolada key figure {r['measure']} is not in the store; expected a Kolada id that "
                             "is imported (millennium import kolada-ddf), or the municipality's own code with "
                             "nyckeltalsnamn")
    return ids


def _save_custom_areas(rows: pd.DataFrame, municipality_ids: dict[str, int]) -> dict[str, int]:
    custom = rows[rows["level"] == Area.Level.CUSTOM].drop_duplicates(["kommun", "area_code"])
    if custom.empty:
        return {}
    codes = [custom_area_code(r.kommun, r.area_code) for r in custom.itertuples()]
    Area.objects.bulk_create(
        [Area(code=code, name=r.area_name, level=Area.Level.CUSTOM, parent_id=municipality_ids[r.kommun])
         for code, r in zip(codes, custom.itertuples())],
        update_conflicts=True, unique_fields=["code"], update_fields=["name", "level", "parent"])
    return dict(Area.objects.filter(code__in=codes).values_list("code", "id"))


def _save_own_measures(source: Source, rows: pd.DataFrame) -> dict[str, int]:
    own = rows[rows["measure_kind"] == "own"].drop_duplicates(["kommun", "measure"])
    if own.empty:
        return {}
    codes = [local_measure_code(r.kommun, r.measure) for r in own.itertuples()]
    Measure.objects.bulk_create(
        [Measure(source=source, code=code, title_sv=r.measure_name) for code, r in zip(codes, own.itertuples())],
        update_conflicts=True, unique_fields=["code"], update_fields=["title_sv"])
    return dict(Measure.objects.filter(code__in=codes).values_list("code", "id"))
