"""JSON-stat 2.0 datasets into one tidy table: a column per dimension, the value, and its status symbol.

The format (https://json-stat.org/full/, version 2.0) keeps a cube as a flat `value` array in row-major order
over the dimensions listed in `id` with sizes `size`: the last dimension varies fastest. Each dimension's
`category.index` gives its categories' positions, either as an object {code: position} or as an array of codes
in order; a dimension of one category may leave `index` out and name its category in `label` only. `value`
is an array (null where there is no value) or, for sparse cubes, an object {"flat position": value}. `status`
is a string (one symbol for every value), an array (one per value, or one for all) or an object {"flat
position": symbol}.

PxWeb (SCB's PxWebApi 2 and the json-stat2 output of the older API v1) writes exactly this: PX data symbols
('..' not available, '.' not applicable, '-' nothing, '...' …) become `value: null` plus a `status` entry, and
a cell with a data note keeps its value and gets the note as status (PCAxis.Serializers JsonStat2Serializer,
`ExtractValueAndStatus`). The contents variable (`role.metric`, `ContentsCode`) carries each content's unit in
`category.unit[code].base` and its decimals (PxWebApi 2 spec, PxTools/PxApiSpecs PxAPI-2.yml, schema
`jsonstat-category`).

Pure: no Django, no network. Building the table is vectorised: the category code of every dimension for
every flat position comes from one `numpy.unravel_index`, never a Python loop per value.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["Dimension", "JsonStatDataset", "read_jsonstat", "parse_jsonstat", "parse_dimensions"]


@dataclass
class Dimension:
    """One dimension of a dataset: its id, label, categories in cube order, their labels and units."""

    id: str
    label: str
    codes: list[str]
    labels: dict[str, str]
    units: dict[str, dict] = field(default_factory=dict)
    extension: dict = field(default_factory=dict)


@dataclass
class JsonStatDataset:
    """A parsed dataset.

    table: one row per cell, a column per dimension (category codes, as pandas categoricals in cube order),
        `value` (float64, NaN where the cube has none) and `status` (the status symbol, '' where none).
    dimensions: id → `Dimension`, in the order of the dataset's `id`.
    """

    table: pd.DataFrame
    dimensions: dict[str, Dimension]
    label: str = ""
    source: str = ""
    updated: str = ""
    role: dict[str, list[str]] = field(default_factory=dict)
    extension: dict = field(default_factory=dict)
    note: list = field(default_factory=list)


def read_jsonstat(path: Path | str) -> JsonStatDataset:
    """Read a JSON-stat 2.0 dataset from a file; see `parse_jsonstat`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(path, None, f"cannot read the file ({e})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(path, e.lineno, f"not valid JSON: {e.msg}", column=e.colno) from None
    return parse_jsonstat(data, source=path)


def parse_jsonstat(data: Any, *, source: Path | str = "<JSON-stat>") -> JsonStatDataset:
    """A JSON-stat 2.0 dataset (already decoded from JSON) as a tidy table.

    Parameters
    ----------
    data : dict
        The decoded document: a dataset (``"class": "dataset"``) with `id`, `size`, `dimension`, `value`.
    source : path or str
        Where it came from (a file or a URL), named in error messages.

    Returns
    -------
    JsonStatDataset

    Raises
    ------
    InputError
        The document is not a JSON-stat 2.0 dataset, or its parts disagree (sizes, index, value count); the
        message names the field, e.g. ``dimension.Region.category.index``.

    Notes
    -----
    A dataset with a dimension of size 0 has no cells and gives an empty table. Values that are not numbers
    (JSON-stat allows strings) are an error: statistics here are numeric.

    Examples
    --------
    >>> ds = parse_jsonstat({
    ...     "version": "2.0", "class": "dataset", "id": ["Region", "Tid"], "size": [2, 2],
    ...     "dimension": {
    ...         "Region": {"label": "region", "category": {"index": {"1280": 0, "0180": 1},
    ...                                                   "label": {"1280": "Malmö", "0180": "Stockholm"}}},
    ...         "Tid": {"label": "år", "category": {"index": ["2021", "2022"]}}},
    ...     "value": [351749, 357377, 978770, None], "status": {"3": ".."}})
    >>> ds.table.to_numpy().tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['1280', '2021', 351749.0, ''], ['1280', '2022', 357377.0, ''],
     ['0180', '2021', 978770.0, ''], ['0180', '2022', nan, '..']]
    >>> ds.dimensions["Region"].labels["0180"]
    'Stockholm'
    """
    if not isinstance(data, dict):
        raise InputError(source, None, f"expected a JSON-stat dataset (a JSON object), got {type(data).__name__}")
    if data.get("class") != "dataset":
        raise InputError(source, None, f"expected \"class\": \"dataset\", got {data.get('class')!r}",
                         column="class")
    if str(data.get("version", "2.0")) != "2.0":
        raise InputError(source, None, f"expected JSON-stat version 2.0, got {data.get('version')!r}",
                         column="version")
    ids, sizes = data.get("id"), data.get("size")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise InputError(source, None, "expected `id`, a list of dimension ids", column="id")
    if not isinstance(sizes, list) or not all(isinstance(s, int) and s >= 0 for s in sizes):
        raise InputError(source, None, "expected `size`, a list of non-negative integers", column="size")
    if len(ids) != len(sizes):
        raise InputError(source, None, f"`id` has {len(ids)} dimensions but `size` {len(sizes)}", column="size")
    dimensions = parse_dimensions(data, source=source)
    cells = int(np.prod(sizes, dtype=np.int64)) if sizes else 1
    values = _values(data.get("value"), cells, source)
    status = _status(data.get("status"), cells, source)

    positions = np.unravel_index(np.arange(cells), sizes) if sizes else ()
    columns = {
        d: pd.Categorical.from_codes(pos.astype(np.int32), categories=dimensions[d].codes)
        for d, pos in zip(ids, positions)
    }
    table = pd.DataFrame({**columns, "value": values, "status": status})
    role = {k: list(v) for k, v in (data.get("role") or {}).items() if isinstance(v, list)}
    note = data.get("note") or []
    return JsonStatDataset(table=table, dimensions=dimensions, label=str(data.get("label") or ""),
                           source=str(data.get("source") or ""), updated=str(data.get("updated") or ""),
                           role=role, extension=data.get("extension") or {},
                           note=note if isinstance(note, list) else [note])


def parse_dimensions(data: dict, *, source: Path | str = "<JSON-stat>") -> dict[str, Dimension]:
    """The dimensions of a dataset, in the order of its `id`, without reading its values.

    PxWebApi 2 answers `/tables/{id}/metadata` with such a dataset whose `value` is empty.
    """
    ids, sizes = data.get("id"), data.get("size")
    if not isinstance(ids, list) or not isinstance(sizes, list) or len(ids) != len(sizes):
        raise InputError(source, None, "expected `id` and `size`, lists of equal length", column="id")
    described = data.get("dimension")
    if not isinstance(described, dict):
        raise InputError(source, None, "expected `dimension`, an object", column="dimension")
    return {d: _dimension(d, described.get(d), n, source) for d, n in zip(ids, sizes)}


def _dimension(dim_id: str, described: Any, size: int, source) -> Dimension:
    where = f"dimension.{dim_id}"
    if not isinstance(described, dict):
        raise InputError(source, None, f"dimension {dim_id!r} is listed in `id` but not described", column=where)
    category = described.get("category")
    if not isinstance(category, dict):
        raise InputError(source, None, "expected an object `category`", column=f"{where}.category")
    labels = category.get("label") or {}
    if not isinstance(labels, dict):
        raise InputError(source, None, "expected an object {code: label}", column=f"{where}.category.label")
    index = category.get("index")
    if index is None:
        # Allowed only for a single category (JSON-stat 2.0, "index"): it is then named in `label`.
        codes = list(labels)
    elif isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, dict):
        codes = [None] * len(index)
        for code, pos in index.items():
            if not isinstance(pos, int) or not 0 <= pos < len(index) or codes[pos] is not None:
                raise InputError(source, None, f"position {pos!r} of category {code!r} is not one of "
                                               f"0…{len(index) - 1} or is used twice",
                                 column=f"{where}.category.index")
            codes[pos] = str(code)
    else:
        raise InputError(source, None, "expected an object {code: position} or a list of codes",
                         column=f"{where}.category.index")
    if len(codes) != size:
        raise InputError(source, None, f"{len(codes)} categories but `size` says {size}",
                         column=f"{where}.category.index")
    if len(set(codes)) != len(codes):
        raise InputError(source, None, "a category code appears twice", column=f"{where}.category.index")
    units = category.get("unit") or {}
    return Dimension(id=dim_id, label=str(described.get("label") or dim_id), codes=codes,
                     labels={c: str(labels.get(c, c)) for c in codes},
                     units=units if isinstance(units, dict) else {},
                     extension=described.get("extension") or {})


def _values(value: Any, cells: int, source) -> np.ndarray:
    if isinstance(value, list):
        if len(value) != cells:
            raise InputError(source, None, f"{len(value)} values for a cube of {cells} cells", column="value")
        dense = value
    elif isinstance(value, dict):
        dense = [None] * cells
        for pos, v in value.items():
            if not (isinstance(pos, str) and pos.isdigit() and int(pos) < cells):
                raise InputError(source, None, f"key {pos!r} is not a cell position 0…{cells - 1}", column="value")
            dense[int(pos)] = v
    else:
        raise InputError(source, None, "expected `value`, a list or an object", column="value")
    try:
        return np.array([np.nan if v is None else v for v in dense], dtype="float64")
    except (TypeError, ValueError):
        bad = next(i for i, v in enumerate(dense) if v is not None and not isinstance(v, (int, float)))
        raise InputError(source, None, f"value {dense[bad]!r} at position {bad} is not a number",
                         column=f"value[{bad}]") from None


def _status(status: Any, cells: int, source) -> np.ndarray:
    out = np.full(cells, "", dtype=object)
    if status is None:
        return out
    if isinstance(status, str):
        out[:] = status
    elif isinstance(status, list):
        if len(status) == 1:
            out[:] = status[0] or ""
        elif len(status) == cells:
            out[:] = ["" if s is None else str(s) for s in status]
        else:
            raise InputError(source, None, f"{len(status)} status entries for {cells} cells; expected 1 or "
                                           f"{cells}", column="status")
    elif isinstance(status, dict):
        for pos, symbol in status.items():
            if not (str(pos).isdigit() and int(pos) < cells):
                raise InputError(source, None, f"key {pos!r} is not a cell position 0…{cells - 1}",
                                 column="status")
            out[int(pos)] = "" if symbol is None else str(symbol)
    else:
        raise InputError(source, None, "expected `status`, a string, a list or an object", column="status")
    return out
