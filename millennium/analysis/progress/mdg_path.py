"""MDG progress by the World Bank's reference path: a constant-rate path from the 1990 value to the 2015 target.

The latest value is compared with the point of the path in its year; the observed and required rates give
how likely the target is to be met (likely / possible / unlikely / very unlikely). Pure numpy on whole
panels; no per-series loop.
"""

import numpy as np
import pandas as pd

from .methods import _band, _frame, _meets, _Points
from .panel import Panel, Settings

__all__ = ["STATUSES", "LABELS", "BASE_YEAR", "TARGET_YEAR", "assess", "relative_target", "mdg_settings"]

#: Statuses, best to worst, then 'not_available'.
STATUSES = ("target_met", "likely", "possible", "unlikely", "very_unlikely", "not_available")
#: The World Bank's wording (and colour) of each status.
LABELS = {
    "target_met": "Target met",
    "likely": "Likely to achieve the goal (green)",
    "possible": "Possible; needs to accelerate progress (light green)",
    "unlikely": "Unlikely (orange)",
    "very_unlikely": "Very unlikely; conditions have worsened (red)",
    "not_available": "Lacks adequate data (grey)",
}
#: The MDG base year and target year.
BASE_YEAR, TARGET_YEAR = 1990, 2015

#: Cut-offs on the ratio of observed to required rate (log scale): on the path, half the pace, no change.
CUTS = (1.0, 0.5, 0.0)


def mdg_settings(n: int, **overrides) -> Settings:
    """`Settings.broadcast` with the MDG years (1990 → 2015) instead of the SDG ones; keywords override."""
    return Settings.broadcast(n, **{"base_year": BASE_YEAR, "target_year": TARGET_YEAR, **overrides})


def relative_target(base_value, factor, *, limit=np.nan) -> np.ndarray:
    """Absolute target from a relative one: `factor` times the base value, or times its distance to `limit`.

    Parameters
    ----------
    base_value : array_like
        The 1990 (base-year) values.
    factor : array_like
        What is left of the base value at the target: 0.5 "halve", 1/3 "reduce by two thirds",
        0.25 "reduce by three quarters".
    limit : array_like, optional
        A natural limit (e.g. 100 %). Where finite, the factor applies to the distance from the limit:
        "halve the proportion of people without access" to water, 60 % with access in 1990 and limit 100,
        gives 100 − 0.5 · (100 − 60) = 80. Where NaN (default), the target is ``factor * base_value``.

    Returns
    -------
    numpy.ndarray
        ``limit + factor * (base_value - limit)`` where `limit` is finite, else ``factor * base_value``;
        NaN where an input is NaN.

    Examples
    --------
    >>> relative_target([40.0, 60.0], 0.5, limit=[np.nan, 100.0]).tolist()
    [20.0, 80.0]
    """
    base_value, factor, limit = (np.asarray(x, dtype="float64") for x in (base_value, factor, limit))
    return np.where(np.isfinite(limit), limit + factor * (base_value - limit), factor * base_value)


def assess(panel: Panel, settings: Settings, *, target_factor=None) -> pd.DataFrame:
    r"""Assess progress against the geometric reference path from the base value to the target [1]_.

    The path has a constant annual rate, :math:`p(y) = x_{t_0} (x^{*}/x_{t_0})^{(y-t_0)/(T-t_0)}`, from the
    base value :math:`x_{t_0}` (1990) to the target :math:`x^{*}` in the target year :math:`T` (2015).
    Comparing the latest value :math:`x_t` with :math:`p(t)` is the same as comparing the observed log
    rate with the required one, so the ratio

    .. math::

        \rho = \frac{\ln(x_t / x_{t_0}) / (t - t_0)}{\ln(x^{*} / x_{t_0}) / (T - t_0)}

    is 1 on the path and > 1 ahead of it, and :math:`1/\rho` is the time the observed pace needs to reach
    the target, in units of the time allowed. The World Bank's rule [1]_, and the cut-offs that render it:

    ================  =================  =====================================================
    status            rule               source wording
    ================  =================  =====================================================
    target_met        x_t meets x*       (the target is already reached)
    likely            ρ ≥ 1              progress "fast enough to attain the target value"
    possible          0.5 ≤ ρ < 1        too slow, but needs "as much as twice the time"
    unlikely          0 ≤ ρ < 0.5        "still slower progress"
    very_unlikely     ρ < 0              "conditions have worsened since 1990"
    ================  =================  =====================================================

    Parameters
    ----------
    panel : Panel
        The series.
    settings : Settings
        ``base_year`` (MDG: 1990; the base point is the first observation in or after it; see
        `mdg_settings`), ``target_year`` (MDG: 2015), ``direction``, ``target`` (absolute) and ``limit``.
        Where ``limit`` is finite the path is built on the distance to the limit, as the World Bank did
        for targets of 100 % (see Notes).
    target_factor : array_like, optional
        A relative target instead (see `relative_target`): where finite, the target is
        ``relative_target(base_value, target_factor, limit=settings.limit)`` computed from each series'
        own base value, and ``settings.target`` is ignored.

    Returns
    -------
    pandas.DataFrame
        One row per series (index ``panel.labels``): status (one of `STATUSES`), reason ('' unless
        not_available), base_year, base_value, current_year, current_value, progress_value (ρ),
        target_year, target_value (absolute), path_value (the path at current_year, in the indicator's
        units), cagr_actual and cagr_required (annual rates of the assessed quantity: the value, or its
        distance to the limit), projected_year (when the observed pace reaches the target; NaN if it
        never does), target_met and on_limit_scale (True where the distance to the limit was assessed).

    Notes
    -----
    *Natural limit.* The World Bank recast indicators whose target is 100 % (primary completion,
    immunisation, access to water) as differences from 100 % "so that the target is to reduce the
    indicator to zero" [1]_. We do the same wherever ``settings.limit`` is finite: the assessed quantity is
    the distance :math:`d\,(L - x)` to the limit :math:`L` (``d`` the direction), which is lower-is-better
    for every indicator. This also makes targets such as "halve the proportion without access" geometric
    in the right quantity.

    Edge cases, each giving status 'not_available' with the reason in quotes unless said otherwise:

    - two values for one year: 'duplicate years'; no rows: 'no data'; one row: 'fewer than two years of
      data'; nothing in or after the base year: 'no data in or after the base year'; the base point is
      the latest point: 'no data after the base year'. Missing (NaN) values are dropped by
      `Panel.from_long` first.
    - direction other than ±1: 'direction must be +1 or -1'; NaN base year: 'no base year'.
    - no absolute target and no finite `target_factor`: 'no target'; NaN target year: 'no target year';
      target year not after the base year: 'target year is not after the base year'.
    - with a limit: base value equal to it: 'base value at the natural limit'; a value beyond it: 'value
      beyond the natural limit'; a target equal to it: 'target at the natural limit' (a constant-rate path
      never reaches a distance of zero; the source does not say how it handled this, so we do not guess);
      a target beyond it: 'target beyond the natural limit'.
    - the path is geometric, so the assessed quantity must be positive: base 0: 'base value is zero';
      opposite signs: 'values change sign'; negative values: 'negative values'; target 0: 'target is
      zero'; target of the other sign: 'target and base value differ in sign'. A latest value of 0 is
      allowed (ρ = ±inf, or target met).
    - the latest value meets the target: 'target_met'. The base value met the target but the latest no
      longer does: ρ is undefined (NaN) and the status is 'very_unlikely' (conditions have worsened).
    - no change at all (ρ = 0) counts as 'unlikely', not 'very_unlikely': the source keeps 'very
      unlikely' for worsening.
    - The source also rated countries with "very high maternal mortality and HIV/AIDS prevalence" very
      unlikely whatever their trend; that indicator-specific override is not applied.
    - a NaN result for any other reason: 'calculation undefined'.

    References
    ----------
    .. [1] World Bank, "Regional charts: prospects of low- and middle-income countries for reaching six of
       the targets of the Millennium Development Goals", developmentgoals.org (the World Bank's MDG site,
       undated, progress in the 1990s), https://developmentgoals.org/regional-charts/ — the reference path
       "connecting the 1990 value to the MDG target", "a constant, annual or geometric rate of change",
       and the likely / possible / unlikely / very unlikely rule.
    .. [2] World Bank and International Monetary Fund, *Global Monitoring Report 2011: Improving the Odds
       of Achieving the MDGs*, Washington, DC, 2011 — the same comparison of the annualised rate of
       progress with the rate required to reach the target.

    Examples
    --------
    Under-five mortality 100 in 1990 and 60 in 2010; target: reduce by two thirds by 2015.

    >>> panel = Panel.from_long(["a", "a"], [1990, 2010], [100.0, 60.0])
    >>> out = assess(panel, mdg_settings(1, direction=-1), target_factor=1 / 3)
    >>> print(round(float(out.loc["a", "progress_value"]), 4), out.loc["a", "status"])
    0.5812 possible
    """
    p = _Points(panel, settings)
    limit, direction, target_year = settings.limit, settings.direction, settings.target_year
    target = settings.target
    if target_factor is not None:
        factor = np.broadcast_to(np.asarray(target_factor, dtype="float64"), (panel.n,))
        target = np.where(np.isfinite(factor), relative_target(p.base_value, factor, limit=limit), target)
    scaled = np.isfinite(limit)

    def assessed(x):
        """The quantity the path is built on: the value, or its distance to the limit."""
        with np.errstate(all="ignore"):
            return np.where(scaled, direction * (limit - x), x)

    q0, q1, qt = assessed(p.base_value), assessed(p.current_value), assessed(target)
    sense = np.where(scaled, -1.0, direction)
    t0, t1 = p.base_year, p.current_year
    r = p.reasons
    r.add(~np.isfinite(target), "no target")
    r.add(~np.isfinite(target_year), "no target year")
    r.add(target_year <= t0, "target year is not after the base year")
    r.add(scaled & (q0 == 0), "base value at the natural limit")
    r.add(scaled & ((q0 < 0) | (q1 < 0)), "value beyond the natural limit")
    r.add(scaled & (qt == 0), "target at the natural limit")
    r.add(scaled & (qt < 0), "target beyond the natural limit")
    p.require_cagr_values(q0, q1)
    r.add(qt == 0, "target is zero")
    r.add(np.sign(qt) * np.sign(q0) < 0, "target and base value differ in sign")
    with np.errstate(all="ignore"):
        observed = np.log(q1 / q0) / (t1 - t0)
        required = np.log(qt / q0) / (target_year - t0)
        met_base = _meets(q0, qt, sense)
        met_now = _meets(q1, qt, sense)
        ratio = np.where(met_base, np.nan, observed / required)
        path = q0 * np.power(qt / q0, (t1 - t0) / (target_year - t0))
        path_value = np.where(scaled, limit - direction * path, path)
        projected = np.where(ratio > 0, t0 + (target_year - t0) / ratio, np.nan)
        cagr_actual, cagr_required = np.expm1(observed), np.expm1(required)
    r.add(~met_base & np.isnan(ratio), "calculation undefined")
    code = np.where(met_now, 0, np.where(met_base, 4, 1 + _band(ratio, CUTS)))
    return _frame(panel, STATUSES, code, p, ratio,
                  settings={"target_year": target_year, "target_value": target, "on_limit_scale": scaled},
                  computed={"path_value": path_value, "cagr_actual": cagr_actual,
                            "cagr_required": cagr_required, "projected_year": projected,
                            "target_met": met_now})
