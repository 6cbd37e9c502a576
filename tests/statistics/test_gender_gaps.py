"""Gender gaps per key figure: GPI, difference and parity as in the Kolada files, and the gap's trend as the
progress engine judges the series |adjusted GPI − 1| by hand."""

import csv

import numpy as np
import pandas as pd
import pytest

from millennium.analysis.progress import opensdg
from millennium.analysis.progress.panel import Panel, Settings
from millennium.places.models import Area
from millennium.statistics.gender_gaps import TARGET, compute_gender_gaps, gender_gaps
from tests.conftest import KOLADA

pytestmark = pytest.mark.django_db

MALMO = "1280"


def kolada_by_sex(kpi: str, geo: str = MALMO) -> dict[int, tuple[float, float]]:
    """{year: (women, men)} from the Kolada file, years with both sexes only."""
    path = KOLADA / f"datapoints--by--geo--gender--year/ddf--datapoints--{kpi}--by--geo--gender--year.csv"
    values: dict[int, dict[str, float]] = {}
    with path.open() as f:
        for row in csv.DictReader(f):
            if row["geo"] == geo and row[kpi] != "":
                values.setdefault(int(row["year"]), {})[row["gender"]] = float(row[kpi])
    return {year: (v["k"], v["m"]) for year, v in sorted(values.items()) if {"k", "m"} <= v.keys()}


def gap_of(kpi: str):
    return next(g for g in gender_gaps(MALMO) if g.measure.code == kpi.upper())


@pytest.mark.parametrize("kpi", ["n00938", "n00914", "n01801"])
def test_gender_gaps_gpi_and_difference_equal_kolada_files(kpi):
    expected = kolada_by_sex(kpi)

    gap = gap_of(kpi)

    assert [y.year for y in gap.years] == list(expected)
    for y in gap.years:
        women, men = expected[y.year]
        assert (y.women, y.men) == (women, men)
        assert y.gpi == pytest.approx(women / men, rel=1e-12)
        assert y.difference == pytest.approx(women - men, rel=1e-12)


def test_gender_gaps_parity_flag_uses_adjusted_gpi_band():
    by_year = {y.year: y for y in gap_of("n00914").years}
    not_in_parity = gap_of("n00938")

    assert by_year[2021].gpi == pytest.approx(0.9958, abs=1e-4)
    assert by_year[2021].in_parity is True
    assert all(0.97 <= y.adjusted_gpi <= 1.03 for y in by_year.values() if y.in_parity)
    assert all(not (0.97 <= y.adjusted_gpi <= 1.03) for y in by_year.values() if not y.in_parity)
    assert [y.in_parity for y in not_in_parity.years] == [False] * len(not_in_parity.years)


@pytest.mark.parametrize("kpi", ["n00938", "n00914", "n01801"])
def test_gender_gaps_trend_equals_engine_run_by_hand(kpi):
    series = kolada_by_sex(kpi)
    years = np.array(list(series))
    gpi = np.array([w / m for w, m in series.values()])
    adjusted = np.where(gpi > 1, 2 - 1 / gpi, gpi)
    panel = Panel.from_long([kpi] * len(years), years, np.abs(adjusted - 1))
    settings = Settings.broadcast(1, base_year=2015, target_year=2030, direction=-1, target=0.03)
    expected = opensdg.assess(panel, settings).iloc[0]

    gap = gap_of(kpi)

    assert (gap.status, gap.base_year) == (expected.status, expected.base_year)
    assert gap.score == pytest.approx(expected.score, rel=1e-12)
    assert gap.current_gap == pytest.approx(expected.current_value, rel=1e-12)


def test_gender_gaps_trend_of_malmo_n00938_by_formula():
    series = kolada_by_sex("n00938")
    (w0, m0), (w1, m1) = series[2015], series[2022]
    gap0, gap1 = 2 - m0 / w0 - 1, 2 - m1 / w1 - 1  # women's value is higher: adjusted GPI = 2 − 1/GPI
    observed = (gap1 / gap0) ** (1 / 7) - 1
    required = (TARGET / gap0) ** (1 / 15) - 1
    ratio = -observed / abs(required)

    gap = gap_of("n00938")

    assert gap.trend["progress_value"] == pytest.approx(ratio, rel=1e-12)
    assert 0 <= ratio < 0.6
    assert gap.status == "limited_progress"


def test_gender_gaps_only_key_figures_with_both_sexes():
    codes = [g.measure.code for g in gender_gaps(MALMO)]

    assert codes == sorted(codes)
    assert "N00401" not in codes  # not split by sex
    assert len(codes) == len(set(codes))


def test_gender_gaps_unknown_area_raises():
    with pytest.raises(Area.DoesNotExist):
        gender_gaps("9999")


def test_compute_gender_gaps_edge_cases():
    observations = pd.DataFrame({
        "measure_id": [1, 1, 1, 1, 1, 2, 2, 3, 3],
        "year": [2015, 2015, 2020, 2020, 2021, 2015, 2015, 2016, 2016],
        "sex": ["K", "M", "K", "M", "K", "K", "M", "K", "T"],
        "value": [50.0, 100.0, 80.0, 100.0, 90.0, 3.0, 0.0, 1.0, 2.0],
    })

    by_year, trend = compute_gender_gaps(observations)

    assert by_year[["measure_id", "year"]].values.tolist() == [[1, 2015], [1, 2020], [2, 2015]]
    assert by_year["gpi"].tolist()[:2] == [0.5, 0.8]
    assert by_year["difference"].tolist() == [-50.0, -20.0, 3.0]
    assert np.isnan(by_year["gpi"].iloc[2])  # men's value 0: no GPI
    assert by_year["in_parity"].tolist() == [False, False, False]
    assert trend.index.tolist() == [1, 2]
    assert trend.loc[2, "status"] == "not_available"
    assert trend.loc[1, "progress_value"] == pytest.approx(
        -(((0.2 / 0.5) ** (1 / 5) - 1) / abs((0.03 / 0.5) ** (1 / 15) - 1)), rel=1e-12)


def test_compute_gender_gaps_empty():
    by_year, trend = compute_gender_gaps(pd.DataFrame(columns=["measure_id", "year", "sex", "value"]))

    assert (len(by_year), len(trend)) == (0, 0)
