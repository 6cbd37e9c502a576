"""The two CSV files of `millennium assess csv`: values (series_id,year,value) and settings per series
(series_id,base_year,target_year,direction,target,limit).

Large files are read by pyarrow's multi-threaded parser. When it refuses a file, the file is read again
slowly, only to find the line and column to report.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from .csvfile import decode_utf8
from .errors import InputError

VALUE_COLUMNS = ["series_id", "year", "value"]
SETTING_COLUMNS = ["series_id", "base_year", "target_year", "direction", "target", "limit"]


@dataclass
class ProgressInput:
    labels: pa.Array  # series ids in order of the settings file
    series: np.ndarray  # per value row: index into labels
    year: np.ndarray
    value: np.ndarray
    base_year: np.ndarray
    target_year: np.ndarray
    direction: np.ndarray
    target: np.ndarray
    limit: np.ndarray


def read_progress_csv(values_path: Path, settings_path: Path) -> ProgressInput:
    settings = _read(settings_path, SETTING_COLUMNS,
                      {"series_id": pa.string(), "base_year": pa.float64(), "target_year": pa.float64(),
                       "direction": pa.string(), "target": pa.float64(), "limit": pa.float64()})
    labels = settings.column("series_id").combine_chunks()
    if pc.count_distinct(labels).as_py() != len(labels):
        seen = set()
        for line, label in enumerate(labels.to_pylist(), start=2):
            if label in seen:
                raise InputError(settings_path, line, f"series {label!r} is configured twice", "series_id")
            seen.add(label)
    direction_text = settings.column("direction")
    direction = np.where(pc.equal(direction_text, "positive").to_numpy(zero_copy_only=False), 1.0,
                         np.where(pc.equal(direction_text, "negative").to_numpy(zero_copy_only=False), -1.0, np.nan))
    if (bad := np.flatnonzero(np.isnan(direction))).size:
        raise InputError(settings_path, int(bad[0]) + 2, f"direction {direction_text[int(bad[0])].as_py()!r}; "
                                                           "expected positive or negative", "direction")

    values = _read_values(values_path)
    series = _series_codes(values.column("series_id"), labels)
    if (missing := np.flatnonzero(series < 0)).size:
        first = int(missing[0])
        raise InputError(values_path, first + 2, f"series {values.column('series_id')[first].as_py()!r} is not "
                                                 f"in {settings_path.name}", "series_id")
    year = values.column("year")
    year = (year.to_numpy().astype("float64") if pa.types.is_integer(year.type)
            else _years(values_path, year))
    return ProgressInput(
        labels=labels,
        series=series,
        year=year,
        value=values.column("value").to_numpy(zero_copy_only=False).astype("float64", copy=False),
        base_year=_floats(settings, "base_year", 2015.0),
        target_year=_floats(settings, "target_year", 2030.0),
        direction=direction,
        target=_floats(settings, "target", np.nan),
        limit=_floats(settings, "limit", np.nan),
    )


def _read_values(path: Path) -> pa.Table:
    """Series ids dictionary-encoded while parsing; years as integers when they all are (fast), else as
    labels such as '2015-16'."""
    ids = pa.dictionary(pa.int32(), pa.string())
    try:
        return _read(path, VALUE_COLUMNS, {"series_id": ids, "year": pa.int32(), "value": pa.float64()},
                     locate=False)
    except pa.ArrowInvalid:
        return _read(path, VALUE_COLUMNS, {"series_id": ids, "year": pa.string(), "value": pa.float64()})


def _series_codes(ids: pa.ChunkedArray, labels: pa.Array) -> np.ndarray:
    """Index of each row's series in `labels` (-1 if absent).

    The parser gives each block of rows its own small dictionary of ids: those are looked up in one go
    (about a million look-ups for a million series) and each row takes its code through its block's indices.
    """
    chunks = [c for c in ids.chunks if len(c)]
    if not chunks:
        return np.zeros(0, dtype="int64")
    found = pc.index_in(pa.concat_arrays([c.dictionary for c in chunks]), value_set=labels)
    code = pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype("int64")
    offsets = np.cumsum([0] + [len(c.dictionary) for c in chunks])
    return np.concatenate([code[offset + c.indices.to_numpy(zero_copy_only=False)]
                           for offset, c in zip(offsets, chunks)])


def _floats(table: pa.Table, column: str, default: float) -> np.ndarray:
    return pc.fill_null(table.column(column), default).to_numpy(zero_copy_only=False).astype("float64")


def _years(path: Path, labels: pa.ChunkedArray) -> np.ndarray:
    """Years from labels: the first four characters ('2014/15' → 2014), as Open SDG reads periods."""
    try:
        return pc.cast(pc.utf8_slice_codeunits(labels, 0, 4), pa.int32()).to_numpy(
            zero_copy_only=False).astype("float64")
    except pa.ArrowInvalid:
        for line, label in enumerate(labels.to_pylist(), start=2):
            if not label[:4].isdigit():
                raise InputError(path, line, f"year {label!r}; expected a year such as 2015 or 2015-16",
                                 "year") from None
        raise


def _read(path: Path, columns: list[str], types: dict, *, locate: bool = True) -> pa.Table:
    """The table, or (with `locate`) an InputError naming the line and column pyarrow refused."""
    if not path.exists():
        raise InputError(path, None, "file not found")
    try:
        return pv.read_csv(path, convert_options=pv.ConvertOptions(
            column_types=types, include_columns=columns, strings_can_be_null=False,
            null_values=[""], quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowKeyError) as e:
        if not locate:
            raise pa.ArrowInvalid(str(e)) from None
        raise _locate(path, columns, types, str(e)) from None


def _locate(path: Path, columns: list[str], types: dict, problem: str) -> InputError:
    """The slow second reading: which line and column pyarrow refused, and why."""
    text = decode_utf8(path)
    rows = csv.reader(text.splitlines())
    header = next(rows, [])
    missing = [c for c in columns if c not in header]
    if missing:
        return InputError(path, 1, f"missing column(s) {', '.join(missing)}; expected {', '.join(columns)}")
    for line, row in enumerate(rows, start=2):
        if len(row) != len(header):
            return InputError(path, line, f"{len(row)} fields; expected {len(header)} ({', '.join(header)})")
        for name in columns:
            cell = row[header.index(name)]
            if types[name] == pa.float64() and cell != "":
                try:
                    float(cell)
                except ValueError:
                    return InputError(path, line, f"{cell!r} is not a number", name)
    return InputError(path, None, f"not a valid CSV table ({problem})")
