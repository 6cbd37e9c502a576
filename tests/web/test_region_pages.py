"""Växer regionen ihop? The region overview and one key figure's spread, in Swedish number format."""

import re

import pytest

from millennium.statistics.area_gaps import area_spread
from millennium.web.regions import SPREAD_STATUSES
from tests.web.kolada_values import swedish

pytestmark = pytest.mark.django_db

SKANE, KPI = "12", "N00401"



def test_region_page_shows_latest_cov_in_swedish_format_and_links_key_figure(client):
    spread = area_spread(SKANE, KPI)

    response = client.get("/region/12/")

    html = response.content.decode()
    assert "<h1>Region Skåne: växer regionen ihop?" in html
    row = html[html.index(f'<tr id="{KPI}">'):]
    row = row[:row.index("</tr>")]
    cells = re.search(r'<td>(\d{4})</td>\s*<td class="n">(\d+)</td>\s*<td class="n">([^<]+)</td>', row)
    assert cells.groups() == ("2022", "33", swedish(spread.latest_year.cov))
    assert f'<a href="/region/12/{KPI}/">' in row
    label, explanation = SPREAD_STATUSES[spread.status]
    assert f'">{label}</span><br><span class="muted small">{explanation}</span>' in row


def test_region_measure_page_has_spread_table_chart_and_municipality_links(client):
    spread = area_spread(SKANE, KPI)
    year = spread.years[-1]

    html = client.get(f"/region/12/{KPI}/").content.decode()

    assert '<svg class="sparkline" role="img"' in html
    assert "<caption>Spridningsmått för" in html
    assert re.search(rf'<th scope="row">2022</th><td class="n">33</td><td class="n">[^<]+</td>'
                     rf'<td class="n">{swedish(year.cov)}</td>', html)
    malmo = next(c for c in spread.latest if c.area.code == "1280")
    assert (f'<th scope="row"><a href="/kommun/1280/">Malmö</a></th><td class="n">{swedish(malmo.value)}</td>'
            in html)
    assert html.count('<a href="/kommun/') == 33
    assert '<a href="/region/12/">Tillbaka till Region Skåne: växer regionen ihop?</a>' in html


@pytest.mark.parametrize("path", ["/region/99/", "/region/1280/", "/region/1280/N00401/", "/region/99/N00401/",
                                  "/region/12/N99999/"])
def test_region_pages_are_404_for_unknown_region_municipality_or_key_figure(client, path):
    assert client.get(path).status_code == 404


def test_municipality_page_links_to_its_region(client):
    html = client.get("/kommun/1280/").content.decode()

    assert '<p class="lead"><a href="/region/12/">Region Skåne</a>.' in html
