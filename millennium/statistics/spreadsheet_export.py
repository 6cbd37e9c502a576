"""A municipality's key figures in the spreadsheet template (docs/kalkylark.md), as CSV or XLSX; and the
empty template. What is written here is read back by `readers.spreadsheet` unchanged: importing an export
changes nothing.

Numbers are written in full precision (CSV: shortest round-trip text, decimal point; XLSX: number cells).
Text cells are protected against formula injection as in the site's downloads (web/downloads.py).
"""

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from millennium.places.models import Area
from millennium.readers.spreadsheet import SHEET

from .areas_csv_import import local_measure_code
from .models import Observation
from .spreadsheet_import import municipality_areas

HEADER = ["nyckeltal", "nyckeltalsnamn", "område", "områdesnamn", "år", "kön", "värde", "enhet"]
WIDTHS = [14, 60, 12, 30, 7, 5, 12, 14]
# A text cell starting with one of these is run as a formula by Excel and LibreOffice (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXAMPLE = [("N00945", "Invånare 0-19 år, andel (%)", "1280", "Malmö", 2022, "T", 12.5, "%")]
INSTRUCTIONS = [
    ("Kommunens nyckeltal – mall", ""),
    ("", ""),
    ("Vad", "En rad per nyckeltal, område, år och kön. Fyll i bladet Data. Bladet Instruktioner läses inte."),
    ("nyckeltal", "Nyckeltalets kod: ett Kolada-id (N00945) eller kommunens egen kod (bokstäver, siffror, "
                  "- och _; högst 27 tecken). Ett nytt eget nyckeltal kräver nyckeltalsnamn."),
    ("nyckeltalsnamn", "Valfri. Namnet på ett nytt eget nyckeltal; läses inte för andra nyckeltal."),
    ("område", "Kommunens kod (1280) eller ett område i kommunen: RegSO (1280R001), DeSO (1280C1010) eller "
               "eget område (1280-OMR01). Andra kommuners områden avvisas."),
    ("områdesnamn", "Valfri, läses inte."),
    ("år", "Fyrsiffrigt år, t.ex. 2022."),
    ("kön", "T (totalt), K (kvinnor) eller M (män); tomt betyder T."),
    ("värde", "Ett tal: 12,5 eller 12.5 (mellanslag som tusentalsavgränsare går bra). Tomt = inget värde; "
              "raden hoppas över."),
    ("enhet, kommentar", "Valfria, läses inte."),
    ("", ""),
    ("Kontroller", "Hela filen kontrolleras innan något sparas. Varje fel anges med rad, kolumn, värde och vad "
                   "som väntades. Samma nyckeltal, område, år och kön får bara stå på en rad."),
    ("Spara", "Som Excel-arbetsbok (.xlsx) eller som CSV UTF-8. Läs in i webben under Ladda upp data, "
              "eller: millennium import spreadsheet FIL --municipality 1280"),
    ("Mer", "docs/kalkylark.md"),
]


def municipality_rows(municipality: Area, measure_codes: list[str] | None = None) -> pd.DataFrame:
    """Every stored value of the municipality and its districts (optionally of some key figures), in HEADER
    columns, ordered by key figure, area, year and sex."""
    area_ids = list(municipality_areas(municipality).values())
    observations = Observation.objects.filter(area_id__in=area_ids)
    if measure_codes:
        observations = observations.filter(measure__code__in=measure_codes)
    rows = pd.DataFrame(list(observations.values_list("measure__code", "measure__title_sv", "area__code",
                                                      "area__name", "year", "sex", "value", "measure__unit")),
                        columns=HEADER)
    own = local_measure_code(municipality.code, "")
    rows["nyckeltal"] = rows["nyckeltal"].where(~rows["nyckeltal"].str.startswith(own),
                                                rows["nyckeltal"].str[len(own):])
    return rows.sort_values(["nyckeltal", "område", "år", "kön"], kind="stable", ignore_index=True)


def write_csv(rows: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (so Excel opens å ä ö right), comma-separated, decimal point, CRLF."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows[HEADER].itertuples(index=False):
        writer.writerow([_number_text(v) if c in ("år", "värde") else _safe_text(v) for c, v in zip(HEADER, row)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(rows: pd.DataFrame) -> bytes:
    """A workbook with the sheet Data (the rows) and the sheet Instruktioner."""
    book = Workbook()
    data = book.active
    data.title = SHEET
    data.append(HEADER)
    for cell in data[1]:
        cell.font = Font(bold=True)
    # Cells by index: `ws[ws.max_row]` scans every cell, which makes a large sheet quadratic.
    for r, row in enumerate(rows[HEADER].itertuples(index=False), start=2):
        for c, (column, value) in enumerate(zip(HEADER, row), start=1):
            cell = data.cell(row=r, column=c, value=_xlsx_value(column, value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # a text starting with "=" stays a text, not a formula
    for letter, width in zip("ABCDEFGH", WIDTHS):
        data.column_dimensions[letter].width = width
    data.freeze_panes = "A2"
    sex = DataValidation(type="list", formula1='"T,K,M"', allow_blank=True, showErrorMessage=True,
                         errorTitle="Kön", error="T, K eller M")
    data.add_data_validation(sex)
    sex.add("F2:F1048576")
    sheet = book.create_sheet("Instruktioner")
    for term, text in INSTRUCTIONS:
        sheet.append([term, text])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 110
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_rows() -> pd.DataFrame:
    return pd.DataFrame(EXAMPLE, columns=HEADER)


def write(rows: pd.DataFrame, path: Path) -> None:
    """By the file's extension: .xlsx or .csv."""
    path = Path(path)
    path.write_bytes(write_xlsx(rows) if path.suffix.lower() == ".xlsx" else write_csv(rows))


def _number_text(value) -> str:
    return np.format_float_positional(value, trim="-") if isinstance(value, float) else str(value)


def safe_text(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula: a leading apostrophe where it could start one."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _safe_text(value) -> str:
    return safe_text("" if value is None else str(value))


def _xlsx_value(column: str, value):
    """Years and values as number cells; any text as a text cell (a person may have typed one)."""
    if column in ("år", "värde") and isinstance(value, (int, float, np.integer, np.floating)):
        if column == "år":
            return int(value)
        # openpyxl writes 16 significant digits; the few values that need 17 go as exact text (read back alike).
        return float(value) if float("%.16g" % value) == value else repr(float(value))
    return "" if value is None else str(value)
