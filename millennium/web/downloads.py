"""A municipality's series of one key figure as CSV and Excel (XLSX) files.

CSV: comma-separated, UTF-8 without BOM, one header row, dot as decimal sign, numbers in full precision
(RFC 4180; what R, Python and statistics programs read as is). Excel users get the XLSX file instead.
Both are safe against formula injection (OWASP, "CSV Injection"): a text cell that starts with = + - @ tab
or carriage return is a formula to a spreadsheet, so in the CSV it gets a leading apostrophe and in the
XLSX it is stored as a text cell. Numbers stay numbers.
"""

import csv
import io
import re

import numpy as np
from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from millennium.statistics.models import ImportBatch, Observation
from millennium.statistics.spreadsheet_export import safe_text

from .gap_pages import municipality_or_404
from .measure_page import measure_or_404

COLUMNS = ["kommunkod", "kommun", "nyckeltal", "titel", "år", "kön", "värde", "källa", "import"]
#: The columns holding numbers; every other column is text.
NUMERIC = {"år", "värde", "import"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def series_rows(area, measure) -> list[tuple]:
    """One row per year and sex (T total, K women, M men), in `COLUMNS` order; one query."""
    credit = measure.source.credit
    return [(area.code, area.name, measure.code, measure.title_sv, year, sex, value, credit, batch)
            for year, sex, value, batch in Observation.objects.filter(area=area, measure=measure)
            .order_by("year", "sex").values_list("year", "sex", "value", "batch_id")]


def _filename(area, measure, extension: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", f"{area.code}-{measure.code}") + f".{extension}"


def csv_number(value) -> str:
    """Full precision, never in exponent notation: 0.00001, not 1e-05."""
    return np.format_float_positional(value, trim="-") if isinstance(value, float) else str(value)


def municipality_measure_csv(request, code, measure):
    area, measure = municipality_or_404(code), measure_or_404(measure)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in series_rows(area, measure):
        writer.writerow([csv_number(v) if c in NUMERIC else safe_text(v) for c, v in zip(COLUMNS, row)])
    response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(area, measure, "csv")}"'
    return response


def municipality_measure_xlsx(request, code, measure):
    area, measure = municipality_or_404(code), measure_or_404(measure)
    rows = series_rows(area, measure)
    book = Workbook()
    data = book.active
    data.title = "Data"
    data.append(COLUMNS)
    for cell in data[1]:
        cell.font = Font(bold=True)
    for row in rows:
        data.append(list(row))
        for cell, column in zip(data[data.max_row], COLUMNS):
            if column not in NUMERIC:
                # openpyxl stores a string starting with "=" as a formula; keep every text a text.
                cell.value, cell.data_type = str(cell.value), "s"
    for letter, width in zip("ABCDEFGHI", [11, 16, 12, 60, 7, 5, 12, 22, 8]):
        data.column_dimensions[letter].width = width
    data.freeze_panes = "A2"
    _source_sheet(book.create_sheet("Källa"), area, measure, rows, request)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(area, measure, "xlsx")}"'
    return response


def _source_sheet(sheet, area, measure, rows, request) -> None:
    """Where the numbers come from: the source's credit and address, the definition and the imports."""
    batches = ImportBatch.objects.filter(id__in={row[-1] for row in rows}).order_by("id")
    lines = [
        ("Källa", measure.source.credit),
        ("Källans webbplats", measure.source.url),
        ("Nyckeltal", f"{measure.code} {measure.title_sv}"),
        ("Enhet", measure.unit),
        ("Definition", measure.description_sv),
        ("Kommun", f"{area.code} {area.name}"),
        ("Kön", "T totalt, K kvinnor, M män"),
        ("Hämtad från", request.build_absolute_uri()),
        ("Hämtad", timezone.localtime().strftime("%Y-%m-%d %H:%M")),
        *((f"Import {b.id}", f"{b.source.credit}, {timezone.localtime(b.finished_at):%Y-%m-%d %H:%M}")
          for b in batches.select_related("source")),
    ]
    for term, text in lines:
        sheet.append([term, text])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        sheet.cell(sheet.max_row, 2).data_type = "s"
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 100
