"""The designation journey in a real browser: an editor drafts Malmö's application, the approver submits it, a
reviewer reviews it, the programme admin approves it; the diploma downloads as PDF and Malmö appears in the public
registry. axe-core finds no WCAG 2.1 AA violation on any of the programme's pages on the way.

The live server here WRITES: it runs in a thread that shares this test's database connection (and so its
transaction), handling one request at a time; everything the browser does is rolled back with the test.
"""

import datetime
import threading

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import close_old_connections, connections
from django.test.testcases import LiveServerThread
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from millennium.programme.demo import placeholder_pdf

PASSWORD = "ett långt lösenord 42"


class _KeepsTheConnection(ThreadedWSGIServer):
    """Django's threaded test server, minus closing the database connections after each request: the one
    connection is the test's own, inside its transaction."""

    def _close_connections(self):
        pass


class _OneAtATime:
    """The requests share one database connection, so their handling must not overlap."""

    def __init__(self, application):
        self.application, self.lock = application, threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            return self.application(environ, start_response)


class _SharedConnectionServer(LiveServerThread):
    server_class = _KeepsTheConnection

    def run(self):
        # LiveServerThread.run without its final connections.close_all(): the connection is the test's own.
        for alias, connection in self.connections_override.items():
            connections[alias] = connection
        try:
            self.httpd = self._create_server(connections_override=self.connections_override)
            self.port = self.httpd.server_address[1]
            self.httpd.set_app(_OneAtATime(self.static_handler(WSGIHandler())))
            self.is_ready.set()
            self.httpd.serve_forever()
        except Exception as error:  # noqa: BLE001 - handed to the test thread
            self.error = error
            self.is_ready.set()


@pytest.fixture
def writable_site(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    connection = connections["default"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    connection.inc_thread_sharing()
    server = _SharedConnectionServer("127.0.0.1", StaticFilesHandler, connections_override={"default": connection})
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    yield f"http://127.0.0.1:{server.port}"
    server.terminate()
    connection.dec_thread_sharing()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def people(db):
    from django.contrib.auth.models import User

    from millennium.organisations.models import Membership, Organisation, Role
    from millennium.places.models import Area
    from millennium.programme.demo import load_programmes

    load_programmes()
    malmo = Organisation.objects.create(name="Malmö stad", kind="municipality", area=Area.objects.get(code="1280"))
    office = Organisation.objects.create(name="Programkansliet", kind="programme_office")
    people = {}
    for username, organisation, role in [("redaktor", malmo, Role.EDITOR), ("godkannare", malmo, Role.APPROVER),
                                         ("granskare", office, Role.REVIEWER),
                                         ("programansvarig", office, Role.PROGRAMME_ADMIN)]:
        people[role] = User.objects.create_user(username, email=f"{username}@example.org", password=PASSWORD)
        Membership.objects.create(user=people[role], organisation=organisation, role=role)
    return people


@pytest.fixture
def open_as(browser, writable_site):
    """A fresh, signed-in browser tab per person; after the test none may have left 127.0.0.1 or failed a script."""
    contexts, problems = [], []

    def open_as(username=None):
        context = browser.new_context(base_url=writable_site, locale="sv-SE", accept_downloads=True)
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(20_000)
        tab.on("request", lambda request: problems.append(request.url)
               if not request.url.startswith((writable_site, "data:", "blob:", "about:")) else None)
        tab.on("pageerror", lambda error: problems.append(str(error)))
        if username:
            tab.goto("/konto/logga-in/")
            tab.fill("#id_username", username)
            tab.fill("#id_password", PASSWORD)
            tab.get_by_role("button", name="Logga in").click()
            tab.wait_for_load_state()
        return tab

    yield open_as
    for context in contexts:
        context.close()
    assert problems == []


def axe_violations(tab, axe_source) -> list[str]:
    tab.add_script_tag(content=axe_source)
    result = tab.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})")
    return [f"{tab.url}: {v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"]]


def test_apply_review_approve_diploma_registry(open_as, people, axe_source, tmp_path):
    from millennium.programme.models import Application, Designation

    violations = []

    def check(tab):
        violations.extend(axe_violations(tab, axe_source))

    # The editor drafts.
    editor = open_as("redaktor")
    editor.goto("/program/")
    check(editor)
    editor.get_by_role("link", name="Millenniekommun", exact=True).click()
    check(editor)
    editor.get_by_role("link", name="Ansök om utmärkelsen").first.click()
    check(editor)
    editor.get_by_role("button", name="Börja ansökan").click()
    expect(editor.get_by_role("heading", level=1)).to_contain_text("Malmö stad")
    check(editor)
    application = Application.objects.get()
    assert application.state == "draft"
    assert editor.get_by_role("button", name="Skicka in").count() == 0  # editors may not submit

    editor.get_by_role("link", name="Svara på kriterium 1").click()
    check(editor)
    editor.get_by_label("Beslutande organ").fill("Kommunstyrelsen")
    editor.get_by_label("Beslutsdatum").fill("2010-09-08")
    editor.get_by_label("Ärende eller diarienummer").fill("Ärende 9")
    minutes = tmp_path / "protokoll.pdf"
    minutes.write_bytes(placeholder_pdf("Kommunstyrelsen 2010-09-08, ärende 9"))
    editor.get_by_label("Protokoll (PDF)").set_input_files(str(minutes))
    editor.get_by_role("button", name="Spara svaret").click()
    expect(editor.get_by_role("link", name="Protokoll (PDF)")).to_be_visible()

    editor.get_by_role("link", name="Svara på kriterium 2").click()
    check(editor)
    boxes = editor.get_by_label("Vad kommunen gör")
    assert boxes.count() == 8
    for i in range(8):
        boxes.nth(i).fill(f"Malmö arbetar för mål {i + 1}.")
    editor.get_by_role("button", name="Spara svaret").click()
    editor.wait_for_load_state()
    assert "/svar/" not in editor.url, editor.locator("main").inner_text()[:2000]
    editor.get_by_role("link", name="Svara på kriterium 3").click()
    editor.get_by_label("Webbadress").fill("https://malmo.se/")
    editor.get_by_role("button", name="Spara svaret").click()
    expect(editor.get_by_text("Innan ansökan kan skickas in")).to_have_count(0)

    # The approver submits.
    approver = open_as("godkannare")
    approver.goto(f"/ansokan/{application.pk}/")
    check(approver)
    approver.get_by_role("button", name="Skicka in", exact=True).click()
    expect(approver.locator(".facts .state")).to_have_text("inskickad")

    # The reviewer takes it up and reviews it.
    reviewer = open_as("granskare")
    reviewer.goto("/inkorg/")
    check(reviewer)
    reviewer.get_by_role("link", name="Millenniekommun: Malmö stad har skickat in sin ansökan").click()
    reviewer.get_by_role("button", name="Börja granska").click()
    reviewer.get_by_role("link", name="Granska ansökan").click()
    check(reviewer)
    for fieldset in reviewer.locator("fieldset.scores").all():
        fieldset.get_by_label("uppfyllt", exact=True).check()
    reviewer.get_by_label("Sammanfattning").fill("Alla tre krav är uppfyllda.")
    reviewer.get_by_role("button", name="Lämna in granskningen").click()
    check(reviewer)  # the application page with the review

    # The programme admin approves.
    admin = open_as("programansvarig")
    admin.goto(f"/ansokan/{application.pk}/")
    admin.get_by_role("link", name="Besluta").click()
    check(admin)
    admin.get_by_label("Godkänn").check()
    admin.get_by_label("Motivering").fill("Malmö uppfyller programmets krav.")
    admin.get_by_role("button", name="Fatta beslut").click()
    expect(admin.locator(".facts .state")).to_have_text("godkänd")
    admin.goto("/program/millenniekommun/kriterier/")
    check(admin)
    admin.goto("/program/millenniekommun/ansokningar/")
    check(admin)

    designation = Designation.objects.get(application=application)
    assert designation.valid_from == datetime.date.today() and designation.is_active()

    # The municipality downloads its diploma and finds itself in the public registry.
    editor.goto(f"/ansokan/{application.pk}/")
    check(editor)
    try:
        reverse("programme:diploma", args=["millenniekommun", designation.pk])
        reverse("programme:registry", args=["millenniekommun"])
    except NoReverseMatch:
        pytest.fail("the registry's diploma and registry pages are not wired yet")
    diploma_link = editor.get_by_role("link", name="Diplom (PDF)")
    response = editor.request.get(diploma_link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
    public = open_as()
    public.goto("/utmarkelser/millenniekommun/")
    expect(public.get_by_text("Malmö stad").first).to_be_visible()

    assert violations == []
