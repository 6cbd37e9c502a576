"""Many series at once: rows sorted by (series, year), with vectorised look-ups of base and current points.

Every progress method starts from a `Panel`. Nothing here loops over series in Python: per-series work is
done with `np.searchsorted` on a composite (series, year) key, so a million series cost what a million
rows of arithmetic cost.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["Panel", "Settings", "check_inputs", "year_from_label", "cagr"]

YEAR_SPAN = 10_000  # composite key = series * YEAR_SPAN + year; years are 0 … 9999


def year_from_label(labels) -> np.ndarray:
    """Years from labels such as 2015, '2015', '2014/15' or '2015-16': the first four characters.

    Open SDG (sdg-build 2.4.0, `data_progress_measure`) reads a period by its first year; we do the same.
    Labels that do not start with four digits give NaN.
    """
    labels = pd.Series(labels)
    if pd.api.types.is_numeric_dtype(labels):
        return labels.to_numpy(dtype="float64")
    text = labels.astype("string").str.slice(0, 4)
    return pd.to_numeric(text, errors="coerce").to_numpy(dtype="float64")


def cagr(current, base, current_year, base_year) -> np.ndarray:
    """Compound annual growth rate (v1 / v0) ** (1 / (t1 - t0)) - 1, element-wise; NaN where undefined."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.power(np.asarray(current, "float64") / np.asarray(base, "float64"),
                        1.0 / (np.asarray(current_year, "float64") - np.asarray(base_year, "float64"))) - 1.0


@dataclass(frozen=True)
class Panel:
    """Observations of `n` series, sorted by series then year, missing values dropped.

    `series` holds codes 0 … n-1; `labels[i]` is the caller's identifier of series i.
    `start[i]:stop[i]` are series i's rows. `duplicated[i]` is True when series i has two values for a year.
    """

    labels: np.ndarray
    series: np.ndarray
    year: np.ndarray
    value: np.ndarray
    start: np.ndarray
    stop: np.ndarray
    duplicated: np.ndarray

    @property
    def n(self) -> int:
        return len(self.labels)

    @classmethod
    def from_long(cls, series_ids, years, values, *, labels=None) -> "Panel":
        """Build from long-form columns (one row per series × year). Rows may come in any order.

        `labels` fixes the series and their order (series with no rows are kept, with no data);
        by default the distinct `series_ids` in order of first appearance.
        """
        ids = pd.Series(np.asarray(series_ids))
        if labels is None:
            codes, uniques = pd.factorize(ids, sort=False)
            labels = np.asarray(uniques)
        else:
            labels = np.asarray(labels)
            codes = pd.Index(labels).get_indexer(ids)
        return cls.from_codes(codes, year_from_label(years), values, labels=labels)

    @classmethod
    def from_codes(cls, codes, years, values, *, labels) -> "Panel":
        """Build from series codes 0 … len(labels)-1 per row (-1 = ignore), numeric years and values."""
        codes = np.asarray(codes, dtype="int64")
        year = np.asarray(years, dtype="float64")
        value = np.asarray(values, dtype="float64")
        keep = np.isfinite(value)
        keep &= np.isfinite(year)
        keep &= codes >= 0
        if not keep.all():
            codes, year, value = codes[keep], year[keep], value[keep]
        # The (series, year) key in floating point: exact below 2**53, and cheaper to form than in integers.
        key = codes * float(YEAR_SPAN)
        key += np.floor(year)
        duplicated = np.zeros(len(labels), dtype=bool)
        # Files usually come grouped by series, years rising: strictly rising keys mean sorted and no
        # duplicate years, and then there is nothing more to do.
        if len(key) > 1 and not (key[1:] > key[:-1]).all():
            if (key[1:] < key[:-1]).any():
                order = np.argsort(key, kind="stable")
                codes, year, value, key = codes[order], year[order], value[order], key[order]
            duplicated[codes[np.flatnonzero(key[1:] == key[:-1])]] = True
        # Rows are sorted by series: each series starts where the ones before it end.
        stop = np.cumsum(np.bincount(codes, minlength=len(labels)))
        start = np.concatenate(([0], stop[:-1])).astype("int64")
        return cls(np.asarray(labels), codes, year, value, start, stop, duplicated)

    @property
    def count(self) -> np.ndarray:
        """Number of points per series."""
        return self.stop - self.start

    def first_at_or_after(self, year) -> np.ndarray:
        """Row index of each series' first point in or after `year` (scalar or per series); -1 if none."""
        year = np.broadcast_to(np.asarray(year, "float64"), (self.n,))
        wanted = np.arange(self.n, dtype="int64") * YEAR_SPAN + np.ceil(np.nan_to_num(year, nan=YEAR_SPAN - 1))
        key = self.series * YEAR_SPAN + self.year.astype("int64")
        row = np.searchsorted(key, wanted, side="left")
        return np.where((row < self.stop) & np.isfinite(year), row, -1)

    def at(self, year) -> np.ndarray:
        """Row index of each series' point in exactly `year`; -1 if none."""
        row = self.first_at_or_after(year)
        year = np.broadcast_to(np.asarray(year, "float64"), (self.n,))
        found = row >= 0
        exact = np.zeros(self.n, dtype=bool)
        exact[found] = self.year[row[found]] == year[found]
        return np.where(exact, row, -1)

    def last(self) -> np.ndarray:
        """Row index of each series' latest point; -1 for a series without points."""
        return np.where(self.count > 0, self.stop - 1, -1)

    def take(self, column: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """column[rows] with NaN where rows is -1."""
        out = np.full(len(rows), np.nan)
        ok = rows >= 0
        out[ok] = column[rows[ok]]
        return out


@dataclass(frozen=True)
class Settings:
    """Per-series settings of an assessment, each an array of length n (NaN = none).

    direction: +1 when higher values are better, -1 when lower values are better.
    target: the value to reach by target_year; NaN for a direction-only assessment.
    limit: a natural bound the value cannot pass (e.g. 100 for a percentage); NaN for none.
    """

    base_year: np.ndarray
    target_year: np.ndarray
    direction: np.ndarray
    target: np.ndarray
    limit: np.ndarray

    @classmethod
    def broadcast(cls, n: int, *, base_year=2015, target_year=2030, direction=-1, target=np.nan,
                  limit=np.nan) -> "Settings":
        """Settings for n series from scalars or arrays (Open SDG's defaults: 2015, 2030, negative)."""

        def column(x):
            return np.array(np.broadcast_to(np.asarray(x, dtype="float64"), (n,)))

        return cls(column(base_year), column(target_year), column(direction), column(target), column(limit))


def check_inputs(panel: Panel, settings: Settings) -> int:
    """Validate what every method takes, naming the parameter at fault; return the number of series."""
    if not isinstance(panel, Panel):
        raise TypeError(f"`panel` must be a Panel; got {type(panel).__name__}.")
    if not isinstance(settings, Settings):
        raise TypeError(f"`settings` must be a Settings; got {type(settings).__name__}.")
    for name in ("base_year", "target_year", "direction", "target", "limit"):
        if np.shape(getattr(settings, name)) != (panel.n,):
            raise ValueError(f"`settings.{name}` must have one value per series ({panel.n}); "
                             f"got shape {np.shape(getattr(settings, name))}. Use Settings.broadcast(panel.n, ...).")
    return panel.n
