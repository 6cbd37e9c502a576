"""`millennium import kolada-ddf DIR`: Kolada's DDF dump into the store, all or nothing, idempotent."""

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from millennium.places.models import Area
from millennium.readers import InputError
from millennium.readers.kolada_ddf import KoladaDump, read_kolada_ddf

from .assessing import recompute_assessments, set_default_targets
from .goal_mapping import apply_goal_mapping
from .loading import ImportSummary, close_batch, save_observations
from .models import ImportBatch, Measure, MeasureGroup, Source

KOLADA = {"name": "Kolada", "credit": "Källa: Kolada (RKA)", "url": "https://www.kolada.se/"}


def unit_from_title(title: str) -> str:
    """Kolada titles end in their unit: 'Utsläpp …, ton CO2-ekv/inv' → 'ton CO2-ekv/inv'."""
    return title.rsplit(", ", 1)[-1] if ", " in title else ""


def import_kolada_ddf(
    folder: Path,
    *,
    on_read: Callable[[int, int], None] | None = None,
    on_phase: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Read and check every file first, then write everything in one transaction.

    Raises `InputError` for bad input; the store is then exactly as before.
    """
    started = timezone.now()
    areas = dict(Area.objects.values_list("code", "id"))
    if not areas:
        raise InputError(folder, None, "the store has no areas yet; run `millennium init` first")
    dump = read_kolada_ddf(folder, area_codes=list(areas), progress=on_read)
    phase = on_phase or (lambda name: None)

    with transaction.atomic():
        source, _ = Source.objects.update_or_create(code="kolada", defaults=KOLADA)
        batch = ImportBatch.objects.create(source=source, location=str(Path(folder).resolve()),
                                           started_at=started, finished_at=started, files=len(dump.files))
        phase("key figures")
        measure_ids = _save_measures(dump, source)
        summary = save_observations(batch, _with_ids(dump, measure_ids, areas), on_phase=phase)
        summary.rejected = dump.empty_values
        summary.measures = len(measure_ids)
        apply_goal_mapping()
        phase("assessing progress")
        set_default_targets()
        recompute_assessments(sorted(set(measure_ids.values())))

        close_batch(batch, summary, timezone.now())
    return summary


def _save_measures(dump: KoladaDump, source: Source) -> dict[str, int]:
    """Create or update the dump's key figures and their Kolada groups; return code → id."""
    m = dump.measures
    Measure.objects.bulk_create(
        [
            Measure(source=source, code=r.code, title_sv=r.title_sv, description_sv=r.description_sv,
                    unit=unit_from_title(r.title_sv), divided_by_sex=r.divided_by_sex,
                    municipality_type=r.municipality_type, operating_area=r.operating_area,
                    perspective=r.perspective, publication_date=r.publication_date)
            for r in m.itertuples()
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["title_sv", "description_sv", "unit", "divided_by_sex", "municipality_type",
                       "operating_area", "perspective", "publication_date"],
    )
    ids = dict(Measure.objects.filter(code__in=m["code"].tolist()).values_list("code", "id"))

    MeasureGroup.objects.bulk_create(
        [MeasureGroup(source=source, code=g.code, name=g.name, parent_code=g.parent)
         for g in dump.groups.itertuples()],
        update_conflicts=True, unique_fields=["source", "code"], update_fields=["name", "parent_code"],
    )
    group_ids = dict(MeasureGroup.objects.filter(source=source).values_list("code", "id"))
    through = Measure.groups.through
    through.objects.filter(measure_id__in=ids.values()).delete()
    through.objects.bulk_create(
        [through(measure_id=ids[code], measuregroup_id=group_ids[g])
         for code, groups in zip(m["code"], m["groups"]) for g in groups if g in group_ids]
    )
    return ids


def _with_ids(dump: KoladaDump, measure_ids: dict[str, int], area_ids: dict[str, int]) -> pd.DataFrame:
    obs = dump.observations
    # Map the categories once, then index by each row's category code: no per-row dictionary lookup.
    measure_of_code = np.array([measure_ids[c] for c in obs["measure"].cat.categories], dtype="int64")
    area_of_code = np.array([area_ids[c] for c in obs["area"].cat.categories], dtype="int64")
    rows = pd.DataFrame({
        "measure_id": measure_of_code[obs["measure"].cat.codes.to_numpy()],
        "area_id": area_of_code[obs["area"].cat.codes.to_numpy()],
        "year": obs["year"].to_numpy("int64"),
        "sex": obs["sex"],
        "value": obs["value"].to_numpy("float64"),
    })
    return rows
