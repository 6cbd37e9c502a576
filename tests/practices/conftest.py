"""Users with the library's roles, and practices made with real municipalities, goals and key figures."""

import pytest
from django.contrib.auth.models import Permission, User
from django.utils import timezone

from millennium.frameworks.models import Goal
from millennium.places.models import Area
from millennium.practices.models import Practice
from millennium.statistics.models import Measure


def user_with(username: str, *codenames: str) -> User:
    user = User.objects.create_user(username, password="ett långt lösenord 42")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="practices", codename__in=codenames))
    return User.objects.get(pk=user.pk)  # permissions are cached per instance


@pytest.fixture
def editor(db):
    return user_with("redaktor", "add_practice", "change_practice")


@pytest.fixture
def approver(db):
    return user_with("godkannare", "publish_practice", "change_practice")


@pytest.fixture
def second_approver(db):
    return user_with("godkannare2", "publish_practice")


@pytest.fixture
def reader(db):
    """Signed in, with no role in the library."""
    return user_with("lasare")


def sdg(number: int) -> Goal:
    return Goal.objects.get(framework__code="sdg", code=str(number))


@pytest.fixture
def make_practice(db):
    def make(title="Cykelvägar till skolan", municipality="1280", body="Vi byggde cykelvägar.", summary="Kort.",
             results="", published=True, goals=(), measures=(), targets=(), **fields) -> Practice:
        practice = Practice.objects.create(
            municipality=Area.objects.get(code=municipality), title=title, summary=summary, body=body,
            results=results, status=Practice.Status.PUBLISHED if published else Practice.Status.DRAFT,
            published_at=timezone.now() if published else None, **fields)
        practice.goals.set([sdg(g) if isinstance(g, int) else g for g in goals])
        practice.measures.set(Measure.objects.filter(code__in=measures))
        practice.targets.set(targets)
        return practice

    return make
