"""The REST API's read endpoints against the real data: values equal to the Kolada CSV files, paging, filters,
CSV, errors and conditional GET."""

import csv
import io

import pytest

from millennium.frameworks.models import Goal
from tests.web.kolada_values import kolada, series

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_observations_equal_the_kolada_files(client):
    answer = client.get(f"{API}/observations", {"measure": "N00945", "area": ["1280", "0180"], "limit": 10000})
    assert answer.status_code == 200
    page = answer.json()
    expected = {key: value for key, value in kolada("N00945").items() if key[0] in ("1280", "0180")}
    assert page["count"] == len(expected) > 0
    got = {(r["area"], r["year"], r["sex"]): r["value"] for r in page["items"]}
    assert got == pytest.approx(expected)
    assert {r["measure"] for r in page["items"]} == {"N00945"}
    assert all(isinstance(r["batch"], int) for r in page["items"])
    # Ordered by area, year, sex.
    keys = [(r["area"], r["year"], r["sex"]) for r in page["items"]]
    assert keys == sorted(keys)


def test_observations_filter_by_period_and_sex(client):
    page = client.get(f"{API}/observations", {"measure": "N00090", "area": "1280", "from": 2015, "to": 2020,
                                              "sex": "K"}).json()
    expected = {y: v for y, v in series("N00090", "1280", "K").items() if 2015 <= y <= 2020}
    assert expected and {r["year"]: r["value"] for r in page["items"]} == pytest.approx(expected)
    assert {r["sex"] for r in page["items"]} == {"K"}


def test_observations_paging(client):
    whole = client.get(f"{API}/observations", {"measure": "N00945", "limit": 10000}).json()
    assert whole["count"] == len(kolada("N00945"))
    first = client.get(f"{API}/observations", {"measure": "N00945", "limit": 50}).json()
    second = client.get(f"{API}/observations", {"measure": "N00945", "limit": 50, "offset": 50}).json()
    assert (first["limit"], second["offset"]) == (50, 50)
    assert first["items"] + second["items"] == whole["items"][:100]
    assert client.get(f"{API}/observations", {"measure": "N00945", "limit": 10001}).status_code == 422


def test_observations_as_csv(client):
    answer = client.get(f"{API}/observations", {"measure": "N00945", "area": "1280", "format": "csv"})
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    assert list(rows[0]) == ["measure", "area", "year", "sex", "value", "batch"]
    got = {(r["area"], int(r["year"]), r["sex"]): float(r["value"]) for r in rows}
    assert got == pytest.approx({k: v for k, v in kolada("N00945").items() if k[0] == "1280"})


def test_frameworks_goals_and_targets(client):
    assert {f["code"] for f in client.get(f"{API}/frameworks").json()} >= {"mdg", "sdg"}
    goals = client.get(f"{API}/frameworks/sdg/goals").json()
    assert len(goals) == 17
    eleven = Goal.objects.get(framework__code="sdg", code="11")
    assert goals[10] == {"code": "11", "number": 11, "short_sv": eleven.short_sv, "short_en": eleven.short_en,
                              "title_sv": eleven.title_sv, "title_en": eleven.title_en}
    targets = client.get(f"{API}/goals/sdg/11/targets").json()
    assert [t["code"] for t in targets] == list(eleven.targets.order_by("position").values_list("code", flat=True))
    assert sum(len(t["indicators"]) for t in targets) > 0
    # MDG 1 has three targets (1.A, 1.B, 1.C) with their indicators.
    mdg = client.get(f"{API}/goals/mdg/1/targets").json()
    assert [t["code"] for t in mdg] == ["1.A", "1.B", "1.C"]
    assert "1.1" in [i["code"] for i in mdg[0]["indicators"]]


def test_areas(client):
    regions = client.get(f"{API}/areas", {"level": "region"}).json()
    assert regions["count"] == 21
    assert "geometry" not in regions["items"][0]
    skane = client.get(f"{API}/areas", {"level": "municipality", "parent": "12"}).json()
    assert skane["count"] == 33 and {"code": "1280", "name": "Malmö", "level": "municipality", "parent": "12"} in \
        skane["items"]
    malmo = client.get(f"{API}/areas/1280").json()
    assert malmo["name"] == "Malmö" and malmo["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_measures(client):
    found = client.get(f"{API}/measures", {"goal": "11", "source": "kolada", "limit": 10000}).json()
    assert found["count"] == len(found["items"]) > 0
    assert {m["source"] for m in found["items"]} == {"kolada"}
    searched = client.get(f"{API}/measures", {"q": "N00945"}).json()
    assert [m["code"] for m in searched["items"]] == ["N00945"]
    one = client.get(f"{API}/measures/N00945").json()
    assert one["code"] == "N00945" and one["title_sv"] and one["source"] == "kolada"
    assert isinstance(one["goals"], list)


def test_peers(client):
    peers = client.get(f"{API}/peers/1280", {"k": 5}).json()
    assert len(peers) == 5 and "1280" not in [p["code"] for p in peers]
    assert [p["distance"] for p in peers] == sorted(p["distance"] for p in peers)


def test_assessments_answer_a_page(client):
    page = client.get(f"{API}/assessments", {"area": "1280", "method": "opensdg", "limit": 5}).json()
    assert page["limit"] == 5 and len(page["items"]) <= 5


@pytest.mark.parametrize("path", ["/areas/9999", "/measures/X99999", "/frameworks/xyz/goals", "/goals/sdg/99/targets",
                                  "/peers/12", "/observations?measure=X99999",
                                  "/observations?measure=N00945&area=1280&area=9999"])
def test_unknown_codes_are_404_with_a_message(client, path):
    answer = client.get(API + path)
    assert answer.status_code == 404 and "unknown" in answer.json()["detail"]


@pytest.mark.parametrize("query", ["sex=X&measure=N00945", "limit=0&measure=N00945", "from=abc&measure=N00945",
                                   "area=1280", "measure=%3Dcmd", "measure=", "format=xml&measure=N00945"])
def test_bad_parameters_are_422(client, query):
    answer = client.get(f"{API}/observations?{query}")
    assert answer.status_code == 422 and answer.json()["detail"]


def test_conditional_get(client):
    first = client.get(f"{API}/observations", {"measure": "N00945", "area": "1280"})
    etag = first["ETag"]
    assert etag
    again = client.get(f"{API}/observations", {"measure": "N00945", "area": "1280"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert client.get(f"{API}/frameworks", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_openapi_document_and_no_cdn_docs(client):
    document = client.get(f"{API}/openapi.json").json()
    assert "/api/v1/observations" in document["paths"]
    assert client.get(f"{API}/docs").status_code == 404
