"""`millennium programme load-demo`: the three programmes, Malmö's 2010 application in state submitted, a
designated example, demo accounts per role; loading twice changes nothing but the passwords."""

import io

import pytest
from django.contrib.auth.models import User

from millennium.organisations.models import Membership, Organisation
from millennium.programme.demo import load_demo
from millennium.programme.models import Application, Criterion, Designation, Programme

pytestmark = pytest.mark.django_db


def counts():
    return (Programme.objects.count(), Criterion.objects.count(), Organisation.objects.count(),
            User.objects.count(), Membership.objects.count(), Application.objects.count(),
            Designation.objects.count())


def test_demo_loads_once_and_again_without_duplicates(uploads):
    out = io.StringIO()
    first = load_demo(out=out)
    printed = out.getvalue()
    assert printed.startswith("Demo accounts")
    for username, password in first.passwords.items():
        assert f"{username}" in printed and password in printed
        assert User.objects.get(username=username).check_password(password)

    assert {p.slug: p.criteria.count() for p in Programme.objects.all()} == {
        "millenniekommun": 3, "fairtrade-city": 5, "glokala-sverige": 3}
    fairtrade = Programme.objects.get(slug="fairtrade-city")
    assert (fairtrade.renewal_months, fairtrade.renewal_deadline_month) == (12, 2)
    assert Programme.objects.get(slug="millenniekommun").goal_count == 100

    malmo = Application.objects.get(organisation__area__code="1280")
    assert malmo.state == "submitted" and malmo.is_example
    decision = malmo.answers.get(criterion__kind="decision")
    assert (decision.decided_by_body, str(decision.decided_on), decision.case_reference) == (
        "Kommunstyrelsen", "2010-09-08", "Ärende 9")
    assert decision.minutes.open("rb").read(5) == b"%PDF-"
    assert malmo.transitions.get().to_state == "submitted"

    example = Designation.objects.get()
    assert example.is_example and example.organisation.area.code != "1280" and example.is_active()
    assert example.application.decision.outcome == "approved"

    roles = set(Membership.objects.filter(user__username__startswith="demo-").values_list("role", flat=True))
    assert roles == {"editor", "approver", "reviewer", "programme_admin"}
    assert User.objects.get(username="demo-admin").is_superuser

    before = counts()
    second = load_demo(out=io.StringIO())
    assert counts() == before
    assert second.programmes_new == 0 and second.applications_new == 0
    assert second.passwords != first.passwords  # new ones at every load


def test_no_personal_phone_numbers_or_names_in_the_demo_files():
    import re

    from millennium.programme.demo import DEMO, PROGRAMMES

    for path in (DEMO, PROGRAMMES):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?:\d[\s\-–]?){7,}", re.sub(r"\d{4}-\d{2}-\d{2}", "", text)), path
