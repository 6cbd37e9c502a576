"""SDMX data files (SDMX-ML and SDMX-CSV) into one tidy table, with what is known about each series.

Formats read:

- **SDMX-ML 2.1** (and 3.0) data messages, *generic* (``message:GenericData``: ``generic:SeriesKey`` /
  ``generic:Obs``) and *structure-specific* (``message:StructureSpecificData``: ``<Series SERIES="…"
  REF_AREA="…"><Obs TIME_PERIOD="2020" OBS_VALUE="…"/>``), through the `sdmx1` library (`sdmx.read_sdmx`,
  `sdmx.to_pandas`). A structure-specific message is read without its DSD if none is given; `sdmx1` then
  takes every series-level XML attribute for a dimension, which does no harm here because columns are used
  by their ids.
- **SDMX-CSV** 1.0 (first column ``DATAFLOW``, e.g. ``IAEG-SDGs:DF_SDG_GLH(1.8)``, as data.un.org answers
  ``…/data/IAEG-SDGs,DF_SDG_GLH,1.8/…?format=csv``) and 2.0 (``STRUCTURE``, ``STRUCTURE_ID``, optional
  ``ACTION``), read with pandas: `sdmx1` reads SDMX-CSV 2.0 only, and only with the DSD. Column headers
  and cells may be written ``ID: Name`` (labels "both"); the ID is used.
- A **structure message** (SDMX-ML, `structure=`): the DSD and codelists. The UN SDG DSD (IAEG-SDGs:SDG)
  annotates each code of its SERIES codelist with the indicator it serves (annotation titled or typed
  ``Indicator``, e.g. ``1.1.1``; ``IndicatorCode``, e.g. ``C010101``; ``IndicatorTitle``), as sdg-build reads it
  (open-sdg/sdg-build sdg/helpers/sdmx.py, `get_indicator_id_from_series_code`). Code names give series titles,
  unit and area names.

The UN SDG Global Database's own layout (DSD IAEG-SDGs:SDG 1.8, dataflow DF_SDG_GLH; sdg-build
tests/assets/data/sdmx) has the dimensions FREQ, REPORTING_TYPE, SERIES, REF_AREA (UN M49 codes, 752 =
Sweden, 1 = World), SEX (_T, F, M), AGE, URBANISATION, INCOME_WEALTH_QUANTILE, EDUCATION_LEV, OCCUPATION,
CUST_BREAKDOWN, COMPOSITE_BREAKDOWN, DISABILITY_STATUS, ACTIVITY, PRODUCT, TIME_PERIOD, the series attribute
UNIT_MEASURE and observation attributes UNIT_MULT, NATURE, OBS_STATUS. A file without a SERIES dimension
(another agency's dataflow) uses INDICATOR as its series, else one series per file named by its dataflow.

Pure: no Django, no network. Returns the rows as they are; which rows become observations is the
import's rule (`millennium.statistics.sdmx_import`).
"""

import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputError

__all__ = ["SdmxData", "read_sdmx_file", "read_structure", "SdmxStructure", "indicator_id", "SEX_OF",
           "TOTALS", "FIXED_COLUMNS", "ATTRIBUTES"]

#: SDMX SEX codes (cross-domain codelist CL_SEX) → the store's sex.
SEX_OF = {"_T": "T", "F": "K", "M": "M"}
#: Codes that mean "no breakdown" in a dimension: total, not applicable; an empty cell is the same.
TOTALS = frozenset({"_T", "_Z", ""})
#: Columns with a fixed meaning; every other dimension is a breakdown.
FIXED_COLUMNS = ("DATAFLOW", "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION", "FREQ", "REPORTING_TYPE",
                 "SERIES", "INDICATOR", "REF_AREA", "SEX", "TIME_PERIOD", "OBS_VALUE")
#: SDMX cross-domain attributes and those of the SDG DSD: never breakdowns, even when a DSD-less reading
#: of a structure-specific message takes them for dimensions.
ATTRIBUTES = frozenset({"UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS", "CONF_STATUS", "NATURE", "DECIMALS",
                        "TIME_DETAIL", "SOURCE_DETAIL", "COMMENT_OBS", "COMMENT_TS", "BASE_PER", "UPPER_BOUND",
                        "LOWER_BOUND", "GEO_INFO_URL", "GEO_INFO_TYPE", "GEO_INFO_NOTES", "DATA_LAST_UPDATE",
                        "TITLE", "TITLE_COMPL", "OBS_CONF", "OBS_PRE_BREAK", "EMBARGO_TIME", "SDG_INDICATOR",
                        "INDICATOR_REF"})
_INDICATOR_CODE = re.compile(r"C(\d\d)(\d[a-z0-9]|[a-z0-9]\d|\d\d)(\d\d)", re.IGNORECASE)


@dataclass
class SdmxStructure:
    """What a structure message says about series, units and areas: code → name, series → indicators."""

    agency: str = ""
    series_names: dict[str, str] | None = None
    series_indicators: dict[str, list[str]] | None = None
    unit_names: dict[str, str] | None = None
    area_names: dict[str, str] | None = None
    dsd: object = None


@dataclass
class SdmxData:
    """A data file, tidy.

    rows: one per observation: series, area, period (as written), year (Int64, <NA> unless the period is a
        year), sex (SDMX code as written), value (float64, NaN where none), unit, flags (OBS_STATUS, else
        NATURE), reporting_type, and one column per breakdown dimension (codes as written).
    breakdowns: the names of those breakdown columns.
    series: one row per series: code, name (from the structure, else ''), indicators (list of SDG indicator
        ids such as '1.1.1', from the structure or from an INDICATOR / SDG_INDICATOR column), units.
    agency: the maintainer of the data's structure, e.g. 'IAEG-SDGs' ('' if the file does not say).
    dataflow: e.g. 'DF_SDG_GLH'.
    """

    rows: pd.DataFrame
    breakdowns: list[str]
    series: pd.DataFrame
    agency: str
    dataflow: str
    format: str


def indicator_id(text: str) -> str:
    """An SDG indicator reference as the store writes indicator codes: '1.1.1', 'C010101' → '1.1.1'.

    >>> [indicator_id(t) for t in ["1.1.1", "1-1-1", "C010101", "C170a01", " 3.2.1 "]]
    ['1.1.1', '1.1.1', '1.1.1', '17.a.1', '3.2.1']
    """
    text = text.strip()
    match = _INDICATOR_CODE.fullmatch(text)
    if match:
        goal, target, number = match.groups()
        target = target.lstrip("0") or "0"
        return f"{int(goal)}.{target.lower()}.{int(number)}"
    return text.replace("-", ".")


def read_structure(path: Path | str) -> SdmxStructure:
    """Series names and indicators, unit and area names from an SDMX-ML structure message."""
    path = Path(path)
    message = _read_xml(path)
    if not hasattr(message, "codelist"):
        raise InputError(path, None, "expected an SDMX-ML structure message (codelists, a DSD)")
    structure = SdmxStructure(series_names={}, series_indicators={}, unit_names={}, area_names={})
    dsds = list(message.structure.values())
    structure.dsd = dsds[0] if dsds else None
    for codelist_id, codelist in message.codelist.items():
        maintainer = getattr(codelist.maintainer, "id", "") or ""
        target = None
        if "SERIES" in codelist_id:
            target = "series"
            structure.agency = structure.agency or maintainer
        elif "UNIT" in codelist_id:
            target = "unit"
        elif "AREA" in codelist_id:
            target = "area"
        if target is None:
            continue
        for code in codelist:
            name = str(code.name) if code.name else ""
            if target == "series":
                structure.series_names[code.id] = name
                structure.series_indicators[code.id] = [
                    indicator_id(str(a.text)) for a in code.annotations
                    if "Indicator" in (str(a.title or ""), str(a.type or "")) and a.text]
            elif target == "unit":
                structure.unit_names[code.id] = name
            else:
                structure.area_names[code.id] = name
    return structure


def read_sdmx_file(path: Path | str, *, structure: SdmxStructure | None = None) -> SdmxData:
    """Read an SDMX-ML or SDMX-CSV data file (see the module docstring).

    Raises
    ------
    InputError
        Not SDMX-ML data nor SDMX-CSV; a value that is not a number (line and column for CSV); no
        observations; no REF_AREA or TIME_PERIOD.
    """
    path = Path(path)
    try:
        head = path.read_bytes()[:512].lstrip(b"\xef\xbb\xbf").lstrip()
    except OSError as e:
        raise InputError(path, None, f"cannot read the file ({e})") from None
    if head.startswith(b"<"):
        frame, agency, dataflow, kind = _read_ml(path, structure)
    else:
        frame, agency, dataflow, kind = _read_csv(path)
    return _tidy(path, frame, agency, dataflow, kind, structure)


# ----------------------------------------------------------------------------------------------------
# SDMX-ML


def _read_xml(path: Path):
    import sdmx

    try:
        return sdmx.read_sdmx(path)
    except Exception as e:  # sdmx1 raises many types (XMLSyntaxError, ValueError, NotImplementedError …)
        raise InputError(path, getattr(e, "lineno", None),
                         f"not a readable SDMX-ML message ({type(e).__name__}: {e})") from None


def _read_ml(path: Path, structure: SdmxStructure | None):
    import sdmx

    if structure is not None and structure.dsd is not None:
        try:
            message = sdmx.read_sdmx(path, structure=structure.dsd)
        except Exception as e:
            raise InputError(path, None, f"not readable with the given structure ({type(e).__name__}: {e})") from None
    else:
        message = _read_xml(path)
    if not hasattr(message, "data"):
        raise InputError(path, None, "expected an SDMX-ML data message (GenericData or StructureSpecificData); "
                                     "this is a structure message: give it with --structure")
    frames, agency, dataflow = [], "", ""
    for dataset in message.data:
        dsd = dataset.structured_by
        flow = dataset.described_by
        if dsd is not None:
            agency = agency or getattr(dsd.maintainer, "id", "") or ""
            dataflow = dataflow or (flow.id if flow is not None else "")
        if not dataset.obs:
            continue
        frame = sdmx.to_pandas(dataset, attributes="dsgo")
        frame = frame.reset_index() if isinstance(frame, pd.DataFrame) else frame.rename("value").reset_index()
        frames.append(frame.rename(columns={"value": "OBS_VALUE"}))
    if not frames:
        raise InputError(path, None, "the message has no observations")
    frame = pd.concat(frames, ignore_index=True).astype(object)
    kind = "SDMX-ML " + ("generic" if "Generic" in _root_tag(path) else "structure-specific")
    return frame, agency, dataflow, kind


def _root_tag(path: Path) -> str:
    head = path.read_bytes()[:2000].decode("utf-8", "replace")
    match = re.search(r"<(?:\w+:)?(\w+Data)\b", head)
    return match.group(1) if match else ""


# ----------------------------------------------------------------------------------------------------
# SDMX-CSV


def _read_csv(path: Path):
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(path, None, f"not UTF-8 text ({e})") from None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise InputError(path, None, f"not a CSV file ({e})") from None
    labelled = any(": " in c for c in frame.columns)
    frame.columns = [c.split(": ", 1)[0].strip() for c in frame.columns]
    first = frame.columns[0] if len(frame.columns) else ""
    if first == "DATAFLOW":
        kind, structure_column = "SDMX-CSV 1.0", "DATAFLOW"
    elif first.startswith("STRUCTURE") and len(frame.columns) > 1 and frame.columns[1] == "STRUCTURE_ID":
        kind, structure_column = "SDMX-CSV 2.0", "STRUCTURE_ID"
    else:
        raise InputError(path, 1, f"expected SDMX-CSV: a first column DATAFLOW (1.0) or STRUCTURE, STRUCTURE_ID "
                                  f"(2.0); found {first!r}", column=1)
    for name in ("OBS_VALUE", "TIME_PERIOD"):
        if name not in frame.columns:
            raise InputError(path, 1, f"no column {name}; expected SDMX-CSV with one observation per row",
                             column=name)
    if labelled:
        for c in frame.columns:
            if c not in ("OBS_VALUE", structure_column):
                frame[c] = frame[c].str.split(": ", n=1).str[0]
    if frame.empty:
        raise InputError(path, None, "the file has no observations")
    text_values = frame["OBS_VALUE"].str.strip()
    values = pd.to_numeric(text_values.replace("", np.nan), errors="coerce")
    bad = np.flatnonzero(values.isna().to_numpy() & (text_values != "").to_numpy() & (text_values != "NaN").to_numpy())
    if len(bad):
        raise InputError(path, int(bad[0]) + 2, f"OBS_VALUE {text_values.iloc[bad[0]]!r} is not a number",
                         column=frame.columns.get_loc("OBS_VALUE") + 1)
    frame["OBS_VALUE"] = values
    agency, dataflow = _parse_structure_ref(frame[structure_column].iloc[0])
    return frame.astype(object), agency, dataflow, kind


def _parse_structure_ref(ref: str) -> tuple[str, str]:
    """'IAEG-SDGs:DF_SDG_GLH(1.8)' → ('IAEG-SDGs', 'DF_SDG_GLH'); a URN's last part likewise."""
    ref = ref.rsplit("=", 1)[-1]
    match = re.fullmatch(r"\s*([^:]+):([^(]+)(?:\(.*\))?\s*", ref)
    return (match.group(1), match.group(2)) if match else ("", ref.strip())


# ----------------------------------------------------------------------------------------------------
# Both


def _tidy(path: Path, frame: pd.DataFrame, agency: str, dataflow: str, kind: str,
          structure: SdmxStructure | None) -> SdmxData:
    for name in ("REF_AREA", "TIME_PERIOD"):
        if name not in frame.columns:
            raise InputError(path, None, f"the data have no {name} dimension; expected one area and one period "
                                         "per observation", column=name)
    if structure is not None and structure.agency and not agency:
        agency = structure.agency
    series_column = "SERIES" if "SERIES" in frame.columns else "INDICATOR" if "INDICATOR" in frame.columns else None
    n = len(frame)

    def text(column: str, default: str = "") -> pd.Series:
        if column not in frame.columns:
            return pd.Series(default, index=frame.index, dtype=object)
        return frame[column].where(frame[column].notna(), "").astype(str).str.strip()

    period = text("TIME_PERIOD")
    year = pd.array(np.where(period.str.fullmatch(r"\d{4}"), period, None), dtype="Int64") if n else \
        pd.array([], dtype="Int64")
    flags = text("OBS_STATUS")
    flags = flags.where(flags != "", text("NATURE"))
    breakdowns = [c for c in frame.columns if c not in FIXED_COLUMNS and c not in ATTRIBUTES
                  and not c.startswith("STRUCTURE")]
    rows = pd.DataFrame({
        "series": text(series_column) if series_column else pd.Series(dataflow or path.stem, index=frame.index),
        "area": text("REF_AREA"), "period": period, "year": year, "sex": text("SEX", "_T").replace("", "_T"),
        "value": pd.to_numeric(frame["OBS_VALUE"], errors="coerce").astype("float64"),
        "unit": text("UNIT_MEASURE"), "flags": flags, "reporting_type": text("REPORTING_TYPE"),
        **{b: text(b) for b in breakdowns},
    })
    indicator_column = next((c for c in ("SDG_INDICATOR", "INDICATOR_REF") if c in frame.columns), None)
    if indicator_column is None and series_column == "SERIES" and "INDICATOR" in frame.columns:
        indicator_column = "INDICATOR"
    series = []
    for code, part in rows.groupby("series", sort=True):
        indicators = list((structure.series_indicators or {}).get(code, [])) if structure else []
        if indicator_column:
            found = text(indicator_column)[part.index]
            indicators += [indicator_id(i) for t in found.unique() for i in t.split(",") if i.strip()]
        series.append({"code": code, "name": (structure.series_names or {}).get(code, "") if structure else "",
                       "indicators": list(dict.fromkeys(indicators)),
                       "units": sorted(set(part["unit"]) - {""})})
    return SdmxData(rows=rows, breakdowns=breakdowns,
                    series=pd.DataFrame(series, columns=["code", "name", "indicators", "units"]),
                    agency=agency, dataflow=dataflow, format=kind)
