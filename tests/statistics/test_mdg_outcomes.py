"""MDG looking back: Gapminder's country series judged against the MDG targets, 1990 → 2015."""

import csv

import pytest

from millennium.statistics.gapminder_import import import_gapminder_mdg
from millennium.statistics.mdg_outcomes import UnknownTarget, mdg_outcomes
from millennium.statistics.models import Assessment, Observation, Target
from tests.conftest import GAPMINDER

pytestmark = pytest.mark.django_db
U5MR = GAPMINDER / "countries-etc-datapoints/ddf--datapoints--under_five_mortality_from_cme_per_1000_born--by--geo--time.csv"


def test_under_five_mortality_outcomes_per_country():
    outcomes = mdg_outcomes("4.A").set_index("country")

    with U5MR.open(encoding="utf-8") as f:
        sweden = {int(r["time"]): float(r["under_five_mortality_from_cme_per_1000_born"])
                  for r in csv.DictReader(f) if r["geo"] == "swe"}
    row = outcomes.loc["SWE"]
    assert (row["base_year"], row["current_year"]) == (1990, 2015)
    assert row["base_value"] == sweden[1990]
    assert row["target_value"] == pytest.approx(sweden[1990] / 3)
    assert row["current_value"] == sweden[2015]
    # ρ = ln(2.9037 / 7.1932) / ln(1 / 3) = 0.826: too slow for 2015, within twice the time → "possible"
    assert row["status"] == "possible"
    met = int((outcomes["status"] == "target_met").sum())
    assert met == 55  # UN IGME (2015) counted 62 countries; Gapminder's current estimates give 55


def test_water_target_needs_a_1990_value():
    outcomes = mdg_outcomes("7.C")

    water = outcomes[outcomes["indicator"] == "7.8"].set_index("country")
    # WHO/UNICEF's "basic" water ladder starts in 2000: the 1990-based target cannot be judged.
    assert (water.loc["SWE", "status"], water.loc["SWE", "reason"]) == (
        "not_available", "inget värde för 1990, målets basår")
    assert (water["status"] == "not_available").all()


def test_unknown_target_is_refused():
    with pytest.raises(UnknownTarget, match="expected one of 1.A, 1.C, 2.A, 3.A, 4.A, 5.A, 7.C"):
        mdg_outcomes("9.Z")


def test_gapminder_import_is_idempotent_and_assessed():
    before = Observation.objects.filter(measure__source__code="gapminder").count()

    summary = import_gapminder_mdg(GAPMINDER)

    assert (summary.new, summary.changed, summary.unchanged) == (0, 0, before)
    assert Target.objects.get(measure__code="gapminder:under_five_mortality_from_cme_per_1000_born").factor == \
        pytest.approx(1 / 3)
    assert Assessment.objects.filter(method="mdg_path", area__code="SWE").exists()
