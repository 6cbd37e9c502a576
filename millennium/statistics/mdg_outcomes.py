"""MDG looking back: each country's outcome on a quantified MDG target, 1990 → 2015, from the store."""

import numpy as np
import pandas as pd

from millennium.analysis.progress.methods import assess
from millennium.analysis.progress.panel import Panel, Settings

from .gapminder_import import measure_code, quantified_targets
from .models import Observation, Target

BASE_YEAR, TARGET_YEAR = 1990, 2015
COLUMNS = ["target", "indicator", "country", "name", "base_year", "base_value", "target_value", "current_year",
           "current_value", "status", "reason"]


class UnknownTarget(ValueError):
    pass


def mdg_outcomes(target: str) -> pd.DataFrame:
    """One row per country and indicator of MDG `target` (e.g. '4.A'), judged by the MDG reference path.

    Only years 1990–2015 count: the MDGs ended in 2015, whatever happened after.
    """
    rows = [q for q in quantified_targets() if q["target"] == target.upper()]
    if not rows:
        known = ", ".join(sorted({q["target"] for q in quantified_targets()}))
        raise UnknownTarget(f"MDG target {target!r} has no quantified target here; expected one of {known}")
    frames = []
    for q in rows:
        goal = Target.objects.filter(measure__code=measure_code(q["concept"]), area=None).first()
        observations = pd.DataFrame.from_records(
            list(Observation.objects.filter(measure__code=measure_code(q["concept"]), sex="T",
                                            year__gte=BASE_YEAR, year__lte=TARGET_YEAR)
                 .values_list("area__code", "area__name", "year", "value")),
            columns=["country", "name", "year", "value"])
        if goal is None or observations.empty:
            raise UnknownTarget(f"no data for MDG {q['target']} ({q['concept']}); run "
                                "`millennium import gapminder-mdg DIR` first")
        panel = Panel.from_long(observations["country"], observations["year"], observations["value"])
        base_value = panel.take(panel.value, panel.at(BASE_YEAR))
        factor, limit = goal.factor, goal.value
        target_value = {"relative": lambda: factor * base_value,
                        "relative_gap": lambda: limit - factor * (limit - base_value),
                        "absolute": lambda: np.full(panel.n, limit)}[goal.kind]()
        # "Halve the share without access" is geometric in the distance to 100 %: the path runs there.
        settings = Settings.broadcast(panel.n, base_year=BASE_YEAR, target_year=TARGET_YEAR,
                                      direction=1.0 if q["direction"] == "up" else -1.0, target=target_value,
                                      limit=limit if goal.kind == "relative_gap" else np.nan)
        result = assess("mdg_path", panel, settings)
        names = observations.drop_duplicates("country").set_index("country")["name"]
        # The MDG targets are relative to 1990: without a 1990 value there is no target to judge against.
        no_base = np.isnan(base_value) & (goal.kind != "absolute")
        status = np.where(no_base, "not_available", result["status"].to_numpy(dtype=object))
        reason = np.where(no_base, f"inget värde för {BASE_YEAR}, målets basår",
                          result["reason"].to_numpy(dtype=object))
        frames.append(pd.DataFrame({
            "target": q["target"], "indicator": q["indicator"], "country": panel.labels,
            "name": names.reindex(panel.labels).to_numpy(), "base_year": result["base_year"].to_numpy(),
            "base_value": result["base_value"].to_numpy(), "target_value": target_value,
            "current_year": result["current_year"].to_numpy(), "current_value": result["current_value"].to_numpy(),
            "status": status, "reason": reason,
        }))
    return pd.concat(frames, ignore_index=True).sort_values(["indicator", "country"], ignore_index=True)
