"""The polite HTTP session against a real server on 127.0.0.1: retries, Retry-After, timeouts, bad JSON, cache."""

import time

import pytest

from millennium.readers.http import SourceUnavailable, from_cache, get_json, polite_session
from tests.conftest import DATA
from tests.sources.kolada_server import KoladaServer

KPI_URL = "/kpi/N00945"


@pytest.fixture
def server():
    s = KoladaServer(DATA, ["N00945"]).start()
    yield s
    s.stop()


def session(tmp_path, **kw):
    options = {"min_interval": 0, "retries": 2, "backoff": 0.01, "timeout": 1.0} | kw
    return polite_session(tmp_path / "cache", **options)


def test_answer_is_parsed_json_with_our_user_agent(server, tmp_path):
    body = get_json(session(tmp_path, user_agent="Millennium-test/1"), server.base_url + KPI_URL)

    assert body["values"][0]["id"] == "N00945"
    assert body["next_url"] is None


def test_429_is_retried_after_the_servers_retry_after(server, tmp_path):
    server.fail(status=429, retry_after=1, times=1)
    started = time.monotonic()

    body = get_json(session(tmp_path), server.base_url + KPI_URL)

    assert body["values"][0]["id"] == "N00945"
    assert server.statuses() == [429, 200]
    assert time.monotonic() - started >= 1.0  # waited as told, not the 0.01 s backoff


def test_500_then_success_is_retried(server, tmp_path):
    server.fail(status=500, times=2)

    body = get_json(session(tmp_path), server.base_url + KPI_URL)

    assert body["count"] == 1
    assert server.statuses() == [500, 500, 200]


def test_persistent_500_gives_up_after_the_retries(server, tmp_path):
    server.fail(status=500)

    with pytest.raises(SourceUnavailable) as error:
        get_json(session(tmp_path, retries=3), server.base_url + KPI_URL)

    assert server.statuses() == [500] * 4
    assert error.value.url.endswith(KPI_URL)
    assert "HTTP 500" in error.value.reason and "retrying" in error.value.reason


def test_a_retry_after_too_long_to_wait_fails_at_once(server, tmp_path):
    server.fail(status=503, retry_after=3600)
    started = time.monotonic()

    with pytest.raises(SourceUnavailable, match="HTTP 503.*Retry-After: 3600"):
        get_json(session(tmp_path, retries=3), server.base_url + KPI_URL)

    assert time.monotonic() - started < 60  # not the hour the server asked for
    assert server.statuses() == [503]


def test_a_server_that_hangs_times_out(server, tmp_path):
    server.fail(hang=15)
    started = time.monotonic()

    with pytest.raises(SourceUnavailable, match="timeout"):
        get_json(session(tmp_path, retries=1, timeout=2.0), server.base_url + KPI_URL)

    assert time.monotonic() - started < 12  # two tries of 2 s, not the server's 15 s each


def test_malformed_json_is_reported(server, tmp_path):
    server.fail(malformed=True)

    with pytest.raises(SourceUnavailable, match="not valid JSON"):
        get_json(session(tmp_path), server.base_url + KPI_URL)


def test_a_refused_connection_is_reported(server, tmp_path):
    url = server.base_url + KPI_URL
    server.stop()

    with pytest.raises(SourceUnavailable, match="could not connect"):
        get_json(session(tmp_path, retries=0), url)


def test_cache_revalidates_with_the_etag_and_reuses_the_body_on_304(server, tmp_path):
    s = session(tmp_path)
    first = get_json(s, server.base_url + KPI_URL)
    again = session(tmp_path)  # a new session on the same on-disk cache, as the next cron run

    response = again.get(server.base_url + KPI_URL)

    assert response.json() == first
    assert from_cache(response)
    (_, inm1, _, status1), (_, inm2, _, status2) = server.log
    assert (inm1, status1) == (None, 200)
    assert inm2 is not None and status2 == 304


def test_cache_revalidates_with_last_modified_where_there_is_no_etag(server, tmp_path):
    server.etags = False
    get_json(session(tmp_path), server.base_url + KPI_URL)

    response = session(tmp_path).get(server.base_url + KPI_URL)

    assert from_cache(response) and response.status_code == 200
    (_, _, ims1, status1), (_, inm2, ims2, status2) = server.log
    assert (ims1, status1) == (None, 200)
    assert inm2 is None and ims2 is not None and status2 == 304


def test_changed_resource_is_downloaded_again(server, tmp_path):
    get_json(session(tmp_path), server.base_url + "/data/kpi/N00945/municipality/1280")
    server.set_value("N00945", "1280", 2020, "T", 99.5)

    body = get_json(session(tmp_path), server.base_url + "/data/kpi/N00945/municipality/1280")

    assert server.statuses() == [200, 200]
    assert {v["period"]: v["values"][0]["value"] for v in body["values"]}[2020] == 99.5


def test_no_cache_dir_means_no_cache(server):
    s = polite_session(None, min_interval=0, retries=0)
    get_json(s, server.base_url + KPI_URL)
    get_json(s, server.base_url + KPI_URL)

    assert [inm for _, inm, _, _ in server.log] == [None, None]


def test_requests_are_spaced_by_the_minimum_interval(server, tmp_path):
    s = polite_session(None, min_interval=0.25, retries=0)
    started = time.monotonic()
    for _ in range(4):
        get_json(s, server.base_url + KPI_URL)

    assert time.monotonic() - started >= 0.75
