"""`millennium import gapminder-mdg DIR`: Gapminder's country series for the MDG indicators, with the
MDG's own quantified targets (halve, two thirds, three quarters … between 1990 and 2015).
"""

import csv
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from millennium.frameworks.loading import DATA as FRAMEWORKS_DATA
from millennium.frameworks.loading import read_rows
from millennium.frameworks.models import Indicator
from millennium.places.models import Area
from millennium.readers import InputError
from millennium.readers.gapminder import read_concepts, read_countries, read_series

from .assessing import recompute_assessments
from .loading import ImportSummary, close_batch, save_observations
from .models import ImportBatch, Measure, MeasureLink, Source, Target

GAPMINDER = {"name": "Gapminder", "credit": "Källa: Gapminder (CC-BY 4.0)", "url": "https://www.gapminder.org/"}
QUANTIFIED_TARGETS = FRAMEWORKS_DATA / "mdg" / "quantified_targets.csv"
MAPPING_FILE = "mdg_to_systema_globalis_DRAFT.csv"
PREFIX = "gapminder:"
SET_BY = "FN:s millenniedeklaration (2000) och MDG-ramverket (2008)"


def measure_code(concept: str) -> str:
    return PREFIX + concept


def quantified_targets() -> list[dict[str, str]]:
    return read_rows(QUANTIFIED_TARGETS)


def read_mapping(folder: Path) -> list[dict[str, str]]:
    """MDG indicator → Gapminder concept, from the folder (proxies noted), plus our quantified targets."""
    path = Path(folder) / MAPPING_FILE
    rows = []
    if path.exists():
        with path.open(encoding="utf-8", newline="") as f:
            rows = [{"indicator": r["mdg_indicator"], "concept": r["sg_concept"], "note": r["note"]}
                    for r in csv.DictReader(f)]
    known = {r["concept"] for r in rows}
    rows += [{"indicator": q["indicator"], "concept": q["concept"], "note": q["note"]}
             for q in quantified_targets() if q["concept"] not in known]
    return rows


def import_gapminder_mdg(folder: Path, *, on_phase=lambda name: None) -> ImportSummary:
    """Countries, series and MDG targets; all or nothing; assessed by the MDG reference-path method."""
    started = timezone.now()
    folder = Path(folder)
    mapping = read_mapping(folder)
    concepts = list(dict.fromkeys(r["concept"] for r in mapping))
    countries = read_countries(folder)
    names = read_concepts(folder)
    missing = [c for c in concepts if c not in names.index]
    if missing:
        raise InputError(folder / "ddf--concepts.csv", None, f"concept(s) {', '.join(missing)} not described")
    # Observed years only: Gapminder continues some series with projections.
    rows = read_series(folder, concepts, last_year=date.today().year - 1)

    with transaction.atomic():
        source, _ = Source.objects.update_or_create(code="gapminder", defaults=GAPMINDER)
        batch = ImportBatch.objects.create(source=source, location=str(folder.resolve()), started_at=started,
                                           finished_at=started, files=len(concepts))
        on_phase("countries")
        Area.objects.bulk_create(
            [Area(code=c.code, name=c.name, level=Area.Level.COUNTRY) for c in countries.itertuples()],
            update_conflicts=True, unique_fields=["code"], update_fields=["name", "level"])
        area_ids = dict(Area.objects.filter(level=Area.Level.COUNTRY).values_list("code", "id"))
        measure_ids = _save_measures(source, concepts, names, mapping)
        observations = rows.assign(
            measure_id=rows["concept"].map(lambda c: measure_ids[c]).astype("int64"),
            area_id=rows["country"].map(area_ids).astype("int64"), sex="T",
        )[["measure_id", "area_id", "year", "sex", "value"]]
        summary = save_observations(batch, observations, on_phase=on_phase)
        _save_targets(measure_ids)
        on_phase("assessing progress")
        recompute_assessments(sorted(measure_ids.values()))
        close_batch(batch, summary, timezone.now())
    return summary


def _save_measures(source, concepts, names, mapping) -> dict[str, int]:
    directions = {q["concept"]: q["direction"] for q in quantified_targets()}
    Measure.objects.bulk_create(
        [Measure(source=source, code=measure_code(c), title_en=names.at[c, "name"], title_sv=names.at[c, "name"],
                 description_sv=names.at[c, "description"], direction=directions.get(c, ""))
         for c in concepts],
        update_conflicts=True, unique_fields=["code"],
        update_fields=["title_en", "title_sv", "description_sv", "direction"],
    )
    stored = Measure.objects.filter(code__in=[measure_code(c) for c in concepts]).values_list("code", "id")
    ids = {code.removeprefix(PREFIX): i for code, i in stored}
    indicators = {i.code: i for i in Indicator.objects.filter(goal__framework__code="mdg").select_related("goal")}
    MeasureLink.objects.filter(measure_id__in=ids.values()).delete()
    links = {}
    for row in mapping:
        indicator = indicators[row["indicator"]]
        relation = MeasureLink.Relation.PROXY if row["note"] else MeasureLink.Relation.DIRECT
        links.setdefault((row["concept"], indicator.goal_id), MeasureLink(
            measure_id=ids[row["concept"]], goal=indicator.goal, indicator=indicator, relation=relation,
            note=row["note"]))
    MeasureLink.objects.bulk_create(links.values())
    return ids


def _save_targets(measure_ids: dict[str, int]) -> None:
    for q in quantified_targets():
        Target.objects.update_or_create(
            measure_id=measure_ids[q["concept"]], area=None,
            defaults={"kind": q["kind"], "base_year": 1990, "target_year": 2015,
                      "factor": float(q["factor"]) if q["factor"] else None,
                      "value": float(q["value"]) if q["value"] else None,
                      "set_by": SET_BY, "reason": f"MDG {q['target']}: {q['note']}"})

