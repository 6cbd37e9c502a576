"""`millennium import scb TABLE --query …`: one table of SCB's statistical database into the store.

The table is read through PxWeb (`millennium.readers.pxweb`: PxWebApi 2 by default, API v1 with
``--api v1``), every request answered before anything is written, then stored in one transaction like every
other import (`loading.save_observations`): all or nothing, and a second run of the same query finds nothing
new.

**Mapping** (SCB's variable codes, as in its tables, e.g. TAB638 / BE0101N1 "Folkmängd"):

- ``ContentsCode``: each selected content is a measure, code ``SCB:{table}:{content}`` (e.g.
  ``SCB:TAB638:BE0101N1``), title the content's text, unit the content's unit (`category.unit` of the
  answer), description the table's title. Where the selection fixes one value of another variable (say
  ``Alder=20-64``), that value is part of what is measured: the code gets ``/{variable}={value}`` and the
  title the value's text. Two or more values of such a variable would put different things in one series,
  so that is refused: select one value, or leave the variable out (eliminated: the table's total).
- ``Region``: SCB's codes are the store's: municipalities ``0114`` … ``2584``, regions ``01`` … ``25``,
  except Sweden, ``00`` at SCB and ``0`` here. Left out (eliminated), the figures are Sweden's. A code the
  store does not have (e.g. an SCB grouping) is refused, naming it.
- ``Tid``: a year. The store keeps one value a year, so tables by month (``2020M01``), quarter
  (``2020K1``) or other periods are refused before anything is fetched.
- ``Kon``: ``1`` men → M, ``2`` women → K, ``1+2`` both → T; left out → T.
- A cell without a value (a data symbol such as ``..``) is not stored; it is counted as rejected. A stored
  value with a status (a data note) keeps it in the observation's flags.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from millennium.places.models import Area
from millennium.readers.http import polite_session
from millennium.readers.pxweb import (SCB_V1, SCB_V2, USER_AGENT, Limits, PxWebData, PxWebV1, PxWebV2, QueryError,
                                      fetch_table, parse_query)

from .assessing import recompute_assessments
from .loading import ImportSummary, close_batch, save_observations
from .models import ImportBatch, Measure, Observation, Source

__all__ = ["import_scb", "scb_client", "plan_scb", "ScbPlan", "measure_code", "SCB", "SEX_OF_KON", "QueryError"]

SCB = {"name": "SCB", "credit": "Källa: SCB", "url": "https://www.scb.se/"}
SEX_OF_KON = {"1": "M", "2": "K", "1+2": "T"}
#: Variables with a meaning of their own in the store; every other one must be fixed to one value or left out.
MAPPED = ("ContentsCode", "Region", "Tid", "Kon")
SWEDEN = "0"


def measure_code(table: str, content: str, fixed: dict[str, str] | None = None) -> str:
    """The measure of a content of a table, with the values a selection fixes.

    >>> measure_code("TAB638", "BE0101N1", {"Alder": "20-64"})
    'SCB:TAB638:BE0101N1/Alder=20-64'
    """
    return f"SCB:{table}:{content}" + "".join(f"/{k}={v}" for k, v in (fixed or {}).items())


@dataclass
class ScbPlan:
    """What an import writes, from the answers alone: measures (code, title_sv, unit, description_sv,
    divided_by_sex), observations (code, area, year, sex, value, flags) and rejected cells."""

    measures: pd.DataFrame
    observations: pd.DataFrame
    rejected: int
    requests: int


def scb_client(api: str = "v2", base_url: str | None = None, cache_dir: Path | None = None, *, retries: int = 4,
               backoff: float = 1.0, timeout: float | tuple[float, float] = (10.0, 60.0)) -> PxWebV1 | PxWebV2:
    """A PxWeb client on a polite session (10 calls per 10 s until the server's config says otherwise); the
    on-disk cache defaults to MILLENNIUM_HOME/http-cache."""
    if api not in ("v1", "v2"):
        raise QueryError(f"--api must be v1 or v2; got {api!r}")
    cache = Path(cache_dir) if cache_dir is not None else Path(settings.HOME) / "http-cache"
    session = polite_session(cache, user_agent=USER_AGENT, min_interval=Limits().interval, retries=retries,
                             backoff=backoff, timeout=timeout)
    if api == "v1":
        return PxWebV1(base_url or SCB_V1, session=session)
    return PxWebV2(base_url or SCB_V2, session=session)


def plan_scb(data: PxWebData) -> ScbPlan:
    """Measures and observations by the mapping in the module docstring; `QueryError` where it cannot map."""
    meta, selection, rows = data.metadata, data.selection, data.rows
    table = meta.table
    if "ContentsCode" not in selection:
        raise QueryError(f"table {table} has no variable ContentsCode; expected an SCB table whose contents "
                         "variable says what is measured")
    fixed = {}
    for code, values in selection.items():
        if code in MAPPED:
            continue
        if len(values) != 1:
            raise QueryError(f"table {table}: variable {code} has {len(values)} values selected; the store has no "
                             f"breakdown by {code}, so select one value (e.g. --query '{code}={values[0]}') or "
                             "leave it out for the table's total")
        fixed[code] = values[0]
    time_variable = next((v for v in meta.variables if v.time), None) or meta.variable("Tid")
    if time_variable is None or time_variable.code not in selection:
        raise QueryError(f"table {table} has no time variable (Tid)")
    periods = pd.Series(selection[time_variable.code])
    not_years = periods[~periods.str.fullmatch(r"\d{4}")]
    if len(not_years):
        raise QueryError(f"table {table}: {time_variable.code} has periods such as {not_years.iloc[0]!r}, not "
                         "years; the store keeps one value a year, so tables by month, quarter or other periods "
                         "cannot be imported")

    content = meta.variable("ContentsCode")
    content_text = dict(zip(content.values, content.value_texts))
    fixed_text = {code: dict(zip(meta.variable(code).values, meta.variable(code).value_texts))[value]
                  for code, value in fixed.items()}
    suffix = "".join(f", {meta.variable(code).label} {text}" for code, text in fixed_text.items())

    codes = rows["ContentsCode"].map(lambda c: measure_code(table, c, fixed))
    if "Region" in rows:
        area = rows["Region"].where(rows["Region"] != "00", SWEDEN)
    else:
        area = pd.Series(SWEDEN, index=rows.index)
    if "Kon" in rows:
        unknown = sorted(set(rows["Kon"]) - set(SEX_OF_KON))
        if unknown:
            raise QueryError(f"table {table}: Kon value(s) {', '.join(unknown)}; expected 1 (män), 2 (kvinnor) "
                             "or 1+2 (totalt)")
        sex = rows["Kon"].map(SEX_OF_KON)
    else:
        sex = pd.Series("T", index=rows.index)
    has_value = rows["value"].notna().to_numpy()
    observations = pd.DataFrame({
        "code": codes, "area": area, "year": rows[time_variable.code].astype("int64"), "sex": sex,
        "value": rows["value"].astype("float64"), "flags": rows["status"].astype(str),
    })[has_value].reset_index(drop=True)

    chosen = selection["ContentsCode"]
    measures = pd.DataFrame({
        "content": chosen,
        "code": [measure_code(table, c, fixed) for c in chosen],
        "title_sv": [content_text[c] + suffix for c in chosen],
        "unit": [data.units.get(c, "")[:64] for c in chosen],
        "description_sv": [f"{meta.title}. SCB:s tabell {table}, tabellinnehåll {c}." for c in chosen],
    })
    divided = observations.groupby("code")["sex"].agg(lambda s: bool((s != "T").any()))
    measures["divided_by_sex"] = measures["code"].map(divided).fillna(False).astype(bool)
    measures = measures[measures["code"].isin(observations["code"])].reset_index(drop=True)
    return ScbPlan(measures=measures, observations=observations, rejected=int((~has_value).sum()),
                   requests=data.requests)


def import_scb(table: str, query: list[str] | dict[str, list[str]], client: PxWebV1 | PxWebV2, *,
               on_phase: Callable[[str], None] = lambda name: None) -> ImportSummary:
    """Fetch `table` for `query` and store it; all or nothing, idempotent.

    Parameters
    ----------
    table : str
        PxWebApi 2: the table id (``TAB638``); API v1: its path in the database
        (``BE/BE0101/BE0101A/BefolkningNy``).
    query : list of "VARIABLE=VALUE,…" or dict
        The selection (`millennium.readers.pxweb.parse_query` / `resolve_selection`).
    client : PxWebV2 or PxWebV1
        e.g. `scb_client` (SCB's PxWebApi 2 on a polite, cached session).

    Raises
    ------
    QueryError
        The selection cannot be answered or mapped (see the module docstring).
    SourceUnavailable
        The server failed (after retries) or answered something that is not JSON.
    InputError
        An answer is JSON but not the JSON-stat / metadata expected.

    In every case nothing has been written.
    """
    started = timezone.now()
    if not isinstance(query, dict):
        query = parse_query(list(query))
    on_phase("fetching")
    data = fetch_table(client, table, query)
    plan = plan_scb(data)
    areas = dict(Area.objects.values_list("code", "id"))
    missing = sorted(set(plan.observations["area"]) - set(areas))
    if missing:
        raise QueryError(f"table {table}: region code(s) {', '.join(missing[:10])} are not areas in the store; "
                         "select municipalities (0114), regions (01) or Sweden (00), and run `millennium init` "
                         "first")
    location = f"{client.base_url} {table} " + " ".join(f"{k}={','.join(v)}" for k, v in query.items())

    with transaction.atomic():
        source, _ = Source.objects.update_or_create(code="scb", defaults=SCB)
        batch = ImportBatch.objects.create(source=source, location=location.strip(), started_at=started,
                                           finished_at=started, files=plan.requests)
        on_phase("key figures")
        measure_ids = _save_measures(source, plan.measures)
        obs = plan.observations
        rows = pd.DataFrame({
            "measure_id": obs["code"].map(measure_ids).to_numpy("int64"),
            "area_id": obs["area"].map(areas).to_numpy("int64"),
            "year": obs["year"].to_numpy("int64"),
            "sex": obs["sex"].to_numpy(dtype=object),
            "value": obs["value"].to_numpy("float64"),
        })
        summary = save_observations(batch, rows, on_phase=on_phase)
        _save_flags(rows, obs["flags"].to_numpy(dtype=object))
        summary.rejected = plan.rejected
        summary.measures = len(measure_ids)
        on_phase("assessing progress")
        recompute_assessments(sorted(measure_ids.values()))
        close_batch(batch, summary, timezone.now())
    return summary


def _save_measures(source: Source, measures: pd.DataFrame) -> dict[str, int]:
    Measure.objects.bulk_create(
        [Measure(source=source, code=r.code, title_sv=r.title_sv, unit=r.unit, description_sv=r.description_sv,
                 divided_by_sex=r.divided_by_sex) for r in measures.itertuples()],
        update_conflicts=True, unique_fields=["code"],
        update_fields=["source", "title_sv", "unit", "description_sv", "divided_by_sex"],
    )
    return dict(Measure.objects.filter(code__in=measures["code"].tolist()).values_list("code", "id"))


def _save_flags(rows: pd.DataFrame, flags: np.ndarray) -> None:
    """Keep the data notes of stored values (rare: a handful per table) in their flags, and clear the flags
    of this import's cells that no longer have one."""
    max_length = Observation._meta.get_field("flags").max_length
    wanted = {key: str(flag)[:max_length] for key, flag in
              zip(zip(rows["measure_id"], rows["area_id"], rows["year"], rows["sex"]), flags)}
    stored = Observation.objects.filter(measure_id__in=rows["measure_id"].unique().tolist()).exclude(flags="")
    for pk, *key, flag in stored.values_list("id", "measure_id", "area_id", "year", "sex", "flags"):
        if tuple(key) in wanted and wanted[tuple(key)] != flag:
            Observation.objects.filter(pk=pk).update(flags=wanted[tuple(key)])
    for key, flag in wanted.items():
        if flag:
            measure_id, area_id, year, sex = key
            Observation.objects.filter(measure_id=measure_id, area_id=area_id, year=year, sex=sex).exclude(
                flags=flag).update(flags=flag)
