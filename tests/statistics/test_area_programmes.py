"""An area programme's targeted areas against the rest of the city: means, weights and the trend of the gap."""

import numpy as np
import pandas as pd
import pytest

from millennium.statistics.area_programmes import compute_programme_gap


def frame(rows, columns=("year", "area_id", "value")):
    return pd.DataFrame(rows, columns=list(columns))


def test_means_are_population_weighted_when_every_area_has_a_population():
    observations = frame([(2020, 1, 10.0), (2020, 2, 20.0), (2020, 3, 30.0)])
    population = frame([(2020, 1, 1.0), (2020, 2, 3.0), (2020, 3, 5.0)])

    by_year, _ = compute_programme_gap(observations, population, [1, 2], [3])

    row = by_year.iloc[0]
    assert row["weighted"]
    assert row["programme"] == pytest.approx((10 * 1 + 20 * 3) / 4)  # 17.5
    assert row["rest"] == 30.0
    assert row["difference"] == pytest.approx(-12.5)
    assert row["gap"] == pytest.approx(12.5)


def test_a_year_with_an_area_without_population_is_unweighted():
    observations = frame([(2020, 1, 10.0), (2020, 2, 20.0), (2020, 3, 30.0)])
    population = frame([(2020, 1, 1.0), (2020, 3, 5.0)])

    by_year, _ = compute_programme_gap(observations, population, [1, 2], [3])

    assert not by_year.iloc[0]["weighted"]
    assert by_year.iloc[0]["programme"] == 15.0


def test_years_without_values_on_both_sides_are_left_out_and_other_areas_ignored():
    observations = frame([(2019, 1, 5.0), (2020, 1, 10.0), (2020, 3, 30.0), (2020, 9, 99.0)])

    by_year, trend = compute_programme_gap(observations, frame([]), [1], [3])

    assert by_year["year"].tolist() == [2020]
    assert (by_year.iloc[0]["n_programme"], by_year.iloc[0]["n_rest"]) == (1, 1)
    assert trend["status"] == "not_available"


@pytest.mark.parametrize("gaps, status", [
    ([10.0, 9.0, 8.0, 7.0], "substantial_progress"),  # −11 % a year
    ([10.0, 10.0, 10.0, 10.5], "deterioration"),
])
def test_trend_of_the_gap_from_the_start_year(gaps, status):
    years = [2014, 2016, 2017, 2018]
    observations = frame([(y, 1, 50.0 - g) for y, g in zip(years, gaps)] + [(y, 2, 50.0) for y in years])

    by_year, trend = compute_programme_gap(observations, frame([]), [1], [2], base_year=2016)

    assert np.allclose(by_year["gap"], gaps)
    assert trend["status"] == status
    assert (trend["base_year"], trend["base_value"]) == (2016, gaps[1])
