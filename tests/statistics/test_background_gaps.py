"""Gaps by background per pair: ratio and difference as in the Kolada files, and the gap's trend as the
progress engine judges the series |adjusted ratio − 1| by hand."""

import csv

import numpy as np
import pandas as pd
import pytest

from millennium.analysis.progress import opensdg
from millennium.analysis.progress.panel import Panel, Settings
from millennium.places.models import Area
from millennium.statistics.background_gaps import (BackgroundPair, background_gaps, compute_background_gaps,
                                                   read_pairs)
from tests.conftest import KOLADA

pytestmark = pytest.mark.django_db

MALMO = "1280"
VOTED = ("u65861", "u65860")  # Utrikes / Inrikes födda som röstade i senaste kommunfullmäktigevalet


def kolada_total(kpi: str, geo: str = MALMO) -> dict[int, float]:
    """{year: value} from the Kolada file of totals for both sexes."""
    path = KOLADA / f"datapoints--by--geo--year/ddf--datapoints--{kpi}--by--geo--year.csv"
    with path.open() as f:
        return {int(r["year"]): float(r[kpi]) for r in csv.DictReader(f) if r["geo"] == geo and r[kpi] != ""}


def kolada_pair(foreign: str, swedish: str) -> dict[int, tuple[float, float]]:
    f, s = kolada_total(foreign), kolada_total(swedish)
    return {year: (f[year], s[year]) for year in sorted(f.keys() & s.keys())}


def voted_gap():
    return next(g for g in background_gaps(MALMO) if g.foreign.code == VOTED[0].upper())


def test_read_pairs_have_data_files_and_differ_only_in_background():
    pairs = read_pairs()

    assert [(p.foreign_kpi, p.swedish_kpi) for p in pairs] == [("U65861", "U65860")]
    for p in pairs:
        for kpi in (p.foreign_kpi, p.swedish_kpi):
            assert (KOLADA / f"datapoints--by--geo--year/ddf--datapoints--{kpi.lower()}--by--geo--year.csv").exists()


def test_background_gaps_ratio_and_difference_equal_kolada_files():
    expected = kolada_pair(*VOTED)

    gap = voted_gap()

    assert [y.year for y in gap.years] == list(expected) == [2018, 2019, 2020, 2021, 2022]
    for y in gap.years:
        foreign, swedish = expected[y.year]
        assert (y.foreign, y.swedish) == (foreign, swedish)
        assert y.ratio == pytest.approx(foreign / swedish, rel=1e-12)
        assert y.difference == pytest.approx(foreign - swedish, rel=1e-12)
    assert gap.latest.ratio == pytest.approx(53 / 87, rel=1e-12)
    assert gap.latest.in_parity is False


def test_background_gaps_trend_equals_engine_run_by_hand():
    series = kolada_pair(*VOTED)
    years = np.array(list(series))
    ratio = np.array([f / s for f, s in series.values()])
    adjusted = np.where(ratio > 1, 2 - 1 / ratio, ratio)
    panel = Panel.from_long(["voted"] * len(years), years, np.abs(adjusted - 1))
    settings = Settings.broadcast(1, base_year=2015, target_year=2030, direction=-1, target=0.03)
    expected = opensdg.assess(panel, settings).iloc[0]

    gap = voted_gap()

    assert (gap.status, gap.base_year) == (expected.status, expected.base_year)
    assert gap.current_gap == pytest.approx(expected.current_value, rel=1e-12)
    assert gap.base_gap == pytest.approx(1 - 60 / 89, rel=1e-12)
    assert gap.status == "deterioration"  # 60/89 = 0.67 in 2018, 53/87 = 0.61 in 2022


def test_background_gaps_skips_pairs_not_in_store():
    pairs = [BackgroundPair("U65861", "X00000", "saknas", ""), BackgroundPair("U65861", "U65860", "röstade", "")]

    result = background_gaps(MALMO, pairs=pairs)

    assert [g.pair.topic_sv for g in result] == ["röstade"]


def test_background_gaps_unknown_area_raises():
    with pytest.raises(Area.DoesNotExist):
        background_gaps("9999")


def test_compute_background_gaps_edge_cases():
    observations = pd.DataFrame({
        "pair": [0, 0, 0, 0, 0, 1, 1],
        "year": [2015, 2015, 2020, 2020, 2021, 2015, 2015],
        "group": ["foreign", "swedish", "foreign", "swedish", "foreign", "foreign", "swedish"],
        "value": [50.0, 100.0, 80.0, 100.0, 90.0, 3.0, 0.0],
    })

    by_year, trend = compute_background_gaps(observations)

    assert by_year[["pair", "year"]].values.tolist() == [[0, 2015], [0, 2020], [1, 2015]]
    assert by_year["ratio"].tolist()[:2] == [0.5, 0.8]
    assert by_year["difference"].tolist() == [-50.0, -20.0, 3.0]
    assert np.isnan(by_year["ratio"].iloc[2])  # Swedish-born value 0: no ratio
    assert trend.index.tolist() == [0, 1]
    assert trend.loc[1, "status"] == "not_available"


def test_compute_background_gaps_empty():
    by_year, trend = compute_background_gaps(pd.DataFrame(columns=["pair", "year", "group", "value"]))

    assert (len(by_year), len(trend)) == (0, 0)
