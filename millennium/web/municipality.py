"""The municipality overview, /kommun/<code>/: the goals at a glance and where to look closer.

The SDG goals as tiles with their roll-up status; the key figures that improved and worsened most; the
municipality beside its region and Sweden; how well the goal-linked key figures are covered by data; and the
goals as the three dimensions of sustainability. A handful of aggregated queries, whatever the number of
figures: the page is one of the two the load benchmark holds to 150 ms (bench/web_load.py).
"""

from dataclasses import dataclass

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from millennium.frameworks.models import Goal
from millennium.statistics.assessing import DEFAULT_METHOD
from millennium.statistics.models import ImportBatch

from . import dimensions
from .changes import largest_changes
from .comparison import comparison_rows, coverage, read_values
from .gap_pages import municipality_or_404
from .goal_figures import assessments, goal_links, rollups, shown_here, status_of
from .statuses import METHOD_NAMES


@dataclass
class Overview:
    """What the municipality overview computes; the report (reports/municipality_report.py) reads the same, so
    page and report cannot disagree."""

    region: object
    country: object
    links: list
    values: dict
    with_data: set
    batches: set
    found: dict
    figures: list
    goals: list
    in_dimension: dict
    status: dict
    improved: list
    worsened: list


def overview(area) -> Overview:
    region = area.parent
    country = region.parent if region else None
    links = goal_links("sdg")
    values, with_data, batches = read_values(area, [a for a in (region, country) if a],
                                             {link.measure_id for link in links})
    links = shown_here(links, with_data)
    found = assessments(area, {link.measure_id for link in links})
    figures = [{"measure": link.measure, "goal": link.goal, "assessment": found.get(link.measure_id),
                "status": status_of(found.get(link.measure_id))} for link in links]

    goals = list(Goal.objects.filter(framework__code="sdg").order_by("number"))
    by_goal = {goal.id: [f["measure"].id for f in figures if f["goal"].id == goal.id] for goal in goals}
    of_goal = dimensions.goal_dimensions()
    in_dimension = {key: [goal for goal in goals if of_goal.get(goal.code) == key] for key in dimensions.DIMENSIONS}
    # One roll-up call for the goals and the dimensions alike.
    status = rollups({**{f"goal {goal.id}": by_goal[goal.id] for goal in goals},
                      **{f"dimension {key}": [m for goal in members for m in by_goal[goal.id]]
                         for key, members in in_dimension.items()}}, found)
    improved, worsened = largest_changes(figures)
    return Overview(region, country, links, values, with_data, batches, found, figures, goals, in_dimension,
                    status, improved, worsened)


def municipality(request, code):
    area = municipality_or_404(code)
    o = overview(area)
    region, country, values, with_data, batches = o.region, o.country, o.values, o.with_data, o.batches
    figures, goals, in_dimension, status = o.figures, o.goals, o.in_dimension, o.status
    improved, worsened = o.improved, o.worsened
    return render(request, "web/municipality.html", {
        "area": area, "region": region, "country": country,
        "tiles": [{"goal": goal, **status[f"goal {goal.id}"]} for goal in goals],
        "mdg_goals": Goal.objects.filter(framework__code="mdg").order_by("number"),
        "dimensions": [{"key": key, **dimensions.DIMENSIONS[key], "goals": members, **status[f"dimension {key}"]}
                       for key, members in in_dimension.items()],
        "dimension_source": dimensions.SOURCE, "dimension_source_url": dimensions.SOURCE_URL,
        "changes": [
            {"key": "improved", "title": _("Förbättrats mest"), "rows": improved,
             "empty": _("Inget nyckeltal har gått åt det önskade hållet.")},
            {"key": "worsened", "title": _("Försämrats mest"), "rows": worsened,
             "empty": _("Inget nyckeltal har gått åt fel håll.")},
        ],
        "comparison": comparison_rows(figures, area, region, country, values),
        "coverage": coverage(figures, area, values, with_data),
        "n_figures": len(figures),
        "method": METHOD_NAMES[DEFAULT_METHOD],
        "batch": ImportBatch.objects.filter(id__in=batches).select_related("source").order_by("-finished_at").first(),
    })

