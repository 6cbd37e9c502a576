"""Who may do what: editors draft, approvers publish what someone else wrote, drafts stay out of sight."""

import pytest

from millennium.places.models import Area
from millennium.practices.models import Practice

pytestmark = pytest.mark.django_db


def form_data(**changes) -> dict:
    data = {"municipality": Area.objects.get(code="1280").pk, "title": "Läxhjälp på biblioteket",
            "summary": "Volontärer hjälper elever.", "body": "## Så gjorde vi\n\nVi öppnade.", "results": "",
            "period_start": "2021", "period_end": "", "contact_role": "Bibliotekarie", "measures": "N15428",
            "goals": [], "targets": []}
    data.update(changes)
    return data


# --- creating -------------------------------------------------------------------------------------------------

def test_anonymous_visitors_are_sent_to_sign_in(client, make_practice):
    practice = make_practice(published=False)
    for url in ("/praktiker/ny/", f"/praktiker/{practice.pk}/andra/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/logga-in/?next=")
    response = client.post(f"/praktiker/{practice.pk}/publicera/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/")
    assert Practice.objects.get(pk=practice.pk).status == "draft"


def test_a_user_without_a_role_cannot_create(client, reader):
    client.force_login(reader)
    assert client.get("/praktiker/ny/").status_code == 403
    assert client.post("/praktiker/ny/", form_data()).status_code == 403
    assert not Practice.objects.exists()


def test_an_editor_creates_a_draft(client, editor):
    client.force_login(editor)
    assert client.get("/praktiker/ny/").status_code == 200

    response = client.post("/praktiker/ny/", form_data())

    practice = Practice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/praktiker/{practice.pk}/"
    assert practice.status == "draft" and practice.published_at is None
    assert practice.created_by == editor == practice.updated_by
    assert practice.body_html == "<h4>Så gjorde vi</h4>\n<p>Vi öppnade.</p>\n"
    assert [m.code for m in practice.measures.all()] == ["N15428"]


def test_a_forged_form_cannot_publish_or_label_an_example(client, editor, approver):
    client.force_login(editor)
    client.post("/praktiker/ny/", form_data(status="published", is_example="on", published_by=approver.pk,
                                            created_by=approver.pk))
    practice = Practice.objects.get()
    assert practice.status == "draft" and not practice.is_example
    assert practice.published_by is None and practice.created_by == editor


def test_unknown_key_figures_and_a_phone_number_are_refused(client, editor):
    client.force_login(editor)
    response = client.post("/praktiker/ny/", form_data(measures="N15428, X99999", contact_role="040-34 10 00"))
    html = response.content.decode()
    assert response.status_code == 200 and not Practice.objects.exists()
    assert "Okända nyckeltal: X99999" in html
    assert "inte ett telefonnummer" in html


# --- publishing -----------------------------------------------------------------------------------------------

def test_an_editor_cannot_publish_even_with_a_forged_post(client, editor, make_practice):
    practice = make_practice(published=False, created_by=editor, updated_by=editor)
    client.force_login(editor)
    assert client.post(f"/praktiker/{practice.pk}/publicera/").status_code == 403
    assert Practice.objects.get(pk=practice.pk).status == "draft"


def test_an_approver_cannot_publish_their_own_practice(client, approver, make_practice):
    practice = make_practice(published=False, created_by=approver, updated_by=approver)
    client.force_login(approver)
    assert client.post(f"/praktiker/{practice.pk}/publicera/").status_code == 403
    assert Practice.objects.get(pk=practice.pk).status == "draft"
    assert "Du har skrivit eller ändrat texten" in client.get(f"/praktiker/{practice.pk}/").content.decode()


def test_an_approver_cannot_publish_a_text_they_changed_last(client, editor, approver, make_practice):
    practice = make_practice(published=False, created_by=editor)
    client.force_login(approver)
    client.post(f"/praktiker/{practice.pk}/andra/", form_data(title="Ändrad av godkännaren"))
    assert Practice.objects.get(pk=practice.pk).updated_by == approver
    assert client.post(f"/praktiker/{practice.pk}/publicera/").status_code == 403


def test_an_approver_publishes_what_someone_else_wrote(client, editor, approver, make_practice):
    practice = make_practice(published=False, created_by=editor, updated_by=editor)
    client.force_login(approver)
    assert "Godkänn och publicera" in client.get(f"/praktiker/{practice.pk}/").content.decode()

    response = client.post(f"/praktiker/{practice.pk}/publicera/")

    practice.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == f"/praktiker/{practice.pk}/"
    assert practice.status == "published" and practice.published_by == approver
    assert practice.published_at is not None


def test_publishing_takes_a_post(client, editor, approver, make_practice):
    practice = make_practice(published=False, created_by=editor)
    client.force_login(approver)
    assert client.get(f"/praktiker/{practice.pk}/publicera/").status_code == 405
    assert Practice.objects.get(pk=practice.pk).status == "draft"


def test_publishing_needs_the_csrf_token(editor, approver, make_practice):
    from django.test import Client

    practice = make_practice(published=False, created_by=editor)
    client = Client(enforce_csrf_checks=True)
    client.force_login(approver)
    assert client.post(f"/praktiker/{practice.pk}/publicera/").status_code == 403
    assert Practice.objects.get(pk=practice.pk).status == "draft"


# --- editing --------------------------------------------------------------------------------------------------

def test_editing_a_published_practice_makes_it_a_draft_again(client, editor, second_approver, make_practice):
    practice = make_practice(published=True, published_by=second_approver)
    client.force_login(editor)
    assert "När du sparar blir det ett utkast igen" in client.get(f"/praktiker/{practice.pk}/andra/").content.decode()

    client.post(f"/praktiker/{practice.pk}/andra/", form_data(title="Ny rubrik"))

    practice.refresh_from_db()
    assert practice.title == "Ny rubrik" and practice.status == "draft"
    assert practice.published_by is None and practice.published_at is None
    assert practice.updated_by == editor
    client.logout()
    assert client.get(f"/praktiker/{practice.pk}/").status_code == 404


def test_a_user_who_may_only_add_edits_their_own_drafts_only(client, make_practice):
    from tests.practices.conftest import user_with

    writer = user_with("skribent", "add_practice")
    own = make_practice(published=False, created_by=writer)
    others = make_practice(published=False)
    client.force_login(writer)
    assert client.get(f"/praktiker/{own.pk}/andra/").status_code == 200
    assert client.get(f"/praktiker/{others.pk}/andra/").status_code == 404  # another's draft is not shown to them


def test_a_user_without_a_role_cannot_edit(client, reader, make_practice):
    practice = make_practice(published=True)
    client.force_login(reader)
    assert client.get(f"/praktiker/{practice.pk}/andra/").status_code == 403
    assert client.post(f"/praktiker/{practice.pk}/andra/", form_data(title="Kapad")).status_code == 403
    assert Practice.objects.get(pk=practice.pk).title == "Cykelvägar till skolan"


# --- seeing drafts ---------------------------------------------------------------------------------------------

def test_a_draft_is_unknown_to_the_public(client, reader, make_practice):
    draft = make_practice(title="Hemligt utkast om solenergi", published=False)
    make_practice(title="Publicerat om solenergi")

    assert client.get(f"/praktiker/{draft.pk}/").status_code == 404
    for url in ("/praktiker/", "/praktiker/?q=solenergi", "/kommun/1280/mal/7/"):
        assert "Hemligt utkast" not in client.get(url).content.decode()
    assert "Publicerat om solenergi" in client.get("/praktiker/?q=solenergi").content.decode()

    client.force_login(reader)
    assert client.get(f"/praktiker/{draft.pk}/").status_code == 404


def test_editors_approvers_and_the_author_see_a_draft(client, editor, approver, reader, make_practice):
    draft = make_practice(title="Utkast om läxhjälp", published=False, created_by=reader)
    for user in (editor, approver, reader):
        client.force_login(user)
        response = client.get(f"/praktiker/{draft.pk}/")
        assert response.status_code == 200 and "Utkast." in response.content.decode()
        assert "Utkast om läxhjälp" in client.get("/praktiker/").content.decode()


def test_unknown_practice_is_404(client):
    assert client.get("/praktiker/999999/").status_code == 404
