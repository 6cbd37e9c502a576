"""The spread of a key figure across a region's municipalities, checked against the Kolada files directly."""

import numpy as np
import pandas as pd
import pytest

from millennium.analysis.progress.methods import assess
from millennium.analysis.progress.panel import Panel, Settings
from millennium.places.models import Area
from millennium.statistics.area_gaps import (BASE_YEAR, area_spread, compute_area_spread,
                                             region_overview)
from millennium.statistics.models import Measure, Observation
from tests.conftest import KOLADA

pytestmark = pytest.mark.django_db

SKANE = "12"
KPI = "N00401"  # greenhouse-gas emissions per inhabitant: all 33 municipalities of Skåne, 2000–2022


def kolada_values(kpi: str) -> pd.DataFrame:
    """Year × municipality of Skåne, straight from the Kolada DDF file (codes kept as strings)."""
    municipalities = pd.read_csv(KOLADA / "ddf--entities--geo--kommun.csv", dtype=str)
    skane = municipalities.loc[municipalities["region"] == SKANE, "kommun"]
    column = kpi.lower()
    data = pd.read_csv(KOLADA / "datapoints--by--geo--year" / f"ddf--datapoints--{column}--by--geo--year.csv",
                       dtype={"geo": str})
    data = data[data["geo"].isin(skane)]
    return data.pivot(index="year", columns="geo", values=column).reindex(columns=sorted(skane))


def weighted_cov(values: pd.DataFrame, population: pd.DataFrame | None) -> pd.Series:
    y = values.to_numpy()
    w = np.ones_like(y) if population is None else population.reindex(values.index)[values.columns].to_numpy()
    w = np.where(np.isnan(y), 0.0, w)
    p = w / w.sum(axis=1, keepdims=True)
    mu = np.nansum(p * y, axis=1)
    sd = np.sqrt(np.nansum(p * (y - mu[:, None]) ** 2, axis=1))
    return pd.Series(100 * sd / mu, index=values.index)


def test_area_spread_cov_equals_population_weighted_cov_from_kolada_files():
    values = kolada_values(KPI)
    population = kolada_values("N01951")
    expected = weighted_cov(values, population)

    spread = area_spread(SKANE, KPI)

    assert len(spread.children) == 33
    assert [y.year for y in spread.years] == expected.index.tolist()
    assert all(y.n == 33 and y.weighted for y in spread.years)
    np.testing.assert_allclose([y.cov for y in spread.years], expected.to_numpy(), rtol=1e-12)


def test_area_spread_other_measures_equal_numpy_from_kolada_files():
    values = kolada_values(KPI)
    population = kolada_values("N01951").reindex(values.index)
    year = 2022
    y = values.loc[year].to_numpy()
    p = population.loc[year].to_numpy() / population.loc[year].sum()
    mu = (p * y).sum()

    latest = area_spread(SKANE, KPI).latest_year

    assert latest.year == year
    assert latest.mean == pytest.approx(mu, rel=1e-12)
    assert latest.d == pytest.approx(y.max() - y.min(), rel=1e-12)
    assert latest.r == pytest.approx(y.max() / y.min(), rel=1e-12)
    assert latest.theil == pytest.approx(1000 * (p * y / mu * np.log(y / mu)).sum(), rel=1e-10)
    gini = (p[:, None] * p[None, :] * np.abs(y[:, None] - y[None, :])).sum() / (2 * mu)
    assert latest.gini == pytest.approx(gini, rel=1e-10)


def test_area_spread_trend_equals_engine_on_cov_series():
    cov = weighted_cov(kolada_values(KPI), kolada_values("N01951"))
    panel = Panel.from_long(np.zeros(len(cov)), cov.index.to_numpy(), cov.to_numpy(), labels=[0])
    expected = assess("opensdg", panel, Settings.broadcast(1, base_year=BASE_YEAR, direction=-1,
                                                           target=np.nan)).iloc[0]

    spread = area_spread(SKANE, KPI)

    assert spread.status == expected["status"]
    assert spread.base_year == 2015
    assert spread.base_cov == pytest.approx(cov.loc[2015], rel=1e-12)
    assert spread.current_cov == pytest.approx(cov.loc[2022], rel=1e-12)
    assert spread.trend["progress_value"] == pytest.approx(expected["progress_value"], rel=1e-9)
    assert spread.score == pytest.approx(expected["score"], rel=1e-9)


def test_area_spread_unweighted_in_year_where_population_missing():
    # One municipality without inhabitants for 2022: that whole year falls back to equal weights.
    Observation.objects.filter(measure__code="N01951", area__code="1280", year=2022).delete()
    values = kolada_values(KPI)
    weighted = weighted_cov(values, kolada_values("N01951"))
    unweighted = weighted_cov(values, None)

    years = {y.year: y for y in area_spread(SKANE, KPI).years}

    assert years[2022].weighted is False
    assert years[2022].cov == pytest.approx(unweighted.loc[2022], rel=1e-12)
    assert years[2021].weighted is True
    assert years[2021].cov == pytest.approx(weighted.loc[2021], rel=1e-12)


def test_area_spread_latest_values_for_every_municipality():
    values = kolada_values(KPI).loc[2022]

    spread = area_spread(SKANE, KPI)

    assert [c.area.code for c in spread.latest] == [a.code for a in spread.children]
    assert sorted(c.area.code for c in spread.latest) == values.index.tolist()
    assert {c.area.code: c.value for c in spread.latest} == pytest.approx(values.to_dict(), rel=1e-12)
    malmo = next(c for c in spread.latest if c.area.code == "1280")
    assert malmo.of_mean == pytest.approx(100 * values["1280"] / spread.latest_year.mean, rel=1e-12)


def test_area_spread_unknown_codes_raise():
    with pytest.raises(Area.DoesNotExist):
        area_spread("99", KPI)
    with pytest.raises(Measure.DoesNotExist):
        area_spread(SKANE, "N99999")


def test_area_spread_key_figure_without_municipal_values_is_not_available():
    # A municipality has no children: no years, nothing to judge.
    spread = area_spread("1280", KPI)

    assert spread.years == []
    assert spread.latest == []
    assert spread.status == "not_available"


def test_region_overview_agrees_with_area_spread():
    rows = {row.measure.code: row for row in region_overview(SKANE)}
    spread = area_spread(SKANE, KPI)

    row = rows[KPI]
    assert row.goal_code == "13"
    assert (row.latest_year, row.n) == (2022, 33)
    assert row.cov == pytest.approx(spread.latest_year.cov, rel=1e-12)
    assert (row.status, row.base_year) == (spread.status, spread.base_year)
    assert len(rows) > 30
    assert all(0 < r.n <= 33 for r in rows.values() if r.latest_year is not None)


def test_compute_area_spread_needs_two_children_and_skips_unknown_population():
    observations = pd.DataFrame({"measure_id": [1, 1, 1, 1, 1], "year": [2015, 2016, 2016, 2017, 2017],
                                 "area_id": [10, 10, 11, 10, 11], "value": [5.0, 4.0, 6.0, 4.0, 8.0]})
    population = pd.DataFrame({"year": [2016, 2016, 2017], "area_id": [10, 11, 10],
                               "value": [300.0, 100.0, 300.0]})

    by_year, trend = compute_area_spread(observations, population, [10, 11])

    assert by_year["n"].tolist() == [1, 2, 2]
    assert np.isnan(by_year["cov"].iloc[0])
    assert by_year["weighted"].tolist() == [False, True, False]  # 2015 and 2017 lack a population
    # 2016 weighted 3:1: μ = 4.5, sd = √(0.75·0.25 + 0.25·2.25) = √0.75; 2017 equal: μ = 6, sd = 2.
    np.testing.assert_allclose(by_year["cov"].iloc[1:], [100 * np.sqrt(0.75) / 4.5, 100 * 2 / 6], rtol=1e-12)
    assert by_year["d"].iloc[1:].tolist() == [2.0, 4.0]
    assert trend.loc[1, "status"] == "deterioration"
