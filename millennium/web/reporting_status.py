"""Reporting status per SDG goal, as Open SDG's reporting status page counts it: how many of the UN's
indicators are followed with key figures that have data, how many have key figures still without data, and
how many have none yet.

Kolada's key figures are mapped to targets (statistics/data/kolada_goals.csv), not to single indicators, so
an indicator counts as followed when a key figure is linked to the indicator itself or to its target. A key
figure "has data" when some municipality has a value for it (or, for one municipality's page, that
municipality). Figures from other sources without municipal values (another country's national series)
are left out, as on the municipality pages.
"""

from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from millennium.frameworks.models import Goal, Indicator, Target
from millennium.places.models import Area
from millennium.statistics.models import Measure, MeasureLink, Observation

# In the order of Open SDG's statuses: reported online, statistics in progress, exploring data sources.
STATES = {
    "data": _("Följs med nyckeltal som har data"),
    "no_data": _("Nyckeltal finns, men utan data"),
    "none": _("Inga nyckeltal ännu"),
}


def measures_with_data(measure_ids, area: Area | None = None) -> set[int]:
    """The measures with a value for `area`, or for any municipality: one EXISTS per measure, which stops at
    the first value found in the observations' unique index (it leads with the measure)."""
    values = Observation.objects.filter(measure=OuterRef("pk"))
    values = values.filter(area=area) if area else values.filter(area__level=Area.Level.MUNICIPALITY)
    return set(Measure.objects.filter(id__in=list(measure_ids)).filter(Exists(values)).values_list("id", flat=True))


def reporting_status(area: Area | None = None) -> dict:
    """{"goals": one row per SDG goal, "total": the same summed}; each row has the indicators per state
    (n and percent), targets with key figures, and key figures linked and with data."""
    goals = list(Goal.objects.filter(framework__code="sdg").order_by("number"))
    links = list(MeasureLink.objects.filter(goal__framework__code="sdg")
                 .values_list("measure_id", "goal_id", "target_id", "indicator_id", "measure__source__code"))
    with_data = measures_with_data({link[0] for link in links}, area)
    links = [link for link in links if link[4] == "kolada" or link[0] in with_data]

    by_target, by_indicator, by_goal = defaultdict(set), defaultdict(set), defaultdict(set)
    for measure_id, goal_id, target_id, indicator_id, _source in links:
        by_goal[goal_id].add(measure_id)
        if target_id:
            by_target[target_id].add(measure_id)
        if indicator_id:
            by_indicator[indicator_id].add(measure_id)
    targets_of_goal = defaultdict(list)
    for target_id, goal_id in Target.objects.filter(goal__framework__code="sdg").values_list("id", "goal_id"):
        targets_of_goal[goal_id].append(target_id)
    indicator_figures = defaultdict(set)
    indicator_goal = dict(Indicator.objects.filter(goal__framework__code="sdg").values_list("id", "goal_id"))
    for indicator_id in indicator_goal:
        indicator_figures[indicator_id] |= by_indicator.get(indicator_id, set())
    for indicator_id, target_id in (Indicator.targets.through.objects
                                    .filter(indicator__goal__framework__code="sdg")
                                    .values_list("indicator_id", "target_id")):
        indicator_figures[indicator_id] |= by_target.get(target_id, set())

    states_of_goal = defaultdict(lambda: dict.fromkeys(STATES, 0))
    for indicator_id, goal_id in indicator_goal.items():
        figures = indicator_figures[indicator_id]
        state = "data" if figures & with_data else "no_data" if figures else "none"
        states_of_goal[goal_id][state] += 1

    rows = [_row(goal, states_of_goal[goal.id], targets_of_goal[goal.id], by_target, by_goal[goal.id], with_data)
            for goal in goals]
    return {"goals": rows, "total": _total(rows)}


def _row(goal, states, target_ids, by_target, figures, with_data) -> dict:
    return _with_percent({
        "goal": goal, "states": states,
        "n_targets": len(target_ids), "targets_with_figures": sum(1 for t in target_ids if by_target.get(t)),
        "n_figures": len(figures), "figures_with_data": len(figures & with_data),
    })


def _total(rows: list[dict]) -> dict:
    states = {state: sum(r["states"][state] for r in rows) for state in STATES}
    return _with_percent({"goal": None, "states": states, **{
        key: sum(r[key] for r in rows) for key in ("n_targets", "targets_with_figures", "n_figures",
                                                    "figures_with_data")}})


def _with_percent(row: dict) -> dict:
    n = sum(row["states"].values())
    row["n_indicators"] = n
    row["parts"] = [{"key": key, "label": STATES[key], "n": count, "percent": 100 * count / n if n else 0.0}
                    for key, count in row["states"].items()]
    return row
