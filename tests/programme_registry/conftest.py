"""A programme with designations in force, lapsed and run out, made with real municipalities; and people in every
role that matters to the registry and the programme's report."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from millennium.organisations.models import Membership, Organisation, Role
from millennium.places.models import Area
from millennium.programme.models import Application, Decision, Designation, Programme

PASSWORD = "ett långt lösenord 42"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def programme(db):
    return Programme.objects.create(slug="millenniekommun", name_sv="Millenniekommun",
                                    name_en="Millennium Municipality", goal_count=100, renewal_months=36,
                                    description_sv="SKL:s och Sidas program.",
                                    description_en="SKL's and Sida's programme.")


def municipality(code: str, name: str | None = None) -> Organisation:
    area = Area.objects.get(code=code)
    organisation, _ = Organisation.objects.get_or_create(
        area=area, defaults={"name": name or f"{area.name} kommun", "kind": Organisation.Kind.MUNICIPALITY})
    return organisation


@pytest.fixture
def designate(programme):
    """designate(code, valid_from, valid_until, lapsed_at=None, decided=…) → a Designation with its approved
    application and decision."""
    counter = iter(range(1, 1000))

    def make(code: str, valid_from: datetime.date, valid_until: datetime.date, lapsed_at=None, name=None,
             decided: datetime.date | None = None, state=Application.State.APPROVED) -> Designation:
        organisation = municipality(code, name)
        decided_at = timezone.make_aware(datetime.datetime.combine(decided or valid_from, datetime.time(14)))
        application = Application.objects.create(programme=programme, organisation=organisation, state=state,
                                                 submitted_at=decided_at - datetime.timedelta(days=30))
        Decision.objects.create(application=application, outcome=Decision.Outcome.APPROVED, decided_at=decided_at)
        return Designation.objects.create(programme=programme, organisation=organisation, application=application,
                                          number=f"MK-{valid_from.year}-{next(counter):03d}", valid_from=valid_from,
                                          valid_until=valid_until, lapsed_at=lapsed_at)

    return make


@pytest.fixture
def registry_data(designate):
    """Malmö designated since 8 September 2010 and still in force; Lund in force; Uppsala lapsed; Umeå run out
    (last day passed, not yet marked lapsed)."""
    malmo = designate("1280", datetime.date(2010, 9, 8), days(200), name="Malmö stad",
                      decided=datetime.date(2010, 9, 8))
    lund = designate("1281", datetime.date(2012, 3, 1), days(30), name="Lunds kommun")
    uppsala = designate("0380", datetime.date(2011, 5, 2), datetime.date(2014, 5, 1), name="Uppsala kommun",
                        lapsed_at=timezone.make_aware(datetime.datetime(2014, 5, 3, 9, 0)))
    umea = designate("2480", datetime.date(2013, 1, 15), days(-10), name="Umeå kommun")
    return {"malmo": malmo, "lund": lund, "uppsala": uppsala, "umea": umea}


def member(username: str, organisation: Organisation, role: str) -> User:
    user = User.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def office(db):
    return Organisation.objects.create(name="SKL programkansli", kind=Organisation.Kind.PROGRAMME_OFFICE)


@pytest.fixture
def reviewer(office):
    return member("granskare", office, Role.REVIEWER)


@pytest.fixture
def programme_admin(office):
    return member("programansvarig", office, Role.PROGRAMME_ADMIN)


@pytest.fixture
def municipality_editor(db):
    return member("redaktor-malmo", municipality("1280", "Malmö stad"), Role.EDITOR)


@pytest.fixture
def site_admin(db):
    return User.objects.create_superuser("admin", password=PASSWORD)
