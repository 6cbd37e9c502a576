"""The goal page of one municipality: targets and indicators from the frameworks' files, key figures with values as
in Kolada, statuses as assessed, a sparkline with its table."""

import csv
import re
from html import escape

import pytest

from millennium.frameworks.loading import DATA as FRAMEWORKS
from millennium.statistics.goal_mapping import read_goal_mapping
from tests.web.kolada_values import series, swedish

pytestmark = pytest.mark.django_db

URL = "/kommun/1280/mal/11/"


def framework_rows(framework: str, level: str) -> list[dict]:
    with (FRAMEWORKS / framework / f"{level}.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def section(html: str, target: str) -> str:
    start = html.index(f'<section class="target" aria-labelledby="target-{target}">')
    return html[start:html.index("</section>", start)]


def mapped(goal: str) -> dict[str, str]:
    """Kolada key figure → SDG target, of one goal, from our mapping file."""
    return {row["kpi"]: row["sdg_target"] for row in read_goal_mapping() if row["sdg_target"].split(".")[0] == goal}


def test_goal_page_lists_every_target_and_its_indicators(client):
    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Hållbara städer och samhällen" in html
    targets = [row for row in framework_rows("sdg", "targets") if row["goal"] == "11"]
    assert re.findall(r'<h2 id="target-([\w.]+)">', html) == [row["code"] for row in targets]
    for row in targets:
        assert escape(row["title_sv"]) in section(html, row["code"])
    for row in framework_rows("sdg", "indicators"):
        if row["goal"] == "11":
            listed = f'<span class="code">{row["code"]}</span> {escape(row["title_sv"])}</li>'
            assert listed in section(html, row["target"])


def test_goal_page_shows_key_figures_under_their_targets_with_latest_values_as_in_kolada(client):
    from millennium.statistics.models import Measure

    html = client.get(URL).content.decode()

    in_store = set(Measure.objects.values_list("code", flat=True))
    figures = {kpi: target for kpi, target in mapped("11").items() if kpi in in_store}
    assert len(figures) >= 5
    for kpi, target in figures.items():
        values = series(kpi, "1280")
        row = re.search(rf'<tr id="{kpi}">\s*<th scope="row"><a href="/kommun/1280/nyckeltal/{kpi}/">[^<]+</a> '
                        rf'<span class="code">{kpi}</span></th>\s*<td class="n">([^<]+)</td>\s*<td>(\d{{4}})?</td>',
                        section(html, target))
        assert row is not None, kpi
        latest = max(values) if values else None
        assert row.groups() == ((swedish(values[latest]), str(latest)) if values else ("–", None)), kpi


def test_goal_page_shows_each_key_figures_status_and_its_table_by_year(client):
    from millennium.statistics.models import Assessment
    from millennium.web.statuses import STATUS_LABELS

    html = client.get(URL).content.decode()

    crowding = html[html.index('<tr id="N07907">'):]
    crowding = crowding[:crowding.index("</details>")]
    status = Assessment.objects.get(measure__code="N07907", area__code="1280", sex="T", method="opensdg").status
    assert f'">{STATUS_LABELS[status]}</span>' in crowding
    assert '<svg class="sparkline" role="img" aria-label="Trångboddhet' in crowding
    total, women, men = (series("N07907", "1280", sex) for sex in "TKM")
    assert '<th scope="col" class="n">Kvinnor</th>' in crowding
    for year in sorted(total):
        assert (f'<tr><th scope="row">{year}</th><td class="n">{swedish(total[year])}</td>'
                f'<td class="n">{swedish(women[year])}</td><td class="n">{swedish(men[year])}</td></tr>') in crowding


def test_goal_page_summary_counts_the_goals_key_figures(client):
    response = client.get(URL)

    rollup = response.context["rollup"]
    assert rollup["n"] == sum(c["n"] for c in rollup["counts"]) == response.context["n_figures"]
    assert f'{response.context["n_figures"]} nyckeltal följer målet i Malmö' in response.content.decode()


def test_mdg_goal_page_shows_the_key_figures_linked_to_the_mdg_goal(client):
    response = client.get("/kommun/1280/mal/mdg-1/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Halvera fattigdom och hunger" in html
    kpis = [row["kpi"] for row in read_goal_mapping() if row["mdg_goal"] == "1"]
    linked = [kpi for kpi in kpis if f'<tr id="{kpi}">' in html]
    assert linked and len(linked) == response.context["n_figures"]
    # Gapminder's country series for MDG 1 have no values for Malmö: not shown.
    assert "gapminder" not in html.lower().replace("gapminder-mdg", "")


@pytest.mark.parametrize("path", ["/kommun/1280/mal/18/", "/kommun/1280/mal/mdg-9/", "/kommun/1280/mal/x/",
                                  "/kommun/12/mal/11/", "/kommun/9999/mal/11/"])
def test_unknown_goal_or_municipality_is_404(client, path):
    assert client.get(path).status_code == 404


def test_goal_page_in_english(client):
    response = client.get("/en" + URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Sustainable cities and communities" in html
    target = next(row for row in framework_rows("sdg", "targets") if row["code"] == "11.1")
    assert escape(target["title_en"]) in html
    assert 'href="/en/kommun/1280/nyckeltal/N07907/"' in html


def test_goal_pages_link_to_the_next_and_previous_goal(client):
    html = client.get(URL).content.decode()
    assert 'href="/kommun/1280/mal/10/" rel="prev">Föregående mål (10)</a>' in html
    assert 'href="/kommun/1280/mal/12/" rel="next">Nästa mål (12)</a>' in html
