"""Our framework files against the reference lists in the shared data folder."""

import csv

import pytest

from millennium.frameworks.loading import DATA as OURS
from tests.conftest import DATA

REF = DATA / "frameworks"


def rows(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(
    ("ours", "reference", "column", "count"),
    [
        ("mdg/goals.csv", "mdg/mdg_goals.csv", "goal", 8),
        ("mdg/targets.csv", "mdg/mdg_targets.csv", "target", 21),
        ("mdg/indicators.csv", "mdg/mdg_indicators.csv", "indicator", 60),
        ("sdg/goals.csv", "sdg/en_sdg_goals.csv", "goal", 17),
        ("sdg/targets.csv", "sdg/en_sdg_targets.csv", "target", 169),
        ("sdg/indicators.csv", "sdg/en_sdg_indicators.csv", "indicator", 252),
    ],
)
def test_framework_codes_equal_reference(ours, reference, column, count):
    our_codes = [r["code"] for r in rows(OURS / ours)]
    ref_codes = {r[column] for r in rows(REF / reference)}

    assert len(our_codes) == len(set(our_codes)) == count
    assert set(our_codes) == ref_codes


@pytest.mark.parametrize("path", ["mdg/goals.csv", "mdg/targets.csv", "mdg/indicators.csv",
                                  "sdg/goals.csv", "sdg/targets.csv", "sdg/indicators.csv"])
def test_framework_titles_in_both_languages(path):
    for row in rows(OURS / path):
        assert row["title_en"].strip() and row["title_sv"].strip(), row["code"]
        assert row["title_sv"] != row["title_en"], row["code"]
        assert row["sv_official"] in {"0", "1"}, row["code"]


def test_sdg_english_titles_are_the_official_ones():
    reference = {r["target"]: r["title"] for r in rows(REF / "sdg/en_sdg_targets.csv")}
    assert {r["code"]: r["title_en"] for r in rows(OURS / "sdg/targets.csv")} == reference


def test_sdg_goal_names_are_the_established_swedish_ones():
    names = {r["code"]: r["short_sv"] for r in rows(OURS / "sdg/goals.csv")}

    assert names["1"] == "Ingen fattigdom"
    assert names["5"] == "Jämställdhet"
    assert names["13"] == "Bekämpa klimatförändringarna"
    assert names["17"] == "Genomförande och globalt partnerskap"
    assert all(r["sv_official"] == "1" for r in rows(OURS / "sdg/goals.csv"))


def test_mdg_indicator_targets_equal_reference():
    reference = {r["indicator"]: r["targets"] for r in rows(REF / "mdg/mdg_indicators.csv")}
    assert {r["code"]: r["targets"] for r in rows(OURS / "mdg/indicators.csv")} == reference


def test_sdg_indicator_targets_equal_reference():
    reference = {r["indicator"]: r["target"] for r in rows(REF / "sdg/en_sdg_indicators.csv")}
    assert {r["code"]: r["target"] for r in rows(OURS / "sdg/indicators.csv")} == reference


def test_crosswalk_covers_every_mdg_indicator_with_valid_codes():
    crosswalk = rows(OURS / "crosswalk_mdg_sdg.csv")
    mdg = {r["code"] for r in rows(OURS / "mdg/indicators.csv")}
    sdg = {r["code"] for r in rows(OURS / "sdg/indicators.csv")}

    assert {r["mdg_indicator"] for r in crosswalk} == mdg
    for r in crosswalk:
        assert r["relation"] in {"direct", "related", "none"}
        assert (r["sdg_indicator"] == "") == (r["relation"] == "none"), r
        assert r["sdg_indicator"] == "" or r["sdg_indicator"] in sdg, r
        assert r["note"].strip(), r
