"""Strict CSV reading shared by the readers: UTF-8 only, required columns, every cell as text."""

import io
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError


def decode_utf8(path: Path) -> str:
    """The file's text; a byte that is not UTF-8 is reported with its line and column."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise InputError(path, line, f"not UTF-8 text (byte 0x{data[e.start]:02x}); save the file as UTF-8",
                         column) from None


def read_text_table(path: Path, required: Iterable[str], *, one_line_rows: bool = True) -> pd.DataFrame:
    """All cells as strings ('' when empty); missing required columns are an error on line 1.

    With `one_line_rows`, row i of the result is line i + 2 of the file (line 1 is the header),
    so that errors found later can name their line; a file where that does not hold is refused.
    """
    text = decode_utf8(path)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except pd.errors.ParserError as e:
        # pandas counts lines from 1 like we do: "Expected 3 fields in line 5, saw 4".
        line = re.search(r"line (\d+)", str(e))
        raise InputError(path, int(line[1]) if line else None,
                         f"not a valid CSV table ({str(e).split(': ')[-1].strip()})") from None
    except pd.errors.EmptyDataError:
        raise InputError(path, 1, "empty file; expected a header line") from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(
            path, 1, f"missing column(s) {', '.join(missing)}; found {', '.join(map(str, frame.columns))}"
        )
    if one_line_rows:
        lines = text.count("\n") + (0 if text.endswith("\n") else 1)
        if lines != len(frame) + 1:
            raise InputError(path, None, "blank lines or quoted line breaks; expected one record per line")
    return frame


def first_bad(mask: np.ndarray) -> int | None:
    """Index of the first True in `mask`, or None."""
    hits = np.flatnonzero(mask)
    return int(hits[0]) if len(hits) else None


def parse_numbers(path: Path, column: str, raw: pd.Series, *, allow_empty: bool) -> np.ndarray:
    """Floats from text cells ('' → NaN where allowed); the first unreadable cell is an error."""
    values = pd.to_numeric(raw.where(raw != "", None), errors="coerce").to_numpy(dtype="float64")
    bad = ~np.isfinite(values) & ((raw != "").to_numpy() if allow_empty else True)
    if (i := first_bad(bad)) is not None:
        raise InputError(path, i + 2, f"{raw.iloc[i]!r} is not a number; expected a finite number "
                                      f"with a decimal point, e.g. 12.5", column)
    return values


def parse_years(path: Path, column: str, raw: pd.Series) -> np.ndarray:
    years = pd.to_numeric(raw, errors="coerce").to_numpy(dtype="float64")
    bad = ~np.isfinite(years) | (years != np.round(years)) | (years < 1000) | (years > 2999)
    if (i := first_bad(bad)) is not None:
        raise InputError(path, i + 2, f"{raw.iloc[i]!r} is not a year; expected a four-digit year, e.g. 2022",
                         column)
    return years.astype("int16")
