"""Eurostat EU SDG monitoring method: ratio of growth rates with a target, signed growth rate without."""

import numpy as np
import pytest

from millennium.analysis.progress import eurostat
from millennium.analysis.progress.panel import Panel, Settings


def one(years, values, period=None, **settings):
    """The result row of a single series 's' with the given observations and settings."""
    panel = Panel.from_long(["s"] * len(years), years, values)
    return eurostat.assess(panel, Settings.broadcast(panel.n, **settings), period=period).loc["s"]


def series_with_ratio(ratio):
    """Base 100 in 2015, target 50 by 2030 (lower is better), latest value in 2025 giving CAGR_a = ratio·CAGR_r."""
    required = 0.5 ** (1 / 15) - 1
    return [2015, 2025], [100.0, 100.0 * (1 + ratio * required) ** 10]


# --- Worked examples.


def test_assess_with_target_worked_example():
    # 20 in 2015, 17 in 2022, target 10 in 2030, lower is better: the same ratio as the UNSD 2022 example,
    # CAGR_a / CAGR_r = −0.0229495 / −0.0451584 = 0.508 → 0 ≤ R < 60 %: insufficient progress.
    row = one([2015, 2022], [20.0, 17.0], base_year=2015, target=10.0, direction=-1)

    assert round(row["progress_value"], 3) == 0.508
    assert (row["status"], row["basis"], row["reason"]) == ("insufficient_progress", "target", "")


def test_assess_direction_only_worked_example():
    # 100 in 2010, 110 in 2020, higher is better, no target: CAGR = 1.1^(1/10) − 1 = exp(0.0953102 / 10) − 1
    # = 0.0095766 → 0 ≤ 0.96 % ≤ 1 %: moderate progress.
    row = one([2010, 2020], [100.0, 110.0], base_year=2010, direction=1)

    assert row["progress_value"] == pytest.approx(0.0095766, abs=1e-7)
    assert (row["status"], row["basis"]) == ("moderate_progress", "direction")
    assert np.isnan(row["cagr_required"])


@pytest.mark.parametrize(("years", "direction", "growth", "status"), [
    # 1.1^(1/10) − 1 = 0.0095766; 1.1^(1/5) − 1 = exp(0.0953102 / 5) − 1 = 0.0192449.
    ([2010, 2020], 1, 0.0095766, "moderate_progress"),
    ([2010, 2020], -1, -0.0095766, "moderate_movement_away"),
    ([2010, 2015], 1, 0.0192449, "significant_progress"),
    ([2010, 2015], -1, -0.0192449, "significant_movement_away"),
])
def test_assess_direction_only_bands(years, direction, growth, status):
    row = one(years, [100.0, 110.0], base_year=2010, direction=direction)

    assert row["progress_value"] == pytest.approx(growth, abs=1e-7)
    assert row["status"] == status


def test_assess_direction_only_no_change_is_moderate_progress():
    row = one([2010, 2020], [100.0, 100.0], base_year=2010, direction=1)

    assert (row["progress_value"], row["status"]) == (0.0, "moderate_progress")


@pytest.mark.parametrize(("ratio", "status"), [
    (1.3, "significant_progress"),
    (0.96, "significant_progress"),
    (0.94, "moderate_progress"),
    (0.61, "moderate_progress"),
    (0.59, "insufficient_progress"),
    (0.0, "insufficient_progress"),
    (-0.01, "movement_away"),
])
def test_assess_with_target_bands(ratio, status):
    row = one(*series_with_ratio(ratio), base_year=2015, target=50.0, direction=-1)

    assert row["progress_value"] == pytest.approx(ratio, abs=1e-9)
    assert row["status"] == status


# --- Periods.


YEARLY = list(range(2000, 2023))
VALUES = [100.0 + year - 2000 for year in YEARLY]


@pytest.mark.parametrize(("period", "base_year", "expected_base"), [
    ("long", 2015, 2007),  # Eurostat's long term: the 15 years up to 2022, whatever the settings say
    ("short", 2015, 2017),  # short term: the last 5 years
    (None, 2015, 2015),  # the settings' base year
    (None, np.nan, 2007),  # the settings give none: the long-term rule
])
def test_assess_period_sets_base_year(period, base_year, expected_base):
    row = one(YEARLY, VALUES, period=period, base_year=base_year, direction=1)

    assert (row["base_year"], row["current_year"]) == (expected_base, 2022)
    assert row["base_value"] == 100.0 + expected_base - 2000


def test_assess_short_period_without_data_after_base_not_available():
    # Short term for a series ending in 2022 starts in 2017; the first point in or after 2017 is 2022 itself.
    row = one([2010, 2022], [100.0, 120.0], period="short", direction=1)

    assert (row["status"], row["reason"]) == ("not_available", "no data after the base year")


def test_assess_unknown_period_refused():
    panel = Panel.from_long(["s"], [2015], [1.0])

    with pytest.raises(ValueError, match="`period` must be None, 'long' or 'short'"):
        eurostat.assess(panel, Settings.broadcast(1), period="medium")


# --- Edge cases.


def test_assess_duplicate_years_not_available():
    row = one([2015, 2015, 2022], [20.0, 21.0, 17.0], direction=-1)

    assert (row["status"], row["reason"]) == ("not_available", "duplicate years")


def test_assess_single_point_not_available():
    row = one([2015], [20.0], direction=-1)

    assert (row["status"], row["reason"]) == ("not_available", "fewer than two years of data")


def test_assess_no_data_in_or_after_base_year_not_available():
    row = one([2005, 2010], [20.0, 17.0], base_year=2015, direction=-1)

    assert (row["status"], row["reason"]) == ("not_available", "no data in or after the base year")


def test_assess_bad_direction_not_available():
    row = one([2015, 2022], [20.0, 17.0], direction=0)

    assert (row["status"], row["reason"]) == ("not_available", "direction must be +1 or -1")


def test_assess_base_value_zero_not_available():
    row = one([2015, 2022], [0.0, 17.0], direction=-1)

    assert (row["status"], row["reason"]) == ("not_available", "base value is zero")


def test_assess_values_change_sign_not_available():
    row = one([2015, 2022], [-2.0, 17.0], direction=-1)

    assert (row["status"], row["reason"]) == ("not_available", "values change sign")


def test_assess_negative_values_not_available():
    row = one([2015, 2022], [-20.0, -17.0], direction=-1)

    assert (row["status"], row["reason"]) == ("not_available", "negative values")


def test_assess_no_target_year_not_available():
    row = one([2015, 2022], [20.0, 17.0], target=10.0, target_year=np.nan, direction=-1)

    assert (row["status"], row["reason"]) == ("not_available", "no target year")


def test_assess_no_target_year_is_fine_without_target():
    row = one([2015, 2022], [20.0, 17.0], target_year=np.nan, direction=-1)

    assert (row["basis"], row["reason"]) == ("direction", "")


def test_assess_target_year_not_after_base_year_not_available():
    row = one([2015, 2022], [20.0, 17.0], target=10.0, target_year=2010, direction=-1)

    assert (row["status"], row["reason"]) == ("not_available", "target year is not after the base year")


def test_assess_target_zero_not_available():
    row = one([2015, 2022], [20.0, 17.0], target=0.0, direction=-1)

    assert (row["status"], row["reason"]) == ("not_available", "target is zero")


def test_assess_target_of_other_sign_not_available():
    row = one([2015, 2022], [20.0, 17.0], target=-1.0, direction=-1)

    assert (row["status"], row["reason"]) == ("not_available", "target and base value differ in sign")


def test_assess_target_already_met_is_significant_progress():
    row = one([2015, 2022], [20.0, 9.0], target=10.0, direction=-1)

    assert (row["status"], row["target_met"]) == ("significant_progress", True)


def test_assess_target_met_at_base_then_lost_is_movement_away():
    row = one([2015, 2022], [8.0, 12.0], target=10.0, direction=-1)

    assert (row["status"], row["target_met"]) == ("movement_away", False)
    assert np.isnan(row["progress_value"])


def test_assess_mixed_target_and_direction_series():
    panel = Panel.from_long(["a", "a", "b", "b"], [2015, 2022, 2010, 2020], [20.0, 17.0, 100.0, 110.0])
    settings = Settings.broadcast(2, base_year=[2015, 2010], target=[10.0, np.nan], direction=[-1, 1])

    out = eurostat.assess(panel, settings)

    assert list(out["basis"]) == ["target", "direction"]
    assert list(out["status"]) == ["insufficient_progress", "moderate_progress"]


def test_statuses_and_labels_agree():
    assert eurostat.STATUSES[-1] == "not_available"
    assert set(eurostat.LABELS) == set(eurostat.STATUSES)
