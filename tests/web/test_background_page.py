"""Utrikes och inrikes födda i en kommun: both groups, their ratio and the gap's trend, in Swedish number format."""

import re

import pytest

from millennium.places.models import Area
from millennium.statistics.background_gaps import background_gaps
from millennium.web.background import GAP_STATUSES

pytestmark = pytest.mark.django_db

URL = "/kommun/1280/bakgrund/"
ROW = "U65861-U65860"


def row_of(html: str, row_id: str) -> str:
    row = html[html.index(f'<tr id="{row_id}">'):]
    return row[:row.index("</details>")]


def test_background_page_shows_latest_values_in_swedish_format(client):
    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Utrikes och inrikes födda i Malmö" in html
    # Kolada, Malmö 2022: foreign-born 53 %, Swedish-born 87 % voted; ratio 53 / 87 = 0.609…
    cells = re.search(r'U65860</span></th>\s*<td>(\d{4})</td>\s*<td class="n">([^<]+)</td>\s*'
                      r'<td class="n">([^<]+)</td>\s*<td class="n">([^<]+)</td>\s*<td class="n">([^<]+)</td>\s*'
                      r'<td>(Ja|Nej)</td>', row_of(html, ROW))
    assert cells is not None
    assert cells.groups() == ("2022", "53", "87", "-34", "0,61", "Nej")


def test_background_page_shows_status_and_table_by_year(client):
    html = client.get(URL).content.decode()

    gap = background_gaps("1280")[0]
    label, explanation = GAP_STATUSES[gap.status]
    row = row_of(html, ROW)
    assert f'">{label}</span><br><span class="muted small">{explanation}</span>' in row
    assert '<svg class="sparkline" role="img"' in row
    assert "<caption>Röstade i senaste kommunfullmäktigevalet, utrikes och inrikes födda i Malmö</caption>" in row
    assert re.search(r'<th scope="row">2018</th><td class="n">60</td><td class="n">89</td>'
                     r'<td class="n">-29</td><td class="n">0,67</td><td>Nej</td>', row)


def test_background_page_links_back_and_municipality_page_links_to_it(client):
    page = client.get(URL).content.decode()
    municipality = client.get("/kommun/1280/").content.decode()

    assert '<a href="/kommun/1280/">Tillbaka till Malmö</a>' in page
    assert ('<p><a href="/kommun/1280/jamstalldhet/">Jämställdhet: kvinnor och män</a></p>\n'
            '<p><a href="/kommun/1280/bakgrund/">Utrikes och inrikes födda</a></p>') in municipality


def test_background_page_is_404_for_non_municipality(client):
    region = Area.objects.filter(level=Area.Level.REGION).first()

    assert client.get(f"/kommun/{region.code}/bakgrund/").status_code == 404
    assert client.get("/kommun/9999/bakgrund/").status_code == 404
