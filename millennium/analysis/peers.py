"""Similar areas ("liknande kommuner"): the nearest neighbours of each area in standardised key figures.

Each key figure is optionally log-transformed and turned into z-scores over all areas of the table; the
distance between two areas is the weighted root-mean-square of their standardised differences; each area's
peers are the `k` areas nearest to it, each with the figures that make them alike and those that set them
apart. Pure numpy/pandas: every distance is computed at once (one pass per key figure over all pairs of
areas); no loop over areas.
"""

from collections.abc import Mapping

import numpy as np
import pandas as pd

__all__ = ["TRANSFORMS", "standardise", "distances", "nearest", "all_nearest"]

#: What may be done to a key figure before it is standardised: nothing, or the natural logarithm.
TRANSFORMS = ("none", "log")
#: Columns of `all_nearest`; `nearest` has the same without ``code``, with ``rank`` as its index.
COLUMNS = ["code", "rank", "peer", "distance", "similar_on", "differs_on"]


def standardise(table: pd.DataFrame, *, transforms: Mapping[str, str] | None = None) -> pd.DataFrame:
    r"""Z-scores of every column of `table`, after the log transform where `transforms` asks for one.

    .. math::

        z_{if} = \frac{g_f(x_{if}) - \bar{g}_f}{s_f}

    where :math:`g_f` is the identity or :math:`\ln`, and :math:`\bar{g}_f`, :math:`s_f` are the mean and the
    standard deviation (``ddof=0``, as ``scipy.stats.zscore``) of the column's non-missing values.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per area (unique index: the area codes), one numeric column per key figure. NaN = missing.
    transforms : mapping of str to {"none", "log"}, optional
        Per column; columns not named are used as they are. Use "log" for strongly right-skewed figures
        such as population (Stockholm has 400 times Bjurholm's inhabitants): on the raw scale all small
        municipalities would be "alike" and the few large ones far from everything.

    Returns
    -------
    pandas.DataFrame
        Same shape, index and columns; NaN where the value is missing.

    Raises
    ------
    ValueError
        When the index or the columns are not unique, a value is not numeric, a column has no value at all,
        `transforms` names a column not in the table or a transform not in `TRANSFORMS`, or a column to be
        logged has a value ≤ 0 (the message names the column and the area).

    Notes
    -----
    - Missing values stay missing; the mean and standard deviation are those of the values present.
    - A column whose present values are all equal carries no information: its z-scores are 0.
    - The reference population is the table's rows: standardising the 290 municipalities and standardising
      a subset give different scales.

    Examples
    --------
    >>> t = pd.DataFrame({"pop": [1000.0, 10000.0, 100000.0]}, index=["a", "b", "c"])
    >>> standardise(t, transforms={"pop": "log"})["pop"].round(4).tolist()
    [-1.2247, 0.0, 1.2247]
    """
    values, transforms = _check_table(table), _check_transforms(table, transforms)
    for j, column in enumerate(table.columns):
        if transforms.get(column, "none") == "log":
            bad = values[:, j] <= 0
            if bad.any():
                raise ValueError(f"`table` column {column!r} is to be logged but has a value ≤ 0 "
                                 f"(area {table.index[np.argmax(bad)]!r}: {float(values[np.argmax(bad), j])!r})")
            values[:, j] = np.log(values[:, j])
    mean = np.nanmean(values, axis=0)
    std = np.nanstd(values, axis=0)
    z = (values - mean) / np.where(std > 0, std, 1.0)
    return pd.DataFrame(z, index=table.index, columns=table.columns)


def distances(table: pd.DataFrame, weights=None, *, transforms: Mapping[str, str] | None = None,
              min_shared: float = 0.5) -> pd.DataFrame:
    r"""The weighted distance between every pair of areas, as a square table.

    .. math::

        d_{ij} = \sqrt{\frac{\sum_{f \in S_{ij}} w_f \, (z_{if} - z_{jf})^2}{\sum_{f \in S_{ij}} w_f}}

    the weighted Euclidean distance of the z-scores (see `standardise`) divided by the square root of the total
    weight, i.e. the weighted root-mean-square of the standardised differences: a distance of 0.3 means the
    two areas differ by 0.3 standard deviations on (weighted) average. :math:`S_{ij}` is the set of figures
    both areas have (all of them when nothing is missing).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per area, one column per key figure; see `standardise`.
    weights : mapping of str to float or array_like, optional
        Weight of each column's squared standardised difference: a mapping (columns not named get 1) or one
        number per column in column order. Default: 1 for every column. Columns of weight 0 are ignored.
    transforms : mapping of str to {"none", "log"}, optional
        See `standardise`.
    min_shared : float, optional
        The smallest share (0–1) of the total weight two areas must both have values for; below it their
        distance is NaN. Default 0.5.

    Returns
    -------
    pandas.DataFrame
        n × n, index and columns the table's index; 0 on the diagonal; symmetric; NaN where undefined.

    Raises
    ------
    ValueError
        As `standardise`; and when `weights` has the wrong length, names a column not in the table, has a
        negative or non-finite weight or no positive one, or `min_shared` is not in [0, 1].

    Notes
    -----
    Missing values: a figure missing for either area is left out of that pair's distance and the rest are
    re-weighted to the full weight, as in Gower's coefficient [1]_; below `min_shared` the pair is not
    compared at all, since a distance on one figure of ten says little.

    References
    ----------
    .. [1] J. C. Gower, "A general coefficient of similarity and some of its properties", Biometrics 27(4),
       857–871, 1971. doi:10.2307/2528823

    Examples
    --------
    >>> t = pd.DataFrame({"x": [0.0, 1.0, 3.0], "y": [0.0, 0.0, 0.0]}, index=["a", "b", "c"])
    >>> distances(t, {"y": 0}).round(4).loc["a"].tolist()  # x has standard deviation 1.2472
    [0.0, 0.8018, 2.4054]
    """
    z, w = _prepare(table, weights, transforms)
    if not 0 <= min_shared <= 1:
        raise ValueError(f"`min_shared` must be between 0 and 1, got {min_shared!r}")
    d = _distance_rows(z, w, np.arange(len(z)), min_shared)
    np.fill_diagonal(d, 0.0)
    return pd.DataFrame(d, index=table.index, columns=table.index)


def all_nearest(table: pd.DataFrame, k: int = 7, weights=None, *, transforms: Mapping[str, str] | None = None,
                reasons: int = 3, min_shared: float = 0.5) -> pd.DataFrame:
    """The `k` nearest areas of every area, with what makes each pair alike and what sets it apart.

    Standardised key figures (z-scores, see `standardise`), the weighted distance of `distances`, and for
    every area the `k` others at the smallest distance: the nearest-neighbour search of statistical
    learning [2]_ on standardised inputs, as Kolada (RKA) does for its groups "Liknande kommuner" [1]_.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per area (unique index: the codes), one numeric column per key figure.
    k : int, optional
        Peers per area, default 7 (as many as Kolada shows).
    weights, transforms, min_shared
        See `distances`.
    reasons : int, optional
        How many figures to name in ``similar_on`` and in ``differs_on``, default 3.

    Returns
    -------
    pandas.DataFrame
        One row per area and peer, areas in table order, peers nearest first: code, rank (1 … k), peer,
        distance (as in `distances`), similar_on (list of the columns with the smallest absolute
        standardised difference, smallest first) and differs_on (list of those with the largest, largest
        first).

    Raises
    ------
    ValueError
        As `distances`; and when `k` or `reasons` is not a positive integer.

    Notes
    -----
    - An area is never its own peer. Areas at equal distance come in table order.
    - An area with fewer than `k` comparable others (see `min_shared`; or a table of ≤ `k` rows) gets fewer
      rows; one with none gets no rows.
    - The explanation uses the unweighted absolute standardised differences over the figures both areas have
      and weight > 0: "alike" and "different" in standard deviations, whatever the figure's weight. The two
      lists never share a figure: with fewer than 2 · `reasons` figures, ``differs_on`` gets the larger half
      of the differences (rounded down) and ``similar_on`` the rest.

    References
    ----------
    .. [1] Kolada (RKA, Rådet för främjande av kommunala analyser), "Liknande kommuner, övergripande": for
       each municipality the 7 municipalities most alike in structural preconditions, published as
       municipality groups in the Kolada API (https://api.kolada.se/v3/municipality_groups).
    .. [2] T. Hastie, R. Tibshirani and J. Friedman, The Elements of Statistical Learning, 2nd ed., Springer,
       2009, section 13.3 "k-Nearest-Neighbor Classifiers" (features standardised to mean 0 and variance 1).
       doi:10.1007/978-0-387-84858-7

    Examples
    --------
    Population (logged) weighs four times as much as each of the other two figures:

    >>> t = pd.DataFrame({"pop": [1e3, 1.2e3, 1e5, 1.1e5], "tax": [10.0, 12.0, 11.0, 13.0],
    ...                   "old": [20.0, 21.0, 18.0, 24.0]}, index=["a", "b", "c", "d"])
    >>> peers = all_nearest(t, 1, {"pop": 4}, transforms={"pop": "log"}, reasons=1)
    >>> peers[["code", "peer", "similar_on", "differs_on"]]
      code peer similar_on differs_on
    0    a    b      [pop]      [tax]
    1    b    a      [pop]      [tax]
    2    c    d      [pop]      [old]
    3    d    c      [pop]      [old]
    """
    z, w = _prepare(table, weights, transforms)
    _check_counts(k, reasons, min_shared)
    return _nearest_rows(table, z, w, np.arange(len(z)), k, reasons, min_shared)


def nearest(table: pd.DataFrame, code, k: int = 7, weights=None, *, transforms: Mapping[str, str] | None = None,
            reasons: int = 3, min_shared: float = 0.5) -> pd.DataFrame:
    """The `k` areas nearest to the area `code`, with what makes them alike and what sets them apart.

    The same computation as `all_nearest` (standardised over the whole table), for one area's row of
    distances only.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per area (unique index: the codes), one numeric column per key figure.
    code
        The area, a label of ``table.index``.
    k, weights, transforms, reasons, min_shared
        See `all_nearest` and `distances`.

    Returns
    -------
    pandas.DataFrame
        Index ``rank`` (1 … k, nearest first); columns peer, distance, similar_on, differs_on as in
        `all_nearest`.

    Raises
    ------
    KeyError
        When `code` is not in ``table.index``.
    ValueError
        As `all_nearest`.

    Examples
    --------
    >>> t = pd.DataFrame({"pop": [1e3, 1.2e3, 1e5, 1.1e5], "tax": [10.0, 12.0, 11.0, 13.0],
    ...                   "old": [20.0, 21.0, 18.0, 24.0]}, index=["a", "b", "c", "d"])
    >>> peers = nearest(t, "c", 2, {"pop": 4}, transforms={"pop": "log"})
    >>> peers["peer"].tolist(), peers.loc[1, "similar_on"], peers.loc[1, "differs_on"]
    (['d', 'b'], ['pop', 'tax'], ['old'])
    """
    z, w = _prepare(table, weights, transforms)
    _check_counts(k, reasons, min_shared)
    if code not in table.index:
        raise KeyError(f"`code` {code!r} is not in the table's index")
    rows = _nearest_rows(table, z, w, np.array([table.index.get_loc(code)]), k, reasons, min_shared)
    return rows.drop(columns="code").set_index("rank")


# --- Helpers.


def _check_table(table) -> np.ndarray:
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"`table` must be a pandas DataFrame, got {type(table).__name__}")
    if not table.index.is_unique:
        raise ValueError(f"`table` index must be unique; repeated: {table.index[table.index.duplicated()][0]!r}")
    if not table.columns.is_unique:
        raise ValueError(f"`table` columns must be unique; repeated: "
                         f"{table.columns[table.columns.duplicated()][0]!r}")
    try:
        values = table.to_numpy(dtype="float64", na_value=np.nan, copy=True)
    except (TypeError, ValueError) as error:
        raise ValueError(f"`table` must hold numbers only: {error}") from None
    values[~np.isfinite(values)] = np.nan
    empty = np.isnan(values).all(axis=0)
    if empty.any():
        raise ValueError(f"`table` column {table.columns[np.argmax(empty)]!r} has no value")
    return values


def _check_transforms(table, transforms) -> dict:
    transforms = dict(transforms or {})
    unknown = [c for c in transforms if c not in table.columns]
    if unknown:
        raise ValueError(f"`transforms` names a column not in the table: {unknown[0]!r}")
    for column, name in transforms.items():
        if name not in TRANSFORMS:
            raise ValueError(f"`transforms` for {column!r} must be one of {TRANSFORMS}, got {name!r}")
    return transforms


def _check_weights(table, weights) -> np.ndarray:
    columns = table.columns
    if weights is None:
        w = np.ones(len(columns))
    elif isinstance(weights, Mapping):
        unknown = [c for c in weights if c not in columns]
        if unknown:
            raise ValueError(f"`weights` names a column not in the table: {unknown[0]!r}")
        w = np.array([weights.get(c, 1.0) for c in columns], dtype="float64")
    else:
        w = np.asarray(weights, dtype="float64").ravel()
        if len(w) != len(columns):
            raise ValueError(f"`weights` must have one weight per column ({len(columns)}), got {len(w)}")
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError("`weights` must be finite numbers ≥ 0")
    if not (w > 0).any():
        raise ValueError("`weights` must give at least one column a weight > 0")
    return w


def _check_counts(k, reasons, min_shared) -> None:
    for name, value in (("k", k), ("reasons", reasons)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"`{name}` must be a positive integer, got {value!r}")
    if not 0 <= min_shared <= 1:
        raise ValueError(f"`min_shared` must be between 0 and 1, got {min_shared!r}")


def _prepare(table, weights, transforms) -> tuple[np.ndarray, np.ndarray]:
    """Validated z-scores (n × F) and weights (F), columns of weight 0 already dropped."""
    z = standardise(table, transforms=transforms).to_numpy(dtype="float64", copy=True)
    w = _check_weights(table, weights)
    z[:, w == 0] = np.nan
    return z, w


def _distance_rows(z: np.ndarray, w: np.ndarray, rows: np.ndarray, min_shared: float) -> np.ndarray:
    """Distances (len(rows) × n) of the areas `rows` to every area; the formula of `distances`.

    One pass per key figure, each over all pairs at once: memory stays len(rows) × n whatever the number
    of figures. NaN on the areas' own positions and where the shared weight is below `min_shared`.
    """
    total = np.zeros((len(rows), len(z)))
    shared = np.zeros((len(rows), len(z)))
    for f in np.flatnonzero(w > 0):
        diff = z[rows, f][:, None] - z[None, :, f]
        present = ~np.isnan(diff)
        total += w[f] * np.where(present, diff * diff, 0.0)
        shared += w[f] * present
    with np.errstate(invalid="ignore", divide="ignore"):
        d = np.sqrt(total / shared)
    d[shared < min_shared * w.sum() - 1e-12 * w.sum()] = np.nan
    d[shared == 0] = np.nan
    d[np.arange(len(rows)), rows] = np.nan
    return d


def _nearest_rows(table, z, w, rows, k, reasons, min_shared) -> pd.DataFrame:
    d = _distance_rows(z, w, rows, min_shared)
    # NaN last; a stable sort keeps table order among equal distances.
    order = np.argsort(np.where(np.isnan(d), np.inf, d), axis=1, kind="stable")[:, :k]
    dist = np.take_along_axis(d, order, axis=1)
    keep = ~np.isnan(dist)
    area = np.repeat(rows, order.shape[1])[keep.ravel()]
    peer = order[keep]
    similar, differs = _explain(z, area, peer, np.asarray(table.columns, dtype=object), reasons)
    return pd.DataFrame({
        "code": table.index[area],
        "rank": np.broadcast_to(np.arange(1, order.shape[1] + 1), order.shape)[keep],
        "peer": table.index[peer],
        "distance": dist[keep],
        "similar_on": similar,
        "differs_on": differs,
    }, columns=COLUMNS)


def _explain(z, area, peer, columns, reasons) -> tuple[list, list]:
    """Per pair, the columns with the smallest and the largest absolute standardised difference."""
    gap = np.abs(z[area] - z[peer])
    valid = (~np.isnan(gap)).sum(axis=1)
    order = np.argsort(np.where(np.isnan(gap), np.inf, gap), axis=1, kind="stable")
    n_differs = np.minimum(reasons, valid // 2)
    n_similar = np.minimum(reasons, valid - n_differs)
    names = columns[order]
    similar = [list(row[:n]) for row, n in zip(names, n_similar)]
    differs = [list(row[:v][::-1][:n]) for row, v, n in zip(names, valid, n_differs)]
    return similar, differs
