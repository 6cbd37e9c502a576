"""Växer staden ihop? Malmö's districts from the imported example file (fictional values, real RegSO codes):
the spread measures and their trend checked against a hand computation from the file itself, each district's
value, the no-data page, levels, area programmes and the page cache."""

import csv
import re
from pathlib import Path

import numpy as np
import pytest

from millennium.cli import main
from millennium.places.models import Area
from millennium.statistics.areas_csv_import import import_areas_csv
from millennium.web.districts import DISTRICT_STATUSES, PROGRAMME_STATUSES
from tests.web.kolada_values import swedish

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "millennium" / "statistics" / "data" / "omradesdata-exempel-FIKTIVA-VARDEN.csv"
DOCS = ROOT / "docs" / "omradesdata.md"
MEASURE = "local:1280:EXEMPEL-FIKTIV"
PAGE, MEASURE_PAGE = "/kommun/1280/omraden/", f"/kommun/1280/omraden/{MEASURE}/"


def example_values() -> dict[int, dict[str, float]]:
    """{year: {RegSO code: value}} read straight from the example file, not from the store."""
    lines = [line for line in EXAMPLE.read_text(encoding="utf-8-sig").splitlines() if not line.startswith("#")]
    values: dict[int, dict[str, float]] = {}
    for row in csv.DictReader(lines, delimiter=";"):
        values.setdefault(int(row["år"]), {})[row["omradeskod"]] = float(row["värde"].replace(",", "."))
    return values


def cov(v: np.ndarray) -> float:
    """WHO HEAT's COV with every district weighing the same: 100 · population standard deviation / mean."""
    return 100.0 * v.std() / v.mean()


def status_by_hand(base: float, current: float, years: int) -> str:
    """Open SDG without a target, lower is better: the COV's yearly rate of decline against 1.5 / 0.5 / 0 %."""
    decline = -((current / base) ** (1 / years) - 1)
    return ("substantial_progress" if decline > 0.015 else "moderate_progress" if decline > 0.005
            else "limited_progress" if decline > 0 else "deterioration")


def figure_row(html: str, row_id: str) -> str:
    row = html[html.index(f'<tr id="{row_id}">'):]
    return row[:row.index("</tr>")]


def test_district_page_shows_the_spread_of_the_imported_file_as_computed_by_hand(client):
    import_areas_csv(EXAMPLE)
    values = example_values()
    v = np.array(list(values[2022].values()))
    mu = v.mean()
    theil = 1000 * np.mean(v / mu * np.log(v / mu))
    gini = np.abs(v[:, None] - v[None, :]).sum() / (2 * len(v) ** 2 * mu)
    trend = status_by_hand(cov(np.array(list(values[2015].values()))), cov(v), 2022 - 2015)

    html = client.get(PAGE).content.decode()

    assert "<h1>Malmö: växer staden ihop?" in html
    assert '<h2 id="level-regso">RegSO-områden</h2>' in html
    row = figure_row(html, f"regso-{MEASURE}")
    cells = re.findall(r'<td(?: class="n")?>([^<]*)</td>', row)
    assert cells[:8] == ["–", "2022", "91", swedish(cov(v)), swedish(theil), f"{gini:.3f}".replace(".", ","),
                         swedish(v.max() - v.min()), swedish(v.max() / v.min())]
    label, explanation = DISTRICT_STATUSES[trend]
    assert f'">{label}</span><br><span class="muted small">{explanation}</span>' in row
    assert f'<a href="{MEASURE_PAGE}">EXEMPEL: fiktivt nyckeltal (påhittade värden)</a>' in row


def test_district_measure_page_shows_every_year_and_each_districts_value(client):
    import_areas_csv(EXAMPLE)
    values = example_values()

    html = client.get(MEASURE_PAGE).content.decode()

    assert '<svg class="sparkline" role="img"' in html
    for year, by_area in values.items():
        v = np.array(list(by_area.values()))
        assert re.search(rf'<th scope="row">{year}</th><td class="n">91</td><td class="n">{swedish(v.mean())}</td>'
                         rf'<td class="n">{swedish(cov(v))}</td>', html), year
    names = dict(Area.objects.filter(code__in=values[2022]).values_list("code", "name"))
    mean = np.mean(list(values[2022].values()))
    for code, value in values[2022].items():
        assert (f'<tr><th scope="row">{names[code]}</th><td class="n">{swedish(value)}</td>'
                f'<td class="n">{round(100 * value / mean):d}</td></tr>') in html
    assert html.count('<tr><th scope="row">RegSO-') == 91
    assert f'<a href="{PAGE}">Tillbaka till Malmö: växer staden ihop?</a>' in html


def test_municipality_without_districts_explains_how_to_import_them(client):
    columns = re.findall(r"^\| `([^`]+)` \|", DOCS.read_text(encoding="utf-8"), flags=re.MULTILINE)

    html = client.get("/kommun/0180/omraden/").content.decode()

    assert "Inga områdesdata ännu" in html
    assert "Det finns inga siffror för områden i Stockholm." in html
    assert "<code>millennium import areas-csv FIL.csv</code>" in html
    assert len(columns) == 9
    for column in columns:
        assert f'<th scope="row"><code>{column}</code></th>' in html
    assert '<a href="/omradesdata/mall.csv">' in html
    template = client.get("/omradesdata/mall.csv")
    assert b"".join(template.streaming_content) == (EXAMPLE.parent / "omradesdata-mall.csv").read_bytes()


def test_district_page_updates_after_an_import(client):
    before = client.get(PAGE)
    assert "Inga områdesdata ännu" in before.content.decode()

    import_areas_csv(EXAMPLE)
    after = client.get(PAGE)

    assert after["ETag"] != before["ETag"]
    assert "Inga områdesdata ännu" not in after.content.decode()
    assert f'<tr id="regso-{MEASURE}">' in after.content.decode()


def test_english_district_pages_render(client):
    import_areas_csv(EXAMPLE)

    for path in (PAGE, MEASURE_PAGE):
        response = client.get(f"/en{path}")
        assert response.status_code == 200
        assert '<html lang="en">' in response.content.decode()
    assert f'<a href="/en{MEASURE_PAGE}">' in client.get(f"/en{PAGE}").content.decode()


def test_each_level_is_its_own_comparison(client, tmp_path):
    import_areas_csv(EXAMPLE)
    deso = tmp_path / "deso.csv"
    name = "EXEMPEL: fiktivt nyckeltal (påhittade värden)"
    deso.write_text("kommun;omradeskod;omradesnamn;nivå;nyckeltal;nyckeltalsnamn;år;kön;värde\n"
                    f"1280;1280C1010;;deso;EXEMPEL-FIKTIV;{name};2022;T;10\n"
                    f"1280;1280C1030;;deso;EXEMPEL-FIKTIV;{name};2022;T;30\n", encoding="utf-8")
    import_areas_csv(deso)

    overview = client.get(PAGE).content.decode()
    regso = client.get(MEASURE_PAGE).content.decode()
    by_deso = client.get(f"{MEASURE_PAGE}?niva=deso").content.decode()

    assert '<h2 id="level-deso">DeSO-områden</h2>' in overview
    assert f'<a href="{MEASURE_PAGE}?niva=deso">' in figure_row(overview, f"deso-{MEASURE}")
    assert re.search(r'<th scope="row">2022</th><td class="n">91</td>', regso)
    assert f'Samma nyckeltal för: <a href="{MEASURE_PAGE}?niva=deso">DeSO-områden</a>' in regso
    # Two DeSO, 10 and 30: mean 20, COV 100 · 10 / 20 = 50.
    assert re.search(r'<th scope="row">2022</th><td class="n">2</td><td class="n">20</td><td class="n">50</td>',
                     by_deso)
    assert f'Samma nyckeltal för: <a href="{MEASURE_PAGE}">RegSO-områden</a>' in by_deso


@pytest.mark.parametrize("path", ["/kommun/12/omraden/", "/kommun/9999/omraden/", "/kommun/1280/omraden/N99999/",
                                  f"{MEASURE_PAGE}?niva=kommun", "/kommun/12/omraden/N00401/"])
def test_district_pages_are_404_for_a_non_municipality_unknown_key_figure_or_level(client, path):
    import_areas_csv(EXAMPLE)
    assert client.get(path).status_code == 404


def test_municipality_page_links_to_its_districts(client):
    html = client.get("/kommun/1280/").content.decode()

    assert '<a href="/kommun/1280/omraden/">Områden: växer staden ihop?</a>' in html


def test_area_programme_is_compared_with_the_rest_of_the_city(client, capsys):
    import_areas_csv(EXAMPLE)
    values = example_values()
    targeted = ["1280R001", "1280R002", "1280R003"]
    before = client.get(MEASURE_PAGE)
    assert "Områdesprogram" not in before.content.decode()

    assert main(["area-programme", "add", "--municipality", "1280", "--name", "Områdesprogram (exempel)",
                 "--areas", ",".join(targeted), "--start", "2016"]) == 0
    assert "Area programme 'Områdesprogram (exempel)' of Malmö: 3 areas, start 2016." in capsys.readouterr().err
    html = client.get(MEASURE_PAGE).content.decode()

    section = html[html.index('<h2 id="programmes">'):]
    assert '<h3 id="programme-1">Områdesprogram (exempel)</h3>' in section
    assert "Startade 2016. 3 områden i programmet:" in section
    gaps = {}
    for year, by_area in values.items():
        inside = np.mean([by_area[c] for c in targeted])
        rest = np.mean([v for c, v in by_area.items() if c not in targeted])
        gaps[year] = abs(inside - rest)
        assert (f'<tr><th scope="row">{year}</th><td class="n">{swedish(inside)}</td><td class="n">{swedish(rest)}'
                f'</td><td class="n">{swedish(inside - rest)}</td><td class="n">3</td><td class="n">88</td>') in section
    label, explanation = PROGRAMME_STATUSES[status_by_hand(gaps[2016], gaps[2022], 2022 - 2016)]
    assert f"{label}</span> {explanation.format(base_year=2016)}</p>" in section


@pytest.mark.parametrize("areas, message", [
    ("1280R001,0114R001", "area 0114R001 is not a RegSO, DeSO or own district of Malmö (1280)"),
    ("1280R001,1280C1010", "the areas are of different levels (deso, regso)"),
    ("1280X999", "area 1280X999 is not a RegSO, DeSO or own district"),
])
def test_area_programme_add_refuses_areas_it_cannot_compare(capsys, areas, message):
    assert main(["area-programme", "add", "--municipality", "1280", "--name", "P", "--areas", areas]) == 1
    assert message in capsys.readouterr().err


def test_area_programme_add_refuses_every_area_of_a_level(capsys):
    codes = ",".join(Area.objects.filter(parent__code="1280", level="regso").values_list("code", flat=True))

    assert main(["area-programme", "add", "--municipality", "1280", "--name", "P", "--areas", codes]) == 1
    assert "no rest of the city to compare with" in capsys.readouterr().err
