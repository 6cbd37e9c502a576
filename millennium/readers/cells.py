"""Cells of the municipalities' templates as people type them in Excel, read column by column.

Shared by the district template (areas_csv) and the key-figure spreadsheet (spreadsheet). Each parser returns
the parsed column and a mask of the cells it could not read, so that a reader can stop at the first one or
collect them all.
"""

import csv
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .csvfile import decode_utf8
from .errors import InputError

SEXES = {"": "T", "T": "T", "K": "K", "M": "M"}
SPACES = r"[\s\u00a0\u202f]"


@dataclass(frozen=True)
class Problem:
    """One cell (or line) that cannot be read: where, what it holds, what was expected.

    `kind` names the rule, so that a page can say it in its own language; `message` says it in English.
    """

    line: int | None
    column: str | None
    value: str
    kind: str
    message: str
    cell: str | None = None  # the spreadsheet's address, e.g. "E7", for XLSX files
    other_line: int | None = None  # where the row it clashes with is (a duplicate, another name)


class InputErrors(InputError):
    """Every problem found in a file. Reads like an InputError of the first, with how many more follow."""

    def __init__(self, path: Path | str, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: p.line or 0)  # stable: columns stay in file order
        first = self.problems[0]
        more = len(self.problems) - 1
        super().__init__(path, first.line, first.message + (f" (and {more} more problem{'s' * (more > 1)})"
                                                            if more else ""), first.column)

    def lines(self) -> list[str]:
        """Every problem as `file:line:column: message`, in the order of the file."""
        return [str(InputError(self.path, p.line, p.message, p.column)) for p in self.problems]


def decimal_numbers(raw: pd.Series, *, decimal_comma: bool) -> tuple[np.ndarray, np.ndarray]:
    """(values, unreadable) of text cells; '' is NaN and readable.

    With `decimal_comma`, `12,5` and `12.5` both mean 12.5 and spaces may separate thousands (`1 234,5`);
    a cell with both a comma and a point (`1.234,5`, `1,234.5`) is unreadable rather than guessed at.
    """
    text = raw.str.strip()
    if decimal_comma:
        text = text.str.replace(SPACES, "", regex=True)
        both = text.str.contains(",", regex=False) & text.str.contains(".", regex=False)
        text = text.str.replace(",", ".", regex=False).where(~both, "x")
    values = pd.to_numeric(text.where(text != "", None), errors="coerce").to_numpy(dtype="float64")
    return values, (~np.isfinite(values) & (text != "").to_numpy())


def years(raw: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(years as int16, 0 where unreadable; unreadable): four-digit years 1000–2999."""
    found = pd.to_numeric(raw.str.strip(), errors="coerce").to_numpy(dtype="float64")
    bad = ~np.isfinite(found) | (found != np.round(found)) | (found < 1000) | (found > 2999)
    return np.where(bad, 0, found).astype("int16"), bad


def sexes(raw: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(T | K | M, '' where unreadable; unreadable); empty means T, case does not matter."""
    text = raw.str.strip().str.upper()
    bad = ~text.isin(list(SEXES)).to_numpy()
    return text.map(SEXES).fillna("").to_numpy(dtype=object), bad


def header_name(cell: str) -> str:
    return unicodedata.normalize("NFC", cell).strip().lower()


def delimited_lines(path: Path, problems: list[Problem] | None = None) -> tuple[str, list[tuple[int, list[str]]]]:
    """(separator, [(line number, cells)]) of an Excel-written CSV file, comments and empty rows left out.

    UTF-8 with or without BOM; lines starting with `#` are comments; rows with every cell empty (Excel's
    `;;;;`) are skipped; the separator is the one the first line uses most. A record must fit on one line.
    A line that is not valid CSV is an InputError, or with `problems` is recorded there and left out.
    """
    text = decode_utf8(path)
    numbered = [(n, line.rstrip("\r")) for n, line in enumerate(text.split("\n"), start=1)
                if not line.lstrip().lstrip('"').startswith("#")]
    numbered = [(n, line) for n, line in numbered if line.strip(" \t;,")]
    if not numbered:
        return ",", []
    header = numbered[0][1]
    separator = ";" if header.count(";") > header.count(",") else ","
    rows = []
    for n, line in numbered:
        try:
            cells = next(csv.reader([line], delimiter=separator, strict=True))
        except csv.Error as e:
            message = f"not a valid CSV line ({e}); expected one record per line, quotes closed on the same line"
            if problems is None:
                raise InputError(path, n, message) from None
            problems.append(Problem(n, None, line[:80], "csv_line", message))
            continue
        rows.append((n, cells))
    return separator, rows
