"""The programme's report: only programme staff and site admins get it; its PDF is tagged and its CSV holds the
designated municipalities, applications by state, follow-ups due and the count over time, safe to open in a
spreadsheet. The same from the command line."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.formats import date_format

from millennium.cli import main
from millennium.programme.models import Application, Designation
from millennium.programme.programme_report import report_csv

from .conftest import PASSWORD, days, municipality
from .pdf_checks import assert_tagged, structure_elements, structure_types, text_of

pytestmark = pytest.mark.django_db
PDF, CSV = "/utmarkelser/millenniekommun/rapport.pdf", "/utmarkelser/millenniekommun/rapport.csv"


def csv_rows(content: bytes | str) -> list[dict]:
    text = content.decode() if isinstance(content, bytes) else content
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def workflow(registry_data, programme):
    """Besides the four designations: Göteborg's application under review, Stockholm's draft (never handed in:
    the municipality's own), Lund's follow-up submitted and Umeå's follow-up still a draft."""
    now = timezone.now()
    Application.objects.create(programme=programme, organisation=municipality("1480"),
                               state=Application.State.IN_REVIEW, submitted_at=now)
    Application.objects.create(programme=programme, organisation=municipality("0180"))
    Application.objects.create(programme=programme, organisation=registry_data["lund"].organisation,
                               kind=Application.Kind.FOLLOW_UP, designation=registry_data["lund"],
                               state=Application.State.SUBMITTED, submitted_at=now)
    Application.objects.create(programme=programme, organisation=registry_data["umea"].organisation,
                               kind=Application.Kind.FOLLOW_UP, designation=registry_data["umea"])
    return registry_data


def test_anonymous_visitors_are_sent_to_sign_in(client, workflow):
    for url in (PDF, CSV):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/logga-in/?next=")


def test_municipality_staff_and_people_without_a_role_are_refused(client, workflow, municipality_editor):
    for user in (municipality_editor, User.objects.create_user("utan-roll", password=PASSWORD)):
        client.force_login(user)
        for url in (PDF, CSV, f"/en{CSV}"):
            assert client.get(url).status_code == 403


def test_programme_staff_and_site_admins_get_it(client, workflow, reviewer, programme_admin, site_admin):
    for user in (reviewer, programme_admin, site_admin):
        client.force_login(user)
        assert client.get(CSV).status_code == 200
    assert client.get("/utmarkelser/finns-inte/rapport.csv").status_code == 404


def test_the_pdf_is_tagged_and_holds_the_report(client, workflow, reviewer):
    client.force_login(reviewer)
    response = client.get(PDF)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    today = timezone.localdate()
    pdf = assert_tagged(response.content, "sv", f"Programrapport: Millenniekommun, {date_format(today, 'j F Y')}")
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure"} <= structure_types(pdf)
    text = " ".join(text_of(response.content).split())
    for expected in ("Malmö stad", "Lunds kommun", "Granskas 1", "Uppföljningar som ska göras", "försenad 10 dagar",
                     "Umeå kommun", "inskickad", "ingen inlämnad"):
        assert expected in text, expected
    assert not re.search(r"Utkast \d", text) and "utkast" not in text  # no draft counted or shown
    english = client.get(f"/en{PDF}")
    assert_tagged(english.content, "en", f"…Millennium Municipality, {today.day} {today:%B} {today.year}")


def test_the_chart_in_the_pdf_has_an_alt_text(client, workflow, reviewer):
    client.force_login(reviewer)
    pdf = assert_tagged(client.get(PDF).content, "sv", "…" + str(timezone.localdate().year))
    figures = [e for e in structure_elements(pdf) if e.S == "/Figure"]
    assert len(figures) == 1
    assert str(figures[0].Alt) == ("Stapeldiagram: antal utmärkta kommuner per år, 2 i dag, mot programmets mål 100. "
                                   "Siffrorna finns i tabellen nedan.")


def test_the_csv_holds_every_part(client, workflow, programme_admin):
    client.force_login(programme_admin)
    response = client.get(CSV)
    rows = csv_rows(response.content)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert list(rows[0]) == ["avsnitt", "kommunkod", "kommun", "nummer", "gäller_från", "gäller_till", "dagar_kvar",
                             "slag", "läge", "år", "antal", "mål"]
    designated = [r for r in rows if r["avsnitt"] == "designated"]
    assert {(r["kommunkod"], r["kommun"]) for r in designated} == {("1280", "Malmö stad"), ("1281", "Lunds kommun")}
    malmo = workflow["malmo"]
    assert next(r for r in designated if r["kommunkod"] == "1280")["gäller_från"] == "2010-09-08"
    assert next(r for r in designated if r["kommunkod"] == "1280")["nummer"] == malmo.number

    states = {(r["slag"], r["läge"]): int(r["antal"]) for r in rows if r["avsnitt"] == "applications_by_state"}
    assert len(states) == 14  # two kinds × the seven states after handing in, zeros included
    assert states[("application", "approved")] == 4 and states[("application", "in_review")] == 1
    assert states[("follow_up", "submitted")] == 1
    # Drafts never handed in (Stockholm's application, Umeå's follow-up) are the municipalities' own.
    assert ("application", "draft") not in states and ("follow_up", "draft") not in states
    assert sum(states.values()) == Application.objects.exclude(state="draft").count() == 6

    due = [r for r in rows if r["avsnitt"] == "follow_ups_due"]
    # Within 90 days: Umeå's passed 10 days ago (not marked lapsed yet), Lund's is in 30 days; Malmö's in 200.
    assert [(r["kommun"], r["dagar_kvar"], r["läge"]) for r in due] == [
        ("Umeå kommun", "-10", ""), ("Lunds kommun", "30", "submitted")]

    over_time = [r for r in rows if r["avsnitt"] == "count_over_time"]
    assert over_time[0] == {**over_time[0], "år": "2010", "antal": "1", "mål": "100"}
    assert [r["antal"] for r in over_time[:5]] == ["1", "2", "3", "4", "3"]
    assert over_time[-1]["år"] == str(timezone.localdate().year) and over_time[-1]["antal"] == "2"

    wider = csv_rows(client.get(CSV, {"dagar": "365"}).content)
    assert "Malmö stad" in {r["kommun"] for r in wider if r["avsnitt"] == "follow_ups_due"}


def test_the_csv_in_english_and_safe_from_formulas(client, workflow, reviewer, designate):
    designate("1282", datetime.date(2015, 1, 1), days(60), name="=HYPERLINK(\"http://x\",\"Landskrona\")")
    client.force_login(reviewer)
    rows = csv_rows(client.get(f"/en{CSV}").content)

    assert list(rows[0])[:3] == ["section", "municipality_code", "municipality"]
    names = {r["municipality"] for r in rows if r["section"] == "designated"}
    assert "'=HYPERLINK(\"http://x\",\"Landskrona\")" in names
    assert not any(value.startswith(("=", "+", "@")) for r in rows for value in r.values())


def test_the_command_writes_the_report(tmp_path, workflow, capsys):
    out = tmp_path / "rapport.csv"
    assert main(["programme", "report", "millenniekommun", "--format", "csv", "-o", str(out)]) == 0
    assert out.read_bytes().decode() == report_csv(workflow["malmo"].programme)

    pdf = tmp_path / "report.pdf"
    assert main(["programme", "report", "millenniekommun", "--lang", "en", "-o", str(pdf)]) == 0
    assert_tagged(pdf.read_bytes(), "en", "…" + str(timezone.localdate().year))

    missing = tmp_path / "none.pdf"
    assert main(["programme", "report", "finns-inte", "-o", str(missing)]) == 1
    assert "unknown programme 'finns-inte' (programmes: millenniekommun)" in capsys.readouterr().err
    assert not missing.exists()
    assert Designation.objects.count() == 4
