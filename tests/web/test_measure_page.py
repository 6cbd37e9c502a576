"""A key figure in one municipality: numbers as in Kolada in the text, chart and table; the assessment
explained; the gender gap; who among the similar municipalities improved most."""

import csv
import json
import re

import pytest

from millennium.places.models import Area
from millennium.statistics.assessing import set_target
from millennium.statistics.models import Assessment, Measure
from millennium.web.improvers import Change, change_over_years, peer_group
from millennium.web.statuses import STATUS_LABELS
from tests.conftest import KOLADA
from tests.web.kolada_values import swedish

pytestmark = pytest.mark.django_db

# Malmö; "Invånare 25-64 år med eftergymnasial utbildning": goal 4, split by sex, higher is better, limit 100 %.
MALMO, KPI = "1280", "N01982"
URL = f"/kommun/{MALMO}/nyckeltal/{KPI}/"


def kolada(kpi: str, codes: set[str]) -> dict[tuple[str, int, str], float]:
    """(municipality, year, sex) → value from the Kolada CSV files: T from the total file, K and M by sex."""
    values = {}
    with (KOLADA / f"datapoints--by--geo--year/ddf--datapoints--{kpi.lower()}--by--geo--year.csv").open() as f:
        for row in csv.DictReader(f):
            if row["geo"] in codes:
                values[row["geo"], int(row["year"]), "T"] = float(row[kpi.lower()])
    by_sex = KOLADA / f"datapoints--by--geo--gender--year/ddf--datapoints--{kpi.lower()}--by--geo--gender--year.csv"
    if by_sex.exists():
        with by_sex.open() as f:
            for row in csv.DictReader(f):
                if row["geo"] in codes:
                    values[row["geo"], int(row["year"]), row["gender"].upper()] = float(row[kpi.lower()])
    return values



def section(html: str, heading_id: str) -> str:
    part = html[html.index(f'<h2 id="{heading_id}">'):]
    return part[:part.index("</section>")]


def chart_spec(html: str) -> dict:
    return json.loads(re.search(r'<script id="measure-chart" type="application/json">(.*?)</script>', html,
                                re.S).group(1))


def test_page_shows_title_goal_and_latest_values_as_in_kolada(client):
    values = kolada(KPI, {MALMO})
    latest = max(year for _, year, _ in values)

    response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert ('<h1>Invånare 25-64 år med eftergymnasial utbildning, andel (%) <span class="code">N01982</span></h1>'
            in html)
    assert '<a href="/">Start</a> › <a href="/kommun/1280/">Malmö</a> › Nyckeltal N01982' in html
    assert "globalt mål 4 God utbildning för alla, delmål 4.3" in html
    assert (f"{latest}: <strong>{swedish(values[MALMO, latest, 'T'])}</strong>; kvinnor "
            f"{swedish(values[MALMO, latest, 'K'])}, män {swedish(values[MALMO, latest, 'M'])}.") in html


def test_table_and_chart_hold_every_value_as_in_kolada(client):
    values = kolada(KPI, {MALMO})
    years = sorted({year for _, year, _ in values})

    html = client.get(URL).content.decode()

    table = html[html.index('<table class="series measure-table">'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r'<tr><th scope="row">(\d{4})</th><td class="n">([^<]+)</td><td class="n">([^<]+)</td>'
                      r'<td class="n">([^<]+)</td></tr>', table)
    assert rows == [(str(y), *(swedish(values[MALMO, y, s]) for s in "TKM")) for y in years]
    lines = chart_spec(html)["layer"][0]["data"]["values"]
    names = {"Totalt": "T", "Kvinnor": "K", "Män": "M"}
    assert {(MALMO, p["year"], names[p["series"]]): p["value"] for p in lines} == values


def test_chart_marks_the_base_year_of_the_assessment(client):
    assessment = Assessment.objects.get(measure__code=KPI, area__code=MALMO, sex="T", method="opensdg")

    html = client.get(URL).content.decode()

    base = chart_spec(html)["layer"][-1]
    assert base["data"]["values"] == [{"year": assessment.base_year, "label": f"Basår {assessment.base_year}"}]
    assert base["layer"][0]["mark"]["type"] == "rule"
    assert f"Den prickade lodräta linjen är basåret {assessment.base_year}." in html


def test_assessment_is_explained_with_its_numbers(client):
    a = Assessment.objects.get(measure__code=KPI, area__code=MALMO, sex="T", method="opensdg")
    cagr = (a.current_value / a.base_value) ** (1 / (a.current_year - a.base_year)) - 1

    part = section(client.get(URL).content.decode(), "assessment")

    assert f'">{STATUS_LABELS[a.status]}</span>' in part
    assert f"<dt>Basår</dt><dd>{a.base_year}: {swedish(a.base_value)}</dd>" in part
    assert f"<dt>Senaste år</dt><dd>{a.current_year}: {swedish(a.current_value)}</dd>" in part
    assert (f"<dt>Förändring per år</dt><dd>+{swedish(cagr * 100)} % i genomsnitt ({a.base_year}–{a.current_year})"
            in part)
    # Near the natural limit of 100 % the method lowers its thresholds; the page says so.
    assert "naturliga gränsen 100" in part
    assert "Utan målvärde bedöms takten" in part
    assert "Bedömt för kvinnor och män var för sig: Kvinnor" in part


def test_a_target_value_gives_the_path_to_it_and_the_required_rate(client):
    measure, malmo = Measure.objects.get(code=KPI), Area.objects.get(code=MALMO)
    set_target(measure=measure, area=malmo, kind="absolute", value=60.0, target_year=2030,
               set_by="Malmö stad (test)", reason="Test: a municipality's own target value.")
    a = Assessment.objects.get(measure=measure, area=malmo, sex="T", method="opensdg")

    html = client.get(URL).content.decode()

    layers = chart_spec(html)["layer"]
    path = layers[1]["data"]["values"]
    assert (path[0]["year"], path[0]["value"]) == (a.base_year, round(a.base_value, 6))
    assert (path[-1]["year"], path[-1]["value"]) == (2030, 60.0)
    assert layers[1]["mark"]["strokeDash"] == [6, 4]
    assert [p["year"] for p in path] == list(range(a.base_year, 2031))
    # The path's numbers are in a table too, as every number of a chart must be.
    path_rows = re.findall(r'<tr><th scope="row">(\d{4})</th><td class="n">([^<]+)</td></tr>',
                           html[html.index('class="series path-table"'):])
    assert path_rows[0] == (str(a.base_year), swedish(a.base_value))
    assert path_rows[len(path) - 1] == ("2030", "60")
    assert layers[2]["data"]["values"] == [{"year": 2030, "value": 60.0, "series": "Målvärde"}]
    required = (60.0 / a.base_value) ** (1 / (2030 - a.base_year)) - 1
    part = section(html, "assessment")
    assert "<dt>Mål</dt><dd>Målvärde 60 år 2030. Satt av Malmö stad (test).</dd>" in part
    assert f"För att nå målvärdet 60 år 2030 behövs +{swedish(required * 100)} % per år från basåret." in part
    assert f'">{STATUS_LABELS[a.status]}</span> Takten är' in part
    assert f"{swedish(a.progress_value * 100)} % av den som behövs" in part


def test_a_key_figure_without_direction_is_not_assessed_and_peers_are_not_ranked(client):
    html = client.get(f"/kommun/{MALMO}/nyckeltal/N00097/").content.decode()

    assert "Nyckeltalet har ingen önskad riktning – om högre eller lägre är bättre beror på sammanhanget" in html
    peers = section(html, "peers")
    assert "<h2 id=\"peers\">Förändring i liknande kommuner</h2>" in peers
    assert "Plats" not in peers and "rangordnas inte" in peers


def test_gender_gap_per_year_as_in_kolada_with_link_to_gender_page(client):
    values = kolada(KPI, {MALMO})
    years = sorted({year for _, year, _ in values})

    part = section(client.get(URL).content.decode(), "gender-gap")

    rows = re.findall(r'<tr><th scope="row">(\d{4})</th><td class="n">([^<]+)</td><td class="n">([^<]+)</td>'
                      r'<td class="n">([^<]+)</td><td class="n">([^<]+)</td><td>(Ja|Nej)</td></tr>', part)
    expected = []
    for y in years:
        women, men = values[MALMO, y, "K"], values[MALMO, y, "M"]
        gpi = women / men
        expected.append((str(y), swedish(women), swedish(men), swedish(women - men), f"{gpi:.2f}".replace(".", ","),
                         "Ja" if 0.97 <= gpi <= 1 / 0.97 else "Nej"))
    assert rows == expected
    assert '<span class="status status-' in part
    assert '<a href="/kommun/1280/jamstalldhet/">' in part


def test_change_over_years_on_a_hand_made_example():
    series = {"A": {2010: 10.0, 2015: 12.0, 2020: 15.0}, "B": {2015: 20.0, 2020: 22.0},
              "C": {2015: 5.0, 2020: 8.0}, "D": {2020: 1.0}}
    order = ["A", "B", "C", "D"]

    up = change_over_years(series, "up", order)
    down = change_over_years(series, "down", order)
    none = change_over_years(series, "", order)

    assert (up.start_year, up.end_year, up.ranked) == (2015, 2020, True)
    assert [(r.code, r.change, r.rank) for r in up.rows] == [("A", 3.0, 1), ("C", 3.0, 1), ("B", 2.0, 3),
                                                             ("D", None, None)]
    assert [(r.code, r.rank) for r in down.rows] == [("B", 1), ("A", 2), ("C", 2), ("D", None)]
    assert [(r.code, r.start, r.end, r.rank) for r in none.rows] == [
        ("A", 12.0, 15.0, None), ("B", 20.0, 22.0, None), ("C", 5.0, 8.0, None), ("D", None, 1.0, None)]
    assert not none.ranked


def test_change_over_years_start_year_when_no_value_exactly_five_years_back():
    every_other = {"A": {2012: 1.0, 2014: 2.0, 2016: 3.0, 2018: 4.0}}
    short = {"A": {2020: 1.0, 2021: 2.0, 2022: 4.0}}

    assert change_over_years(every_other, "up", ["A"]).start_year == 2012
    assert change_over_years(short, "up", ["A"]).rows[0].change == 3.0
    empty = change_over_years({}, "up", ["A"])
    assert (empty.start_year, empty.end_year, empty.rows) == (None, None, [Change("A", None, None, None, None)])
    one_year = change_over_years({"A": {2020: 1.0}}, "up", ["A"])
    assert one_year.start_year is None and one_year.rows[0].change is None


def test_who_improved_most_among_peers_as_in_kolada(client):
    codes = peer_group(MALMO)
    values = kolada(KPI, set(codes))
    end = max(year for _, year, _ in values)
    change = {c: values[c, end, "T"] - values[c, end - 5, "T"] for c in codes}
    best_first = sorted(codes, key=lambda c: -change[c])

    part = section(client.get(URL).content.decode(), "peers")

    assert len(codes) == 8 and codes[0] == MALMO
    assert f"Förändringen från {end - 5} till {end}" in part
    rows = re.findall(r'<tr( class="self")?><td class="n">(\d+)</td><th scope="row">(.*?)</th><td class="n">([^<]+)'
                      r'</td><td class="n">([^<]+)</td><td class="n">([^<]+)</td></tr>', part)
    names = dict(Area.objects.filter(code__in=codes).values_list("code", "name"))
    shown = []
    for own, rank, who, start, now, diff in rows:
        code = MALMO if own else re.search(r'href="/kommun/(\d{4})/nyckeltal/N01982/"', who).group(1)
        assert names[code] in who
        shown.append((code, start, now, diff.lstrip("+")))
    assert shown == [(c, swedish(values[c, end - 5, "T"]), swedish(values[c, end, "T"]), swedish(change[c]))
                     for c in best_first]
    assert [int(r[1]) for r in rows] == list(range(1, 9))
    assert "<strong>Malmö</strong> (denna kommun)" in part


def test_english_page_renders(client):
    response = client.get(f"/en{URL}")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "N01982" in html and f'href="/en/kommun/{MALMO}/nyckeltal/{KPI}/data.csv"' in html


def test_unknown_municipality_or_key_figure_is_404(client):
    assert client.get(f"/kommun/9999/nyckeltal/{KPI}/").status_code == 404
    assert client.get(f"/kommun/12/nyckeltal/{KPI}/").status_code == 404  # a region, not a municipality
    assert client.get(f"/kommun/{MALMO}/nyckeltal/N99999/").status_code == 404


def test_a_key_figure_without_values_here_says_so(client):
    response = client.get(f"/kommun/{MALMO}/nyckeltal/N15601/")

    assert response.status_code == 200
    assert "Det finns inga värden för Malmö." in response.content.decode()


def test_page_uses_few_queries(client, rf, django_assert_max_num_queries):
    """The view itself, not the page cache in front of it (bench/web_load.py measures the speed)."""
    from millennium.web.measure_page import municipality_measure

    client.get(URL)  # the similar municipalities are computed once per import, then cached
    with django_assert_max_num_queries(11):
        assert municipality_measure(rf.get(URL), code=MALMO, measure=KPI).status_code == 200
