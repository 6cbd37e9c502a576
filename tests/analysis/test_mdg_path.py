"""MDG reference path (World Bank): constant-rate path from the 1990 value to the 2015 target."""

import numpy as np
import pytest

from millennium.analysis.progress import mdg_path
from millennium.analysis.progress.panel import Panel


def one(years, values, target_factor=None, **settings):
    """The result row of a single series 's' with the given observations and MDG settings (1990 → 2015)."""
    panel = Panel.from_long(["s"] * len(years), years, values)
    return mdg_path.assess(panel, mdg_path.mdg_settings(panel.n, **settings), target_factor=target_factor).loc["s"]


# --- Worked examples.


def test_assess_under_five_mortality_possible():
    # 100 in 1990, 60 in 2010; reduce by two thirds → target 100/3 by 2015; lower is better.
    # observed log rate ln(60/100)/20 = −0.5108256/20 = −0.0255413; required ln(1/3)/25 = −1.0986123/25 = −0.0439445
    # ρ = 0.581217: 0.5 ≤ ρ < 1 → possible. Path at 2010: 100·(1/3)^(20/25) = 100·exp(−0.8788898) = 41.52436.
    # At the observed pace the target is reached after 25/0.581217 = 43.013 years: 2033.013.
    row = one([1990, 2010], [100.0, 60.0], target_factor=1 / 3, direction=-1)

    assert row["progress_value"] == pytest.approx(0.581217, abs=1e-6)
    assert row["path_value"] == pytest.approx(41.52436, abs=1e-5)
    assert row["projected_year"] == pytest.approx(2033.013, abs=1e-3)
    assert row["cagr_actual"] == pytest.approx(0.6 ** (1 / 20) - 1, rel=1e-12)
    assert row["cagr_required"] == pytest.approx((1 / 3) ** (1 / 25) - 1, rel=1e-12)
    assert row["target_value"] == pytest.approx(100 / 3, rel=1e-12)
    assert (row["status"], row["reason"], row["target_met"]) == ("possible", "", False)


def test_assess_poverty_halved_likely():
    # 40 % in 1990, 25 % in 2005, halve → 20 %. observed ln(25/40)/15 = −0.4700036/15 = −0.0313336;
    # required ln(0.5)/25 = −0.0277259; ρ = 1.130120 ≥ 1 → likely. Path at 2005: 40·0.5^(15/25) = 26.39016 > 25:
    # ahead of the path.
    row = one([1990, 2005], [40.0, 25.0], target_factor=0.5, direction=-1)

    assert row["progress_value"] == pytest.approx(1.130120, abs=1e-6)
    assert row["path_value"] == pytest.approx(26.39016, abs=1e-5)
    assert row["status"] == "likely"


def test_assess_slow_progress_unlikely():
    # 100 → 90 (1990–2010), target 100/3: observed ln(0.9)/20 = −0.1053605/20 = −0.0052680; ρ = 0.119879 → unlikely.
    row = one([1990, 2010], [100.0, 90.0], target_factor=1 / 3, direction=-1)

    assert row["progress_value"] == pytest.approx(0.119879, abs=1e-6)
    assert row["status"] == "unlikely"


def test_assess_worsening_very_unlikely():
    # 100 → 110: observed ln(1.1)/20 = +0.0047655; ρ = 0.0047655 / −0.0439445 = −0.108444 → very unlikely.
    row = one([1990, 2010], [100.0, 110.0], target_factor=1 / 3, direction=-1)

    assert row["progress_value"] == pytest.approx(-0.108444, abs=1e-6)
    assert np.isnan(row["projected_year"])
    assert row["status"] == "very_unlikely"


def test_assess_no_change_unlikely():
    row = one([1990, 2010], [100.0, 100.0], target_factor=0.5, direction=-1)

    assert (row["progress_value"], row["status"]) == (0.0, "unlikely")


def test_assess_access_to_water_on_limit_scale():
    # 60 % with access in 1990, 75 % in 2008; halve the share without access: target 100 − 0.5·40 = 80.
    # Assessed quantity: share without access, 40 → 25. observed ln(25/40)/18 = −0.4700036/18 = −0.0261113;
    # required ln(20/40)/25 = −0.0277259; ρ = 0.941767 → possible. Path at 2008: 100 − 40·0.5^(18/25)
    # = 100 − 24.28390 = 75.71610 > 75: just behind the path.
    row = one([1990, 2008], [60.0, 75.0], target_factor=0.5, direction=1, limit=100.0)

    assert row["target_value"] == 80.0
    assert row["progress_value"] == pytest.approx(0.941767, abs=1e-6)
    assert row["path_value"] == pytest.approx(75.71610, abs=1e-5)
    assert (row["status"], row["on_limit_scale"]) == ("possible", True)


def test_assess_higher_is_better_without_limit():
    # Ratio of girls to boys 0.8 in 1990, 0.9 in 2000, target 1.0 by 2015 (absolute):
    # observed ln(1.125)/10 = 0.0117783; required ln(1.25)/25 = 0.0089257; ρ = 1.319588 → likely.
    row = one([1990, 2000], [0.8, 0.9], target=1.0, direction=1)

    assert row["progress_value"] == pytest.approx(1.319588, abs=1e-6)
    assert row["status"] == "likely"


def test_assess_target_met():
    row = one([1990, 2005], [40.0, 19.0], target_factor=0.5, direction=-1)

    assert (row["status"], row["target_met"]) == ("target_met", True)


def test_assess_target_met_at_base_then_lost_very_unlikely():
    row = one([1990, 2005], [10.0, 30.0], target=20.0, direction=-1)

    assert (row["status"], row["target_met"]) == ("very_unlikely", False)
    assert np.isnan(row["progress_value"])


# --- Settings and relative targets.


def test_mdg_settings_use_mdg_years():
    settings = mdg_path.mdg_settings(2, direction=1)

    assert settings.base_year.tolist() == [1990, 1990]
    assert settings.target_year.tolist() == [2015, 2015]
    assert settings.direction.tolist() == [1, 1]


@pytest.mark.parametrize(("base", "factor", "limit", "target"), [
    (40.0, 0.5, np.nan, 20.0),  # halve
    (90.0, 1 / 3, np.nan, 30.0),  # reduce by two thirds
    (400.0, 0.25, np.nan, 100.0),  # reduce by three quarters
    (60.0, 0.5, 100.0, 80.0),  # halve the share without access: 100 − 0.5 · 40
    (50.0, 0.5, 0.0, 25.0),  # a limit of 0 is the same as none
    (np.nan, 0.5, np.nan, np.nan),
])
def test_relative_target(base, factor, limit, target):
    result = mdg_path.relative_target(base, factor, limit=limit)

    np.testing.assert_allclose(result, target, rtol=1e-12)


def test_assess_target_factor_nan_falls_back_to_absolute_target():
    panel = Panel.from_long(["a", "a", "b", "b"], [1990, 2010, 1990, 2010], [100.0, 60.0, 100.0, 60.0])
    settings = mdg_path.mdg_settings(2, direction=-1, target=[np.nan, 50.0])

    out = mdg_path.assess(panel, settings, target_factor=[1 / 3, np.nan])

    assert out["target_value"].tolist() == pytest.approx([100 / 3, 50.0])


# --- Edge cases.


def test_assess_duplicate_years_not_available():
    row = one([1990, 1990, 2010], [100.0, 90.0, 60.0], target_factor=0.5, direction=-1)

    assert (row["status"], row["reason"]) == ("not_available", "duplicate years")


def test_assess_single_point_not_available():
    row = one([1990], [100.0], target_factor=0.5, direction=-1)

    assert (row["status"], row["reason"]) == ("not_available", "fewer than two years of data")


def test_assess_no_data_after_base_year_not_available():
    row = one([1985, 1995], [100.0, 90.0], target_factor=0.5, direction=-1)

    assert (row["status"], row["reason"]) == ("not_available", "no data after the base year")


def test_assess_bad_direction_not_available():
    row = one([1990, 2010], [100.0, 60.0], target_factor=0.5, direction=np.nan)

    assert (row["status"], row["reason"]) == ("not_available", "direction must be +1 or -1")


def test_assess_no_target_not_available():
    row = one([1990, 2010], [100.0, 60.0], direction=-1)

    assert (row["status"], row["reason"]) == ("not_available", "no target")


def test_assess_no_target_year_not_available():
    row = one([1990, 2010], [100.0, 60.0], target_factor=0.5, direction=-1, target_year=np.nan)

    assert (row["status"], row["reason"]) == ("not_available", "no target year")


def test_assess_target_year_not_after_base_year_not_available():
    row = one([1990, 2010], [100.0, 60.0], target_factor=0.5, direction=-1, target_year=1990)

    assert (row["status"], row["reason"]) == ("not_available", "target year is not after the base year")


def test_assess_base_value_at_limit_not_available():
    row = one([1990, 2010], [100.0, 95.0], target=99.0, direction=1, limit=100.0)

    assert (row["status"], row["reason"]) == ("not_available", "base value at the natural limit")


def test_assess_value_beyond_limit_not_available():
    row = one([1990, 2010], [60.0, 105.0], target=80.0, direction=1, limit=100.0)

    assert (row["status"], row["reason"]) == ("not_available", "value beyond the natural limit")


def test_assess_target_at_limit_not_available():
    row = one([1990, 2010], [60.0, 75.0], target=100.0, direction=1, limit=100.0)

    assert (row["status"], row["reason"]) == ("not_available", "target at the natural limit")


def test_assess_target_beyond_limit_not_available():
    row = one([1990, 2010], [60.0, 75.0], target=120.0, direction=1, limit=100.0)

    assert (row["status"], row["reason"]) == ("not_available", "target beyond the natural limit")


def test_assess_base_value_zero_not_available():
    row = one([1990, 2010], [0.0, 60.0], target=10.0, direction=1)

    assert (row["status"], row["reason"]) == ("not_available", "base value is zero")


def test_assess_values_change_sign_not_available():
    row = one([1990, 2010], [10.0, -60.0], target=5.0, direction=-1)

    assert (row["status"], row["reason"]) == ("not_available", "values change sign")


def test_assess_negative_values_not_available():
    row = one([1990, 2010], [-10.0, -6.0], target=-5.0, direction=1)

    assert (row["status"], row["reason"]) == ("not_available", "negative values")


def test_assess_target_zero_not_available():
    row = one([1990, 2010], [10.0, 6.0], target=0.0, direction=-1)

    assert (row["status"], row["reason"]) == ("not_available", "target is zero")


def test_assess_target_of_other_sign_not_available():
    row = one([1990, 2010], [10.0, 6.0], target=-1.0, direction=-1)

    assert (row["status"], row["reason"]) == ("not_available", "target and base value differ in sign")


def test_assess_current_value_zero_meets_lower_target():
    row = one([1990, 2010], [10.0, 0.0], target_factor=0.5, direction=-1)

    assert (row["status"], row["target_met"]) == ("target_met", True)


def test_statuses_and_labels_agree():
    assert mdg_path.STATUSES == ("target_met", "likely", "possible", "unlikely", "very_unlikely", "not_available")
    assert set(mdg_path.LABELS) == set(mdg_path.STATUSES)
