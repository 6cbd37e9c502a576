import pytest

from millennium.frameworks.loading import load_frameworks
from millennium.frameworks.models import Crosswalk, Goal, Indicator, Target

pytestmark = pytest.mark.django_db


def test_load_frameworks_is_idempotent():
    before = (Goal.objects.count(), Target.objects.count(), Indicator.objects.count(), Crosswalk.objects.count())

    counts = load_frameworks()

    assert counts["mdg"] == (8, 21, 60)
    assert counts["sdg"] == (17, 169, 252)
    assert before == (25, 190, 312, counts["crosswalk"])
    assert (Goal.objects.count(), Target.objects.count(), Indicator.objects.count(),
            Crosswalk.objects.count()) == before


def test_mdg_indicator_serves_several_targets():
    indicator = Indicator.objects.get(goal__framework__code="mdg", code="7.1")
    assert sorted(t.code for t in indicator.targets.all()) == ["7.A", "7.B"]


def test_under_five_mortality_lives_on_as_sdg_3_2_1():
    link = Crosswalk.objects.get(mdg_indicator__goal__framework__code="mdg", mdg_indicator__code="4.1")
    assert (link.sdg_indicator.code, link.relation) == ("3.2.1", "direct")
