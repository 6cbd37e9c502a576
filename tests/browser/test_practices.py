"""The good-practice library in a real browser: a body full of script attempts runs none of them, and the list,
a practice and the search results have no accessibility violations."""

import re

import pytest
from playwright.sync_api import expect

# Every way the body tries to run script; none may (window.pwned stays undefined, no dialog opens).
HOSTILE_BODY = """Så här gjorde vi för jämställdhet i skolan.

<script>window.pwned = 1</script>

<img src=x onerror="window.pwned=2">

[a](javascript:window.pwned=3)

<a href="javascript:window.pwned=4" onclick="window.pwned=5">b</a>

<iframe src="javascript:window.pwned=6"></iframe><svg onload="window.pwned=7"></svg><style>body{display:none}</style>
"""


@pytest.fixture(scope="module")
def hostile_practice(django_db_setup, django_db_blocker):
    """Committed, not made inside a test's transaction: the live server thread reads with its own connection and
    would not see uncommitted rows (on PostgreSQL). Deleted afterwards."""
    from django.core.cache import cache
    from django.utils import timezone

    from millennium.places.models import Area
    from millennium.practices.models import Practice

    with django_db_blocker.unblock():
        practice = Practice.objects.create(
            municipality=Area.objects.get(code="1280"), title="Jämställd skolgård", summary="Rastvakter och lekar.",
            body=HOSTILE_BODY, results="Fler flickor använder skolgården.", contact_role="Rektor",
            status=Practice.Status.PUBLISHED, published_at=timezone.now(), period_start=2020)
    cache.clear()  # pages are cached per data version
    yield practice
    with django_db_blocker.unblock():
        practice.delete()
    cache.clear()


def test_a_hostile_body_runs_no_script(page, hostile_practice):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"/praktiker/{hostile_practice.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jämställd skolgård")
    body = page.locator(".practice-body").first
    expect(body).to_contain_text("Så här gjorde vi för jämställdhet i skolan.")

    body.get_by_text("b", exact=True).click()
    page.wait_for_timeout(300)

    assert page.evaluate("window.pwned") is None
    assert dialogs == []
    assert body.locator("script, img, iframe, svg, style, [onclick], [onerror], [onload]").count() == 0
    assert page.locator("a[href^='javascript' i]").count() == 0
    expect(page).to_have_url(re.compile(rf"/praktiker/{hostile_practice.pk}/$"))


def test_list_detail_and_search_results_have_no_accessibility_violations(page, axe, hostile_practice):
    page.goto("/praktiker/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Goda arbetssätt")
    expect(page.get_by_role("link", name="Jämställd skolgård")).to_be_visible()
    assert axe() == []

    page.goto(f"/praktiker/{hostile_practice.pk}/")
    assert axe() == []

    page.get_by_role("link", name="Goda arbetssätt").first.click()
    page.get_by_label("Sök bland arbetssätten").fill("jamstalld")
    page.get_by_role("button", name="Sök").click()
    expect(page.get_by_role("heading", level=2, name="1 träff för ”jamstalld”")).to_be_visible()
    page.get_by_role("link", name="Jämställd skolgård").click()
    expect(page).to_have_url(re.compile(rf"/praktiker/{hostile_practice.pk}/$"))
    page.go_back()
    assert axe() == []


def test_sign_in_page_has_no_accessibility_violations(page, axe):
    page.goto("/konto/logga-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in")
    assert axe() == []


@pytest.fixture(scope="module")
def editor_session(django_db_setup, django_db_blocker):
    """A signed-in editor's session key, committed for the live server like the practice above.

    Made here rather than by signing in through the page: on SQLite the test's open transaction keeps the live
    server from writing, so the browser may only read (the form is shown and checked, not saved).
    """
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Permission, User
    from django.contrib.sessions.backends.db import SessionStore

    with django_db_blocker.unblock():
        user = User.objects.create_user("webbredaktor", password="ett långt lösenord 42")
        user.user_permissions.set(Permission.objects.filter(codename__in=["add_practice", "change_practice"]))
        session = SessionStore()
        session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                        HASH_SESSION_KEY: user.get_session_auth_hash()})
        session.save()
    yield session.session_key
    with django_db_blocker.unblock():
        session.delete()
        user.delete()


def test_the_editors_form_and_its_errors_have_no_accessibility_violations(page, axe, site_url, editor_session):
    from django.conf import settings

    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": editor_session, "url": site_url}])
    page.goto("/praktiker/")
    expect(page.get_by_text("Inloggad som webbredaktor.")).to_be_visible()
    page.get_by_role("link", name="Skriv ett nytt arbetssätt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt arbetssätt")
    expect(page.get_by_label("Mål 11: Hållbara städer och samhällen")).to_be_visible()
    assert axe() == []

    page.get_by_role("button", name="Spara utkast").click()  # nothing filled in: shown again with the errors
    expect(page.get_by_role("alert")).to_contain_text("Något behöver rättas")
    page.get_by_role("alert").get_by_role("link").first.click()
    expect(page.get_by_label("Kommun")).to_be_focused()
    assert axe() == []
