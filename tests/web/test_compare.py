"""Compare up to five municipalities on one key figure: the table and chart hold Kolada's values, the URL is
canonical and shareable, and wrong input gets a clear message."""

import re

import pytest

from tests.web.test_map import KPI, kolada_totals, shown_number, spec

pytestmark = pytest.mark.django_db

THREE = {"1280": "Malmö", "0180": "Stockholm", "1480": "Göteborg"}


def compare_table(html: str) -> tuple[list[str], dict[int, list[float | None]]]:
    """The column names and, per year, the row of values."""
    table = html[html.index('<table class="series compare-table">'):]
    table = table[:table.index("</table>")]
    head = table[table.index("<thead>"):table.index("</thead>")]
    columns = [re.sub(r"<[^>]+>", "", c) for c in re.findall(r'<th scope="col" class="n">(.*?)</th>', head)]
    rows = {int(year): [shown_number(v) for v in re.findall(r'<td class="n">([^<]+)</td>', cells)]
            for year, cells in re.findall(r'<tr><th scope="row">(\d{4})</th>(.*?)</tr>', table)}
    return columns, rows


def test_three_municipalities_show_kolada_values_per_year(client):
    kolada = kolada_totals(KPI)

    response = client.get("/jamfor/", {"nyckeltal": KPI, "kommun": list(THREE)})

    html = response.content.decode()
    assert response.status_code == 200
    columns, rows = compare_table(html)
    assert columns == ["Malmö", "Stockholm", "Göteborg", "Riket"]
    codes = [*THREE, "0"]
    assert set(rows) == {year for geo, year in kolada if geo in codes}
    for year, values in rows.items():
        for code, value in zip(codes, values):
            expected = kolada.get((code, year))
            assert (value is None) == (expected is None), (code, year)
            if expected is not None:
                assert value == pytest.approx(round(expected, 2), abs=1e-9), (code, year)
    assert '<a href="/kommun/1280/">Malmö</a>' in html
    # The chart has the same numbers, one series per municipality and Sweden told apart by shape and dash too.
    chart = spec(html, "compare-spec")
    points = {(p["name"], p["year"]): p["value"] for p in chart["data"]["values"]}
    names = dict(zip(codes, columns))
    assert points == pytest.approx({(names[geo], year): value for (geo, year), value in kolada.items() if geo in codes},
                                   rel=1e-12)
    assert chart["encoding"]["shape"]["scale"]["domain"] == columns
    assert len(set(chart["encoding"]["shape"]["scale"]["range"])) == 4
    assert chart["encoding"]["strokeDash"]["scale"]["range"][-1] != chart["encoding"]["strokeDash"]["scale"]["range"][0]
    # The form shows the names of the municipalities, ready to change.
    assert 'id="kommun-1" name="kommun" list="municipality-names" autocomplete="off" value="Malmö"' in html


def test_names_in_any_case_and_empty_fields_lead_to_the_canonical_address(client):
    response = client.get("/jamfor/", {"kommun": ["malmö", "", "Stockholms kommun", "1480", "1280"],
                                       "nyckeltal": KPI.lower()})
    assert response.status_code == 302
    assert response["Location"] == f"/jamfor/?nyckeltal={KPI}&kommun=1280&kommun=0180&kommun=1480"
    assert client.get(response["Location"]).status_code == 200


def test_more_than_five_municipalities_gives_a_message_and_uses_the_first_five(client):
    six = ["1280", "0180", "1480", "0114", "0115", "2584"]

    response = client.get("/jamfor/", {"nyckeltal": KPI, "kommun": six})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Du kan jämföra högst 5 kommuner. Sidan visar de 5 första." in html
    columns, _rows = compare_table(html)
    assert columns == ["Malmö", "Stockholm", "Göteborg", "Upplands Väsby", "Vallentuna", "Riket"]
    assert "Kiruna</a>" not in html


def test_unknown_municipality_gets_a_message_next_to_its_field(client):
    response = client.get("/jamfor/", {"nyckeltal": KPI, "kommun": ["1280", "Atlantis"]})

    html = response.content.decode()
    assert response.status_code == 200
    message = "Kommunen \"Atlantis\" finns inte. Skriv namnet eller den fyrsiffriga kommunkoden."
    field = re.search(r'<input id="kommun-2"[^>]*>\s*<p class="field-error" id="kommun-2-error">([^<]+)</p>',
                      html.replace("&quot;", '"'))
    assert field is not None and field[1] == message
    assert 'aria-invalid="true" aria-describedby="kommun-2-error"' in html
    assert '<a href="#kommun-2">' in html  # the summary at the top leads to the field
    columns, _rows = compare_table(html)
    assert columns == ["Malmö", "Riket"]  # the known one is still shown


def test_unknown_key_figure_gets_a_message(client):
    html = client.get("/jamfor/", {"nyckeltal": "X999", "kommun": "1280"}).content.decode()
    assert 'Nyckeltalet "X999" finns inte. Välj ett i listan.' in html.replace("&quot;", '"')
    assert 'id="nyckeltal-error"' in html


def test_empty_compare_page_offers_the_form(client):
    html = client.get("/jamfor/").content.decode()
    assert html.count('name="kommun"') == 5
    assert html.count("<optgroup ") >= 10
    assert '<option value="Malmö">1280</option>' in html


def test_english_compare_page(client):
    response = client.get("/en/jamfor/", {"nyckeltal": KPI, "kommun": list(THREE)})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert '<a href="/en/kommun/1280/">Malmö</a>' in html
    assert 'action="/en/jamfor/"' in html
