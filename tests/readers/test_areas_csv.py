"""The district template reader: every validation error with its exact message, both separators, comments."""

import math

import pytest

from millennium.readers import InputError
from millennium.readers.areas_csv import read_areas_csv

HEADER = "kommun,omradeskod,omradesnamn,nivå,nyckeltal,nyckeltalsnamn,år,kön,värde"
ROW = "1280,1280R001,Almvik norr,regso,N00945,,2020,T,12.5"


def write(tmp_path, *lines, name="data.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_read_areas_csv_comma_file_returns_tidy_frame(tmp_path):
    path = write(tmp_path, HEADER, ROW, "1280,OMR01,Centrum,eget,trygg,Trygghet (%),2021,k,")

    frame = read_areas_csv(path)

    assert frame.drop(columns="value").to_dict("records") == [
        {"line": 2, "kommun": "1280", "level": "regso", "area_code": "1280R001", "area_name": "Almvik norr",
         "measure": "N00945", "measure_kind": "kolada", "measure_name": "", "year": 2020, "sex": "T"},
        {"line": 3, "kommun": "1280", "level": "custom", "area_code": "OMR01", "area_name": "Centrum",
         "measure": "trygg", "measure_kind": "own", "measure_name": "Trygghet (%)", "year": 2021, "sex": "K"},
    ]
    assert frame["value"].iloc[0] == 12.5
    assert math.isnan(frame["value"].iloc[1])


def test_read_areas_csv_semicolon_file_with_decimal_commas_and_excel_habits(tmp_path):
    path = tmp_path / "excel.csv"
    text = ("\ufeffKommun ; omradeskod;omradesnamn;NIVÅ;nyckeltal;år;kön;värde;kommentar\r\n"
            "114;0114C1010;Bollstanäs (1010);DeSO;n00945;2020;;1\u00a0234,5;\r\n"
            ";;;;;;;;\r\n"
            "0114;0114R001;Bollstanäs;regso;N00945;2020;M;12.5;ok;;\r\n")
    path.write_bytes(text.encode("utf-8"))

    frame = read_areas_csv(path)

    assert frame[["line", "kommun", "level", "area_code", "measure", "sex", "value"]].to_dict("records") == [
        {"line": 2, "kommun": "0114", "level": "deso", "area_code": "0114C1010", "measure": "N00945", "sex": "T",
         "value": 1234.5},
        {"line": 4, "kommun": "0114", "level": "regso", "area_code": "0114R001", "measure": "N00945", "sex": "M",
         "value": 12.5},
    ]


def test_read_areas_csv_comment_lines_ignored_and_lines_counted(tmp_path):
    path = write(tmp_path, "# EXEMPEL, fiktiva värden", HEADER, "#1280,1280R001,x,regso,N00945,,2019,T,1",
                 '"# citerad kommentar, från Excel"', ROW, "1280,1280R001,Almvik norr,regso,N00945,,20x0,T,1")

    with pytest.raises(InputError) as e:
        read_areas_csv(path)

    assert str(e.value) == f"{path}:6:år: '20x0' is not a year; expected a four-digit year, e.g. 2022"


@pytest.mark.parametrize(("lines", "expected"), [
    ([], "1: empty file; expected a header line: kommun,omradeskod,omradesnamn,nivå,nyckeltal,år,kön,värde"),
    ([HEADER], "no data rows; expected one row per district, key figure, year and sex"),
    (["kommun,omradeskod,nivå,nyckeltal,år,värde", ROW],
     "1: missing column(s) omradesnamn, kön; found kommun, omradeskod, nivå, nyckeltal, år, värde "
     "(separator ',')"),
    ([HEADER + ",kön", ROW], "1: column kön appears twice; expected each column once"),
    ([HEADER, ROW + ",5"], "2: 10 cells; expected 9 like the header line (separator ',')"),
    ([HEADER, '1280,1280R001,"Almvik,regso,N00945,,2020,T,1'],
     "2: not a valid CSV line (unexpected end of data); expected one record per line, quotes closed on the "
     "same line"),
    ([HEADER, ROW.replace("1280,", "12800,", 1)],
     "2:kommun: '12800' is not a municipality code; expected four digits, e.g. 1280"),
    ([HEADER, ROW.replace("regso", "stadsdel")],
     "2:nivå: 'stadsdel' is not a level; expected regso, deso or eget"),
    ([HEADER, ROW.replace("1280R001", "1280R01")],
     "2:omradeskod: '1280R01' is not a RegSO code; expected the municipality code, R and three digits, "
     "e.g. 1280R001"),
    ([HEADER, ROW.replace("1280R001", "1280C1010")],
     "2:omradeskod: '1280C1010' is not a RegSO code; expected the municipality code, R and three digits, "
     "e.g. 1280R001"),
    ([HEADER, ROW.replace("1280R001", "1280D1010").replace("regso", "deso")],
     "2:omradeskod: '1280D1010' is not a DeSO code; expected the municipality code, A, B or C and four digits, "
     "e.g. 1280C1010"),
    ([HEADER, ROW.replace("1280R001", "1281R001")],
     "2:omradeskod: RegSO 1281R001 does not belong to municipality 1280; expected a code beginning with 1280"),
    ([HEADER, ROW.replace("1280R001", "1281C1010").replace("regso", "deso")],
     "2:omradeskod: DeSO 1281C1010 does not belong to municipality 1280; expected a code beginning with 1280"),
    ([HEADER, ROW.replace("1280R001", "Område 1").replace("regso", "eget")],
     "2:omradeskod: 'Område 1' is not a district code; expected 1 to 27 characters: letters A–Z, digits, "
     "- or _"),
    ([HEADER, ROW.replace("1280R001,Almvik norr", "OMR1,").replace("regso", "eget")],
     "2:omradesnamn: own district OMR1 has no name; expected its name in omradesnamn"),
    ([HEADER, ROW.replace("N00945", "trygg område")],
     "2:nyckeltal: 'trygg område' is not a key figure code; expected a Kolada id such as N00945, or the "
     "municipality's own code of 1 to 27 characters: letters A–Z, digits, - or _"),
    ([HEADER, ROW.replace("N00945", "TRYGG")],
     "2:nyckeltalsnamn: own key figure 'TRYGG' has no name; expected its name in nyckeltalsnamn"),
    ([HEADER.replace(",nyckeltalsnamn", ""), ROW.replace("N00945,,", "TRYGG,")],
     "2:nyckeltalsnamn: own key figure 'TRYGG' has no name (the column is missing); expected its name in "
     "nyckeltalsnamn"),
    ([HEADER, ROW.replace("2020", "2020.5")],
     "2:år: '2020.5' is not a year; expected a four-digit year, e.g. 2022"),
    ([HEADER, ROW.replace(",T,", ",X,")],
     "2:kön: 'X' is not a sex; expected T (total), K (women) or M (men), or empty for T"),
    ([HEADER, ROW.replace("12.5", '"12,5"')],
     "2:värde: '12,5' is not a number; expected a number with a decimal point, e.g. 12.5 (decimal commas only "
     "in files separated by ;), or empty for no value"),
    ([HEADER, ROW.replace("12.5", "n/a")],
     "2:värde: 'n/a' is not a number; expected a number with a decimal point, e.g. 12.5 (decimal commas only "
     "in files separated by ;), or empty for no value"),
    ([HEADER, ROW, ROW.replace("2020", "2021").replace("Almvik norr", "Almvik")],
     "3:omradesnamn: district 1280R001 is named 'Almvik' here but 'Almvik norr' on line 2; expected one name"),
    ([HEADER, ROW.replace("N00945,", "TRYGG,Trygghet"), ROW.replace("N00945,", "TRYGG,Trygg").replace("20", "21")],
     "3:nyckeltalsnamn: key figure TRYGG is named 'Trygg' here but 'Trygghet' on line 2; expected one name"),
    ([HEADER, ROW, ROW.replace("12.5", "13")],
     "3: 1280R001 N00945 2020 T is already on line 2; expected one row per district, key figure, year and sex"),
    ([HEADER, ROW, ROW.replace(",T,", ",,")],
     "3: 1280R001 N00945 2020 T is already on line 2; expected one row per district, key figure, year and sex"),
])
def test_read_areas_csv_refuses_bad_input_with_exact_message(tmp_path, lines, expected):
    path = write(tmp_path, *lines)
    where = f"{path}:" if expected[0].isdigit() else f"{path}: "

    with pytest.raises(InputError) as e:
        read_areas_csv(path)

    assert str(e.value) == where + expected


def test_read_areas_csv_semicolon_file_reports_bad_number_with_comma_rule(tmp_path):
    path = write(tmp_path, HEADER.replace(",", ";"), ROW.replace(",", ";").replace("12.5", "12,5,0"))

    with pytest.raises(InputError) as e:
        read_areas_csv(path)

    assert str(e.value) == (f"{path}:2:värde: '12,5,0' is not a number; expected a number with a decimal comma "
                            "or point, e.g. 12,5, or empty for no value")


def test_read_areas_csv_not_utf8_names_line_and_column(tmp_path):
    path = tmp_path / "ansi.csv"
    path.write_bytes((HEADER + "\n" + ROW + "\n").encode("cp1252"))

    with pytest.raises(InputError) as e:
        read_areas_csv(path)

    assert str(e.value) == f"{path}:1:34: not UTF-8 text (byte 0xe5); save the file as UTF-8"
