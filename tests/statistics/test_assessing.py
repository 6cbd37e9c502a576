"""Assessments in the store: every Kolada series with a direction, targets, recomputation."""

import numpy as np
import pytest

from millennium.analysis.progress.opensdg import assess
from millennium.analysis.progress.panel import Panel, Settings
from millennium.places.models import Area
from millennium.statistics.assessing import recompute_assessments, set_target
from millennium.statistics.models import Assessment, Measure, Observation, Target

pytestmark = pytest.mark.django_db


def stored(code, area="1280", sex="T", method="opensdg"):
    return Assessment.objects.get(measure__code=code, area__code=area, sex=sex, method=method)


def test_every_series_of_a_measure_with_direction_is_assessed():
    directed = Measure.objects.filter(source__code="kolada").exclude(direction="")
    series = Observation.objects.filter(measure__in=directed).values("measure", "area", "sex").distinct().count()

    assert Assessment.objects.filter(method="opensdg").count() == series
    assert not Assessment.objects.filter(measure__direction="").exists()


def test_stored_assessment_equals_the_method_on_the_kolada_values():
    measure = Measure.objects.get(code="N00401")
    points = list(Observation.objects.filter(measure=measure, area__code="1280", sex="T")
                  .values_list("year", "value"))
    panel = Panel.from_long(["1280"] * len(points), [y for y, _ in points], [v for _, v in points])

    expected = assess(panel, Settings.broadcast(1, base_year=2015, direction=-1)).iloc[0]

    a = stored("N00401")
    assert measure.direction == "down"
    assert (a.status, a.base_year, a.current_year) == (expected["status"], 2015, 2022)
    assert a.score == pytest.approx(expected["score"], abs=1e-12)
    assert a.target_value is None


def test_relative_target_for_one_area_wins_over_the_general_one():
    measure = Measure.objects.get(code="N00401")
    malmo = Area.objects.get(code="1280")

    set_target(measure=measure, area=malmo, kind=Target.Kind.RELATIVE, factor=0.5, set_by="Malmö stad",
               reason="Halvera utsläppen")

    base = Observation.objects.get(measure=measure, area=malmo, sex="T", year=2015).value
    assert stored("N00401").target_value == pytest.approx(0.5 * base)
    assert stored("N00401", area="1281").target_value is None


def test_default_targets_are_direction_only_and_explained():
    target = Target.objects.get(measure__code="N00401", area=None)
    assert (target.kind, target.base_year, target.target_year, target.value) == ("direction", 2015, 2030, None)
    assert "kolada_goals.csv" in target.reason


def test_recompute_is_idempotent():
    before = sorted(Assessment.objects.filter(method="opensdg").values_list(
        "measure_id", "area_id", "sex", "status", "score"))

    count = recompute_assessments()

    after = sorted(Assessment.objects.filter(method="opensdg").values_list(
        "measure_id", "area_id", "sex", "status", "score"))
    assert count == Assessment.objects.count()
    assert [r[:4] for r in after] == [r[:4] for r in before]
    assert np.allclose([r[4] if r[4] is not None else np.nan for r in after],
                       [r[4] if r[4] is not None else np.nan for r in before], equal_nan=True)


def test_changing_a_target_recomputes_its_assessments():
    measure = Measure.objects.get(code="N00401")
    malmo = Area.objects.get(code="1280")
    current = Observation.objects.filter(measure=measure, area=malmo, sex="T").order_by("-year").first().value

    set_target(measure=measure, area=malmo, kind=Target.Kind.ABSOLUTE, value=current * 2, set_by="test",
               reason="a target already passed")

    assert (stored("N00401").status, stored("N00401").score) == ("target_achieved", 5.0)
    set_target(measure=measure, area=malmo, kind=Target.Kind.ABSOLUTE, value=current / 100, set_by="test",
               reason="a target far away")
    assert stored("N00401").status != "target_achieved"
    assert stored("N00401").target_value == pytest.approx(current / 100)
