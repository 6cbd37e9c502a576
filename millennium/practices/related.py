"""Published practices for the statistics pages: those on a goal, those on a key figure, and which to recommend
to a municipality that lags behind its similar municipalities.

One query per page: the practices come with their municipality, and everything else is worked out here.
"""

from collections import defaultdict
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse

from .models import Practice


def _published():
    # Real practices before our examples, newest first.
    return Practice.objects.published().select_related("municipality").order_by("is_example", "-published_at", "-id")


def list_url(**filters: str) -> str:
    """The practice list filtered, e.g. list_url(kommun="1281", nyckeltal="N01982")."""
    return f"{reverse('practices')}?{urlencode(filters)}"


def for_goal(goal, area) -> list[Practice]:
    """Practices tagged with the goal, the municipality's own first."""
    return sorted(_published().filter(goals=goal), key=lambda p: p.municipality_id != area.id)


def for_measure(area, measure, changes, goals: dict) -> dict:
    """What the key-figure page shows of the practices tagged with `measure`, read in one query.

    practices      all practices on the key figure, the municipality's own first
    peer_links     similar municipality code → {"n", "url", "goal"}: its practices on the key figure, or where it
                   has none, on a goal the key figure follows (`goals`: id → Goal), for the table of who improved
                   most ("goal" is None for the key figure itself)
    recommended    when the municipality lags behind (`changes` ranked and a similar municipality improved
                   more): the practices on the key figure of those that did, best improver first
    """
    from millennium.web.goal_page import goal_slug  # not at the top: goal_page imports this module

    peers = [row.code for row in changes.rows if row.code != area.code] if changes else []
    on_measure = Practice.measures.through.objects.filter(practice=OuterRef("pk"), measure=measure)
    on_goal = (Practice.goals.through.objects.filter(practice=OuterRef("pk"), goal__in=list(goals))
               .order_by("-goal__framework__code", "goal__number").values("goal_id")[:1])
    found = list(_published().annotate(on_measure=Exists(on_measure), on_goal=Subquery(on_goal))
                 .filter(Q(on_measure=True) | Q(municipality__code__in=peers, on_goal__isnull=False)))
    by_code: dict[str, list[Practice]] = defaultdict(list)
    for p in found:
        by_code[p.municipality.code].append(p)

    peer_links = {}
    for code in peers:
        about_measure = [p for p in by_code[code] if p.on_measure]
        if about_measure:
            peer_links[code] = {"n": len(about_measure), "goal": None,
                                "url": list_url(kommun=code, nyckeltal=measure.code)}
        elif by_code[code]:
            goal = goals[by_code[code][0].on_goal]
            peer_links[code] = {"n": sum(p.on_goal == goal.id for p in by_code[code]), "goal": goal,
                                "url": list_url(kommun=code, mal=goal_slug(goal))}

    recommended = []
    own = next((row for row in changes.rows if row.code == area.code), None) if changes else None
    if changes and changes.ranked and own is not None and own.rank is not None:
        for row in changes.rows:
            if row.rank is not None and row.rank < own.rank:
                recommended += [{"practice": p, "rank": row.rank, "change": row.change}
                                for p in by_code[row.code] if p.on_measure]
    practices = sorted((p for p in found if p.on_measure), key=lambda p: p.municipality_id != area.id)
    return {"practices": practices, "peer_links": peer_links, "recommended": recommended,
            "own_rank": own.rank if own else None}
