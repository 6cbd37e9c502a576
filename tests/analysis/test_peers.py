"""Similar areas: z-scores, weighted distance, the k nearest and why (millennium.analysis.peers)."""

import math

import numpy as np
import pandas as pd
import pytest

from millennium.analysis.peers import all_nearest, distances, nearest, standardise

# Three pairs far apart: (a, b), (c, d), (e, f).
PAIRS = pd.DataFrame({"x": [0.0, 0.1, 5.0, 5.2, 10.0, 10.0], "y": [0.0, 0.0, 5.0, 5.0, 0.0, 0.3]},
                     index=list("abcdef"))


def peers_of(result: pd.DataFrame) -> dict:
    return {code: rows["peer"].tolist() for code, rows in result.groupby("code", sort=False)}


# --- Standardisation.


def test_standardise_zscores_with_population_sd():
    z = standardise(pd.DataFrame({"v": [1.0, 2.0, 3.0, 6.0]}))

    # mean 3, population SD sqrt((4 + 1 + 0 + 9) / 4) = sqrt(3.5)
    assert z["v"].tolist() == pytest.approx([-2 / math.sqrt(3.5), -1 / math.sqrt(3.5), 0.0, 3 / math.sqrt(3.5)])


def test_standardise_log_transform():
    z = standardise(pd.DataFrame({"pop": [10.0, 100.0, 1000.0]}), transforms={"pop": "log"})

    assert z["pop"].tolist() == pytest.approx([-math.sqrt(1.5), 0.0, math.sqrt(1.5)])


def test_standardise_missing_values_stay_missing_and_are_left_out_of_mean_and_sd():
    z = standardise(pd.DataFrame({"v": [1.0, np.nan, 3.0]}))

    assert z["v"].tolist()[0] == pytest.approx(-1.0)
    assert np.isnan(z["v"].tolist()[1])
    assert z["v"].tolist()[2] == pytest.approx(1.0)


def test_standardise_constant_column_is_zero():
    z = standardise(pd.DataFrame({"v": [4.0, 4.0, np.nan]}))

    assert z["v"].tolist()[:2] == [0.0, 0.0]


def test_standardise_log_of_non_positive_value_refused():
    with pytest.raises(ValueError, match="column 'pop' is to be logged but has a value ≤ 0 \\(area 'b': 0.0\\)"):
        standardise(pd.DataFrame({"pop": [5.0, 0.0]}, index=["a", "b"]), transforms={"pop": "log"})


# --- Distances.


def test_distances_weighted_root_mean_square_of_standardised_differences():
    t = pd.DataFrame({"x": [0.0, 2.0], "y": [0.0, 4.0]}, index=["a", "b"])

    d = distances(t, {"x": 3.0, "y": 1.0})

    # z: x = [-1, 1], y = [-1, 1]; both differences are 2: sqrt((3·4 + 1·4) / 4) = 2
    assert d.loc["a", "b"] == pytest.approx(2.0)
    assert (d.loc["a", "a"], d.loc["b", "b"]) == (0.0, 0.0)


def test_distances_match_a_direct_computation_with_missing_values():
    rng = np.random.default_rng(7)
    values = rng.normal(size=(12, 4))
    values[rng.random(values.shape) < 0.15] = np.nan
    t = pd.DataFrame(values, columns=list("pqrs"))
    w = np.array([2.0, 1.0, 0.5, 0.25])

    d = distances(t, w, min_shared=0.0).to_numpy()

    z = standardise(t).to_numpy()
    for i in range(12):
        for j in range(12):
            both = ~np.isnan(z[i]) & ~np.isnan(z[j])
            expected = 0.0 if i == j else math.sqrt((w[both] * (z[i, both] - z[j, both]) ** 2).sum() / w[both].sum())
            assert d[i, j] == pytest.approx(expected, rel=1e-12)


def test_distances_missing_figure_is_reweighted_to_the_full_weight():
    t = pd.DataFrame({"x": [0.0, 1.0, 2.0], "y": [0.0, np.nan, 2.0]}, index=["a", "b", "c"])

    d = distances(t)

    # b has no y: its distance is the x difference alone, not shrunk by the missing figure
    z_x = standardise(t)["x"]
    assert d.loc["a", "b"] == pytest.approx(abs(z_x["a"] - z_x["b"]))


def test_distances_below_min_shared_are_missing():
    t = pd.DataFrame({"x": [0.0, 1.0, 2.0], "y": [0.0, np.nan, 2.0], "z": [1.0, np.nan, 0.0]})

    d = distances(t, min_shared=0.5)

    # row 1 shares 1 of 3 figures with the others: below half the weight
    assert np.isnan(d.loc[0, 1]) and np.isnan(d.loc[1, 2])
    assert not np.isnan(d.loc[0, 2])


# --- Nearest areas.


def test_all_nearest_finds_the_known_neighbours():
    result = all_nearest(PAIRS, k=1)

    assert peers_of(result) == {"a": ["b"], "b": ["a"], "c": ["d"], "d": ["c"], "e": ["f"], "f": ["e"]}
    assert result.columns.tolist() == ["code", "rank", "peer", "distance", "similar_on", "differs_on"]


def test_all_nearest_k_peers_nearest_first_never_itself():
    result = all_nearest(PAIRS, k=3)

    assert result.groupby("code").size().tolist() == [3] * 6
    assert result["rank"].tolist() == [1, 2, 3] * 6
    assert (result["code"] != result["peer"]).all()
    assert result.groupby("code")["distance"].apply(lambda s: s.is_monotonic_increasing).all()
    # After b: e and f, 10 away in x only (2.46 SD, distance 1.741), just before c (5 away in x and in y:
    # 1.23 and 2.15 SD, distance 1.753); the scales differ because x spreads more than y.
    assert peers_of(result)["a"] == ["b", "e", "f"]


def test_all_nearest_k_larger_than_the_table_gives_every_other_area():
    result = all_nearest(PAIRS, k=10)

    assert result.groupby("code").size().tolist() == [5] * 6


def test_nearest_equals_the_row_of_all_nearest():
    one = nearest(PAIRS, "c", k=3)
    every = all_nearest(PAIRS, k=3)

    row = every[every["code"] == "c"]
    assert one["peer"].tolist() == row["peer"].tolist()
    assert one["distance"].tolist() == pytest.approx(row["distance"].tolist(), rel=1e-15)
    assert one.index.tolist() == [1, 2, 3]


def test_nearest_unknown_code_raises():
    with pytest.raises(KeyError, match="`code` 'z' is not in the table's index"):
        nearest(PAIRS, "z")


def test_nearest_ties_come_in_table_order():
    t = pd.DataFrame({"x": [1.0, 0.0, 2.0, 1.0]}, index=["p", "q", "r", "s"])

    # q and r are both one step from p; s is identical to p
    assert nearest(t, "p", k=3)["peer"].tolist() == ["s", "q", "r"]


@pytest.mark.parametrize(("weights", "expected"), [
    ({"x": 1.0, "y": 0.01}, ["b", "c"]),  # by x: b (0.1 away), then c
    ({"x": 0.01, "y": 1.0}, ["c", "b"]),  # by y: c (same y), then b
])
def test_nearest_weights_decide_the_order(weights, expected):
    t = pd.DataFrame({"x": [0.0, 0.1, 1.0], "y": [0.0, 1.0, 0.0]}, index=["a", "b", "c"])

    assert nearest(t, "a", k=2, weights=weights)["peer"].tolist() == expected


def test_nearest_weights_as_array_in_column_order():
    t = pd.DataFrame({"x": [0.0, 0.1, 1.0], "y": [0.0, 1.0, 0.0]}, index=["a", "b", "c"])

    assert nearest(t, "a", k=2, weights=[0.01, 1.0])["peer"].tolist() == ["c", "b"]


def test_nearest_weight_zero_ignores_the_column_also_in_explanations():
    t = pd.DataFrame({"x": [0.0, 0.1, 1.0], "noise": [0.0, 9.0, 0.0]}, index=["a", "b", "c"])

    result = nearest(t, "a", k=2, weights={"noise": 0})

    assert result["peer"].tolist() == ["b", "c"]
    assert result.loc[1, "similar_on"] == ["x"] and result.loc[1, "differs_on"] == []


def test_all_nearest_area_without_comparable_values_gets_no_peers():
    t = pd.DataFrame({"x": [0.0, 1.0, np.nan, 3.0], "y": [0.0, 1.0, np.nan, 2.0]}, index=list("abcd"))

    result = all_nearest(t, k=2)

    assert "c" not in set(result["code"]) and "c" not in set(result["peer"])
    assert result.groupby("code").size().to_dict() == {"a": 2, "b": 2, "d": 2}


def test_all_nearest_missing_value_still_compared_on_the_rest():
    t = pd.DataFrame({"x": [0.0, 0.1, 5.0], "y": [0.0, np.nan, 5.0], "z": [0.0, 0.2, 5.0]}, index=list("abc"))

    result = nearest(t, "b", k=1)

    assert result["peer"].tolist() == ["a"]
    assert "y" not in result.loc[1, "similar_on"] + result.loc[1, "differs_on"]


# --- Explanations.


def test_explanations_name_the_closest_and_the_furthest_figures():
    t = pd.DataFrame({"pop": [100.0, 100.0, 300.0, 500.0], "tax": [1.0, 1.1, 3.0, 5.0],
                      "age": [40.0, 41.0, 30.0, 50.0], "born": [10.0, 30.0, 20.0, 30.0]},
                     index=["a", "b", "c", "d"])

    result = nearest(t, "a", k=1, reasons=2)

    # |Δz| a–b: pop 0, tax 0.061, age 0.141, born 2.41: alike on pop and tax, different on born and age
    assert result["peer"].tolist() == ["b"]
    assert result.loc[1, "similar_on"] == ["pop", "tax"]
    assert result.loc[1, "differs_on"] == ["born", "age"]


def test_explanations_never_name_a_figure_twice():
    t = pd.DataFrame({"x": [0.0, 0.1, 5.0], "y": [0.0, 2.0, 5.0], "z": [0.0, 1.0, 5.0]}, index=list("abc"))

    result = nearest(t, "a", k=1, reasons=3)

    # three figures, three reasons each: one goes to differs_on (half, rounded down), two to similar_on
    assert result.loc[1, "similar_on"] == ["x", "z"]
    assert result.loc[1, "differs_on"] == ["y"]


# --- Validation.


@pytest.mark.parametrize(("call", "message"), [
    (lambda: all_nearest(PAIRS, weights={"w": 1}), "`weights` names a column not in the table: 'w'"),
    (lambda: all_nearest(PAIRS, weights={"x": -1}), "`weights` must be finite numbers ≥ 0"),
    (lambda: all_nearest(PAIRS, weights=[1.0]), "`weights` must have one weight per column \\(2\\), got 1"),
    (lambda: all_nearest(PAIRS, weights={"x": 0, "y": 0}), "at least one column a weight > 0"),
    (lambda: all_nearest(PAIRS, transforms={"x": "sqrt"}), "`transforms` for 'x' must be one of"),
    (lambda: all_nearest(PAIRS, transforms={"w": "log"}), "`transforms` names a column not in the table: 'w'"),
    (lambda: all_nearest(PAIRS, k=0), "`k` must be a positive integer, got 0"),
    (lambda: all_nearest(PAIRS, k=2.5), "`k` must be a positive integer, got 2.5"),
    (lambda: all_nearest(PAIRS, reasons=0), "`reasons` must be a positive integer, got 0"),
    (lambda: all_nearest(PAIRS, min_shared=2), "`min_shared` must be between 0 and 1, got 2"),
    (lambda: all_nearest(pd.DataFrame({"x": [1.0, 2.0]}, index=["a", "a"])), "index must be unique; repeated: 'a'"),
    (lambda: all_nearest(pd.DataFrame({"x": ["1", "two"]})), "`table` must hold numbers only"),
    (lambda: all_nearest(pd.DataFrame({"x": [1.0, 2.0], "y": [np.nan, np.nan]})), "column 'y' has no value"),
    (lambda: all_nearest([[1.0, 2.0]]), "`table` must be a pandas DataFrame, got list"),
])
def test_invalid_input_refused_naming_the_parameter(call, message):
    with pytest.raises(ValueError, match=message):
        call()
