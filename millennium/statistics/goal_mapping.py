"""Our mapping of Kolada key figures to SDG targets and MDG goals (statistics/data/kolada_goals.csv).

Each row also gives the desired direction and the natural limit the progress methods need.
"""

import csv
from pathlib import Path

from millennium.frameworks.models import Goal, Target

from .models import Measure, MeasureLink

MAPPING = Path(__file__).resolve().parent / "data" / "kolada_goals.csv"


def read_goal_mapping(path: Path = MAPPING) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def apply_goal_mapping(path: Path = MAPPING) -> int:
    """Set direction, limit and goal links on every mapped measure in the store; return how many."""
    rows = {r["kpi"]: r for r in read_goal_mapping(path)}
    measures = list(Measure.objects.filter(code__in=rows))
    targets = {t.code: t for t in Target.objects.filter(goal__framework__code="sdg").select_related("goal")}
    mdg_goals = {g.code: g for g in Goal.objects.filter(framework__code="mdg")}
    for measure in measures:
        row = rows[measure.code]
        measure.direction = row["direction"]
        measure.natural_limit = float(row["limit"]) if row["limit"] else None
        target = targets[row["sdg_target"]]
        links = [MeasureLink(measure=measure, goal=target.goal, target=target, note=row["note"])]
        if row["mdg_goal"]:
            links.append(MeasureLink(measure=measure, goal=mdg_goals[row["mdg_goal"]]))
        MeasureLink.objects.filter(measure=measure).delete()
        MeasureLink.objects.bulk_create(links)
    Measure.objects.bulk_update(measures, ["direction", "natural_limit"])
    return len(measures)
