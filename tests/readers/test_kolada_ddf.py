"""The Kolada DDF reader on real files, and on copies of them broken in the ways real files break."""

import csv

import pytest

from millennium.readers import InputError
from millennium.readers.kolada_ddf import read_kolada_ddf
from tests.conftest import KOLADA

TOTALS = "datapoints--by--geo--year/ddf--datapoints--n00938--by--geo--year.csv"
BY_SEX = "datapoints--by--geo--gender--year/ddf--datapoints--n00938--by--geo--gender--year.csv"


def kolada_rows(relative):
    with (KOLADA / relative).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def replace_line(path, line, text):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = text
    path.write_text("".join(lines), encoding="utf-8")


def test_reader_returns_every_row_with_sex(kolada_subset):
    dump = read_kolada_ddf(kolada_subset("n00938"))

    obs = dump.observations
    totals, by_sex = kolada_rows(TOTALS), kolada_rows(BY_SEX)
    assert len(obs) == len(totals) + len(by_sex)
    assert (obs["sex"] == "T").sum() == len(totals)
    malmo_2022 = obs[(obs["area"] == "1280") & (obs["year"] == 2022)].set_index("sex")["value"].to_dict()
    expected = {("T" if "gender" not in r else r["gender"].upper()): float(r["n00938"])
                for r in totals + by_sex if r["geo"] == "1280" and r["year"] == "2022"}
    assert malmo_2022 == expected
    assert list(dump.measures["code"]) == ["N00938"]
    assert dump.measures["divided_by_sex"].tolist() == [True]


@pytest.mark.parametrize(
    ("line", "text", "expected"),
    [
        (5, "1280,2015,12;5\n", ":5:n00938: '12;5' is not a number"),
        (5, "1280,2015,12,5\n", "not a valid CSV table"),
        (7, "9999,2015,12.5\n", ":7:geo: unknown area code '9999'"),
        (3, "1280,20x5,12.5\n", ":3:year: '20x5' is not a year"),
        (4, "1280,2015,inf\n", ":4:n00938: 'inf' is not a number"),
    ],
)
def test_reader_reports_file_line_and_column(kolada_subset, line, text, expected):
    folder = kolada_subset("n00938")
    path = folder / TOTALS
    replace_line(path, line, text)

    with pytest.raises(InputError) as error:
        read_kolada_ddf(folder)

    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_reader_reports_missing_column(kolada_subset):
    folder = kolada_subset("n00938")
    replace_line(folder / TOTALS, 1, "geo,year,value\n")

    with pytest.raises(InputError) as error:
        read_kolada_ddf(folder)

    assert str(error.value) == f"{folder / TOTALS}:1: missing column(s) n00938; found geo, year, value"


def test_reader_reports_wrong_encoding_with_line_and_column(kolada_subset):
    folder = kolada_subset("n00938")
    path = folder / TOTALS
    data = path.read_bytes().splitlines(keepends=True)
    data[9] = "Malmö,2015,1.0\n".encode("latin-1")
    path.write_bytes(b"".join(data))

    with pytest.raises(InputError) as error:
        read_kolada_ddf(folder)

    assert str(error.value).startswith(f"{path}:10:5: not UTF-8 text (byte 0xf6)")


def test_reader_reports_second_value_for_a_key(kolada_subset):
    folder = kolada_subset("n00938")
    path = folder / TOTALS
    first = path.read_text(encoding="utf-8").splitlines()[1]
    with path.open("a", encoding="utf-8") as f:
        f.write(first + "\n")
    lines = path.read_text(encoding="utf-8").count("\n")

    with pytest.raises(InputError) as error:
        read_kolada_ddf(folder)

    assert f"{path}:{lines}: a second value for N00938" in str(error.value)


def test_reader_reports_unknown_gender(kolada_subset):
    folder = kolada_subset("n00938")
    replace_line(folder / BY_SEX, 2, "1280,x,2015,12.5\n")

    with pytest.raises(InputError) as error:
        read_kolada_ddf(folder)

    assert f"{folder / BY_SEX}:2:gender: unknown gender 'x'; expected k or m" == str(error.value)


def test_reader_counts_empty_values_as_rejected(kolada_subset):
    folder = kolada_subset("n00938")
    replace_line(folder / TOTALS, 2, "1280,1999,\n")

    dump = read_kolada_ddf(folder)

    assert dump.empty_values == 1
    assert len(dump.observations) == len(kolada_rows(TOTALS)) + len(kolada_rows(BY_SEX)) - 1
