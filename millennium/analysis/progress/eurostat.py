"""Eurostat's EU SDG monitoring method: growth rates against a target, or against the desired direction.

Eurostat's yearly *Sustainable development in the European Union* monitoring report scores each indicator
by its compound annual growth rate (CAGR) over a period: with a quantified target, as a share of the rate
the target requires; without one, by the rate in the desired direction. Pure numpy; no per-series loop.
"""

import numpy as np
import pandas as pd

from .methods import _band, _frame, _meets, _Points
from .panel import Panel, Settings, cagr

__all__ = ["STATUSES", "LABELS", "PERIODS", "assess"]

#: Every status, best to worst, then 'not_available'. With a target the method uses significant_progress,
#: moderate_progress, insufficient_progress and movement_away; without one significant_progress,
#: moderate_progress, moderate_movement_away and significant_movement_away.
STATUSES = ("significant_progress", "moderate_progress", "insufficient_progress", "moderate_movement_away",
            "movement_away", "significant_movement_away", "not_available")
#: Eurostat's wording of each status.
LABELS = {
    "significant_progress": "Significant progress towards the target / the EU SD objectives",
    "moderate_progress": "Moderate progress towards the target / the EU SD objectives",
    "insufficient_progress": "Insufficient progress towards the target",
    "moderate_movement_away": "Moderate movement away from the EU SD objectives",
    "movement_away": "Movement away from the target",
    "significant_movement_away": "Significant movement away from the EU SD objectives",
    "not_available": "Calculation of trend not possible",
}
#: Length in years of Eurostat's assessment periods, counted back from each series' latest year.
PERIODS = {"long": 15, "short": 5}

CUTS_TARGET = (0.95, 0.6, 0.0)  # ratio of actual to required CAGR
TARGET_CODES = np.array([0, 1, 2, 4])  # significant, moderate, insufficient, movement_away
CUT_DIRECTION = 0.01  # CAGR in the desired direction


def assess(panel: Panel, settings: Settings, *, period: str | None = None) -> pd.DataFrame:
    r"""Assess every series with the method of Eurostat's EU SDG monitoring report [1]_.

    With a quantified target (``settings.target`` finite) the actual CAGR from the base year to the
    latest year is divided by the CAGR needed to go from the base value to the target by the target year:

    .. math::

        R = \frac{(x_t / x_{t_0})^{1/(t-t_0)} - 1}{(x^{*} / x_{t_0})^{1/(T-t_0)} - 1}

    R ≥ 95 % significant progress towards the target; 60 % ≤ R < 95 % moderate progress; 0 ≤ R < 60 %
    insufficient progress; R < 0 movement away from the target. Without a target, the CAGR signed by the
    desired direction, :math:`g = d\,\mathrm{CAGR}`: g > 1 % significant progress towards the EU SD
    objectives; 0 ≤ g ≤ 1 % moderate progress; −1 % < g < 0 moderate movement away; g ≤ −1 % significant
    movement away.

    Parameters
    ----------
    panel : Panel
        The series.
    settings : Settings
        ``base_year``, ``direction``, ``target`` (NaN: direction only) and ``target_year``. ``limit`` is
        not used.
    period : {None, "long", "short"}, optional
        Which base year to use. None (default): ``settings.base_year``, and for series whose base year
        is NaN Eurostat's long-term rule. "long" / "short": Eurostat's periods, the 15 / 5 years up to
        each series' latest year (base year = latest year − 15 / − 5), whatever ``settings.base_year``
        says. In every case the base point is the first observation in or after the base year.

    Returns
    -------
    pandas.DataFrame
        One row per series (index ``panel.labels``): status (one of `STATUSES`), reason ('' unless
        not_available), base_year, base_value, current_year, current_value, progress_value (R with a
        target, g without), basis ('target' or 'direction'), target_year, target_value, cagr_actual,
        cagr_required (NaN without a target) and target_met.

    Raises
    ------
    ValueError
        When `period` is not None, "long" or "short".

    Notes
    -----
    Edge cases, each giving status 'not_available' with the reason in quotes unless said otherwise:

    - two values for one year: 'duplicate years'; no rows: 'no data'; one row: 'fewer than two years of
      data'; nothing in or after the base year: 'no data in or after the base year'; the base point is
      the latest point (e.g. a short period with a gap): 'no data after the base year'. Missing (NaN)
      values are dropped by `Panel.from_long` first.
    - direction other than ±1: 'direction must be +1 or -1'; no base year (``period=None`` falls back to
      the long-term rule, so only a series without data lacks one): 'no base year'.
    - CAGR is defined for positive numbers only: base value 0: 'base value is zero'; base and latest
      value of opposite signs: 'values change sign'; negative values: 'negative values'. A latest value
      of 0 is allowed (CAGR −100 %).
    - With a target: NaN target year: 'no target year'; target year not after the base year: 'target
      year is not after the base year'; target 0: 'target is zero'; target of the other sign than the
      base value: 'target and base value differ in sign'.
    - With a target that the latest value already meets: 'significant_progress', ``target_met`` True.
      With a base value that met the target and a latest value that no longer does: R is undefined
      (NaN) and the status is 'movement_away'. (Our reading; the report's annex does not spell either
      case out.)
    - Values exactly on a cut-off fall in the better band, except g = 1 %, which is 'moderate_progress'
      (the report says "more than 1 %" for significant progress) and g = 0, which is also
      'moderate_progress' (no change is not movement away; with a target, R = 0 is likewise
      'insufficient_progress').
    - A result that is NaN for any other reason: 'calculation undefined'.

    Eurostat assesses each indicator over both periods and shows both; call twice (``period="long"``,
    ``period="short"``) for that. Eurostat also refines some assessments by hand (e.g. for indicators
    near a natural limit); that judgement is not reproduced.

    References
    ----------
    .. [1] Eurostat, "Sustainable development in the European Union — Monitoring report on progress
       towards the SDGs in an EU context", yearly editions since 2017, Publications Office of the European
       Union, Luxembourg; introduction and methodological annex ("How is progress measured?").
       https://ec.europa.eu/eurostat/web/sdi ; summary in Statistics Explained, "SDG - Introduction",
       https://ec.europa.eu/eurostat/statistics-explained/index.php?title=SDG_-_Introduction . The long-term
       (15-year) and short-term (5-year) periods are described there.

    Examples
    --------
    >>> panel = Panel.from_long(["a", "a"], [2010, 2020], [100.0, 110.0])
    >>> out = assess(panel, Settings.broadcast(1, base_year=2010, direction=1))
    >>> print(round(float(out.loc["a", "progress_value"]), 6), out.loc["a", "status"])
    0.009577 moderate_progress
    """
    if period not in (None, *PERIODS):
        raise ValueError(f"`period` must be None, 'long' or 'short'; got {period!r}.")
    latest = panel.take(panel.year, panel.last())
    if period is None:
        base_year = np.where(np.isfinite(settings.base_year), settings.base_year, latest - PERIODS["long"])
    else:
        base_year = latest - PERIODS[period]
    p = _Points(panel, settings, base_year=base_year)
    target, target_year, direction = settings.target, settings.target_year, settings.direction
    has_target = np.isfinite(target)
    p.require_cagr_values()
    r = p.reasons
    r.add(has_target & ~np.isfinite(target_year), "no target year")
    r.add(has_target & (target_year <= p.base_year), "target year is not after the base year")
    r.add(has_target & (target == 0), "target is zero")
    r.add(has_target & (np.sign(target) * np.sign(p.base_value) < 0), "target and base value differ in sign")
    v0, v1 = p.base_value, p.current_value
    with np.errstate(all="ignore"):
        actual = cagr(v1, v0, p.current_year, p.base_year)
        required = np.where(has_target, cagr(target, v0, target_year, p.base_year), np.nan)
        met_base = has_target & _meets(v0, target, direction)
        met_now = has_target & _meets(v1, target, direction)
        ratio = np.where(met_base, np.nan, actual / required)
        signed = direction * actual
    progress = np.where(has_target, ratio, signed)
    r.add(~met_base & np.isnan(progress), "calculation undefined")
    target_code = np.where(met_now, 0, np.where(met_base, 4, TARGET_CODES[_band(ratio, CUTS_TARGET)]))
    direction_code = np.select([signed > CUT_DIRECTION, signed >= 0, signed > -CUT_DIRECTION], [0, 1, 3], default=5)
    code = np.where(has_target, target_code, direction_code)
    return _frame(panel, STATUSES, code, p, progress,
                  settings={"basis": np.where(has_target, "target", "direction").astype(object),
                            "target_year": np.where(has_target, target_year, np.nan), "target_value": target},
                  computed={"cagr_actual": actual, "cagr_required": required, "target_met": met_now})
