"""Rate limits (429 with Retry-After, per address for reads and per token for writes), CORS for reads only,
and the documentation page."""

import pytest

from millennium.api.throttles import parse_rate

from .tokens import bearer, issue, own_measure

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_reads_are_limited_per_client_address(client, settings):
    settings.API_READ_RATE = "3/m"
    for _ in range(3):
        assert client.get(f"{API}/frameworks").status_code == 200
    refused = client.get(f"{API}/frameworks")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"]
    # Another address has its own allowance; a forged X-Forwarded-For is not another address.
    assert client.get(f"{API}/frameworks", REMOTE_ADDR="10.0.0.2").status_code == 200
    assert client.get(f"{API}/frameworks", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_cached_and_not_modified_reads_count_too(client, settings):
    settings.API_READ_RATE = "3/m"
    url = f"{API}/observations?measure=N00945&area=1280"
    first = client.get(url)
    assert client.get(url).content == first.content  # from the cache
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url).status_code == 429
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 429


def test_writes_are_limited_per_token(client, settings):
    settings.API_WRITE_RATE = "2/h"
    own_measure()
    _, first = issue()
    _, second = issue(username="second")
    body = {"rows": [{"measure": "local:1280:trygghet", "area": "1280", "year": 2021, "value": 1.0}]}

    def write(key):
        return client.post(f"{API}/observations", body, content_type="application/json", **bearer(key))

    assert [write(first).status_code for _ in range(2)] == [201, 201]
    refused = write(first)
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600
    assert write(second).status_code == 201


def test_rates_parse_and_turn_off():
    assert parse_rate("60/m") == (60, 60) and parse_rate("10000/min") == (10000, 60)
    assert parse_rate("5/10s") == (5, 10) and parse_rate("off") is None
    with pytest.raises(ValueError):
        parse_rate("many")


def test_cors_allows_reads_from_any_origin_and_no_writes(client):
    answer = client.get(f"{API}/frameworks", HTTP_ORIGIN="https://example.org")
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in answer
    preflight = client.options(f"{API}/observations", HTTP_ORIGIN="https://example.org",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
                               HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type")
    allowed = {m.strip() for m in preflight["Access-Control-Allow-Methods"].split(",")}
    assert "POST" not in allowed and allowed == {"GET", "HEAD", "OPTIONS"}
    # Outside the API nothing is shared cross-origin.
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://example.org")


def test_documentation_page_lists_every_endpoint_and_schema(client):
    page = client.get(f"{API}/")
    assert page.status_code == 200
    html = page.content.decode()
    document = client.get(f"{API}/openapi.json").json()
    for path, methods in document["paths"].items():
        for method in methods:
            assert f"{method.upper()} {path}" in html
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in html
    assert "rows" in html and "Authorization: Bearer" in html
    # Nothing loaded from another site.
    assert "https://cdn" not in html and "<script src=\"http" not in html
