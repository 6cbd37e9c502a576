"""The municipality's own key figures: the spreadsheet template (docs/kalkylark.md), as CSV or XLSX.

One row per key figure, area, year and sex. Columns by Swedish name, in any order:

    nyckeltal · område · år · kön · värde          required
    nyckeltalsnamn · områdesnamn · enhet · kommentar   optional (only nyckeltalsnamn is read: the name of
                                                       the municipality's own new key figure)

The whole file is checked and every problem is collected with its line (the file's line, or the sheet's
row), column, value and what was expected, so that a person can fix them all at once. Given the key figures
and areas of the store (`measures`, `areas`), codes are checked against them too; the reader itself
never touches a database.

- CSV: as Excel writes it (UTF-8 with or without BOM, `,` or `;`, `#` comment lines, empty rows skipped).
- XLSX: the sheet "Data" (else the first sheet); the header is its first row that is not empty or a `#` comment.
- Numbers: `12,5`, `12.5` and `1 234,5`; an empty value means "no value": the row is kept with NaN.
- `kön`: T (total), K (women), M (men); empty means T.
- Areas: codes as stored (`1280`, `1280R001`, `1280C1010`, `1280-OMR01`); a three-digit municipality code
  gets back the leading zero Excel drops (`114` → `0114`).
"""

import datetime
import re
import zipfile
from collections.abc import Mapping, Set
from pathlib import Path

import numpy as np
import pandas as pd

from .cells import InputErrors, Problem, decimal_numbers, delimited_lines, header_name, sexes, years
from .errors import InputError

__all__ = ["COLUMNS", "OPTIONAL_COLUMNS", "SHEET", "read_spreadsheet", "raw_rows", "file_kind", "column_letter"]

COLUMNS = ["nyckeltal", "område", "år", "kön", "värde"]
OPTIONAL_COLUMNS = ["nyckeltalsnamn", "områdesnamn", "enhet", "kommentar"]
SHEET = "Data"
# Headers as tools mangle them (no å ä ö) or people write them.
ALIASES = {"omrade": "område", "områdeskod": "område", "omradeskod": "område", "ar": "år", "kon": "kön",
           "varde": "värde", "omradesnamn": "områdesnamn"}
KOLADA_ID = re.compile(r"[NU]\d{5}")
# The municipality's own key figure codes: kept to what can stand in an address.
OWN_CODE = re.compile(r"[A-Za-z0-9_-]{1,27}")
AREA_CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# An XLSX is a zip: a small upload can unpack to gigabytes. Real key-figure workbooks unpack to a few tens of MB.
MAX_XLSX_UNPACKED_BYTES = 200 * 2**20


def file_kind(path: Path) -> str:
    """'xlsx' or 'csv' by the file's content (not its name); an InputError for anything else."""
    head = Path(path).read_bytes()[:4096]
    if head.startswith(XLSX_MAGIC):
        try:
            with zipfile.ZipFile(path) as z:
                unpacked = sum(info.file_size for info in z.infolist())
                if "xl/workbook.xml" in z.namelist():
                    if unpacked > MAX_XLSX_UNPACKED_BYTES:
                        raise InputError(path, None, f"an Excel workbook that unpacks to {unpacked / 2**20:.0f} MB; "
                                         f"expected at most {MAX_XLSX_UNPACKED_BYTES // 2**20} MB (split the file)")
                    return "xlsx"
        except zipfile.BadZipFile:
            pass
        raise InputError(path, None, "a zip file that is not an Excel workbook; expected XLSX or CSV")
    if head.startswith(OLE_MAGIC):
        raise InputError(path, None, "an old Excel file (.xls); expected XLSX (Excel 2007 or later) or CSV: "
                                     "save it as Excel-arbetsbok (*.xlsx)")
    if b"\x00" in head:
        raise InputError(path, None, "a binary file; expected XLSX or CSV text")
    return "csv"


def column_letter(index: int) -> str:
    """Spreadsheet column letters of a 0-based index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_spreadsheet(path: Path, *, measures: Mapping[str, str] | None = None, areas: Set[str] | None = None,
                     municipality: str = "") -> pd.DataFrame:
    """The file's rows as a tidy frame, or InputErrors listing every problem.

    `measures` maps a code as written to the stored key figure's code (e.g. "N00945" → "N00945", the own
    "trygg" → "local:1280:trygg"); a code not in it is unknown, unless it is an own code with a
    `nyckeltalsnamn` (a new own key figure). `areas` are the codes the file may use (`municipality`'s own
    and its districts'). Without them codes are only checked for their form.

    Columns: line, cell_row (XLSX row or CSV line), measure (as written), measure_code (stored code, '' for
    a new own key figure), measure_name, area, year (int16), sex (T | K | M), value (float64, NaN if empty).
    """
    path = Path(path)
    kind = file_kind(path)
    problems: list[Problem] = []
    header_line, header, rows = raw_rows(path, problems)
    if header_line is None:
        raise InputErrors(path, problems + [Problem(1, None, "", "empty", "no header row; expected the columns "
                                                    + ", ".join(COLUMNS))])
    names = [ALIASES.get(header_name(c), header_name(c)) for c in header]
    letters = {name: column_letter(i) for i, name in reversed(list(enumerate(names)))}
    xlsx = kind == "xlsx"

    def problem(line, column, value, kind_, message, other_line=None):
        cell = f"{letters.get(column, '')}{line}" if xlsx and column in letters else None
        problems.append(Problem(int(line), column, str(value), kind_, message, cell,
                                None if other_line is None else int(other_line)))

    for name in COLUMNS:
        if name not in names:
            problem(header_line, name, "", "missing_column",
                    f"the column {name} is missing; expected the columns {', '.join(COLUMNS)} "
                    f"(found {', '.join(h for h in header if h) or 'none'})")
    for name in sorted({n for n in names if n and names.count(n) > 1}):
        problem(header_line, name, name, "duplicate_column", f"the column {name} appears twice; expected it once")
    if any(p.kind in ("missing_column", "duplicate_column") for p in problems):
        raise InputErrors(path, problems)

    width = len(names)
    lines, records = [], []
    last_required = max(names.index(c) for c in COLUMNS)
    for n, cells in rows:
        if last_required < len(cells) < width:
            cells = cells + [""] * (width - len(cells))  # empty optional cells at the end left out
        if len(cells) > width and not any(c.strip() for c in cells[width:]):
            cells = cells[:width]  # Excel pads rows, and may leave a trailing separator
        if len(cells) != width:
            problem(n, None, "", "cell_count", f"{len(cells)} cells; expected {width} like the header row")
            continue
        lines.append(n)
        records.append(cells)
    table = pd.DataFrame(records, columns=names, dtype=str).iloc[:, [names.index(c) for c in
                                                                        COLUMNS + [c for c in OPTIONAL_COLUMNS
                                                                                   if c in names]]]
    if table.empty and not problems:
        raise InputErrors(path, [Problem(header_line, None, "", "no_rows", "no data rows; expected one row per "
                                                                          "key figure, area, year and sex")])
    line_numbers = np.asarray(lines, dtype="int64")

    def each_bad(mask, column, kind_, message):
        for i in np.flatnonzero(mask):
            problem(line_numbers[i], column, table[column].iloc[i], kind_, message(table[column].iloc[i]))

    # A leading apostrophe is how spreadsheets mark text (and how exports guard against formulas).
    measure = table["nyckeltal"].str.strip().str.removeprefix("'")
    is_kolada = measure.str.upper().str.fullmatch(KOLADA_ID.pattern)
    measure = measure.where(~is_kolada, measure.str.upper())
    measure_name = (table["nyckeltalsnamn"].str.strip() if "nyckeltalsnamn" in table
                    else pd.Series("", index=table.index))
    measure_code = measure.map(dict(measures)) if measures is not None else measure
    measure_code = measure_code.fillna("")
    if measures is None:
        each_bad((measure == "").to_numpy(), "nyckeltal", "measure_empty",
                 lambda v: "no key figure; expected a key figure code, e.g. N00945")
    else:
        own_new = (measure_code == "") & ~is_kolada & measure.str.fullmatch(OWN_CODE.pattern) & (measure_name != "")
        each_bad(((measure_code == "") & ~own_new).to_numpy(), "nyckeltal", "unknown_measure",
                 lambda v: f"{v!r} is not a key figure in the store; expected a key figure code, e.g. N00945, or "
                           "the municipality's own code (letters, digits, - or _) with its name in nyckeltalsnamn")

    area = table["område"].str.strip().str.removeprefix("'")
    area = area.where(~area.str.fullmatch(r"\d{3}"), "0" + area)
    if areas is None:
        each_bad((~area.str.fullmatch(AREA_CODE.pattern)).to_numpy(), "område", "area_code",
                 lambda v: f"{v!r} is not an area code; expected e.g. 1280, 1280R001 or 1280C1010")
    else:
        known = area.isin(list(areas)).to_numpy()
        whose = f" of municipality {municipality}" if municipality else ""
        each_bad(~known, "område", "unknown_area",
                 lambda v: f"{v!r} is not an area{whose}; expected {municipality or 'a municipality code'} "
                           f"or one of its districts (RegSO, DeSO or own), e.g. {municipality or '1280'}R001")

    year, bad = years(table["år"])
    each_bad(bad, "år", "year", lambda v: f"{v!r} is not a year; expected a four-digit year, e.g. 2022")
    sex, bad = sexes(table["kön"])
    each_bad(bad, "kön", "sex", lambda v: f"{v!r} is not a sex; expected T (total), K (women) or M (men), "
                                          "or empty for T")
    value, bad = decimal_numbers(table["värde"], decimal_comma=True)
    each_bad(bad, "värde", "value", lambda v: f"{v!r} is not a number; expected a number such as 12,5 or 12.5, "
                                              "or empty for no value")

    frame = pd.DataFrame({
        "line": line_numbers, "measure": measure.to_numpy(dtype=object),
        "measure_code": measure_code.to_numpy(dtype=object), "measure_name": measure_name.to_numpy(dtype=object),
        "area": area.to_numpy(dtype=object), "year": year, "sex": sex, "value": value,
    })
    key = ["measure", "area", "year", "sex"]
    readable = frame["year"] != 0
    twice = frame[readable & frame.duplicated(key, keep=False)]
    first_line = twice.groupby(key)["line"].transform("min")
    for line, row, first in zip(twice["line"], twice.itertuples(), first_line):
        if line != first:
            problem(line, "nyckeltal", row.measure, "duplicate_row",
                    f"{row.measure} {row.area} {row.year} {row.sex} is already on line {first}; expected one row "
                    "per key figure, area, year and sex", first)
    own = frame[frame["measure_code"] == ""]
    names = own.groupby("measure")["measure_name"].nunique()
    for code in names[names > 1].index:
        rows_of = own[own["measure"] == code]
        first = rows_of.iloc[0]
        for row in rows_of.itertuples():
            if row.measure_name != first["measure_name"]:
                problem(row.line, "nyckeltalsnamn", row.measure_name, "measure_name",
                        f"own key figure {code} is named {row.measure_name!r} here but {first['measure_name']!r} "
                        f"on line {first['line']}; expected one name", first["line"])
    if problems:
        raise InputErrors(path, problems)
    return frame


def raw_rows(path: Path, problems: list[Problem] | None = None):
    """(header line, header cells, [(line, cells)]) of a CSV or XLSX file, as text, before any check."""
    problems = [] if problems is None else problems
    return (_xlsx_rows if file_kind(path) == "xlsx" else _csv_rows)(Path(path), problems)


def _csv_rows(path: Path, problems: list[Problem]):
    _separator, rows = delimited_lines(path, problems)
    if not rows:
        return None, [], []
    return rows[0][0], rows[0][1], rows[1:]


def _xlsx_rows(path: Path, problems: list[Problem]):
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged file
        raise InputError(path, None, f"not a readable Excel workbook ({type(e).__name__}: {e}); "
                                     "expected an XLSX file saved by Excel or LibreOffice") from None
    try:
        sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
        rows = []
        for n, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            while cells and cells[-1] == "":
                cells.pop()
            if not cells or cells[0].lstrip().startswith("#"):
                continue
            rows.append((n, cells))
    finally:
        book.close()
    if not rows:
        return None, [], []
    return rows[0][0], rows[0][1], rows[1:]


def _cell_text(value) -> str:
    """A cell as the text a person sees, numbers in full precision (repr), so the CSV rules apply to both."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)
