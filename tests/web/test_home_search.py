"""The home page's municipality search: the live list (htmx) and the form that works without JavaScript."""

import csv
import re

import pytest

from tests.conftest import KOLADA

pytestmark = pytest.mark.django_db

MALMO_LINK = '<a href="/kommun/1280/">Malmö</a>'


def kolada_municipalities() -> dict[str, str]:
    with (KOLADA / "ddf--entities--geo--kommun.csv").open(encoding="utf-8") as f:
        return {r["kommun"]: r["name"] for r in csv.DictReader(f)}


def links(html: str) -> list[str]:
    return re.findall(r'<a href="/kommun/(\d{4})/">', html)


@pytest.mark.parametrize("query", ["mal", "1280", "MALMÖ", "malmö", " Malm "])
def test_search_finds_malmo_by_name_or_code_in_any_case(client, query):
    html = client.get("/kommun/sok/", {"q": query}).content.decode()

    assert MALMO_LINK in html


def test_search_lists_every_name_match_and_counts_them(client):
    expected = sorted(code for code, name in kolada_municipalities().items() if "mal" in name.casefold())

    html = client.get("/kommun/sok/", {"q": "mal"}).content.decode()

    assert sorted(links(html)) == expected
    assert f'<span hx-swap-oob="innerHTML:#find-count">{len(expected)} träffar</span>' in html


def test_search_by_code_prefix(client):
    expected = sorted(code for code in kolada_municipalities() if code.startswith("128"))

    html = client.get("/kommun/sok/", {"q": "128"}).content.decode()

    assert sorted(links(html)) == expected


def test_search_shows_at_most_ten_and_says_how_many_there_are(client):
    total = sum("s" in name.casefold() for name in kolada_municipalities().values())

    html = client.get("/kommun/sok/", {"q": "s"}).content.decode()

    assert len(links(html)) == 10
    assert f"{total} träffar, de 10 första visas" in html


def test_search_finds_nothing_for_a_name_that_is_not_there(client):
    html = client.get("/kommun/sok/", {"q": "zzz"}).content.decode()

    assert links(html) == []
    assert "<li>" not in html
    assert "Ingen kommun matchar ”zzz”." in html


def test_search_with_empty_query_clears_the_list(client):
    html = client.get("/kommun/sok/", {"q": ""}).content.decode()

    assert links(html) == []
    assert '<span hx-swap-oob="innerHTML:#find-count"></span>' in html


def test_search_in_english_links_to_english_pages(client):
    html = client.get("/en/kommun/sok/", {"q": "1280"}).content.decode()

    assert '<a href="/en/kommun/1280/">Malmö</a>' in html


def test_home_search_field_asks_for_the_live_list_and_announces_the_count(client):
    html = client.get("/").content.decode()

    field = re.search(r"<input id=\"q\"[^>]*>", html).group(0)
    assert 'hx-get="/kommun/sok/"' in field
    assert 'hx-trigger="input changed delay:200ms"' in field
    assert 'hx-target="#find-results"' in field
    assert '<p id="find-count" class="find-count" aria-live="polite"></p>' in html
    assert '<div id="find-results" class="find-results"></div>' in html
    assert re.search(r'<script src="/static/vendor/htmx\.min\.[0-9a-f.]*js"></script>', html)
    assert "<datalist" not in html


@pytest.mark.parametrize(("query", "location"), [("MALMÖ", "/kommun/1280/"), ("ÖREBRO", "/kommun/1880/"),
                                                 ("2584", "/kommun/2584/")])
def test_form_without_javascript_goes_to_the_municipality(client, query, location):
    response = client.get("/kommun/", {"q": query})

    assert (response.status_code, response["Location"]) == (302, location)


def test_form_without_javascript_lists_several_matches(client):
    n = sum("mal" in name.casefold() for name in kolada_municipalities().values())

    html = client.get("/kommun/", {"q": "mal"}).content.decode()

    assert f"{n} kommuner matchar ”mal”:" in html
    assert '<a href="/kommun/1280/">Malmö (1280)</a>' in html
