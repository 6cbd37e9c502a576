"""The method registry, and properties every method keeps whatever the input."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from millennium.analysis.progress import eurostat, mdg_path, methods, unsd
from millennium.analysis.progress.panel import Panel, Settings

N_SERIES = 5

# Values: anything a file may hold — finite, zero, negative, tiny, huge, missing (NaN) and infinite.
values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 10.0, 100.0, 1e-300, 1e300, np.nan]),
)
# Rows of a long table: series code, year, value. Few series and years, so duplicates are common.
rows = st.lists(st.tuples(st.integers(0, N_SERIES - 1), st.integers(1985, 2035), values), max_size=40)
# Per-series settings, including the nonsensical (direction 0, target year before base year).
per_series = st.fixed_dictionaries({
    "base_year": st.sampled_from([1990.0, 2000.0, 2015.0, np.nan]),
    "target_year": st.sampled_from([1990.0, 2015.0, 2030.0, np.nan]),
    "direction": st.sampled_from([1.0, -1.0, 0.0, np.nan]),
    "target": st.one_of(st.floats(allow_nan=True, allow_infinity=False), st.sampled_from([0.0, np.nan, 50.0])),
    "limit": st.sampled_from([np.nan, 0.0, 100.0, -5.0]),
})

CASES = {
    "unsd2022": (lambda p, s: unsd.assess_2022(p, s), unsd.STATUSES_2022),
    "unsd2023": (lambda p, s: unsd.assess_2023(p, s), unsd.STATUSES_2023),
    "eurostat": (lambda p, s: eurostat.assess(p, s), eurostat.STATUSES),
    "eurostat_short": (lambda p, s: eurostat.assess(p, s, period="short"), eurostat.STATUSES),
    "mdg_path": (lambda p, s: mdg_path.assess(p, s), mdg_path.STATUSES),
    "mdg_path_relative": (lambda p, s: mdg_path.assess(p, s, target_factor=0.5), mdg_path.STATUSES),
}
REQUIRED = ["status", "reason", "base_year", "base_value", "current_year", "current_value", "progress_value"]


def build(table, series_settings):
    codes, years, vals = zip(*table) if table else ((), (), ())
    panel = Panel.from_long(np.array(codes, dtype=int), np.array(years, dtype=int), np.array(vals, dtype=float),
                            labels=np.arange(N_SERIES))
    columns = {key: [s[key] for s in series_settings] for key in series_settings[0]}
    return panel, Settings.broadcast(N_SERIES, **columns)


@pytest.mark.parametrize("case", sorted(CASES))
@hypothesis_settings(max_examples=150, deadline=None)
@given(table=rows, series_settings=st.lists(per_series, min_size=N_SERIES, max_size=N_SERIES))
def test_method_never_raises_and_keeps_its_vocabulary(case, table, series_settings):
    assess, statuses = CASES[case]
    panel, settings = build(table, series_settings)

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from numpy either
        out = assess(panel, settings)

    assert isinstance(out, pd.DataFrame)
    assert list(out.index) == list(range(N_SERIES))
    assert set(REQUIRED) <= set(out.columns)
    assert set(out["status"]) <= set(statuses)
    missing = out["status"] == "not_available"
    assert ((out["reason"] != "") == missing).all()
    assert out.loc[missing, "progress_value"].isna().all()


@pytest.mark.parametrize("case", sorted(CASES))
@hypothesis_settings(max_examples=50, deadline=None)
@given(table=rows, series_settings=st.lists(per_series, min_size=N_SERIES, max_size=N_SERIES))
def test_method_marks_every_series_with_duplicate_years(case, table, series_settings):
    assess, _ = CASES[case]
    table = table + [(0, 2000, 1.0), (0, 2000, 2.0)]
    panel, settings = build(table, series_settings)

    out = assess(panel, settings)

    assert (out.loc[0, "status"], out.loc[0, "reason"]) == ("not_available", "duplicate years")


@pytest.mark.parametrize("case", sorted(CASES))
def test_method_handles_empty_panel(case):
    assess, _ = CASES[case]
    panel = Panel.from_long([], [], [], labels=np.array([], dtype=object))

    out = assess(panel, Settings.broadcast(0))

    assert out.empty
    assert set(REQUIRED) <= set(out.columns)


# --- Registry.


def test_methods_registry_names():
    assert sorted(methods.METHODS) == ["eurostat", "mdg_path", "opensdg", "unsd2022", "unsd2023"]


def test_methods_registry_entries_are_callable_before_import():
    # Listing the registry must not need the method modules (opensdg.py may not exist yet).
    assert all(callable(method) for method in methods.METHODS.values())
    assert repr(methods.METHODS["opensdg"]) == "<progress method opensdg.assess>"


@pytest.mark.parametrize(("name", "direct"), [
    ("unsd2022", unsd.assess_2022),
    ("unsd2023", unsd.assess_2023),
    ("eurostat", eurostat.assess),
    ("mdg_path", mdg_path.assess),
])
def test_methods_assess_matches_module(name, direct):
    panel = Panel.from_long(["a", "a", "b", "b"], [2015, 2022, 1990, 2010], [20.0, 17.0, 100.0, 60.0])
    settings = Settings.broadcast(2, base_year=[2015, 1990], target_year=[2030, 2015], target=[10.0, 50.0])

    pd.testing.assert_frame_equal(methods.assess(name, panel, settings), direct(panel, settings))


def test_methods_assess_passes_options():
    panel = Panel.from_long(["a"] * 23, range(2000, 2023), np.linspace(100, 122, 23))
    settings = Settings.broadcast(1, direction=1)

    out = methods.assess("eurostat", panel, settings, period="short")

    assert out.loc["a", "base_year"] == 2017


def test_methods_assess_unknown_method_refused():
    panel = Panel.from_long(["a"], [2015], [1.0])

    with pytest.raises(ValueError, match="`method` must be one of"):
        methods.assess("sdsn", panel, Settings.broadcast(1))
