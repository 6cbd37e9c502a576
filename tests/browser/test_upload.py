"""Staff upload a file with a problem, see it marked in the preview, upload the fixed file and confirm; the upload,
preview and import pages have no axe violations.

The live server here writes: it shares the test's database connection (connections_override), so that what
the browser saves is rolled back with the test, on SQLite and PostgreSQL alike.
"""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core import signals
from django.db import close_old_connections, connections
from django.test import Client
from django.test.testcases import LiveServerThread

from millennium.organisations.models import Membership, Organisation, Role
from millennium.places.models import Area
from millennium.statistics.models import ImportBatch, Observation

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def writing_site(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    connection = connections["default"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    connection.inc_thread_sharing()
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override={"default": connection})
    server.daemon = True
    server.start()
    server.is_ready.wait()
    try:
        if server.error:
            raise server.error
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.terminate()
        connection.dec_thread_sharing()
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def staff_page(browser, writing_site):
    """A tab signed in as an editor of Malmö; afterwards no request may have left 127.0.0.1."""
    from django.contrib.auth.models import User

    user = User.objects.create_user("malmo-redaktor", password="ett långt lösenord 42")
    malmo = Area.objects.get(code="1280")
    organisation, _ = Organisation.objects.get_or_create(area=malmo, defaults={
        "name": "Malmö stad", "kind": Organisation.Kind.MUNICIPALITY})
    Membership.objects.create(user=user, organisation=organisation, role=Role.EDITOR)
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=writing_site, locale="sv-SE")
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME]
                          .value, "url": writing_site}])
    page = context.new_page()
    page.set_default_timeout(20_000)
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert not [u for u in requests if urlsplit(u).hostname not in ("127.0.0.1", None)
                and not u.startswith(("data:", "blob:", "about:"))]
    assert not errors


def run_axe(page, axe_source) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})")
    return [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes'][:5]]}" for v in result["violations"]]


def test_upload_with_problem_then_fixed_then_confirmed(staff_page, axe_source, tmp_path):
    page = staff_page
    bad = tmp_path / "nyckeltal.csv"
    bad.write_text("nyckeltal;område;år;kön;värde\nN00945;1280;2019;T;77,25\nN00945;1280;2018;X;1\n",
                   encoding="utf-8")
    good = tmp_path / "nyckeltal-ratt.csv"
    good.write_text("nyckeltal;område;år;kön;värde\nN00945;1280;2019;T;77,25\nN00945;1280;2018;K;1\n",
                    encoding="utf-8")
    before = ImportBatch.objects.count()

    page.goto("/kommun/1280/data/ladda-upp/")
    assert page.locator("h1").inner_text() == "Ladda upp nyckeltal för Malmö"
    assert run_axe(page, axe_source) == []
    page.get_by_label("Fil (Excel .xlsx eller CSV)").set_input_files(bad)
    page.get_by_role("button", name="Ladda upp och förhandsgranska").click()

    page.wait_for_url("**/data/ladda-upp/*/")
    assert "Filen har 1 fel och kan inte sparas" in page.locator(".error-summary h2").inner_text()
    assert page.get_by_role("button", name="Bekräfta och spara").count() == 0
    cell = page.locator("td.problem")
    assert cell.count() == 1 and cell.inner_text().startswith("X\nFel:")
    assert run_axe(page, axe_source) == []
    page.get_by_role("link", name="Rad 3, kolumn kön").click()
    assert page.url.endswith("#rad-3-3")
    assert ImportBatch.objects.count() == before

    page.get_by_role("link", name="Ladda upp en rättad fil").click()
    page.get_by_label("Fil (Excel .xlsx eller CSV)").set_input_files(good)
    page.get_by_role("button", name="Ladda upp och förhandsgranska").click()
    page.wait_for_url("**/data/ladda-upp/*/")
    assert page.locator("#count-changed").inner_text() == "1"
    assert page.locator("#count-new").inner_text() == "1"
    assert run_axe(page, axe_source) == []
    assert ImportBatch.objects.count() == before
    page.get_by_role("button", name="Bekräfta och spara").click()

    page.wait_for_url("**/import/*/")
    batch = ImportBatch.objects.latest("id")
    assert page.url.endswith(f"/import/{batch.id}/")
    assert page.locator("h1").inner_text() == f"Import {batch.id}"
    assert "77,25" in page.locator("#changed").inner_text()
    assert run_axe(page, axe_source) == []
    stored = Observation.objects.get(measure__code="N00945", area__code="1280", year=2019, sex="T")
    assert (stored.value, stored.batch_id) == (77.25, batch.id)
