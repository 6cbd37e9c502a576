"""Every view of the programme × every role: allowed ones answer 200/302, the rest 403/404 (anonymous visitors are
sent to sign in), and a refused request changes nothing. Another municipality's application by a guessed id is a
404, never a 403 that would confirm it exists."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from millennium.organisations.models import Role
from millennium.programme.models import (Answer, Application, Criterion, Designation, Notification, Programme,
                                         ReviewScore)

from .conftest import ROLES, member

S = Application.State
OK, FOUND, FORBIDDEN, MISSING, CONFLICT, LOGIN = 200, 302, 403, 404, 409, "login"


def everyone(code):
    return {role: code for role in ROLES}


def expect(anonymous=LOGIN, editor=MISSING, approver=MISSING, other_editor=MISSING, reviewer=MISSING,
           admin=MISSING, site_admin=MISSING):
    return dict(anonymous=anonymous, editor=editor, approver=approver, other_editor=other_editor,
                reviewer=reviewer, admin=admin, site_admin=site_admin)


@pytest.fixture
def world(make_application, programme, orgs, people):
    draft = make_application(S.DRAFT)
    submitted = make_application(S.SUBMITTED)
    in_review = make_application(S.IN_REVIEW)
    # Reviewed by a third person, so that the reviewer and the admin of the matrix may still write their own.
    in_review.reviews.update(reviewer=member("granskare-2", orgs["office"], Role.REVIEWER))
    approved = make_application(S.APPROVED)
    designation = Designation.objects.create(programme=programme, organisation=orgs["malmo"], application=approved,
                                             number="MK-1", valid_from=datetime.date.today(),
                                             valid_until=datetime.date.today() + datetime.timedelta(days=300))
    decision_criterion = programme.criteria.get(kind=Criterion.Kind.DECISION)
    minutes = Answer.objects.get(application=submitted, criterion=decision_criterion)
    Notification.objects.create(user=people["editor"], subject="Hej")
    return {"draft": draft, "submitted": submitted, "in_review": in_review, "designation": designation,
            "criterion": decision_criterion, "minutes": minutes, "programme": programme}


# (name, method, url(world), expected per role)
VIEWS = [
    ("programmes", "get", lambda w: reverse("programme:programmes"), everyone(OK)),
    ("programme", "get", lambda w: reverse("programme:programme", args=[w["programme"].slug]), everyone(OK)),
    ("criteria", "get", lambda w: reverse("programme:criteria", args=[w["programme"].slug]),
     expect(editor=FORBIDDEN, approver=FORBIDDEN, other_editor=FORBIDDEN, reviewer=FORBIDDEN, admin=OK,
            site_admin=OK)),
    ("applications", "get", lambda w: reverse("programme:applications", args=[w["programme"].slug]),
     expect(editor=OK, approver=OK, other_editor=OK, reviewer=OK, admin=OK, site_admin=OK)),
    ("apply form", "get", lambda w: reverse("programme:apply", args=[w["programme"].slug]),
     expect(editor=OK, approver=OK, other_editor=OK, reviewer=FORBIDDEN, admin=FORBIDDEN, site_admin=FORBIDDEN)),
    ("draft", "get", lambda w: reverse("programme:application", args=[w["draft"].pk]),
     expect(editor=OK, approver=OK)),
    ("submitted", "get", lambda w: reverse("programme:application", args=[w["submitted"].pk]),
     expect(editor=OK, approver=OK, reviewer=OK, admin=OK, site_admin=OK)),
    ("answer form, draft", "get", lambda w: reverse("programme:answer", args=[w["draft"].pk, w["criterion"].pk]),
     expect(editor=OK, approver=OK)),
    ("answer form, submitted", "get",
     lambda w: reverse("programme:answer", args=[w["submitted"].pk, w["criterion"].pk]),
     expect(editor=CONFLICT, approver=CONFLICT, reviewer=FORBIDDEN, admin=FORBIDDEN, site_admin=FORBIDDEN)),
    ("review form", "get", lambda w: reverse("programme:review", args=[w["in_review"].pk]),
     expect(editor=FORBIDDEN, approver=FORBIDDEN, reviewer=OK, admin=OK, site_admin=FORBIDDEN)),
    ("review form, not in review", "get", lambda w: reverse("programme:review", args=[w["submitted"].pk]),
     expect(editor=FORBIDDEN, approver=FORBIDDEN, reviewer=CONFLICT, admin=CONFLICT, site_admin=FORBIDDEN)),
    ("decision form", "get", lambda w: reverse("programme:decision", args=[w["in_review"].pk]),
     expect(editor=FORBIDDEN, approver=FORBIDDEN, reviewer=FORBIDDEN, admin=OK, site_admin=FORBIDDEN)),
    ("minutes of a draft", "get",
     lambda w: reverse("programme:minutes",
                       args=[w["draft"].pk, w["draft"].answers.get(criterion__kind="decision").pk]),
     expect(editor=OK, approver=OK)),
    ("minutes", "get", lambda w: reverse("programme:minutes", args=[w["submitted"].pk, w["minutes"].pk]),
     expect(editor=OK, approver=OK, reviewer=OK, admin=OK, site_admin=OK)),
    ("minutes of another application", "get",
     lambda w: reverse("programme:minutes", args=[w["in_review"].pk, w["minutes"].pk]), expect()),
    ("inbox", "get", lambda w: reverse("programme:inbox"),
     expect(editor=OK, approver=OK, other_editor=OK, reviewer=OK, admin=OK, site_admin=OK)),
    ("inbox read", "post", lambda w: reverse("programme:inbox_read"),
     expect(editor=FOUND, approver=FOUND, other_editor=FOUND, reviewer=FOUND, admin=FOUND, site_admin=FOUND)),
    # Malmö's people are sent to the open application Malmö already has; Lund's editor starts one.
    ("start application", "post", lambda w: reverse("programme:apply", args=[w["programme"].slug]),
     expect(editor=FOUND, approver=FOUND, other_editor=FOUND, reviewer=FORBIDDEN, admin=FORBIDDEN,
            site_admin=FORBIDDEN)),
    ("submit", "post", lambda w: reverse("programme:transition", args=[w["draft"].pk, "skicka"]),
     expect(editor=FORBIDDEN, approver=FOUND)),
    ("start review", "post", lambda w: reverse("programme:transition", args=[w["submitted"].pk, "ta-upp"]),
     expect(editor=FORBIDDEN, approver=FORBIDDEN, reviewer=FOUND, admin=FOUND, site_admin=FORBIDDEN)),
    ("request changes", "post",
     lambda w: reverse("programme:transition", args=[w["in_review"].pk, "komplettering"]),
     expect(editor=FORBIDDEN, approver=FORBIDDEN, reviewer=FOUND, admin=FOUND, site_admin=FORBIDDEN)),
    ("resubmit in the wrong state", "post",
     lambda w: reverse("programme:transition", args=[w["in_review"].pk, "skicka-igen"]),
     expect(editor=CONFLICT, approver=CONFLICT, reviewer=CONFLICT, admin=CONFLICT, site_admin=CONFLICT)),
    ("withdraw", "post", lambda w: reverse("programme:transition", args=[w["submitted"].pk, "ta-tillbaka"]),
     expect(editor=FORBIDDEN, approver=FOUND, reviewer=FORBIDDEN, admin=FORBIDDEN, site_admin=FORBIDDEN)),
    ("review", "post", lambda w: reverse("programme:review", args=[w["in_review"].pk]),
     expect(editor=FORBIDDEN, approver=FORBIDDEN, reviewer=FOUND, admin=FOUND, site_admin=FORBIDDEN)),
    ("decide", "post", lambda w: reverse("programme:decision", args=[w["in_review"].pk]),
     expect(editor=FORBIDDEN, approver=FORBIDDEN, reviewer=FORBIDDEN, admin=FOUND, site_admin=FORBIDDEN)),
    ("answer", "post", lambda w: reverse("programme:answer", args=[w["draft"].pk, w["criterion"].pk]),
     expect(editor=FOUND, approver=FOUND)),
    ("follow-up", "post", lambda w: reverse("programme:follow_up", args=[w["designation"].pk]),
     expect(editor=FOUND, approver=FOUND, other_editor=FORBIDDEN, reviewer=FORBIDDEN, admin=FORBIDDEN,
            site_admin=FORBIDDEN)),
    ("edit criteria", "post", lambda w: reverse("programme:criteria", args=[w["programme"].slug]),
     expect(editor=FORBIDDEN, approver=FORBIDDEN, other_editor=FORBIDDEN, reviewer=FORBIDDEN, admin=FOUND,
            site_admin=FOUND)),
]


def post_data(name, world):
    programme = world["programme"]
    if name in ("request changes", "withdraw"):
        return {"reason": "Skäl."}
    if name == "review":
        return {"summary": "Bra.", **{f"score_{c.pk}": "met" for c in programme.criteria.all()}}
    if name == "decide":
        return {"outcome": "approve", "reason": "Alla krav uppfyllda."}
    if name == "answer":
        return {"answer-decided_by_body": "Kommunfullmäktige", "answer-decided_on": "2010-09-08",
                "answer-case_reference": "Ärende 9", "answer-text": ""}
    if name == "edit criteria":
        criteria = list(programme.criteria.all())
        data = {f"programme-{f}": getattr(programme, f) or "" for f in (
            "name_sv", "name_en", "description_sv", "description_en", "goal_count", "renewal_months",
            "renewal_deadline_month", "renewal_deadline_day")}
        data["programme-is_active"] = "on"
        data.update({"criteria-TOTAL_FORMS": str(len(criteria) + 1), "criteria-INITIAL_FORMS": str(len(criteria)),
                     "criteria-MIN_NUM_FORMS": "0", "criteria-MAX_NUM_FORMS": "1000"})
        for i, c in enumerate(criteria):
            data.update({f"criteria-{i}-id": c.pk, f"criteria-{i}-programme": programme.pk,
                         f"criteria-{i}-order": c.order, f"criteria-{i}-code": c.code,
                         f"criteria-{i}-title_sv": c.title_sv + " (ändrad)", f"criteria-{i}-title_en": c.title_en,
                         f"criteria-{i}-help_sv": c.help_sv, f"criteria-{i}-help_en": c.help_en,
                         f"criteria-{i}-kind": c.kind, f"criteria-{i}-is_active": "on"})
        # The empty form for a new criterion, as a browser sends it: its initial values, so it is skipped.
        new = len(criteria)
        data.update({f"criteria-{new}-order": "1", f"criteria-{new}-kind": "text", f"criteria-{new}-is_active": "on"})
        return data
    return {}


def state_of_everything():
    return (list(Application.objects.order_by("pk").values_list("pk", "state", "submitted_at")),
            list(Answer.objects.order_by("pk").values_list("pk", "decided_by_body", "text")),
            Designation.objects.count(), list(Programme.objects.values_list("name_sv", "renewal_months")),
            sorted(Programme.objects.get(slug="millenniekommun").criteria.values_list("title_sv", flat=True)),
            list(Notification.objects.filter(read_at__isnull=False).values_list("pk")),
            list(ReviewScore.objects.order_by("pk").values_list("pk", "score")))


@pytest.mark.parametrize("role", ROLES)
def test_matrix(role, world, people, orgs, client):
    """One role, every view; each request in a savepoint rolled back after it, so each sees the same world."""
    if role != "anonymous":
        client.force_login(people[role])
    for name, method, url, expected in VIEWS:
        savepoint = transaction.savepoint()
        try:
            data = post_data(name, world)
            if name == "start application":
                data = {"organisation": orgs["lund"].pk if role == "other_editor" else orgs["malmo"].pk}
            before = state_of_everything()
            response = client.post(url(world), data) if method == "post" else client.get(url(world))
            want = expected[role]
            if want == LOGIN:
                assert response.status_code == 302 and response.url.startswith(reverse("login")), (name, role)
            else:
                assert response.status_code == want, (name, role, response.status_code)
            if want not in (OK, FOUND):
                assert state_of_everything() == before, (name, role)
            elif method == "post" and name not in ("inbox read", "start application"):
                assert state_of_everything() != before, (name, role)
        finally:
            transaction.savepoint_rollback(savepoint)


def test_guessed_ids_of_another_municipality(world, people, client):
    """Lund's editor and approver try every address of Malmö's applications: 404 everywhere, nothing changed."""
    client.force_login(people["other_approver"])
    before = state_of_everything()
    for application in Application.objects.filter(organisation__name="Malmö stad"):
        criterion = world["criterion"]
        answer = application.answers.first()
        assert client.get(reverse("programme:application", args=[application.pk])).status_code == 404
        assert client.get(reverse("programme:answer", args=[application.pk, criterion.pk])).status_code == 404
        assert client.post(reverse("programme:answer", args=[application.pk, criterion.pk]),
                           {"answer-text": "Kapad"}).status_code == 404
        assert client.get(reverse("programme:minutes", args=[application.pk, answer.pk])).status_code == 404
        for slug in ("skicka", "ta-upp", "komplettering", "skicka-igen", "ta-tillbaka"):
            assert client.post(reverse("programme:transition", args=[application.pk, slug]),
                               {"reason": "x"}).status_code == 404
        assert client.get(reverse("programme:review", args=[application.pk])).status_code == 404
        assert client.post(reverse("programme:decision", args=[application.pk]),
                           {"outcome": "approve", "reason": "x"}).status_code == 404
    assert client.get(reverse("programme:application", args=[999999])).status_code == 404
    assert state_of_everything() == before


def test_lists_show_only_what_one_may_see(world, people, client):
    client.force_login(people["other_editor"])
    page = client.get(reverse("programme:applications", args=[world["programme"].slug])).content.decode()
    assert "Malmö stad" not in page
    client.force_login(people["reviewer"])
    page = client.get(reverse("programme:applications", args=[world["programme"].slug])).content.decode()
    assert f"Ansökan {world['submitted'].pk}<" in page and f"Ansökan {world['draft'].pk}<" not in page


def test_forms_need_csrf(world, people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["approver"])
    response = client.post(reverse("programme:transition", args=[world["draft"].pk, "skicka"]))
    assert response.status_code == 403
    assert Application.objects.get(pk=world["draft"].pk).state == S.DRAFT


def test_membership_role_names_are_the_organisations_roles():
    assert {Role.EDITOR, Role.APPROVER, Role.REVIEWER, Role.PROGRAMME_ADMIN} == set(Role.values)
