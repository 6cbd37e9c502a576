"""The key-figure spreadsheet reader: every kind of problem, all of them at once, with row and column; CSV and XLSX."""

import math

import pytest
from openpyxl import Workbook

from millennium.readers import InputError
from millennium.readers.cells import InputErrors
from millennium.readers.spreadsheet import file_kind, read_spreadsheet

MEASURES = {"N00945": "N00945", "N01951": "N01951", "trygg": "local:1280:trygg"}
AREAS = {"1280", "1280R001", "1280C1010"}
HEADER = ["nyckeltal", "område", "år", "kön", "värde"]


def write_csv(tmp_path, *rows, separator=",", name="data.csv"):
    path = tmp_path / name
    path.write_text("\n".join(separator.join(map(str, r)) for r in rows) + "\n", encoding="utf-8")
    return path


def write_xlsx(tmp_path, *rows, name="data.xlsx", sheet="Data"):
    book = Workbook()
    book.active.title = "Instruktioner"
    book.active.append(["Detta blad läses inte"])
    data = book.create_sheet(sheet)
    for row in rows:
        data.append(list(row))
    path = tmp_path / name
    book.save(path)
    return path


def read(path):
    return read_spreadsheet(path, measures=MEASURES, areas=AREAS, municipality="1280")


def problems(path):
    with pytest.raises(InputErrors) as e:
        read(path)
    return [(p.line, p.column, p.value, p.kind) for p in e.value.problems], e.value


def test_csv_with_excel_habits_gives_tidy_frame(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(("\ufeffNyckeltal;Område;År;Kön;Värde;Kommentar\r\n"
                      "# en kommentar\r\n"
                      "n00945;1280;2020;;12,5;\r\n"
                      ";;;;;\r\n"
                      "N00945;1280R001;2021;k;1\u00a0234,5;ok\r\n"
                      "trygg;1280C1010;2022;M;;tomt\r\n").encode("utf-8"))

    frame = read(path)

    assert frame.drop(columns="value").to_dict("records") == [
        {"line": 3, "measure": "N00945", "measure_code": "N00945", "measure_name": "", "area": "1280",
         "year": 2020, "sex": "T"},
        {"line": 5, "measure": "N00945", "measure_code": "N00945", "measure_name": "", "area": "1280R001",
         "year": 2021, "sex": "K"},
        {"line": 6, "measure": "trygg", "measure_code": "local:1280:trygg", "measure_name": "", "area": "1280C1010",
         "year": 2022, "sex": "M"},
    ]
    assert frame["value"].iloc[:2].tolist() == [12.5, 1234.5]
    assert math.isnan(frame["value"].iloc[2])


def test_decimal_comma_accepted_in_comma_separated_file_when_quoted(tmp_path):
    path = write_csv(tmp_path, HEADER, ["N00945", "1280", "2020", "T", '"12,5"'])

    assert read(path)["value"].tolist() == [12.5]


def test_xlsx_numbers_and_text_cells(tmp_path):
    path = write_xlsx(tmp_path, HEADER + ["kommentar"], ["N00945", 1280, 2020, "T", 1234.5678],
                      ["N00945", "1280", "2021", None, "12,5"], [None] * 5, ["# kommentar"],
                      ["N00945", 1280, 2022.0, "K", "0.30000000000000004"])

    frame = read(path)

    assert frame[["line", "area", "year", "sex"]].to_dict("records") == [
        {"line": 2, "area": "1280", "year": 2020, "sex": "T"}, {"line": 3, "area": "1280", "year": 2021, "sex": "T"},
        {"line": 6, "area": "1280", "year": 2022, "sex": "K"}]
    assert frame["value"].tolist() == [1234.5678, 12.5, 0.1 + 0.2]  # full precision kept


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_missing_column_named_on_header_row(tmp_path, kind):
    rows = [["nyckeltal", "område", "år", "värde"], ["N00945", "1280", "2020", "1"]]
    path = write_csv(tmp_path, *rows) if kind == "csv" else write_xlsx(tmp_path, *rows)

    found, error = problems(path)

    assert found == [(1, "kön", "", "missing_column")]
    assert str(error) == (f"{path}:1:kön: the column kön is missing; expected the columns nyckeltal, område, år, "
                          "kön, värde (found nyckeltal, område, år, värde)")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_every_problem_reported_with_its_row_and_column(tmp_path, kind):
    rows = [HEADER,
            ["N00945", "1280", "2020", "T", "12,5"],    # 2 fine
            ["N99999", "1280", "2020", "T", "1"],       # 3 unknown key figure
            ["N00945", "1281", "2020", "T", "1"],       # 4 another municipality's area
            ["N00945", "1280", "20x0", "T", "1"],       # 5 bad year
            ["N00945", "1280", "2021", "X", "1"],       # 6 bad sex
            ["N00945", "1280", "2022", "T", "tolv"],    # 7 not a number
            ["N00945", "1280", "2020", "T", "3"],       # 8 same key as line 2
            ["nytt", "1280", "2020", "T", "3"]]         # 9 own code without a name
    path = write_csv(tmp_path, *rows, separator=";") if kind == "csv" else write_xlsx(tmp_path, *rows)

    found, error = problems(path)

    assert found == [
        (3, "nyckeltal", "N99999", "unknown_measure"),
        (4, "område", "1281", "unknown_area"),
        (5, "år", "20x0", "year"),
        (6, "kön", "X", "sex"),
        (7, "värde", "tolv", "value"),
        (8, "nyckeltal", "N00945", "duplicate_row"),
        (9, "nyckeltal", "nytt", "unknown_measure"),
    ]
    assert error.lines()[3] == (f"{path}:6:kön: 'X' is not a sex; expected T (total), K (women) or M (men), "
                                "or empty for T")
    assert error.lines()[4] == (f"{path}:7:värde: 'tolv' is not a number; expected a number such as 12,5 or "
                                "12.5, or empty for no value")
    assert error.lines()[5] == (f"{path}:8:nyckeltal: N00945 1280 2020 T is already on line 2; expected one row "
                                "per key figure, area, year and sex")
    assert error.problems[5].other_line == 2
    assert str(error).endswith("(and 6 more problems)")
    cells = [p.cell for p in error.problems]
    assert cells == (["A3", "B4", "C5", "D6", "E7", "A8", "A9"] if kind == "xlsx" else [None] * 7)


def test_new_own_key_figure_needs_one_name(tmp_path):
    rows = [HEADER + ["nyckeltalsnamn"], ["nytt", "1280", "2020", "T", "1", "Nytt mått"],
            ["nytt", "1280", "2021", "T", "1", "Annat namn"]]

    found, error = problems(write_csv(tmp_path, *rows))

    assert found == [(3, "nyckeltalsnamn", "Annat namn", "measure_name")]
    assert error.problems[0].other_line == 2


def test_new_own_key_figure_with_name_is_read(tmp_path):
    frame = read(write_csv(tmp_path, HEADER + ["nyckeltalsnamn"], ["nytt", "1280", "2020", "T", "1", "Nytt mått"]))

    assert frame[["measure", "measure_code", "measure_name"]].to_dict("records") == [
        {"measure": "nytt", "measure_code": "", "measure_name": "Nytt mått"}]


def test_bad_csv_line_and_cell_count_collected_with_the_rest(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("nyckeltal,område,år,kön,värde\n"
                    'N00945,"1280,2020,T,1\n'
                    "N00945,1280,2020\n"
                    "N00945,1280,2019,Q,1\n", encoding="utf-8")

    found, _error = problems(path)

    assert [(line, column, kind) for line, column, _value, kind in found] == [
        (2, None, "csv_line"), (3, None, "cell_count"), (4, "kön", "sex")]


def test_duplicate_column_refused(tmp_path):
    found, _error = problems(write_csv(tmp_path, HEADER + ["år"], ["N00945", "1280", "2020", "T", "1", "2021"]))

    assert found == [(1, "år", "år", "duplicate_column")]


def test_header_aliases_without_swedish_letters(tmp_path):
    frame = read(write_csv(tmp_path, ["nyckeltal", "omrade", "ar", "kon", "varde"],
                           ["N00945", "1280", "2020", "T", "1"]))

    assert frame["year"].tolist() == [2020]


def test_without_store_lookups_only_forms_are_checked(tmp_path):
    frame = read_spreadsheet(write_csv(tmp_path, HEADER, ["N77777", "9999", "2020", "T", "1"]))

    assert frame[["measure_code", "area"]].to_dict("records") == [{"measure_code": "N77777", "area": "9999"}]


def test_file_kind_by_content_not_name(tmp_path):
    fake = tmp_path / "bild.xlsx"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    old = tmp_path / "gammal.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    csv_named_xlsx = write_csv(tmp_path, HEADER, name="data.xlsx")

    with pytest.raises(InputError, match="binary file; expected XLSX or CSV"):
        file_kind(fake)
    with pytest.raises(InputError, match=r"old Excel file \(\.xls\)"):
        file_kind(old)
    assert file_kind(csv_named_xlsx) == "csv"
    assert file_kind(write_xlsx(tmp_path, HEADER, name="riktig.bin")) == "xlsx"


def test_not_utf8_csv_names_line_and_column(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("nyckeltal,område,år,kön,värde\n".encode("latin-1"))

    with pytest.raises(InputError) as e:
        read(path)

    assert str(e.value) == f"{path}:1:14: not UTF-8 text (byte 0xe5); save the file as UTF-8"
