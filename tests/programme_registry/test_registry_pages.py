"""The public registry: designated municipalities, ended designations apart, the count over time against the goal
(equal to the Designation rows), and the map of all 290 municipalities with its table."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from millennium.programme.models import Designation
from millennium.programme.registry import Span, count_over_time

pytestmark = pytest.mark.django_db
URL = "/utmarkelser/millenniekommun/"


def section(html: str, table_id: str) -> str:
    start = html.index(f'id="{table_id}"')
    return html[start:html.index("</table>", start)]


def json_script(html: str, element_id: str):
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def in_force_on(day: datetime.date) -> int:
    """Counted the slow way, row by row: municipalities whose designation was in force on `day`."""
    return len({d.organisation_id for d in Designation.objects.all()
                if d.valid_from <= day <= d.valid_until
                and (d.lapsed_at is None or timezone.localdate(d.lapsed_at) > day)})


def test_the_registry_lists_the_designated_and_the_ended_apart(client, registry_data):
    response = client.get(URL)
    html = response.content.decode()

    assert response.status_code == 200
    assert re.search(r"<h1>\s*Millenniekommun\s*</h1>", html)
    designated, ended = section(html, "designated-table"), section(html, "ended-table")
    assert "Malmö stad" in designated and "Lunds kommun" in designated
    assert "Uppsala kommun" not in designated and "Umeå kommun" not in designated
    assert "Uppsala kommun" in ended and "Umeå kommun" in ended and "Malmö stad" not in ended
    assert "8 september 2010" in designated
    malmo = registry_data["malmo"]
    assert f'href="/utmarkelser/millenniekommun/{malmo.pk}/diplom.pdf"' in designated
    assert "diplom.pdf" not in ended  # no diploma for an ended designation
    assert "2 kommuner är utmärkta i dag, av programmets mål 100 (2 %)." in html


def test_a_municipality_designated_again_is_not_listed_as_ended(client, registry_data, designate):
    designate("0380", datetime.date(2020, 1, 1), timezone.localdate() + datetime.timedelta(days=100),
              name="Uppsala kommun")
    html = client.get(URL).content.decode()
    assert "Uppsala kommun" in section(html, "designated-table")
    assert "Uppsala kommun" not in section(html, "ended-table")


def test_the_count_over_time_equals_the_designation_rows(client, registry_data):
    response = client.get(URL)
    rows = response.context["over_time"]
    today = timezone.localdate()

    assert [r["year"] for r in rows] == list(range(2010, today.year + 1))
    for row in rows:
        day = datetime.date(row["year"], 12, 31) if row["year"] < today.year else today
        assert row["designated"] == in_force_on(day), row
        assert row["new"] == Designation.objects.filter(valid_from__year=row["year"]).count()
        assert row["goal"] == 100
    assert [r["designated"] for r in rows[:5]] == [1, 2, 3, 4, 3]  # 2010–2014: Uppsala lapsed in May 2014
    assert rows[-1]["designated"] == 2 == len(response.context["active"])

    table = section(response.content.decode(), "over-time-table")
    assert re.search(r'<th scope="row">2014</th>\s*<td class="n">3</td><td class="n">0</td><td class="n">100</td>',
                     table)
    chart = json_script(response.content.decode(), "count-spec")
    bars, goal = chart["layer"]
    assert [v["designated"] for v in bars["data"]["values"]] == [r["designated"] for r in rows]
    assert goal["data"]["values"][0]["goal"] == 100


def test_the_map_has_all_290_municipalities_and_a_table(client, registry_data):
    html = client.get(URL).content.decode()
    spec = json_script(html, "map-spec")
    values = {row["code"]: row for row in spec["data"]["values"]}

    assert len(values) == 290
    assert values["1280"]["status"] == "Utmärkt" and values["1281"]["status"] == "Utmärkt"
    assert values["0380"]["status"] == "Utmärkelsen har upphört"
    assert values["0180"]["status"] == "Inte utmärkt"
    assert spec["mark"]["type"] == "geoshape"
    assert spec["transform"][0]["from"]["data"]["url"].startswith("/karta/kommuner.json?v=")
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Utmärkt", "Utmärkelsen har upphört", "Inte utmärkt"]
    table = section(html, "map-table")
    assert table.count("<tr data-code=") == 290
    assert re.search(r'<tr data-code="1280"><th scope="row"><a href="/kommun/1280/">Malmö</a></th><td>[^<]+</td>'
                     r'<td>Utmärkt</td>', table)
    assert 'data-chart="map-spec"' in html and 'data-chart="count-spec"' in html


def test_the_list_of_programmes(client, registry_data):
    html = client.get("/utmarkelser/").content.decode()
    assert '<a href="/utmarkelser/millenniekommun/">Millenniekommun</a>' in html
    assert re.search(r'<td class="n">2</td>\s*<td class="n">100</td>', html)


def test_english_pages_and_unknown_programmes(client, registry_data):
    response = client.get(f"/en{URL}")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html and "Millennium Municipality" in html
    assert f'href="/en/utmarkelser/millenniekommun/{registry_data["malmo"].pk}/diplom.pdf"' in html
    assert client.get("/utmarkelser/finns-inte/").status_code == 404


def test_a_programme_without_designations(client, programme):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["over_time"] == []
    assert "Programmet har inte utmärkt någon kommun ännu." in response.content.decode()
    assert len(json_script(response.content.decode(), "map-spec")["data"]["values"]) == 290


# ---- the count itself ----

def test_a_municipality_counts_once_a_year_and_a_lapse_ends_its_count():
    d = datetime.date
    spans = [Span(1, d(2010, 9, 8), d(2012, 6, 30)), Span(1, d(2012, 7, 1), d(2030, 1, 1)),  # renewed as a new row
             Span(2, d(2011, 1, 1), d(2011, 12, 30)),  # ended the day before new year's eve
             Span(3, d(2012, 12, 31), d(2012, 12, 31))]  # one day, the last of the year
    rows = count_over_time(spans, today=d(2013, 3, 1), goal=100)
    assert [(r["year"], r["designated"], r["new"]) for r in rows] == [
        (2010, 1, 1), (2011, 1, 1), (2012, 2, 2), (2013, 1, 0)]
    assert rows[-1]["day"] == d(2013, 3, 1) and rows[-1]["is_today"]
    assert count_over_time([], today=d(2013, 3, 1), goal=100) == []
