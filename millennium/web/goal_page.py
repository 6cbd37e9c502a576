"""One goal in one municipality, /kommun/<code>/mal/<goal>/: its targets, their UN indicators, and the key
figures that follow them here, with status, latest value and trend.

<goal> is the SDG goal's number ("11") or, for the Millennium Development Goals, "mdg-" and the number
("mdg-1"): one URL pattern for both frameworks, and a plain number keeps meaning the SDG.
"""

from collections import defaultdict

from django.shortcuts import get_object_or_404, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from millennium.frameworks.models import Goal, Target
from millennium.practices.related import for_goal as practices_for_goal
from millennium.statistics.assessing import DEFAULT_METHOD
from millennium.statistics.models import Observation

from .assessment_explained import reason_text
from .goal_figures import assessments, goal_links, rollups, shown_here, status_of
from .gap_pages import municipality_or_404
from .sparkline import sparkline
from .statuses import METHOD_NAMES
from .templatetags.bilingual import localized

MDG_PREFIX = "mdg-"


def goal_slug(goal: Goal) -> str:
    """The goal's part of the URL: "11" for an SDG goal, "mdg-1" for a Millennium Development Goal."""
    return f"{MDG_PREFIX}{goal.code}" if goal.framework.code == "mdg" else goal.code


def _goal(slug: str) -> Goal:
    framework, code = ("mdg", slug[len(MDG_PREFIX):]) if slug.startswith(MDG_PREFIX) else ("sdg", slug)
    return get_object_or_404(Goal.objects.select_related("framework"), framework__code=framework, code=code)


def municipality_goal(request, code, goal_code):
    area = municipality_or_404(code)
    goal = _goal(goal_code)
    targets = list(Target.objects.filter(goal=goal).prefetch_related("indicators").order_by("position"))
    links = goal_links(goal.framework.code, goal)
    series: dict[int, dict[str, list[tuple[int, float]]]] = defaultdict(lambda: defaultdict(list))
    for measure_id, year, sex, value in (
        Observation.objects.filter(area=area, measure__in=[link.measure_id for link in links])
        .order_by("year").values_list("measure_id", "year", "sex", "value")
    ):
        series[measure_id][sex].append((year, value))
    links = shown_here(links, set(series))
    found = assessments(area, {link.measure_id for link in links})

    # A link names a target, or an indicator (whose target it then belongs to), or only the goal.
    target_of_indicator = {i.id: t.id for t in targets for i in t.indicators.all()}
    placed: dict[int | None, list[dict]] = defaultdict(list)
    for link in links:
        where = link.target_id or target_of_indicator.get(link.indicator_id)
        placed[where].append(goal_figure(link, series.get(link.measure_id, {}), found.get(link.measure_id), area))

    siblings = list(Goal.objects.filter(framework=goal.framework).order_by("number"))
    position = next(i for i, g in enumerate(siblings) if g.id == goal.id)
    return render(request, "web/goal.html", {
        "area": area, "goal": goal, "slug": goal_slug(goal), "is_mdg": goal.framework.code == "mdg",
        "rollup": rollups({goal.id: [link.measure_id for link in links]}, found)[goal.id],
        "targets": [{"target": t, "indicators": list(t.indicators.all()), "figures": placed.get(t.id, [])}
                    for t in targets],
        "goal_figures": placed.get(None, []),
        "n_figures": len(links),
        "previous": goal_slug(siblings[position - 1]) if position > 0 else None,
        "previous_label": siblings[position - 1].code if position > 0 else None,
        "next": goal_slug(siblings[position + 1]) if position + 1 < len(siblings) else None,
        "next_label": siblings[position + 1].code if position + 1 < len(siblings) else None,
        "method": METHOD_NAMES[DEFAULT_METHOD],
        "practices": practices_for_goal(goal, area),
    })


def goal_figure(link, by_sex: dict, assessment, area) -> dict:
    """One key figure's row: latest value, status, sparkline and the table of every year (the chart's text)."""
    measure = link.measure
    total = by_sex.get("T", [])
    years = sorted({year for points in by_sex.values() for year, _ in points})
    lookup = {sex: dict(points) for sex, points in by_sex.items()}
    latest = total[-1] if total else None
    label = ""
    if latest:
        label = _("%(title)s i %(area)s: %(first)s–%(last)s, från %(start)s till %(end)s") % {
            "title": localized(measure, "title"),
            "area": area.name, "first": total[0][0], "last": latest[0],
            "start": number_format(total[0][1]), "end": number_format(latest[1])}
    return {
        "measure": measure, "link": link, "assessment": assessment, "status": status_of(assessment),
        "reason": reason_text(assessment.reason, assessment.base_year) if assessment and assessment.reason else "",
        "latest": latest, "split": "K" in by_sex, "chart": sparkline(total, label),
        "table": [{"year": year, "T": lookup.get("T", {}).get(year), "K": lookup.get("K", {}).get(year),
                   "M": lookup.get("M", {}).get(year)} for year in years],
    }
