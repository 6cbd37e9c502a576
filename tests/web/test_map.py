"""The map: a key figure for all 290 municipalities (table and Vega-Lite spec), by value or by status, and the
boundaries served once as GeoJSON. Numbers are checked against the Kolada CSV files."""

import csv
import gzip
import json
import re

import pytest
from django.utils import translation

from millennium.web.map_chart import value_classes
from millennium.web.templatetags.numbers import figure
from tests.conftest import KOLADA

pytestmark = pytest.mark.django_db

KPI = "N00945"  # temporary parental benefit days taken by men (%), linked to SDG 5


def kolada_totals(kpi: str) -> dict[tuple[str, int], float]:
    with (KOLADA / f"datapoints--by--geo--year/ddf--datapoints--{kpi.lower()}--by--geo--year.csv").open() as f:
        return {(r["geo"], int(r["year"])): float(r[kpi.lower()]) for r in csv.DictReader(f)}


def municipality_codes() -> set[str]:
    with (KOLADA / "ddf--entities--geo--kommun.csv").open() as f:
        return {r["kommun"] for r in csv.DictReader(f)}


def shown_number(text: str) -> float | None:
    """A number as the sv-SE pages show it (1 234,5) back to a float; '–' is no value."""
    text = text.strip()
    return None if text == "–" else float(text.replace("\xa0", "").replace(" ", "").replace(",", "."))


def table_rows(html: str) -> dict[str, tuple[str, float | None, str]]:
    """code → (name, value, status label) from the map's table."""
    rows = re.findall(r'<tr data-code="(\d{4})"><th scope="row"><a href="[^"]+">([^<]+)</a></th><td>[^<]*</td>'
                      r'<td class="n">([^<]+)</td><td><span class="status status-\d">([^<]+)</span>', html)
    return {code: (name, shown_number(value), label) for code, name, value, label in rows}


def spec(html: str, chart_id: str = "map-spec") -> dict:
    return json.loads(re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html, re.S)[1])


def test_map_shows_all_290_municipalities_with_kolada_values_for_the_latest_year(client):
    kolada = kolada_totals(KPI)
    codes = municipality_codes()
    latest = max(year for geo, year in kolada if geo in codes)

    response = client.get(f"/karta/{KPI}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{latest}" selected>{latest}</option>' in html
    rows = table_rows(html)
    assert set(rows) == codes and len(rows) == 290
    for code, (_name, value, _label) in rows.items():
        expected = kolada.get((code, latest))
        assert (value is None) == (expected is None), code
        if expected is not None:
            assert value == pytest.approx(round(expected, 2), abs=1e-9), code
    data = {d["code"]: d for d in spec(html)["data"]["values"]}
    assert len(data) == 290
    assert {code: data[code]["value"] for code in codes} == pytest.approx(
        {code: kolada.get((code, latest)) for code in codes}, rel=1e-12)
    assert data["1280"]["href"] == "/kommun/1280/" and data["1280"]["name"] == "Malmö"
    assert data["1280"]["region"] == "Region Skåne"
    with translation.override("sv"):
        assert f"Riket: {figure(kolada[('0', latest)])}." in html  # Sweden's value in the summary


def test_map_for_an_earlier_year_and_its_geometry_reference(client):
    kolada = kolada_totals(KPI)

    html = client.get(f"/karta/{KPI}/", {"ar": "2015"}).content.decode()

    rows = table_rows(html)
    assert rows["0180"][1] == pytest.approx(round(kolada[("0180", 2015)], 2))
    assert rows["2584"][0] == "Kiruna"
    chart = spec(html)
    lookup = chart["transform"][0]
    assert lookup["lookup"] == "code" and lookup["from"]["key"] == "properties.code"
    assert lookup["from"]["data"]["format"] == {"type": "json", "property": "features"}
    assert re.fullmatch(r"/karta/kommuner\.json\?v=[0-9a-f]{16}", lookup["from"]["data"]["url"])
    assert chart["mark"]["type"] == "geoshape"
    # Value view: five classes of values, light to dark, in the legend's order.
    color = chart["encoding"]["color"]
    assert color["field"] == "class" and len(color["scale"]["domain"]) == 5


def test_a_year_without_values_falls_back_to_the_latest_with_a_message(client):
    latest = max(year for geo, year in kolada_totals(KPI) if geo in municipality_codes())
    html = client.get(f"/karta/{KPI}/", {"ar": "1950"}).content.decode()
    assert f"Det finns inga värden för år 1950; kartan visar {latest}." in html


def test_status_view_colours_by_the_assessment_and_shows_its_labels(client):
    from millennium.statistics.models import Assessment
    from millennium.web.statuses import STATUS_LABELS, STATUS_LEVELS

    html = client.get(f"/karta/{KPI}/", {"visa": "status"}).content.decode()

    assessed = {a.area.code: a.status for a in Assessment.objects.filter(
        measure__code=KPI, sex="T", method="opensdg", area__level="municipality").select_related("area")}
    rows = table_rows(html)
    assert len(rows) == 290
    for code, (_name, _value, label) in rows.items():
        assert label == str(STATUS_LABELS[assessed.get(code, "not_available")]), code
    color = spec(html)["encoding"]["color"]
    assert color["field"] == "status"
    shown = sorted(set(assessed.values()), key=STATUS_LEVELS.get)
    assert color["scale"]["domain"] == [str(STATUS_LABELS[s]) for s in shown]
    assert len(color["scale"]["range"]) == len(shown)
    assert 'id="nyckeltal"' in html and 'value="status" checked' in html
    assert "Kommuner per status" in html


def test_geometries_are_one_cacheable_feature_collection_of_the_290_municipalities(client):
    page = client.get(f"/karta/{KPI}/").content.decode()
    url = spec(page)["transform"][0]["from"]["data"]["url"]

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "immutable" in response["Cache-Control"] and "max-age=31536000" in response["Cache-Control"]
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert len(features) == 290
    assert {f["properties"]["code"] for f in features} == municipality_codes()
    malmo = next(f for f in features if f["properties"]["code"] == "1280")
    assert malmo["properties"]["name"] == "Malmö"
    # Outer rings run clockwise, as d3-geo (inside Vega) needs them: else it would fill the globe around them.
    for feature in features:
        polygons = feature["geometry"]["coordinates"]
        for polygon in polygons if feature["geometry"]["type"] == "MultiPolygon" else [polygons]:
            ring = polygon[0]
            twice_area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))
            assert twice_area < 0, feature["properties"]["code"]

    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    compressed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == response.content
    unversioned = client.get("/karta/kommuner.json")
    assert unversioned.content == response.content and "immutable" not in unversioned["Cache-Control"]


def test_choice_page_groups_key_figures_by_goal_and_leads_to_the_map(client):
    html = client.get("/karta/").content.decode()

    assert html.count("<optgroup ") >= 10
    assert re.search(r'<optgroup label="Mål 5: [^"]+">\s*(<option [^>]+>[^<]+</option>)*'
                     rf'<option value="{KPI}">', html)
    response = client.get("/karta/", {"nyckeltal": KPI, "ar": "2020", "visa": "status"})
    assert (response.status_code, response["Location"]) == (302, f"/karta/{KPI}/?ar=2020&visa=status")
    assert "Nyckeltalet \"X123\" finns inte" in client.get("/karta/", {"nyckeltal": "X123"}).content.decode()
    assert client.get("/karta/X123/").status_code == 404


def test_english_map_links_to_english_municipality_pages(client):
    response = client.get(f"/en/karta/{KPI}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert '<a href="/en/kommun/1280/">Malmö</a>' in html
    data = {d["code"]: d for d in spec(html)["data"]["values"]}
    assert data["1280"]["href"] == "/en/kommun/1280/"
    # One geometry file for both languages.
    assert spec(html)["transform"][0]["from"]["data"]["url"].startswith("/karta/kommuner.json?v=")


@translation.override("sv")
def test_value_classes_are_quintiles_with_ranges_as_labels():
    values = [float(v) for v in range(1, 101)] + [None]
    classes, domain, fills = value_classes(values)
    assert domain == ["1–20", "21–40", "41–60", "61–80", "81–100", "Inget värde"]
    assert classes[0] == "1–20" and classes[99] == "81–100" and classes[100] == "Inget värde"
    assert [classes.count(label) for label in domain] == [20, 20, 20, 20, 20, 1]
    assert len(fills) == 6 and fills[-1] == "#ffffff"
    # Few distinct values: fewer classes, still in order and apart.
    classes, domain, fills = value_classes([0.5, 0.5, 0.5, 2.25])
    assert domain == ["0,50", "2,25"] and len(fills) == 2
