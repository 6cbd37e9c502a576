"""The API's write side: token authentication, scopes, the organisation's own areas only, the file imports'
validation and all-or-nothing, and draft practices."""

import pytest
from django.contrib.auth.models import User

from millennium.organisations.models import Membership
from millennium.practices.models import Practice
from millennium.statistics.models import Assessment, ImportBatch, Observation

from .tokens import bearer, issue, own_measure

pytestmark = pytest.mark.django_db
URL = "/api/v1/observations"


def post(client, url, body, key=None, **extra):
    headers = bearer(key) if key else {}
    return client.post(url, body, content_type="application/json", **headers, **extra)


def rows(*items):
    return {"rows": [dict(zip(("measure", "area", "year", "sex", "value"), item)) for item in items]}


def test_a_token_writes_its_municipality_and_districts_as_one_import_batch(client):
    token, key = issue()
    own_measure()
    batches = ImportBatch.objects.count()
    # The own key figure by its full or its short code, as in the spreadsheet template.
    answer = post(client, URL, rows(("local:1280:trygghet", "1280", 2021, "T", 71.5),
                                    ("trygghet", "1280R001", 2021, "K", 64.0),
                                    ("N00945", "1280R001", 2020, "T", 12.25)), key)
    assert answer.status_code == 201, answer.content
    result = answer.json()
    assert (result["new"], result["changed"], result["unchanged"]) == (3, 0, 0)
    assert ImportBatch.objects.count() == batches + 1
    batch = ImportBatch.objects.get(id=result["batch"])
    assert batch.source.code == "egen-data" and batch.rows_new == 3
    assert token.name in batch.location and token.prefix not in batch.location  # no part of the key is kept
    assert Observation.objects.get(measure__code="local:1280:trygghet", area__code="1280R001", year=2021,
                                   sex="K").value == 64.0
    assert Observation.objects.get(measure__code="N00945", area__code="1280R001").batch_id == batch.id
    token.refresh_from_db()
    assert token.last_used_at is not None
    # Read back through the API: the same numbers.
    read = client.get("/api/v1/observations", {"measure": "local:1280:trygghet", "area": ["1280", "1280R001"]})
    assert {(r["area"], r["year"], r["sex"], r["value"]) for r in read.json()["items"]} == {
        ("1280", 2021, "T", 71.5), ("1280R001", 2021, "K", 64.0)}
    # Sending the same rows again changes nothing; a changed value is updated.
    again = post(client, URL, rows(("local:1280:trygghet", "1280", 2021, "T", 71.5),
                                   ("local:1280:trygghet", "1280R001", 2021, "K", 65.0)), key).json()
    assert (again["new"], again["changed"], again["unchanged"]) == (0, 1, 1)


def test_own_key_figures_are_assessed_after_a_write(client):
    _, key = issue()
    measure = own_measure()
    measure.direction = "up"
    measure.save()
    answer = post(client, URL, rows(*[("local:1280:trygghet", "1280", year, "T", 60.0 + year - 2015)
                                      for year in range(2015, 2022)]), key)
    assert answer.status_code == 201
    assessment = Assessment.objects.get(measure=measure, area__code="1280", sex="T", method="opensdg")
    assert assessment.current_year == 2021 and assessment.current_value == 66.0


def test_another_municipalitys_data_is_403_and_nothing_changes(client):
    _, key = issue("1280")
    own_measure()
    own_measure("1281")
    before = (Observation.objects.count(), ImportBatch.objects.count())
    lund_value = Observation.objects.get(measure__code="N00945", area__code="1281", year=2020, sex="T").value
    # A valid row of Malmö's first, then Lund's area: the whole batch is refused.
    answer = post(client, URL, rows(("local:1280:trygghet", "1280R001", 2021, "T", 1.0),
                                    ("N00945", "1281", 2020, "T", lund_value + 1)), key)
    assert answer.status_code == 403
    assert answer.json()["detail"].startswith("rows[1].area:") and "1281" in answer.json()["detail"]
    # Lund's district, and Lund's own key figure on Malmö's area.
    lund_district = post(client, URL, rows(("N00945", "1281R001", 2020, "T", 1.0)), key)
    assert lund_district.status_code == 403
    lund_measure = post(client, URL, rows(("local:1281:trygghet", "1280R001", 2020, "T", 1.0)), key)
    assert lund_measure.status_code == 403 and "rows[0].measure" in lund_measure.json()["detail"]
    assert (Observation.objects.count(), ImportBatch.objects.count()) == before
    assert Observation.objects.get(measure__code="N00945", area__code="1281", year=2020, sex="T").value == lund_value


@pytest.mark.parametrize("bad, status, expected", [
    (("N99999", "1280R001", 2020, "T", 1.0), 422, "rows[1].measure: unknown key figure 'N99999'"),
    (("N00945", "9999", 2020, "T", 1.0), 422, "rows[1].area: unknown area '9999'"),
    # The same row by the own key figure's short code.
    (("trygghet", "1280", 2021, "T", 2.0), 422, "rows[1].sex: trygghet 1280 2021 T is already rows[0]"),
])
def test_bad_rows_are_refused_naming_row_and_field(client, bad, status, expected):
    _, key = issue()
    own_measure()
    before = Observation.objects.count()
    answer = post(client, URL, rows(("local:1280:trygghet", "1280", 2021, "T", 1.0), bad), key)
    assert answer.status_code == status and answer.json()["detail"].startswith(expected), answer.json()
    assert Observation.objects.count() == before


@pytest.mark.parametrize("field, value", [("sex", "X"), ("year", 99), ("value", "abc"), ("area", "=cmd")])
def test_invalid_values_are_422_with_the_row_and_field(client, field, value):
    _, key = issue()
    row = {"measure": "local:1280:trygghet", "area": "1280", "year": 2021, "sex": "T", "value": 1.0, field: value}
    answer = post(client, URL, {"rows": [row, row]}, key)
    assert answer.status_code == 422
    locations = [error["loc"] for error in answer.json()["detail"]]
    assert ["body", "payload", "rows", 0, field] in locations


def test_non_finite_values_and_empty_batches_are_422(client):
    _, key = issue()
    answer = client.post(URL, '{"rows": [{"measure": "local:1280:trygghet", "area": "1280", "year": 2021, '
                              '"value": NaN}]}', content_type="application/json", **bearer(key))
    assert answer.status_code == 422
    assert post(client, URL, {"rows": []}, key).status_code == 422


def test_no_unknown_or_revoked_token_and_no_session_cookie_writes(client):
    token, key = issue()
    own_measure()
    body = rows(("local:1280:trygghet", "1280", 2021, "T", 1.0))
    assert post(client, URL, body).status_code == 401
    assert post(client, URL, body, "mlm_not-a-key").status_code == 401
    # A signed-in member of Malmö, with a session cookie and no key: still 401, nothing written.
    member = User.objects.create_user("malmo-editor", password="a long password 123")
    client.force_login(member)
    assert post(client, URL, body).status_code == 401
    client.logout()
    token.revoke(member)
    assert post(client, URL, body, key).status_code == 401
    assert not Observation.objects.filter(measure__code="local:1280:trygghet").exists()


def test_a_token_stops_when_its_creator_is_no_longer_an_approver(client):
    token, key = issue()
    own_measure()
    body = rows(("local:1280:trygghet", "1280", 2021, "T", 1.0))
    Membership.objects.filter(user=token.created_by, organisation=token.organisation).delete()

    assert post(client, URL, body, key).status_code == 401
    assert not Observation.objects.filter(measure__code="local:1280:trygghet").exists()


def test_scopes_are_enforced(client):
    _, practices_only = issue(scopes=["practices:write"])
    answer = post(client, URL, rows(("N00945", "1280R001", 2020, "T", 1.0)), practices_only)
    assert answer.status_code == 403 and "observations:write" in answer.json()["detail"]
    _, observations_only = issue(scopes=["observations:write"], username="other")
    answer = post(client, "/api/v1/practices", {"title": "T", "summary": "S", "body": "B"}, observations_only)
    assert answer.status_code == 403 and "practices:write" in answer.json()["detail"]


def test_a_token_drafts_a_practice_for_its_municipality(client):
    token, key = issue()
    answer = post(client, "/api/v1/practices", {
        "title": "Trygga stråk i Rosengård", "summary": "Belysning och möten.", "body": "## Vad vi gjorde\n- ljus",
        "period_start": 2019, "contact_role": "Trygghetssamordnare",
        "goals": [{"framework": "sdg", "code": "11"}, {"framework": "mdg", "code": "1"}],
        "targets": [{"code": "11.7"}], "measures": ["N00945"]}, key)
    assert answer.status_code == 201, answer.content
    out = answer.json()
    practice = Practice.objects.get(id=out["id"])
    assert practice.status == "draft" and practice.municipality.code == "1280"
    assert practice.created_by == token.created_by and "<li>ljus</li>" in practice.body_html
    assert {(g.framework.code, g.code) for g in practice.goals.all()} == {("sdg", "11"), ("mdg", "1")}
    assert [t.code for t in practice.targets.all()] == ["11.7"]
    assert out["status"] == "draft" and out["measures"] == ["N00945"] and out["municipality"] == "1280"
    # A draft is not public: neither the list nor the practice's address shows it.
    assert client.get(f"/api/v1/practices/{practice.id}").status_code == 404
    assert practice.id not in [p["id"] for p in client.get("/api/v1/practices", {"municipality": "1280"}).json()["items"]]


@pytest.mark.parametrize("change, expected", [
    ({"contact_role": "ring 040-123 45 67"}, "contact_role:"),
    ({"period_start": 2020, "period_end": 2018}, "period_end:"),
    ({"goals": [{"framework": "sdg", "code": "99"}]}, "goals[0]: unknown goal sdg 99"),
    ({"measures": ["N00945", "X1"]}, "measures[1]: unknown key figure 'X1'"),
])
def test_a_practice_is_validated_like_in_the_web(client, change, expected):
    _, key = issue()
    before = Practice.objects.count()
    answer = post(client, "/api/v1/practices", {"title": "T", "summary": "S", "body": "B", **change}, key)
    assert answer.status_code == 422 and answer.json()["detail"].startswith(expected), answer.json()
    assert Practice.objects.count() == before
