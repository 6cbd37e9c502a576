"""The minutes upload: a PDF by content, within the size limit, stored under MEDIA_ROOT, served only to those
allowed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from millennium.programme.demo import placeholder_pdf
from millennium.programme.models import Answer, Application, Criterion

S = Application.State


@pytest.fixture
def draft(make_application):
    return make_application(S.DRAFT, complete=False)


def post_minutes(client, application, criterion, upload):
    return client.post(reverse("programme:answer", args=[application.pk, criterion.pk]), {
        "answer-decided_by_body": "Kommunstyrelsen", "answer-decided_on": "2010-09-08",
        "answer-case_reference": "Ärende 9", "answer-text": "", "answer-minutes": upload})


def test_a_pdf_is_stored_under_media_root_and_served_to_members(client, draft, people, programme, uploads):
    criterion = programme.criteria.get(kind=Criterion.Kind.DECISION)
    client.force_login(people["editor"])
    pdf = placeholder_pdf("Protokoll")
    response = post_minutes(client, draft, criterion, SimpleUploadedFile("../../etc/protokoll.pdf", pdf))
    assert response.status_code == 302
    answer = Answer.objects.get(application=draft, criterion=criterion)
    stored = uploads / answer.minutes.name
    assert stored.read_bytes() == pdf and str(stored.resolve()).startswith(str(uploads.resolve()))
    assert "etc" not in answer.minutes.name  # the uploader's file name is never used
    served = client.get(reverse("programme:minutes", args=[draft.pk, answer.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == pdf
    client.force_login(people["other_editor"])
    assert client.get(reverse("programme:minutes", args=[draft.pk, answer.pk])).status_code == 404


def test_a_file_named_pdf_that_is_not_one_is_refused(client, draft, people, programme, uploads):
    criterion = programme.criteria.get(kind=Criterion.Kind.DECISION)
    client.force_login(people["editor"])
    fake = SimpleUploadedFile("protokoll.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    response = post_minutes(client, draft, criterion, fake)
    assert response.status_code == 200
    assert "inte en PDF" in response.content.decode()
    assert not Answer.objects.filter(application=draft, criterion=criterion).exists()
    assert not uploads.exists() or not any(uploads.rglob("*.pdf"))


def test_a_file_over_the_limit_is_refused(client, draft, people, programme, settings, uploads):
    settings.MAX_UPLOAD_BYTES = 1000
    criterion = programme.criteria.get(kind=Criterion.Kind.DECISION)
    client.force_login(people["editor"])
    big = SimpleUploadedFile("protokoll.pdf", b"%PDF-1.4\n" + b"0" * 2000, "application/pdf")
    response = post_minutes(client, draft, criterion, big)
    assert response.status_code == 200 and "för stor" in response.content.decode()
    assert not Answer.objects.filter(application=draft, criterion=criterion).exists()
