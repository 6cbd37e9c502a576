"""Assessments in the store: progress of every series (key figure × area × sex), recomputed after changes.

Targets come from the `Target` table: one for a single area wins over one for all areas. A key figure
without a desired direction is not assessed and has no rows here (Open SDG would assume "lower is
better"; we do not guess): the site says "no desired direction" for it.
"""

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from millennium.analysis.progress.methods import assess
from millennium.analysis.progress.panel import Panel, Settings

from . import bulk
from .models import Assessment, Measure, Target

DEFAULT_METHOD = "opensdg"
# MDG-era country series are judged as the MDGs were: against the World Bank's reference path.
METHOD_BY_SOURCE = {"gapminder": "mdg_path"}
SEXES = np.array(["T", "K", "M"])


@transaction.atomic
def set_default_targets() -> int:
    """A direction-only target 2015 → 2030 for every key figure with a direction and no target of its own."""
    have = set(Target.objects.filter(area=None).values_list("measure_id", flat=True))
    missing = Measure.objects.exclude(direction="").exclude(id__in=have)
    Target.objects.bulk_create([
        Target(measure=m, kind=Target.Kind.DIRECTION, base_year=2015, target_year=2030,
               set_by="Millennium (standard)",
               reason="Riktning enligt Millenniums koppling av nyckeltal till mål (kolada_goals.csv); inget målvärde.")
        for m in missing
    ])
    return len(missing)


@transaction.atomic
def recompute_assessments(measure_ids: list[int] | None = None) -> int:
    """Assess every series of these measures (all when None) by their source's method; replace what was stored.

    Returns the number of series assessed.
    """
    measures = Measure.objects.all() if measure_ids is None else Measure.objects.filter(id__in=measure_ids)
    by_method: dict[str, list[int]] = {}
    for measure_id, source in measures.values_list("id", "source__code"):
        by_method.setdefault(METHOD_BY_SOURCE.get(source, DEFAULT_METHOD), []).append(measure_id)
    Assessment.objects.filter(measure__in=measures).delete()
    return sum(_assess_measures(ids, method) for method, ids in by_method.items())


def _assess_measures(measure_ids: list[int], method: str) -> int:
    measures = Measure.objects.filter(id__in=measure_ids)
    info = pd.DataFrame.from_records(list(measures.exclude(direction="").values_list("id", "direction",
                                                                                      "natural_limit")),
                                     columns=["id", "direction", "limit"]).set_index("id")
    if info.empty:
        return 0
    rows = bulk.fetch_observations([("value", "value", "float64")], info.index.tolist())
    measure, area, year, sex = bulk.key_parts(rows["key"])
    # One integer per series: measure, area and sex packed like the observation key, without the year.
    panel = Panel.from_long(((measure << 20) + area) << 2 | sex, year, rows["value"])
    labels = panel.labels.astype("int64")
    measure_of = labels >> 22
    area_of = (labels >> 2) & ((1 << 20) - 1)
    sex_of = SEXES[labels & 3]

    settings = _settings(panel, measure_of, area_of, info)
    result = assess(method, panel, settings)
    # Only some methods score (Open SDG: -5 … 5); the others leave the score empty.
    score = result["score"].to_numpy("float64") if "score" in result else np.full(len(result), np.nan)
    frame = pd.DataFrame({
        "measure_id": measure_of, "area_id": area_of, "sex": sex_of, "method": method,
        "status": result["status"].to_numpy(dtype=object), "reason": result["reason"].to_numpy(dtype=object),
        "base_year": _int_or_nan(result["base_year"]), "base_value": result["base_value"].to_numpy("float64"),
        "current_year": _int_or_nan(result["current_year"]),
        "current_value": result["current_value"].to_numpy("float64"),
        "target_value": settings.target, "progress_value": result["progress_value"].to_numpy("float64"),
        "score": score,
        "computed_at": timezone.now().isoformat(),
    })
    bulk.insert_rows(Assessment._meta.db_table, list(frame.columns), frame)
    return len(frame)


def _int_or_nan(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column, errors="coerce").astype("Int64")


def _settings(panel: Panel, measure_of: np.ndarray, area_of: np.ndarray, info: pd.DataFrame) -> Settings:
    direction = info["direction"].map({"up": 1.0, "down": -1.0}).reindex(measure_of).to_numpy("float64")
    limit = info["limit"].astype("float64").reindex(measure_of).to_numpy("float64")
    targets = pd.DataFrame.from_records(
        list(Target.objects.filter(measure_id__in=info.index.tolist()).values_list(
            "measure_id", "area_id", "kind", "base_year", "target_year", "value", "factor")),
        columns=["measure_id", "area_id", "kind", "base_year", "target_year", "value", "factor"])
    # An area's own target wins over the target for all areas.
    general = targets[targets["area_id"].isna()].set_index("measure_id").reindex(measure_of)
    own = targets[targets["area_id"].notna()].set_index(["measure_id", "area_id"]).reindex(
        pd.MultiIndex.from_arrays([measure_of, area_of.astype("float64")]))
    has_own = own["kind"].notna().to_numpy()
    chosen = pd.DataFrame({c: np.where(has_own, own[c].to_numpy(dtype=object), general[c].to_numpy(dtype=object))
                           for c in ["kind", "base_year", "target_year", "value", "factor"]})
    base_year = chosen["base_year"].astype("float64").fillna(2015).to_numpy()
    target_year = chosen["target_year"].astype("float64").fillna(2030).to_numpy()
    target = np.where(chosen["kind"] == "absolute", chosen["value"].astype("float64"), np.nan)
    kind = chosen["kind"].to_numpy(dtype=object)
    if np.isin(kind, ["relative", "relative_gap"]).any():
        base_value = panel.take(panel.value, panel.first_at_or_after(base_year))
        factor = chosen["factor"].astype("float64").to_numpy()
        limit_value = chosen["value"].astype("float64").to_numpy()
        target = np.where(kind == "relative", factor * base_value, target)
        target = np.where(kind == "relative_gap", limit_value - factor * (limit_value - base_value), target)
    return Settings(base_year, target_year, direction, target.astype("float64"), limit)


@transaction.atomic
def set_target(*, measure: Measure, area=None, kind: str, set_by: str, reason: str, base_year: int = 2015,
               target_year: int = 2030, value: float | None = None, factor: float | None = None) -> Target:
    """Create or change the target of a key figure (for one area, or all when `area` is None).

    Its assessments are recomputed at once, in the same transaction: a page never shows a status that
    was judged against a target that no longer holds.
    """
    target, _ = Target.objects.update_or_create(
        measure=measure, area=area,
        defaults={"kind": kind, "base_year": base_year, "target_year": target_year, "value": value,
                  "factor": factor, "set_by": set_by, "reason": reason})
    recompute_assessments([measure.id])
    return target
