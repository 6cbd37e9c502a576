"""Organisations and the people of the permission matrix: Malmö's editor and approver, Lund's approver, the
programme office's reviewer and programme admin, and a site administrator."""

import pytest
from django.contrib.auth.models import User

from millennium.organisations.models import ApiToken, Invitation, Membership, Organisation, Role
from millennium.places.models import Area

PASSWORD = "ett långt lösenord 42"
PERSONAS = ["anonymous", "editor_malmo", "approver_malmo", "approver_lund", "reviewer", "programme_admin",
            "site_admin"]


def person(username: str, organisation: Organisation | None = None, role: str | None = None, email: str = "",
           **fields) -> User:
    # No password: hashing one with argon2 for every user of every test would cost seconds; these sign in
    # with force_login. The tests of signing in make their own users with passwords.
    user = User.objects.create_user(username, email=email or f"{username}@example.org", **fields)
    if organisation:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def malmo(db):
    return Organisation.objects.create(name="Malmö stad", kind=Organisation.Kind.MUNICIPALITY,
                                       area=Area.objects.get(code="1280"))


@pytest.fixture
def lund(db):
    return Organisation.objects.create(name="Lunds kommun", kind=Organisation.Kind.MUNICIPALITY,
                                       area=Area.objects.get(code="1281"))


@pytest.fixture
def office(db):
    return Organisation.objects.create(name="Programkansliet", kind=Organisation.Kind.PROGRAMME_OFFICE)


@pytest.fixture
def people(malmo, lund, office):
    return {
        "anonymous": None,
        "editor_malmo": person("redaktor_malmo", malmo, Role.EDITOR),
        "approver_malmo": person("godkannare_malmo", malmo, Role.APPROVER),
        "approver_lund": person("godkannare_lund", lund, Role.APPROVER),
        "reviewer": person("granskare", office, Role.REVIEWER),
        "programme_admin": person("programansvarig", office, Role.PROGRAMME_ADMIN),
        "site_admin": person("admin", is_superuser=True, is_staff=True),
    }


@pytest.fixture
def malmo_token(people, malmo):
    token, _ = ApiToken.issue(malmo, "Ekonomisystemet", [ApiToken.Scope.OBSERVATIONS], people["approver_malmo"])
    return token


@pytest.fixture
def lund_token(people, lund):
    token, _ = ApiToken.issue(lund, "Lunds import", [ApiToken.Scope.PRACTICES], people["approver_lund"])
    return token


@pytest.fixture
def malmo_invitation(people, malmo):
    invitation, _ = Invitation.issue(malmo, Role.EDITOR, "ny.redaktor@malmo.example.org", people["approver_malmo"])
    return invitation


def sign_in(client, user) -> None:
    if user is not None:
        client.force_login(user)
