"""Finding a municipality by name or code: the home page's search as you type, and its form without JavaScript."""

from django.shortcuts import render

from millennium.places.models import Area

from .sorting import swedish_sort_key

#: How many matches the live list shows; the count says how many there are in all.
SHOWN = 10


def matching_municipalities(query: str) -> list[Area]:
    """Municipalities whose code starts with `query` or whose name contains it, ignoring case; best first.

    Compared in Python, not with SQL LIKE: SQLite folds the case of ASCII letters only, so "MALMÖ" would not
    find Malmö there. There are 290 municipalities; reading them is cheaper than any index.
    Order: exact code or name, then names that start with the query, then other name matches, alphabetically.
    """
    wanted = query.strip().casefold()
    if not wanted:
        return []
    ranked = []
    for area in Area.objects.filter(level=Area.Level.MUNICIPALITY).only("code", "name"):
        name = area.name.casefold()
        if area.code == wanted or name == wanted:
            rank = 0
        elif area.code.startswith(wanted) or name.startswith(wanted):
            rank = 1
        elif wanted in name:
            rank = 2
        else:
            continue
        ranked.append((rank, swedish_sort_key(area.name), area))
    return [area for *_, area in sorted(ranked, key=lambda item: item[:2])]


def municipality_search(request):
    """The live list under the home page's search field (htmx): up to `SHOWN` matches as links, and a count."""
    query = request.GET.get("q", "")
    found = matching_municipalities(query)
    return render(request, "web/find_results.html", {
        "query": query.strip(), "municipalities": found[:SHOWN], "total": len(found),
    })
