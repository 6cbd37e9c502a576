"""SDMX files into one tidy table: the UN SDG Global Database's values (tests/readers/data/unsd_sdg_*, built by
make_unsd_sdg_fixtures.py from ../shared/data/unsd-sdg) in SDMX-ML structure-specific and generic and
SDMX-CSV 1.0 give the same rows; SDMX-CSV 2.0; indicators from a structure or a column; precise errors."""

import csv
from pathlib import Path

import pandas as pd
import pytest

from millennium.readers import InputError
from millennium.readers.sdmx_files import read_sdmx_file, read_structure
from tests.conftest import DATA

HERE = Path(__file__).parent / "data"
FILES = ["unsd_sdg_structure_specific.xml", "unsd_sdg_generic.xml", "unsd_sdg.csv"]
STRUCTURE = HERE / "unsd_sdg_structure.xml"
COLUMNS = ["series", "area", "period", "year", "sex", "value", "unit", "flags", "reporting_type", "AGE"]


def comparable(rows: pd.DataFrame) -> pd.DataFrame:
    return rows[COLUMNS].sort_values(["series", "area", "sex", "period"]).reset_index(drop=True)


@pytest.mark.parametrize("name", FILES)
def test_read_sdmx_file_every_format_gives_the_same_rows(name):
    expected = comparable(read_sdmx_file(HERE / "unsd_sdg.csv").rows)

    data = read_sdmx_file(HERE / name)

    pd.testing.assert_frame_equal(comparable(data.rows), expected)
    assert data.agency == "IAEG-SDGs"
    assert data.breakdowns == ["AGE", "URBANISATION", "INCOME_WEALTH_QUANTILE", "EDUCATION_LEV", "OCCUPATION",
                               "CUST_BREAKDOWN", "COMPOSITE_BREAKDOWN", "DISABILITY_STATUS", "ACTIVITY", "PRODUCT"]
    assert len(data.rows) == 60


def test_read_sdmx_file_values_are_the_un_databases():
    with (DATA / "unsd-sdg" / "ddf--datapoints--si_pov_day1--by--geo_area--nature--units--year.csv").open(
            encoding="utf-8", newline="") as f:
        sweden = {int(r["year"]): float(r["si_pov_day1"]) for r in csv.DictReader(f)
                  if r["geo_area"] == "752" and 2010 <= int(r["year"]) <= 2018}

    rows = read_sdmx_file(HERE / "unsd_sdg_structure_specific.xml").rows
    mine = rows[(rows["series"] == "SI_POV_DAY1") & (rows["area"] == "752")]

    assert dict(zip(mine["year"].astype(int), mine["value"])) == sweden
    assert set(mine["flags"]) == {"G"}
    assert set(mine["unit"]) == {"PT"}


def test_read_sdmx_file_series_with_structure_have_names_units_and_indicators():
    structure = read_structure(STRUCTURE)

    data = read_sdmx_file(HERE / "unsd_sdg.csv", structure=structure)

    assert data.series.to_dict("records") == [
        {"code": "SG_GEN_PARL", "name": "Proportion of seats held by women in national parliaments (% of total "
                                        "number of seats)", "indicators": ["5.5.1"], "units": ["PT"]},
        {"code": "SH_DYN_IMRT", "name": "Infant mortality rate (deaths per 1,000 live births)",
         "indicators": ["3.2.1"], "units": ["PER_1000_LIVE_BIRTHS"]},
        {"code": "SI_POV_DAY1", "name": "Proportion of population below international poverty line (%)",
         "indicators": ["1.1.1"], "units": ["PT"]},
    ]
    assert structure.unit_names == {"PT": "Percent", "PER_1000_LIVE_BIRTHS": "Per 1,000 live births"}
    assert structure.area_names["752"] == "Sweden"


def test_read_sdmx_file_without_structure_knows_no_indicator():
    data = read_sdmx_file(HERE / "unsd_sdg_generic.xml")

    assert data.series["indicators"].tolist() == [[], [], []]
    assert data.series["name"].tolist() == ["", "", ""]


def test_read_sdmx_csv_2_with_labels_and_an_indicator_column(tmp_path):
    path = tmp_path / "sdmx-csv-2.csv"
    path.write_text(
        "STRUCTURE,STRUCTURE_ID,ACTION,SERIES: Series,REF_AREA: Reference area,SEX: Sex,TIME_PERIOD: Time,"
        "OBS_VALUE: Observation value,UNIT_MEASURE: Unit,SDG_INDICATOR: Indicator\n"
        "dataflow,IAEG-SDGs:DF_SDG_GLH(1.8),I,SG_GEN_PARL: Seats held by women,752: Sweden,F: Female,2020,46.99,"
        "PT: Percent,5.5.1\n"
        "dataflow,IAEG-SDGs:DF_SDG_GLH(1.8),I,SG_GEN_PARL: Seats held by women,752: Sweden,F: Female,2020-Q1,"
        ",PT: Percent,5.5.1\n", encoding="utf-8")

    data = read_sdmx_file(path)

    assert (data.format, data.agency, data.dataflow) == ("SDMX-CSV 2.0", "IAEG-SDGs", "DF_SDG_GLH")
    assert data.rows[["series", "area", "period", "sex", "unit"]].values.tolist() == [
        ["SG_GEN_PARL", "752", "2020", "F", "PT"], ["SG_GEN_PARL", "752", "2020-Q1", "F", "PT"]]
    assert data.rows["year"].tolist() == [2020, pd.NA]
    assert data.rows["value"].isna().tolist() == [False, True]
    assert data.series["indicators"].tolist() == [["5.5.1"]]
    assert data.breakdowns == []


@pytest.mark.parametrize("text, line, column, message", [
    ("DATAFLOW,SERIES,REF_AREA,TIME_PERIOD,OBS_VALUE\nIAEG-SDGs:DF_SDG_GLH(1.8),SI_POV_DAY1,752,2017,0\n"
     "IAEG-SDGs:DF_SDG_GLH(1.8),SI_POV_DAY1,752,2018,n/a\n", 3, 5, "OBS_VALUE 'n/a' is not a number"),
    ("geo_area,year,value\n752,2017,0\n", 1, 1, "expected SDMX-CSV: a first column DATAFLOW (1.0) or STRUCTURE, "
                                                "STRUCTURE_ID (2.0); found 'geo_area'"),
    ("DATAFLOW,SERIES,REF_AREA,OBS_VALUE\nX:Y(1.0),A,752,1\n", 1, "TIME_PERIOD",
     "no column TIME_PERIOD; expected SDMX-CSV with one observation per row"),
])
def test_read_sdmx_csv_bad_input_names_line_and_column(tmp_path, text, line, column, message):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(InputError) as caught:
        read_sdmx_file(path)

    assert (caught.value.line, caught.value.column, caught.value.message) == (line, column, message)


def test_read_sdmx_file_refuses_a_structure_message_as_data():
    with pytest.raises(InputError) as caught:
        read_sdmx_file(STRUCTURE)

    assert caught.value.message.startswith("expected an SDMX-ML data message")


def test_read_sdmx_file_refuses_broken_xml(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text((HERE / "unsd_sdg_generic.xml").read_text(encoding="utf-8")[:3000], encoding="utf-8")

    with pytest.raises(InputError) as caught:
        read_sdmx_file(path)

    assert caught.value.message.startswith("not a readable SDMX-ML message")
    assert caught.value.path == path
