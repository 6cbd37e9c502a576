"""Kolada's REST API v3 (https://api.kolada.se/v3) as the same tidy tables as the DDF reader.

What the API looks like, and where we read it:

- Base `https://api.kolada.se/v3`; the v2 API was shut down in 2026 (rKolada 0.3.0 NEWS.md, "All API calls now
  use https://api.kolada.se/v3/ … The v2 API is being shut down on March 31, 2026"). Interactive OpenAPI
  description at `/v3/docs`.
- Every answer is `{"count": n, "values": [...], "next_url": "…" | null, "previous_url": "…" | null}`; follow
  `next_url` until it is null or absent (rKolada `R/data.R` at commit 8afe11f, `get_values()`: "Pagination now
  uses the v3 next_url field"). `per_page` (with `page`) is at most 5000; above that the API answers 422.
- Data are asked for by path, not by query parameters: `/data/kpi/{kpi,…}/municipality/{id,…}/year/{y,…}`
  (any two of the three segments; `/data/kpi/{id}/year/{y}` gives every municipality and region). The query
  form `/data?kpi=…` answers an empty list without an error.
- At most 25 ids per path segment: rKolada (NEWS.md 0.3.0, `chunk_vector(max_size = 25)`) "chunk oversized path
  parameters into batches of 25 to respect the Kolada v3 API limit"; longer lists answer HTTP 422. Year lists
  are split the same way.
- A data value: `{"kpi": "N01951", "municipality": "1280", "period": 2020, "values": [{"gender": "T"|"K"|"M",
  "count": 1, "status": "", "value": 347949.0 | null, "isdeleted": false}]}` (rKolada tests/testthat/
  test-api-mocked.R; `kolada-meta/grp_data.csv` in our data folder is such values flattened). `value` null means
  no figure; `isdeleted` true means Kolada withdrew it: both are skipped.
- `/kpi/{id,…}` → `id, title, description, is_divided_by_gender (bool), municipality_type (K|L|A), auspice,
  operating_area, perspective, prel_publication_date, publication_date, publ_period, has_ou_data`
  (`kolada-meta/kpi_df.csv`, extracted from rKolada's cached v3 answers).
- `/municipality` → `id, title, type (K|L)`; ids are `0000` Sweden, `00LL` the regions, `KKKK` municipalities
  (`kolada-meta/munic.csv`). Our store's codes are `0`, `LL` and `KKKK`: see `area_code` / `kolada_id`.
- `/municipality_groups[/{id,…}]` → `id` (e.g. G37411), `title` ("Liknande kommuner, övergripande, Höör, 2025"),
  `members: [{"member_id", "member_title"}]` (rKolada `R/municipality_grp.R`; `kolada-meta/munic_g.csv`).

Licence: Kolada data are open; the credit is "Källa: Kolada" (`CREDIT`), kept with every table returned here
and stored as the Source credit.
"""

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin

import numpy as np
import pandas as pd
import requests

from .http import SourceUnavailable, get_json

KOLADA_V3 = "https://api.kolada.se/v3"
CREDIT = "Källa: Kolada"
MAX_IDS_PER_CALL = 25
MAX_PER_PAGE = 5000
SEXES = ["T", "K", "M"]


def area_code(kolada_id: str) -> str:
    """Kolada's municipality id → our area code: 0000 → 0 (Sweden), 0012 → 12 (a region), 1280 → 1280."""
    if kolada_id == "0000":
        return "0"
    if len(kolada_id) == 4 and kolada_id.startswith("00"):
        return kolada_id[2:]
    return kolada_id


def kolada_id(code: str) -> str:
    """Our area code → Kolada's municipality id (the inverse of `area_code`)."""
    if code == "0":
        return "0000"
    if len(code) == 2:
        return "00" + code
    return code


def chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]


@dataclass
class KoladaData:
    """Observations from the API: measure, area (our codes), year, sex (T/K/M), value — as the DDF reader's."""

    observations: pd.DataFrame
    skipped: int  # values without a figure (null) or withdrawn (isdeleted)
    requests: list[str]  # every URL fetched, pages included
    credit: str = CREDIT


@dataclass
class KoladaClient:
    """A client for one base URL, on a session from `readers.http.polite_session`."""

    session: requests.Session
    base_url: str = KOLADA_V3
    per_page: int = MAX_PER_PAGE
    max_ids: int = MAX_IDS_PER_CALL
    requested: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.base_url = self.base_url.rstrip("/")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise ValueError(f"per_page must be 1 … {MAX_PER_PAGE}")

    # -- transport ---------------------------------------------------------------------------------------------

    def pages(self, path: str) -> Iterator[tuple[str, list[dict]]]:
        """(url, values) of every page of `path`, following next_url."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        params: dict | None = {"per_page": self.per_page}
        seen = set()
        while url:
            if url in seen:
                raise SourceUnavailable(url, "next_url points back to a page already read")
            seen.add(url)
            body = get_json(self.session, url, params=params)
            self.requested.append(url if params is None else f"{url}?per_page={self.per_page}")
            if not isinstance(body, dict) or not isinstance(body.get("values"), list):
                raise SourceUnavailable(url, "unexpected answer: expected an object with a 'values' list")
            yield url, body["values"]
            next_url = body.get("next_url") or None
            if next_url is not None and not isinstance(next_url, str):
                raise SourceUnavailable(url, "unexpected answer: next_url is not a string")
            url = urljoin(url, next_url) if next_url else None
            params = None  # next_url carries page and per_page itself

    def _all(self, path: str) -> list[tuple[str, dict]]:
        return [(url, value) for url, values in self.pages(path) for value in values]

    # -- metadata -------------------------------------------------------------------------------------------------

    def kpis(self, ids: list[str]) -> pd.DataFrame:
        """Key-figure metadata in the DDF reader's `measures` columns; raises if Kolada lacks one of `ids`."""
        rows = []
        for part in chunks(sorted({i.upper() for i in ids}), self.max_ids):
            for url, v in self._all("kpi/" + _segment(part)):
                _require(v, url, {"id": str, "title": str})
                rows.append({
                    "code": v["id"].upper(),
                    "title_sv": v["title"].strip(),
                    "description_sv": (v.get("description") or "").strip(),
                    "municipality_type": (v.get("municipality_type") or "")[:1],
                    "divided_by_sex": _truthy(v.get("is_divided_by_gender")),
                    "operating_area": v.get("operating_area") or "",
                    "perspective": v.get("perspective") or "",
                    "publication_date": (v.get("publication_date") or "")[:10],
                })
        table = pd.DataFrame(rows, columns=["code", "title_sv", "description_sv", "municipality_type",
                                            "divided_by_sex", "operating_area", "perspective", "publication_date"])
        table = table.drop_duplicates("code").reset_index(drop=True)
        missing = sorted({i.upper() for i in ids} - set(table["code"]))
        if missing:
            raise SourceUnavailable(f"{self.base_url}/kpi", f"Kolada has no key figure {', '.join(missing)}")
        return table

    def municipalities(self) -> pd.DataFrame:
        """Every municipality and region: kolada_id, code (ours), name, type (K kommun, L region/riket)."""
        rows = []
        for url, v in self._all("municipality"):
            _require(v, url, {"id": str, "title": str})
            rows.append({"kolada_id": v["id"], "code": area_code(v["id"]), "name": v["title"],
                         "type": v.get("type") or ""})
        return pd.DataFrame(rows, columns=["kolada_id", "code", "name", "type"])

    def municipality_groups(self, ids: list[str] | None = None) -> pd.DataFrame:
        """Municipality groups flattened as `kolada-meta/munic_g.csv`: group_id, group_title, member_id,
        member_title."""
        paths = ["municipality_groups"] if not ids else [
            "municipality_groups/" + _segment(part) for part in chunks(sorted(set(ids)), self.max_ids)]
        rows = []
        for path in paths:
            for url, v in self._all(path):
                _require(v, url, {"id": str, "title": str, "members": list})
                for m in v["members"]:
                    _require(m, url, {"member_id": str})
                    rows.append({"group_id": v["id"], "group_title": v["title"],
                                 "member_id": m["member_id"], "member_title": m.get("member_title") or ""})
        return pd.DataFrame(rows, columns=["group_id", "group_title", "member_id", "member_title"])

    # -- data -----------------------------------------------------------------------------------------------------

    def data(self, kpis: list[str], municipalities: list[str] | None = None,
             years: list[int] | None = None) -> KoladaData:
        """Values of `kpis` × `municipalities` (Kolada ids; None = every one) × `years` (None = every year).

        Id lists are split to the per-call limit; every page is followed. Without municipalities the years
        are required (the API wants two of the three segments).
        """
        if not kpis:
            raise ValueError("at least one key figure is needed")
        if municipalities is None and not years:
            raise ValueError("without municipalities, give the years (Kolada needs two of kpi, municipality, year)")
        first = len(self.requested)
        kpi_parts = chunks(sorted({k.upper() for k in kpis}), self.max_ids)
        place_parts = [None] if municipalities is None else chunks(sorted(set(municipalities)), self.max_ids)
        year_parts = [None] if not years else chunks(sorted(set(int(y) for y in years)), self.max_ids)
        columns: dict[str, list] = {"measure": [], "area": [], "year": [], "sex": [], "value": []}
        skipped = 0
        for k in kpi_parts:
            for m in place_parts:
                for y in year_parts:
                    path = "data/kpi/" + _segment(k)
                    if m is not None:
                        path += "/municipality/" + _segment(m)
                    if y is not None:
                        path += "/year/" + _segment(y)
                    for url, v in self._all(path):
                        skipped += _collect(v, url, columns)
        table = pd.DataFrame({
            "measure": pd.Series(columns["measure"], dtype="object"),
            "area": pd.Series(columns["area"], dtype="object"),
            "year": np.asarray(columns["year"], dtype="int64"),
            "sex": pd.Categorical(columns["sex"], categories=SEXES),
            "value": np.asarray(columns["value"], dtype="float64"),
        })
        duplicated = table.duplicated(["measure", "area", "year", "sex"])
        if duplicated.any():
            r = table[duplicated].iloc[0]
            raise SourceUnavailable(self.base_url, f"unexpected answer: a second value for {r.measure}, area "
                                                   f"{r.area}, year {r.year}, sex {r.sex}")
        return KoladaData(table.sort_values(["measure", "area", "year", "sex"]).reset_index(drop=True),
                          skipped, self.requested[first:])


def _segment(ids: list) -> str:
    return ",".join(quote(str(i), safe="") for i in ids)


def _truthy(value) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true")


def _require(value, url: str, fields: dict[str, type]) -> None:
    if not isinstance(value, dict):
        raise SourceUnavailable(url, f"unexpected answer: expected an object in 'values', got {type(value).__name__}")
    for name, kind in fields.items():
        if not isinstance(value.get(name), kind):
            raise SourceUnavailable(url, f"unexpected answer: {name!r} missing or not a {kind.__name__} "
                                         f"in {value!r:.200}")


def _collect(v: dict, url: str, columns: dict[str, list]) -> int:
    """Append one data value's figures to `columns`; return how many were skipped (no value, withdrawn)."""
    _require(v, url, {"kpi": str, "municipality": str, "values": list})
    period = v.get("period")
    if isinstance(period, str) and period.isdigit():
        period = int(period)
    if not isinstance(period, int) or isinstance(period, bool) or not 1000 <= period <= 5000:
        raise SourceUnavailable(url, f"unexpected answer: period {period!r} of {v['kpi']}/{v['municipality']} "
                                     "is not a year")
    skipped = 0
    for figure in v["values"]:
        _require(figure, url, {"gender": str})
        sex = figure["gender"]
        if sex not in SEXES:
            raise SourceUnavailable(url, f"unexpected answer: gender {sex!r} of {v['kpi']}/{v['municipality']}/"
                                         f"{period}; expected T, K or M")
        value = figure.get("value")
        if value is None or _truthy(figure.get("isdeleted")):
            skipped += 1
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise SourceUnavailable(url, f"unexpected answer: value {value!r} of {v['kpi']}/{v['municipality']}/"
                                         f"{period}/{sex} is not a number")
        columns["measure"].append(v["kpi"].upper())
        columns["area"].append(area_code(v["municipality"]))
        columns["year"].append(period)
        columns["sex"].append(sex)
        columns["value"].append(float(value))
    return skipped
