"""The registry in the REST API: the programmes with their designated count, and a programme's designations."""

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_programmes(client, registry_data):
    response = client.get(f"{API}/programmes")
    assert response.status_code == 200
    assert response.json() == [{
        "slug": "millenniekommun", "name_sv": "Millenniekommun", "name_en": "Millennium Municipality",
        "description_sv": "SKL:s och Sidas program.", "description_en": "SKL's and Sida's programme.",
        "goal_count": 100, "designated_count": 2, "accepting_applications": True}]


def test_designations(client, registry_data):
    response = client.get(f"{API}/programmes/millenniekommun/designations")
    rows = {row["municipality_code"]: row for row in response.json()}

    assert response.status_code == 200
    assert list(rows) == ["1280", "0380", "1281", "2480"]  # oldest first
    malmo = registry_data["malmo"]
    assert rows["1280"] == {"number": malmo.number, "organisation": "Malmö stad", "municipality_code": "1280",
                            "valid_from": "2010-09-08", "valid_until": malmo.valid_until.isoformat(),
                            "lapsed_on": None, "active": True,
                            "diploma_url": f"/utmarkelser/millenniekommun/{malmo.pk}/diplom.pdf"}
    assert rows["0380"]["active"] is False and rows["0380"]["lapsed_on"] == "2014-05-03"
    assert rows["0380"]["diploma_url"] is None
    assert rows["2480"]["active"] is False and rows["2480"]["lapsed_on"] is None


def test_unknown_programme_and_conditional_get(client, registry_data):
    missing = client.get(f"{API}/programmes/finns-inte/designations")
    assert missing.status_code == 404 and "unknown programme 'finns-inte'" in missing.json()["detail"]

    first = client.get(f"{API}/programmes")
    assert client.get(f"{API}/programmes", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # A lapse changes the registry without any data import: the old ETag no longer matches.
    lund = registry_data["lund"]
    lund.lapsed_at = timezone.now()
    lund.save()
    again = client.get(f"{API}/programmes", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again.json()[0]["designated_count"] == 1
