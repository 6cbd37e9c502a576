"""UNSD SDG Progress Chart methods: the 2022 CAGR ratio and the 2023 expected-value share."""

import numpy as np
import pandas as pd
import pytest

from millennium.analysis.progress import unsd
from millennium.analysis.progress.panel import Panel, Settings


def one(years, values, assess=unsd.assess_2022, **settings):
    """The result row of a single series 's' with the given observations and settings."""
    panel = Panel.from_long(["s"] * len(years), years, values)
    settings = {"target": 10.0, "direction": -1, **settings}
    return assess(panel, Settings.broadcast(panel.n, **settings)).loc["s"]


def series_with_ratio_2022(ratio):
    """Base 100 in 2015, target 50 by 2030 (lower is better), latest value in 2025 giving CAGR_a = ratio·CAGR_r."""
    required = 0.5 ** (1 / 15) - 1
    return [2015, 2025], [100.0, 100.0 * (1 + ratio * required) ** 10]


def series_with_share_2023(share):
    """Base 100 in 2015, target 50 by 2030, latest value in 2025 whose trend reaches 100 + share·(50 − 100) in 2030."""
    expected = 100.0 + share * (50.0 - 100.0)
    return [2015, 2025], [100.0, 100.0 * (expected / 100.0) ** (10 / 15)]


# --- The worked example of the issue: 20 in 2015, 17 in 2022, target 10 in 2030, lower is better.


def test_assess_2022_worked_example():
    # CAGR_a = (17/20)^(1/7) − 1 = 0.85^(1/7) − 1 = exp(ln 0.85 / 7) − 1 = exp(−0.1625189 / 7) − 1 = −0.0229495
    # CAGR_r = (10/20)^(1/15) − 1 = exp(−0.6931472 / 15) − 1 = exp(−0.0462098) − 1 = −0.0451584
    # CR = −0.0229495 / −0.0451584 = 0.5082 → 0.508: 0.5 ≤ CR < 0.95, fair progress but acceleration needed.
    row = one([2015, 2022], [20.0, 17.0])

    assert round(row["progress_value"], 3) == 0.508
    assert row["progress_value"] == pytest.approx(((17 / 20) ** (1 / 7) - 1) / ((10 / 20) ** (1 / 15) - 1), rel=1e-12)
    assert row["cagr_actual"] == pytest.approx(-0.0229495, abs=1e-7)
    assert row["cagr_required"] == pytest.approx(-0.0451584, abs=1e-7)
    assert row["status"] == "fair_progress"
    assert row["reason"] == ""
    assert (row["base_year"], row["base_value"], row["current_year"], row["current_value"]) == (2015, 20, 2022, 17)
    assert not row["target_met"]


def test_assess_2023_worked_example():
    # Expected 2030 value if the 2015–2022 CAGR continues: 17 · (1 + CAGR_a)^(2030 − 2022)
    #   = 20 · 0.85^(15/7) = 20 · exp(−0.1625189 · 2.1428571) = 20 · exp(−0.3482548) = 20 · 0.7059190 = 14.11838
    # P = (14.11838 − 20) / (10 − 20) = 0.588162 → 0.588: 0.5 ≤ P < 0.95, moderate progress.
    row = one([2015, 2022], [20.0, 17.0], assess=unsd.assess_2023)

    assert round(row["progress_value"], 3) == 0.588
    assert row["expected_value"] == pytest.approx(14.11838, abs=1e-5)
    assert row["status"] == "moderate_progress"
    assert row["reason"] == ""


# --- Bands.


@pytest.mark.parametrize(("ratio", "status"), [
    (1.5, "substantial_progress"),
    (0.96, "substantial_progress"),
    (0.94, "fair_progress"),
    (0.51, "fair_progress"),
    (0.49, "limited_or_no_progress"),
    (0.0, "limited_or_no_progress"),
    (-0.09, "limited_or_no_progress"),
    (-0.11, "deterioration"),
    (-2.0, "deterioration"),
])
def test_assess_2022_bands(ratio, status):
    row = one(*series_with_ratio_2022(ratio), target=50.0)

    assert row["progress_value"] == pytest.approx(ratio, abs=1e-9)
    assert row["status"] == status


@pytest.mark.parametrize(("share", "status"), [
    (0.96, "target_met_or_almost_met"),
    (0.94, "moderate_progress"),
    (0.51, "moderate_progress"),
    (0.49, "marginal_progress"),
    (0.11, "marginal_progress"),
    (0.09, "stagnation"),
    (0.0, "stagnation"),
    (-0.01, "deterioration"),
    (-0.5, "deterioration"),
])
def test_assess_2023_bands(share, status):
    row = one(*series_with_share_2023(share), assess=unsd.assess_2023, target=50.0)

    assert row["progress_value"] == pytest.approx(share, abs=1e-9)
    assert row["status"] == status


def test_assess_2022_higher_is_better():
    # 50 → 60 over 2015–2025, target 100 by 2030: CAGR_a = 1.2^(1/10) − 1 = 0.0183994,
    # CAGR_r = 2^(1/15) − 1 = 0.0472941, CR = 0.389041 → limited or no progress.
    row = one([2015, 2025], [50.0, 60.0], target=100.0, direction=1)

    assert row["progress_value"] == pytest.approx(0.389041, abs=1e-6)
    assert row["status"] == "limited_or_no_progress"


# --- Edge cases (one test each, as listed in the docstrings' Notes).


@pytest.mark.parametrize("assess", [unsd.assess_2022, unsd.assess_2023])
def test_assess_duplicate_years_not_available(assess):
    row = one([2015, 2015, 2022], [20.0, 21.0, 17.0], assess=assess)

    assert (row["status"], row["reason"]) == ("not_available", "duplicate years")
    assert np.isnan(row["progress_value"])


def test_assess_series_without_rows_not_available():
    panel = Panel.from_long(["a", "a"], [2015, 2022], [20.0, 17.0], labels=["a", "empty"])

    out = unsd.assess_2022(panel, Settings.broadcast(2, target=10.0))

    assert list(out.index) == ["a", "empty"]
    assert (out.loc["empty", "status"], out.loc["empty", "reason"]) == ("not_available", "no data")


def test_assess_single_point_not_available():
    row = one([2015], [20.0])

    assert (row["status"], row["reason"]) == ("not_available", "fewer than two years of data")


def test_assess_missing_values_are_dropped():
    # The NaN in 2022 is dropped, so the latest point is 2020: only one year of data is lost, not the series.
    row = one([2015, 2020, 2022], [20.0, 18.0, np.nan])

    assert row["current_year"] == 2020
    assert row["status"] != "not_available"


def test_assess_only_missing_values_not_available():
    row = one([2015, 2022], [np.nan, np.nan])

    assert (row["status"], row["reason"]) == ("not_available", "no data")


def test_assess_no_data_in_or_after_base_year_not_available():
    row = one([2005, 2010], [20.0, 17.0])

    assert (row["status"], row["reason"]) == ("not_available", "no data in or after the base year")


def test_assess_no_data_after_base_year_not_available():
    row = one([2010, 2016], [20.0, 17.0])

    assert (row["status"], row["reason"]) == ("not_available", "no data after the base year")


def test_assess_base_point_is_first_in_or_after_base_year():
    row = one([2012, 2016, 2022], [30.0, 20.0, 17.0])

    assert (row["base_year"], row["base_value"]) == (2016, 20.0)


@pytest.mark.parametrize("direction", [0, np.nan, 2])
def test_assess_bad_direction_not_available(direction):
    row = one([2015, 2022], [20.0, 17.0], direction=direction)

    assert (row["status"], row["reason"]) == ("not_available", "direction must be +1 or -1")


def test_assess_no_base_year_not_available():
    row = one([2015, 2022], [20.0, 17.0], base_year=np.nan)

    assert (row["status"], row["reason"]) == ("not_available", "no base year")


@pytest.mark.parametrize("assess", [unsd.assess_2022, unsd.assess_2023])
def test_assess_no_target_not_available(assess):
    row = one([2015, 2022], [20.0, 17.0], assess=assess, target=np.nan)

    assert (row["status"], row["reason"]) == ("not_available", "no target")


def test_assess_no_target_year_not_available():
    row = one([2015, 2022], [20.0, 17.0], target_year=np.nan)

    assert (row["status"], row["reason"]) == ("not_available", "no target year")


def test_assess_target_year_not_after_base_year_not_available():
    row = one([2015, 2022], [20.0, 17.0], target_year=2015)

    assert (row["status"], row["reason"]) == ("not_available", "target year is not after the base year")


@pytest.mark.parametrize("assess", [unsd.assess_2022, unsd.assess_2023])
def test_assess_base_value_zero_not_available(assess):
    row = one([2015, 2022], [0.0, 17.0], assess=assess)

    assert (row["status"], row["reason"]) == ("not_available", "base value is zero")


@pytest.mark.parametrize("assess", [unsd.assess_2022, unsd.assess_2023])
def test_assess_values_change_sign_not_available(assess):
    row = one([2015, 2022], [20.0, -3.0], assess=assess)

    assert (row["status"], row["reason"]) == ("not_available", "values change sign")


def test_assess_negative_values_not_available():
    row = one([2015, 2022], [-20.0, -17.0], target=-10.0)

    assert (row["status"], row["reason"]) == ("not_available", "negative values")


def test_assess_current_value_zero_allowed():
    # CAGR_a = (0/20)^(1/7) − 1 = −1 (−100 %); 0 ≤ 10 meets the lower-is-better target.
    row = one([2015, 2022], [20.0, 0.0])

    assert row["cagr_actual"] == -1.0
    assert (row["status"], row["target_met"]) == ("substantial_progress", True)


def test_assess_2022_target_zero_not_available():
    row = one([2015, 2022], [20.0, 17.0], target=0.0)

    assert (row["status"], row["reason"]) == ("not_available", "target is zero")


def test_assess_2023_target_zero_allowed():
    # Expected 2030 value 14.11838 (worked example); P = (14.11838 − 20) / (0 − 20) = 0.294081 → marginal progress.
    row = one([2015, 2022], [20.0, 17.0], assess=unsd.assess_2023, target=0.0)

    assert row["progress_value"] == pytest.approx(0.294081, abs=1e-6)
    assert row["status"] == "marginal_progress"


def test_assess_2022_target_of_other_sign_not_available():
    row = one([2015, 2022], [20.0, 17.0], target=-5.0)

    assert (row["status"], row["reason"]) == ("not_available", "target and base value differ in sign")


@pytest.mark.parametrize(("assess", "best"), [(unsd.assess_2022, "substantial_progress"),
                                              (unsd.assess_2023, "target_met_or_almost_met")])
def test_assess_target_already_met_is_best_status(assess, best):
    row = one([2015, 2022], [20.0, 9.0], assess=assess)

    assert (row["status"], row["target_met"], row["reason"]) == (best, True, "")


@pytest.mark.parametrize("assess", [unsd.assess_2022, unsd.assess_2023])
def test_assess_target_met_at_base_then_lost_is_deterioration(assess):
    # Lower is better; 8 already met the target 10 in 2015, 12 no longer does: the ratio has no meaning.
    row = one([2015, 2022], [8.0, 12.0], assess=assess)

    assert (row["status"], row["target_met"]) == ("deterioration", False)
    assert np.isnan(row["progress_value"])


def test_assess_huge_values_do_not_fail():
    row = one([2015, 2016], [1e-300, 1e300], target=1e-200, direction=1)

    assert row["status"] in unsd.STATUSES_2022


# --- Many series at once, and the module's interface.


def test_assess_many_series_keep_label_order():
    panel = Panel.from_long(["b", "a", "b", "a"], [2022, 2015, 2015, 2022], [17.0, 20.0, 20.0, 9.0])

    out = unsd.assess_2022(panel, Settings.broadcast(panel.n, target=10.0, direction=-1))

    assert list(out.index) == ["b", "a"]
    assert list(out["status"]) == ["fair_progress", "substantial_progress"]


def test_assess_per_series_settings():
    panel = Panel.from_long(["a", "a", "b", "b"], [2015, 2022, 2015, 2022], [20.0, 17.0, 20.0, 17.0])

    out = unsd.assess_2022(panel, Settings.broadcast(2, target=[10.0, np.nan], direction=-1))

    assert list(out["status"]) == ["fair_progress", "not_available"]
    assert list(out["reason"]) == ["", "no target"]


def test_assess_dispatches_on_edition():
    panel = Panel.from_long(["s", "s"], [2015, 2022], [20.0, 17.0])
    settings = Settings.broadcast(1, target=10.0)

    pd.testing.assert_frame_equal(unsd.assess(panel, settings, edition=2022), unsd.assess_2022(panel, settings))
    pd.testing.assert_frame_equal(unsd.assess(panel, settings), unsd.assess_2023(panel, settings))


def test_assess_unknown_edition_refused():
    panel = Panel.from_long(["s"], [2015], [20.0])

    with pytest.raises(ValueError, match="`edition` must be 2022 or 2023"):
        unsd.assess(panel, Settings.broadcast(1), edition=2021)


def test_assess_settings_of_wrong_length_refused():
    panel = Panel.from_long(["a", "b"], [2015, 2015], [20.0, 17.0])

    with pytest.raises(ValueError, match="`settings.base_year` must have one value per series"):
        unsd.assess_2022(panel, Settings.broadcast(3))


def test_statuses_cover_both_editions():
    assert set(unsd.STATUSES) == set(unsd.STATUSES_2022) | set(unsd.STATUSES_2023)
    assert unsd.STATUSES[-1] == unsd.STATUSES_2022[-1] == unsd.STATUSES_2023[-1] == "not_available"
    assert set(unsd.LABELS) == set(unsd.STATUSES)
