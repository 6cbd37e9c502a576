"""Jämställdhet i en kommun: women, men and their parity index per key figure, in Swedish number format."""

import re

import pytest

from millennium.places.models import Area
from millennium.statistics.gender_gaps import gender_gaps
from millennium.web.gender import GAP_STATUSES

pytestmark = pytest.mark.django_db


def row_of(html: str, code: str) -> str:
    row = html[html.index(f'<tr id="{code}">'):]
    return row[:row.index("</details>")]


def test_gender_page_shows_latest_values_in_swedish_format(client):
    response = client.get("/kommun/1280/jamstalldhet/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Jämställdhet i Malmö" in html
    # Kolada, Malmö 2022: women 9.89, men 5.64; GPI 9.89 / 5.64 = 1.7535…
    cells = re.search(r'N00938</span></th>\s*<td>(\d{4})</td>\s*<td class="n">([^<]+)</td>\s*'
                      r'<td class="n">([^<]+)</td>\s*<td class="n">([^<]+)</td>\s*<td>(Ja|Nej)</td>', html)
    assert cells is not None
    assert cells.groups() == ("2022", "9,89", "5,64", "1,75", "Nej")


def test_gender_page_shows_parity_status_and_explanation(client):
    html = client.get("/kommun/1280/jamstalldhet/").content.decode()

    gap = next(g for g in gender_gaps("1280") if g.measure.code == "N00938")
    label, explanation = GAP_STATUSES[gap.status]
    row = row_of(html, "N00938")
    assert f'">{label}</span><br><span class="muted small">{explanation}</span>' in row
    parity = row_of(html, "N00914")
    assert re.search(r'<td class="n">1,00</td>\s*<td>Ja</td>', parity)


def test_gender_page_has_gpi_table_by_year_and_chart(client):
    html = client.get("/kommun/1280/jamstalldhet/").content.decode()

    row = row_of(html, "N00938")
    assert '<svg class="sparkline" role="img"' in row
    assert "<caption>" in row
    assert re.search(r'<th scope="row">2015</th><td class="n">11,63</td><td class="n">6,42</td>'
                     r'<td class="n">1,81</td><td>Nej</td>', row)


def test_gender_page_links_back_and_municipality_page_links_to_it(client):
    gender = client.get("/kommun/1280/jamstalldhet/").content.decode()
    municipality = client.get("/kommun/1280/").content.decode()

    assert '<a href="/kommun/1280/">Tillbaka till Malmö</a>' in gender
    assert '<a href="/kommun/1280/jamstalldhet/">Jämställdhet: kvinnor och män</a>' in municipality


def test_gender_page_is_404_for_non_municipality(client):
    region = Area.objects.filter(level=Area.Level.REGION).first()

    assert client.get(f"/kommun/{region.code}/jamstalldhet/").status_code == 404
    assert client.get("/kommun/9999/jamstalldhet/").status_code == 404
