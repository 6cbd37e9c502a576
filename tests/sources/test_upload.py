"""Uploading a municipality's own key figures on the web: who may, the preview writes nothing, confirming writes,
an invalid file cannot be confirmed, someone else's upload is a 404, files are checked by size and content."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from millennium.organisations.models import Membership, Organisation, Role
from millennium.places.models import Area
from millennium.statistics.models import ImportBatch, Observation, ObservationChange

pytestmark = pytest.mark.django_db

URL = "/kommun/1280/data/ladda-upp/"
HEADER = "nyckeltal;område;år;kön;värde\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def member(username, municipality_code=None, role=Role.EDITOR, kind=Organisation.Kind.MUNICIPALITY):
    user = User.objects.create_user(username, password="ett långt lösenord 42")
    if kind == Organisation.Kind.MUNICIPALITY:
        area = Area.objects.get(code=municipality_code)
        organisation, _ = Organisation.objects.get_or_create(area=area, defaults={"name": area.name, "kind": kind})
    else:
        organisation, _ = Organisation.objects.get_or_create(kind=kind, defaults={"name": "Programkansliet"})
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def malmo_editor():
    return member("malmo-redaktor", "1280")


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def stored(code="N00945", area="1280", year=2020, sex="T") -> Observation:
    return Observation.objects.get(measure__code=code, area__code=area, year=year, sex=sex)


def csv_file(*lines, name="data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + "".join(f"{line}\n" for line in lines)).encode("utf-8"),
                              content_type="text/csv")


def upload(client, file, url=URL):
    return client.post(url, {"file": file})


def token_of(response) -> str:
    return re.fullmatch(r"/kommun/1280/data/ladda-upp/([A-Za-z0-9_-]+)/", response["Location"])[1]


def store_state():
    return Observation.objects.count(), ImportBatch.objects.count(), ObservationChange.objects.count()


@pytest.mark.parametrize("who, expected", [
    ("anonymous", 302), ("malmo_editor", 200), ("malmo_approver", 200), ("lund_editor", 403), ("reviewer", 403),
    ("site_admin", 200),
])
def test_who_may_open_the_upload_page(who, expected):
    users = {
        "anonymous": None,
        "malmo_editor": lambda: member("a", "1280"),
        "malmo_approver": lambda: member("b", "1280", Role.APPROVER),
        "lund_editor": lambda: member("c", "1281"),
        "reviewer": lambda: member("d", role=Role.REVIEWER, kind=Organisation.Kind.PROGRAMME_OFFICE),
        "site_admin": lambda: User.objects.create_superuser("admin", password="ett långt lösenord 42"),
    }
    user = users[who]() if users[who] else None

    response = client_for(user).get(URL)
    post = client_for(user).post(URL, {"file": csv_file("N00945;1280;2020;T;1")})

    assert response.status_code == expected
    assert post.status_code == (302 if expected == 200 else expected)
    if who == "anonymous":
        assert response["Location"] == f"/konto/logga-in/?next={URL}"
    assert Observation.objects.filter(batch__source__code="egen-data").count() == 0


def test_lund_editor_cannot_upload_for_malmo_and_nothing_is_kept(media):
    lund = client_for(member("lund", "1281"))

    response = upload(lund, csv_file("N00945;1280;2020;T;1"))

    assert response.status_code == 403
    assert not (Path(media) / "uploads-pending").exists() or not any((Path(media) / "uploads-pending").iterdir())


def test_preview_writes_nothing_and_counts_against_the_store(malmo_editor, media):
    client = client_for(malmo_editor)
    old = stored()
    before = store_state()

    response = upload(client, csv_file(f"N00945;1280;2020;T;{old.value}", "N00945;1280;2019;T;99,5",
                                       "N00945;1280;1990;K;5", "N00945;1280R001;1990;K;"))
    token = token_of(response)
    preview = client.get(response["Location"])

    page = preview.content.decode()
    assert preview.status_code == 200
    assert re.search(r'id="count-new">1<', page) and re.search(r'id="count-changed">1<', page)
    assert re.search(r'id="count-unchanged">1<', page) and re.search(r'id="count-empty">1<', page)
    assert "Bekräfta och spara" in page and "ändras:" in page
    assert store_state() == before
    assert stored().value == old.value
    pending = Path(media) / "uploads-pending" / token
    assert (pending / "data.csv").exists() and (pending / "upload.json").exists()


def test_confirm_writes_in_one_batch_and_shows_it(malmo_editor, media):
    client = client_for(malmo_editor)
    old = stored(year=2019)
    response = upload(client, csv_file("N00945;1280;2019;T;99,5", "N00945;1280;1990;K;5"))
    token = token_of(response)

    confirmed = client.post(f"{URL}{token}/bekrafta/")

    batch = ImportBatch.objects.latest("id")
    assert confirmed.status_code == 302 and confirmed["Location"] == f"/import/{batch.id}/"
    assert (batch.rows_new, batch.rows_changed, batch.rows_unchanged, batch.imported_by) == (1, 1, 0,
                                                                                                 "malmo-redaktor")
    assert stored(year=2019).value == 99.5 and stored(year=2019).batch_id == batch.id
    assert stored(year=1990, sex="K").value == 5
    change = ObservationChange.objects.get(batch=batch)
    assert (change.old_value, change.new_value, change.previous_batch_id) == (old.value, 99.5, old.batch_id)
    assert not (Path(media) / "uploads-pending" / token).exists()
    assert (Path(media) / "imports" / str(batch.id) / "data.csv").exists()
    assert batch.location == f"data.csv → imports/{batch.id}/data.csv"
    # Confirming twice imports nothing more: the pending upload is gone.
    assert client.post(f"{URL}{token}/bekrafta/").status_code == 404
    assert ImportBatch.objects.latest("id") == batch


def test_a_confirmation_already_under_way_cannot_import_the_file_again(malmo_editor, media):
    from millennium.sources import upload as uploads

    client = client_for(malmo_editor)
    token = token_of(upload(client, csv_file("N00945;1280;2019;T;99,5")))
    before = ImportBatch.objects.latest("id")
    # The first click has claimed the folder and is importing; the second one arrives.
    claimed = uploads.claim(uploads.find(token, Area.objects.get(code="1280"), malmo_editor))

    assert client.post(f"{URL}{token}/bekrafta/").status_code == 404
    assert ImportBatch.objects.latest("id") == before
    uploads.release(claimed)  # the first import failed: the file can be confirmed again
    assert client.post(f"{URL}{token}/bekrafta/").status_code == 302
    assert ImportBatch.objects.latest("id") != before


def test_invalid_file_preview_marks_problems_and_cannot_be_confirmed(malmo_editor):
    client = client_for(malmo_editor)
    before = store_state()
    response = upload(client, csv_file("N00945;1280;2019;T;99,5", "N00945;1281;2019;T;1", "N00945;1280;2018;X;1"))
    token = token_of(response)

    preview = client.get(response["Location"]).content.decode()
    confirm = client.post(f"{URL}{token}/bekrafta/")

    assert "Filen har 2 fel och kan inte sparas" in preview
    assert "Bekräfta och spara" not in preview
    assert 'href="?sida=1#rad-3-1">Rad 3, kolumn område' in preview
    assert "”1281” är inget område i Malmö" in preview
    assert 'href="?sida=1#rad-4-3">Rad 4, kolumn kön' in preview
    assert re.search(r'<td id="rad-4-3" class="problem">X<span class="problem-note"><span class="marker">Fel:', preview)
    assert confirm.status_code == 400
    assert store_state() == before


def test_xlsx_upload_problem_names_the_cell(malmo_editor, tmp_path):
    book = Workbook()
    book.active.title = "Data"
    book.active.append(["nyckeltal", "område", "år", "kön", "värde"])
    book.active.append(["N00945", 1280, 2019, "T", "tolv"])
    book.save(tmp_path / "a.xlsx")
    client = client_for(malmo_editor)

    response = upload(client, SimpleUploadedFile("a.xlsx", (tmp_path / "a.xlsx").read_bytes()))
    preview = client.get(response["Location"]).content.decode()

    assert "Rad 2, kolumn värde (cell E2)" in preview
    assert "”tolv” är inget tal." in preview


def test_guessed_or_other_municipalitys_upload_is_404(malmo_editor):
    malmo = client_for(malmo_editor)
    token = token_of(upload(malmo, csv_file("N00945;1280;2019;T;99,5")))
    lund_editor = member("lund", "1281")
    colleague = client_for(member("kollega", "1280"))
    before = store_state()

    assert client_for(lund_editor).get(f"/kommun/1281/data/ladda-upp/{token}/").status_code == 404
    assert client_for(lund_editor).post(f"/kommun/1281/data/ladda-upp/{token}/bekrafta/").status_code == 404
    assert colleague.get(f"{URL}{token}/").status_code == 404
    assert malmo.get(f"{URL}AAAAAAAAAAAAAAAAAAAAAA/").status_code == 404
    assert malmo.get(f"{URL}..%2F..%2Fetc/").status_code == 404
    assert store_state() == before
    admin = client_for(User.objects.create_superuser("admin", password="ett långt lösenord 42"))
    assert admin.get(f"{URL}{token}/").status_code == 200


def test_non_spreadsheet_file_refused(malmo_editor, media):
    client = client_for(malmo_editor)
    png = SimpleUploadedFile("bild.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 50)
    renamed = SimpleUploadedFile("data.xlsx", (HEADER + "N00945;1280;2019;T;1\n").encode())
    latin1 = SimpleUploadedFile("data.csv", (HEADER + "N00945;1280;2019;T;1\n").encode("latin-1"))

    for file in (png, renamed, latin1, SimpleUploadedFile("data.pdf", b"%PDF-1.4")):
        response = upload(client, file)
        assert response.status_code == 400
        assert 'class="error-summary"' in response.content.decode()
    assert not any((Path(media) / "uploads-pending").glob("*/data.*"))


def test_too_large_file_refused(malmo_editor, settings):
    settings.MAX_UPLOAD_BYTES = 100

    response = upload(client_for(malmo_editor), csv_file(*["N00945;1280;2019;T;1"] * 10))

    assert response.status_code == 400
    assert "den får vara högst" in response.content.decode()


def test_confirm_needs_csrf_token(malmo_editor):
    client = client_for(malmo_editor)
    token = token_of(upload(client, csv_file("N00945;1280;2019;T;99,5")))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(malmo_editor)
    before = store_state()

    assert strict.post(f"{URL}{token}/bekrafta/").status_code == 403
    assert strict.post(URL, {"file": csv_file("N00945;1280;2019;T;1")}).status_code == 403
    assert store_state() == before


def test_template_downloads_are_the_template(client):
    xlsx = client.get("/data/nyckeltal-mall.xlsx")
    csv = client.get("/data/nyckeltal-mall.csv")

    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK\x03\x04")
    assert csv.content.decode("utf-8-sig").splitlines()[0] == (
        "nyckeltal,nyckeltalsnamn,område,områdesnamn,år,kön,värde,enhet")
    assert client.get("/data/nyckeltal-mall.exe").status_code == 404
