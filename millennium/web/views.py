"""The first public pages: the goals, and one municipality's key figures grouped by goal."""

from collections import defaultdict

import numpy as np
import pandas as pd

from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format

from millennium.analysis.progress.opensdg import indicator as rollup
from millennium.frameworks.models import Goal
from millennium.places.models import Area
from millennium.statistics.assessing import DEFAULT_METHOD
from millennium.statistics.models import Assessment, ImportBatch, Measure, MeasureLink, Observation

from .sparkline import sparkline
from .statuses import METHOD_NAMES, STATUS_LEVELS, status_display


def home(request):
    goals = Goal.objects.select_related("framework").annotate(n_measures=Count("measure_links"))
    municipalities = Area.objects.filter(level=Area.Level.MUNICIPALITY).order_by("name")
    return render(request, "web/home.html", {
        "sdg_goals": [g for g in goals if g.framework.code == "sdg"],
        "mdg_goals": [g for g in goals if g.framework.code == "mdg"],
        "municipalities": municipalities,
        "latest_import": ImportBatch.objects.select_related("source").first(),
    })


def find_municipality(request):
    """The search form on the home page: a code or a name (case-insensitive) leads to its page."""
    query = request.GET.get("q", "").strip()
    found = Area.objects.filter(level=Area.Level.MUNICIPALITY)
    match = found.filter(code=query).first() or found.filter(name__iexact=query).first()
    if match is None:
        candidates = found.filter(name__icontains=query).order_by("name") if query else found.none()
        if len(candidates) == 1:
            match = candidates[0]
        else:
            return render(request, "web/find.html", {"query": query, "candidates": candidates}, status=200)
    return redirect("municipality", code=match.code)


def municipality(request, code):
    area = get_object_or_404(Area.objects.select_related("parent"), code=code)
    if area.level != Area.Level.MUNICIPALITY:
        raise Http404("not a municipality")
    # Kolada's key figures (with or without values here, so gaps in coverage show) and any other source's
    # figures that have values for this municipality; not, say, another country's national series.
    with_data = set(Observation.objects.filter(area=area).values_list("measure_id", flat=True).distinct())
    links = [link for link in MeasureLink.objects.filter(goal__framework__code="sdg")
             .select_related("measure__source", "goal", "target")
             .order_by("goal__number", "target__position", "measure__code")
             if link.measure.source.code == "kolada" or link.measure_id in with_data]
    series: dict[int, dict[str, list[tuple[int, float]]]] = defaultdict(lambda: defaultdict(list))
    for measure_id, year, sex, value in (
        Observation.objects.filter(area=area, measure__in=[link.measure_id for link in links])
        .order_by("year").values_list("measure_id", "year", "sex", "value")
    ):
        series[measure_id][sex].append((year, value))

    assessments = {a.measure_id: a for a in Assessment.objects.filter(
        area=area, sex="T", method=DEFAULT_METHOD, measure__in=[link.measure_id for link in links])}
    goals = {}
    for link in links:
        measure = link.measure
        by_sex = series.get(measure.id, {})
        total = by_sex.get("T", [])
        years = sorted({year for points in by_sex.values() for year, _ in points})
        table = [
            {"year": year, **{sex: dict(points).get(year) for sex, points in by_sex.items()}}
            for year in years
        ]
        latest = total[-1] if total else None
        label = (f"{measure.title_sv}: {total[0][0]}–{latest[0]}, från {number_format(total[0][1])} "
                 f"till {number_format(latest[1])}" if latest else "")
        goal = goals.setdefault(link.goal.id, {"goal": link.goal, "figures": []})
        assessment = assessments.get(measure.id)
        goal["figures"].append({
            "measure": measure, "target": link.target, "latest": latest, "table": table,
            "split": "K" in by_sex, "chart": sparkline(total, label), "assessment": assessment,
            "status": status_display(assessment.status if assessment else "not_available"),
        })
    for goal in goals.values():
        _add_rollup(goal)
    batch = (ImportBatch.objects.filter(observations__area=area).select_related("source")
             .order_by("-finished_at").first())
    return render(request, "web/municipality.html", {
        "area": area, "goals": list(goals.values()), "batch": batch, "method": METHOD_NAMES[DEFAULT_METHOD],
        "n_figures": Measure.objects.filter(observations__area=area).distinct().count(),
    })


def _add_rollup(goal: dict) -> None:
    """The goal's status by Open SDG's indicator rule (mean score of its key figures), and counts per status."""
    figures = goal["figures"]
    scored = pd.DataFrame({
        "status": [f["assessment"].status if f["assessment"] else "not_available" for f in figures],
        "score": [f["assessment"].score if f["assessment"] and f["assessment"].score is not None else np.nan
                  for f in figures],
    })
    result = rollup(scored, [0] * len(figures), labels=[0]).iloc[0]
    goal["status"] = status_display(result["status"])
    goal["score"] = None if np.isnan(result["score"]) else result["score"]
    counts = scored["status"].value_counts()
    goal["counts"] = [{**status_display(code), "n": int(n)}
                      for code, n in sorted(counts.items(), key=lambda item: STATUS_LEVELS.get(item[0], 5))]
