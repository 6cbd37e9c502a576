"""Gaps between groups (WHO HEAT summary measures): published values, every documented edge case, and
properties that hold whatever the data."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings as hypothesis_settings, strategies as st

from millennium.analysis import gaps
from millennium.analysis.gaps import compute, compute_many, in_parity

NAN = float("nan")

# healthequal 1.0.1's test data for ordered groups (tests/testthat/test-sii.R and siblings):
# set.seed(123); pop <- round(rnorm(5, 100, 40)); est <- c(20, 30, 40, 50, 60); subgroup_order 1…5;
# favourable indicator, scale 100.
QUINTILE_POPULATION = [78, 91, 162, 103, 105]
QUINTILE_ESTIMATE = [20, 30, 40, 50, 60]
QUINTILE = [1, 2, 3, 4, 5]

# healthequal 1.0.1's test data for non-ordered groups (tests/testthat/test-bgv.R and siblings):
# set.seed(123); pop <- round(rnorm(25, 1000, 300)); est <- rbinom(25, 1000, .065). The values below are
# what R 4.2.2 draws for that code; no reference subgroup, favourable indicator.
REGION_POPULATION = [832, 931, 1468, 1021, 1039, 1515, 1138, 620, 794, 866, 1367, 1108, 1120, 1033, 833, 1536,
                     1149, 410, 1210, 858, 680, 935, 692, 781, 812]
REGION_ESTIMATE = [61, 74, 58, 59, 72, 75, 74, 68, 75, 67, 73, 63, 66, 62, 60, 66, 71, 73, 71, 61, 74, 84, 55, 69,
                   60]

ORDERED = {"sii", "rii", "sii_logistic", "rii_logistic"}
LOGISTIC = {"sii_logistic", "rii_logistic"}
PAIR = {"gpi", "adjusted_gpi"}
# The value that means "no inequality" for each measure.
NO_INEQUALITY = {name: 1.0 if name in {"r", "rii", "rii_logistic", "gpi", "adjusted_gpi"} else 0.0
                 for name in gaps.MEASURES}


def arguments(name, k, population=None):
    """Keyword arguments every measure accepts for k groups: an order for the ordered ones, a population
    for the logistic ones, scale 100."""
    kwargs = {"scale": 100.0}
    if name in ORDERED:
        kwargs["order"] = list(range(k))
    if population is not None or name in LOGISTIC:
        kwargs["population"] = population if population is not None else [100.0] * k
    return kwargs


# --- Published values.


@pytest.mark.parametrize(("name", "expected", "tolerance", "source"), [
    ("sii_logistic", 44.44502, 1e-6, "healthequal tests/testthat/test-sii.R"),
    ("rii_logistic", 3.159506, 1e-6, "healthequal tests/testthat/test-rii.R"),
    ("par", 18.775509, 1e-2, "healthequal tests/testthat/test-parisk.R"),
    ("paf", 45.544548, 1e-6, "healthequal tests/testthat/test-paf.R"),
])
def test_compute_ordered_matches_healthequal(name, expected, tolerance, source):
    # testthat's expect_equal(tolerance = t) compares the relative difference with t.
    value = compute(name, QUINTILE_ESTIMATE, QUINTILE_POPULATION, order=QUINTILE, scale=100)

    assert value == pytest.approx(expected, rel=tolerance), source


def test_compute_sii_linear_worked_example():
    # The same quintiles with the classical weighted least-squares line on the ridit midpoints
    # (Schlotheuber & Hosseinpoor 2022): SII ≈ 46.25, against 44.445 for the WHO logistic variant.
    value = compute("sii", QUINTILE_ESTIMATE, QUINTILE_POPULATION, order=QUINTILE)

    assert round(value, 2) == 46.25


@pytest.mark.parametrize(("name", "expected", "tolerance", "source"), [
    ("bgv", 46.198326, 1e-6, "healthequal tests/testthat/test-bgv.R"),
    ("bgsd", 6.7969351, 1e-4, "healthequal tests/testthat/test-bgsd.R"),
    ("mdmu", 5.891726, 1e-4, "healthequal tests/testthat/test-mdmu.R"),
    ("mdmw", 5.8348689, 1e-4, "healthequal tests/testthat/test-mdmw.R"),
    ("idisu", 8.7018175, 1e-4, "healthequal tests/testthat/test-idisu.R"),
    ("idisw", 8.6178417, 1e-4, "healthequal tests/testthat/test-idisw.R"),
    ("ti", 5.0359201, 1e-4, "healthequal tests/testthat/test-ti.R"),
    ("mld", 5.0524006, 1e-3, "healthequal tests/testthat/test-mld.R"),
    ("par", 16.293152, 1e-4, "healthequal tests/testthat/test-par-nonordered.R"),
    ("paf", 24.06426, 1e-4, "healthequal tests/testthat/test-paf-nonordered.R"),
])
def test_compute_non_ordered_matches_healthequal(name, expected, tolerance, source):
    value = compute(name, REGION_ESTIMATE, REGION_POPULATION, scale=100)

    assert value == pytest.approx(expected, rel=tolerance), source


def test_compute_cov_is_bgsd_over_mean_in_per_cent():
    # healthequal's test suite has no COV value; HEAT 6.0: COV = BGSD / μ · 100.
    mean = np.average(REGION_ESTIMATE, weights=REGION_POPULATION)

    value = compute("cov", REGION_ESTIMATE, REGION_POPULATION)

    assert value == pytest.approx(100 * 6.7969351 / mean, rel=1e-6)


@pytest.mark.parametrize(("population", "estimate", "sii", "rii"), [
    # R 4.2.2: glm(cbind(s, n - s) ~ X, weights = n, family = binomial("logit"),
    #              control = glm.control(epsilon = 1e-14, maxit = 100)), n = ceiling(pop),
    # s = round(est / 100 * n), X the ridit midpoints of n; predictions at X = 0 and 1.
    ([4685.4, 1430.7, 4152.2], [51.9, 73.7, 13.5], -61.2984240034959, 0.130843930628764),
    ([1877, 2572, 8, 0, 790, 1795, 3228], [23.4, 9, 8.6, 30.5, 66.7, 0, 20.9], 4.59890451858305, 1.32818197929503),
    ([4589.5, 3966, 666.6, 0, 973.4, 3920.5], [7.2, 5.3, 53.2, 11.2, 74.3, 73.1], 83.5417466418026,
     78.4416819530792),
    ([4392, 4653, 1961, 794, 1600, 1535, 539, 4897, 2485, 465], [14.2, 28, 29.7, 39.4, 43, 56.5, 65.3, 90.1, 93.1,
                                                                 99.1], 88.981213376485, 13.9873575597459),
])
def test_compute_logistic_matches_r_glm(population, estimate, sii, rii):
    order = list(range(len(estimate)))

    result = (compute("sii_logistic", estimate, population, order=order, scale=100),
              compute("rii_logistic", estimate, population, order=order, scale=100))

    assert result == (pytest.approx(sii, rel=1e-9), pytest.approx(rii, rel=1e-9))


def test_compute_logistic_where_r_diverges_gives_the_maximum_likelihood_fit():
    # R's glm from its default start diverges here (coefficients ~1e15, SII 100); started from (0, 0) it
    # converges to SII 46.1775686, RII 5.65618496 (R's default epsilon 1e-8).
    population = [3733.9, 3155.7, 272.6, 2636.4, 438.9]
    estimate = [0.1, 70.7, 79.7, 13.4, 59.9]

    result = (compute("sii_logistic", estimate, population, order=[1, 2, 3, 4, 5], scale=100),
              compute("rii_logistic", estimate, population, order=[1, 2, 3, 4, 5], scale=100))

    assert result == (pytest.approx(46.1775686, rel=1e-7), pytest.approx(5.65618496, rel=1e-7))


# --- Worked examples of the choices HEAT 6.0 makes (tables 1 and 2, sections 3.7).


def test_compute_difference_and_ratio_non_ordered_are_highest_versus_lowest():
    # HEAT 6.0 table 1: without a reference group, highest − lowest for both kinds of indicator.
    estimate = [12.0, 15.0, 9.0]

    result = [compute(name, estimate, favourable=favourable) for name in ("d", "r") for favourable in ("higher",
                                                                                                     "lower")]

    assert result == [6.0, 6.0, 15 / 9, 15 / 9]


def test_compute_difference_and_ratio_ordered_follow_the_indicator_type():
    # Most-advantaged − most-disadvantaged for favourable indicators, the reverse for adverse ones; the
    # order need not be the column order.
    estimate = [60.0, 20.0, 40.0]
    order = [3, 1, 2]

    result = [compute(name, estimate, order=order, favourable=favourable) for name in ("d", "r")
              for favourable in ("higher", "lower")]

    assert result == [40.0, -40.0, 3.0, 1 / 3]


def test_compute_par_non_ordered_adverse_uses_the_lowest_value():
    mean = np.average(QUINTILE_ESTIMATE, weights=QUINTILE_POPULATION)

    result = (compute("par", QUINTILE_ESTIMATE, QUINTILE_POPULATION, favourable="lower"),
              compute("paf", QUINTILE_ESTIMATE, QUINTILE_POPULATION, favourable="lower"))

    assert result == (pytest.approx(20 - mean, rel=1e-12), pytest.approx(100 * (20 - mean) / mean, rel=1e-12))


@pytest.mark.parametrize(("estimate", "favourable"), [
    ([20, 30, 40, 50, 60], "lower"),  # adverse indicator, most advantaged group worst: PAR > 0 → 0
    ([60, 50, 40, 30, 20], "higher"),  # favourable indicator, most advantaged group lowest: PAR < 0 → 0
])
def test_compute_par_and_paf_clipped_at_zero_when_no_improvement_is_possible(estimate, favourable):
    result = [compute(name, estimate, QUINTILE_POPULATION, order=QUINTILE, favourable=favourable)
              for name in ("par", "paf")]

    assert result == [0.0, 0.0]


def test_compute_theil_and_mean_log_deviation_worked_example():
    # Two equal groups at 1 and 3: μ = 2, y/μ = 0.5 and 1.5; both reported times 1000.
    ti = 1000 * (0.5 * 0.5 * math.log(0.5) + 0.5 * 1.5 * math.log(1.5))
    mld = 1000 * (0.5 * -math.log(0.5) + 0.5 * -math.log(1.5))

    result = (compute("ti", [1.0, 3.0]), compute("mld", [1.0, 3.0]))

    assert result == (pytest.approx(ti, rel=1e-12), pytest.approx(mld, rel=1e-12))


@pytest.mark.parametrize(("estimate", "population", "expected"), [
    ([0.0, 1.0], [1, 1], 0.5),  # Σ p_i p_j |y_i − y_j| = 2 · ¼ · 1, over 2μ = 1
    ([1.0, 2.0, 3.0], [1, 1, 1], 2 / 9),  # 2 · (1 + 2 + 1) / 9, over 2μ = 4
    ([1.0, 3.0], [3, 1], 0.25),  # 2 · ¾ · ¼ · 2 = ¾, over 2μ = 3
])
def test_compute_gini_worked_examples(estimate, population, expected):
    assert compute("gini", estimate, population) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("women", "men", "gpi", "adjusted", "parity"), [
    (48.0, 50.0, 0.96, 0.96, False),
    (50.0, 50.0, 1.0, 1.0, True),
    (51.0, 50.0, 1.02, 2 - 50 / 51, True),
    (55.0, 50.0, 1.1, 2 - 1 / 1.1, False),  # UIS: above 1, inverted and subtracted from 2
    (100.0, 50.0, 2.0, 1.5, False),
])
def test_compute_gender_parity_index_and_adjusted(women, men, gpi, adjusted, parity):
    result = (compute("gpi", [women, men]), compute("adjusted_gpi", [women, men]))

    assert result == (pytest.approx(gpi, rel=1e-12), pytest.approx(adjusted, rel=1e-12))
    assert bool(in_parity(result[0])) is parity


def test_in_parity_includes_the_band_edges_and_not_nan():
    assert in_parity([0.9699, 0.97, 1.03, 1.0301, NAN]).tolist() == [False, True, True, False, False]


@pytest.mark.parametrize(("alias", "name"), sorted(gaps.ALIASES.items()))
def test_compute_alias_is_the_same_measure(alias, name):
    assert compute(alias, REGION_ESTIMATE, REGION_POPULATION) == compute(name, REGION_ESTIMATE, REGION_POPULATION)


def test_compute_sii_linear_equals_weighted_least_squares():
    # np.polyfit minimises Σ (w_i r_i)², so the weights are √p.
    shares = np.array(QUINTILE_POPULATION) / sum(QUINTILE_POPULATION)
    ranks = np.cumsum(shares) - shares / 2
    slope, intercept = np.polyfit(ranks, QUINTILE_ESTIMATE, 1, w=np.sqrt(shares))

    result = (compute("sii", QUINTILE_ESTIMATE, QUINTILE_POPULATION, order=QUINTILE),
              compute("rii", QUINTILE_ESTIMATE, QUINTILE_POPULATION, order=QUINTILE))

    assert result == (pytest.approx(slope, rel=1e-10), pytest.approx((intercept + slope) / intercept, rel=1e-10))


# --- Edge cases, one test each, as listed in `compute`'s Notes.


@pytest.mark.parametrize("name", sorted(set(gaps.MEASURES) - PAIR))
def test_compute_empty_is_nan(name):
    assert math.isnan(compute(name, [], **arguments(name, 0, [] if name in LOGISTIC else None)))


@pytest.mark.parametrize("name", sorted(set(gaps.MEASURES) - PAIR))
def test_compute_one_group_is_nan(name):
    assert math.isnan(compute(name, [42.0], **arguments(name, 1, [10.0])))


@pytest.mark.parametrize("name", sorted(gaps.MEASURES))
def test_compute_only_one_group_with_a_value_is_nan(name):
    assert math.isnan(compute(name, [42.0, NAN], **arguments(name, 2, [10.0, 10.0])))


@pytest.mark.parametrize("name", sorted(set(gaps.MEASURES) - PAIR))
def test_compute_missing_group_is_left_out(name):
    estimate = [20.0, 35.0, NAN, 50.0, 60.0]
    population = [78.0, 91.0, 162.0, 103.0, 105.0]
    kept = [0, 1, 3, 4]

    with_gap = compute(name, estimate, **arguments(name, 5, population))
    without = compute(name, [estimate[i] for i in kept], **arguments(name, 4, [population[i] for i in kept]))

    assert with_gap == pytest.approx(without, rel=1e-12)


@pytest.mark.parametrize("name", ["d", "r", "par", "paf"])
def test_compute_ordered_missing_extreme_group_is_nan(name):
    # HEAT reports no value; we do not silently compare the next group instead.
    estimate = [20.0, 30.0, 40.0, 50.0, NAN]

    assert math.isnan(compute(name, estimate, QUINTILE_POPULATION, order=QUINTILE))


@pytest.mark.parametrize("name", ["d", "r", "par", "paf"])
def test_compute_ordered_missing_middle_group_is_left_out(name):
    estimate = [20.0, 30.0, NAN, 50.0, 60.0]

    assert not math.isnan(compute(name, estimate, QUINTILE_POPULATION, order=QUINTILE))


@pytest.mark.parametrize("name", ["paf", "cov", "idisw", "idisu", "ti", "mld", "gini"])
def test_compute_zero_mean_is_nan_for_measures_divided_by_the_mean(name):
    assert math.isnan(compute(name, [-1.0, 1.0], [1.0, 1.0]))


@pytest.mark.parametrize(("name", "expected"), [("bgv", 1.0), ("bgsd", 1.0), ("mdmw", 1.0), ("mdmu", 1.0),
                                                ("d", 2.0)])
def test_compute_zero_mean_absolute_measures_are_defined(name, expected):
    assert compute(name, [-1.0, 1.0], [1.0, 1.0]) == expected


@pytest.mark.parametrize("name", sorted(set(gaps.MEASURES) - {"d", "r"} - PAIR))
def test_compute_zero_total_population_is_nan(name):
    assert math.isnan(compute(name, [20.0, 30.0, 40.0], **arguments(name, 3, [0.0, 0.0, 0.0])))


@pytest.mark.parametrize("name", sorted(set(gaps.MEASURES) - {"d", "r"} - PAIR))
def test_compute_unknown_population_of_a_group_is_nan(name):
    assert math.isnan(compute(name, [20.0, 30.0, 40.0], **arguments(name, 3, [10.0, NAN, 10.0])))


@pytest.mark.parametrize("name", ["d", "r", "gpi", "adjusted_gpi"])
def test_compute_unweighted_measures_ignore_population(name):
    result = compute(name, [20.0, 30.0], [NAN, 0.0])

    assert result == compute(name, [20.0, 30.0])


@pytest.mark.parametrize("name", ["bgv", "mdmw", "idisw", "ti", "mld", "gini", "sii", "rii"])
def test_compute_group_of_population_zero_weighs_nothing(name):
    assert compute(name, [20.0, 30.0, 90.0], [10.0, 30.0, 0.0], order=[1, 2, 3]) == pytest.approx(
        compute(name, [20.0, 30.0], [10.0, 30.0], order=[1, 2]), rel=1e-12)


def test_compute_group_of_population_zero_still_counts_in_unweighted_mean_difference():
    # μ = 27.5 from the populated groups; MDMU = (7.5 + 2.5 + 62.5) / 3.
    assert compute("mdmu", [20.0, 30.0, 90.0], [10.0, 30.0, 0.0]) == pytest.approx(72.5 / 3, rel=1e-12)


@pytest.mark.parametrize("name", ["ti", "mld", "gini"])
def test_compute_negative_estimate_is_nan_for_logarithmic_and_gini(name):
    assert math.isnan(compute(name, [-1.0, 5.0, 6.0]))


def test_compute_zero_estimate_theil_takes_the_limit():
    # 0 · ln 0 = 0: only the group at 2 (share ½, y/μ = 2) contributes.
    assert compute("ti", [0.0, 2.0]) == pytest.approx(1000 * 0.5 * 2 * math.log(2), rel=1e-12)


def test_compute_zero_estimate_mean_log_deviation_is_infinite():
    assert compute("mld", [0.0, 2.0]) == math.inf


@pytest.mark.parametrize(("name", "estimate"), [("r", [0.0, 5.0]), ("gpi", [5.0, 0.0]),
                                                ("adjusted_gpi", [5.0, 0.0])])
def test_compute_zero_denominator_is_nan(name, estimate):
    assert math.isnan(compute(name, estimate))


@pytest.mark.parametrize("estimate", [[-1.0, 5.0], [5.0, -1.0]])
def test_compute_gpi_of_negative_values_is_nan(estimate):
    assert math.isnan(compute("gpi", estimate))


def test_compute_rii_linear_negative_prediction_is_nan():
    # Equal groups at 0, 10 and 100: the line predicts 36.7 − 150 / 2 < 0 at rank 0.
    result = (compute("sii", [0.0, 10.0, 100.0], order=[1, 2, 3]), compute("rii", [0.0, 10.0, 100.0], order=[1, 2, 3]))

    assert result[0] == pytest.approx(150.0, rel=1e-12)
    assert math.isnan(result[1])


@pytest.mark.parametrize("name", ["sii", "rii"])
def test_compute_sii_needs_two_populated_groups(name):
    assert math.isnan(compute(name, [20.0, 30.0, 40.0], [0.0, 10.0, 0.0], order=[1, 2, 3]))


@pytest.mark.parametrize("estimate", [[20.0, 30.0, 101.0], [-1.0, 30.0, 40.0]])
@pytest.mark.parametrize("name", sorted(LOGISTIC))
def test_compute_logistic_estimate_outside_the_scale_is_nan(name, estimate):
    assert math.isnan(compute(name, estimate, [10.0, 10.0, 10.0], order=[1, 2, 3], scale=100))


@pytest.mark.parametrize("name", sorted(LOGISTIC))
def test_compute_logistic_equal_estimates_show_no_inequality(name):
    # 40 % of 78, 91 and 162 people round to 31, 36 and 65: proportions differ, estimates do not.
    result = compute(name, [40.0, 40.0, 40.0], [78, 91, 162], order=[1, 2, 3], scale=100)

    assert result == NO_INEQUALITY[name]


def test_compute_logistic_equal_counted_proportions_are_flat():
    # 50, 52 and 54 % of 10 people all round to 5 of 10.
    result = [compute(name, [50.0, 52.0, 54.0], [10, 10, 10], order=[1, 2, 3], scale=100)
              for name in ("sii_logistic", "rii_logistic")]

    assert result == [0.0, 1.0]


def test_compute_logistic_all_counts_zero_rii_is_nan():
    result = [compute(name, [1.0, 2.0, 3.0], [10, 10, 10], order=[1, 2, 3], scale=100)
              for name in ("sii_logistic", "rii_logistic")]

    assert result[0] == 0.0
    assert math.isnan(result[1])


def test_compute_logistic_complete_separation_reaches_the_scale():
    result = [compute(name, [0.0, 0.0, 100.0, 100.0], [100] * 4, order=[1, 2, 3, 4], scale=100)
              for name in ("sii_logistic", "rii_logistic")]

    assert result[0] == pytest.approx(100.0, rel=1e-12)
    assert result[1] > 1e10


def test_compute_logistic_rounds_fractional_populations_up():
    # ⌈N⌉: 77.2 people count as 78.
    result = compute("sii_logistic", QUINTILE_ESTIMATE, [77.2, 90.01, 161.5, 103, 104.9], order=QUINTILE,
                     scale=100)

    assert result == compute("sii_logistic", QUINTILE_ESTIMATE, QUINTILE_POPULATION, order=QUINTILE, scale=100)


def test_compute_population_none_weighs_groups_equally():
    assert compute("bgv", [1.0, 3.0, 8.0]) == compute("bgv", [1.0, 3.0, 8.0], [5.0, 5.0, 5.0])


def test_compute_many_broadcasts_one_population_per_group():
    estimate = [[12.0, 15.0, 9.0], [13.0, 14.0, NAN]]

    result = compute_many("bgv", estimate, [100, 300, 100])

    assert result.tolist() == compute_many("bgv", estimate, [[100, 300, 100], [100, 300, 100]]).tolist()


def test_compute_many_no_rows_is_empty():
    assert compute_many("bgv", np.empty((0, 3))).shape == (0,)


# --- Argument checks: the parameter is named in the message.


@pytest.mark.parametrize(("call", "message"), [
    (lambda: compute("gap", [1.0, 2.0]), "`name` must be one of"),
    (lambda: compute("d", [[1.0, 2.0]]), "`estimate` must be 1-D"),
    (lambda: compute("d", ["a", "b"]), "`estimate` must be numeric"),
    (lambda: compute("d", [1.0, math.inf]), "`estimate` must be finite or NaN"),
    (lambda: compute_many("d", [1.0, 2.0]), "`estimate` must be 2-D"),
    (lambda: compute("bgv", [1.0, 2.0], [1.0]), "`population` must have the shape"),
    (lambda: compute_many("bgv", [[1.0, 2.0]], [1.0, 2.0, 3.0]), "`population` must have shape"),
    (lambda: compute("bgv", [1.0, 2.0], [1.0, -3.0]), "`population` must be non-negative"),
    (lambda: compute("bgv", [1.0, 2.0], [1.0, math.inf]), "`population` must be finite"),
    (lambda: compute("sii_logistic", [1.0, 2.0], order=[1, 2]), "`population` is required"),
    (lambda: compute("sii", [1.0, 2.0]), "`order` is required"),
    (lambda: compute("sii", [1.0, 2.0], order=[1, 2, 3]), "`order` must have one rank per group"),
    (lambda: compute("d", [1.0, 2.0], order=[1, 1]), "`order` must rank every group differently"),
    (lambda: compute("d", [1.0, 2.0], order=[1, NAN]), "`order` must be finite"),
    (lambda: compute("d", [1.0, 2.0], favourable="up"), "`favourable` must be 'higher' or 'lower'"),
    (lambda: compute("d", [1.0, 2.0], scale=0), "`scale` must be a positive finite number"),
    (lambda: compute("d", [1.0, 2.0], scale=-100), "`scale` must be a positive finite number"),
    (lambda: compute("d", [1.0, 2.0], scale=NAN), "`scale` must be a positive finite number"),
    (lambda: compute("d", [1.0, 2.0], scale="100"), "`scale` must be a positive finite number"),
    (lambda: compute("gpi", [1.0, 2.0, 3.0]), "`estimate` must have exactly two groups"),
])
def test_compute_rejects_malformed_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_every_measure_is_documented():
    missing = [name for name in gaps.MEASURES if f'``"{name}"``' not in compute.__doc__
               or f"``{name}``" not in gaps.__doc__]

    assert missing == []


# --- Properties.

positive = st.floats(min_value=0.01, max_value=1000.0, allow_nan=False)
people = st.floats(min_value=0.5, max_value=1e5, allow_nan=False)


@hypothesis_settings(max_examples=60, deadline=None)
@given(data=st.data(), k=st.integers(2, 8), factor=st.floats(min_value=1e-3, max_value=1e3))
@pytest.mark.parametrize("name", ["ti", "mld", "gini", "cov", "rii"])
def test_relative_measures_unchanged_when_every_estimate_is_scaled(name, data, k, factor):
    estimate = np.array(data.draw(st.lists(positive, min_size=k, max_size=k)))
    population = data.draw(st.lists(people, min_size=k, max_size=k))
    order = list(range(k))

    base = compute(name, estimate, population, order=order)
    scaled = compute(name, factor * estimate, population, order=order)

    assume(np.isfinite(base) and abs(base) < 1e6)  # RII: a fitted value near 0 at rank 0 is ill-conditioned
    assert scaled == pytest.approx(base, rel=1e-8, abs=1e-9)


@hypothesis_settings(max_examples=40, deadline=None)
@given(data=st.data(), level=st.floats(min_value=0.5, max_value=99.5))
@pytest.mark.parametrize("name", sorted(gaps.MEASURES))
def test_equal_groups_show_no_inequality(name, data, level):
    k = 2 if name in PAIR else data.draw(st.integers(2, 8))
    population = data.draw(st.lists(st.integers(1, 100_000).map(float), min_size=k, max_size=k))
    order = data.draw(st.permutations(range(k)))
    favourable = data.draw(st.sampled_from(gaps.FAVOURABLE))

    result = compute(name, [level] * k, population, order=order, favourable=favourable, scale=100)

    assert result == NO_INEQUALITY[name]


# Values a table may hold: ordinary, zero, negative, out of a 0–100 scale, missing.
cell = st.one_of(st.floats(min_value=0.0, max_value=100.0), st.sampled_from([0.0, 100.0, -5.0, 150.0, NAN]))
head_count = st.one_of(st.floats(min_value=0.0, max_value=1e5), st.sampled_from([0.0, 1.0, NAN]))


@hypothesis_settings(max_examples=40, deadline=None)
@given(data=st.data(), rows=st.integers(1, 6), k=st.integers(2, 6))
@pytest.mark.parametrize("name", sorted(gaps.MEASURES))
def test_compute_many_equals_compute_row_by_row(name, data, rows, k):
    k = 2 if name in PAIR else k
    estimate = np.array(data.draw(st.lists(st.lists(cell, min_size=k, max_size=k), min_size=rows, max_size=rows)))
    population = np.array(data.draw(st.lists(st.lists(head_count, min_size=k, max_size=k), min_size=rows,
                                              max_size=rows)))
    order = data.draw(st.permutations(range(k)))
    favourable = data.draw(st.sampled_from(gaps.FAVOURABLE))
    options = {"order": order, "favourable": favourable, "scale": 100}

    many = compute_many(name, estimate, population, **options)
    one_by_one = [compute(name, estimate[i], population[i], **options) for i in range(rows)]

    np.testing.assert_array_equal(many, one_by_one)


@hypothesis_settings(max_examples=100, deadline=None)
@given(data=st.data(), k=st.integers(2, 10))
def test_gini_equals_the_mean_absolute_difference_over_twice_the_mean(data, k):
    estimate = np.array(data.draw(st.lists(st.floats(min_value=0.0, max_value=1000.0), min_size=k, max_size=k)))
    population = np.array(data.draw(st.lists(people, min_size=k, max_size=k)))
    share = population / population.sum()
    mean = share @ estimate
    assume(mean > 1e-6)

    expected = (share[:, None] * share[None, :] * np.abs(estimate[:, None] - estimate[None, :])).sum() / (2 * mean)

    assert compute("gini", estimate, population) == pytest.approx(expected, rel=1e-9, abs=1e-12)
