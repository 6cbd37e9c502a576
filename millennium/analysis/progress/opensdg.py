"""Open SDG progress measure (Statistics Canada's method, sdg-build 2.4.0), for whole panels at once.

Each series is scored from its compound annual growth rate (CAGR) between the base year and its latest
year: against a required CAGR when it has a numerical target, against fixed rates (scaled near a natural
limit) when it has none. Scores run from -5 to 5; an indicator's score is the mean of its series' scores.
Everything is computed with masks on arrays: there is no loop over series.
"""

import numpy as np
import pandas as pd

from .panel import Panel, Settings, check_inputs

__all__ = ["STATUSES", "LABELS", "THRESHOLDS_TREND", "THRESHOLDS_TARGET", "LIMIT_EXPONENT", "ZERO_REPLACEMENT",
           "assess", "indicator", "status_from_score"]

#: Every status, best to worst, then 'not_available' (sdg-build's identifiers).
STATUSES = ("target_achieved", "substantial_progress", "moderate_progress", "limited_progress", "deterioration",
            "not_available")
#: The wording Open SDG shows for each status.
LABELS = {
    "target_achieved": "Target achieved",
    "substantial_progress": "On track",
    "moderate_progress": "Progress made but acceleration needed",
    "limited_progress": "Limited progress",
    "deterioration": "Deterioration",
    "not_available": "Unable to assess",
}
#: CAGR thresholds (on track, acceleration needed, limited) of a series without a target, before scaling.
THRESHOLDS_TREND = (0.015, 0.005, 0.0)
#: Thresholds of the ratio of observed to required CAGR of a series with a target.
THRESHOLDS_TARGET = (0.95, 0.6, 0.0)
#: Exponent `a` of the natural-limit scaling factor C = 1 - (y0 / ylim) ** a.
LIMIT_EXPONENT = 4.44
#: What a base value or target of exactly zero is replaced by.
ZERO_REPLACEMENT = 0.001

_TA, _SUB, _MOD, _LIM, _DET, _NA = range(6)

# Reasons a series is not assessed; a status is 'not_available' exactly when its reason is not ''.
# The "hard" ones are the inputs on which sdg-build stops with an exception: they win over a reached target.
_REASONS = (
    "",
    "no data",
    "duplicate years",
    "direction must be +1 or -1",
    "no data in or after the base year",
    "target year equals base year",
    "base and current values differ in sign",
    "fewer than two years of data",
    "no target year",
    "target and base value differ in sign",
    "progress value undefined (0/0 or overflow)",
)
_HARD = np.array([False, False, True, True, True, True, False, False, False, False, False])


def assess(panel: Panel, settings: Settings) -> pd.DataFrame:
    r"""Progress of each series by the Open SDG / Statistics Canada method (sdg-build 2.4.0).

    With :math:`t_0` the base year, :math:`t_i` the latest year, :math:`y_0, y_i` their values, :math:`d`
    the desired direction (+1 up, -1 down) and :math:`s` the sign of :math:`y_0` (-1 when the series is
    negative, else 1) [1]_:

    .. math::

        \mathrm{CAGR}_i = (y_i / y_0)^{1/(t_i - t_0)} - 1

    Without a target the progress value is :math:`p = s\,d\,\mathrm{CAGR}_i`, banded at
    1.5 % C, 0.5 % C and 0 (on track, acceleration needed, limited progress, else deterioration). C = 1
    unless the series has a natural limit :math:`y_{lim}`; then, with :math:`b = |y_0|`, :math:`l = |y_{lim}|`
    and :math:`a = 4.44`,

    .. math::

        C = \begin{cases} 1 - (b/l)^a & b \le l \\ 1 - ((2l - b)/l)^a & l < b < 2l \\ 1 & b \ge 2l \end{cases}

    (a maximum limit when the base value is below it, a minimum limit when above). The score is piecewise
    linear: :math:`\max(125p - 2.5, -5)` for :math:`p < 0`; :math:`500p/C - 2.5` up to 0.5 % C;
    :math:`250p/C - 1.25` up to 1.5 % C; :math:`\min(500p/C - 5, 5)` beyond; 5 when C = 0 and p ≥ 0.

    With a target :math:`y_T` for year :math:`t_T` the progress value is the ratio

    .. math::

        R = s\,d\,\mathrm{CAGR}_i / |\mathrm{CAGR}_T|, \qquad \mathrm{CAGR}_T = (y_T / y_0)^{1/(t_T - t_0)} - 1,

    banded at 0.95, 0.6 and 0, scored :math:`\min(7.1429R - 4.2857, 5)` for R ≥ 0.6 and
    :math:`\max(4.1667R - 2.5, -5)` below (sdg-build's rounded constants). A series whose latest value is
    at or beyond the target (``current <= target`` when lower is better, ``>=`` when higher is better)
    has status target_achieved and score 5, whatever its trend.

    Parameters
    ----------
    panel : Panel
        The series. Year labels such as '2015-16' were read as their first year by `Panel.from_long`.
    settings : Settings
        ``base_year`` (the base point is the first observation in or after it; Open SDG's default 2015),
        ``target_year`` (default 2030), ``direction`` (+1 or -1; Open SDG's default is -1), ``target``
        (NaN: assess the trend alone) and ``limit`` (NaN: none; used only without a target).

    Returns
    -------
    pandas.DataFrame
        One row per series, index ``panel.labels``: status (one of `STATUSES`), reason ('' unless
        not_available), base_year, base_value, current_year, current_value, target, target_year, limit,
        direction, sign, progress_value (p or R) and score. base_value and target are the values the
        calculation used (0 replaced by 0.001); base_year is the requested one when no base point exists.

    Notes
    -----
    Edge cases, as sdg-build 2.4.0 treats them unless said otherwise:

    * Base year without data: the next year with data is the base year. No data in or after it:
      not_available (sdg-build raises).
    * Fewer than two years (``t_i - t_0 < 1``) or no data: not_available, but the base and current points
      are still reported; a single point that already meets the target is target_achieved (sdg-build
      tests the target before the trend).
    * Two values for one year: not_available with reason 'duplicate years' (sdg-build raises); the values
      are not reported since it is not known which one is meant.
    * Base value 0: replaced by 0.001 after the sign and C are taken from it. Target 0: replaced by 0.001
      before the target test. Open SDG's documentation warns that the result then depends on that choice.
    * Base and current value of opposite signs: not_available. All values negative: s = -1, which flips
      the desired direction (a CAGR of negative values measures their magnitude).
    * Target year equal to the base year: not_available (sdg-build divides by zero). Target and base value
      of opposite signs: not_available unless the target is met (sdg-build takes the modulus of a complex
      power there, which has no meaning). Target equal to the base value: the required CAGR is 0 and R
      is ±inf (score ±5); R = 0/0 (or an overflow) is not_available unless the target is met.
    * A limit is applied whatever the direction: the method takes it as a maximum when the base value is
      below it and as a minimum when above, as sdg-build does.
    * Missing values (NaN) were dropped by `Panel`; nothing here raises on finite, zero, negative,
      missing or duplicated values.

    References
    ----------
    .. [1] Statistics Canada / Open SDG (2025). "Progress Measurement Methodology for the Sustainable
       Development Goals". Open SDG documentation, ``docs/progress-methodology.md``; implemented in
       sdg-build 2.4.0, ``sdg/ProgressMeasure.py``.

    Examples
    --------
    A rate that fell from 20 (2015) to 17 (2022), with a target of 10 by 2030 and lower being better:

    >>> panel = Panel.from_long(["a", "a"], [2015, 2022], [20.0, 17.0])
    >>> settings = Settings.broadcast(1, target=10.0, direction=-1)
    >>> row = assess(panel, settings).loc["a"]
    >>> row.status, float(round(row.score, 3))
    ('limited_progress', -0.382)
    """
    n = check_inputs(panel, settings)
    direction = settings.direction
    count = panel.count
    base_row, found = _base_rows(panel, settings.base_year)
    current_row = np.maximum(panel.stop - 1, 0)
    base_year = np.where(found, _take(panel.year, base_row), settings.base_year)
    raw_base = np.where(found, _take(panel.value, base_row), np.nan)
    current_year = np.where(count > 0, _take(panel.year, current_row), np.nan)
    current = np.where(count > 0, _take(panel.value, current_row), np.nan)
    sign = np.where(found, np.where(raw_base < 0, -1.0, 1.0), np.nan)
    has_target = ~np.isnan(settings.target)
    target = np.where(settings.target == 0, ZERO_REPLACEMENT, settings.target)
    target_year = settings.target_year

    with np.errstate(all="ignore"):
        # Natural-limit scaling factor C (only without a target), from the base value before its zero fix.
        coeff = np.ones(n)
        limited = np.flatnonzero(~has_target & ~np.isnan(settings.limit))
        coeff[limited] = _limit_coefficient(raw_base[limited], settings.limit[limited])
        base = np.where(raw_base == 0, ZERO_REPLACEMENT, raw_base)
        achieved = has_target & (((direction == -1) & (current <= target)) | ((direction == 1) & (current >= target)))
        span = current_year - base_year
        progress = sign * direction * ((current / base) ** (1.0 / span) - 1.0)
        targeted = np.flatnonzero(has_target)
        b, by = base[targeted], base_year[targeted]
        required = (target[targeted] / b) ** (1.0 / (target_year[targeted] - by)) - 1.0
        progress[targeted] /= np.abs(required)

    mismatch = ((base > 0) & (current < 0)) | ((base < 0) & (current > 0))
    short = span < 1
    reached = ~mismatch & ~short  # sdg-build reaches the growth formulas only for these
    reason = _first_reason(n, [
        count == 0,
        panel.duplicated,
        ~((direction == 1) | (direction == -1)),
        ~found,
        reached & has_target & (target_year == base_year),
        mismatch,
        short,
        has_target & np.isnan(target_year),
        has_target & (np.sign(target) * np.sign(base) < 0),
        np.isnan(progress),
    ])
    hard = _HARD[reason]
    ok = reason == 0
    achieved &= ~hard
    reason = np.where(achieved, 0, reason)
    progress = np.where(ok, progress, np.nan)

    with np.errstate(all="ignore"):
        high, med = THRESHOLDS_TREND[0] * coeff, THRESHOLDS_TREND[1] * coeff
        trend_band = np.select([progress >= high, progress >= med, progress >= 0.0], [_SUB, _MOD, _LIM], _DET)
        ratio_band = np.select([progress >= THRESHOLDS_TARGET[0], progress >= THRESHOLDS_TARGET[1],
                                progress >= THRESHOLDS_TARGET[2]], [_SUB, _MOD, _LIM], _DET)
        trend_score = np.select(
            [progress < 0.0, coeff == 0, progress >= high, progress >= med],
            [np.maximum(125 * progress - 2.5, -5.0), 5.0, np.minimum(500 * progress / coeff - 5, 5.0),
             250 * progress / coeff - 1.25],
            500 * progress / coeff - 2.5)
        ratio_score = np.where(progress >= THRESHOLDS_TARGET[1], np.minimum((7.1429 * progress) - 4.2857, 5.0),
                               np.maximum((4.1667 * progress) - 2.5, -5.0))
    code = np.where(has_target, ratio_band, trend_band)
    code = np.where(achieved, _TA, np.where(ok, code, _NA))
    score = np.where(achieved, 5.0, np.where(ok, np.where(has_target, ratio_score, trend_score), np.nan))

    duplicated = panel.duplicated
    return pd.DataFrame({
        "status": pd.Categorical.from_codes(code, STATUSES),
        "reason": pd.Categorical.from_codes(reason, _REASONS),
        "base_year": base_year,
        "base_value": np.where(duplicated, np.nan, base),
        "current_year": current_year,
        "current_value": np.where(duplicated, np.nan, current),
        "target": target,
        "target_year": target_year,
        "limit": settings.limit,
        "direction": direction,
        "sign": np.where(duplicated, np.nan, sign),
        "progress_value": progress,
        "score": score,
    }, index=pd.Index(panel.labels, name="series"))


def indicator(series: pd.DataFrame, groups, *, labels=None) -> pd.DataFrame:
    """Indicator-level status and score from the series of each indicator (sdg-build 2.4.0).

    Parameters
    ----------
    series : pandas.DataFrame
        The result of `assess` (columns status and score are used).
    groups : array-like
        For each row of `series`, the indicator it belongs to.
    labels : array-like, optional
        The indicators to report, in this order (one with no series is not_available); by default the
        distinct `groups` in order of first appearance.

    Returns
    -------
    pandas.DataFrame
        Index: the indicators. Columns: status, score (mean of the series' scores; NaN when none has one),
        scored (number of series with a score) and series (number of series).

    Notes
    -----
    Only series with a score count [1]_: the indicator's score is their mean and its status follows from
    it by `status_from_score`; it is target_achieved only when every scored series met its target. An
    indicator without any scored series is not_available.

    References
    ----------
    .. [1] Statistics Canada / Open SDG (2025). "Progress Measurement Methodology for the Sustainable
       Development Goals", section "Aggregated progress status". Open SDG documentation.
    """
    groups = pd.Series(np.asarray(groups, dtype=object))
    if len(groups) != len(series):
        raise ValueError(f"`groups` must have one entry per row of `series` ({len(series)}); got {len(groups)}.")
    if labels is None:
        codes, uniques = pd.factorize(groups, sort=False)
        labels = np.asarray(uniques, dtype=object)
    else:
        labels = np.asarray(labels, dtype=object)
        codes = pd.Index(labels).get_indexer(groups)
    k = len(labels)
    score = series["score"].to_numpy(dtype="float64")
    met = (series["status"] == "target_achieved").to_numpy(dtype=bool)
    use = (codes >= 0) & ~np.isnan(score)
    counted = np.bincount(codes[use], minlength=k)
    total = np.bincount(codes[use], weights=score[use], minlength=k)
    all_met = np.bincount(codes[use & met], minlength=k) == counted
    members = np.bincount(codes[codes >= 0], minlength=k)
    with np.errstate(all="ignore"):
        mean = np.where(counted > 0, total / counted, np.nan)
    status = np.where(counted == 0, "not_available", np.where(all_met, "target_achieved", status_from_score(mean)))
    return pd.DataFrame({"status": status, "score": mean, "scored": counted, "series": members},
                        index=pd.Index(labels, name="indicator"))


def status_from_score(score) -> np.ndarray:
    """Status of a score: [2.5, 5] substantial, [0, 2.5) moderate, [-2.5, 0) limited, below deterioration.

    NaN gives 'not_available'. The bands divide the score range equally between the four categories [1]_.

    References
    ----------
    .. [1] Statistics Canada / Open SDG (2025). "Progress Measurement Methodology for the Sustainable
       Development Goals", table of scores. Open SDG documentation.
    """
    score = np.asarray(score, dtype="float64")
    return np.select([score >= 2.5, score >= 0.0, score >= -2.5, score < -2.5],
                     list(STATUSES[_SUB:_DET + 1]), "not_available").astype(object)


def _base_rows(panel: Panel, base_year) -> tuple[np.ndarray, np.ndarray]:
    """Row of each series' first point in or after its base year, and whether there is one.

    Same as `Panel.first_at_or_after`, computed from the count of each series' points before the base
    year (one pass over the rows, no composite key), which is several times faster on large panels.
    """
    count = panel.stop - panel.start
    # One base year for all series (the usual case) needs no per-row copy of it.
    same = len(base_year) > 0 and (base_year == base_year[0]).all()
    before = panel.year < (base_year[0] if same else np.repeat(base_year, count))
    # Points before the base year, per series: sums over each series' rows (empty series count 0).
    starts = np.minimum(panel.start, max(len(before) - 1, 0))
    earlier = np.add.reduceat(before.view(np.int8), starts, dtype=np.int64) if len(before) else np.zeros(
        len(count), dtype=np.int64)
    row = panel.start + np.where(count > 0, earlier, 0)
    return row, (row < panel.stop) & ~np.isnan(base_year)


def _take(column: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """column[rows] for rows that may point past the end (their result is masked by the caller)."""
    return column.take(rows, mode="clip") if len(column) else np.full(len(rows), np.nan)


def _limit_coefficient(base, limit) -> np.ndarray:
    """Scaling factor C of the thresholds near a natural limit (methodology, "Indicators without targets").

    The equation in the documentation is an image; this is sdg-build 2.4.0's form of it, with a = 4.44.
    Computed on absolute values; C = 1 for a base value at least twice the limit (so also for 0 and 0).
    """
    b, lim = np.abs(base), np.abs(limit)
    # A limit of 0 divides by zero here, but then b >= 2 * lim and the where below takes 1.0 instead.
    with np.errstate(divide="ignore", invalid="ignore"):
        below = 1.0 - (b / lim) ** LIMIT_EXPONENT
        above = 1.0 - ((2 * lim - b) / lim) ** LIMIT_EXPONENT
    return np.where(b >= 2 * lim, 1.0, np.where(b <= lim, below, above))


def _first_reason(n: int, masks) -> np.ndarray:
    """Per series, the index (1-based) of the first mask that is True, 0 where none is."""
    code = np.zeros(n, dtype=np.int8)
    for i, mask in enumerate(masks, start=1):
        code = np.where((code == 0) & mask, np.int8(i), code)
    return code


