"""Organisations, people in every role, the real programmes (data/programmes.yaml) and applications in any state.

Malmö (1280) applies; Lund (1281) is another municipality whose editor must never see Malmö's applications.
"""

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import timezone

from millennium.organisations.models import Membership, Organisation, Role
from millennium.places.models import Area
from millennium.programme.demo import load_programmes, placeholder_pdf
from millennium.programme.models import (Answer, Application, Criterion, GoalAnalysis, Programme, Review,
                                         ReviewScore)
from millennium.programme.workflow import expected_goals

PASSWORD = "ett långt lösenord 42"
ROLES = ["anonymous", "editor", "approver", "other_editor", "reviewer", "admin", "site_admin"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Argon2 is slow on purpose; these tests make many users and check no password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def programme(db) -> Programme:
    load_programmes()
    return Programme.objects.get(slug="millenniekommun")


@pytest.fixture
def orgs(db) -> dict:
    return {
        "malmo": Organisation.objects.create(name="Malmö stad", kind=Organisation.Kind.MUNICIPALITY,
                                             area=Area.objects.get(code="1280")),
        "lund": Organisation.objects.create(name="Lunds kommun", kind=Organisation.Kind.MUNICIPALITY,
                                            area=Area.objects.get(code="1281")),
        "office": Organisation.objects.create(name="Programkansliet", kind=Organisation.Kind.PROGRAMME_OFFICE),
    }


def member(username, organisation=None, *roles, **fields) -> User:
    user = User.objects.create_user(username, email=f"{username}@example.org", password=PASSWORD, **fields)
    for role in roles:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def people(orgs) -> dict:
    return {
        "editor": member("redaktor-malmo", orgs["malmo"], Role.EDITOR),
        "approver": member("godkannare-malmo", orgs["malmo"], Role.APPROVER),
        "other_editor": member("redaktor-lund", orgs["lund"], Role.EDITOR),
        "other_approver": member("godkannare-lund", orgs["lund"], Role.APPROVER),
        "reviewer": member("granskare", orgs["office"], Role.REVIEWER),
        "admin": member("programansvarig", orgs["office"], Role.PROGRAMME_ADMIN),
        "site_admin": member("webbadmin", is_superuser=True, is_staff=True),
    }


@pytest.fixture
def conflicted(orgs) -> User:
    """A reviewer and programme admin who also works for Malmö."""
    user = member("granskare-malmo", orgs["office"], Role.REVIEWER, Role.PROGRAMME_ADMIN)
    Membership.objects.create(user=user, organisation=orgs["malmo"], role=Role.EDITOR)
    return user


def fill_answers(application: Application, by=None) -> None:
    """Complete answers to every criterion (a real PDF for the minutes)."""
    for criterion in application.programme.criteria.filter(is_active=True):
        answer, _ = Answer.objects.get_or_create(application=application, criterion=criterion)
        if criterion.kind == Criterion.Kind.DECISION:
            answer.decided_by_body, answer.decided_on = "Kommunstyrelsen", "2010-09-08"
            answer.case_reference = "Ärende 9"
            answer.minutes.save("x.pdf", ContentFile(placeholder_pdf("Protokoll")), save=False)
        elif criterion.kind == Criterion.Kind.URL:
            answer.url = "https://malmo.se/"
        elif criterion.kind == Criterion.Kind.GOAL_ANALYSIS:
            for goal in expected_goals(application):
                GoalAnalysis.objects.update_or_create(answer=answer, goal=goal, defaults={"text": f"Mål {goal.code}"})
        else:
            answer.text = "Svar."
        answer.updated_by = by
        answer.save()


@pytest.fixture
def make_application(programme, orgs, people):
    """An application of Malmö (or `organisation`) in `state`, complete, with a handed-in review if reviewed."""

    def make(state=Application.State.DRAFT, organisation="malmo", complete=True, reviewed=None) -> Application:
        application = Application.objects.create(programme=programme, organisation=orgs[organisation],
                                                 created_by=people["editor"])
        if complete:
            fill_answers(application, people["editor"])
        if state != Application.State.DRAFT:
            application.state, application.submitted_at = state, timezone.now()
            application.save()
        if reviewed if reviewed is not None else state == Application.State.IN_REVIEW:
            review = Review.objects.create(application=application, reviewer=people["reviewer"],
                                           submitted_at=timezone.now())
            for criterion in programme.criteria.all():
                ReviewScore.objects.create(review=review, criterion=criterion, score=ReviewScore.Score.MET)
        return application

    return make
