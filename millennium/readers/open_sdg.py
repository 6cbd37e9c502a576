"""An Open SDG data repository (the format of sdg-build / Open SDG, used by national SDG platforms) as tidy tables.

Layout of the folder:

- ``data/indicator_<id>.csv``: one table per indicator. ``Year`` first, ``Value`` last; ``Units`` and
  ``Series`` name the unit and series of a row; ``GeoCode`` and the observation attributes (``Observation
  status``, ``Unit multiplier``, ``Unit measure``) describe it; ``Progress``, when present, holds the values
  the progress measure uses instead of ``Value``; every other column is a disaggregation. A blank cell means
  "all", so the row with every disaggregation blank is the headline series. Years may be labels such as
  '2015-16' (read by their first year).
- ``meta/<id>.md`` (YAML front matter between ``---`` lines) or ``meta/<id>.yml``: the indicator's metadata,
  among it the progress options ``auto_progress_calculation`` (true/false), ``progress_status`` (a manual
  status) and ``progress_calculation_options``: a list, one entry per series to assess, each with optional
  ``series``, ``unit``, ``disaggregation`` ([{field, value}]), ``base_year`` (default 2015), ``target_year``
  (default 2030), ``direction`` (positive|negative, default negative), ``target`` and ``limit``; or only
  ``group``: a list of such options (sub-sub-indicators) whose mean score counts as one entry.
  Sub-folders of ``meta/`` (translations) are not read.

Bad input raises `InputError` with file, line and column. Nothing here touches the database.
"""

import csv
import io
import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .csvfile import decode_utf8, first_bad, read_text_table
from .errors import InputError

__all__ = ["OpenSdgRepository", "read_open_sdg", "ATTRIBUTE_COLUMNS", "OPTION_KEYS", "DEFAULT_OPTION"]

#: Columns that describe a row without being a disaggregation (sdg-build's non-disaggregation columns).
ATTRIBUTE_COLUMNS = ("GeoCode", "Observation status", "Unit multiplier", "Unit measure")
_SPECIAL = {"Year", "Value", "Units", "Series", "Progress", *ATTRIBUTE_COLUMNS}
#: The keys a progress calculation option may have.
OPTION_KEYS = ("series", "unit", "disaggregation", "base_year", "target_year", "direction", "target", "limit")
#: Open SDG's defaults for a key an option leaves out.
DEFAULT_OPTION = {"base_year": 2015, "target_year": 2030, "direction": "negative"}
_OPTION_COLUMNS = {"indicator": object, "option": "int64", "line": "Int64", "group": object, "series": object,
                   "unit": object, "disaggregation": object, "base_year": "float64", "target_year": "float64",
                   "direction": "int64", "target": "float64", "limit": "float64", "limit_raw": object}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it
_MISSING_WORDS = {"na", "n/a", "nan", "-nan", "null", "none", "#n/a", "<na>", "inf", "-inf", "+inf", "infinity",
                  "-infinity"}
_LINE = "\0line"  # a column name no CSV header has
_DATA_FILE = re.compile(r"indicator_(?P<id>.+)\.csv")
_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class OpenSdgRepository:
    """The tables of one Open SDG data folder.

    observations: one row per data row: indicator, line (in its CSV), year (the label as written),
        series, units, geocode ('' when blank or absent), value, progress (NaN when blank or absent).
    breakdowns: one row per non-blank disaggregation cell: indicator, line, field (column name), value.
    indicators: one row per indicator (index: its id), with data_file and meta_file ('' when absent),
        columns (the CSV's header, in order), disaggregations (the disaggregation columns),
        has_progress_column and auto_progress_calculation.
    options: one row per progress calculation option of the indicators with automatic calculation:
        indicator, option (its place among the indicator's options, groups flattened), line (in the
        metadata file), group (the path of the ``group`` entries it sits in: (3,) inside the group that is
        the 4th entry, () at the top), series, unit (None when not given), disaggregation (tuple of
        (field, value) pairs; value None when written empty), base_year, target_year (floats, defaults
        filled in), direction (+1 positive, -1 negative), target, limit (NaN when not given) and
        limit_raw (the limit as written, or None).
    meta: each indicator's whole metadata, as parsed (and translated when a language is given).
    """

    folder: Path
    observations: pd.DataFrame
    breakdowns: pd.DataFrame
    indicators: pd.DataFrame
    options: pd.DataFrame
    meta: dict = field(repr=False)

    @cached_property
    def _rows_of(self) -> dict:
        # Row positions per indicator, found once: filtering the whole table per indicator is quadratic.
        return self.observations.groupby("indicator", sort=False).indices

    @cached_property
    def _cells_of(self) -> dict:
        return self.breakdowns.groupby("indicator", sort=False).indices

    @cached_property
    def _arrays(self) -> dict:
        # Plain numpy columns, made once: picking rows from Arrow-backed text columns costs a
        # millisecond a column, thousands of times over a repository.
        arrays = {}
        for prefix, frame in (("obs", self.observations), ("cells", self.breakdowns)):
            for column in frame.columns:
                arrays[f"{prefix}.{column}"] = frame[column].to_numpy()
        return arrays

    def table(self, indicator: str) -> pd.DataFrame:
        """The indicator's rows in wide form: line, year, series, units, geocode, value, progress and one
        column per disaggregation ('' when blank), in the CSV's order."""
        rows = self._rows_of.get(indicator, np.zeros(0, dtype="int64"))
        cells = self._cells_of.get(indicator, np.zeros(0, dtype="int64"))
        a = self._arrays
        wide = pd.DataFrame({c: a[f"obs.{c}"][rows] for c in ("line", "year", "series", "units", "geocode",
                                                                "value", "progress")})
        position = pd.Index(wide["line"]).get_indexer(a["cells.line"][cells])
        fields, values = a["cells.field"][cells], a["cells.value"][cells]
        for name in self.indicators.at[indicator, "disaggregations"]:
            column = np.full(len(wide), "", dtype=object)
            mine = fields == name
            column[position[mine]] = values[mine]
            wide[name] = column
        return wide


def read_open_sdg(folder, *, language: str | None = None) -> OpenSdgRepository:
    """Read every indicator of an Open SDG data folder; raise `InputError` at the first problem.

    Parameters
    ----------
    folder : path-like
        The repository's root, holding ``data/`` and ``meta/``.
    language : str, optional
        Translate into this language with the folder's ``translations/<language>/<group>.yml`` files, as an
        Open SDG build for that language does: disaggregation column names, the cells of the Series, Units
        and disaggregation columns, and every text of the metadata (so also the progress options).

    Returns
    -------
    OpenSdgRepository

    Notes
    -----
    Open SDG writes translatable text as translation keys, e.g. ``data.Intimate partner`` (group ``data``);
    a text is looked up as a key, then in the group named after its column, then in the group ``data``
    (sdg-build's order). A key that stays untranslated (no translation files, or no entry) reads as the text
    after ``data.``, e.g. ``Intimate partner``; sdg-build would show the key itself.
    """
    folder = Path(folder)
    translate = _Translator(_translations(folder, language))
    attributes = _configured_attributes(folder / "config_data.yml")
    data_dir, meta_dir = folder / "data", folder / "meta"
    if not data_dir.is_dir() and not meta_dir.is_dir():
        raise InputError(folder, None, "not an Open SDG data folder; expected the folders data/ and meta/")
    data_files = {}
    if data_dir.is_dir():
        for path in sorted(data_dir.glob("indicator_*.csv")):
            data_files[_DATA_FILE.fullmatch(path.name)["id"]] = path
    meta_files = {}
    if meta_dir.is_dir():
        for path in sorted(p for p in meta_dir.iterdir() if p.is_file() and p.suffix in (".md", ".yml", ".yaml")):
            if path.stem in meta_files:
                raise InputError(path, None, f"a second metadata file for indicator {path.stem} "
                                             f"(also {meta_files[path.stem].name}); expected one")
            meta_files[path.stem] = path

    ids = sorted(set(data_files) | set(meta_files))
    obs_parts, cell_parts, rows, option_rows, metas = [], [], [], [], {}
    for inid in ids:
        meta, node, first_line = ({}, None, 1) if inid not in meta_files else _read_meta(meta_files[inid])
        meta = translate.meta(meta)
        metas[inid] = meta
        auto = _auto_progress(meta_files.get(inid), meta, node, first_line)
        if auto:  # sdg-build reads the options only then; drafts under a switched-off calculation are common
            option_rows += _options(meta_files.get(inid), inid, meta, node, first_line)
        columns, disaggregations, has_progress = (), (), False
        if inid in data_files:
            obs, cells, columns = _read_data(data_files[inid], inid, translate, attributes)
            obs_parts.append(obs)
            cell_parts.append(cells)
            disaggregations = _disaggregation_columns(columns, attributes)
            has_progress = "Progress" in columns
        rows.append({"indicator": inid, "data_file": str(data_files.get(inid, "")),
                     "meta_file": str(meta_files.get(inid, "")), "columns": columns,
                     "disaggregations": disaggregations, "has_progress_column": has_progress,
                     "auto_progress_calculation": auto})

    observations = pd.concat(obs_parts, ignore_index=True) if obs_parts else _empty_observations()
    breakdowns = pd.concat(cell_parts, ignore_index=True) if cell_parts else _empty_breakdowns()
    indicators = pd.DataFrame(rows, columns=["indicator", "data_file", "meta_file", "columns", "disaggregations",
                                             "has_progress_column", "auto_progress_calculation"])
    options = pd.DataFrame({name: pd.Series([row[name] for row in option_rows], dtype=dtype)
                            for name, dtype in _OPTION_COLUMNS.items()})
    return OpenSdgRepository(folder, observations, breakdowns, indicators.set_index("indicator"), options, metas)


# ----------------------------------------------------------------------------------------------------
# Data files


def _read_data(path: Path, inid: str, translate, attributes) -> tuple[pd.DataFrame, pd.DataFrame, tuple]:
    text = decode_utf8(path)
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    seen = set()
    for position, name in enumerate(header, start=1):
        if name in seen:
            raise InputError(path, 1, f"column {name!r} appears twice; expected distinct column names", position)
        seen.add(name)
    table = read_text_table(path, ["Year", "Value"], one_line_rows=False)
    line = _record_lines(text, len(table))
    columns = tuple(table.columns)
    if columns[0] != "Year":
        raise InputError(path, 1, f"the first column is {columns[0]!r}; expected Year first", 1)
    after = columns[columns.index("Value") + 1:]  # observation attributes such as COMMENT_OBS may follow Value
    if columns[-1] != "Value" and any(c in ("Year", "Units", "Series", "Progress") for c in after):
        raise InputError(path, 1, f"column {after[0]!r} after Value; expected Value last (or only observation "
                                  "attributes after it)", columns.index("Value") + 2)
    special = _SPECIAL | set(attributes) | set(after)
    for name in columns:
        if name in ("Series", "Units") or name not in special:
            table[name] = translate.cells(table[name], name)
    renamed = [name if name in special else translate(name, (name, "data")) for name in columns]
    for position, name in enumerate(renamed, start=1):
        if renamed.index(name) + 1 != position:
            raise InputError(path, 1, f"column {columns[position - 1]!r} reads as {name!r}, like column "
                                      f"{renamed.index(name) + 1}; expected distinct column names", position)
    table.columns = renamed
    columns = tuple(renamed)
    year = table["Year"].str.strip()
    if (i := first_bad(~year.str.match(_YEAR).to_numpy(dtype=bool))) is not None:
        raise InputError(path, int(line[i]), f"{table['Year'].iat[i]!r} is not a year; expected a year such as 2015 "
                                      "or a period such as 2015-16", "Year")

    def cells_of(name):
        return table[name] if name in table else ""

    obs = pd.DataFrame({
        "indicator": inid,
        "line": line,
        "year": year,
        "series": cells_of("Series"),
        "units": cells_of("Units"),
        "geocode": cells_of("GeoCode"),
        "value": _numbers(path, "Value", table["Value"], line),
        "progress": (_numbers(path, "Progress", table["Progress"], line) if "Progress" in table
                     else np.nan),
    })
    disaggregations = list(_disaggregation_columns(columns, attributes))
    if disaggregations:
        cells = table[disaggregations].assign(**{_LINE: line}).melt(id_vars=_LINE, var_name="field")
        cells = cells[cells["value"] != ""].rename(columns={_LINE: "line"}).reset_index(drop=True)
        cells.insert(0, "indicator", inid)
    else:
        cells = _empty_breakdowns()
    return obs, cells, columns


def _numbers(path: Path, column: str, raw: pd.Series, line: np.ndarray) -> np.ndarray:
    """Floats from text cells; '' and the not-a-value words pandas knows (NA, NaN, Inf, ...) give NaN.

    sdg-build reads the files with pandas, which takes those words for missing or infinite values; neither
    can be assessed, so both are read as missing. Any other text is an error.
    """
    raw = raw.str.strip()
    missing = (raw == "") | raw.str.lower().isin(_MISSING_WORDS)
    values = pd.to_numeric(raw.where(~missing, None), errors="coerce").to_numpy(dtype="float64", copy=True)
    values[~np.isfinite(values)] = np.nan
    if (i := first_bad(np.isnan(values) & ~missing.to_numpy(dtype=bool))) is not None:
        raise InputError(path, int(line[i]), f"{raw.iloc[i]!r} is not a number; expected a finite number with a "
                                             "decimal point, e.g. 12.5, or nothing", column)
    return values


def _record_lines(text: str, records: int) -> np.ndarray:
    """The file line each data record starts on (blank lines, which pandas skips, and quoted line breaks
    counted), so that messages name the right line."""
    if text.count("\n") + (not text.endswith("\n")) == records + 1:
        return np.arange(2, records + 2, dtype="int32")
    starts, reader, previous = [], csv.reader(io.StringIO(text)), 0
    for row in reader:
        if any(cell.strip() for cell in row):
            starts.append(previous + 1)
        previous = reader.line_num
    return np.asarray(starts[1:records + 1], dtype="int32")


def _disaggregation_columns(columns: tuple, attributes=()) -> tuple:
    """The columns before Value that are neither special nor attributes."""
    return tuple(c for c in columns[:columns.index("Value")] if c not in _SPECIAL and c not in attributes)


def _empty_observations() -> pd.DataFrame:
    return pd.DataFrame({"indicator": pd.Series([], dtype="str"), "line": pd.Series([], dtype="int32"),
                         **{c: pd.Series([], dtype="str") for c in ("year", "series", "units", "geocode")},
                         "value": pd.Series([], dtype="float64"), "progress": pd.Series([], dtype="float64")})


def _empty_breakdowns() -> pd.DataFrame:
    return pd.DataFrame({"indicator": pd.Series([], dtype="str"), "line": pd.Series([], dtype="int32"),
                         "field": pd.Series([], dtype="str"), "value": pd.Series([], dtype="str")})


def _configured_attributes(path: Path) -> tuple:
    """Columns the site's sdg-build configuration declares not to be disaggregations (empty without one)."""
    if not path.is_file():
        return ()
    config, node, first_line = _read_meta(path)
    if isinstance(config.get("indicator_options"), dict):  # where sdg-build's open_sdg_build takes them from
        config, node = config["indicator_options"], _child(node, "indicator_options")
    names = []
    for key in ("non_disaggregation_columns", "observation_attributes"):
        value = config.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(path, _line(_child(node, key), first_line), f"{key} must be a list of column names")
        names += value
    return tuple(names)


# ----------------------------------------------------------------------------------------------------
# Translations


def _translations(folder: Path, language: str | None) -> dict:
    """Translation keys 'group.key' -> text from ``translations/<language>/<group>.yml`` (nested keys joined by '.')."""
    keys = {}
    base = folder / "translations" / language if language else None
    if base is None or not base.is_dir():
        return keys
    for path in sorted(p for p in base.iterdir() if p.suffix in (".yml", ".yaml")):
        data, _, _ = _read_meta(path)

        def walk(prefix, value):
            if isinstance(value, dict):
                for k, v in value.items():
                    walk(f"{prefix}.{k}", v)
            elif value is not None:
                keys[prefix] = str(value)

        walk(path.stem, data)
    return keys


class _Translator:
    """sdg-build's look-up order: the text as a key, then '<group>.<text>' for each default group."""

    def __init__(self, keys: dict):
        self.keys = keys

    def __call__(self, text, groups=("data",)):
        if not isinstance(text, str):
            return text
        if text in self.keys:
            return self.keys[text]
        for group in groups:
            if f"{group}.{text}" in self.keys:
                return self.keys[f"{group}.{text}"]
        return text[5:] if text.startswith("data.") else text

    def cells(self, column: pd.Series, name: str) -> pd.Series:
        """A column's cells, each distinct text translated once."""
        mapping = {text: self(text, (name, "data")) for text in column.unique() if text != ""}
        if all(k == v for k, v in mapping.items()):
            return column
        return column.map(lambda text: mapping.get(text, text))

    def meta(self, value):
        if isinstance(value, dict):
            return {k: self.meta(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.meta(v) for v in value]
        return self(value)


# ----------------------------------------------------------------------------------------------------
# Metadata files


def _read_meta(path: Path) -> tuple[dict, yaml.Node | None, int]:
    """The metadata mapping, its YAML node (for line numbers) and the file line of the YAML's first line."""
    text = decode_utf8(path)
    first_line = 1
    if path.suffix == ".md":
        lines = text.split("\n")
        if lines[0].rstrip() != "---":
            raise InputError(path, 1, "no YAML front matter; expected the file to start with a line '---'")
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
        if end is None:
            raise InputError(path, len(lines), "the YAML front matter is not closed; expected a line '---' after it")
        text, first_line = "\n".join(lines[1:end]), 2
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        meta = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        raise InputError(path, mark.line + first_line if mark else None, f"not valid YAML: {e.problem or e.context}",
                         mark.column + 1 if mark else None) from None
    except yaml.YAMLError as e:
        raise InputError(path, None, f"not valid YAML: {e}") from None
    finally:
        loader.dispose()
    if meta is None:
        return {}, None, first_line
    if not isinstance(meta, dict):
        raise InputError(path, first_line, f"the metadata is a {type(meta).__name__}; expected a mapping of fields")
    return meta, node, first_line


def _child(node, key):
    """The value node of `key` in a mapping node (None when absent)."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if getattr(k, "value", None) == key:
                return v
    return None


def _line(node, first_line: int) -> int | None:
    return node.start_mark.line + first_line if node is not None else None


def _auto_progress(path, meta: dict, node, first_line: int) -> bool:
    value = meta.get("auto_progress_calculation", False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise InputError(path, _line(_child(node, "auto_progress_calculation"), first_line),
                         f"auto_progress_calculation is {value!r}; expected true or false")
    return value


def _options(path, inid: str, meta: dict, node, first_line: int) -> list[dict]:
    options = meta.get("progress_calculation_options")
    list_node = _child(node, "progress_calculation_options")
    if options is None:
        return []
    rows = []
    _option_list(path, inid, options, list_node, first_line, "progress_calculation_options", (), rows)
    return rows


def _option_list(path, inid, options, list_node, first_line, where, group, rows) -> None:
    """Append the options of a list (recursing into ``group`` entries, whose path is `group`) to `rows`."""
    if not isinstance(options, list):
        raise InputError(path, _line(list_node, first_line), f"{where} must be a list of options, each "
                                                             "starting with '- '")
    for i, option in enumerate(options):
        item = list_node.value[i] if isinstance(list_node, yaml.SequenceNode) else None
        line = _line(item, first_line)
        here = f"{where}[{i}]"

        def fail(key, message):
            raise InputError(path, _line(_child(item, key), first_line) or line, f"{here}: {message}")

        if option is None:
            option = {}
        if not isinstance(option, dict):
            raise InputError(path, line, f"{here} is {option!r}; expected a mapping with keys among "
                                         f"{', '.join(OPTION_KEYS)} (or only group)")
        if "group" in option:
            if len(option) > 1:
                fail("group", "an entry with group has no other keys; expected the group's options under it")
            _option_list(path, inid, option["group"], _child(item, "group"), first_line, f"{here}.group",
                         group + (i,), rows)
            continue
        for key in option:
            if key not in OPTION_KEYS:
                fail(key, f"unknown key {key!r}; expected keys among {', '.join(OPTION_KEYS)} (or only group)")
        rows.append({
            "indicator": inid,
            "option": len([r for r in rows if r["indicator"] == inid]),
            "line": line,
            "group": group,
            "series": _label(option, "series", fail),
            "unit": _label(option, "unit", fail),
            "disaggregation": _disaggregation(option, fail),
            "base_year": _year(option, "base_year", fail),
            "target_year": _year(option, "target_year", fail),
            "direction": _direction(option, fail),
            "target": _number(option, "target", fail),
            "limit": _number(option, "limit", fail),
            "limit_raw": option.get("limit"),
        })


def _label(option, key, fail):
    value = option.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list, bool)):
        fail(key, f"{key} is {value!r}; expected the text of one {key}")
    return str(value)


def _disaggregation(option, fail) -> tuple:
    items = option.get("disaggregation")
    if items is None:
        return ()
    if not isinstance(items, list):
        fail("disaggregation", "disaggregation must be a list of {field, value} entries")
    pairs = []
    for j, item in enumerate(items):
        if not isinstance(item, dict) or "field" not in item or set(item) - {"field", "value"}:
            fail("disaggregation", f"disaggregation[{j}] is {item!r}; expected the keys field and value")
        name, value = item["field"], item.get("value")
        if not isinstance(name, str) or not name:
            fail("disaggregation", f"disaggregation[{j}].field is {name!r}; expected a column name")
        if isinstance(value, (dict, list)):
            fail("disaggregation", f"disaggregation[{j}].value is {value!r}; expected one value")
        pairs.append((name, value))
    return tuple(pairs)


def _year(option, key, fail) -> float:
    value = option.get(key)
    if value is None:
        return float(DEFAULT_OPTION[key])
    if (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
            or value != int(value) or not 1000 <= value <= 9999):
        fail(key, f"{key} is {value!r}; expected a four-digit year such as 2015")
    return float(value)


def _direction(option, fail) -> int:
    value = option.get("direction")
    if value is None or value == "":  # written empty: the default, as in sdg-build
        value = DEFAULT_OPTION["direction"]
    if value not in ("positive", "negative"):
        fail("direction", f"direction is {value!r}; expected positive (higher is better) or negative")
    return 1 if value == "positive" else -1


def _number(option, key, fail) -> float:
    value = option.get(key)
    if value is None:
        return math.nan
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        fail(key, f"{key} is {value!r}; expected a finite number such as 12.5")
    return float(value)
