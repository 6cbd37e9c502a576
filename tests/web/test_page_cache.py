"""Public pages are cached per data version: served again without recomputing, revalidated by ETag, and
recomputed after any import or target change."""

import pytest
from django.utils import timezone

from millennium.statistics.models import ImportBatch, Source
from millennium.web import page_cache

pytestmark = pytest.mark.django_db


def test_second_visit_is_served_from_the_cache(client, django_assert_max_num_queries):
    first = client.get("/kommun/1280/")
    with django_assert_max_num_queries(2):  # the data version only
        second = client.get("/kommun/1280/")
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_known_version_gets_304(client):
    etag = client.get("/kommun/1280/")["ETag"]
    response = client.get("/kommun/1280/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_languages_have_their_own_etag(client):
    assert client.get("/kommun/1280/")["ETag"] != client.get("/en/kommun/1280/")["ETag"]


def test_an_import_gives_every_page_a_new_version(client):
    before = client.get("/kommun/1280/")["ETag"]
    version = page_cache.data_version()
    now = timezone.now()
    ImportBatch.objects.create(source=Source.objects.get(code="kolada"), location="test", started_at=now,
                               finished_at=now)
    assert page_cache.data_version() != version
    after = client.get("/kommun/1280/")
    assert after["ETag"] != before
    assert client.get("/kommun/1280/", HTTP_IF_NONE_MATCH=before).status_code == 200


def test_errors_are_not_cached(client, django_assert_num_queries):
    assert client.get("/kommun/9999/").status_code == 404
    with django_assert_num_queries(3):  # the data version (2) and the area again: the view ran, not the cache
        assert client.get("/kommun/9999/").status_code == 404


def test_a_list_of_etags_is_understood(client):
    etag = client.get("/kommun/1280/")["ETag"]
    assert client.get("/kommun/1280/", HTTP_IF_NONE_MATCH=f'"other", {etag}').status_code == 304
