"""The first pages: home with the goals, and the municipality overview of Malmö, numbers as in Kolada."""

import re

import pytest

from tests.web.kolada_values import series, swedish

pytestmark = pytest.mark.django_db


def test_home_lists_goals_and_municipalities(client):
    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ingen fattigdom" in html and "Genomförande och globalt partnerskap" in html
    assert html.count('class="tile sdg-') == 17
    assert html.count('class="tile mdg"') == 8
    assert '<a href="/kommun/1280/">Malmö</a>' in html
    assert "Senaste import:" in html


@pytest.mark.parametrize(("query", "location"), [("1280", "/kommun/1280/"), ("malmö", "/kommun/1280/"),
                                                 ("Kiruna", "/kommun/2584/")])
def test_find_municipality_redirects(client, query, location):
    response = client.get("/kommun/", {"q": query})
    assert (response.status_code, response["Location"]) == (302, location)


def test_find_municipality_lists_candidates(client):
    response = client.get("/kommun/", {"q": "borg"})
    assert response.status_code == 200
    assert "Vänersborg" in response.content.decode()


def test_unknown_municipality_is_404(client):
    assert client.get("/kommun/9999/").status_code == 404
    assert client.get("/kommun/01/").status_code == 404


# The municipality overview: goals as tiles, largest changes, Malmö beside Skåne and Sweden, coverage, dimensions.

def linked_kpis(goal: str | None = None) -> list[str]:
    """The Kolada key figures linked to SDG goals (to one goal), from the store's links."""
    from millennium.statistics.models import MeasureLink

    links = MeasureLink.objects.filter(goal__framework__code="sdg", measure__source__code="kolada")
    if goal:
        links = links.filter(goal__code=goal)
    return sorted(links.values_list("measure__code", flat=True))


def directions() -> dict[str, int]:
    from millennium.statistics.goal_mapping import read_goal_mapping

    return {row["kpi"]: {"up": 1, "down": -1}[row["direction"]] for row in read_goal_mapping() if row["direction"]}


def test_overview_shows_17_goal_tiles_with_status_counts_and_links(client):
    import numpy as np

    from millennium.analysis.progress.opensdg import status_from_score
    from millennium.statistics.models import Assessment
    from millennium.web.statuses import STATUS_LABELS

    html = client.get("/kommun/1280/").content.decode()

    tiles = re.findall(r'<li class="goal-tile level-(\d)">(.*?)</li>\s*(?=<li class="goal-tile|</ul>\s*<p)', html, re.S)
    assert len(tiles) == 17
    for number, (_, tile) in enumerate(tiles, start=1):
        assert f'<a class="goal-link" href="/kommun/1280/mal/{number}/"><span class="num">{number}</span>' in tile
    # Goal 13 by hand: the mean score of Malmö's assessed goal-13 key figures, Open SDG's indicator rule.
    assessed = Assessment.objects.filter(area__code="1280", sex="T", method="opensdg",
                                         measure__code__in=linked_kpis("13"))
    scores = [a.score for a in assessed if a.score is not None]
    expected = STATUS_LABELS[status_from_score(np.mean(scores)).item()]
    level, tile = tiles[12]
    assert f'">{expected}</span>' in tile
    counts = [int(n) for n in re.findall(r'aria-hidden="true"></span>(\d+) ', tile)]
    assert sum(counts) == len(linked_kpis("13"))
    assert "Inga nyckeltal kopplade" in tiles[16][1]  # goal 17: no Kolada key figure linked


def malmo_changes() -> list[tuple[str, float, int, float, int, float]]:
    """(kpi, base value, base year, current value, current year, annual change in the desired direction) of every
    linked key figure, from the CSV files: base = first year from 2015, as Open SDG's method takes it."""
    changes = []
    for kpi in linked_kpis():
        values = series(kpi, "1280")
        after = sorted(year for year in values if year >= 2015)
        if kpi not in directions() or len(after) < 2:
            continue
        base, current = values[after[0]], values[after[-1]]
        if base == 0 or current / base <= 0:
            continue
        growth = (current / base) ** (1 / (after[-1] - after[0])) - 1
        changes.append((kpi, base, after[0], current, after[-1], directions()[kpi] * (-1 if base < 0 else 1) * growth))
    return sorted(changes, key=lambda c: -c[5])


def test_overview_lists_the_largest_improvements_and_deteriorations_as_in_kolada(client):
    html = client.get("/kommun/1280/").content.decode()

    changes = malmo_changes()
    expected = {"improved": [c for c in changes if c[5] > 0][:5],
                "worsened": [c for c in changes[::-1] if c[5] < 0][:5]}
    for key, rows in expected.items():
        table = html[html.index(f'<table class="change-list" id="{key}">'):]
        table = table[:table.index("</table>")]
        shown = re.findall(r'<tr data-measure="(\w+)">.*?href="/kommun/1280/nyckeltal/\1/".*?'
                           r'<span class="then">([^<]+)</span> <span class="muted">\((\d{4})\)</span>.*?'
                           r'<span class="now">([^<]+)</span> <span class="muted">\((\d{4})\)</span>', table, re.S)
        assert len(rows) == 5
        assert shown == [(kpi, swedish(base), str(base_year), swedish(now), str(year))
                         for kpi, base, base_year, now, year, _ in rows]


def test_overview_compares_with_skane_and_sweden_as_in_kolada(client):
    html = client.get("/kommun/1280/").content.decode()

    table = html[html.index('<table class="comparison">'):]
    rows = re.findall(r'<tr data-measure="(\w+)">\s*<th scope="row"><a href="/kommun/1280/nyckeltal/\1/">.*?</th>\s*'
                      r'<td>\d+</td>\s*<td class="n">([^<]+)</td>\s*<td class="n">([^<]+)</td>\s*'
                      r'<td class="n">([^<]+)</td>\s*<td>(\d{4})</td>', table[:table.index("</table>")])
    with_data = [kpi for kpi in linked_kpis() if series(kpi, "1280")]
    assert sorted(row[0] for row in rows) == with_data
    assert "<th scope=\"col\" class=\"n\">Region Skåne</th>" in html
    for kpi, malmo, skane, sweden, year in rows:
        own, near, whole = series(kpi, "1280"), series(kpi, "12"), series(kpi, "0")
        choices = [own.keys() & near.keys() & whole.keys(), own.keys() & whole.keys(), own.keys() & near.keys(),
                   own.keys()]
        common = max(next(years for years in choices if years))
        assert (malmo, skane, sweden, year) == (
            swedish(own[common]), swedish(near[common]) if common in near else "–",
            swedish(whole[common]) if common in whole else "–", str(common)), kpi
    # Greenhouse gases (lower is better): Malmö 2.0 t per inhabitant in 2022, Sweden 4.29.
    emissions = table[table.index('<tr data-measure="N00401">'):]
    assert emissions[:emissions.index("</tr>")].rstrip().endswith("<td>bättre</td>")


def test_overview_shows_data_coverage_as_in_kolada(client):
    html = client.get("/kommun/1280/").content.decode()

    kpis = linked_kpis()
    with_data = [kpi for kpi in kpis if series(kpi, "1280")]
    assert f"{len(with_data)} av de {len(kpis)} nyckeltal som hör till de globala målen har värden för Malmö." in html
    latest = {}
    for kpi in with_data:
        year = max(series(kpi, "1280"))
        latest[year] = latest.get(year, 0) + 1
    table = html[html.index('<table class="coverage">'):]
    table = table[:table.index("</table>")]
    shown = re.findall(r'<tr><th scope="row">(\d{4})</th><td class="n">(\d+)</td></tr>', table)
    assert shown == [(str(year), str(n)) for year, n in sorted(latest.items(), reverse=True)]
    missing = html[html.index('<ul class="missing">'):]
    for kpi in set(kpis) - set(with_data):
        assert f'<span class="code">{kpi}</span>' in missing[:missing.index("</ul>")]


def test_overview_dimensions_cover_every_goal_once_and_their_counts_add_up(client):
    response = client.get("/kommun/1280/")

    dimensions = response.context["dimensions"]
    tiles = {t["goal"].code: t for t in response.context["tiles"]}
    codes = [goal.code for d in dimensions for goal in d["goals"]]
    assert sorted(codes, key=int) == [str(n) for n in range(1, 18)]
    assert [d["key"] for d in dimensions] == ["ecological", "social", "economic", "partnership"]
    assert [goal.code for goal in dimensions[0]["goals"]] == ["6", "13", "14", "15"]
    for d in dimensions:
        assert d["n"] == sum(c["n"] for c in d["counts"]) == sum(tiles[g.code]["n"] for g in d["goals"])
        by_status = {}
        for goal in d["goals"]:
            for c in tiles[goal.code]["counts"]:
                by_status[c["code"]] = by_status.get(c["code"], 0) + c["n"]
        assert {c["code"]: c["n"] for c in d["counts"]} == by_status
    assert sum(d["n"] for d in dimensions) == len(linked_kpis())
    html = response.content.decode()
    assert "Ekologisk hållbarhet" in html and "stockholmresilience.org" in html


def test_overview_links_to_the_other_municipality_pages(client):
    html = client.get("/kommun/1280/").content.decode()

    for href in ("/kommun/1280/jamstalldhet/", "/kommun/1280/bakgrund/", "/region/12/", "/kommun/1280/rapportering/",
                 "/kommun/1280/mal/mdg-1/"):
        assert f'href="{href}"' in html


def test_overview_in_english(client):
    response = client.get("/en/kommun/1280/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert '<a class="goal-link" href="/en/kommun/1280/mal/11/"><span class="num">11</span> <span class="name">' \
           'Sustainable cities and communities</span></a>' in html


def test_overview_leaves_out_other_countries_series(client):
    from millennium.statistics.open_sdg_import import import_open_sdg
    from tests.conftest import DATA

    import_open_sdg(DATA / "open-sdg-canada", country="CAN")

    for page in ("/kommun/1280/", "/kommun/1280/mal/13/"):
        html = client.get(page).content.decode()
        assert "open-sdg:" not in html
        assert "N00401" in html


def test_overview_needs_few_queries(client, django_assert_max_num_queries):
    # area, links, values, assessments, SDG and MDG goals, import batch; and the page cache's data version (2)
    with django_assert_max_num_queries(10):
        assert client.get("/kommun/2584/").status_code == 200
