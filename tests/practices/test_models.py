"""The practice model: its HTML is rendered and sanitised on every save; a contact is a role, never a number."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from millennium.places.models import Area
from millennium.practices.models import Practice

pytestmark = pytest.mark.django_db


def test_body_html_follows_the_body_on_every_save(make_practice):
    practice = make_practice(body="## Rubrik\n\n<script>x()</script>Text")
    assert practice.body_html == "<h4>Rubrik</h4>\nText"

    practice.body = "Ny *text*"
    practice.save(update_fields=["body"])
    practice.refresh_from_db()
    assert practice.body_html == "<p>Ny <em>text</em></p>\n"


def test_tags_are_real_goals_targets_and_key_figures(make_practice):
    from millennium.frameworks.models import Target

    practice = make_practice(goals=[5], measures=["N00945"], targets=[Target.objects.get(goal__framework__code="sdg",
                                                                                          code="5.4")])
    assert [g.code for g in practice.goals.all()] == ["5"]
    assert [m.code for m in practice.measures.all()] == ["N00945"]
    assert practice.measures.get().title_sv.startswith("Tillfälliga föräldrapenningdagar (VAB)")
    assert [t.code for t in practice.targets.all()] == ["5.4"]


@pytest.mark.parametrize("role", ["040-34 10 00", "0701234567", "+46 40 341000", "anna.svensson@malmo.se"])
def test_contact_role_refuses_phone_numbers_and_addresses(make_practice, role):
    practice = make_practice(contact_role=role)
    with pytest.raises(ValidationError) as error:
        practice.full_clean()
    assert "contact_role" in error.value.message_dict


def test_contact_role_takes_a_role(make_practice):
    make_practice(contact_role="Miljöstrateg, stadsbyggnadskontoret").full_clean()


def test_a_practice_belongs_to_a_municipality(make_practice):
    practice = make_practice()
    practice.municipality = Area.objects.get(code="12")  # Skåne: a region
    with pytest.raises(ValidationError) as error:
        practice.full_clean()
    assert "municipality" in error.value.message_dict


def test_the_period_cannot_end_before_it_starts(make_practice):
    practice = make_practice(period_start=2020, period_end=2022)
    practice.period_end = 2018
    with pytest.raises(ValidationError) as error:
        practice.full_clean()
    assert "period_end" in error.value.message_dict
    # The database refuses it too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Practice.objects.filter(pk=practice.pk).update(period_end=2010)
