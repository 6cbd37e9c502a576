"""The first pages: home with the goals, and Malmö's key figures by goal, numbers as in Kolada."""

import csv
import re

import pytest
from django.utils import translation

from tests.conftest import KOLADA

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


def test_municipality_page_shows_latest_values_as_in_kolada(client):
    response = client.get("/kommun/1280/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Malmö" in html
    with (KOLADA / "datapoints--by--geo--year/ddf--datapoints--n00401--by--geo--year.csv").open() as f:
        malmo = [r for r in csv.DictReader(f) if r["geo"] == "1280"]
    latest = max(malmo, key=lambda r: int(r["year"]))
    with translation.override("sv"):
        shown = f"{float(latest['n00401']):.2f}".rstrip("0").rstrip(".").replace(".", ",")
    row = re.search(r"N00401</span></th>\s*<td>13.2</td>\s*<td class=\"n\">([^<]+)</td>\s*<td>(\d{4})</td>", html)
    assert row is not None
    assert row.groups() == (shown, latest["year"])


def test_municipality_page_has_series_table_with_women_and_men(client):
    response = client.get("/kommun/1280/")

    html = response.content.decode()
    section = html[html.index("N00938"):]
    table = section[section.index("<table class=\"series\">"):section.index("</table>")]
    assert "<th scope=\"col\" class=\"n\">Kvinnor</th>" in table
    assert re.search(r"<th scope=\"row\">2022</th>", table)


def test_unknown_municipality_is_404(client):
    assert client.get("/kommun/9999/").status_code == 404
    assert client.get("/kommun/01/").status_code == 404


def test_municipality_page_shows_status_per_key_figure_and_goal(client):
    from millennium.statistics.models import Assessment
    from millennium.web.statuses import STATUS_LABELS

    html = client.get("/kommun/1280/").content.decode()

    emissions = Assessment.objects.get(measure__code="N00401", area__code="1280", sex="T", method="opensdg")
    row = html[html.index("N00401</span></th>"):]
    row = row[:row.index("</tr>")]
    assert f'">{STATUS_LABELS[emissions.status]}</span>' in row
    goal = html[html.index('id="goal-13"'):]
    assert '<p class="rollup"><span class="status status-' in goal[:400]
    assert "Open SDG:s metod" in html


def test_municipality_page_leaves_out_other_countries_series(client):
    from millennium.statistics.open_sdg_import import import_open_sdg
    from tests.conftest import DATA

    import_open_sdg(DATA / "open-sdg-canada", country="CAN")

    html = client.get("/kommun/1280/").content.decode()
    assert "open-sdg:" not in html
    assert "N00401" in html
