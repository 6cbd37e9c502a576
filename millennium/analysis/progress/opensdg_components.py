"""Open SDG's ``indicator_calculation_components.yml`` from an Open SDG data folder, via `opensdg.assess`.

sdg-build 2.4.0 writes, for every indicator, the components of each assessed series (base and current
point, target, limit, direction, sign, progress value, score and status) under a key naming the series,
plus the indicator's progress_status and score. This module picks each configured series out of the
indicator's table the way sdg-build does, assesses all of them in one call of `opensdg.assess` and builds
the same structure, so that our results can be compared with (or published as) Open SDG's.

It takes the `OpenSdgRepository` of `millennium.readers.open_sdg` (only its attributes are used, so this
module imports nothing outside `analysis`).
"""

import math

import numpy as np
import pandas as pd
import yaml

from .opensdg import assess, indicator
from .panel import Panel, Settings

__all__ = ["MAX_TAG_LENGTH", "series_tag", "select_rows", "assess_repository", "calculation_components",
           "dump_components"]

#: Longest series key sdg-build 2.4.0 writes; longer keys have their longest parts cut, ending in '...'.
MAX_TAG_LENGTH = 122
_ELLIPSIS = "..."


def series_tag(inid: str, series=None, unit=None, disaggregation=()) -> str:
    """The key of a series in the components file: 'id / series / unit / value / value …'.

    Parts that are not given are left out; a disaggregation value written empty shows as 'None'.
    A key longer than `MAX_TAG_LENGTH` has its longest parts shortened, all to about the same length and
    each ending in '...', so that the key is exactly that long (what sdg-build 2.4.0's keys show; the
    rule was reverse-engineered from Statistics Canada's published files).

    Examples
    --------
    >>> series_tag("11-1-1", "Number of shelter users", "Number")
    '11-1-1 / Number of shelter users / Number'
    >>> series_tag("12-2-1", disaggregation=[("Geography", "Canada"), ("Industries", None)])
    '12-2-1 / Canada / None'
    """
    parts = [str(p) for p in (series, unit) if p is not None] + [str(value) for _, value in disaggregation]
    tag = " / ".join([inid, *parts])
    if len(tag) <= MAX_TAG_LENGTH:
        return tag
    budget = MAX_TAG_LENGTH - len(inid) - 3 * len(parts)
    order = sorted(range(len(parts)), key=lambda i: len(parts[i]))
    kept = 0
    while kept < len(order) and len(parts[order[kept]]) <= budget // (len(order) - kept):
        budget -= len(parts[order[kept]])
        kept += 1
    cut = sorted(order[kept:])
    for j, i in enumerate(cut):
        width = budget // (len(cut) - j)
        budget -= width
        parts[i] = parts[i][:max(width - len(_ELLIPSIS), 0)] + _ELLIPSIS
    return " / ".join([inid, *parts])


def select_rows(table: pd.DataFrame, columns, disaggregations, *, series=None, unit=None,
                disaggregation=()) -> tuple[np.ndarray | None, str]:
    """Rows of an indicator's wide table that make up one configured series, as sdg-build 2.4.0 picks them.

    Parameters
    ----------
    table : pandas.DataFrame
        `OpenSdgRepository.table(id)`: columns series, units, value, progress and one per disaggregation.
    columns : sequence of str
        The CSV's header (Units, Series and Progress count only when present).
    disaggregations : sequence of str
        The disaggregation columns.
    series, unit, disaggregation
        The option's choices.

    Returns
    -------
    (mask, reason)
        Boolean mask of the rows (rows without a value included) and '' ; or None and the reason the series
        cannot be picked out (sdg-build stops with an exception there).

    Notes
    -----
    A row is taken when its Units and Series are the chosen ones (when chosen and the column exists), each
    chosen disaggregation has the chosen value (an empty value choosing the blank cell) and every other
    disaggregation is blank, i.e. the chosen breakdown's own total. Without any disaggregation chosen that
    is the headline series; when the table has none, the series cannot be assessed. A chosen field that
    is not a column is ignored. What remains must be a single series: one value in Units and in Series.
    (Inferred from sdg-build 2.4.0's published results, which an earlier sdg-build, still at hand, does
    not reproduce.)
    """
    keep = np.ones(len(table), dtype=bool)
    if len(columns) <= 2:
        return keep, ""
    if unit is not None and "Units" in columns:
        keep &= _matches(table["units"], unit)
    if series is not None and "Series" in columns:
        keep &= _matches(table["series"], series)
    chosen = dict(disaggregation)
    for name in disaggregations:
        wanted = chosen.get(name)
        keep &= (table[name] == "").to_numpy(dtype=bool) if wanted is None else _matches(table[name], wanted)
    if not disaggregation and not keep.any() and len(table):
        return None, "no headline rows (every disaggregation blank) and no disaggregation chosen"
    for name, shown in (("units", "Units"), ("series", "Series")):
        found = pd.unique(table[name].to_numpy(dtype=object)[keep]) if shown in columns else ()
        if len(found) > 1:
            return None, f"more than one series left: column {shown} has {', '.join(map(repr, found[:4]))}; choose one"
    return keep, ""


def assess_repository(repo, *, indicators=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Assess every configured series of the indicators with automatic progress calculation.

    Parameters
    ----------
    repo : OpenSdgRepository
        From `millennium.readers.open_sdg.read_open_sdg`.
    indicators : sequence of str, optional
        Limit to these indicators.

    Returns
    -------
    (series, options)
        `series`: the `opensdg.assess` table, one row per option (index 0…), with columns indicator and
        tag added; series that cannot be picked out are not_available with the reason. `options`: the
        options assessed (an indicator with automatic calculation but no options gets Open SDG's default
        one), aligned with `series`.
    """
    ids = list(repo.indicators.index if indicators is None else indicators)
    auto = [i for i in ids if bool(repo.indicators.at[i, "auto_progress_calculation"])]
    options = _options(repo, auto)
    codes, years, values, failures = [], [], [], {}
    for inid, rows in options.groupby("indicator", sort=False):
        info = repo.indicators.loc[inid]
        table = repo.table(inid)
        value = table["progress"] if info["has_progress_column"] else table["value"]
        for k, option in rows.iterrows():
            mask, reason = select_rows(table, info["columns"], info["disaggregations"], series=option["series"],
                                       unit=option["unit"], disaggregation=option["disaggregation"])
            if mask is None:
                failures[k] = reason
                continue
            codes.append(np.full(int(mask.sum()), k))
            years.append(table["year"].to_numpy(dtype=object)[mask])
            values.append(value.to_numpy(dtype="float64")[mask])
    n = len(options)
    panel = Panel.from_long(np.concatenate(codes) if codes else [], np.concatenate(years) if years else [],
                            np.concatenate(values) if values else [], labels=np.arange(n))
    settings = Settings.broadcast(n, base_year=options["base_year"].to_numpy(float),
                                  target_year=options["target_year"].to_numpy(float),
                                  direction=options["direction"].to_numpy(float),
                                  target=options["target"].to_numpy(float), limit=options["limit"].to_numpy(float))
    series = assess(panel, settings).astype({"status": object, "reason": object})
    series.index = options.index
    for k, reason in failures.items():
        series.loc[k, ["status", "reason"]] = ["not_available", reason]
        series.loc[k, ["progress_value", "score"]] = np.nan
    series.insert(0, "indicator", options["indicator"].to_numpy())
    series.insert(1, "tag", [series_tag(o.indicator, o.series, o.unit, o.disaggregation)
                             for o in options.itertuples()])
    return series, options


def calculation_components(repo, *, indicators=None) -> dict:
    """The content of sdg-build 2.4.0's ``indicator_calculation_components.yml`` for `repo`.

    Parameters
    ----------
    repo : OpenSdgRepository
        From `millennium.readers.open_sdg.read_open_sdg`.
    indicators : sequence of str, optional
        Limit to these indicators (default: all, with data or metadata).

    Returns
    -------
    dict
        ``{indicator: {'progress_status': str, 'score': float | None, <series key>: {components}}}``,
        keys sorted as the YAML file has them. Components: base_value, base_year, current_value,
        current_year (floats, None when missing), direction (+1/-1), limit (as written), progress_value,
        score (floats or None), sign (+1/-1, None without data), status, target, target_year.

    Notes
    -----
    An indicator without ``auto_progress_calculation: true`` gets the ``progress_status`` of its metadata
    ('' when it has none) and no score. One with it gets the mean score of its series and the status of
    `opensdg.indicator`; 'not_available' when no series has a score. Series with the same key overwrite
    each other in the file but all count in the mean (as in sdg-build).
    """
    ids = sorted(repo.indicators.index if indicators is None else indicators)
    series, options = assess_repository(repo, indicators=ids)
    summary = _summary(series, options, ids)
    out = {}
    for inid in ids:
        if not bool(repo.indicators.at[inid, "auto_progress_calculation"]):
            out[inid] = {"progress_status": repo.meta.get(inid, {}).get("progress_status", ""), "score": None}
            continue
        entry = {"progress_status": summary.at[inid, "status"], "score": _float(summary.at[inid, "score"])}
        mine = series[series["indicator"] == inid]
        for k, row in mine.iterrows():
            entry[row["tag"]] = _components(row, options.at[k, "limit_raw"])
        out[inid] = dict(sorted(entry.items()))
    return out


def _summary(series: pd.DataFrame, options: pd.DataFrame, ids) -> pd.DataFrame:
    """`opensdg.indicator` over the series, with each ``group`` first reduced to one entry (its mean score).

    Open SDG's "sub-indicator grouping": the scores of a group's series are averaged and the group counts
    as one entry of the indicator (nested groups from the inside out); a group met its target when all its
    scored series did.
    """
    items = pd.DataFrame({
        "parent": [(i, *g) for i, g in zip(options["indicator"], options["group"])],
        "status": series["status"].to_numpy(dtype=object),
        "score": series["score"].to_numpy(dtype="float64"),
    })
    while len(items) and (depth := items["parent"].map(len)).max() > 1:
        inner = items[depth == depth.max()]
        groups = indicator(inner, inner["parent"].to_numpy())
        merged = pd.DataFrame({"parent": [p[:-1] for p in groups.index], "status": groups["status"].to_numpy(),
                               "score": groups["score"].to_numpy()})
        items = pd.concat([items[depth < depth.max()], merged], ignore_index=True)
    return indicator(items, [p[0] for p in items["parent"]], labels=ids)


def dump_components(components: dict, stream=None):
    """Write `components` as YAML the way sdg-build does (PyYAML, keys sorted); the text if no `stream`."""
    return yaml.safe_dump(components, stream, sort_keys=True, default_flow_style=False, allow_unicode=True)


def _components(row, limit_raw) -> dict:
    return {
        "base_value": _float(row["base_value"]),
        "base_year": _float(row["base_year"]),
        "current_value": _float(row["current_value"]),
        "current_year": _float(row["current_year"]),
        "direction": int(row["direction"]),
        "limit": limit_raw,
        "progress_value": _float(row["progress_value"]),
        "score": _float(row["score"]),
        "sign": None if math.isnan(row["sign"]) else int(row["sign"]),
        "status": row["status"],
        "target": _float(row["target"]),
        "target_year": _float(row["target_year"]),
    }


def _float(x):
    return None if x is None or math.isnan(x) else float(x)


def _options(repo, auto: list) -> pd.DataFrame:
    """The options of the `auto` indicators; Open SDG's default option for one that lists none."""
    given = repo.options[repo.options["indicator"].isin(auto)]
    missing = [i for i in auto if i not in set(given["indicator"])]
    default = pd.DataFrame({
        "indicator": pd.Series(missing, dtype=object), "option": 0, "line": pd.NA,
        "group": pd.Series([()] * len(missing), dtype=object), "series": None, "unit": None,
        "disaggregation": pd.Series([()] * len(missing), dtype=object), "base_year": 2015.0,
        "target_year": 2030.0, "direction": -1, "target": np.nan, "limit": np.nan, "limit_raw": None})
    options = pd.concat([given, default.astype(given.dtypes.to_dict())], ignore_index=True)
    order = {inid: i for i, inid in enumerate(auto)}
    options["_order"] = options["indicator"].map(order)
    return options.sort_values(["_order", "option"], kind="stable").drop(columns="_order").reset_index(drop=True)


def _matches(cells: pd.Series, wanted) -> np.ndarray:
    """Cells equal to a configured value: the same text, or the same number when it is written as one."""
    text = (cells == str(wanted)).to_numpy(dtype=bool)
    if isinstance(wanted, (int, float)) and not isinstance(wanted, bool):
        number = pd.to_numeric(cells.where(cells != "", None), errors="coerce").to_numpy(dtype="float64")
        text |= number == float(wanted)
    return text
