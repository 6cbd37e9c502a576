"""UN Statistics Division SDG Progress Chart: the 2022 ratio method and the 2023 expected-value method.

Both compare a series' compound annual growth rate (CAGR) since the base year with where it must go by
the target year; they differ in the measure and the bands. Pure numpy on whole panels; no per-series loop.
"""

import numpy as np
import pandas as pd

from .methods import _band, _frame, _meets, _Points
from .panel import Panel, Settings, cagr

__all__ = [
    "STATUSES", "STATUSES_2022", "STATUSES_2023", "LABELS", "assess", "assess_2022", "assess_2023",
]

#: Statuses of the 2022 method, best to worst, then 'not_available'.
STATUSES_2022 = ("substantial_progress", "fair_progress", "limited_or_no_progress", "deterioration",
                 "not_available")
#: Statuses of the 2023 method, best to worst, then 'not_available'.
STATUSES_2023 = ("target_met_or_almost_met", "moderate_progress", "marginal_progress", "stagnation",
                 "deterioration", "not_available")
#: Every status this module returns (both editions, the bands of equal rank side by side), best to worst.
STATUSES = ("target_met_or_almost_met", "substantial_progress", "moderate_progress", "fair_progress",
            "marginal_progress", "limited_or_no_progress", "stagnation", "deterioration", "not_available")
#: The Progress Chart's own wording of each status.
LABELS = {
    "substantial_progress": "Substantial progress/on track",
    "fair_progress": "Fair progress, but acceleration needed",
    "limited_or_no_progress": "Limited or no progress",
    "target_met_or_almost_met": "Target met or almost met",
    "moderate_progress": "Moderate progress",
    "marginal_progress": "Marginal progress",
    "stagnation": "Stagnation",
    "deterioration": "Deterioration",
    "not_available": "Insufficient data",
}

CUTS_2022 = (0.95, 0.5, -0.1)
CUTS_2023 = (0.95, 0.5, 0.1, 0.0)


def assess(panel: Panel, settings: Settings, *, edition: int = 2023) -> pd.DataFrame:
    """Assess with the SDG Progress Chart method of `edition` (2022 or 2023); see `assess_2022`, `assess_2023`."""
    if edition == 2022:
        return assess_2022(panel, settings)
    if edition == 2023:
        return assess_2023(panel, settings)
    raise ValueError(f"`edition` must be 2022 or 2023; got {edition!r}.")


def assess_2022(panel: Panel, settings: Settings) -> pd.DataFrame:
    r"""Progress towards a numerical target as the ratio of actual to required CAGR (UNSD, 2022).

    .. math::

        \mathrm{CAGR}_a = (x_{t} / x_{t_0})^{1/(t-t_0)} - 1, \qquad
        \mathrm{CAGR}_r = (x^{*} / x_{t_0})^{1/(T-t_0)} - 1, \qquad
        \mathrm{CR} = \mathrm{CAGR}_a / \mathrm{CAGR}_r

    with :math:`t_0` the base year, :math:`t` the latest year, :math:`x^{*}` the target and :math:`T` the
    target year [1]_ (section II b). Bands: CR ≥ 0.95 substantial progress/on track; 0.5 ≤ CR < 0.95 fair
    progress, but acceleration needed; −0.1 ≤ CR < 0.5 limited or no progress; CR < −0.1 deterioration.

    Parameters
    ----------
    panel : Panel
        The series.
    settings : Settings
        ``base_year`` (the base point is the first observation in or after it), ``target_year``,
        ``direction`` (+1 higher is better, −1 lower is better) and ``target``. ``limit`` is not used.

    Returns
    -------
    pandas.DataFrame
        One row per series (index ``panel.labels``): status (one of `STATUSES_2022`), reason ('' unless
        not_available), base_year, base_value, current_year (latest observation), current_value,
        progress_value (CR), target_year, target_value, cagr_actual, cagr_required and target_met.

    Notes
    -----
    Edge cases, each giving status 'not_available' with the reason in quotes unless said otherwise:

    - a series with two values for one year: 'duplicate years'; no rows: 'no data'; one row: 'fewer than
      two years of data'; nothing in or after the base year: 'no data in or after the base year'; the
      base point is the latest point: 'no data after the base year'. Missing (NaN) values are dropped by
      `Panel.from_long` before any of this.
    - direction other than ±1: 'direction must be +1 or -1'; NaN base year: 'no base year'.
    - NaN target: 'no target'. The 2022 note assesses target-less indicators by their growth rate alone
      [1]_ (section II a); we do not, because the cut-offs of that rule could not be checked against the
      note's text. Use `eurostat.assess` or Open SDG for direction-only series.
    - NaN target year: 'no target year'; target year not after the base year: 'target year is not after
      the base year'.
    - CAGR is defined for positive numbers only: base value 0: 'base value is zero'; base and current
      value of opposite signs: 'values change sign'; negative values: 'negative values'; target 0 (the
      required CAGR would be −100 %): 'target is zero'; target of the other sign than the base value:
      'target and base value differ in sign'. A current value of 0 is allowed (CAGR −100 %).
    - The latest value already meets the target (at or beyond it in the desired direction): the best
      status, with ``target_met`` True. The base value met the target but the latest no longer does: the
      ratio has no meaning (the required CAGR points the other way), so progress_value is NaN and the
      status is 'deterioration'. The note does not discuss either case.
    - A result that is NaN for any other reason: 'calculation undefined'. Overflowing values give ±inf
      ratios, which are banded like any other number.

    References
    ----------
    .. [1] United Nations Statistics Division (UN DESA), "Sustainable Development Goals Progress Chart 2022:
       Technical Note", New York, 2022. Published with *The Sustainable Development Goals Report 2022*,
       https://unstats.un.org/sdgs/report/2022/ (copy consulted:
       https://www.scribd.com/document/870374529/Progress-Chart-Technical-Note-2022). The cut-offs 0.95,
       0.5 and −0.1 agree with UNDP's SDG Push diagnostic (github.com/UNDP-Data/SDG-Accelerator, getStatus).

    Examples
    --------
    >>> panel = Panel.from_long(["a", "a"], [2015, 2022], [20.0, 17.0])
    >>> out = assess_2022(panel, Settings.broadcast(1, target=10.0, direction=-1))
    >>> print(round(float(out.loc["a", "progress_value"]), 3), out.loc["a", "status"])
    0.508 fair_progress
    """
    p = _Points(panel, settings)
    target, target_year, direction = settings.target, settings.target_year, settings.direction
    p.require_target(target, target_year, zero_allowed=False)
    p.require_cagr_values()
    v0, v1 = p.base_value, p.current_value
    with np.errstate(all="ignore"):
        actual = cagr(v1, v0, p.current_year, p.base_year)
        required = cagr(target, v0, target_year, p.base_year)
        met_base = _meets(v0, target, direction)
        met_now = _meets(v1, target, direction)
        ratio = np.where(met_base, np.nan, actual / required)
    p.reasons.add(~met_base & np.isnan(ratio), "calculation undefined")
    code = np.where(met_now, 0, np.where(met_base, STATUSES_2022.index("deterioration"), _band(ratio, CUTS_2022)))
    return _frame(panel, STATUSES_2022, code, p, ratio,
                  settings={"target_year": target_year, "target_value": target},
                  computed={"cagr_actual": actual, "cagr_required": required, "target_met": met_now})


def assess_2023(panel: Panel, settings: Settings) -> pd.DataFrame:
    r"""Progress towards a numerical target as the share of the way the current trend will cover (UNSD, 2023).

    The value expected in the target year :math:`T` if the CAGR observed since the base year continues,
    and the share of the distance from base value to target that it covers [2]_:

    .. math::

        \hat{x}_T = x_{t_0} (x_t / x_{t_0})^{(T-t_0)/(t-t_0)} = x_t (1 + \mathrm{CAGR}_a)^{T-t}, \qquad
        P = (\hat{x}_T - x_{t_0}) / (x^{*} - x_{t_0})

    Bands: P ≥ 0.95 target met or almost met; 0.5 ≤ P < 0.95 moderate progress; 0.1 ≤ P < 0.5 marginal
    progress; 0 ≤ P < 0.1 stagnation; P < 0 deterioration.

    Parameters
    ----------
    panel : Panel
        The series.
    settings : Settings
        ``base_year`` (the base point is the first observation in or after it), ``target_year``,
        ``direction`` and ``target``. ``limit`` is not used.

    Returns
    -------
    pandas.DataFrame
        One row per series (index ``panel.labels``): status (one of `STATUSES_2023`), reason, base_year,
        base_value, current_year, current_value, progress_value (P), target_year, target_value,
        cagr_actual, expected_value (:math:`\hat{x}_T`) and target_met.

    Notes
    -----
    The data edge cases are those of `assess_2022` with the same reasons ('duplicate years', 'no data',
    'fewer than two years of data', 'no data in or after the base year', 'no data after the base year',
    'direction must be +1 or -1', 'no base year', 'no target', 'no target year', 'target year is not
    after the base year', 'base value is zero', 'values change sign', 'negative values', 'calculation
    undefined'), with two differences:

    - the target may be zero or negative, since only the observed CAGR needs positive values (P is a
      plain ratio of differences);
    - a target-less series is 'not_available' with reason 'no target', as in `assess_2022`.

    When the latest value already meets the target the status is 'target_met_or_almost_met' with
    ``target_met`` True; when the base value met the target and the latest does not, P is undefined
    (NaN) and the status is 'deterioration'.

    The cut-offs (0.95, 0.5, 0.1, 0) and labels are those set for this project (they agree with the
    categories of the 2023 and 2024 Progress Charts); the text of the 2023 technical note could not be
    consulted when this was written, so any difference in where a boundary value falls is ours.

    References
    ----------
    .. [2] United Nations Statistics Division (UN DESA), "Sustainable Development Goals Progress Chart 2023:
       Technical Note", New York, 2023. Published with *The Sustainable Development Goals Report 2023:
       Special Edition*, https://unstats.un.org/sdgs/report/2023/ ; the assessment is summarised in its
       section II, https://unstats.un.org/sdgs/report/2023/progress-midpoint/.

    Examples
    --------
    >>> panel = Panel.from_long(["a", "a"], [2015, 2022], [20.0, 17.0])
    >>> out = assess_2023(panel, Settings.broadcast(1, target=10.0, direction=-1))
    >>> print(round(float(out.loc["a", "progress_value"]), 3), out.loc["a", "status"])
    0.588 moderate_progress
    """
    p = _Points(panel, settings)
    target, target_year, direction = settings.target, settings.target_year, settings.direction
    p.require_target(target, target_year, zero_allowed=True)
    p.require_cagr_values()
    v0, v1, t0 = p.base_value, p.current_value, p.base_year
    with np.errstate(all="ignore"):
        actual = cagr(v1, v0, p.current_year, t0)
        expected = v0 * np.power(v1 / v0, (target_year - t0) / (p.current_year - t0))
        met_base = _meets(v0, target, direction)
        met_now = _meets(v1, target, direction)
        share = np.where(met_base, np.nan, (expected - v0) / (target - v0))
    p.reasons.add(~met_base & np.isnan(share), "calculation undefined")
    code = np.where(met_now, 0, np.where(met_base, STATUSES_2023.index("deterioration"), _band(share, CUTS_2023)))
    return _frame(panel, STATUSES_2023, code, p, share,
                  settings={"target_year": target_year, "target_value": target},
                  computed={"cagr_actual": actual, "expected_value": expected, "target_met": met_now})
