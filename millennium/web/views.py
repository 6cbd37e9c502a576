"""The home page with the goals, and finding a municipality (its overview is municipality.py)."""

from django.db.models import Count
from django.shortcuts import redirect, render

from millennium.frameworks.models import Goal
from millennium.places.models import Area
from millennium.statistics.models import ImportBatch

from .search import matching_municipalities
from .sorting import swedish_sort_key


def home(request):
    goals = Goal.objects.select_related("framework").annotate(n_measures=Count("measure_links"))
    municipalities = sorted(Area.objects.filter(level=Area.Level.MUNICIPALITY).only("code", "name"),
                            key=lambda area: swedish_sort_key(area.name))
    return render(request, "web/home.html", {
        "sdg_goals": [g for g in goals if g.framework.code == "sdg"],
        "mdg_goals": [g for g in goals if g.framework.code == "mdg"],
        "municipalities": municipalities,
        "latest_import": ImportBatch.objects.select_related("source").first(),
    })


def find_municipality(request):
    """The search form without JavaScript: a code or a name (any case) leads to its page, else a list to choose.

    The same matching as the live list (`search.matching_municipalities`): an exact code or name, or a single
    match, goes straight to the municipality.
    """
    query = request.GET.get("q", "").strip()
    candidates = matching_municipalities(query)
    exact = candidates and query.casefold() in (candidates[0].code, candidates[0].name.casefold())
    if exact or len(candidates) == 1:
        return redirect("municipality", code=candidates[0].code)
    return render(request, "web/find.html", {"query": query, "candidates": candidates})

