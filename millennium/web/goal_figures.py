"""The goal-linked key figures one municipality is followed with, their assessments and goal roll-ups.

Shared by the municipality overview and the goal page, so both show the same figures and the same statuses.
"""

from collections import Counter

import numpy as np
import pandas as pd

from millennium.analysis.progress.opensdg import indicator as rollup
from millennium.places.models import Area
from millennium.statistics.assessing import DEFAULT_METHOD
from millennium.statistics.models import Assessment, MeasureLink

from .statuses import STATUS_LEVELS, status_display


def goal_links(framework: str, goal=None) -> list[MeasureLink]:
    """The framework's (or one goal's) links to key figures, in goal, target and key-figure order."""
    # Only what the pages show: the overview reads every link on each visit.
    links = (MeasureLink.objects.filter(goal__framework__code=framework)
             .select_related("measure__source", "goal")
             .only("measure_id", "goal_id", "target_id", "indicator_id", "relation",
                   "measure__code", "measure__title_sv", "measure__title_en", "measure__direction",
                   "measure__source__code", "goal__code", "goal__number", "goal__framework_id")
             .order_by("goal__number", "target__position", "measure__code"))
    if goal is not None:
        links = links.filter(goal=goal)
    return list(links)


def shown_here(links: list[MeasureLink], with_data: set[int]) -> list[MeasureLink]:
    """Kolada's figures (with or without values here, so gaps in coverage show) and any other source's
    figures that have values here; not, say, another country's national series."""
    return [link for link in links if link.measure.source.code == "kolada" or link.measure_id in with_data]


def assessments(area: Area, measure_ids) -> dict[int, Assessment]:
    """The municipality's assessment (both sexes together, the default method) per key figure."""
    return {a.measure_id: a for a in Assessment.objects.filter(
        area=area, sex="T", method=DEFAULT_METHOD, measure__in=list(measure_ids)).defer("computed_at")}


def status_of(assessment: Assessment | None) -> dict:
    return status_display(assessment.status if assessment else "not_available")


def rollups(groups: dict, found: dict[int, Assessment]) -> dict:
    """For each group of key figures (lists of measure ids), its status by Open SDG's indicator rule (the mean
    score of its key figures; analysis/progress/opensdg.indicator), that score, and counts per status, best first.

    One call for all groups: the rule is vectorised, and the overview needs some twenty groups.
    """
    keys = list(groups)
    owners, statuses, scores = [], [], []
    counts = {key: Counter() for key in keys}
    for key in keys:
        for measure_id in groups[key]:
            assessment = found.get(measure_id)
            status = assessment.status if assessment else "not_available"
            owners.append(key)
            statuses.append(status)
            scores.append(assessment.score if assessment and assessment.score is not None else np.nan)
            counts[key][status] += 1
    result = rollup(pd.DataFrame({"status": statuses, "score": np.asarray(scores, dtype="float64")}),
                    owners, labels=keys)
    return {key: {
        "status": status_display(code),
        "score": None if np.isnan(score) else score,
        "n": len(groups[key]),
        "counts": [{**status_display(status), "n": n}
                   for status, n in sorted(counts[key].items(), key=lambda item: STATUS_LEVELS.get(item[0], 5))],
    } for key, code, score in zip(keys, result["status"].tolist(), result["score"].tolist())}
