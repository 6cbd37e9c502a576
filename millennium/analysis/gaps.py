r"""Gaps between groups: the WHO Health Equity Assessment Toolkit's summary measures of inequality.

Is the city growing together? Each measure here turns the values of one indicator in several groups
(districts, wealth quintiles, women and men) into one number, the gap; a gap is itself a series whose
trend the progress methods can judge. `compute` takes one set of groups; `compute_many` takes a table of
them, rows × groups (e.g. years × districts), and works on all rows at once without a Python loop over
rows. Pure numpy; no Django.

The definitions are those of the WHO technical notes of HEAT and HEAT Plus, version 6.0 [1]_. Where the
notes leave a detail to the software (the exact WHO logistic fit behind SII and RII, the clipping of PAR
and PAF at zero), we follow the WHO's own R package, healthequal 1.0.1 [2]_, whose published test values
we reproduce (see ``tests/analysis/test_gaps.py``); HEAT itself is described in [6]_. Earlier editions
of the notes differ in two places: version 3.1 (2019) reversed SII and RII for adverse indicators and
printed MDMU without the factor 1/n; version 6.0, HEAT's code and healthequal agree on the forms below.
Notation, for the groups of one row:

* :math:`y_j` the estimate of group *j*, :math:`N_j` its population, :math:`p_j = N_j / \sum_k N_k` its
  population share, *n* the number of groups;
* :math:`\mu = \sum_j p_j y_j` the setting average (HEAT may use a reported national average instead; we
  always use the population-weighted mean of the groups given);
* for ordered groups (least advantaged first), the ridit midpoint :math:`X_j = \sum_{k \le j} p_k - p_j/2`,
  the relative rank of the middle of group *j* in the population, from 0 to 1.

Measures (names for `compute`; see `MEASURES`):

=================  ==============================================================================  =========
name               definition                                                                      source
=================  ==============================================================================  =========
``d``              :math:`y_1 - y_2`: non-ordered, highest − lowest; ordered, most − least         [1]_
                   advantaged (``favourable="lower"``: least − most advantaged)
``r``              :math:`y_1 / y_2`, the same two groups                                          [1]_
``par``            :math:`y_{ref} - \mu`, clipped at 0 towards the unfavourable side; reference:   [1]_ [2]_
                   ordered, the most advantaged group; non-ordered, the highest (``"lower"``:
                   the lowest) estimate
``paf``            :math:`100 \cdot PAR / \mu`, clipped likewise                                   [1]_ [2]_
``bgv``            :math:`\sum_j p_j (y_j - \mu)^2`                                                [1]_
``bgsd``           :math:`\sqrt{BGV}`                                                              [1]_
``cov``            :math:`100 \cdot BGSD / \mu`                                                    [1]_
``mdmw``           :math:`\sum_j p_j |y_j - \mu|` (alias ``mdm``)                                  [1]_
``mdmu``           :math:`\frac{1}{n} \sum_j |y_j - \mu|` (μ still population-weighted)            [1]_
``idisw``          :math:`100 \cdot MDMW / \mu`                                                    [1]_
``idisu``          :math:`100 \cdot MDMU / \mu` (alias ``idis``)                                   [1]_
``ti``             :math:`1000 \sum_j p_j \frac{y_j}{\mu} \ln \frac{y_j}{\mu}`                     [1]_
``mld``            :math:`1000 \sum_j p_j \left(-\ln \frac{y_j}{\mu}\right)`                       [1]_
``gini``           :math:`\frac{1}{2\mu} \sum_i \sum_j p_i p_j |y_i - y_j|`, 0 … 1                 [4]_
``sii``, ``rii``   :math:`v_1 - v_0` and :math:`v_1 / v_0`, :math:`v = a + bX` fitted by least     [3]_
                   squares weighted by :math:`p_j` to :math:`(X_j, y_j)`
``sii_logistic``   :math:`scale\,(v_1 - v_0)` from the WHO logistic fit (see `compute`, Notes)     [1]_ [2]_
``rii_logistic``   :math:`v_1 / v_0` from the WHO logistic fit                                     [1]_ [2]_
``gpi``            women / men                                                                     [5]_
``adjusted_gpi``   GPI where GPI ≤ 1, else :math:`2 - 1/GPI`                                       [5]_
=================  ==============================================================================  =========

References
----------
.. [1] World Health Organization (2024). *Health Equity Assessment Toolkit (HEAT and HEAT Plus):
   technical notes*, version 6.0. Geneva: WHO. (Cited by WHO as: Health Equity Assessment Toolkit:
   Software for exploring and comparing health inequalities in countries. Version 6.0.) Section 3.
.. [2] Antiporta DA, Menéndez P, Kirkby K, Hosseinpoor AR (2024). *healthequal: Compute Summary Measures
   of Health Inequality*, R package version 1.0.1, World Health Organization.
   doi:10.32614/CRAN.package.healthequal
.. [3] Schlotheuber A, Hosseinpoor AR (2022). Summary measures of health inequality: a review of existing
   measures and their application. *Int J Environ Res Public Health* 19(6):3697.
   doi:10.3390/ijerph19063697
.. [4] Lerman RI, Yitzhaki S (1984). A note on the calculation and interpretation of the Gini index.
   *Economics Letters* 15(3–4):363–368.
.. [5] UNESCO Institute for Statistics. Glossary: "Gender parity index (GPI)" and "Adjusted gender parity
   index (GPIA)"; parity is a GPI between 0.97 and 1.03. Used for SDG indicator 4.5.1.
.. [6] Hosseinpoor AR, Nambiar D, Schlotheuber A, Reidpath D, Ross Z (2016). Health Equity Assessment
   Toolkit (HEAT): software for exploring and comparing health inequalities in countries. *BMC Medical
   Research Methodology* 16:141. doi:10.1186/s12874-016-0229-9
"""

from dataclasses import dataclass

import numpy as np

__all__ = ["MEASURES", "ALIASES", "FAVOURABLE", "PARITY_BAND", "compute", "compute_many", "in_parity"]

#: Every measure `compute` knows, with a one-line description.
MEASURES = {
    "d": "difference between two groups (HEAT D)",
    "r": "ratio of two groups (HEAT R)",
    "par": "population attributable risk: reference group minus the setting average (HEAT PAR)",
    "paf": "population attributable fraction: PAR in per cent of the setting average (HEAT PAF)",
    "bgv": "between-group variance (HEAT BGV)",
    "bgsd": "between-group standard deviation (HEAT BGSD)",
    "cov": "coefficient of variation, per cent (HEAT COV)",
    "mdmw": "mean difference from mean, population-weighted (HEAT MDMW)",
    "mdmu": "mean difference from mean, unweighted (HEAT MDMU)",
    "idisw": "index of disparity, population-weighted, per cent (HEAT IDISW)",
    "idisu": "index of disparity, unweighted, per cent (HEAT IDISU)",
    "ti": "Theil index times 1000 (HEAT TI)",
    "mld": "mean log deviation times 1000 (HEAT MLD)",
    "gini": "population-weighted Gini coefficient between groups, 0 to 1",
    "sii": "slope index of inequality, weighted linear fit on ridit midpoints (ordered groups)",
    "rii": "relative index of inequality, weighted linear fit on ridit midpoints (ordered groups)",
    "sii_logistic": "slope index of inequality, WHO logistic fit (HEAT SII, healthequal sii)",
    "rii_logistic": "relative index of inequality, WHO logistic fit (HEAT RII, healthequal rii)",
    "gpi": "gender parity index, women / men",
    "adjusted_gpi": "adjusted gender parity index (UNESCO UIS): 2 - 1/GPI where GPI > 1",
}
#: Other names accepted for a measure: HEAT's earlier abbreviations.
ALIASES = {"mdm": "mdmw", "idis": "idisu"}
#: Values of `favourable`: whether higher or lower values of the indicator are better.
FAVOURABLE = ("higher", "lower")
#: A GPI in this closed interval counts as gender parity (UNESCO UIS).
PARITY_BAND = (0.97, 1.03)

_ORDERED = frozenset({"sii", "rii", "sii_logistic", "rii_logistic"})  # need `order`
_LOGISTIC = frozenset({"sii_logistic", "rii_logistic"})  # need `population` (counts of people)
_PAIR = frozenset({"gpi", "adjusted_gpi"})  # exactly two groups: women, men
_MAXIT = 100  # Newton iterations of the logistic fit; it converges in fewer than ten on real data
_STEP_TOL = 1e-10  # converged when no coefficient moves by more than this (relative, plus 1e-10 absolute)
_DEV_TOL = 1e-12  # … or when the deviance changes by less than this, relative: R's glm test, tighter
_HALVINGS = 40  # step halvings when a Newton step raises the deviance


def compute(name, estimate, population=None, *, order=None, favourable="higher", scale=1.0) -> float:
    r"""One summary measure of inequality between the groups of one indicator.

    Parameters
    ----------
    name : str
        The measure: one of `MEASURES` (``"d"``, ``"r"``, ``"par"``, ``"paf"``, ``"bgv"``, ``"bgsd"``,
        ``"cov"``, ``"mdmw"``, ``"mdmu"``, ``"idisw"``, ``"idisu"``, ``"ti"``, ``"mld"``, ``"gini"``,
        ``"sii"``, ``"rii"``, ``"sii_logistic"``, ``"rii_logistic"``, ``"gpi"``, ``"adjusted_gpi"``) or
        one of `ALIASES` (``"mdm"`` is ``"mdmw"``, ``"idis"`` is ``"idisu"``).
    estimate : array_like, shape (k,)
        The indicator's value in each group; NaN for a group without a value, which is then left out.
        For ``"gpi"`` and ``"adjusted_gpi"`` exactly two values: women's, then men's.
    population : array_like, shape (k,), optional
        The number of people in each group (non-negative; fractional counts allowed). None (default):
        every group weighs the same, as if all populations were equal. Required for ``"sii_logistic"``
        and ``"rii_logistic"``, which fit counts of people. Not used by ``"d"``, ``"r"``, ``"gpi"`` and
        ``"adjusted_gpi"``.
    order : array_like, shape (k,), optional
        For ordered groups (wealth quintiles, education levels): each group's rank, smaller numbers for
        less advantaged groups; the values must be distinct. Required for the four SII/RII measures;
        makes ``"d"``, ``"r"``, ``"par"`` and ``"paf"`` compare the most and least advantaged groups
        instead of the highest and lowest values. Not used by the other measures.
    favourable : {"higher", "lower"}, optional
        Whether higher (default; e.g. coverage) or lower (e.g. mortality) values are better. Used by
        ``"d"`` and ``"r"`` for ordered groups, and by ``"par"`` and ``"paf"``; the other measures do not
        depend on it (HEAT 6.0 computes SII and RII the same way for both kinds and reads their sign
        differently).
    scale : float, optional
        The indicator's scale: 1 (default) for proportions and other values, 100 for percentages, 1000
        for rates per 1000. Used only by ``"sii_logistic"`` and ``"rii_logistic"``, which fit the
        proportion ``estimate / scale`` and report the SII in the indicator's units.

    Returns
    -------
    float
        The measure; NaN where it is undefined for these data (see Notes). ``"cov"``, ``"paf"``,
        ``"idisw"`` and ``"idisu"`` are per cent, ``"ti"`` and ``"mld"`` are multiplied by 1000, as HEAT
        reports them; ``"gini"`` is a fraction from 0 to 1.

    Raises
    ------
    ValueError
        When an argument is malformed: an unknown `name`; `estimate` not 1-D, not numeric or infinite;
        `population` of another shape, negative or infinite, or missing for a logistic measure; `order`
        missing for an SII/RII measure, of another length, not finite or not distinct; `favourable` not
        in `FAVOURABLE`; `scale` not a positive finite number; not two groups for a GPI measure.

    See Also
    --------
    compute_many : the same measure for many rows of groups at once.
    in_parity : whether a GPI lies in the parity band.

    Notes
    -----
    *Which groups.* Groups whose estimate is NaN are left out and the measure is computed from the
    others, with population shares taken among them (for SII and RII the ridit ranks are recomputed
    without them, as healthequal does with ``force=TRUE``). Two exceptions follow HEAT, which reports no
    value when a group the measure is built on is missing: with `order`, ``"d"``, ``"r"``, ``"par"`` and
    ``"paf"`` are NaN when the most or least advantaged group is missing (we do not silently compare the
    next group instead); the GPI measures are NaN when either sex is missing.

    *Edge cases* (NaN means "undefined for these data"; the argument checks under Raises come first):

    - no groups (empty `estimate`), one group, or fewer than two groups with a value: NaN. A gap needs two
      groups. HEAT shows the complex measures only for more than two groups; we compute them from two on.
    - all groups equal: every measure shows no inequality, exactly: D, PAR, PAF, BGV, BGSD, COV, MDM,
      IDIS, TI, MLD, Gini and both SIIs 0; R, both RIIs, GPI and adjusted GPI 1. For the logistic
      variant this is our choice: healthequal refuses equal estimates, and the rounding of counts (see
      below) would otherwise leave a slope of rounding noise.
    - population: a group of population 0 weighs nothing (it still counts for ``"d"`` and ``"r"``, as a
      candidate reference group of ``"par"`` and ``"paf"``, and in the *n* of ``"mdmu"`` and
      ``"idisu"``). Total population 0 among the groups with a value, or a NaN population for one of
      them: NaN for every measure that uses population shares or the setting average μ, i.e. all but
      ``"d"``, ``"r"`` and the GPI measures.
    - zero mean (μ = 0): NaN for the measures divided by μ (``"paf"``, ``"cov"``, ``"idisw"``,
      ``"idisu"``, ``"ti"``, ``"mld"``, ``"gini"``).
    - zero denominator: ``"r"`` NaN when :math:`y_2 = 0` (HEAT drops an infinite ratio); GPI NaN when
      men's value is 0; ``"rii"`` and ``"rii_logistic"`` NaN when :math:`v_0 \le 0` or :math:`v_1 < 0`
      (a ratio of predicted values is only defined for positive predictions; the linear fit can predict
      a negative value at rank 0).
    - negative estimates: ``"ti"``, ``"mld"`` and ``"gini"`` are NaN (logarithms; the Gini coefficient's
      bounds assume non-negative values); GPI NaN when either value is negative; the logistic measures NaN
      (see below). The others are computed as defined; ``"r"`` is meant for positive-valued indicators.
    - zero estimates: in ``"ti"`` a group with :math:`y_j = 0` adds :math:`0 \ln 0 = 0`, the limit; in
      ``"mld"`` it makes MLD :math:`+\infty` (if its population is positive). HEAT and healthequal
      instead replace an estimate of 0 by 0.000001 before taking logarithms, a result that depends on the
      indicator's units; we do not change data.
    - ``"par"`` and ``"paf"``: for favourable indicators a negative value is reported as 0, for adverse
      ones a positive value is reported as 0: no improvement is possible by bringing every group to the
      reference group's level (healthequal; HEAT 6.0: "PAR is zero if no further improvement can be
      achieved"). This happens with ordered groups whose most advantaged group is not the best.
    - ``"sii"``, ``"rii"``: NaN unless at least two groups have a positive population (a line needs two
      points). They use the populations as given; healthequal's ``linear=TRUE`` rounds them up first, as
      for the logistic fit, which differs only for fractional populations.

    *The WHO logistic SII and RII* (``"sii_logistic"``, ``"rii_logistic"``) reproduce healthequal's
    ``sii``/``rii`` and HEAT 6.0 on disaggregated data exactly:

    1. populations are rounded up, :math:`n_j = \lceil N_j \rceil`, and ridit midpoints :math:`X_j`
       computed from these counts;
    2. each estimate becomes a count of people, :math:`s_j = \mathrm{round}(n_j\, y_j / scale)` (half to
       even, as R rounds);
    3. a binomial GLM with logit link is fitted to :math:`s_j` successes out of :math:`n_j` against
       :math:`X_j`, with prior weights :math:`n_j` — R's ``glm(cbind(s, n - s) ~ X, weights = n)``, in
       which the binomial totals multiply the prior weights, so each group weighs :math:`n_j^2`;
    4. :math:`v_0, v_1` are the fitted proportions at ranks 0 and 1; SII = :math:`scale\,(v_1 - v_0)`,
       RII = :math:`v_1 / v_0`.

    An estimate below 0 or above `scale` makes the result NaN (HEAT returns no value: it cannot be a
    count). When the groups' proportions :math:`s_j / n_j` are all equal the fit is flat (SII 0, RII 1;
    RII NaN if that proportion is 0). When the proportions are completely separated (all 0 below some
    rank and all 1 above it) no finite fit exists; like R we stop when the fitted proportions have
    reached 0 and 1 to machine precision, so SII comes out at `scale` (or −`scale`) and RII is huge. A
    fit that has not converged after 100 Newton steps gives NaN.

    The fit is the maximum-likelihood one, found by Newton's method from R's starting values, with a
    step halved whenever it would raise the deviance. R's ``glm.fit``, which healthequal calls, does not
    halve such steps and can diverge on extreme data (weights :math:`n_j^2` in the millions and very
    unequal proportions): it then reports coefficients near :math:`10^{15}` and an SII of ±`scale`. We
    checked against R 4.2's ``glm`` on 200 random sets of 3–10 groups: 199 agree to 1e-10; the other is
    such a divergence, and R started from (0, 0) agrees with us there.

    References
    ----------
    .. [1] World Health Organization (2024). *Health Equity Assessment Toolkit (HEAT and HEAT Plus):
       technical notes*, version 6.0. Geneva: WHO. Section 3, "Summary measures".
    .. [2] Antiporta DA, Menéndez P, Kirkby K, Hosseinpoor AR (2024). *healthequal: Compute Summary
       Measures of Health Inequality*, R package version 1.0.1. doi:10.32614/CRAN.package.healthequal
    .. [3] Schlotheuber A, Hosseinpoor AR (2022). Summary measures of health inequality: a review of
       existing measures and their application. *Int J Environ Res Public Health* 19(6):3697.
       doi:10.3390/ijerph19063697
    .. [4] Lerman RI, Yitzhaki S (1984). A note on the calculation and interpretation of the Gini index.
       *Economics Letters* 15(3–4):363–368.
    .. [5] UNESCO Institute for Statistics. Glossary: "Gender parity index (GPI)", "Adjusted gender
       parity index (GPIA)".

    Examples
    --------
    Five wealth quintiles, poorest first, of an indicator in per cent (healthequal's test data):

    >>> population = [78, 91, 162, 103, 105]
    >>> coverage = [20, 30, 40, 50, 60]
    >>> quintile = [1, 2, 3, 4, 5]
    >>> compute("d", coverage, order=quintile)
    40.0
    >>> round(compute("sii", coverage, population, order=quintile), 2)
    46.25
    >>> round(compute("sii_logistic", coverage, population, order=quintile, scale=100), 5)
    44.44502
    >>> round(compute("paf", coverage, population, order=quintile), 2)
    45.54

    Districts without an order; the missing one is left out:

    >>> round(compute("bgsd", [12.0, 15.0, float("nan"), 9.0], [100, 300, 50, 100]), 4)
    2.4
    >>> compute("r", [12.0, 15.0, float("nan"), 9.0])
    1.6666666666666667

    Women and men:

    >>> compute("gpi", [55.0, 50.0]), round(compute("adjusted_gpi", [55.0, 50.0]), 4)
    (1.1, 1.0909)
    """
    values = _as_float(estimate, "estimate")
    if values.ndim != 1:
        raise ValueError(f"`estimate` must be 1-D (one value per group); got shape {values.shape}. "
                         "Use `compute_many` for a table of rows.")
    if population is not None:
        population = _as_float(population, "population")
        if population.shape != values.shape:
            raise ValueError(f"`population` must have the shape of `estimate`, {values.shape}; "
                             f"got {population.shape}")
        population = population[np.newaxis, :]
    result = compute_many(name, values[np.newaxis, :], population, order=order, favourable=favourable,
                          scale=scale)
    return float(result[0])


def compute_many(name, estimate, population=None, *, order=None, favourable="higher",
                 scale=1.0) -> np.ndarray:
    """One summary measure of inequality for every row of a table of groups.

    The same measure as `compute`, row by row: ``compute_many(name, E, P)[i] == compute(name, E[i],
    P[i])``. Each row is one set of groups (a year, an indicator, a municipality); each column one group.
    Missing groups (NaN) are left out row by row, so rows may have different groups.

    Parameters
    ----------
    name : str
        The measure; see `compute`.
    estimate : array_like, shape (m, k)
        The indicator's value for *m* rows of *k* groups; NaN where a group has no value in a row.
    population : array_like, shape (m, k) or (k,), optional
        People per group and row, or one population per group for every row. None: equal weights. See
        `compute`.
    order : array_like, shape (k,), optional
        The groups' ranks, the same for every row; see `compute`.
    favourable : {"higher", "lower"}, optional
        See `compute`.
    scale : float, optional
        See `compute`.

    Returns
    -------
    numpy.ndarray, shape (m,)
        The measure for each row (float64); NaN where undefined (see `compute`, Notes).

    Raises
    ------
    ValueError
        As `compute`; `estimate` must be 2-D.

    Notes
    -----
    Every measure is computed with whole-array operations over all rows; there is no Python loop over
    rows. The WHO logistic SII and RII need a fitted GLM per row; instead of one fit per row they run
    Newton's method (for the logit link, the same as R's iteratively reweighted least squares) on all
    rows together: each iteration solves every row's 2 × 2 system in closed form, and rows that have
    converged are frozen, so a row's result does not depend on the other rows. The only Python loops are
    over the Newton iterations (fewer than ten on real data, at most 100) and, inside one, over halvings
    of a step that overshot (rarely any). Edge cases are those of `compute`.

    Examples
    --------
    Two years of three districts; the second year has no value for the third district:

    >>> import numpy as np
    >>> rates = [[12.0, 15.0, 9.0], [13.0, 14.0, np.nan]]
    >>> compute_many("d", rates).tolist()
    [6.0, 1.0]
    >>> compute_many("bgv", rates, [100, 300, 100]).round(4).tolist()
    [5.76, 0.1875]
    """
    key = _measure_name(name)
    values = _as_float(estimate, "estimate")
    if values.ndim != 2:
        raise ValueError(f"`estimate` must be 2-D (rows × groups); got shape {values.shape}")
    if np.isinf(values).any():
        raise ValueError("`estimate` must be finite or NaN (NaN marks a missing group); found ±inf")
    rows, k = values.shape
    weights = _population(population, values.shape, key)
    ranks = _order(order, k, key)
    if favourable not in FAVOURABLE:
        raise ValueError(f"`favourable` must be 'higher' or 'lower'; got {favourable!r}")
    scale = _scale(scale)
    if key in _PAIR and k != 2:
        raise ValueError(f"`estimate` must have exactly two groups (women, men) for {key!r}; got {k}")

    if k < 2:  # no pair of groups in any row
        return np.full(rows, np.nan)
    groups = _Groups.build(values, weights, ranks, favourable, scale)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        return _MEASURE_FUNCTIONS[key](groups)


def in_parity(gpi) -> np.ndarray:
    """Whether each gender parity index lies in the parity band 0.97 … 1.03 (bounds included).

    Parameters
    ----------
    gpi : array_like
        Gender parity indices (``compute_many("gpi", …)`` or the adjusted ones).

    Returns
    -------
    numpy.ndarray of bool
        True where ``PARITY_BAND[0] <= gpi <= PARITY_BAND[1]``; False elsewhere, including NaN.

    Notes
    -----
    The band of the UNESCO Institute for Statistics (see `compute`, References). Below it the indicator
    is lower for women, above it higher; whether that is a disadvantage depends on the indicator
    (enrolment or mortality).

    Examples
    --------
    >>> in_parity([0.96, 0.97, 1.0, 1.03, 1.04, float("nan")]).tolist()
    [False, True, True, True, False, False]
    """
    values = _as_float(gpi, "gpi")
    low, high = PARITY_BAND
    with np.errstate(invalid="ignore"):
        return (values >= low) & (values <= high)


# --- Argument checks (scipy style: the parameter is named in the message).


def _as_float(value, parameter: str) -> np.ndarray:
    try:
        array = np.asarray(value, dtype="float64")
    except (TypeError, ValueError) as error:
        raise ValueError(f"`{parameter}` must be numeric: {error}") from None
    return array


def _measure_name(name) -> str:
    if isinstance(name, str):
        key = ALIASES.get(name.lower(), name.lower())
        if key in MEASURES:
            return key
    known = ", ".join(sorted([*MEASURES, *ALIASES]))
    raise ValueError(f"`name` must be one of {known}; got {name!r}")


def _population(population, shape, key) -> np.ndarray:
    if population is None:
        if key in _LOGISTIC:
            raise ValueError(f"`population` is required for {key!r}: the WHO fit models counts of people")
        return np.ones(shape)
    weights = _as_float(population, "population")
    if weights.shape == shape[1:]:
        weights = np.broadcast_to(weights, shape)
    elif weights.shape != shape:
        raise ValueError(f"`population` must have shape {shape} (rows × groups) or {shape[1:]} (one per "
                         f"group); got {weights.shape}")
    if np.isinf(weights).any():
        raise ValueError("`population` must be finite or NaN (unknown); found ±inf")
    if (weights < 0).any():
        raise ValueError(f"`population` must be non-negative (a number of people); found "
                         f"{weights[weights < 0].min()}")
    return weights


def _order(order, k, key):
    """Column indices from the least to the most advantaged group, or None for non-ordered groups."""
    if order is None:
        if key in _ORDERED:
            raise ValueError(f"`order` is required for {key!r}: it ranks the groups from least to most "
                             "advantaged")
        return None
    ranks = _as_float(order, "order")
    if ranks.shape != (k,):
        raise ValueError(f"`order` must have one rank per group, shape ({k},); got {ranks.shape}")
    if not np.isfinite(ranks).all():
        raise ValueError("`order` must be finite numbers")
    if np.unique(ranks).size != k:
        raise ValueError("`order` must rank every group differently; found repeated ranks")
    return np.argsort(ranks, kind="stable")


def _scale(scale) -> float:
    if isinstance(scale, (bool, np.bool_)) or not isinstance(scale, (int, float, np.integer, np.floating)):
        raise ValueError(f"`scale` must be a positive finite number (100 for percentages); got {scale!r}")
    value = float(scale)
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"`scale` must be a positive finite number (100 for percentages); got {scale!r}")
    return value


# --- The groups of every row, and what most measures share.


@dataclass(frozen=True)
class _Groups:
    y: np.ndarray  # (m, k) estimates, NaN where missing
    present: np.ndarray  # (m, k) the groups with a value
    count: np.ndarray  # (m,) how many
    population: np.ndarray  # (m, k) as given (ones when not given)
    share: np.ndarray  # (m, k) population shares p_j among present groups; 0 elsewhere and in bad rows
    weighted: np.ndarray  # (m,) shares usable: two or more groups, populations known, total > 0
    mean: np.ndarray  # (m,) setting average μ = Σ p_j y_j; NaN where not `weighted`
    filled: np.ndarray  # (m, k) estimates with missing groups set to μ (so y − μ = 0 there)
    order: np.ndarray | None  # column indices, least to most advantaged
    favourable: str
    scale: float

    @classmethod
    def build(cls, y, population, order, favourable, scale):
        present = ~np.isnan(y)
        count = present.sum(axis=1)
        people = np.where(present, population, 0.0)
        with np.errstate(invalid="ignore"):
            total = people.sum(axis=1)  # NaN if a present group's population is unknown
            weighted = (count >= 2) & np.isfinite(total) & (total > 0)
            share = np.where(weighted[:, None], people / np.where(weighted, total, 1.0)[:, None], 0.0)
        # μ as c + Σ p_j (y_j − c), c the first group's value: exact when all groups are equal (then every
        # deviation is exactly 0 and every spread measure exactly 0), and no less accurate otherwise.
        rows = np.arange(y.shape[0])
        anchor = y[rows, np.argmax(present, axis=1)]
        with np.errstate(invalid="ignore"):
            deviation = np.where(present, y - anchor[:, None], 0.0)
            mean = np.where(weighted, anchor + (share * deviation).sum(axis=1), np.nan)
        filled = np.where(present, y, mean[:, None])
        return cls(y, present, count, population, share, weighted, mean, filled, order, favourable, scale)

    def extremes(self):
        """(y1, y2) of D and R: ordered, most vs least advantaged (swapped for adverse indicators);
        non-ordered, highest vs lowest. NaN where a row has fewer than two groups."""
        enough = self.count >= 2
        if self.order is None:
            high = np.where(self.present, self.y, -np.inf).max(axis=1)
            low = np.where(self.present, self.y, np.inf).min(axis=1)
            return np.where(enough, high, np.nan), np.where(enough, low, np.nan)
        least, most = self.y[:, self.order[0]], self.y[:, self.order[-1]]
        first, second = (most, least) if self.favourable == "higher" else (least, most)
        return np.where(enough, first, np.nan), np.where(enough, second, np.nan)

    def reference(self):
        """y_ref of PAR and PAF: ordered, the most advantaged group; otherwise the best value."""
        if self.order is not None:
            return self.y[:, self.order[-1]]
        if self.favourable == "higher":
            return np.where(self.present, self.y, -np.inf).max(axis=1)
        return np.where(self.present, self.y, np.inf).min(axis=1)

    def relative(self, value):
        """value / μ, NaN where μ is 0 or undefined."""
        return np.where(self.mean != 0, value / self.mean, np.nan)

    def nonnegative(self):
        """Rows whose present estimates are all ≥ 0."""
        return ~(self.present & (self.y < 0)).any(axis=1)


# --- Measures. Each takes the groups of all rows and returns one value per row.


def _difference(g):
    first, second = g.extremes()
    return first - second


def _ratio(g):
    first, second = g.extremes()
    return np.where(second != 0, first / second, np.nan)


def _par(g):
    par = g.reference() - g.mean  # NaN where μ is undefined or the reference group is missing
    # healthequal/HEAT: no improvement is possible past the reference group, so PAR is 0 rather than of
    # the wrong sign.
    return np.maximum(par, 0.0) if g.favourable == "higher" else np.minimum(par, 0.0)


def _paf(g):
    paf = 100.0 * g.relative(_par(g))
    return np.maximum(paf, 0.0) if g.favourable == "higher" else np.minimum(paf, 0.0)


def _bgv(g):
    return np.where(g.weighted, (g.share * (g.filled - g.mean[:, None]) ** 2).sum(axis=1), np.nan)


def _bgsd(g):
    return np.sqrt(_bgv(g))


def _cov(g):
    return 100.0 * g.relative(_bgsd(g))


def _mdmw(g):
    return np.where(g.weighted, (g.share * np.abs(g.filled - g.mean[:, None])).sum(axis=1), np.nan)


def _mdmu(g):
    # Unweighted average over the groups with a value; μ is still the population-weighted mean (HEAT 6.0,
    # footnote 4), so a row without usable populations has no MDMU either.
    total = np.abs(g.filled - g.mean[:, None]).sum(axis=1)
    return np.where(g.weighted, total / np.maximum(g.count, 1), np.nan)


def _idisw(g):
    return 100.0 * g.relative(_mdmw(g))


def _idisu(g):
    return 100.0 * g.relative(_mdmu(g))


def _ti(g):
    ratio = g.filled / g.mean[:, None]
    # 0 · ln 0 = 0, the limit; missing groups have ratio 1 and share 0.
    terms = np.where(ratio > 0, ratio * np.log(ratio), 0.0)
    ti = 1000.0 * (g.share * terms).sum(axis=1)
    return np.where(g.nonnegative() & (g.mean > 0), ti, np.nan)


def _mld(g):
    ratio = g.filled / g.mean[:, None]
    terms = np.where(g.share > 0, g.share * -np.log(ratio), 0.0)  # +inf for a populated group at 0
    mld = 1000.0 * terms.sum(axis=1)
    return np.where(g.nonnegative() & (g.mean > 0), mld, np.nan)


def _gini(g):
    # [4]: G = 2 cov(y, F(y)) / μ with F the population rank by value. For groups sorted by value,
    # F_j is the ridit midpoint X_j and G = Σ p_j (y_j − μ)(2 X_j − 1) / μ, which equals the mean absolute
    # difference Σ_i Σ_j p_i p_j |y_i − y_j| / (2 μ) (ties cancel). Missing groups weigh 0 wherever sorted.
    by_value = np.argsort(np.where(g.present, g.y, np.inf), axis=1, kind="stable")
    share = np.take_along_axis(g.share, by_value, axis=1)
    value = np.take_along_axis(g.filled, by_value, axis=1)
    rank = np.cumsum(share, axis=1) - share / 2.0
    gini = (share * (value - g.mean[:, None]) * (2.0 * rank - 1.0)).sum(axis=1)
    return np.where(g.nonnegative() & (g.mean > 0), gini / g.mean, np.nan)


def _ridits(share):
    """Ridit midpoints X_j = Σ_{k ≤ j} p_k − p_j / 2 of shares already in order (HEAT 6.0, section 3.3)."""
    return np.cumsum(share, axis=1) - share / 2.0


def _linear_fit(g):
    """(v0, v1) of the least-squares line through (X_j, y_j) weighted by p_j; NaN where undefined."""
    share = g.share[:, g.order]
    value = g.filled[:, g.order]
    rank = _ridits(share)
    rank_mean = (share * rank).sum(axis=1)
    spread = rank - rank_mean[:, None]
    sxx = (share * spread**2).sum(axis=1)
    sxy = (share * spread * (value - g.mean[:, None])).sum(axis=1)
    fitted = g.weighted & (sxx > 0)
    slope = np.where(fitted, sxy / sxx, np.nan)
    v0 = g.mean - slope * rank_mean
    return v0, v0 + slope, slope


def _sii(g):
    return _linear_fit(g)[2]


def _rii(g):
    v0, v1, _ = _linear_fit(g)
    return _positive_ratio(v1, v0)


def _positive_ratio(v1, v0):
    return np.where((v0 > 0) & (v1 >= 0), v1 / v0, np.nan)


def _expit(eta):
    """1 / (1 + e^−η) without overflow."""
    e = np.exp(-np.abs(eta))
    return np.where(eta >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _log_expit(eta):
    """ln(1 / (1 + e^−η)) = −ln(1 + e^−η), without overflow."""
    return -(np.maximum(-eta, 0.0) + np.log1p(np.exp(-np.abs(eta))))


def _logistic_fit(g):
    """(v0, v1) of the WHO logistic fit (see `compute`, Notes), all rows at once; NaN where undefined."""
    rows = g.y.shape[0]
    value = g.y[:, g.order]
    present = g.present[:, g.order]
    total = np.where(present, np.ceil(g.population[:, g.order]), 0.0)  # step 1: n_j = ⌈N_j⌉
    people = total.sum(axis=1)
    in_range = ~(present & ((value < 0) | (value > g.scale))).any(axis=1)
    usable = (g.count >= 2) & np.isfinite(people) & (people > 0) & in_range
    total = np.where(usable[:, None], total, 0.0)
    rank = _ridits(total / np.where(usable, people, 1.0)[:, None])
    successes = np.round(np.where(present, value, 0.0) / g.scale * total)  # step 2: s_j, half to even
    proportion = np.where(total > 0, successes / np.where(total > 0, total, 1.0), 0.0)
    weight = total * total  # step 3: prior weight n_j times binomial total n_j

    # A flat fit where the data are flat: all estimates equal (our choice, see Notes), or all proportions
    # equal among groups with people (then the MLE has slope exactly 0 and v0 = v1 = that proportion).
    first = np.argmax(present, axis=1)
    same_value = ~(present & (value != value[np.arange(rows), first][:, None])).any(axis=1)
    has_people = total > 0
    first_p = proportion[np.arange(rows), np.argmax(has_people, axis=1)]
    same_proportion = ~(has_people & (proportion != first_p[:, None])).any(axis=1)
    flat = usable & (same_value | same_proportion)
    flat_level = np.where(same_value, value[np.arange(rows), first] / g.scale, first_p)

    fit = usable & ~flat
    saturated = (weight * (_xlogx(proportion) + _xlogx(1.0 - proportion))).sum(axis=1)

    def deviance(b0, b1):
        eta = b0[:, None] + b1[:, None] * rank
        loglik = (weight * (proportion * _log_expit(eta) + (1.0 - proportion) * _log_expit(-eta))).sum(axis=1)
        return 2.0 * (saturated - loglik)

    def newton_step(eta, mu):
        """Newton's step for (b0, b1) from the linear predictor and fitted proportions of every row."""
        info = weight * mu * (1.0 - mu)
        residual = weight * (proportion - mu)
        g0, g1 = residual.sum(axis=1), (residual * rank).sum(axis=1)
        h00, h01, h11 = info.sum(axis=1), (info * rank).sum(axis=1), (info * rank * rank).sum(axis=1)
        det = h00 * h11 - h01 * h01
        solvable = (det > 0) & np.isfinite(det)
        return (np.where(solvable, (h11 * g0 - h01 * g1) / det, 0.0),
                np.where(solvable, (h00 * g1 - h01 * g0) / det, 0.0), solvable)

    # R's start: μ_j = (n_j p_j + 1/2) / (n_j + 1) (the binomial family's `mustart`), then R's first
    # IRLS step from there: the weighted least-squares line through the working response z.
    mu = (total * proportion + 0.5) / (total + 1.0)
    eta = np.log(mu) - np.log1p(-mu)
    z = eta + (proportion - mu) / (mu * (1.0 - mu))
    info = weight * mu * (1.0 - mu)
    h00, h01, h11 = info.sum(axis=1), (info * rank).sum(axis=1), (info * rank * rank).sum(axis=1)
    e0, e1 = (info * z).sum(axis=1), (info * z * rank).sum(axis=1)
    det = h00 * h11 - h01 * h01
    start = fit & (det > 0) & np.isfinite(det)
    safe_det = np.where(start, det, 1.0)
    b0 = np.where(start, (h11 * e0 - h01 * e1) / safe_det, 0.0)
    b1 = np.where(start, (h00 * e1 - h01 * e0) / safe_det, 0.0)
    fit &= start
    dev = deviance(b0, b1)

    active = fit.copy()
    for _ in range(_MAXIT):  # over Newton iterations, never over rows
        if not active.any():
            break
        eta = b0[:, None] + b1[:, None] * rank
        step0, step1, solvable = newton_step(eta, _expit(eta))
        # The start was solvable, so a singular system now means the fitted proportions have reached 0 or
        # 1 to machine precision (complete separation): stop there, as R stops when the deviance settles.
        active &= solvable
        # The log-likelihood is concave, so a Newton step that raises the deviance overshot: halve it
        # (R's glm.fit halves only non-finite steps and can diverge on extreme data; see Notes).
        factor = np.ones(rows)
        for _ in range(_HALVINGS):
            new_b0, new_b1 = b0 + factor * step0, b1 + factor * step1
            new_dev = deviance(new_b0, new_b1)
            worse = active & ~(new_dev <= dev + _DEV_TOL * (np.abs(dev) + 0.1))
            if not worse.any():
                break
            factor = np.where(worse, factor / 2.0, factor)
        stuck = worse  # no step lowers the deviance: at the optimum to machine precision
        move = active & ~stuck
        small_step = (np.abs(factor * step0) <= _STEP_TOL * (1.0 + np.abs(new_b0))) & (
            np.abs(factor * step1) <= _STEP_TOL * (1.0 + np.abs(new_b1)))
        steady = np.abs(new_dev - dev) <= _DEV_TOL * (np.abs(new_dev) + 0.1)
        b0, b1, dev = (np.where(move, new, old) for new, old in ((new_b0, b0), (new_b1, b1), (new_dev, dev)))
        active &= ~(stuck | small_step | steady)
    fit &= ~active  # not converged

    v0 = np.where(fit, _expit(b0), np.where(flat, flat_level, np.nan))
    v1 = np.where(fit, _expit(b0 + b1), np.where(flat, flat_level, np.nan))
    return v0, v1, flat & same_value


def _xlogx(x):
    return np.where(x > 0, x * np.log(np.where(x > 0, x, 1.0)), 0.0)


def _sii_logistic(g):
    v0, v1, equal = _logistic_fit(g)
    return np.where(equal, 0.0, g.scale * (v1 - v0))


def _rii_logistic(g):
    v0, v1, equal = _logistic_fit(g)
    return np.where(equal, 1.0, _positive_ratio(v1, v0))


def _gpi(g):
    women, men = g.y[:, 0], g.y[:, 1]
    return np.where((men > 0) & (women >= 0), women / men, np.nan)


def _adjusted_gpi(g):
    gpi = _gpi(g)
    return np.where(gpi > 1.0, 2.0 - 1.0 / gpi, gpi)


_MEASURE_FUNCTIONS = {
    "d": _difference, "r": _ratio, "par": _par, "paf": _paf, "bgv": _bgv, "bgsd": _bgsd, "cov": _cov,
    "mdmw": _mdmw, "mdmu": _mdmu, "idisw": _idisw, "idisu": _idisu, "ti": _ti, "mld": _mld, "gini": _gini,
    "sii": _sii, "rii": _rii, "sii_logistic": _sii_logistic, "rii_logistic": _rii_logistic, "gpi": _gpi,
    "adjusted_gpi": _adjusted_gpi,
}
