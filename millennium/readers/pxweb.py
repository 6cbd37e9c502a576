"""Clients for PxWeb, the API of SCB's statistical database: the current PxWebApi 2 and the older API v1.

Both answer a table's metadata (its variables and their values), then data for a selection of values per
variable as JSON-stat 2.0 (`millennium.readers.jsonstat`). Shapes, as read in their specifications:

**PxWebApi 2** (PxTools/PxApiSpecs, PxAPI-2.yml; SCB's instance https://api.scb.se/OV0104/v2beta/api/v2)

- ``GET /config`` → ``{"apiVersion", "maxDataCells", "maxCallsPerTimeWindow", "timeWindow", "defaultLanguage",
  "dataFormats", "sourceReferences": [{"language": "sv", "text": "Källa: SCB"}], …}`` (schema ConfigResponse;
  PxTools/PxWebApi PxWebApi_Mvc.Tests/ExpectedJson/GetApiConfiguration.json).
- ``GET /tables/{id}/metadata?lang=sv`` → a JSON-stat 2.0 dataset with an empty `value`: `id`, `size`,
  `role` {time, geo, metric}, `dimension.{code}` {label, category {index, label, unit}, extension {elimination,
  eliminationValueCode, …}} (schema Dataset; examplesAsYml/dataset-meta.yml, table TAB638).
- ``POST /tables/{id}/data?lang=sv&outputFormat=json-stat2`` with ``{"selection": [{"variableCode": "Region",
  "valueCodes": ["1280", "0180"]}, …]}`` (schema VariablesSelection) → JSON-stat 2.0. A variable left out of
  the selection is eliminated where the table allows it. (``GET …/data?valuecodes[Region]=1280,0180`` is the
  same query as URL parameters; we POST, since long selections do not fit in a URL.) Too many cells → 403,
  too many calls → 429 (responses ErrorResponse403/429, application/problem+json).

**API v1** (SCB, "PxWebApi 1.0 description"; rOpenGov/pxweb R/pxweb_add_config.R, R/pxweb_get.R)

- ``GET {root}/?config`` (root e.g. https://api.scb.se/OV0104/v1/doris/sv) → ``{"maxValues", "maxCalls",
  "timeWindow", "CORS"}`` (newer servers also ``maxCells``).
- ``GET {root}/ssd/{path}/{table}`` → ``{"title", "variables": [{"code", "text", "values", "valueTexts",
  "elimination", "time"}]}``.
- ``POST`` the same URL with ``{"query": [{"code": "Region", "selection": {"filter": "item", "values": […]}}],
  "response": {"format": "json-stat2"}}`` → JSON-stat 2.0.

**Limits.** A request may return at most `max_cells` cells (SCB: 150,000) and a client may make at most
`calls` requests per `window` seconds (SCB has said 10 per 10 s; its config endpoints now say 30 per 10 s).
A selection over the limit is split along its largest variable (`split_selection`), and the session waits
window/calls seconds between requests (the shared polite session of `millennium.readers.http`, which also
retries 429 and 5xx answers honouring Retry-After). Without a config answer we assume 150,000 cells and 10
calls per 10 s.

Pure: no Django. Every network failure is `SourceUnavailable`; a selection the table cannot answer is a
`QueryError`; an answer that is not JSON-stat is `InputError` naming the URL.
"""

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import requests

from .errors import InputError
from .http import SourceUnavailable, get_json, polite_session, request_json
from .jsonstat import JsonStatDataset, parse_dimensions, parse_jsonstat

__all__ = ["SCB_V1", "SCB_V2", "Variable", "TableMetadata", "Limits", "QueryError", "PxWebV1", "PxWebV2",
           "parse_query", "resolve_selection", "split_selection", "fetch_table", "PxWebData",
           "SourceUnavailable"]

SCB_V2 = "https://api.scb.se/OV0104/v2beta/api/v2"
SCB_V1 = "https://api.scb.se/OV0104/v1/doris/sv"
USER_AGENT = "Millennium/1.0 (municipal SDG monitoring; PxWeb client)"


class QueryError(ValueError):
    """A selection the table cannot answer: an unknown variable or value, a required variable left out."""


@dataclass
class Variable:
    code: str
    label: str
    values: list[str]
    value_texts: list[str]
    elimination: bool = False
    time: bool = False
    units: dict[str, str] = field(default_factory=dict)  # content code → unit (contents variable only)


@dataclass
class TableMetadata:
    table: str
    title: str
    variables: list[Variable]

    def variable(self, code: str) -> Variable | None:
        return next((v for v in self.variables if v.code == code), None)


@dataclass
class Limits:
    max_cells: int = 150_000
    calls: int = 10
    window: float = 10.0

    @property
    def interval(self) -> float:
        """Seconds between calls that keep within `calls` per `window`."""
        return self.window / self.calls if self.calls > 0 else 0.0


class _Client:
    """What both API versions share: a polite session, the limits, and fetching a split selection."""

    def __init__(self, base_url: str, *, session: requests.Session | None = None, cache_dir: Path | None = None):
        self.base_url = base_url.rstrip("/")
        self.session = session or polite_session(cache_dir, user_agent=USER_AGENT,
                                                 min_interval=Limits().interval)
        self._limits: Limits | None = None

    def limits(self) -> Limits:
        """The server's limits (asked once), and the session's pace set to keep within them."""
        if self._limits is None:
            self._limits = self._read_limits()
            adapter = self.session.get_adapter(self.base_url)
            if hasattr(adapter, "min_interval") and self._limits.interval > 0:
                adapter.min_interval = self._limits.interval
        return self._limits

    def fetch(self, table: str, selection: dict[str, list[str]]) -> list[JsonStatDataset]:
        """Data for `selection` (variable → value codes; variables left out are eliminated), as many requests
        as the cell limit needs."""
        limits = self.limits()
        return [self._data(table, part) for part in split_selection(selection, limits.max_cells)]

    def _read_limits(self) -> Limits:
        raise NotImplementedError

    def _data(self, table: str, selection: dict[str, list[str]]) -> JsonStatDataset:
        raise NotImplementedError

    def metadata(self, table: str) -> TableMetadata:
        raise NotImplementedError


class PxWebV2(_Client):
    """PxWebApi 2, e.g. ``PxWebV2(SCB_V2).metadata("TAB638")``."""

    def __init__(self, base_url: str = SCB_V2, *, lang: str = "sv", **kwargs):
        super().__init__(base_url, **kwargs)
        self.lang = lang

    def _read_limits(self) -> Limits:
        config = get_json(self.session, f"{self.base_url}/config")
        defaults = Limits()
        return Limits(max_cells=_positive(config.get("maxDataCells"), defaults.max_cells),
                      calls=_positive(config.get("maxCallsPerTimeWindow"), 0),
                      window=float(_positive(config.get("timeWindow"), defaults.window)))

    def metadata(self, table: str) -> TableMetadata:
        url = f"{self.base_url}/tables/{table}/metadata"
        data = get_json(self.session, url, params={"lang": self.lang})
        if not isinstance(data, dict):
            raise InputError(url, None, "expected a JSON-stat dataset describing the table")
        dimensions = parse_dimensions(data, source=url)
        role = data.get("role") or {}
        time = set(role.get("time") or [])
        variables = [
            Variable(code=d.id, label=d.label, values=d.codes, value_texts=[d.labels[c] for c in d.codes],
                     elimination=bool(d.extension.get("elimination", False)), time=d.id in time,
                     units=_units(d.units))
            for d in dimensions.values()
        ]
        return TableMetadata(table=table, title=str(data.get("label") or table), variables=variables)

    def _data(self, table, selection):
        url = f"{self.base_url}/tables/{table}/data"
        body = {"selection": [{"variableCode": code, "valueCodes": values} for code, values in selection.items()]}
        data = request_json(self.session, "POST", url, params={"lang": self.lang, "outputFormat": "json-stat2"},
                            json=body)
        return parse_jsonstat(data, source=url)


class PxWebV1(_Client):
    """API v1, e.g. ``PxWebV1(SCB_V1).metadata("BE/BE0101/BE0101A/BefolkningNy")``.

    `base_url` is the API root with its language (…/doris/sv); tables are paths in `database` (SCB: ssd).
    """

    def __init__(self, base_url: str = SCB_V1, *, database: str = "ssd", **kwargs):
        super().__init__(base_url, **kwargs)
        self.database = database.strip("/")

    def table_url(self, table: str) -> str:
        return f"{self.base_url}/{self.database}/{table.strip('/')}"

    def _read_limits(self) -> Limits:
        config = get_json(self.session, f"{self.base_url}/?config")
        defaults = Limits()
        return Limits(max_cells=_positive(config.get("maxCells") or config.get("maxValues"), defaults.max_cells),
                      calls=_positive(config.get("maxCalls"), 0),
                      window=float(_positive(config.get("timeWindow"), defaults.window)))

    def metadata(self, table: str) -> TableMetadata:
        url = self.table_url(table)
        data = get_json(self.session, url)
        if not isinstance(data, dict) or not isinstance(data.get("variables"), list):
            raise InputError(url, None, "expected table metadata {\"title\", \"variables\": […]}; is this a "
                                        "table (not a folder) of the database?")
        variables = []
        for i, v in enumerate(data["variables"]):
            try:
                values, texts = [str(x) for x in v["values"]], [str(x) for x in v["valueTexts"]]
                variables.append(Variable(code=str(v["code"]), label=str(v.get("text") or v["code"]),
                                          values=values, value_texts=texts,
                                          elimination=bool(v.get("elimination", False)),
                                          time=bool(v.get("time", False))))
            except (KeyError, TypeError) as e:
                raise InputError(url, None, f"variable {i} lacks {e}", column=f"variables[{i}]") from None
        return TableMetadata(table=table, title=str(data.get("title") or table), variables=variables)

    def _data(self, table, selection):
        url = self.table_url(table)
        body = {"query": [{"code": code, "selection": {"filter": "item", "values": values}}
                          for code, values in selection.items()],
                "response": {"format": "json-stat2"}}
        return parse_jsonstat(request_json(self.session, "POST", url, json=body), source=url)


# ----------------------------------------------------------------------------------------------------
# Selections


def parse_query(items: list[str]) -> dict[str, list[str]]:
    """``["Region=1280,0180", "Tid=2015-2022"]`` → ``{"Region": ["1280", "0180"], "Tid": ["2015-2022"]}``.

    Ranges and ``*`` are resolved against the table by `resolve_selection`.

    >>> parse_query(["Region=1280,0180", "Tid=2015-2022"])
    {'Region': ['1280', '0180'], 'Tid': ['2015-2022']}
    """
    query: dict[str, list[str]] = {}
    for item in items:
        code, sep, values = item.partition("=")
        parts = [v.strip() for v in values.split(",") if v.strip()]
        if not sep or not code.strip() or not parts:
            raise QueryError(f"--query {item!r}: expected VARIABLE=VALUE[,VALUE…], e.g. Region=1280,0180 or "
                             "Tid=2015-2022")
        if code.strip() in query:
            raise QueryError(f"--query {item!r}: variable {code.strip()} is selected twice")
        query[code.strip()] = parts
    return query


def resolve_selection(metadata: TableMetadata, query: dict[str, list[str]]) -> dict[str, list[str]]:
    """Value codes per variable, in the table's order; what a variable left out of `query` becomes.

    An item is a value code, ``*`` (every value) or a range ``FIRST-LAST`` of two codes (both included, in
    the table's order; an item that is itself a code, such as the age ``15-24``, is that code). A variable
    not in `query` is eliminated where the table allows it, except the contents and time variables, which
    then get every value. A variable that cannot be eliminated must be selected, unless it has one value.

    >>> meta = TableMetadata("T", "t", [Variable("Region", "region", ["00", "1280"], ["Riket", "Malmö"], True),
    ...                                  Variable("Tid", "år", ["2020", "2021", "2022"], ["2020", "2021", "2022"],
    ...                                           time=True)])
    >>> resolve_selection(meta, {"Tid": ["2021-2022"]})
    {'Tid': ['2021', '2022']}
    >>> resolve_selection(meta, {"Region": ["1280"]})
    {'Region': ['1280'], 'Tid': ['2020', '2021', '2022']}
    """
    unknown = [code for code in query if metadata.variable(code) is None]
    if unknown:
        raise QueryError(f"table {metadata.table} has no variable {', '.join(unknown)}; its variables: "
                         + ", ".join(f"{v.code} ({v.label})" for v in metadata.variables))
    selection: dict[str, list[str]] = {}
    for v in metadata.variables:
        if v.code in query:
            selection[v.code] = _expand(v, query[v.code], metadata.table)
        elif v.time or v.code == "ContentsCode" or (not v.elimination and len(v.values) == 1):
            selection[v.code] = list(v.values)
        elif not v.elimination:
            raise QueryError(f"table {metadata.table}: variable {v.code} ({v.label}) must be selected (it cannot "
                             f"be left out); e.g. --query '{v.code}={v.values[0] if v.values else ''}'")
    return selection


def _expand(variable: Variable, items: list[str], table: str) -> list[str]:
    position = {code: i for i, code in enumerate(variable.values)}
    chosen: set[int] = set()
    for item in items:
        if item == "*":
            chosen.update(range(len(variable.values)))
        elif item in position:
            chosen.add(position[item])
        elif "-" in item and all(part in position for part in item.split("-", 1)):
            first, last = (position[p] for p in item.split("-", 1))
            chosen.update(range(min(first, last), max(first, last) + 1))
        else:
            shown = ", ".join(variable.values[:12]) + (" …" if len(variable.values) > 12 else "")
            raise QueryError(f"table {table}, variable {variable.code}: no value {item!r}; values: {shown}")
    return [variable.values[i] for i in sorted(chosen)]


def split_selection(selection: dict[str, list[str]], max_cells: int) -> list[dict[str, list[str]]]:
    """Selections of at most `max_cells` cells each that together cover `selection`.

    The largest variable is cut into as few chunks as keep a request under the limit; if even one of its
    values times the rest is too many, it is cut into single values and the next largest is split in turn.

    >>> parts = split_selection({"Region": ["a", "b", "c", "d", "e"], "Tid": ["1", "2"]}, max_cells=4)
    >>> [(p["Region"], p["Tid"]) for p in parts]
    [(['a', 'b'], ['1', '2']), (['c', 'd'], ['1', '2']), (['e'], ['1', '2'])]
    """
    if max_cells < 1:
        raise ValueError("`max_cells` must be a positive integer.")
    cells = math.prod(len(v) for v in selection.values())
    if cells <= max_cells or not selection:
        return [selection]
    largest = max(selection, key=lambda code: len(selection[code]))
    values = selection[largest]
    rest = cells // len(values)
    chunk = max(1, max_cells // rest)
    parts = [{**selection, largest: values[i:i + chunk]} for i in range(0, len(values), chunk)]
    if rest <= max_cells:
        return parts
    return [piece for part in parts for piece in split_selection(part, max_cells)]


# ----------------------------------------------------------------------------------------------------
# One table, fetched whole


@dataclass
class PxWebData:
    """What `fetch_table` got: the metadata, the selection asked for, the tidy rows and how many requests.

    rows: a column per selected variable (value codes as strings), `value` (NaN where the table has a data
    symbol instead) and `status` (that symbol, or a cell's data note; '' where none).
    units: content code → unit, from the answers' contents variable (v1 metadata has no units).
    """

    metadata: TableMetadata
    selection: dict[str, list[str]]
    rows: pd.DataFrame
    units: dict[str, str]
    requests: int
    source: str = ""


def fetch_table(client: PxWebV1 | PxWebV2, table: str, query: dict[str, list[str]]) -> PxWebData:
    """Metadata, then every part of the selection; all answers are read before anything is returned.

    The server's limits are asked first, so that every later request keeps its pace.
    """
    client.limits()
    metadata = client.metadata(table)
    selection = resolve_selection(metadata, query)
    datasets = client.fetch(table, selection)
    frames, units = [], {}
    for ds in datasets:
        frame = pd.DataFrame({d: ds.table[d].astype(str) for d in ds.dimensions})
        frames.append(frame.assign(value=ds.table["value"].to_numpy(), status=ds.table["status"].to_numpy()))
        for d in ds.dimensions.values():
            units.update(_units(d.units))
    for v in metadata.variables:
        units = {**v.units, **units}
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return PxWebData(metadata=metadata, selection=selection, rows=rows, units=units, requests=len(datasets),
                     source=datasets[0].source if datasets else "")


def _units(units: dict) -> dict[str, str]:
    return {str(code): str(u.get("base") or "") for code, u in units.items() if isinstance(u, dict)}


def _positive(value: Any, default: int | float) -> int | float:
    return value if isinstance(value, (int, float)) and value > 0 else default
