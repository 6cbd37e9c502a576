"""Passwords: argon2 hashes, changing one, resetting a forgotten one by e-mail, and the lockout after five
wrong attempts for one user name from one address."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "ett långt lösenord 42"
NEW_PASSWORD = "Fikapaus vid Öresund 2010"


@pytest.fixture
def anna(db):
    return User.objects.create_user("anna", email="anna@malmo.example.org", password=PASSWORD)


def test_passwords_are_hashed_with_argon2(anna):
    assert anna.password.startswith("argon2$argon2id$")
    assert anna.check_password(PASSWORD)


def sign_in(client, username, password):
    return client.post("/konto/logga-in/", {"username": username, "password": password})


def test_signing_in_leads_to_the_account_page(client, anna):
    response = sign_in(client, "anna", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/konto/"
    assert "<h1>Mitt konto</h1>" in client.get("/konto/").content.decode()


def test_five_wrong_passwords_lock_the_user_name_even_for_the_right_one(anna):
    client = Client()
    for _ in range(4):
        response = sign_in(client, "anna", "fel lösenord")
        assert response.status_code == 200 and "Inloggningen misslyckades" in response.content.decode()
    fifth = sign_in(client, "anna", "fel lösenord")
    assert fifth.status_code == 429

    sixth = sign_in(client, "anna", PASSWORD)

    html = sixth.content.decode()
    assert sixth.status_code == 429
    assert "<h1>Inloggningen är spärrad en stund</h1>" in html and '<html lang="sv">' in html
    assert "Lösenordet har angetts fel 5 gånger i rad" in html
    assert "_auth_user_id" not in client.session
    assert client.get("/konto/").status_code == 302  # still not signed in


def test_the_lockout_is_per_user_name_another_user_from_the_same_address_signs_in(anna):
    User.objects.create_user("bertil", password=PASSWORD)
    client = Client()
    for _ in range(5):
        sign_in(client, "anna", "fel lösenord")
    assert sign_in(client, "anna", PASSWORD).status_code == 429

    response = sign_in(client, "bertil", PASSWORD)

    assert response.status_code == 302 and response["Location"] == "/konto/"
    assert client.session["_auth_user_id"] == str(User.objects.get(username="bertil").pk)


def test_changing_the_password_needs_the_old_one_and_a_strong_new_one(client, anna):
    client.force_login(anna)
    response = client.post("/konto/losenord/", {"old_password": "fel", "new_password1": NEW_PASSWORD,
                                                "new_password2": NEW_PASSWORD})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()
    response = client.post("/konto/losenord/", {"old_password": PASSWORD, "new_password1": "anna",
                                                "new_password2": "anna"})
    assert response.status_code == 200
    anna.refresh_from_db()
    assert anna.check_password(PASSWORD)

    response = client.post("/konto/losenord/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                                "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/konto/losenord/klart/"
    anna.refresh_from_db()
    assert anna.check_password(NEW_PASSWORD) and anna.password.startswith("argon2")
    assert client.get("/konto/").status_code == 200  # still signed in


def test_a_forgotten_password_is_reset_through_the_emailed_link(client, anna, settings):
    settings.SITE_URL = "https://millennium.example.org"
    response = client.post("/konto/aterstall/", {"email": "ANNA@malmo.example.org"})
    assert response.status_code == 302 and response["Location"] == "/konto/aterstall/skickat/"

    [message] = mail.outbox
    assert message.to == ["anna@malmo.example.org"]
    assert message.subject == "Nytt lösenord i Millennium / New password for Millennium"
    assert message.body.index("Hej!") < message.body.index("Hello,")
    links = re.findall(r"https://millennium\.example\.org(/konto/aterstall/[^/\s]+/[^/\s]+/)", message.body)
    assert len(links) == 2 and links[0] == links[1]

    response = client.get(links[0], follow=True)  # Django moves the token into the session, then shows the form
    assert response.status_code == 200 and "Välj ett nytt lösenord" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/konto/aterstall/klart/"
    anna.refresh_from_db()
    assert anna.check_password(NEW_PASSWORD)

    again = client.get(links[0], follow=True)  # the link works once
    assert "Länken fungerar inte" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, anna):
    response = client.post("/konto/aterstall/", {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == "/konto/aterstall/skickat/"
    assert mail.outbox == []
