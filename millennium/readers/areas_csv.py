"""A municipality's own district figures: the template `omradesdata-mall.csv` (docs/omradesdata.md).

Kolada has no sub-municipal data, so municipalities fill in this template themselves, usually in Excel.
The file is read as Excel writes it, and checked completely before anything is stored:

- UTF-8 (with or without the byte-order mark Excel writes for "CSV UTF-8").
- Separated by commas or by semicolons, decided by the header line. Swedish Excel writes semicolons and
  decimal commas, so in a semicolon file `12,5` and `12.5` both mean 12.5 (spaces as thousands separators,
  `1 234,5`, are allowed there too). In a comma file only the decimal point is read.
- Lines that begin with `#` are comments and are ignored, as are rows with every cell empty (Excel writes
  `;;;;;;;` for them). Line numbers in messages are the file's own, comments included.
- Columns by name in any order; names are compared without case and surrounding spaces; other columns
  (e.g. a `kommentar`) are ignored.
- `kommun` is four digits; three digits are read with the leading zero Excel drops (`114` → `0114`).
- An empty `värde` means "no value": the row is kept, with NaN, and the importer skips it.
"""

import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from .cells import decimal_numbers, delimited_lines
from .csvfile import first_bad, parse_years
from .errors import InputError

__all__ = ["COLUMNS", "OPTIONAL_COLUMNS", "read_areas_csv"]

COLUMNS = ["kommun", "omradeskod", "omradesnamn", "nivå", "nyckeltal", "år", "kön", "värde"]
OPTIONAL_COLUMNS = ["nyckeltalsnamn"]
# The template's level names → Area levels.
LEVELS = {"regso": "regso", "deso": "deso", "eget": "custom"}
SEXES = {"": "T", "T": "T", "K": "K", "M": "M"}
# Official codes (SCB): RegSO 1280R001; DeSO 1280C1010, the letter A (rural), B (town) or C (centre).
OFFICIAL = {
    "regso": (re.compile(r"\d{4}R\d{3}"), "the municipality code, R and three digits, e.g. 1280R001"),
    "deso": (re.compile(r"\d{4}[ABC]\d{4}"), "the municipality code, A, B or C and four digits, e.g. 1280C1010"),
}
KOLADA_ID = re.compile(r"[NU]\d{5}")
# An own district becomes Area `<kommun>-<code>` (at most 32 characters); own key figures
# `local:<kommun>:<code>`. Codes appear in addresses, so they are kept to letters, digits, - and _.
OWN_CODE = re.compile(r"[A-Za-z0-9_-]{1,27}")
OWN_CODE_RULE = "1 to 27 characters: letters A–Z, digits, - or _"


def read_areas_csv(path: Path) -> pd.DataFrame:
    """The template's rows as a tidy frame, or an InputError naming the first problem's line and column.

    Returns one row per data line with columns: line (in the file), kommun, level (regso | deso | custom),
    area_code (as written: the official code, or the municipality's own), area_name, measure,
    measure_kind (kolada | own), measure_name ('' for Kolada ids), year (int16), sex (T | K | M) and
    value (float64, NaN when empty).
    """
    path = Path(path)
    separator, header, lines, records = _records(path)
    table = pd.DataFrame(records, columns=header, dtype=str)
    if table.empty:
        raise InputError(path, None, "no data rows; expected one row per district, key figure, year and sex")

    def fail(i: int, column: str, message: str):
        raise InputError(path, int(lines[i]), message, column)

    kommun = table["kommun"].str.strip()
    kommun = kommun.where(~kommun.str.fullmatch(r"\d{3}"), "0" + kommun)
    if (i := first_bad(~kommun.str.fullmatch(r"\d{4}").to_numpy())) is not None:
        fail(i, "kommun", f"{table['kommun'].iloc[i]!r} is not a municipality code; expected four digits, e.g. 1280")

    level_text = table["nivå"].str.strip().str.lower()
    if (i := first_bad(~level_text.isin(list(LEVELS)).to_numpy())) is not None:
        fail(i, "nivå", f"{table['nivå'].iloc[i]!r} is not a level; expected regso, deso or eget")
    level = level_text.map(LEVELS)

    code = table["omradeskod"].str.strip()
    name = table["omradesnamn"].str.strip()
    for i in range(len(table)):
        _check_area(fail, i, level.iloc[i], code.iloc[i], kommun.iloc[i], name.iloc[i])

    measure = table["nyckeltal"].str.strip()
    is_kolada = measure.str.upper().str.fullmatch(KOLADA_ID.pattern)
    measure = measure.where(~is_kolada, measure.str.upper())
    measure_name = (table["nyckeltalsnamn"].str.strip() if "nyckeltalsnamn" in table
                    else pd.Series("", index=table.index))
    measure_name = measure_name.where(~is_kolada, "")
    if (i := first_bad((~is_kolada & ~measure.str.fullmatch(OWN_CODE.pattern)).to_numpy())) is not None:
        fail(i, "nyckeltal", f"{table['nyckeltal'].iloc[i]!r} is not a key figure code; expected a Kolada id "
                             f"such as N00945, or the municipality's own code of {OWN_CODE_RULE}")
    if (i := first_bad((~is_kolada & (measure_name == "")).to_numpy())) is not None:
        where = "" if "nyckeltalsnamn" in table else " (the column is missing)"
        fail(i, "nyckeltalsnamn", f"own key figure {measure.iloc[i]!r} has no name{where}; expected its name "
                                  "in nyckeltalsnamn")

    try:
        year = parse_years(path, "år", table["år"].str.strip())
    except InputError as e:
        raise InputError(path, int(lines[e.line - 2]), e.message, e.column) from None

    sex_text = table["kön"].str.strip().str.upper()
    if (i := first_bad(~sex_text.isin(list(SEXES)).to_numpy())) is not None:
        fail(i, "kön", f"{table['kön'].iloc[i]!r} is not a sex; expected T (total), K (women) or M (men), "
                       "or empty for T")
    sex = sex_text.map(SEXES)

    value = _values(fail, table["värde"], decimal_comma=separator == ";")

    frame = pd.DataFrame({
        "line": lines, "kommun": kommun, "level": level, "area_code": code, "area_name": name,
        "measure": measure, "measure_kind": np.where(is_kolada, "kolada", "own"), "measure_name": measure_name,
        "year": year, "sex": sex, "value": value,
    })
    _check_consistent(path, frame, ["kommun", "level", "area_code"], "area_name", "omradesnamn", "district")
    _check_consistent(path, frame[frame["measure_kind"] == "own"], ["kommun", "measure"], "measure_name",
                      "nyckeltalsnamn", "key figure")
    _check_unique(path, frame)
    return frame


def _records(path: Path):
    """(separator, columns, line numbers, cell lists) of the file, comments and empty rows left out.

    The separator is the one the header line uses most. A record must fit on one line.
    """
    separator, rows = delimited_lines(path)
    if not rows:
        raise InputError(path, 1, f"empty file; expected a header line: {','.join(COLUMNS)}")
    header_line = rows[0][0]
    header = [unicodedata.normalize("NFC", c).strip().lower() for c in rows[0][1]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError(path, header_line, f"missing column(s) {', '.join(missing)}; found {', '.join(header)} "
                                            f"(separator {separator!r})")
    if len(set(header)) != len(header):
        twice = next(c for c in header if header.count(c) > 1)
        raise InputError(path, header_line, f"column {twice} appears twice; expected each column once")
    width = len(header)
    records, lines = [], []
    for n, cells in rows[1:]:
        # Excel pads short rows with empty cells, and may leave a trailing separator.
        if len(cells) > width and not any(c.strip() for c in cells[width:]):
            cells = cells[:width]
        if len(cells) != width:
            raise InputError(path, n, f"{len(cells)} cells; expected {width} like the header line "
                                      f"(separator {separator!r})")
        records.append(cells)
        lines.append(n)
    return separator, header, np.array(lines, dtype="int64"), records


def _check_area(fail, i: int, level: str, code: str, kommun: str, name: str) -> None:
    if level in OFFICIAL:
        pattern, rule = OFFICIAL[level]
        label = "RegSO" if level == "regso" else "DeSO"
        if not pattern.fullmatch(code):
            fail(i, "omradeskod", f"{code!r} is not a {label} code; expected {rule}")
        if not code.startswith(kommun):
            fail(i, "omradeskod", f"{label} {code} does not belong to municipality {kommun}; expected a code "
                                  f"beginning with {kommun}")
    else:
        if not OWN_CODE.fullmatch(code):
            fail(i, "omradeskod", f"{code!r} is not a district code; expected {OWN_CODE_RULE}")
        if not name:
            fail(i, "omradesnamn", f"own district {code} has no name; expected its name in omradesnamn")


def _values(fail, raw: pd.Series, *, decimal_comma: bool) -> np.ndarray:
    values, bad = decimal_numbers(raw, decimal_comma=decimal_comma)
    if (i := first_bad(bad)) is not None:
        expected = ("a number with a decimal comma or point, e.g. 12,5" if decimal_comma
                    else "a number with a decimal point, e.g. 12.5 (decimal commas only in files separated by ;)")
        fail(i, "värde", f"{raw.iloc[i]!r} is not a number; expected {expected}, or empty for no value")
    return values


def _check_consistent(path: Path, frame: pd.DataFrame, key: list[str], column: str, label: str,
                      what: str) -> None:
    """Every row of one key has the same `column`; else the first row that differs, and where it first appeared."""
    first = frame.groupby(key, sort=False)[column].transform("first")
    if (i := first_bad((frame[column] != first).to_numpy())) is not None:
        row = frame.iloc[i]
        same = frame[(frame[key] == row[key]).all(axis=1)].iloc[0]
        code = row["area_code"] if what == "district" else row["measure"]
        raise InputError(path, int(row["line"]), f"{what} {code} is named {row[column]!r} here but "
                                                 f"{same[column]!r} on line {same['line']}; expected one name",
                         label)


def _check_unique(path: Path, frame: pd.DataFrame) -> None:
    key = ["kommun", "level", "area_code", "measure", "year", "sex"]
    if (i := first_bad(frame.duplicated(key).to_numpy())) is not None:
        row = frame.iloc[i]
        same = frame[(frame[key] == row[key]).all(axis=1)].iloc[0]
        raise InputError(path, int(row["line"]), f"{row['area_code']} {row['measure']} {row['year']} "
                                                 f"{row['sex']} is already on line {same['line']}; expected "
                                                 "one row per district, key figure, year and sex")
