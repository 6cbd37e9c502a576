"""The API's gap and practice endpoints: the same numbers as the web's statistics modules, published practices
only, filters and full-text search, conditional GET."""

from pathlib import Path

import pytest
from django.utils import timezone

from millennium.frameworks.models import Goal
from millennium.places.models import Area
from millennium.practices.models import Practice
from millennium.statistics import area_gaps
from millennium.statistics.areas_csv_import import import_areas_csv
from millennium.statistics.gender_gaps import gender_gaps
from millennium.statistics.models import Measure
from tests.web.kolada_values import series

pytestmark = pytest.mark.django_db
API = "/api/v1"
EXAMPLE = (Path(__file__).resolve().parents[2] / "millennium" / "statistics" / "data"
           / "omradesdata-exempel-FIKTIVA-VARDEN.csv")


def test_gender_gaps_equal_the_statistics_module_and_the_kolada_files(client):
    answer = client.get(f"{API}/gaps/gender/1280")
    assert answer.status_code == 200
    items = {item["measure"]: item for item in answer.json()["items"]}
    expected = gender_gaps("1280")
    assert list(items) == [g.measure.code for g in expected]
    for gap in expected[:20]:
        item = items[gap.measure.code]
        assert (item["status"], item["base_year"]) == (gap.status, gap.base_year)
        assert item["current_gap"] == pytest.approx(gap.current_gap, nan_ok=True)
        assert [y["year"] for y in item["years"]] == [y.year for y in gap.years]
    # Women and men of one key figure as in the Kolada files.
    one = client.get(f"{API}/gaps/gender/1280", {"measure": "N00090"}).json()["items"]
    assert [i["measure"] for i in one] == ["N00090"]
    women, men = series("N00090", "1280", "K"), series("N00090", "1280", "M")
    for year in one[0]["years"]:
        assert (year["women"], year["men"]) == pytest.approx((women[year["year"]], men[year["year"]]))
        assert year["gpi"] == pytest.approx(women[year["year"]] / men[year["year"]])


def test_region_spread_equals_the_region_overview(client):
    page = client.get(f"{API}/gaps/spread/12").json()
    assert page["level"] == "municipality" and page["method"] == "opensdg"
    expected = area_gaps.region_overview("12")
    assert [i["measure"] for i in page["items"]] == [r.measure.code for r in expected]
    first = page["items"][0]
    assert first["cov"] == pytest.approx(expected[0].cov) and first["status"] == expected[0].status
    detail = client.get(f"{API}/gaps/spread/12/N00945").json()
    spread = area_gaps.area_spread("12", "N00945")
    assert [y["cov"] for y in detail["years"]] == pytest.approx([y.cov for y in spread.years], nan_ok=True)
    assert len(detail["latest"]) == Area.objects.filter(parent__code="12").count() == 33
    assert detail["status"] == spread.status


def test_district_spread_of_a_municipality(client):
    import_areas_csv(EXAMPLE)
    overview = client.get(f"{API}/gaps/spread/1280").json()
    assert overview["levels"] == area_gaps.district_levels("1280") and overview["levels"]
    level = overview["level"]
    assert level == overview["levels"][0]
    assert [i["measure"] for i in overview["items"]] == \
        [r.measure.code for r in area_gaps.district_overview("1280", level)]
    code = overview["items"][0]["measure"]
    detail = client.get(f"{API}/gaps/spread/1280/{code}", {"level": level}).json()
    assert detail["level"] == level
    assert [y["cov"] for y in detail["years"]] == pytest.approx(
        [y.cov for y in area_gaps.area_spread("1280", code, level=level).years], nan_ok=True)
    # Districts exist only below a municipality.
    assert client.get(f"{API}/gaps/spread/12", {"level": "regso"}).status_code == 404


@pytest.mark.parametrize("path", ["/gaps/gender/9999", "/gaps/spread/9999", "/gaps/spread/12/X99999",
                                  "/gaps/gender/1280?measure=X99999"])
def test_unknown_codes_are_404(client, path):
    answer = client.get(API + path)
    assert answer.status_code == 404 and "unknown" in answer.json()["detail"]


@pytest.fixture
def practices(db):
    """Two published practices (Malmö, Lund) and a draft of Malmö's."""
    made = {}
    for key, code, title, status in [("malmo", "1280", "Jämställdhet i förskolan", "published"),
                                     ("lund", "1281", "Cykelvägar till skolan", "published"),
                                     ("draft", "1280", "Jämställdhetsarbete, utkast", "draft")]:
        practice = Practice.objects.create(
            municipality=Area.objects.get(code=code), title=title, summary="Kort.", body="Vi arbetade.",
            status=status, published_at=timezone.now() if status == "published" else None)
        made[key] = practice
    made["malmo"].goals.set([Goal.objects.get(framework__code="sdg", code="5")])
    made["malmo"].measures.set([Measure.objects.get(code="N00945")])
    made["draft"].goals.set([Goal.objects.get(framework__code="sdg", code="5")])
    return made


def test_practices_are_published_only_and_filtered(client, practices):
    every = client.get(f"{API}/practices", {"limit": 10000}).json()
    ids = [p["id"] for p in every["items"]]
    assert practices["malmo"].id in ids and practices["lund"].id in ids and practices["draft"].id not in ids
    assert every["count"] == Practice.objects.published().count()
    by_goal = client.get(f"{API}/practices", {"goal": "5", "limit": 10000}).json()["items"]
    assert practices["malmo"].id in [p["id"] for p in by_goal] and practices["lund"].id not in [p["id"] for p in by_goal]
    in_lund = client.get(f"{API}/practices", {"municipality": "1281"}).json()["items"]
    assert {p["municipality"] for p in in_lund} == {"1281"}
    by_measure = client.get(f"{API}/practices", {"measure": "N00945"}).json()["items"]
    assert [p["id"] for p in by_measure] == [practices["malmo"].id]
    one = client.get(f"{API}/practices/{practices['malmo'].id}").json()
    assert one["goals"] == [{"framework": "sdg", "code": "5"}] and one["measures"] == ["N00945"]
    assert one["url"] == f"/praktiker/{practices['malmo'].id}/" and one["status"] == "published"
    assert client.get(f"{API}/practices/{practices['draft'].id}").status_code == 404


def test_practices_full_text_search_in_swedish(client, practices):
    # Typed without å, ä, ö, and the first part of a compound: finds Malmö's, not the draft, not Lund's.
    found = client.get(f"{API}/practices", {"q": "jamstalldhet", "municipality": "1280"}).json()
    assert [p["id"] for p in found["items"]] == [practices["malmo"].id] and found["count"] == 1
    assert client.get(f"{API}/practices", {"q": "cykelvägar"}).json()["items"][0]["id"] == practices["lund"].id


def test_practices_conditional_get_changes_when_one_is_published(client, practices):
    etag = client.get(f"{API}/practices")["ETag"]
    assert client.get(f"{API}/practices", HTTP_IF_NONE_MATCH=etag).status_code == 304
    draft = practices["draft"]
    draft.status, draft.published_at = "published", timezone.now()
    draft.save()
    again = client.get(f"{API}/practices", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and draft.id in [p["id"] for p in again.json()["items"]]
